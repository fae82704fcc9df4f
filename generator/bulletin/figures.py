"""A month's figures as of its last day: per unit, category and channel, overdue cases named, practical matters.

Every figure comes from the derived case and matter states (generator.lifecycle) as of the month's end;
the received/closed counts reuse generator.stats so the bulletin agrees with the portal's statistics page.
"""

from __future__ import annotations

import calendar as _calendar
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Callable

from ..lifecycle import CaseState, case_state, matter_state
from ..model import Case, Records
from ..stats import Figures, group_figures, total_figures
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


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


@dataclass
class Row:
    """One line of a bulletin table; see schemas/bulletin.schema.json for what each count means."""

    received: int = 0
    restricted: int = 0
    due: int = 0
    replied_on_time: int = 0
    overdue: int = 0
    closed: int = 0
    evaluated: int = 0
    satisfied: int = 0
    replied: int = 0
    reply_workdays_total: int = 0

    def take_received(self, f: Figures) -> None:
        """Received, restricted and closed counts of the month's intake, as generator.stats counts them."""
        self.received, self.restricted, self.closed = f.received, f.restricted, f.closed

    def as_dict(self) -> dict:
        return {
            "received": self.received, "restricted": self.restricted, "due": self.due,
            "replied_on_time": self.replied_on_time, "on_time_reply_rate": _rate(self.replied_on_time, self.due),
            "overdue": self.overdue, "closed": self.closed, "closure_rate": _rate(self.closed, self.received),
            "evaluated": self.evaluated, "satisfied": self.satisfied,
            "satisfaction_rate": _rate(self.satisfied, self.evaluated), "replied": self.replied,
            "avg_reply_workdays": round(self.reply_workdays_total / self.replied, 1) if self.replied else None,
        }


@dataclass
class _Month:
    """The month's populations, each a list of (case, state) or values, computed once."""

    start: date
    end: date
    cases: list[Case]
    states: dict[str, CaseState]
    due: list[tuple[Case, bool]] = field(default_factory=list)  # first reply due in month, on time?
    evaluations: list[tuple[Case, str]] = field(default_factory=list)  # evaluations given in the month
    first_replies: list[Case] = field(default_factory=list)  # first reply given in the month


def first_reply_due(case: Case, state: CaseState, records: Records, calendar: WorkCalendar) -> date:
    """The deadline in force for the first reply (extensions before it included, later reopenings not)."""
    if state.first_reply is None:
        return state.reply_due
    idx = next(i for i, e in enumerate(case.events) if e.type == "replied")
    before = replace(case, events=case.events[:idx])
    return case_state(before, records.settings.case_types[case.type], calendar, case.events[idx].date).reply_due


def _populations(records: Records, calendar: WorkCalendar, start: date, end: date) -> _Month:
    types = records.settings.case_types
    cases = sorted((c for c in records.cases.values() if c.received <= end), key=lambda c: c.id)
    states = {c.id: case_state(c, types[c.type], calendar, end) for c in cases}
    month = _Month(start, end, cases, states)
    for c in cases:
        st = states[c.id]
        due = first_reply_due(c, st, records, calendar)
        if start <= due <= end:
            month.due.append((c, st.first_reply is not None and st.first_reply <= due))
        if st.first_reply and start <= st.first_reply <= end:
            month.first_replies.append(c)
        month.evaluations += [(c, e.result) for e in c.events
                              if e.type == "evaluated" and e.result and start <= e.date <= end]
    return month


def _rows(month: _Month, key: Callable[[Case, CaseState], str | None]) -> dict[str | None, Row]:
    """One Row per key value (None collects what has no key, e.g. cases not yet assigned)."""
    rows: dict[str | None, Row] = defaultdict(Row)
    st = month.states
    intake = [c for c in month.cases if c.received >= month.start]
    for k, figures in group_figures(intake, st, month.end, lambda c, s: key(c, s) or "").items():
        rows[k or None].take_received(figures)
    for c, on_time in month.due:
        row = rows[key(c, st[c.id])]
        row.due += 1
        row.replied_on_time += on_time
    for c in month.cases:
        if st[c.id].overdue:
            rows[key(c, st[c.id])].overdue += 1
    for c, result in month.evaluations:
        row = rows[key(c, st[c.id])]
        row.evaluated += 1
        row.satisfied += result in ("satisfied", "basically-satisfied")
    for c in month.first_replies:
        row = rows[key(c, st[c.id])]
        row.replied += 1
        row.reply_workdays_total += st[c.id].reply_workdays or 0
    return dict(rows)


def _totals(month: _Month) -> Row:
    row = Row()
    row.take_received(total_figures([c for c in month.cases if c.received >= month.start], month.states, month.end))
    row.due = len(month.due)
    row.replied_on_time = sum(on_time for _, on_time in month.due)
    row.overdue = sum(1 for c in month.cases if month.states[c.id].overdue)
    row.evaluated = len(month.evaluations)
    row.satisfied = sum(r in ("satisfied", "basically-satisfied") for _, r in month.evaluations)
    row.replied = len(month.first_replies)
    row.reply_workdays_total = sum(month.states[c.id].reply_workdays or 0 for c in month.first_replies)
    return row


