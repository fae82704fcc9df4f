"""`huiyin check-change`: may this person make this change? One Issue per refused act, with the rule and who may.

What each role may record is declared in records/rules.yaml (generator.duties); the staff list, the rules,
the batch records and the published bulletins are read from the target branch, so nobody grants themselves
rights in their own change. For everyone, administrators included: records are never deleted; published
bulletins never change; a change to a fact already published carries a new entry in the record's
`corrections` (shown as a correction, refused without one) and leaves the earlier entries as they were.
Settings, staff list, rules, calendars, schemas, templates, site config, CI and code are for administrators.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import E
from ..duties import Act, Rules, Situation, corrections_kept, decide, parse_rules, record_acts
from ..duties.model import RULES_FILE
from ..history import corrections as published_facts
from ..history.words import Describer
from ..issues import Issue, Report, format_path
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
    ("requirements", "依赖锁定文件 requirements*.txt"), (".ci/", "CI 脚本 .ci/"),
    (".pre-commit-config.yaml", "提交前检查 .pre-commit-config.yaml"),
)
DUTY_KINDS = ("case", "matter", "unit", "batch")  # judged act by act; every other kind is for administrators
CORRECTED_KINDS = ("case", "matter")  # records whose published facts need a stated reason to change


@dataclass
class Target:
    """What the target branch says: who is who, the rules, and the facts the checks look up."""

    roster: Roster
    rules: Rules
    unit_names: dict[str, str] = field(default_factory=dict)
    batch_counts: dict[str, int] = field(default_factory=dict)
    published: dict[str, str] = field(default_factory=dict)  # month -> day its (original) bulletin was issued


def _data(version: Version, file: str) -> tuple[dict | None, bool]:
    """(the mapping of a version, whether it is readable); an absent version is (None, True)."""
    if not version.exists:
        return None, True
    data = parse_yaml(version.data or b"", file).data if version.data else None
    return (data, True) if isinstance(data, dict) else (None, False)


@dataclass
class Checker:
    """Decides each file of a change for one actor."""

    target: Target
    actor: Member
    records_prefix: str  # "records/" as seen from the repository root
    project_prefix: str = ""  # "" when the project is the repository root
    today: date = field(default_factory=date.today)

    @property
    def rules(self) -> Rules:
        return self.target.rules

    def check(self, changes: list[FileChange]) -> Report:
        report = Report(files_checked=len(changes))
        for change in changes:
            report.add(self._file(change))
        return report

    def _issue(self, change: FileChange, code: str, message: str, path: tuple = (), side: str = "after",
               severity: str = "error") -> Issue:
        version = change.after if side == "after" else change.before
        line = None
        if path and version.data:
            line = locate(parse_yaml(version.data, change.path).positions, path)[0]
        return Issue(change.path, line, None, code, message, format_path(path), severity)

    def _unit(self, unit: str) -> str:
        name = self.target.unit_names.get(unit)
        return f"{name}（{unit}）" if name else unit

    def _who(self) -> str:
        units = "、".join(self._unit(u) for u in self.actor.units) or "无"
        return f"登记人 {self.actor.handle}（{self.rules.role_title(self.actor.role)}，所属单位：{units}）"

    def _admin_only(self, change: FileChange, code: str, what: str) -> Issue:
        return self._issue(change, code, f"{what}只能由管理员修改（{self.rules.principle('admin-files')}）；"
                                         f"可以修改的是：管理员；{self._who()}")

    def _file(self, change: FileChange) -> list[Issue]:
        path = change.path
        in_records = path.startswith(self.records_prefix)
        kind = kind_for_path(path[len(self.records_prefix):]) if in_records else None
        if not (change.before.is_regular and change.after.is_regular):
            if in_records or not self.actor.is_admin:
                return [self._issue(change, E.CHANGE_FILE_MODE, "不允许提交符号链接或子模块，请改为普通文件")]
        if kind is not None and kind.name in ("bulletin", "periodic") and change.status != "added":
            how = ("更正请用 huiyin bulletin 月份 --revise --reason \"原因\" 另发更正版本，原通报保留不变" if kind.name == "bulletin"
                   else "周报和年度报告一经发布不再改动，有误时请在下一期说明")
            return [self._issue(change, E.CHANGE_BULLETIN_FROZEN,
                                f"已发布的{kind.label}不得修改或删除（{self.rules.principle('bulletins-frozen')}，对所有人适用）；{how}")]
        if in_records and change.status == "deleted":
            what = kind.label + "记录" if kind else "记录目录中的文件"
            return [self._issue(change, E.CHANGE_RECORD_DELETED,
                                f"删除（或改名、移动）了{what}：公开过的记录不得删除（{self.rules.principle('no-deletion')}，"
                                f"对所有人适用）；如确属误建或放错位置，请联系管理员处理")]
        if not in_records:
            if self.actor.is_admin:
                return []
            rel = path[len(self.project_prefix):] if path.startswith(self.project_prefix) else path
            label = next((label for prefix, label in PROTECTED if rel == prefix or rel.startswith(prefix)), None)
            if label:
                return [self._admin_only(change, E.CHANGE_ADMIN_ONLY, label)]
            return [self._admin_only(change, E.CHANGE_OUTSIDE_RECORDS, f"records/ 以外的文件 {path} ")]
        if kind is None:
            return [] if self.actor.is_admin else [self._admin_only(change, E.CHANGE_ADMIN_ONLY, "records/ 中不认识的文件")]
        if kind.name == "bulletin":
            return self._acts(change, [Act("bulletin.publish", "create", ())], "bulletin", {}, None, None)
        if kind.name not in DUTY_KINDS:
            return [] if self.actor.is_admin else [self._admin_only(change, E.CHANGE_ADMIN_ONLY, f"{kind.label}（{path}）")]
        return self._record(change, kind.name, kind.label)

    def _record(self, change: FileChange, kind: str, label: str) -> list[Issue]:
        before, before_ok = _data(change.before, change.path)
        after, after_ok = _data(change.after, change.path)
        current, _ = _data(change.base_tip, change.path)
        if not (before_ok and after_ok):
            if self.actor.is_admin:
                return []
            fix = "请先运行 huiyin validate 找到并改正错误" if not after_ok else "已合并的版本有误，请联系管理员处理"
            when = "修改后" if not after_ok else "修改前"
            return [self._issue(change, E.CHANGE_UNREADABLE, f"{when}的{label}记录无法读取（格式错误），不能判断谁可以修改；"
                                                             f"{fix}；{self._who()}")]
        out = self._acts(change, record_acts(kind, before, after), kind, after or {}, before, current)
        if kind in CORRECTED_KINDS:
            out += self._corrections(change, kind, before, after)
        return out

    def _acts(self, change: FileChange, acts: list[Act], kind: str, after: dict, before: dict | None,
              current: dict | None) -> list[Issue]:
        out, seen = [], set()
        for act in acts:
            record = after if act.side == "after" else (before or {})
            sit = Situation(kind, frozenset(self.actor.units), record, current, created=before is None, index=act.index,
                            batch_count=self.target.batch_counts.get, unit_name=lambda u: self.target.unit_names.get(u, u))
            decision = decide(self.rules, act.act, self.actor.role, sit)
            if decision.allowed or (decision.code, act.act) in seen:
                continue
            seen.add((decision.code, act.act))
            out.append(self._issue(change, decision.code, f"{decision.explain(act.words)}；{self._who()}", act.path,
                                   act.side))
        return out

    def _corrections(self, change: FileChange, kind: str, before: dict | None, after: dict | None) -> list[Issue]:
        """Published facts changed: shown as corrections with their reason, refused without one."""
        kept, added = corrections_kept(before, after)
        if not kept:
            return [self._issue(change, E.CHANGE_CORRECTION_REWRITTEN,
                                f"已有的更正说明（corrections）被修改或删除：更正说明只能追加，不能改动"
                                f"（{self.rules.principle('corrections-public')}，对所有人适用）；请恢复原来的条目，"
                                f"在最后追加新的一条", ("corrections",))]
        words = Describer(None, self.target.unit_names)
        notes = published_facts.between(kind, before, after, self.today.isoformat(), words, self.target.published)
        if not notes:
            return []
        reasons = "；".join(str(c.get("reason", "")).strip() for c in added)
        out = []
        for note in notes:
            side = "before" if note.after == "（已删除）" else "after"
            path = published_facts.file_path(after if side == "after" else before, note.path)
            if reasons:
                out.append(self._issue(change, E.CHANGE_CORRECTION, f"更正已公开的内容：{note.text}；更正原因：{reasons}",
                                       path, side, severity="warning"))
            else:
                out.append(self._issue(
                    change, E.CHANGE_CORRECTION_REASON,
                    f"这是对已公开内容的更正：{note.text}。更正须在本记录的 corrections 末尾追加一条"
                    f"（date: 更正日期，reason: 更正原因），原因会和更正前后的内容一起公开"
                    f"（{self.rules.principle('corrections-public')}）；有权修改这项内容的人写明原因后即可提交", path, side))
        return out


def actor_issue(handle: str | None, staff_file: str) -> Issue:
    """The one issue when the actor is not on the staff list."""
    return Issue(staff_file, None, None, E.CHANGE_UNKNOWN_ACTOR,
                 f"平台账号 {handle} 不在工作人员名单 {staff_file} 中，不能通过合并请求修改记录；请联系管理员登记")


def no_roster_issue(staff_file: str, problems: list[Issue]) -> Issue:
    """The one issue when the base branch has no usable staff list: refuse everything."""
    why = "不存在" if not problems else f"有错误（{problems[0].code}：{problems[0].message}）"
    return Issue(staff_file, problems[0].line if problems else None, None, E.CHANGE_NO_STAFF,
                 f"目标分支上的工作人员名单 {staff_file} {why}，无法判断谁可以修改什么，全部修改均不予通过")


def no_rules_issue(rules_file: str, problems: list[Issue]) -> Issue:
    """The one issue when the base branch has no usable duties file: refuse everything."""
    why = "不存在" if not problems else f"有错误（{problems[0].code}：{problems[0].message}）"
    return Issue(rules_file, problems[0].line if problems else None, None, E.CHANGE_NO_RULES,
                 f"目标分支上的办理职责规则 {rules_file} {why}，无法判断谁可以登记什么，全部修改均不予通过；请管理员先提交该文件")


@dataclass
class ChangeCheck:
    """The verdict on a change, and who it was judged for."""

    report: Report
    actor: Member | None
    files: int
    rules: Rules | None = None


def check_change(project_dir: Path, base: str, head: str, actor_handle: str | None = None,
                 today: date | None = None) -> ChangeCheck:
    """Judge the change head makes relative to base; raises gitrefs.RefError when refs or actor are unclear."""
    project = Path(project_dir).resolve()
    repo = open_repo(project)
    rel = project.relative_to(repo_root(repo)).as_posix()
    project_prefix = "" if rel == "." else rel + "/"
    records_prefix = project_prefix + "records/"
    staff_file, rules_file = records_prefix + STAFF_FILE, records_prefix + RULES_FILE
    changes = changed_files(repo, base, head)
    report = Report(files_checked=len(changes))
    if not changes:
        return ChangeCheck(report, None, 0)
    raw = read_at(repo, base, staff_file)
    roster, problems = parse_roster(raw, staff_file) if raw is not None else (None, [])
    if roster is None:
        report.add([no_roster_issue(staff_file, problems)])
        return ChangeCheck(report, None, len(changes))
    raw = read_at(repo, base, rules_file)
    rules, problems = parse_rules(raw, rules_file) if raw is not None else (None, [])
    if rules is None:
        report.add([no_rules_issue(rules_file, problems)])
        return ChangeCheck(report, None, len(changes))
    actor = _actor(repo, roster, base, head, actor_handle)
    if actor is None:
        report.add([actor_issue(actor_handle, staff_file)])
        return ChangeCheck(report, None, len(changes), rules)
    target = _target(resolve(repo, base), records_prefix, roster, rules)
    checker = Checker(target, actor, records_prefix, project_prefix, today or date.today())
    return ChangeCheck(checker.check(changes), actor, len(changes), rules)


def _actor(repo: Any, roster: Roster, base: str, head: str, handle: str | None) -> Member | None:
    """The staff member named by handle, or the one the change's Git author names point to."""
    if handle:
        return roster.find(handle)
    authors = commit_authors(repo, base, head)
    found = {m.handle: m for name in authors for m in roster.by_git_name(name)}
    unmatched = [a for a in authors if not roster.by_git_name(a)]
    if len(found) != 1 or unmatched:
        who = "、".join(sorted(authors)) or "（无提交）"
        raise RefError(f"无法从提交作者（{who}）确定是哪位工作人员，请用 --actor 指定平台账号")
    return next(iter(found.values()))


