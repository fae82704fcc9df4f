"""`huiyin event CASE-ID TYPE`: append one dated event to a case, keeping the file's comments and layout."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..lifecycle import CASE_STATUS_LABELS, case_state
from ..obligations import time_limits
from ..schema_check import load_schema
from ..schema_labels import event_type_labels, label_of
from ..workdays import MissingYear
from .common import StaffError
from .edit import LAYOUT_NOTE, checked_edit
from .proposal import Proposal
from .rtyaml import block_text
from .scaffold import Written

CASE_ID = re.compile(r"^([A-Za-z]{1,6})(\d{4})(\d{2})(\d{2})-([0-9A-Za-z]{5})$")
_TEXT_FIELDS = ("text", "reason", "comment", "topic", "note")  # free text: may span lines


@lru_cache(maxsize=1)
def event_fields() -> dict[str, tuple[tuple[str, ...], frozenset[str]]]:
    """Per event type, from schemas/case.schema.json: (its own fields in schema order, the required ones)."""
    out = {}
    for clause in load_schema("case.schema.json")["$defs"]["event"]["allOf"]:
        etype = clause["if"]["properties"]["type"]["const"]
        then = clause["then"]
        names = tuple(k for k in then.get("properties", {}) if k not in ("date", "type", "note"))
        out[etype] = (names, frozenset(then.get("required", ())))
    return out


def appendable_types() -> list[str]:
    """Event types a clerk may append (received is written by `huiyin new case`)."""
    order = load_schema("case.schema.json")["$defs"]["event"]["properties"]["type"]["enum"]
    return [t for t in order if t in event_fields() and t != "received"]


def find_case_file(records_dir: Path, case_id: str) -> Path:
    """The file of a case: records/cases/YYYY/MM/<id>.yaml, or wherever a file of that name is."""
    m = CASE_ID.match(case_id)
    if not m:
        raise StaffError(f"诉求编号 {case_id!r} 格式不对，应如 QH20260302-7KQ2M")
    cid = case_id.upper()
    path = records_dir / "cases" / m.group(2) / m.group(3) / f"{cid}.yaml"
    if path.is_file():
        return path
    found = sorted((records_dir / "cases").rglob(f"{cid}.yaml"))
    if found:
        return found[0]
    raise StaffError(f"找不到诉求 {cid}（应在 {records_dir.name}/cases/{m.group(2)}/{m.group(3)}/{cid}.yaml）")


def build_event(etype: str, day: date, fields: dict[str, Any], note: str | None) -> CommentedMap:
    """The new event as a mapping: date, type, the type's fields in schema order, note, then the text."""
    labels = event_type_labels()
    if etype not in event_fields() or etype == "received":
        raise StaffError(f"不能追加 {label_of(labels, etype)} 事件；可选：{'、'.join(label_of(labels, t) for t in appendable_types())}")
    names, required = event_fields()[etype]
    what = label_of(labels, etype)
    given = {k: v for k, v in fields.items() if v not in (None, "", ())}
    extra = sorted(set(given) - set(names))
    if extra:
        flags = "、".join("--" + k.replace("_", "-") for k in extra)
        raise StaffError(f"{what}事件不使用 {flags}；它的字段是：{'、'.join(names) or '（只有日期和备注）'}")
    missing = sorted(required - set(given))
    if missing:
        flags = "、".join("--" + k.replace("_", "-") for k in missing)
        raise StaffError(f"{what}事件必须提供 {flags}")
    event = CommentedMap()
    event["date"] = day
    event["type"] = etype
    for name in names:
        if name in given and name != "text":
            event[name] = block_text(given[name]) if name in _TEXT_FIELDS else given[name]
    if note:
        event["note"] = block_text(note)
    if "text" in given:  # the reply, often a long block, goes last
        event["text"] = block_text(given["text"])
    return event


def add_event(records_dir: Path, case_id: str, etype: str, fields: dict[str, Any], *, day: date, as_of: date,
              note: str | None = None, correction: str | None = None, cache_dir: Path | None = None,
              dry_run: bool = False) -> Written:
    """Append the event; refuse (writing nothing) if the case would break the lifecycle rules or any check.

    An event dated into a month whose bulletin is out is a late entry (补录): a correction, which needs its
    reason (`correction`), appended to the record's corrections."""
    month = day.strftime("%Y-%m")
    if (records_dir / "bulletins" / f"{month}.yaml").is_file() and not (correction or "").strip():
        raise StaffError(f"{month[:4]}年{int(month[5:])}月的月度通报已经发布：登记日期在该月的事件是补录，会改变已公布的情况，"
                         f"属于更正；请用 --correction \"补录原因\" 写明原因（公开显示，见网站“更正与变更”页）")
    path = find_case_file(records_dir, case_id)
    display = f"{records_dir.name}/{path.relative_to(records_dir).as_posix()}"
    event = build_event(etype, day, fields, note)
    what = label_of(event_type_labels(), etype)

    def append(data: Any) -> None:
        events = data.get("events")
        if not isinstance(events, CommentedSeq):
            raise StaffError(f"{display} 中没有事件列表（events），请先修正")
        events.append(event)
        if (correction or "").strip():
            add_correction(data, as_of, correction.strip())

    edited = checked_edit(records_dir, path, append, refusal=f"不能在 {case_id.upper()} 上登记{what}事件", as_of=as_of,
                          cache_dir=cache_dir, dry_run=dry_run)
    summary = f"已在 {display} 登记{what}事件（{day}）" + _status_change(edited.verdict, case_id.upper(), as_of)
    return Written(path, case_id.upper(), edited.text, summary + ("" if edited.exact else LAYOUT_NOTE))


def add_correction(data: CommentedMap, day: date, reason: str) -> None:
    """Append a correction note (date, reason) to a record, creating the list before `events` when absent."""
    entry = CommentedMap()
    entry["date"] = day
    entry["reason"] = block_text(reason)
    notes = data.get("corrections")
    if isinstance(notes, CommentedSeq):
        notes.append(entry)
        return
    seq = CommentedSeq([entry])
    keys = list(data)
    data.insert(keys.index("events") if "events" in keys else len(keys), "corrections", seq)


def _status_change(verdict: Proposal, case_id: str, as_of: date) -> str:
    """"；状态：办理中 → 已答复" from the records as they will be."""
    records, calendar = verdict.records, verdict.calendar
    case = records.cases.get(case_id) if records else None
    if case is None or calendar is None or case.type not in records.settings.case_types:
        return ""
    limits = time_limits(records.settings, case)
    try:
        before = case_state(replace(case, events=case.events[:-1]), limits, calendar, as_of)
        after = case_state(case, limits, calendar, as_of)
    except MissingYear:
        return ""
    return f"；状态：{CASE_STATUS_LABELS[before.status]} → {CASE_STATUS_LABELS[after.status]}"
