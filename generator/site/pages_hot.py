"""The 热点 pages: hot issues month by month (每月一题 first), the meeting or matter each led to, and the ones
still waiting for a coordination meeting."""

from __future__ import annotations

from typing import Iterator

from ..derive import Portal
from ..hotissues import RepeatGroup, hot_counts, of_month
from ..measures import month_period, periods_between
from .links import hot_month_path
from .spec import PageSpec


def _months(portal: Portal) -> list[tuple]:
    """(month period, its hot issues, most raised first), newest month first; months without any left out."""
    if not portal.cases:
        return []
    first = min(c.received for c in portal.cases.values())
    hot = portal.hot_issues
    out = []
    for p in periods_between(first, portal.as_of, "month")[::-1]:
        groups = of_month(hot, p.start, p.end)
        if groups:
            out.append((p, groups))
    return out


def summary(portal: Portal) -> dict:
    months = _months(portal)
    return {"counts": hot_counts(portal.hot_issues), "latest": months[0] if months else None}


def flagged(groups: list[RepeatGroup]) -> list[RepeatGroup]:
    return [g for g in groups if not g.has_meeting]


def hot_pages(portal: Portal) -> Iterator[PageSpec]:
    months = _months(portal)
    hot = portal.hot_issues
    yield PageSpec("hot/", "portal/hot_index.html", "热点问题", {
        "counts": hot_counts(hot), "months": months, "flagged": flagged(hot), "current": month_period(portal.as_of),
    }, description="群众反映集中的热点问题、每月一题，以及召开协调会和纳入为民办实事的情况")
    for p, groups in months:
        yield PageSpec(hot_month_path(p.id), "portal/hot_month.html", f"{p.label}热点问题", {
            "period": p, "groups": [(g, g.received_in(p.start, p.end)) for g in groups], "counts": hot_counts(groups),
            "in_progress": p.in_progress(portal.as_of),
        }, description=f"{p.label}群众反映集中的问题（每月一题）")
