"""Rows of every open-data table, from the derived Portal (public cases only; restricted ones only as counts)."""

from __future__ import annotations

from datetime import date
from operator import itemgetter
from typing import Any, Iterator

from ..derive import Portal
from ..lifecycle import CASE_STATUS_LABELS, EVALUATION_LABELS, MATTER_STATUS_LABELS
from ..model import Case, Matter
from ..site.links import case_path, matter_path
from ..site.sitedata import EVENT_LABELS, UNIT_KIND_LABELS
from .schema import TABLE_BY_NAME
from .tables_activities import ACTIVITY_ROWS

Row = dict[str, Any]


def _join(items: Any) -> str | None:
    out = ";".join(items)
    return out or None


def _text(value: str | None) -> str | None:
    return value.strip() if value else None


def region_path(portal: Portal, unit_id: str) -> list[str]:
    """Names of the region from the town down (the county government itself left out): [禾丰镇, 西东村]."""
    units = portal.records.units
    names, cur = [], units.get(unit_id)
    while cur is not None and cur.parent:
        names.append(cur.name)
        cur = units.get(cur.parent)
    return names[::-1]


def region_name(portal: Portal, unit_id: str) -> str:
    """The region as one name: 禾丰镇西东村 (the unit's own name when it has no parent)."""
    unit = portal.records.units.get(unit_id)
    return "".join(region_path(portal, unit_id)) or (unit.name if unit else unit_id)


def public_cases(portal: Portal) -> list[Case]:
    """Public cases received up to the as-of day, by id."""
    return sorted((c for c in portal.cases.values() if c.public), key=lambda c: c.id)


def published_matters(portal: Portal) -> list[Matter]:
    """Matters of batches published up to the as-of day, by id."""
    batches = portal.records.batches
    return sorted((m for m in portal.records.matters.values()
                   if m.batch in batches and batches[m.batch].published <= portal.as_of), key=lambda m: m.id)


def reply_units(case: Case, as_of: date) -> dict[int, str | None]:
    """For each reply event (by index): the replying unit, defaulting to the responsible unit at that time."""
    unit, out = None, {}
    for i, e in enumerate(case.events):
        if e.date > as_of:
            break
        if e.type in ("assigned", "transferred"):
            unit = e.unit
        elif e.type == "replied":
            out[i] = e.unit or unit
    return out


def unit_rows(portal: Portal) -> Iterator[Row]:
    for u in sorted(portal.records.units.values(), key=lambda u: u.id):
        yield {"id": u.id, "name": u.name, "short_name": u.short_name or None, "kind": u.kind,
               "kind_label": UNIT_KIND_LABELS.get(u.kind, u.kind), "parent": u.parent, "description": _text(u.description)}


def case_rows(portal: Portal) -> Iterator[Row]:
    s, units = portal.records.settings, portal.records.units
    public = {c.id for c in portal.cases.values() if c.public}
    matters = {m.id for m in published_matters(portal)}
    regions = {uid: region_name(portal, uid) for uid in units}
    for c in public_cases(portal):
        st = portal.case_states[c.id]
        yield {
            "id": c.id, "url": case_path(c.id), "title": c.title, "content": _text(c.content),
            "channel": c.channel, "channel_name": s.channels[c.channel].name,
            "type": c.type, "type_name": s.case_types[c.type].name,
            "category": c.category, "category_name": s.categories[c.category].name,
            "region": c.region, "region_name": regions.get(c.region) or c.region,
            "unit": st.unit, "unit_name": units[st.unit].name if st.unit in units else None,
            "co_units": _join(c.co_units), "level": st.level, "status": st.status,
            "status_label": CASE_STATUS_LABELS[st.status], "received": st.received, "reply_due": st.reply_due,
            "close_due": st.close_due, "first_reply": st.first_reply, "reply_workdays": st.reply_workdays,
            "closed_on": st.closed_on, "replied_on_time": st.replied_on_time, "closed_on_time": st.closed_on_time,
            "overdue": st.overdue, "extended": st.extended, "supervised": st.supervised, "reopened": st.reopened,
            "evaluation": st.evaluation, "evaluation_label": EVALUATION_LABELS.get(st.evaluation or ""),
            "duplicate_of": c.duplicate_of if c.duplicate_of in public else None,
            "related": _join(r for r in c.related if r in public) if c.related else None,
            "matters": _join(sorted(m for m in portal.matters_by_case[c.id] if m in matters))
            if c.id in portal.matters_by_case else None,
        }


def event_rows(portal: Portal) -> Iterator[Row]:
    for c in public_cases(portal):
        for i, e in enumerate(c.events):
            if e.date > portal.as_of:
                break
            yield {"case_id": c.id, "seq": i, "date": e.date, "type": e.type, "type_label": EVENT_LABELS[e.type],
                   "unit": e.unit, "level": e.level, "reason": _text(e.reason), "notice_no": e.notice_no,
                   "deadline": e.deadline, "topic": _text(e.topic), "new_deadline": e.new_deadline,
                   "result": e.result, "note": _text(e.note)}


