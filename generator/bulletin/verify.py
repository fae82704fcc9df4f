"""Check a published bulletin: recompute it from the commit it names and report every differing field.

Also says, for information, what the current records would give (a late edit after publication shows up
there, never in the published file).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator

from ..errors import E
from ..issues import Issue
from ..measures import DEFINITIONS_VERSION
from ..load import check_file
from ..validate import validate
from ..yamlsafe import locate, parse_yaml
from .figures import month_bounds
from .gitsource import BULLETIN_FOLDER, SourceError, export_records, open_source
from .snapshot import (FIGURE_KEYS, BulletinError, Loaded, display_path, make_document, month_label, read_versions)

_LIST_KEYS = ("id", "unit", "category", "channel", "batch")
_MISSING = object()


@dataclass(frozen=True)
class Difference:
    path: tuple  # into the stored document (list indexes of the stored list), for the line number
    shown: str  # as a clerk reads it: units[county-transport].received
    recorded: Any
    recomputed: Any


def _list_key(items: list) -> str | None:
    for key in _LIST_KEYS:
        if items and all(isinstance(i, dict) and key in i for i in items):
            return key
    return None


def diff(recorded: Any, recomputed: Any, path: tuple = (), shown: str = "") -> Iterator[Difference]:
    """Every leaf where two documents differ; list items are matched by their id-like key when they have one."""
    if isinstance(recorded, dict) and isinstance(recomputed, dict):
        for k in [*recorded, *(k for k in recomputed if k not in recorded)]:
            yield from diff(recorded.get(k, _MISSING), recomputed.get(k, _MISSING), path + (k,),
                            f"{shown}.{k}" if shown else str(k))
    elif isinstance(recorded, list) and isinstance(recomputed, list):
        key = _list_key(recorded + recomputed)
        if key is None:
            for i in range(max(len(recorded), len(recomputed))):
                yield from diff(recorded[i] if i < len(recorded) else _MISSING,
                                recomputed[i] if i < len(recomputed) else _MISSING, path + (i,), f"{shown}[{i}]")
            return
        old = {item[key]: (i, item) for i, item in enumerate(recorded)}
        new = {item[key]: item for item in recomputed}
        for k in [*old, *(k for k in new if k not in old)]:
            i, item = old.get(k, (None, _MISSING))
            yield from diff(item, new.get(k, _MISSING), path + ((i,) if i is not None else ()), f"{shown}[{k}]")
    elif recorded != recomputed or type(recorded) is bool and type(recomputed) is not bool:
        yield Difference(path, shown, None if recorded is _MISSING else recorded,
                         None if recomputed is _MISSING else recomputed)


def _show(value: Any) -> str:
    if value is None:
        return "（无）"
    text = str(value) if not isinstance(value, (dict, list)) else f"{len(value)} 项"
    return text if len(text) <= 60 else text[:57] + "…"


@dataclass
class VersionCheck:
    """The verdict on one stored version."""

    id: str
    file: str
    commit: str
    issues: list[Issue] = field(default_factory=list)  # errors: the published figures do not reproduce
    later: list[Issue] = field(default_factory=list)  # warnings: the current records would give other figures

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)


def _figures_of(doc: dict, keys: tuple[str, ...] = FIGURE_KEYS) -> dict:
    return {k: doc.get(k) for k in keys}


def _as_issues(diffs: list[Difference], file: str, positions: dict, code: str, against: str, severity: str) -> list[Issue]:
    out = []
    for d in diffs:
        line, col = locate(positions, d.path)
        out.append(Issue(file, line, col, code, f"通报为 {_show(d.recorded)}，{against}为 {_show(d.recomputed)}",
                         d.shown, severity))
    return out


def _recompute(doc: dict, records, calendar) -> dict:
    return make_document(records, calendar, doc["month"], revision=doc["revision"], commit=doc["source_commit"],
                         issued=date.fromisoformat(doc["issued"]), reason=doc.get("reason"))


def verify_month(records_dir: Path, month: str, *, today: date, current: Loaded | None = None,
                 cache_dir: Path | None = None) -> list[VersionCheck]:
    """Recompute every stored version of a month from its recorded commit; compare field by field."""
    records_dir = records_dir.resolve()
    try:
        month_bounds(month)
    except ValueError as exc:
        raise BulletinError([Issue(display_path(records_dir, "?"), None, None, E.BULLETIN_MONTH, str(exc))]) from None
    versions = read_versions(records_dir, month)
    if not versions:
        raise BulletinError([Issue(display_path(records_dir, month), None, None, E.BULLETIN_MISSING,
                                   f"{month_label(month)}还没有通报")])
    try:
        source = open_source(records_dir)
    except SourceError as exc:
        raise BulletinError(exc.issues) from None
    checks = []
    for doc in versions:
        file = display_path(records_dir, doc["id"])
        checked = check_file(Path(records_dir.parent, file).read_bytes(), f"{BULLETIN_FOLDER}/{doc['id']}.yaml", file)
        check = VersionCheck(doc["id"], file, str(doc.get("source_commit", "")))
        checks.append(check)
        if not checked.valid:
            check.issues = [i for i in checked.issues if i.severity == "error"]
            continue
        positions = parse_yaml(Path(records_dir.parent, file).read_bytes(), file).positions
        check.issues.extend(_verify_one(doc, source, file, positions, cache_dir))
        if current is not None and doc is versions[-1] and older_definitions(doc) is None:
            now = _recompute({**doc, "source_commit": current.source.commit}, current.records, current.calendar)
            diffs = list(diff(_figures_of(doc), _figures_of(now)))
            check.later = _as_issues(diffs, file, positions, E.BULLETIN_OUTDATED,
                                     f"按现在的记录（提交 {current.source.commit[:12]}）计算", "error")
    return checks


def older_definitions(doc: dict) -> Issue | None:
    """A bulletin made under older definitions of the figures cannot be recomputed by today's code."""
    version = doc.get("definitions", 1)
    if version == DEFINITIONS_VERSION:
        return None
    return Issue("", None, None, E.BULLETIN_OLD_DEFINITIONS,
                 f"该通报按第 {version} 版统计口径生成，现行程序按第 {DEFINITIONS_VERSION} 版口径计算，不能逐项复算；"
                 "原通报保持不变", "definitions", "warning")


