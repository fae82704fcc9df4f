"""The registry of error and warning codes (declared once, in errors.yaml) and the staff guide's list made from it.

Code names a code as ``E.DATE_INVALID`` (the text "date-invalid"): a code that is not declared is an AttributeError
where it is used, and tests/test_errors.py checks that every declared code is used and every used code declared.
``python -m generator.errors`` rewrites the list of codes in the staff guide; a test checks it is up to date.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import yaml

REGISTRY = Path(__file__).with_name("errors.yaml")
GUIDE = Path(__file__).resolve().parent.parent / "site_templates" / "pages" / "about" / "staff-guide.md"
_START = "<!-- 以下提示代码表由 generator/errors.yaml 生成（python -m generator.errors），请勿手工修改 -->"
_END = "<!-- 提示代码表结束 -->"


@dataclass(frozen=True)
class ErrorCode:
    """One declared code: its group, severity and Chinese title, description and example."""

    code: str
    group: str
    severity: str  # "error" or "warning"
    title: str
    description: str
    example: str


def _load() -> tuple[dict[str, str], dict[str, ErrorCode]]:
    doc = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    groups = doc["groups"]
    codes = {code: ErrorCode(code, **fields) for code, fields in doc["codes"].items()}
    for c in codes.values():
        if c.group not in groups or c.severity not in ("error", "warning") or not (c.title and c.description):
            raise ValueError(f"errors.yaml: {c.code} is incomplete")
    return groups, codes


GROUPS, CODES = _load()
E = SimpleNamespace(**{code.upper().replace("-", "_"): code for code in CODES})


def severity(code: str) -> str:
    """The declared severity of a code ("error" for a code not declared: tests catch those)."""
    declared = CODES.get(code)
    return declared.severity if declared else "error"


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_<>|[]"})


def _cell(text: str) -> str:
    """Text as typed inside a Markdown table cell (no emphasis, tags or links made by accident)."""
    return text.translate(_MARKDOWN).replace("\n", " ")


def guide_section() -> str:
    """The staff guide's list of codes, one table per group."""
    out = [_START, ""]
    for group, label in GROUPS.items():
        rows = [c for c in CODES.values() if c.group == group]
        out += [f"### {label}", "", "| 提示代码 | 意思 | 说明和改法 |", "|---|---|---|"]
        for c in rows:
            title = c.title + ("（提醒，不阻止提交）" if c.severity == "warning" else "")
            out.append(f"| `{c.code}` | {_cell(title)} | {_cell(c.description)}例：{_cell(c.example)} |")
        out.append("")
    out.append(_END)
    return "\n".join(out)


def with_guide_section(text: str) -> str:
    """The staff guide's text with its list of codes replaced by the registry's."""
    pattern = re.compile(re.escape(_START) + ".*?" + re.escape(_END), re.S)
    if not pattern.search(text):
        raise ValueError(f"{GUIDE.name} has no generated list of codes ({_START})")
    return pattern.sub(lambda _: guide_section(), text)


def main() -> int:
    """Rewrite the staff guide's list of codes from the registry."""
    text = GUIDE.read_text(encoding="utf-8")
    new = with_guide_section(text)
    if new != text:
        GUIDE.write_text(new, encoding="utf-8")
        print(f"updated {GUIDE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
