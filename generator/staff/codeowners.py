"""`huiyin codeowners`: CODEOWNERS for GitHub and GitLab, generated from the staff list and the duties file.

Later lines win. Administrators own everything; each folder the duties file's `review` section names
(cases, matters, units) is also reviewed by the roles it lists. Ownership goes by folder, never by
record, so a new case or matter never needs CODEOWNERS regenerated: `huiyin check-change` decides, act by
act, who may record what in them; the review is the second pair of eyes.
"""

from __future__ import annotations

from pathlib import Path

from ..duties import RulesError, Rules, load_rules
from ..issues import Report
from .common import StaffError, write_all
from .roster import STAFF_FILE, Member, Roster, parse_roster

TARGETS = (".github/CODEOWNERS", ".gitlab/CODEOWNERS")
HEADER = """\
# 由 huiyin codeowners 根据 records/staff.yaml（谁是谁）和 records/rules.yaml（review：哪些文件夹由哪些角色审核）生成，
# 请勿手工修改；修改这两个文件后运行 huiyin codeowners 重新生成，CI 运行 huiyin codeowners --check。
# 按文件夹而不按记录划分：新建诉求、实事不需要重新生成。谁可以登记什么由 huiyin check-change 按 rules.yaml 逐项检查。
# 后面的规则优先：默认由管理员审核，管理员也可审核一切。
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


def load_rules_for(records_dir: Path) -> Rules:
    """The working tree's duties file, or a refusal with its errors."""
    try:
        return load_rules(records_dir)
    except RulesError as exc:
        report = Report(files_checked=1)
        report.add(exc.issues)
        raise StaffError(str(exc), report if exc.issues else None) from None


def _owners(members: list[Member], admins: list[Member]) -> str:
    seen: dict[str, None] = {}
    for m in [*members, *admins]:
        seen.setdefault("@" + m.handle, None)
    return " ".join(seen)


def render(roster: Roster, rules: Rules) -> str:
    """The CODEOWNERS text (paths from the repository root, which is the project root)."""
    admins = roster.administrators
    if not admins:
        raise StaffError("工作人员名单中没有管理员（role: administrator），无法生成 CODEOWNERS")
    lines = [HEADER, f"* {_owners([], admins)}"]
    for review in rules.review:
        reviewers = [m for m in roster.members if m.role in review.roles and not m.is_admin]
        lines.append(f"{review.path} {_owners(reviewers, admins)}")
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
