"""Problems found in records, as data: every check yields Issues, a Report collects them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator

from .errors import severity as declared_severity

FieldPath = tuple  # ("events", 2, "date"): mapping keys are str, list indexes int


def format_path(path: FieldPath) -> str:
    """Render a field path the way a clerk reads it: events[2].date."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in one file: a stable code, where it is, and a Chinese message."""

    file: str  # path relative to the project root, posix separators
    line: int | None
    column: int | None
    code: str  # stable, kebab-case, e.g. "duplicate-key", "pii-mobile"
    message: str  # Chinese, never shows personal data unmasked
    field: str = ""  # field path as rendered by format_path()
    severity: str = ""  # "error" or "warning"; by default the code's, as declared in errors.yaml

    def __post_init__(self) -> None:
        if not self.severity:
            object.__setattr__(self, "severity", declared_severity(self.code))

    def key(self) -> tuple[str, str, str]:
        """What tests compare: (code, file, field)."""
        return (self.code, self.file, self.field)


@dataclass
class Report:
    """All issues of one run; never stops at the first."""

    issues: list[Issue] = field(default_factory=list)
    files_checked: int = 0

    def add(self, issues: Iterable[Issue]) -> None:
        self.issues.extend(issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def sorted(self) -> list[Issue]:
        return sorted(self.issues, key=lambda i: (i.file, i.line or 0, i.column or 0, i.code))

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.sorted())


def masked(report: Report) -> Report:
    """The report with any personal data in a file name, field or message masked: what is shown never holds it."""
    from .pii import redact

    def mask(text: str) -> str:
        return redact(text)[0] if text else text

    out = Report(files_checked=report.files_checked)
    out.add(replace(i, file=mask(i.file), field=mask(i.field), message=mask(i.message)) for i in report.issues)
    return out
