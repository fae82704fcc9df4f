"""Places (属地): the towns and their villages and communities, the cases raised in each, and 回头看.

A case's `region` names the town or village where the problem is. A town's cases are its own and its villages';
a village's are its own. 回头看 sorts every issue raised at a place, as of the day the page is made, into 已解决
(closed), 正在解决 (open, within its time limit) and 未解决 (open, past it) — the three piles of seed 004.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .activity_measures import Counts
from .lifecycle import CaseState
from .model import Case, Matter, Unit

TOWN_KINDS = ("town",)
VILLAGE_KINDS = ("village", "community")
LOOKBACK_STATES = (("resolved", "已解决"), ("resolving", "正在解决"), ("unresolved", "未解决"))
LOOKBACK_MEASURE = {"resolved": "lookback_resolved", "resolving": "lookback_resolving", "unresolved": "lookback_unresolved"}


def town_map(units: dict[str, Unit]) -> dict[str, str]:
    """Place id -> the town it is in (a town maps to itself); other units are not places."""
    out = {}
    for u in units.values():
        if u.kind in TOWN_KINDS:
            out[u.id] = u.id
        elif u.kind in VILLAGE_KINDS and u.parent in units and units[u.parent].kind in TOWN_KINDS:
            out[u.id] = u.parent
    return out


def lookback_state(st: CaseState) -> str:
    """已解决 / 正在解决 / 未解决 on the as-of day."""
    if not st.is_open:
        return "resolved"
    return "unresolved" if st.overdue else "resolving"


@dataclass
class Place:
    """One town or village and what the portal knows about it."""

    unit: Unit
    town: Unit  # itself for a town
    children: list[Unit] = field(default_factory=list)  # a town's villages and communities
    cases: list[Case] = field(default_factory=list)  # raised here (a town: with its villages'), newest first
    matters: list[Matter] = field(default_factory=list)  # practical matters naming this place (a town: or a village of it)

    @property
    def is_town(self) -> bool:
        return self.unit.id == self.town.id


def places(units: dict[str, Unit], cases: list[Case], matters: list[Matter]) -> dict[str, Place]:
    """Every town and village with its cases (newest first) and matters; towns first, then by id."""
    towns = town_map(units)
    out: dict[str, Place] = {}
    for pid in sorted(towns, key=lambda p: (towns[p] != p, towns[p], p)):
        out[pid] = Place(units[pid], units[towns[pid]])
    for p in out.values():
        if not p.is_town:
            out[p.town.id].children.append(p.unit)
    for c in sorted(cases, key=lambda c: (c.received, c.id), reverse=True):
        town = towns.get(c.region)
        if town is None:
            continue
        out[town].cases.append(c)
        if c.region != town:
            out[c.region].cases.append(c)
    for m in sorted(matters, key=lambda m: m.id):
        named: set[str] = set()
        for r in m.regions:
            if r in towns:
                named |= {r, towns[r]}
        for pid in sorted(named):
            out[pid].matters.append(m)
    return out


def lookback(cases: list[Case], states: dict[str, CaseState]) -> tuple[Counts, dict[str, list[Case]]]:
    """The counts of 回头看 (every case, restricted ones too) and the public cases in each state."""
    counts: dict[str, int] = defaultdict(int)
    piles: dict[str, list[Case]] = {key: [] for key, _ in LOOKBACK_STATES}
    for c in cases:
        key = lookback_state(states[c.id])
        counts[LOOKBACK_MEASURE[key]] += 1
        if c.public:
            piles[key].append(c)
    return Counts(lookback_cases=len(cases), **counts), piles


def lookback_by_category(cases: list[Case], states: dict[str, CaseState]) -> dict[str, dict[str, int]]:
    """Category -> state -> count (restricted cases included): which problems were raised here and how they stand."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: {key: 0 for key, _ in LOOKBACK_STATES})
    for c in cases:
        out[c.category][lookback_state(states[c.id])] += 1
    return dict(out)
