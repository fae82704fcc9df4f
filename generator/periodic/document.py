"""A weekly (周报) or annual (年度报告) report: the monthly bulletin's figures over a week or a year, compared with
the period before (the previous week; the year before, 同比), plus what only that kind shows: a week's new
cases, a year's practical matters, surveys, broadcasts, meetings and hot issues.

Figures come from the bulletin's own computation (generator.bulletin.figures.period_figures) over the registry's
periods (measures.week_period, year_period), as of the period's last day with the day over.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..activities import broadcast_counts, meeting_counts, survey_counts
from ..bulletin.figures import period_figures, period_states
from ..bulletin.snapshot import generator_version
from ..hotissues import hot, hot_counts, repeat_groups
from ..measures import Period, by_group, total, week_period, year_period
from ..model import Records
from ..places import town_map
from ..workdays import WorkCalendar

ID_RE = re.compile(r"^(\d{4})(?:-W(\d{2}))?$")
KIND_LABELS = {"week": "周报", "year": "年度报告"}
# what --verify compares: everything computed from the records, not when or by which version it was made
FIGURE_KEYS = ("kind", "start", "end", "title", "publisher", "as_of", "definitions", "summary", "totals", "previous",
               "unassigned", "units", "categories", "channels", "places", "overdue_cases", "overdue_restricted",
               "matters", "new_cases", "activities")


def parse_id(pid: str) -> tuple[str, Period]:
    """('week', 2026-W46) or ('year', 2025); ValueError with a Chinese message for anything else."""
    m = ID_RE.match(pid or "")
    if not m:
        raise ValueError(f"编号应为年份（如 2025，年度报告）或 年份-W周数（如 2026-W46，周报）：{pid}")
    year = int(m.group(1))
    if m.group(2) is None:
        return "year", year_period(date(year, 1, 1))
    week = int(m.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(f"{year} 年没有第 {week} 周：{pid}") from None
    return "week", week_period(monday)


def previous_period(kind: str, period: Period) -> Period:
    of = week_period if kind == "week" else year_period
    return of(period.start - timedelta(days=1))


def title(records: Records, kind: str, period: Period) -> str:
    return f"{records.settings.jurisdiction}群众诉求办理{KIND_LABELS[kind]}（{period.label}）"


def _places(records: Records, cases: list, states: dict, period: Period) -> list[dict]:
    towns = town_map(records.units)
    groups = by_group(cases, states, period.end, period, lambda c, st: towns.get(c.region))
    order = sorted((u for u in records.units.values() if towns.get(u.id) == u.id), key=lambda u: u.id)
    return [{"town": u.id, "name": u.name, **groups[u.id].as_dict()} for u in order if u.id in groups]


def _new_cases(records: Records, cases: list, states: dict, period: Period) -> list[dict]:
    """The week's public cases by number and title (a restricted case is only counted in the totals)."""
    out = []
    for c in sorted(cases, key=lambda c: (c.received, c.id)):
        if period.start <= c.received <= period.end and c.public:
            unit = records.units.get(states[c.id].unit or "")
            out.append({"id": c.id, "title": c.title, "category": c.category,
                        "unit": unit.id if unit else "", "unit_name": unit.name if unit else "待交办"})
    return out


def _activities(records: Records, cases: list, states: dict, period: Period) -> dict:
    """A year's surveys, broadcasts, meetings and hot issues, each counted into the activity registry."""
    inside = lambda day: period.start <= day <= period.end  # noqa: E731
    surveys = [sv for sv in records.surveys.values() if inside(sv.end) and sv.published <= period.end]
    broadcasts = [b for b in records.broadcasts.values() if inside(b.date)]
    meetings = [m for m in records.meetings.values() if inside(m.date)]
    received = {c.id: c for c in cases if inside(c.received)}
    groups = hot(repeat_groups(received, records.settings.hot_window_days, period.end, meetings=records.meetings),
                 records.settings.hot_min_cases)
    return {
        "surveys": survey_counts(surveys).as_dict(("poll_sample", "poll_responses", "poll_satisfied",
                                                   "poll_response_rate", "poll_satisfaction_rate")),
        "broadcasts": broadcast_counts(broadcasts).as_dict(("broadcast_shows", "broadcast_contacts", "broadcast_answered",
                                                            "broadcast_carried", "broadcast_answer_rate")),
        "meetings": meeting_counts(meetings, states, period.end).as_dict(
            ("meetings", "meeting_measures", "meeting_measures_due", "meeting_measures_on_time", "meeting_measure_rate",
             "criticism_items", "criticism_rectified", "rectification_rate")),
        "hot_issues": hot_counts(groups).as_dict(("hot_groups", "hot_group_cases", "hot_groups_met", "hot_meeting_rate")),
    }


def compute(records: Records, calendar: WorkCalendar, kind: str, period: Period) -> dict:
    """The figures of one report, in the order the snapshot stores them."""
    figures = period_figures(records, calendar, period)
    cases, states = period_states(records, calendar, period.end)
    before = previous_period(kind, period)
    prev_cases, prev_states = period_states(records, calendar, before.end)
    out = {"definitions": figures.pop("definitions"), "totals": figures.pop("totals"),
           "previous": {"id": before.id, "label": before.label,
                        "totals": total(prev_cases, prev_states, before.end, before).as_dict()}}
    out.update(figures)
    out["places"] = _places(records, cases, states, period)
    out["new_cases"] = _new_cases(records, cases, states, period) if kind == "week" else []
    out["activities"] = _activities(records, cases, states, period) if kind == "year" else {}
    return out


def make_document(records: Records, calendar: WorkCalendar, pid: str, *, commit: str, issued: date,
                  dirty: bool = False) -> dict:
    """The snapshot of one week or year, in the order it is stored."""
    from .summary import write_summary

    kind, period = parse_id(pid)
    figures = compute(records, calendar, kind, period)
    doc: dict = {"id": pid, "kind": kind, "start": period.start.isoformat(), "end": period.end.isoformat(),
                 "title": title(records, kind, period), "publisher": records.settings.publisher,
                 "as_of": period.end.isoformat(), "issued": issued.isoformat(), "source_commit": commit}
    if dirty:
        doc["source_dirty"] = True
    doc["generator"] = generator_version()
    doc["summary"] = write_summary(kind, period, figures)
    doc.update(figures)
    return doc
