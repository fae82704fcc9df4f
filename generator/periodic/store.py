"""Freeze a weekly or annual report as a record (records/periodic/<id>.yaml) and check it later against its commit.

The monthly bulletin's machinery does the work: load_committed ties the records to a commit, write_once never
replaces a file, and verify's _verify_one recomputes a document from its recorded commit — here with this
report's own computation and figures (the recompute and keys hooks).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..bulletin.snapshot import BulletinError, Loaded, check_frozen, frozen_yaml, write_once
from ..bulletin.gitsource import SourceError, open_source
from ..bulletin.verify import _verify_one
from ..errors import E
from ..issues import Issue
from ..load import check_file
from ..workdays import MissingYear
from ..yamlsafe import parse_yaml
from .document import FIGURE_KEYS, KIND_LABELS, make_document, parse_id

log = logging.getLogger(__name__)
FOLDER = "periodic"


def display_path(records_dir: Path, pid: str) -> str:
    return f"{records_dir.resolve().name}/{FOLDER}/{pid}.yaml"


def _error(file: str, code: str, message: str, field: str = "") -> BulletinError:
    return BulletinError([Issue(file, None, None, code, message, field)])


def render(doc: dict) -> bytes:
    """The snapshot file: schema header, a warning comment, then the YAML (deterministic for equal input)."""
    return frozen_yaml("periodic", f"{FOLDER}/{doc['id']}.yaml", doc,
                       f"# {KIND_LABELS[doc['kind']]}快照：由 huiyin periodic 生成，发布后不得修改。\n")


def _checked(raw: bytes, doc: dict, records_dir: Path) -> None:
    check_frozen(raw, doc, f"{FOLDER}/{doc['id']}.yaml", records_dir.name, E.PERIODIC_INTERNAL,
                 "报告读回后与计算结果不一致")


def generate(loaded: Loaded, pid: str, *, today: date) -> Path:
    """Write the report of an ended week or year; refuse if it exists or the period has not ended."""
    where = display_path(loaded.records_dir, pid)
    try:
        kind, period = parse_id(pid)
    except ValueError as exc:
        raise _error(where, E.PERIODIC_ID, str(exc)) from None
    if period.end >= today:
        raise _error(where, E.PERIODIC_OPEN, f"{period.label}尚未结束（今天是 {today.isoformat()}）：{period.end.isoformat()} 之后才能生成")
    path = loaded.records_dir / FOLDER / f"{pid}.yaml"
    if path.exists():
        raise _error(where, E.PERIODIC_EXISTS, f"{period.label}的{KIND_LABELS[kind]}已存在，发布后不能覆盖")
    try:
        doc = make_document(loaded.records, loaded.calendar, pid, commit=loaded.source.commit, issued=today,
                            dirty=bool(loaded.source.dirty))
    except MissingYear as exc:
        raise _error("records/calendar/", E.DEADLINE_MISSING_YEAR, str(exc)) from None
    raw = render(doc)
    _checked(raw, doc, loaded.records_dir)
    try:
        write_once(path, raw)
    except FileExistsError:
        raise _error(where, E.PERIODIC_EXISTS, f"{period.label}的{KIND_LABELS[kind]}已存在，发布后不能覆盖") from None
    log.info("wrote %s", path)
    return path


def _recompute(doc: dict, records, calendar) -> dict:
    return make_document(records, calendar, doc["id"], commit=doc["source_commit"], issued=date.fromisoformat(doc["issued"]))


@dataclass
class Checked:
    id: str
    file: str
    commit: str
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)


def verify(records_dir: Path, pid: str, *, cache_dir: Path | None = None) -> Checked:
    """Recompute a stored report from the commit it names and report every differing figure."""
    records_dir = records_dir.resolve()
    file = display_path(records_dir, pid)
    path = records_dir / FOLDER / f"{pid}.yaml"
    if not path.is_file():
        raise _error(file, E.PERIODIC_MISSING, f"还没有 {pid} 的报告")
    raw = path.read_bytes()
    checked = check_file(raw, f"{FOLDER}/{pid}.yaml", file)
    doc = checked.data or {}
    result = Checked(pid, file, str(doc.get("source_commit", "")))
    if not checked.valid:
        result.issues = [i for i in checked.issues if i.severity == "error"]
        return result
    try:
        source = open_source(records_dir)
    except SourceError as exc:
        raise BulletinError(exc.issues) from None
    positions = parse_yaml(raw, file).positions
    result.issues = _verify_one(doc, source, file, positions, cache_dir, recompute=_recompute, keys=FIGURE_KEYS)
    return result
