"""A month's figures as of its last day: per unit, category and channel, overdue cases named, practical matters.

Every figure is a registered measure (generator.measures, generator.matter_measures) counted over the case and
matter states as of the month's end, with the day over: a deadline on the month's last day that was not met is
missed. The site counts the same measures the same way, so a bulletin and the statistics page agree.
"""

from __future__ import annotations

import calendar as _calendar
import re
from datetime import date

from ..comparisons import GROUP_NAMES, rank, standing, unit_group
from ..lifecycle import case_state, matter_state
from ..matter_measures import days_label, matter_tally
from ..measures import DEFINITIONS_VERSION, Period, Tally, by_group, month_period, total
from ..model import Records
from ..obligations import time_limits
from ..workdays import WorkCalendar

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of a YYYY-MM month; ValueError if malformed."""
    m = MONTH_RE.match(month)
    if not m:
        raise ValueError(f"月份格式应为 YYYY-MM，如 2026-03：{month}")
    year, mon = int(m.group(1)), int(m.group(2))
    return date(year, mon, 1), date(year, mon, _calendar.monthrange(year, mon)[1])


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def next_month(month: str) -> str:
    start, end = month_bounds(month)
    return month_of(date.fromordinal(end.toordinal() + 1))


def _units(records: Records, groups: dict[str, Tally]) -> list[dict]:
    """Unit rows, ranked on 按期答复率 within their group; a unit with too few cases due is shown, not ranked."""
    minimum = records.settings.min_cases_for_ranking
    rows, standings = [], {}
    for uid, t in groups.items():
        unit = records.units.get(uid)
        s = standings[uid] = standing(t, "on_time_reply_rate", minimum)
        rows.append({"unit": uid, "name": unit.name if unit else uid, "group": unit_group(unit) or "",
                     "rank": None, "small": s.small, **t.as_dict()})
    for gid in GROUP_NAMES:
        members = {r["unit"]: standings[r["unit"]] for r in rows if r["group"] == gid}
        rank(members, "on_time_reply_rate")
    for r in rows:
        r["rank"] = standings[r["unit"]].rank
    order = list(GROUP_NAMES)
    rows.sort(key=lambda r: (order.index(r["group"]) if r["group"] in order else len(order),
                             r["rank"] is None, r["rank"] or 0, -r["received"], r["unit"]))
    return rows


def _overdue_cases(records: Records, states: dict, cases: list) -> tuple[list[dict], int]:
    """Public overdue cases by id and title (most overdue first); restricted ones only counted."""
    named, restricted = [], 0
    for c in cases:
        st = states[c.id]
        if not st.overdue:
            continue
        if not c.public:
            restricted += 1
            continue
        unit = records.units.get(st.unit) if st.unit else None
        named.append({"id": c.id, "title": c.title, "unit": st.unit or "", "unit_name": unit.name if unit else "待交办",
                      "stage": st.binding.kind, "deadline": st.binding.due.isoformat(),
                      "overdue_workdays": st.binding.late_workdays})
    named.sort(key=lambda d: (-(d["overdue_workdays"] or 0), d["id"]))
    return named, restricted


def _matters(records: Records, start: date, end: date) -> dict:
    """Practical matters of batches published by the month's end, as of the month's end."""
    report_days = records.settings.matter_report_days
    batches = sorted((b for b in records.batches.values() if b.published <= end), key=lambda b: (b.year, b.number))
    out: dict = {"completed": 0, "completed_on_time": 0, "completed_after_extension": 0, "completed_late": 0,
                 "due": 0, "due_on_time": 0, "due_open": 0, "batches": [], "items": []}
    everything = []
    for b in batches:
        matters = sorted((m for m in records.matters.values() if m.batch == b.id), key=lambda m: m.number)
        states = {m.id: matter_state(m, end, report_days, b.published) for m in matters}
        everything += [(m, states[m.id]) for m in matters]
        out["batches"].append({"batch": b.id, "title": b.title, "document_no": b.document_no,
                               **matter_tally(matters, states).as_dict()})
    for m, ms in everything:
        done_in_month = ms.status == "completed" and start <= m.completed <= end
        due_in_month = start <= m.deadline <= end  # the date promised in the batch document
        if done_in_month:
            out["completed"] += 1
            out["completed_on_time"] += ms.timeliness == "on-time"
            out["completed_after_extension"] += ms.timeliness == "after-extension"
            out["completed_late"] += ms.timeliness == "late"
        if due_in_month:
            out["due"] += 1
            out["due_on_time"] += ms.timeliness == "on-time"
            out["due_open"] += ms.status != "completed"
        if done_in_month or due_in_month or ms.status == "overdue" or ms.report_overdue_days is not None:
            unit = records.units.get(m.unit)
            item = {"id": m.id, "title": m.title, "unit": m.unit, "unit_name": unit.name if unit else m.unit,
                    "responsible": f"{m.responsible_name}（{m.responsible_post}）",
                    "original_deadline": m.deadline.isoformat(), "deadline": ms.deadline.isoformat(),
                    "status": ms.status, "timeliness": ms.timeliness, "timeliness_label": days_label(ms),
                    "due_in_month": due_in_month, "report_overdue_days": ms.report_overdue_days}
            if ms.status == "completed":
                item["completed"] = m.completed.isoformat()
            out["items"].append(item)
    out.update({k: v for k, v in matter_tally([m for m, _ in everything], dict((m.id, s) for m, s in everything))
                .as_dict().items() if k in ("matters", "matter_overdue", "matter_report_overdue")})
    return out


def compute_figures(records: Records, calendar: WorkCalendar, month: str) -> dict:
    """Every figure of one month's bulletin, as plain data in the order the snapshot stores it."""
    start, _ = month_bounds(month)
    return period_figures(records, calendar, month_period(start))


def period_states(records: Records, calendar: WorkCalendar, end: date) -> tuple[list, dict]:
    """The cases received by a period's end and their states as of it, the day over (what a frozen report counts)."""
    cases = sorted((c for c in records.cases.values() if c.received <= end), key=lambda c: c.id)
    return cases, {c.id: case_state(c, time_limits(records.settings, c), calendar, end, day_over=True) for c in cases}


def period_figures(records: Records, calendar: WorkCalendar, period: Period) -> dict:
    """A bulletin's figures over any period of the registry (a month; a week or a year for the periodic reports)."""
    start, end = period.start, period.end
    s = records.settings
    cases, states = period_states(records, calendar, end)
    by_unit = by_group(cases, states, end, period, lambda c, st: st.unit or "")
    unassigned = by_unit.pop("", Tally()).received
    by_category = by_group(cases, states, end, period, lambda c, st: c.category)
    by_channel = by_group(cases, states, end, period, lambda c, st: c.channel)
    overdue, overdue_restricted = _overdue_cases(records, states, cases)
    return {
        "definitions": DEFINITIONS_VERSION,
        "totals": total(cases, states, end, period).as_dict(),
        "unassigned": unassigned,
        "units": _units(records, by_unit),
        "categories": [{"category": k, "name": v.name, **by_category[k].as_dict()} for k, v in s.categories.items()
                       if k in by_category],
        "channels": [{"channel": k, "name": v.name, **by_channel[k].as_dict()} for k, v in s.channels.items()
                     if k in by_channel],
        "overdue_cases": overdue,
        "overdue_restricted": overdue_restricted,
        "matters": _matters(records, start, end),
    }
