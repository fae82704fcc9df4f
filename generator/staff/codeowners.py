"""`huiyin codeowners`: CODEOWNERS for GitHub and GitLab, generated from the staff list and the records.

Later lines win. Administrators own everything by default; cases (filed by date, not by unit, so no
path pattern can follow their unit) are reviewed by dispatchers and administrators, while
`huiyin check-change` enforces the unit rule on them; each matter and each unit record is owned by
the clerks of its unit (and administrators, so they can always approve).
"""

from __future__ import annotations

from pathlib import Path

from ..issues import Report
from ..yamlsafe import parse_yaml
from .common import StaffError, write_all
from .roster import STAFF_FILE, Member, Roster, parse_roster

TARGETS = (".github/CODEOWNERS", ".gitlab/CODEOWNERS")
HEADER = """\
# 由 huiyin codeowners 根据 records/staff.yaml 和 records/ 中的实事、单位记录生成，请勿手工修改。
# 修改工作人员名单、新增实事或单位后运行 huiyin codeowners 重新生成；CI 运行 huiyin codeowners --check。
# 后面的规则优先：默认由管理员负责；诉求由受理交办人员和管理员审核（承办单位的权限由 huiyin check-change 检查）；
# 每项实事、每个单位记录由该单位的经办人审核，管理员也可审核。
"""


def load_roster(records_dir: Path) -> Roster:
    """The working tree's staff list, or a refusal with its errors."""
    path = records_dir / STAFF_FILE
    if not path.is_file():
        raise StaffError(f"找不到工作人员名单 {records_dir.name}/{STAFF_FILE}")
    roster, problems = parse_roster(path.read_bytes(), f"{records_dir.name}/{STAFF_FILE}")
    if roster is None:
        report = Report(files_checked=1)
        report.add(problems)
        raise StaffError(f"工作人员名单 {records_dir.name}/{STAFF_FILE} 有错误", report)
    return roster


def _owners(members: list[Member], admins: list[Member]) -> str:
    seen: dict[str, None] = {}
    for m in [*members, *admins]:
        seen.setdefault("@" + m.handle, None)
    return " ".join(seen)


def render(roster: Roster, records_dir: Path) -> str:
    """The CODEOWNERS text (paths from the repository root, which is the project root)."""
    admins = roster.administrators
    if not admins:
        raise StaffError("工作人员名单中没有管理员（role: administrator），无法生成 CODEOWNERS")
    lines = [HEADER, f"* {_owners([], admins)}", f"/records/cases/ {_owners(roster.dispatchers, admins)}"]
    for path in sorted((records_dir / "matters").glob("*/*.yaml")):
        data = parse_yaml(path.read_bytes(), path.name).data
        unit = data.get("unit") if isinstance(data, dict) else None
        clerks = roster.clerks_of(unit) if isinstance(unit, str) else []
        if clerks:
            lines.append(f"/records/matters/{path.parent.name}/{path.name} {_owners(clerks, admins)}")
    for path in sorted((records_dir / "units").glob("*.yaml")):
        clerks = roster.clerks_of(path.stem)
        if clerks:
            lines.append(f"/records/units/{path.name} {_owners(clerks, admins)}")
    return "\n".join(lines) + "\n"


def stale_targets(project_dir: Path, text: str) -> list[str]:
    """The CODEOWNERS files that are missing or differ from text."""
    out = []
    for rel in TARGETS:
        path = project_dir / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            out.append(rel)
    return out


def write_codeowners(project_dir: Path, text: str) -> list[str]:
    """Write both files (each atomically); returns those that changed."""
    stale = stale_targets(project_dir, text)
    write_all({project_dir / rel: text for rel in stale})
    return stale
