"""Pages about units: league tables within comparable groups over a chosen period, and a scorecard per unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Iterator

from ..comparisons import GROUP_NAMES, Standing, rank, standing, unit_group
from ..derive import Portal
from ..measures import GRANULARITIES, Period, Tally, granularity_of, periods_between
from ..model import Unit
from .pages_stats import monthly_charts
from .links import unit_path
from .spec import PageSpec

LEAGUE_MEASURES = ("on_time_reply_rate", "on_time_close_rate", "closure_rate", "satisfaction_rate", "avg_reply_workdays")
PRIMARY = "on_time_reply_rate"


@dataclass
class LeagueRow:
    unit: Unit
    tally: Tally
    standings: dict[str, Standing]


@dataclass
class LeagueGroup:
    id: str
    name: str
    rows: list[LeagueRow]


def league_url(period: Period) -> str:
    return f"units/league/{period.id}/"


def _previous(period: Period) -> Period:
    return GRANULARITIES[granularity_of(period)](period.start - timedelta(days=1))


def league(portal: Portal, period: Period) -> list[LeagueGroup]:
    """Units with cases in the period, within their group, ranked on each measure (few-case values not ranked)."""
    figs, units = portal.figures, portal.records.units
    minimum = portal.records.settings.min_cases_for_ranking
    now, before = figs.groups(period, "unit"), figs.groups(_previous(period), "unit")
    groups = []
    for gid, name in GROUP_NAMES.items():
        rows = [LeagueRow(units[uid], t, {mid: standing(t, mid, minimum, before.get(uid)) for mid in LEAGUE_MEASURES})
                for uid, t in now.items() if uid in units and unit_group(units[uid]) == gid]
        for mid in LEAGUE_MEASURES:
            rank({r.unit.id: r.standings[mid] for r in rows}, mid)
        rows.sort(key=lambda r: (r.standings[PRIMARY].rank is None, r.standings[PRIMARY].rank or 0,
                                 -r.tally.received, r.unit.id))
        if rows:
            groups.append(LeagueGroup(gid, name, rows))
    return groups


def league_periods(portal: Portal) -> dict[str, list[Period]]:
    """Every month, quarter and year from the first case to the as-of day, newest first."""
    if not portal.cases:
        return {}
    first = min(c.received for c in portal.cases.values())
    return {kind: periods_between(first, portal.as_of, kind)[::-1] for kind in ("year", "quarter", "month")}


def _league_page(portal: Portal, period: Period, periods: dict, url: str) -> PageSpec:
    return PageSpec(url, "portal/units_index.html", f"单位办理情况（{period.label}）", {
        "period": period, "previous": _previous(period), "groups": league(portal, period), "periods": periods,
        "measures": LEAGUE_MEASURES, "in_progress": period.in_progress(portal.as_of),
    }, description=f"各承办单位{period.label}诉求办理情况，按同类单位比较")


def units_index(portal: Portal) -> PageSpec:
    """The league table of the current year (so far), with links to every other period."""
    periods = league_periods(portal)
    current = GRANULARITIES["year"](portal.as_of)
    return _league_page(portal, current, periods, "units/")


def league_pages(portal: Portal) -> Iterator[PageSpec]:
    periods = league_periods(portal)
    for kind in ("year", "quarter", "month"):
        for p in periods.get(kind, []):
            yield _league_page(portal, p, periods, league_url(p))


def unit_pages(portal: Portal) -> Iterator[PageSpec]:
    figs = portal.figures
    whole, year = figs.all_time, GRANULARITIES["year"](portal.as_of)
    cumulative = figs.groups(whole, "unit")
    this_year = {g.id: g for g in league(portal, year)}
    minimum = portal.records.settings.min_cases_for_ranking
    for u in portal.records.units.values():
        group = this_year.get(unit_group(u) or "")
        row = next((r for r in group.rows if r.unit.id == u.id), None) if group else None
        series = figs.series("month", "unit", u.id)
        first = next((i for i, (_, t) in enumerate(series) if t.received or t.reply_due or t.evaluations), None)
        series = series[first:] if first is not None else []
        matters = sorted((m for m in portal.records.matters.values() if m.unit == u.id), key=lambda m: m.id)
        yield PageSpec(unit_path(u.id), "portal/unit.html", u.name, {
            "unit": u, "figures": cumulative.get(u.id, Tally()), "year": year, "group": group, "row": row,
            "months": series, "matters": matters, "charts": monthly_charts(series, u.name, minimum),
            "children": sorted((c for c in portal.records.units.values() if c.parent == u.id), key=lambda c: c.id),
        }, description=f"{u.name}诉求办理情况")
