"""Pages about units: the league table and a scorecard per unit."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from ..derive import Portal
from ..stats import Figures, group_figures
from .pages_stats import monthly_charts
from .spec import PageSpec


def unit_figures(portal: Portal) -> dict[str, Figures]:
    """Figures per responsible unit over every case received up to the as-of day."""
    return group_figures(portal.cases.values(), portal.case_states, portal.as_of, lambda c, s: s.unit)


def league(figures: dict[str, Figures]) -> list[tuple[str, Figures]]:
    """Units with cases, best on-time reply rate first (then satisfaction, then volume)."""
    return sorted(figures.items(), key=lambda kv: (-(kv[1].on_time_reply_rate or 0), -(kv[1].satisfaction_rate or 0),
                                                   -kv[1].received, kv[0]))


def units_index(portal: Portal) -> PageSpec:
    return PageSpec("units/", "portal/units_index.html", "单位", {"league": league(unit_figures(portal))})


def unit_pages(portal: Portal) -> Iterator[PageSpec]:
    figures = unit_figures(portal)
    ranked = [uid for uid, _ in league(figures)]
    monthly = group_figures(portal.cases.values(), portal.case_states, portal.as_of,
                            lambda c, s: f"{s.unit}|{c.received:%Y-%m}" if s.unit else None)
    months_by_unit: dict[str, list[tuple[str, Figures]]] = defaultdict(list)
    for key, f in sorted(monthly.items()):
        unit_id, month = key.split("|")
        months_by_unit[unit_id].append((month, f))
    for u in portal.records.units.values():
        f = figures.get(u.id, Figures())
        matters = sorted((m for m in portal.records.matters.values() if m.unit == u.id), key=lambda m: m.id)
        yield PageSpec(f"units/{u.id}/", "portal/unit.html", u.name, {
            "unit": u, "figures": f, "rank": ranked.index(u.id) + 1 if u.id in ranked else None,
            "ranked_count": len(ranked), "matters": matters,
            "charts": monthly_charts(months_by_unit.get(u.id, []), u.name),
            "children": sorted((c for c in portal.records.units.values() if c.parent == u.id), key=lambda c: c.id),
        }, description=f"{u.name}诉求办理情况")