def rank_units(units: list[dict]) -> list[dict]:
    """Best on-time reply rate first, then satisfaction, then volume; units with nothing due get no rank."""
    ranked = sorted((u for u in units if u["due"]), key=lambda u: (
        -(u["on_time_reply_rate"] or 0), -(u["satisfaction_rate"] or 0), -u["received"], u["unit"]))
    rest = sorted((u for u in units if not u["due"]), key=lambda u: (-u["received"], u["unit"]))
    for i, u in enumerate(ranked, 1):
        u["rank"] = i
    for u in rest:
        u["rank"] = None
    return ranked + rest


def _overdue_cases(records: Records, month: _Month, calendar: WorkCalendar) -> tuple[list[dict], int]:
    """Public overdue cases by id and title (most overdue first); restricted ones only counted."""
    named, restricted = [], 0
    for c in month.cases:
        st = month.states[c.id]
        if not st.overdue:
            continue
        if not c.public:
            restricted += 1
            continue
        stage = "close" if st.status == "replied" else "reply"
        unit = records.units.get(st.unit) if st.unit else None
        named.append({"id": c.id, "title": c.title, "unit": st.unit or "", "unit_name": unit.name if unit else "待交办",
                      "stage": stage, "deadline": (st.close_due if stage == "close" else st.reply_due).isoformat(),
                      "overdue_workdays": -(st.days_left or 0)})
    named.sort(key=lambda d: (-d["overdue_workdays"], d["id"]))
    return named, restricted


def _matters(records: Records, start: date, end: date) -> dict:
    """Practical matters of batches published by the month's end: completed, due and late in the month."""
    out = {"completed": 0, "completed_on_time": 0, "completed_late": 0, "due": 0, "due_completed": 0, "overdue": 0,
           "batches": [], "items": []}
    batches = sorted((b for b in records.batches.values() if b.published <= end), key=lambda b: (b.year, b.number))
    for b in batches:
        matters = sorted((m for m in records.matters.values() if m.batch == b.id), key=lambda m: m.number)
        counts = defaultdict(int)
        for m in matters:
            ms = matter_state(m, end)
            counts[ms.status] += 1
            done_in_month = ms.status == "completed" and start <= m.completed <= end
            due_in_month = start <= ms.deadline <= end
            out["completed"] += done_in_month
            out["completed_on_time"] += done_in_month and bool(ms.on_time)
            out["completed_late"] += done_in_month and not ms.on_time
            out["due"] += due_in_month
            out["due_completed"] += due_in_month and ms.status == "completed"
            out["overdue"] += ms.status == "overdue"
            if done_in_month or due_in_month or ms.status == "overdue":
                unit = records.units.get(m.unit)
                item = {"id": m.id, "title": m.title, "unit": m.unit, "unit_name": unit.name if unit else m.unit,
                        "responsible": f"{m.responsible_name}（{m.responsible_post}）", "deadline": ms.deadline.isoformat(),
                        "status": ms.status, "due_in_month": due_in_month}
                if ms.status == "completed":
                    item.update(completed=m.completed.isoformat(), on_time=bool(ms.on_time))
                out["items"].append(item)
        out["batches"].append({"batch": b.id, "title": b.title, "document_no": b.document_no, "total": len(matters),
                               "completed": counts["completed"], "in_progress": counts["in-progress"],
                               "overdue": counts["overdue"], "not_started": counts["not-started"]})
    return out


def compute_figures(records: Records, calendar: WorkCalendar, month: str) -> dict:
    """Every figure of one month's bulletin, as plain data in the order the snapshot stores it."""
    start, end = month_bounds(month)
    pop = _populations(records, calendar, start, end)
    s = records.settings
    by_unit = _rows(pop, lambda c, st: st.unit)
    unassigned = by_unit.pop(None, Row()).received
    units = [{"unit": uid, "name": records.units[uid].name if uid in records.units else uid, "rank": None, **row.as_dict()}
             for uid, row in by_unit.items()]
    by_category = _rows(pop, lambda c, st: c.category)
    by_channel = _rows(pop, lambda c, st: c.channel)
    overdue, overdue_restricted = _overdue_cases(records, pop, calendar)
    return {
        "totals": _totals(pop).as_dict(),
        "unassigned": unassigned,
        "units": rank_units(units),
        "categories": [{"category": k, "name": v.name, **by_category[k].as_dict()} for k, v in s.categories.items()
                       if k in by_category],
        "channels": [{"channel": k, "name": v.name, **by_channel[k].as_dict()} for k, v in s.channels.items()
                     if k in by_channel],
        "overdue_cases": overdue,
        "overdue_restricted": overdue_restricted,
        "matters": _matters(records, start, end),
    }