def reply_rows(portal: Portal) -> Iterator[Row]:
    units = portal.records.units
    for c in public_cases(portal):
        for n, (i, unit) in enumerate(sorted(reply_units(c, portal.as_of).items()), start=1):
            e = c.events[i]
            yield {"case_id": c.id, "seq": i, "round": n, "date": e.date, "unit": unit,
                   "unit_name": units[unit].name if unit in units else None, "text": _text(e.text) or ""}


def evaluation_rows(portal: Portal) -> Iterator[Row]:
    for c in public_cases(portal):
        n = 0
        for i, e in enumerate(c.events):
            if e.date > portal.as_of:
                break
            if e.type == "evaluated" and e.result:
                n += 1
                yield {"case_id": c.id, "seq": i, "round": n, "date": e.date, "result": e.result,
                       "result_label": EVALUATION_LABELS[e.result], "method": e.method, "comment": _text(e.comment)}


def batch_rows(portal: Portal) -> Iterator[Row]:
    matters = published_matters(portal)
    for b in sorted(portal.records.batches.values(), key=lambda b: b.id):
        if b.published <= portal.as_of:
            yield {"id": b.id, "number": b.number, "year": b.year, "title": b.title, "document_no": b.document_no,
                   "published": b.published, "matters": sum(1 for m in matters if m.batch == b.id)}


def matter_rows(portal: Portal) -> Iterator[Row]:
    s, units = portal.records.settings, portal.records.units
    public = {c.id for c in portal.cases.values() if c.public}
    for m in published_matters(portal):
        st = portal.matter_states[m.id]
        sv = m.survey if m.completed and m.completed <= portal.as_of else None
        yield {
            "id": m.id, "url": matter_path(m.id), "batch": m.batch, "number": m.number, "title": m.title,
            "description": _text(m.description), "category": m.category,
            "category_name": s.categories[m.category].name if m.category in s.categories else m.category,
            "unit": m.unit, "unit_name": units[m.unit].name if m.unit in units else m.unit,
            "co_units": _join(m.co_units), "responsible_name": m.responsible_name,
            "responsible_post": m.responsible_post, "deadline": m.deadline, "effective_deadline": st.deadline,
            "extended": st.extended, "status": st.status, "status_label": MATTER_STATUS_LABELS[st.status],
            "progress": st.progress, "on_time": st.on_time, "timeliness": st.timeliness,
            "report_overdue_days": st.report_overdue_days,
            "completed": m.completed if st.status == "completed" else None,
            "milestones_total": len(m.milestones), "milestones_done": st.milestones_done,
            "survey_satisfied": sv.satisfied if sv else None,
            "survey_basically_satisfied": sv.basically_satisfied if sv else None,
            "survey_unsatisfied": sv.unsatisfied if sv else None,
            "survey_satisfaction_rate": round(100.0 * (sv.satisfied + sv.basically_satisfied) / sv.total, 1)
            if sv and sv.total else None,
            "source_cases": _join(cid for cid in m.source_cases if cid in public),
        }


def milestone_rows(portal: Portal) -> Iterator[Row]:
    for m in published_matters(portal):
        for i, ms in enumerate(m.milestones):
            done = ms.done if ms.done and ms.done <= portal.as_of else None
            yield {"matter_id": m.id, "seq": i, "title": ms.title, "due": ms.due, "done": done,
                   "done_on_time": None if done is None else done <= ms.due}


def update_rows(portal: Portal) -> Iterator[Row]:
    for m in published_matters(portal):
        for i, u in enumerate(m.updates):
            if u.date <= portal.as_of:
                yield {"matter_id": m.id, "seq": i, "date": u.date, "text": _text(u.text) or "", "percent": u.percent}


def unit_monthly_rows(portal: Portal) -> Iterator[Row]:
    units = portal.records.units
    for uid in sorted(units):
        for period, t in portal.figures.series("month", "unit", uid):
            if t.received or t.reply_due or t.close_due or t.evaluations or t.first_replies or t.overdue:
                yield {"month": period.id, "unit": uid, "unit_name": units[uid].name, **t.as_dict()}


def monthly_rows(portal: Portal) -> Iterator[Row]:
    for period, t in portal.figures.series("month"):
        yield {"month": period.id, "in_progress": period.in_progress(portal.as_of), **t.as_dict()}


ROWS = {"units": unit_rows, "cases": case_rows, "events": event_rows, "replies": reply_rows,
        "evaluations": evaluation_rows, "batches": batch_rows, "matters": matter_rows, "milestones": milestone_rows,
        "matter_updates": update_rows, "unit_monthly": unit_monthly_rows, "monthly": monthly_rows}
ROWS.update(ACTIVITY_ROWS)


def rows_of(portal: Portal, name: str) -> list[tuple]:
    """One table's rows as tuples in schema column order."""
    columns = TABLE_BY_NAME[name].columns
    dicts = list(ROWS[name](portal))
    if dicts and dicts[0].keys() != set(columns):
        raise ValueError(f"{name}: row keys {sorted(dicts[0])} differ from the schema's {sorted(columns)}")
    return list(map(itemgetter(*columns), dicts))