def _verify_one(doc: dict, source, file: str, positions: dict, cache_dir: Path | None, *,
                recompute: Callable[[dict, Any, Any], dict] | None = None, keys: tuple[str, ...] = FIGURE_KEYS) -> list[Issue]:
    """Recompute a frozen document from its recorded commit; recompute and keys let another frozen report (the
    weekly and annual ones, generator/periodic) use the same check with its own figures."""
    recompute = recompute or _recompute
    issues = []
    if (old := older_definitions(doc)) is not None:
        return [replace(old, file=file)]
    if doc.get("source_dirty"):
        issues.append(Issue(file, None, None, E.BULLETIN_DIRTY_SOURCE,
                            "该通报生成时记录有未提交的改动，按提交复算的结果可能不同", "source_dirty", "warning"))
    with tempfile.TemporaryDirectory(prefix="huiyin-verify-") as tmp:
        try:
            folder = export_records(source.repo_dir, doc["source_commit"], source.records_rel, Path(tmp))
        except SourceError as exc:
            return issues + [Issue(file, *locate(positions, ("source_commit",)), i.code, i.message, "source_commit")
                             for i in exc.issues]
        # the parse cache is keyed by file bytes, so files unchanged since that commit are not parsed again
        validated = validate(folder, as_of=date.fromisoformat(doc["issued"]), cache_dir=cache_dir)
        if not validated.report.ok or validated.records is None:
            return issues + [Issue(file, None, None, E.BULLETIN_VERIFY_INVALID,
                                   f"提交 {doc['source_commit'][:12]} 中的记录按现在的检查规则有 "
                                   f"{len(validated.report.errors)} 个错误，无法复算", "source_commit")]
        try:
            again = recompute(doc, validated.records, validated.calendar)
        except BulletinError as exc:
            return issues + exc.issues
    diffs = list(diff(_figures_of(doc, keys), _figures_of(again, keys)))
    issues += _as_issues(diffs, file, positions, E.BULLETIN_MISMATCH, f"按提交 {doc['source_commit'][:12]} 复算", "error")
    if doc.get("generator") != again["generator"] and diffs:
        issues.append(Issue(file, *locate(positions, ("generator",)), E.BULLETIN_GENERATOR_CHANGED,
                            f"通报由 huiyin {doc.get('generator')} 生成，现在是 {again['generator']}：差异可能来自计算规则的改动",
                            "generator", "warning"))
    return issues


def verify_changed(records_dir: Path, base: str, *, today: date, cache_dir: Path | None = None) -> list[VersionCheck]:
    """Every bulletin file the change since `base` adds or alters, as committed: dates checked, figures recomputed.

    What a pull request would merge is checked (the files at HEAD), so a revision edited by hand after it
    was generated fails here; a bulletin changed or deleted after publication is refused by check-change."""
    from ..rules import bulletin_dates
    from ..staff.gitrefs import RefError, changed_files, open_repo

    records_dir = records_dir.resolve()
    try:
        source = open_source(records_dir)
        repo = open_repo(records_dir)
        prefix = ("" if source.records_rel in ("", ".") else source.records_rel + "/") + BULLETIN_FOLDER + "/"
        changes = [c for c in changed_files(repo, base, "HEAD")
                   if c.path.startswith(prefix) and c.path.endswith(".yaml") and c.after.exists]
    except SourceError as exc:
        raise BulletinError(exc.issues) from None
    except RefError as exc:
        raise BulletinError([Issue(f"{records_dir.name}/{BULLETIN_FOLDER}/", None, None, E.BULLETIN_BASE, str(exc))]) from None
    checks = []
    for change in changes:
        file = f"{records_dir.name}/{change.path[len(prefix) - len(BULLETIN_FOLDER) - 1:]}"
        raw = change.after.data or b""
        checked = check_file(raw, change.path[len(prefix) - len(BULLETIN_FOLDER) - 1:], file)
        doc = checked.data if isinstance(checked.data, dict) else {}
        check = VersionCheck(str(doc.get("id", file)), file, str(doc.get("source_commit", "")))
        checks.append(check)
        if not checked.valid:
            check.issues = [i for i in checked.issues if i.severity == "error"] or [
                Issue(file, None, None, E.BULLETIN_INVALID, "通报文件不符合格式，无法复算")]
            continue
        positions = parse_yaml(raw, file).positions
        for finding in bulletin_dates(file, doc, today):
            check.issues.append(Issue(file, *locate(positions, finding.path), finding.code, finding.message,
                                      ".".join(map(str, finding.path))))
        check.issues.extend(_verify_one(doc, source, file, positions, cache_dir))
    return checks
