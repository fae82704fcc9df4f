"""Frozen bulletin snapshots in records/bulletins/: compute, write once (never overwrite), revise, catch up.

A snapshot holds the figures, the as-of day, the commit the records were committed in and the summary.
The original file is never touched again: a correction is a sibling file <month>-r<n>.yaml.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path

import yaml

from ..errors import E
from .. import pii
from ..issues import Issue
from ..kinds import KIND_BY_NAME, schema_header
from ..load import check_file
from ..model import Records
from ..validate import validate
from ..workdays import MissingYear, WorkCalendar
from ..yamlsafe import parse_yaml
from .figures import compute_figures, month_bounds, month_of, next_month
from .gitsource import BULLETIN_FOLDER, Source, SourceError, open_source
from .summary import write_summary

log = logging.getLogger(__name__)

# What verify compares: everything computed from the records (not when or by which version it was made).
FIGURE_KEYS = ("title", "publisher", "as_of", "definitions", "summary", "totals", "unassigned", "units", "categories", "channels",
               "overdue_cases", "overdue_restricted", "matters")
MIN_REASON = 4


class BulletinError(Exception):
    """A bulletin cannot be made or checked; carries Issues with stable codes (Chinese messages)."""

    def __init__(self, issues: list[Issue]):
        super().__init__("; ".join(i.message for i in issues))
        self.issues = issues


def _error(file: str, code: str, message: str, field: str = "") -> BulletinError:
    return BulletinError([Issue(file, None, None, code, message, field)])


def month_label(month: str) -> str:
    return f"{month[:4]}年{int(month[5:])}月"


def bulletin_id(month: str, revision: int) -> str:
    return month if revision == 0 else f"{month}-r{revision}"


def bulletin_path(records_dir: Path, bid: str) -> Path:
    return records_dir / BULLETIN_FOLDER / f"{bid}.yaml"


def display_path(records_dir: Path, bid: str) -> str:
    """The file as messages name it: relative to the project root."""
    return f"{records_dir.resolve().name}/{BULLETIN_FOLDER}/{bid}.yaml"


def generator_version() -> str:
    try:
        return metadata.version("huiyin")
    except metadata.PackageNotFoundError:
        return "unknown"


def month_ended(month: str, today: date) -> bool:
    return month_bounds(month)[1] < today


@dataclass
class Loaded:
    """Validated records tied to a commit: what a bulletin is computed from."""

    records_dir: Path
    records: Records
    calendar: WorkCalendar
    source: Source


def load_committed(records_dir: Path, *, today: date, allow_dirty: bool = False, cache_dir: Path | None = None) -> Loaded:
    """Validate the records and tie them to HEAD; refuse uncommitted changes unless allow_dirty."""
    records_dir = records_dir.resolve()
    try:
        source = open_source(records_dir)
    except SourceError as exc:
        raise BulletinError(exc.issues) from None
    if source.dirty and not allow_dirty:
        shown = "、".join(source.dirty[:5]) + (f" 等 {len(source.dirty)} 个文件" if len(source.dirty) > 5 else "")
        raise _error(f"{records_dir.name}/", E.BULLETIN_DIRTY,
                     f"记录有未提交的改动（{shown}）：通报须依据已提交的记录，请先提交或撤销这些改动")
    validated = validate(records_dir, as_of=today, cache_dir=cache_dir)
    if not validated.report.ok or validated.records is None:
        raise BulletinError([*validated.report.errors,
                             Issue(f"{records_dir.name}/", None, None, E.BULLETIN_INVALID_RECORDS,
                                   f"记录有 {len(validated.report.errors)} 个错误，不能生成通报；请先改正（huiyin validate）")])
    return Loaded(records_dir, validated.records, validated.calendar, source)


def make_document(records: Records, calendar: WorkCalendar, month: str, *, revision: int, commit: str,
                  issued: date, dirty: bool = False, reason: str | None = None) -> dict:
    """The snapshot of one month, in the order it is stored."""
    _, end = month_bounds(month)
    try:
        figures = compute_figures(records, calendar, month)
    except MissingYear as exc:
        raise _error("records/calendar/", E.DEADLINE_MISSING_YEAR, str(exc)) from None
    s = records.settings
    doc: dict = {"id": bulletin_id(month, revision), "month": month, "revision": revision}
    if revision:
        doc.update(revises=month, reason=reason)
    doc.update(title=f"{s.jurisdiction}{month_label(month)}群众诉求办理情况通报", publisher=s.publisher,
               as_of=end.isoformat(), issued=issued.isoformat(), source_commit=commit)
    if dirty:
        doc["source_dirty"] = True
    doc["generator"] = generator_version()
    doc["summary"] = write_summary(month, figures)
    doc.update(figures)
    return doc


def render(doc: dict, records_dir_name: str = "records") -> bytes:
    """The snapshot file: schema header, a warning comment, then the YAML (deterministic for equal input)."""
    return frozen_yaml("bulletin", f"{BULLETIN_FOLDER}/{doc['id']}.yaml", doc,
                       "# 月度通报快照：由 huiyin bulletin 生成，发布后不得修改。"
                       "更正请运行 huiyin bulletin --revise --reason \"更正原因\"，原通报保留不变。\n")


def frozen_yaml(kind: str, relpath: str, doc: dict, note: str) -> bytes:
    """A frozen record's file (a bulletin, a weekly or annual report): its kind's schema header, a comment saying
    it must not be edited, then the YAML (deterministic for equal input)."""
    header = schema_header(KIND_BY_NAME[kind], relpath)
    body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100000)
    return (header + "\n" + note + body).encode("utf-8")


def check_frozen(raw: bytes, doc: dict, relpath: str, records_dir_name: str, code: str, message: str) -> None:
    """The frozen file about to be written passes the validator's per-file checks and reads back as doc; else a
    BulletinError (code, message when the only fault is that it reads back differently)."""
    checked = check_file(raw, relpath, f"{records_dir_name}/{relpath}")
    errors = [i for i in checked.issues if i.severity == "error"]
    if errors or checked.data != doc:
        raise BulletinError(errors or [Issue(checked.file, None, None, code, message)])


def _self_check(raw: bytes, doc: dict, records_dir_name: str) -> None:
    check_frozen(raw, doc, f"{BULLETIN_FOLDER}/{doc['id']}.yaml", records_dir_name, E.BULLETIN_INTERNAL,
                 "通报读回后与计算结果不一致")


def write_once(path: Path, raw: bytes) -> None:
    """Create path with raw; never replace an existing file (a hard link fails if the name is taken)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".bulletin-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, path)
    finally:
        os.unlink(tmp)