def _target(commit: Any, records_prefix: str, roster: Roster, rules: Rules) -> Target:
    """Unit names, batch sizes and published bulletins on the target branch."""
    target = Target(roster, rules)
    for blob in _blobs(commit, records_prefix + "units"):
        data = parse_yaml(blob.data_stream.read(), blob.path).data
        if isinstance(data, dict) and isinstance(data.get("id"), str) and isinstance(data.get("name"), str):
            target.unit_names[data["id"]] = data["name"]
    for blob in _blobs(commit, records_prefix + "batches"):
        data = parse_yaml(blob.data_stream.read(), blob.path).data
        if isinstance(data, dict) and isinstance(data.get("id"), str) and isinstance(data.get("count"), int):
            target.batch_counts[data["id"]] = data["count"]
    for blob in _blobs(commit, records_prefix + "bulletins"):
        stem = PurePosixPath(blob.path).stem
        if len(stem) == 7:  # an original YYYY-MM, not a correction YYYY-MM-rN
            data = parse_yaml(blob.data_stream.read(), blob.path).data
            issued = data.get("issued") if isinstance(data, dict) else None
            target.published[stem] = issued if isinstance(issued, str) else ""
    return target


def _blobs(commit: Any, folder: str) -> list:
    try:
        return list((commit.tree / folder).blobs)
    except (KeyError, TypeError):
        return []
