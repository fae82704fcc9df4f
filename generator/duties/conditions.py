"""What each condition of the duties file means: a check that says, in Chinese, why it does not hold.

Each check gets the Situation of one act and returns None when the condition holds. The titles and
descriptions people read are in records/rules.yaml; tests keep the two lists equal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable
from ..errors import E


@dataclass
class Situation:
    """What an act is judged on."""

    kind: str  # case · matter · unit
    actor_units: frozenset[str]
    record: dict  # the version the act lies in (after; before for a removal)
    current: dict | None = None  # the record on the target branch now (None: not there)
    created: bool = False  # the record is new in this change
    index: int | None = None  # the event (or list item) the act is about
    batch_count: Callable[[str], int | None] = field(default=lambda batch: None)
    unit_name: Callable[[str], str] = field(default=lambda unit: unit)

    @property
    def item(self) -> dict:
        """The event or list item the act is about ({} when none)."""
        seq = self.record.get("events") if self.kind == "case" else self.record.get("extensions")
        if isinstance(seq, list) and self.index is not None and 0 <= self.index < len(seq) and \
                isinstance(seq[self.index], dict):
            return seq[self.index]
        return {}


def handling_unit(record: dict | None, upto: int | None = None) -> str | None:
    """A case's 承办单位 before event `upto` (all events when None): the last assigned or transferred unit."""
    events = record.get("events") if isinstance(record, dict) else None
    unit = None
    for e in (events if isinstance(events, list) else [])[:upto]:
        if isinstance(e, dict) and e.get("type") in ("assigned", "transferred") and isinstance(e.get("unit"), str):
            unit = e["unit"]
    return unit


def responsible(sit: Situation, record: dict | None, at_item: bool = True) -> str | None:
    """The unit the record belongs to: a case's handling unit at the act (or now), a matter's or unit's own."""
    if record is None:
        return None
    if sit.kind == "case":
        return handling_unit(record, sit.index if at_item and record is sit.record else None)
    value = record.get("unit" if sit.kind == "matter" else "id")
    return value if isinstance(value, str) else None


def _name(sit: Situation, unit: str | None) -> str:
    return f"{sit.unit_name(unit)}（{unit}）" if unit and sit.unit_name(unit) != unit else str(unit)


def _where(sit: Situation) -> str:
    return "承办单位" if sit.kind == "case" else "责任单位"


def first_contact(sit: Situation) -> str | None:
    if not sit.created:
        return "只有新建诉求时才能由本单位直接交办给本单位；已有诉求的交办、受理信息由受理交办人员办理"
    units = [e.get("unit") for e in sit.record.get("events", []) if isinstance(e, dict)
             and e.get("type") in ("assigned", "transferred")]
    if not units:
        return "新建的诉求没有交办承办单位：单位直接受理的诉求须同时交办给本单位（huiyin new case --unit 本单位）"
    others = [u for u in units if u not in sit.actor_units]
    if others:
        return f"新建的诉求交办给了 {_name(sit, others[0])}，不是登记人所属的单位：交办其他单位请由受理交办人员办理"
    return None


def in_handling_unit(sit: Situation) -> str | None:
    unit = responsible(sit, sit.record)
    if unit is None:
        return f"该{'诉求还没有交办承办单位' if sit.kind == 'case' else '记录没有责任单位'}"
    if unit not in sit.actor_units:
        return f"{'当时' if sit.kind == 'case' else ''}的{_where(sit)}是 {_name(sit, unit)}，不是登记人所属的单位"
    now = responsible(sit, sit.current, at_item=False)
    if sit.current is not None and now not in sit.actor_units:
        return f"目标分支上该记录现在的{_where(sit)}是 {_name(sit, now)}，不是登记人所属的单位"
    return None


def not_handling_unit(sit: Situation) -> str | None:
    units = {responsible(sit, sit.record), responsible(sit, sit.current, at_item=False)} - {None}
    own = sorted(units & sit.actor_units)
    if own:
        return f"登记人所属的 {_name(sit, own[0])} 就是{_where(sit)}：单位不评价自己的工作"
    return None


def own_name(sit: Situation) -> str | None:
    unit = handling_unit(sit.record, sit.index)
    reply = sit.item.get("unit") or unit
    if reply not in sit.actor_units:
        return f"答复单位写的是 {_name(sit, reply)}，不是登记人所属的单位：不能以其他单位的名义答复"
    if reply != unit:
        return f"答复单位 {_name(sit, reply)} 不是当时的承办单位 {_name(sit, unit)}"
    return None


def approval_document(sit: Situation) -> str | None:
    item = sit.item
    approved, number = item.get("approved_by"), item.get("document_no")
    if not approved or not number:
        missing = "、".join(n for n, v in (("批准机关 approved_by", approved), ("批准文号 document_no", number)) if not v)
        return f"延期没有写明{missing}"
    own = responsible(sit, sit.record)
    if approved == own:
        return f"批准机关 {_name(sit, approved)} 就是{_where(sit)}：单位不能自己批准自己延期"
    return None


def within_batch(sit: Situation) -> str | None:
    batch, number = sit.record.get("batch"), sit.record.get("number")
    count = sit.batch_count(batch) if isinstance(batch, str) else None
    if count is None:
        return f"批次 {batch} 的记录没有写明批次文件所列的件数（count），请管理员先补上"
    if isinstance(number, int) and number > count:
        return f"序号 {number} 超出了批次 {batch} 文件所列的 {count} 件：增补实事须管理员按补充文件先修改批次记录"
    return None


def own_unit(sit: Situation) -> str | None:
    unit = responsible(sit, sit.record)
    if unit not in sit.actor_units:
        return f"这是 {_name(sit, unit)} 的单位记录，不是登记人所属的单位"
    return None


# condition id -> (check, the error code a refusal carries)
CONDITIONS: dict[str, tuple[Callable[[Situation], str | None], str]] = {
    "first-contact": (first_contact, E.CHANGE_UNASSIGNED),
    "handling-unit": (in_handling_unit, E.CHANGE_OTHER_UNIT),
    "not-handling-unit": (not_handling_unit, E.CHANGE_SELF_EVALUATION),
    "own-name": (own_name, E.CHANGE_REPLY_NAME),
    "approval-document": (approval_document, E.CHANGE_APPROVAL_MISSING),
    "within-batch": (within_batch, E.CHANGE_BEYOND_BATCH),
    "own-unit": (own_unit, E.CHANGE_OTHER_UNIT),
}