def read_versions(records_dir: Path, month: str) -> list[dict]:
    """Every stored version of a month (original first), as stored."""
    out = []
    folder = records_dir / BULLETIN_FOLDER
    revision = 0
    while (path := folder / f"{bulletin_id(month, revision)}.yaml").is_file():
        parsed = parse_yaml(path.read_bytes(), display_path(records_dir, bulletin_id(month, revision)))
        if parsed.data is None:
            raise BulletinError(parsed.issues)
        out.append(parsed.data)
        revision += 1
    return out


def _check_month(records_dir: Path, month: str, today: date) -> None:
    try:
        _, end = month_bounds(month)
    except ValueError as exc:
        raise _error(display_path(records_dir, "?"), E.BULLETIN_MONTH, str(exc)) from None
    if not month_ended(month, today):
        raise _error(display_path(records_dir, month), E.BULLETIN_MONTH_OPEN,
                     f"{month_label(month)}尚未结束（今天是 {today.isoformat()}）：月末 {end.isoformat()} 之后才能通报")


def _store(loaded: Loaded, doc: dict) -> Path:
    raw = render(doc)
    _self_check(raw, doc, loaded.records_dir.name)
    path = bulletin_path(loaded.records_dir, doc["id"])
    try:
        write_once(path, raw)
    except FileExistsError:
        raise _error(display_path(loaded.records_dir, doc["id"]), E.BULLETIN_EXISTS,
                     f"通报 {doc['id']} 已存在，不能覆盖；如需更正请用 --revise --reason") from None
    log.info("wrote %s", path)
    return path


def generate(loaded: Loaded, month: str, *, today: date) -> Path:
    """Write the original bulletin of an ended month; refuse if one exists."""
    _check_month(loaded.records_dir, month, today)
    if bulletin_path(loaded.records_dir, month).exists():
        raise _error(display_path(loaded.records_dir, month), E.BULLETIN_EXISTS,
                     f"{month_label(month)}的通报已存在，不能覆盖；如需更正请用 huiyin bulletin {month} --revise --reason \"原因\"")
    doc = make_document(loaded.records, loaded.calendar, month, revision=0, commit=loaded.source.commit,
                        issued=today, dirty=bool(loaded.source.dirty))
    return _store(loaded, doc)


def missing_months(loaded: Loaded, *, today: date, since: str | None = None) -> list[str]:
    """Ended months from the first case (or since) that have no original bulletin yet."""
    if since is None:
        if not loaded.records.cases:
            return []
        since = month_of(min(c.received for c in loaded.records.cases.values()))
    else:
        _check_month(loaded.records_dir, since, date.max)
    out, month = [], since
    while month_ended(month, today):
        if not bulletin_path(loaded.records_dir, month).exists():
            out.append(month)
        month = next_month(month)
    return out


def catch_up(loaded: Loaded, *, today: date, since: str | None = None) -> list[Path]:
    """Write every missing bulletin of an ended month; running it again writes nothing."""
    return [generate(loaded, month, today=today) for month in missing_months(loaded, today=today, since=since)]


def revise(loaded: Loaded, month: str, reason: str, *, today: date) -> Path:
    """Write the next correction of a published month from the current records, keeping every earlier version."""
    _check_month(loaded.records_dir, month, today)
    where = display_path(loaded.records_dir, month)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise _error(where, E.BULLETIN_REASON, f"请用 --reason 写明更正原因（至少 {MIN_REASON} 个字），它会和更正后的通报一起公开", "reason")
    found = pii.find_pii(reason)
    if found:
        masked = "、".join(f"{f.label} {f.masked}" for f in found)
        raise _error(where, E.PII_REASON, f"更正原因中有个人信息（{masked}），公开文件中不得出现，请删去", "reason")
    versions = read_versions(loaded.records_dir, month)
    if not versions:
        raise _error(where, E.BULLETIN_MISSING, f"{month_label(month)}还没有通报，不能更正；请先运行 huiyin bulletin {month}")
    doc = make_document(loaded.records, loaded.calendar, month, revision=len(versions), commit=loaded.source.commit,
                        issued=today, dirty=bool(loaded.source.dirty), reason=reason)
    latest = versions[-1]
    if all(latest.get(k) == doc[k] for k in FIGURE_KEYS):
        raise _error(display_path(loaded.records_dir, latest["id"]), E.BULLETIN_UNCHANGED,
                     f"按现在的记录重新计算，结果与现行通报 {latest['id']} 完全相同，无需更正")
    return _store(loaded, doc)
