"""What a change does to one record, as acts the duties file names: 新增答复事件, 修改办理时限, 删除回访评价 …

A case's events are matched between the two versions by content (an unchanged event stays unchanged when
another is inserted before it); of the events that differ, those of the same type are paired in order as
edits, the rest are additions or removals. Plain fields map to the act that covers them.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

# Every act, with the words a message uses for it. rules.yaml puts each into exactly one duty.
ACTS: dict[str, str] = {
    "case.create": "诉求",
    "case.intake": "受理信息（渠道、类型、类别、属地、内容、受理日期等）",
    "case.co_units": "协办单位",
    "case.event.assigned": "交办事件",
    "case.event.transferred": "转办事件",
    "case.event.supervised": "督办事件",
    "case.event.meeting": "集中会商事件",
    "case.event.extended": "延期事件",
    "case.event.replied": "答复事件",
    "case.event.closed": "办结事件",
    "case.event.evaluated": "回访评价事件",
    "matter.create": "实事",
    "matter.commitment": "实事的批次、序号、名称、责任单位、具体责任人或办理时限",
    "matter.details": "实事的内容说明、类别、配合单位或来源诉求",
    "matter.progress": "实事的进展、节点、佐证材料或完成日期",
    "matter.extension": "实事的延期记录",
    "matter.survey": "实事的满意度调查",
    "unit.create": "单位",
    "unit.edit": "单位简称或简介",
    "unit.structure": "单位名称、类型或上级单位",
    "batch.create": "实事批次",
    "batch.edit": "实事批次记录",
    "bulletin.publish": "月度通报",
}

CASE_FIELDS = {"co_units": "case.co_units"}  # every other top-level case field is intake
MATTER_FIELDS = {
    **dict.fromkeys(("id", "batch", "number", "title", "unit", "responsible", "deadline"), "matter.commitment"),
    **dict.fromkeys(("description", "category", "co_units", "source_cases"), "matter.details"),
    **dict.fromkeys(("updates", "milestones", "evidence", "completed"), "matter.progress"),
    "extensions": "matter.extension", "survey": "matter.survey",
}
UNIT_FIELDS = {"short_name": "unit.edit", "description": "unit.edit"}  # name, kind, parent, id: structure
PER_ITEM = ("extensions",)  # lists whose items are judged one by one (an approval each)
VERBS = {"create": "新建", "add": "新增", "edit": "修改", "remove": "删除"}
NOT_ACTS = ("corrections",)  # judged by the corrections rule, not by a duty


@dataclass(frozen=True)
class Act:
    """One thing a change does: which act, where (in the version it points at), and to which item."""

    act: str
    op: str  # create · add · edit · remove
    path: tuple  # field path in `side`, for the line number and the message
    side: str = "after"  # "after", or "before" for something removed
    index: int | None = None  # the event (or list item) index in that version

    @property
    def words(self) -> str:
        """新增答复事件 · 修改实事的办理时限…"""
        return VERBS[self.op] + ACTS[self.act]


def _key(item: Any) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)


def _event_type(event: Any) -> str:
    etype = event.get("type") if isinstance(event, dict) else None
    return etype if isinstance(etype, str) else "?"


def event_act(event: Any) -> str:
    etype = _event_type(event)
    return "case.intake" if etype == "received" or f"case.event.{etype}" not in ACTS else f"case.event.{etype}"


def _first_difference(old: dict, new: dict) -> str | None:
    return next((k for k in [*new, *old] if old.get(k) != new.get(k)), None)


def event_acts(before: list, after: list) -> list[Act]:
    """The events added, edited and removed between two event lists."""
    a, b = [_key(e) for e in before], [_key(e) for e in after]
    out: list[Act] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        old, new = list(range(i1, i2)), list(range(j1, j2))
        for j in list(new):  # same type in the same place: an edit of that event
            i = next((i for i in old if _event_type(before[i]) == _event_type(after[j])), None)
            if i is not None:
                old.remove(i)
                new.remove(j)
                changed = _first_difference(before[i], after[j]) if isinstance(before[i], dict) and \
                    isinstance(after[j], dict) else None
                out.append(Act(event_act(after[j]), "edit", ("events", j) + ((changed,) if changed else ()), "after", j))
        out += [Act(event_act(after[j]), "add", ("events", j), "after", j) for j in new]
        out += [Act(event_act(before[i]), "remove", ("events", i), "before", i) for i in old]
    return out


def _list_acts(act: str, field: str, old: Any, new: Any) -> list[Act]:
    old = old if isinstance(old, list) else []
    new = new if isinstance(new, list) else []
    out = [Act(act, "add" if i >= len(old) else "edit", (field, i), "after", i)
           for i in range(len(new)) if i >= len(old) or old[i] != new[i]]
    if len(new) < len(old):
        out.append(Act(act, "remove", (field,), "before"))
    return out


def record_acts(kind: str, before: dict | None, after: dict | None) -> list[Act]:
    """Every act of a change to one case, matter, unit or batch record (before None: created)."""
    if after is None:
        return []
    if kind == "case":
        events = after.get("events") if isinstance(after.get("events"), list) else []
        if before is None:
            return [Act("case.create", "create", ("id",))] + [
                Act(event_act(e), "add", ("events", j), "after", j) for j, e in enumerate(events)
                if _event_type(e) != "received"]
        old_events = before.get("events") if isinstance(before.get("events"), list) else []
        acts = event_acts(old_events, events)
        return _field_acts(before, after, lambda f: CASE_FIELDS.get(f, "case.intake"), skip=("events",)) + acts
    if kind == "matter":
        if before is None:
            created = [Act("matter.create", "create", ("id",))]
            return created + [a for f in ("extensions", "survey") if f in after
                              for a in _field_acts({}, {f: after[f]}, MATTER_FIELDS.get)]
        return _field_acts(before, after, lambda f: MATTER_FIELDS.get(f, "matter.details"))
    if kind == "unit":
        if before is None:
            return [Act("unit.create", "create", ("id",))]
        return _field_acts(before, after, lambda f: UNIT_FIELDS.get(f, "unit.structure"))
    if kind == "batch":
        return [Act("batch.create", "create", ("id",))] if before is None else \
            _field_acts(before, after, lambda f: "batch.edit")
    return []


def _field_acts(before: dict, after: dict, act_of, skip: tuple = ()) -> list[Act]:
    out: list[Act] = []
    for f in [*after, *(k for k in before if k not in after)]:
        if f in skip or f in NOT_ACTS or before.get(f) == after.get(f):
            continue
        act = act_of(f)
        if f in PER_ITEM:
            out += _list_acts(act, f, before.get(f), after.get(f))
        elif f not in after:
            out.append(Act(act, "remove", (f,), "before"))
        else:
            out.append(Act(act, "add" if f not in before else "edit", (f,)))
    return out


def corrections_kept(before: dict | None, after: dict | None) -> tuple[bool, list[dict]]:
    """(the earlier correction notes are kept unchanged, the notes the change adds)."""
    old = before.get("corrections") if isinstance(before, dict) else None
    new = after.get("corrections") if isinstance(after, dict) else None
    old = old if isinstance(old, list) else []
    new = new if isinstance(new, list) else []
    kept = new[:len(old)] == old
    return kept, [c for c in new[len(old):] if isinstance(c, dict)] if kept else []
