"""The site's figures, each counted once per build: one tally per (period kind, grouping), shared by every page.

The statistics page, unit pages, league tables, home page and open data all read from here, so the same figure
for the same period is the same number wherever it appears.
"""

from __future__ import annotations

from datetime import date
from typing import Callable

from .measures import (GRANULARITIES, CaseFacts, Period, Tally, all_period, case_facts, granularity_of, month_period,
                       periods_between, tally_facts)
from .model import Case

GROUPINGS: dict[str, Callable] = {
    "total": lambda c, st: "",
    "unit": lambda c, st: st.unit,  # the unit responsible on the as-of day; unassigned cases only in totals
    "category": lambda c, st: c.category,
    "channel": lambda c, st: c.channel,
    "type": lambda c, st: c.type,
    "region": lambda c, st: c.region,  # the place itself (a village, or a town's own cases)
    "reception_leader": lambda c, st: c.reception[0] if c.reception else None,
    "package_leader": lambda c, st: c.package_leader,
}


class PortalFigures:
    """Tallies of a Portal's cases (as of its day), computed on first use and kept."""

    def __init__(self, cases: dict[str, Case], states: dict, as_of: date, town_of: dict[str, str] | None = None):
        self.cases, self.states, self.as_of = cases, states, as_of
        self._tallies: dict[tuple[str, str], dict[tuple[str, str], Tally]] = {}
        self._facts: list[CaseFacts] | None = None
        towns = town_of or {}
        self.groupings = {**GROUPINGS, "town": lambda c, st: towns.get(c.region)}  # a town with its villages

    def _get(self, granularity: str, grouping: str) -> dict[tuple[str, str], Tally]:
        key = (granularity, grouping)
        if key not in self._tallies:
            period_of = all_period(self.as_of) if granularity == "all" else GRANULARITIES[granularity]
            if self._facts is None:
                self._facts = case_facts(self.cases.values(), self.states, self.as_of)
            self._tallies[key] = tally_facts(self._facts, self.as_of, period_of=period_of, key=self.groupings[grouping])
        return self._tallies[key]

    @property
    def all_time(self) -> Period:
        return all_period(self.as_of)(self.as_of)

    def total(self, period: Period) -> Tally:
        """All cases over one period (a month, quarter, year or all time)."""
        return self._get(granularity_of(period), "total").get((period.id, ""), Tally())

    def groups(self, period: Period, grouping: str) -> dict[str, Tally]:
        """Per unit, category, channel or type over one period."""
        return {g: t for (p, g), t in self._get(granularity_of(period), grouping).items() if p == period.id}

    def series(self, granularity: str, grouping: str = "total", group: str = "") -> list[tuple[Period, Tally]]:
        """Every period from the first case to the as-of day, empty ones included, with its tally."""
        if not self.cases:
            return []
        first = min(c.received for c in self.cases.values())
        found = self._get(granularity, grouping)
        return [(p, found.get((p.id, group), Tally())) for p in periods_between(first, self.as_of, granularity)]

    def current_month(self) -> Period:
        return month_period(self.as_of)

