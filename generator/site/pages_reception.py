"""The 领导公开接访 pages: each month's published schedule, and a page per leader with the receptions held, the
cases received there and the cases packaged to them (包案; restricted ones counted, never shown)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterator

from ..derive import Portal
from ..measures import Tally
from ..workdays import MissingYear
from .links import leader_path
from .spec import PageSpec

WEEKDAYS = "一二三四五六日"


def _published(portal: Portal) -> list:
    """Schedules published by the as-of day, newest month first."""
    return sorted((s for s in portal.records.receptions.values() if s.published <= portal.as_of),
                  key=lambda s: s.id, reverse=True)


def uncovered_workdays(portal: Portal, month: str, sessions) -> list[date] | None:
    """Working days of the month with no leader scheduled (每个工作日至少安排一名县级领导); None without a calendar."""
    first = date(int(month[:4]), int(month[5:]), 1)
    days, d = [], first
    held = {s.date for s in sessions}
    try:
        while d.month == first.month:
            if portal.calendar.is_workday(d) and d not in held:
                days.append(d)
            d += timedelta(days=1)
    except MissingYear:
        return None
    return days


def _leaders(portal: Portal) -> list:
    """(leader, its record, its counts), in the order of the leadership list."""
    rows = []
    for lid, leader in sorted(portal.records.leaders.items(), key=lambda kv: (kv[1].order, kv[0])):
        rec = portal.leaders[lid]
        rows.append((leader, rec, rec.counts(portal.case_states, portal.as_of)))
    return rows


def _current(portal: Portal, schedules: list):
    """This month's schedule, or else the latest one published."""
    month = portal.as_of.strftime("%Y-%m")
    return next((s for s in schedules if s.id <= month), schedules[-1] if schedules else None)


def summary(portal: Portal) -> dict:
    return {"schedule": _current(portal, _published(portal)), "leaders": len(portal.records.leaders)}


def _restricted(cases) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in cases:
        if not c.public:
            out[c.restricted_reason or "other"] = out.get(c.restricted_reason or "other", 0) + 1
    return out


def reception_pages(portal: Portal) -> Iterator[PageSpec]:
    schedules = _published(portal)
    leaders = _leaders(portal)
    current = _current(portal, schedules)
    yield PageSpec("reception/", "portal/reception_index.html", "领导公开接访", {
        "schedules": schedules, "current": current, "leaders": leaders,
        "upcoming": [s for s in schedules if s.id > portal.as_of.strftime("%Y-%m")],
    }, description="县级领导公开接访安排、接访受理和包案化解情况")
    for sched in schedules:
        yield PageSpec(f"reception/{sched.id}/", "portal/reception_month.html",
                       f"{sched.id[:4]}年{int(sched.id[5:])}月领导公开接访安排", {
                           "schedule": sched, "uncovered": uncovered_workdays(portal, sched.id, sched.sessions),
                           "weekdays": WEEKDAYS,
                       }, description=f"{sched.id} 县级领导公开接访的日期、领导和地点")
    by_leader = portal.figures.groups(portal.figures.all_time, "reception_leader")
    for leader, rec, counts in leaders:
        yield PageSpec(leader_path(leader.id), "portal/leader.html", f"{leader.name}（{leader.post}）", {
            "leader": leader, "rec": rec, "counts": counts, "figures": by_leader.get(leader.id, Tally()),
            "held": rec.held(portal.as_of)[::-1], "upcoming": rec.upcoming(portal.as_of),
            "received_public": [c for c in rec.received if c.public], "received_restricted": _restricted(rec.received),
            "packaged_public": [c for c in rec.packaged if c.public], "packaged_restricted": _restricted(rec.packaged),
            "weekdays": WEEKDAYS,
        }, description=f"{leader.post}{leader.name}的公开接访和包案情况")
