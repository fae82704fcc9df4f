"""`huiyin matter …`: report a practical matter's progress, milestones, extensions, completion and survey in place.

Each command adds to the record (a progress report, an approved extension) or fills a field that was empty
(a milestone's done date, the completion date, the survey); what was already recorded is never overwritten
here: changing it is a correction, made by hand in a pull request that says why. Every change is checked with
all the rules of `huiyin validate` before anything is written, and the file keeps its comments and layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..schema_check import load_schema
from .common import StaffError
from .edit import LAYOUT_NOTE, checked_edit
from .rtyaml import block_text
from .scaffold import Written

MATTER_ID = re.compile(r"^(SS\d{4}-\d{1,2})-(\d{3})$")
CORRECTION = "如确需更正已登记的内容，请在合并请求中直接修改记录并写明更正理由"


@dataclass(frozen=True)
class Evidence:
    """A public link that shows the work (photo, acceptance document)."""

    title: str
    url: str


def find_matter_file(records_dir: Path, matter_id: str) -> Path:
    """records/matters/<batch>/<id>.yaml."""
    m = MATTER_ID.match(matter_id.strip().upper())
    if not m:
        raise StaffError(f"实事编号 {matter_id!r} 格式不对，应如 SS2026-1-017")
    path = records_dir / "matters" / m.group(1) / f"{m.group(0)}.yaml"
    if not path.is_file():
        raise StaffError(f"找不到实事 {m.group(0)}（应在 {records_dir.name}/matters/{m.group(1)}/{m.group(0)}.yaml）")
    return path


def _order() -> list[str]:
    """Top-level field order of a matter, from the schema: new fields go where the house layout puts them."""
    return list(load_schema("matter.schema.json")["properties"])


def _put(data: CommentedMap, key: str, value: Any) -> None:
    """Set a top-level field, inserting a new one at its place in schema order."""
    if key in data:
        data[key] = value
        return
    order = _order()
    later = {k for k in order[order.index(key) + 1:]}
    position = next((i for i, k in enumerate(data) if k in later), len(data))
    data.insert(position, key, value)


def _list(data: CommentedMap, key: str) -> CommentedSeq:
    if not isinstance(data.get(key), list):
        _put(data, key, CommentedSeq())
    return data[key]


def _entry(**fields: Any) -> CommentedMap:
    out = CommentedMap()
    for k, v in fields.items():
        if v not in (None, ""):
            out[k] = block_text(v) if isinstance(v, str) and k in ("text", "reason") else v
    return out


def _refuse_if_completed(data: dict, what: str) -> None:
    if data.get("completed"):
        raise StaffError(f"该实事已于 {data['completed']} 登记完成，不能再{what}；{CORRECTION}")


def _edit(records_dir: Path, matter_id: str, change, *, what: str, as_of: date, cache_dir: Path | None,
          dry_run: bool, summary: str) -> Written:
    path = find_matter_file(records_dir, matter_id)
    mid = path.stem
    edited = checked_edit(records_dir, path, change, refusal=f"不能在实事 {mid} 上{what}", as_of=as_of,
                          cache_dir=cache_dir, dry_run=dry_run)
    display = f"{records_dir.name}/{path.relative_to(records_dir).as_posix()}"
    return Written(path, mid, edited.text, f"已在 {display} {summary}" + ("" if edited.exact else LAYOUT_NOTE))


def add_progress(records_dir: Path, matter_id: str, *, day: date, text: str, percent: int | None,
                 evidence: Evidence | None = None, as_of: date, cache_dir: Path | None = None,
                 dry_run: bool = False) -> Written:
    """Append a progress report (进展情况), with an optional link to evidence of the same date."""
    def change(data: CommentedMap) -> None:
        _refuse_if_completed(data, "登记进展")
        updates = _list(data, "updates")
        earlier = [u.get("percent") for u in updates if isinstance(u, dict) and isinstance(u.get("percent"), int)]
        if percent is not None and earlier and percent < earlier[-1]:
            raise StaffError(f"完成进度 {percent}% 低于上次报告的 {earlier[-1]}%：进度只能增加；{CORRECTION}")
        updates.append(_entry(date=day, text=text, percent=percent))
        if evidence:
            _list(data, "evidence").append(_entry(title=evidence.title, url=evidence.url, date=day))

    shown = f"（{percent}%）" if percent is not None else ""
    return _edit(records_dir, matter_id, change, what="登记进展", as_of=as_of, cache_dir=cache_dir, dry_run=dry_run,
                 summary=f"登记进展{shown}（{day}）" + ("，附佐证材料" if evidence else ""))


def reach_milestone(records_dir: Path, matter_id: str, milestone: str, *, day: date, as_of: date,
                    cache_dir: Path | None = None, dry_run: bool = False) -> Written:
    """Record the date a planned milestone (节点) was reached; the milestone is named by its title or number (1, 2 …)."""
    def change(data: CommentedMap) -> None:
        stones = [s for s in data.get("milestones") or [] if isinstance(s, dict)]
        if not stones:
            raise StaffError("该实事没有节点计划（milestones），无节点可登记")
        listing = "、".join(f"{i} {s.get('title')}" for i, s in enumerate(stones, 1))
        chosen = next((s for s in stones if s.get("title") == milestone.strip()), None)
        if chosen is None and milestone.strip().isdigit() and 1 <= int(milestone) <= len(stones):
            chosen = stones[int(milestone) - 1]
        if chosen is None:
            raise StaffError(f"没有名为“{milestone}”的节点；可选：{listing}")
        if chosen.get("done"):
            raise StaffError(f"节点“{chosen.get('title')}”已于 {chosen['done']} 登记完成；{CORRECTION}")
        chosen["done"] = day

    return _edit(records_dir, matter_id, change, what="登记节点", as_of=as_of, cache_dir=cache_dir, dry_run=dry_run,
                 summary=f"登记节点“{milestone}”完成（{day}）")


def extend(records_dir: Path, matter_id: str, *, approved: date, new_deadline: date, reason: str, approved_by: str,
           document_no: str, as_of: date, cache_dir: Path | None = None, dry_run: bool = False) -> Written:
    """Append an approved extension (延期): the approval date and document, the new deadline and the reason, all public."""
    def change(data: CommentedMap) -> None:
        _refuse_if_completed(data, "延期")
        _list(data, "extensions").append(_entry(date=approved, new_deadline=new_deadline, reason=reason,
                                                approved_by=approved_by, document_no=document_no))

    return _edit(records_dir, matter_id, change, what="登记延期", as_of=as_of, cache_dir=cache_dir, dry_run=dry_run,
                 summary=f"登记延期：{approved} 批准，新时限 {new_deadline}")


def complete(records_dir: Path, matter_id: str, *, day: date, evidence: Evidence | None = None, as_of: date,
             cache_dir: Path | None = None, dry_run: bool = False) -> Written:
    """Record the completion date (and optionally the acceptance evidence)."""
    def change(data: CommentedMap) -> None:
        _refuse_if_completed(data, "登记完成")
        _put(data, "completed", day)
        if evidence:
            _list(data, "evidence").append(_entry(title=evidence.title, url=evidence.url, date=day))

    return _edit(records_dir, matter_id, change, what="登记完成", as_of=as_of, cache_dir=cache_dir, dry_run=dry_run,
                 summary=f"登记完成（{day}）")


def record_survey(records_dir: Path, matter_id: str, *, satisfied: int, basically_satisfied: int, unsatisfied: int,
                  as_of: date, cache_dir: Path | None = None, dry_run: bool = False) -> Written:
    """Record the satisfaction survey after completion: how many people answered each way."""
    def change(data: CommentedMap) -> None:
        if data.get("survey"):
            raise StaffError(f"该实事已登记满意度调查；{CORRECTION}")
        survey = CommentedMap()
        survey.update(satisfied=satisfied, basically_satisfied=basically_satisfied, unsatisfied=unsatisfied)
        _put(data, "survey", survey)

    total = satisfied + basically_satisfied + unsatisfied
    return _edit(records_dir, matter_id, change, what="登记满意度调查", as_of=as_of, cache_dir=cache_dir, dry_run=dry_run,
                 summary=f"登记满意度调查：{total} 人，满意 {satisfied}、基本满意 {basically_satisfied}、不满意 {unsatisfied}")
