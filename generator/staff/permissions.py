"""`huiyin check-change`: may this person make this change? One Issue per refused file, with the reason.

Rules (the staff list is read from the base branch, so nobody grants themselves rights in their own
change): records are never deleted; symlinks and submodules are refused; administrators may change
anything else; a clerk may change a case whose responsible unit (last assigned/transferred, as
generator.lifecycle derives it) is one of theirs before and after the change, a matter whose `unit`
is, and their own unit record; a dispatcher may in addition change any case; everything else
(settings, staff list, batches, calendars, schemas, templates, site config, CI, code) is for
administrators only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import E
from ..issues import Issue, Report
from ..kinds import kind_for_path
from ..yamlsafe import locate, parse_yaml
from .gitrefs import (FileChange, RefError, Version, changed_files, commit_authors, open_repo, read_at, repo_root,
                      resolve)
from .roster import STAFF_FILE, Member, Roster, parse_roster

# Outside records/: named places with a reason, matched on the path relative to the project root.
PROTECTED = (
    ("schemas/", "字段定义 schemas/"), ("site_templates/", "网站模板 site_templates/"),
    ("mkdocs.yml", "网站配置 mkdocs.yml"), (".github/", "GitHub 流程和 CODEOWNERS .github/"),
    (".gitlab-ci.yml", "GitLab 流程 .gitlab-ci.yml"), (".gitlab/", "GitLab 设置和 CODEOWNERS .gitlab/"),
    ("generator/", "程序代码 generator/"), ("pyproject.toml", "依赖配置 pyproject.toml"),
    (".pre-commit-config.yaml", "提交前检查 .pre-commit-config.yaml"),
)
UNIT_KINDS = ("case", "matter", "unit")  # records that belong to a unit; every other kind is for administrators
_WHEN = {"before": "修改前", "base_tip": "目标分支上当前", "after": "修改后"}


@dataclass(frozen=True)
class Owner:
    """Which unit a record version belongs to; unit None with readable True means 'not assigned yet'."""

    unit: str | None
    readable: bool = True
    path: tuple = ()  # field that decides it, for the line number


def responsible_unit(events: Any) -> tuple[str | None, int | None]:
    """The last assigned/transferred unit and its event index (the lifecycle's definition of 承办单位)."""
    unit = index = None
    if isinstance(events, list):
        for i, e in enumerate(events):
            if isinstance(e, dict) and e.get("type") in ("assigned", "transferred") and isinstance(e.get("unit"), str):
                unit, index = e["unit"], i
    return unit, index


def owner_of(kind: str, version: Version, file: str) -> Owner:
    """The owning unit of one version of a case, matter or unit record."""
    data = parse_yaml(version.data or b"", file).data if version.data else None
    if not isinstance(data, dict):
        return Owner(None, readable=False)
    if kind == "case":
        unit, index = responsible_unit(data.get("events"))
        return Owner(unit, True, ("events", index, "unit") if index is not None else ("events",))
    field = "unit" if kind == "matter" else "id"
    value = data.get(field)
    if kind == "unit" and not isinstance(value, str):
        value = PurePosixPath(file).stem
    return Owner(value if isinstance(value, str) else None, isinstance(value, str), (field,))


@dataclass
class Checker:
    """Decides each file of a change for one actor."""

    roster: Roster
    actor: Member
    records_prefix: str  # "records/" as seen from the repository root
    project_prefix: str = ""  # "" when the project is the repository root
    unit_names: dict[str, str] | None = None

    def check(self, changes: list[FileChange]) -> Report:
        report = Report(files_checked=len(changes))
        for change in changes:
            report.add(self._file(change))
        return report

    def _issue(self, change: FileChange, code: str, message: str, path: tuple = ()) -> Issue:
        line = None
        if path and change.after.data:
            positions = parse_yaml(change.after.data, change.path).positions
            line = locate(positions, path)[0]
        return Issue(change.path, line, None, code, message)

    def _unit(self, unit: str) -> str:
        name = (self.unit_names or {}).get(unit)
        return f"{name}（{unit}）" if name else unit

    def _who(self) -> str:
        units = "、".join(self._unit(u) for u in self.actor.units) or "无"
        return f"{self.actor.handle}（{self.actor.role_label}，所属单位：{units}）"

    def _file(self, change: FileChange) -> list[Issue]:
        path = change.path
        in_records = path.startswith(self.records_prefix)
        kind = kind_for_path(path[len(self.records_prefix):]) if in_records else None
        if not (change.before.is_regular and change.after.is_regular):
            if in_records or not self.actor.is_admin:
                return [self._issue(change, E.CHANGE_FILE_MODE, "不允许提交符号链接或子模块，请改为普通文件")]
        if in_records and change.status == "deleted":
            what = kind.label + "记录" if kind else "记录目录中的文件"
            return [self._issue(change, E.CHANGE_RECORD_DELETED,
                                f"删除（或改名、移动）了{what}：公开过的记录不得删除；如确属误建或放错位置，请联系管理员处理")]
        if self.actor.is_admin:
            return []
        if not in_records:
            rel = path[len(self.project_prefix):] if path.startswith(self.project_prefix) else path
            label = next((label for prefix, label in PROTECTED if rel == prefix or rel.startswith(prefix)), None)
            if label:
                return [self._issue(change, E.CHANGE_ADMIN_ONLY, f"{label}只能由管理员修改；{self._who()}")]
            return [self._issue(change, E.CHANGE_OUTSIDE_RECORDS,
                                f"工作人员只能修改 records/ 中的诉求、实事和单位记录，{path} 只能由管理员修改；{self._who()}")]
        if kind is None:
            return [self._issue(change, E.CHANGE_ADMIN_ONLY, f"records/ 中不认识的文件只能由管理员添加或修改；{self._who()}")]
        if kind.name not in UNIT_KINDS:
            return [self._issue(change, E.CHANGE_ADMIN_ONLY, f"{kind.label}（{path}）只能由管理员修改；{self._who()}")]
        if kind.name == "case" and self.actor.is_dispatcher:
            return []
        return self._owned(change, kind.name, kind.label)

    def _owned(self, change: FileChange, kind: str, label: str) -> list[Issue]:
        """A case, matter or unit record: every version must belong to one of the actor's units."""
        role = {"case": "承办单位", "matter": "责任单位", "unit": "单位"}[kind]
        versions = [(when, v) for when, v in (("before", change.before), ("base_tip", change.base_tip),
                                                ("after", change.after)) if v.exists]
        where = owner_of(kind, change.after, change.path).path if change.after.exists else ()  # line to point at
        for when, version in versions:
            owner = owner_of(kind, version, change.path)
            if not owner.readable:
                fix = "请先运行 huiyin validate 找到并改正错误" if when == "after" else "已合并的版本有误，请联系管理员处理"
                return [self._issue(change, E.CHANGE_UNREADABLE,
                                    f"{_WHEN[when]}的{label}记录无法读取（格式错误或缺少{role}），不能判断属于哪个单位；"
                                    f"{fix}；{self._who()}")]
            if owner.unit is None:
                return [self._issue(change, E.CHANGE_UNASSIGNED,
                                    f"{_WHEN[when]}该诉求还没有交办承办单位：未交办的诉求只有受理交办人员和管理员可以新建或修改；"
                                    f"本单位受理的诉求请用 huiyin new case --unit 直接交办给本单位；{self._who()}", where)]
            if owner.unit not in self.actor.units:
                return [self._issue(change, E.CHANGE_OTHER_UNIT,
                                    f"{_WHEN[when]}该{label}的{role}是 {self._unit(owner.unit)}，不属于 {self._who()}："
                                    f"只能修改本单位的记录" + ("；转交其他单位请由受理交办人员办理" if kind == "case" else ""),
                                    where)]
        return []


def actor_issue(handle: str | None, staff_file: str) -> Issue:
    """The one issue when the actor is not on the staff list."""
    return Issue(staff_file, None, None, E.CHANGE_UNKNOWN_ACTOR,
                 f"平台账号 {handle} 不在工作人员名单 {staff_file} 中，不能通过合并请求修改记录；请联系管理员登记")


def no_roster_issue(staff_file: str, problems: list[Issue]) -> Issue:
    """The one issue when the base branch has no usable staff list: refuse everything."""
    why = "不存在" if not problems else f"有错误（{problems[0].code}：{problems[0].message}）"
    return Issue(staff_file, problems[0].line if problems else None, None, E.CHANGE_NO_STAFF,
                 f"目标分支上的工作人员名单 {staff_file} {why}，无法判断谁可以修改什么，全部修改均不予通过")


@dataclass
class ChangeCheck:
    """The verdict on a change, and who it was judged for."""

    report: Report
    actor: Member | None
    files: int


def check_change(project_dir: Path, base: str, head: str, actor_handle: str | None = None) -> ChangeCheck:
    """Judge the change head makes relative to base; raises gitrefs.RefError when refs or actor are unclear."""
    project = Path(project_dir).resolve()
    repo = open_repo(project)
    rel = project.relative_to(repo_root(repo)).as_posix()
    project_prefix = "" if rel == "." else rel + "/"
    records_prefix = project_prefix + "records/"
    staff_file = records_prefix + STAFF_FILE
    changes = changed_files(repo, base, head)
    report = Report(files_checked=len(changes))
    base_commit = resolve(repo, base)
    raw = read_at(repo, base, staff_file)
    roster, problems = parse_roster(raw, staff_file) if raw is not None else (None, [])
    if not changes:
        return ChangeCheck(report, None, 0)
    if roster is None:
        report.add([no_roster_issue(staff_file, problems)])
        return ChangeCheck(report, None, len(changes))
    if actor_handle:
        actor = roster.find(actor_handle)
        if actor is None:
            report.add([actor_issue(actor_handle, staff_file)])
            return ChangeCheck(report, None, len(changes))
    else:
        authors = commit_authors(repo, base, head)
        found = {m.handle: m for name in authors for m in roster.by_git_name(name)}
        unmatched = [a for a in authors if not roster.by_git_name(a)]
        if len(found) != 1 or unmatched:
            who = "、".join(sorted(authors)) or "（无提交）"
            raise RefError(f"无法从提交作者（{who}）确定是哪位工作人员，请用 --actor 指定平台账号")
        actor = next(iter(found.values()))
    checker = Checker(roster, actor, records_prefix, project_prefix, _unit_names(base_commit, records_prefix + "units"))
    result = checker.check(changes)
    return ChangeCheck(result, actor, len(changes))


def _unit_names(commit: Any, folder: str) -> dict[str, str]:
    """Unit id -> name on the base branch, for messages people can read."""
    try:
        tree = commit.tree / folder
    except (KeyError, TypeError):
        return {}
    names = {}
    for blob in tree.blobs:
        data = parse_yaml(blob.data_stream.read(), blob.path).data
        if isinstance(data, dict) and isinstance(data.get("id"), str) and isinstance(data.get("name"), str):
            names[data["id"]] = data["name"]
    return names
