"""The statistics page: monthly trends and breakdowns by category, channel and unit."""

from __future__ import annotations

from ..derive import Portal
from ..stats import group_figures, total_figures
from .spec import PageSpec


def stats_page(portal: Portal) -> PageSpec:
    cases, states, as_of = portal.cases.values(), portal.case_states, portal.as_of
    return PageSpec("stats/", "portal/stats.html", "统计", {
        "total": total_figures(cases, states, as_of),
        "by_month": sorted(group_figures(cases, states, as_of, lambda c, s: c.received.strftime("%Y-%m")).items()),
        "by_category": group_figures(cases, states, as_of, lambda c, s: c.category),
        "by_channel": group_figures(cases, states, as_of, lambda c, s: c.channel),
        "by_type": group_figures(cases, states, as_of, lambda c, s: c.type),
    })
