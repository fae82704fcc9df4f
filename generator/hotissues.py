"""Repeat complaints and hot issues (重复投诉、热点问题): which cases are one problem raised again and again.

Two cases belong to one group when one is marked a repeat of the other (duplicate_of), or when they are at the
same place, in the same category, and received at most `window` days apart (a chain: each case within the window
of the one before). A group of `min_cases` or more is a hot issue, which should go to a coordination meeting
(seed 001: 对重复投诉事项及群众反映的热点问题，及时召集责任单位召开协调会); a hot issue without one is flagged.
A month's hot issues are those with a case received in it, the month's first (每月一题) the one raised most that month.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from .activity_measures import Counts
from .model import Case


@dataclass
class RepeatGroup:
    """Cases that raise one problem, in the order received."""

    cases: list[Case]
    meetings: list[str] = field(default_factory=list)  # meeting records (coordination, joint) that took it up
    consultations: list[tuple[str, date, str]] = field(default_factory=list)  # (case id, date, topic): 集中会商 events
    matters: list[str] = field(default_factory=list)  # practical matters it led to

    @property
    def id(self) -> str:
        """Place, category and first day: stable, and naming no case (the first may be restricted)."""
        return f"{self.region}-{self.category}-{self.first:%Y%m%d}"

    @property
    def region(self) -> str:
        return self.cases[0].region

    @property
    def category(self) -> str:
        return self.cases[0].category

    @property
    def first(self) -> date:
        return self.cases[0].received

    @property
    def last(self) -> date:
        return self.cases[-1].received

    @property
    def has_meeting(self) -> bool:
        return bool(self.meetings or self.consultations)

    def received_in(self, start: date, end: date) -> int:
        return sum(1 for c in self.cases if start <= c.received <= end)

    def newest_public(self, limit: int) -> list[Case]:
        """The newest public cases of the group, at most limit (a page lists these; the rest are counted)."""
        return [c for c in reversed(self.cases) if c.public][:limit]

    @property
    def restricted(self) -> int:
        return sum(1 for c in self.cases if not c.public)

    def ids(self) -> set[str]:
        return {c.id for c in self.cases}


def _find(parent: dict[str, str], x: str) -> str:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def repeat_groups(cases: dict[str, Case], window: int, as_of: date, *, meetings: dict | None = None,
                  matters_by_case: dict[str, list[str]] | None = None) -> list[RepeatGroup]:
    """Every group of two or more cases, the largest first; meetings and matters dated up to as_of attached."""
    parent = {cid: cid for cid in cases}

    def union(a: str, b: str) -> None:
        ra, rb = _find(parent, a), _find(parent, b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for c in cases.values():
        if c.duplicate_of in cases:
            union(c.id, c.duplicate_of)
    by_place: dict[tuple[str, str], list[Case]] = defaultdict(list)
    for c in cases.values():
        by_place[(c.region, c.category)].append(c)
    for same in by_place.values():
        same.sort(key=lambda c: (c.received, c.id))
        for a, b in zip(same, same[1:]):
            if (b.received - a.received).days <= window:
                union(a.id, b.id)
    members: dict[str, list[Case]] = defaultdict(list)
    for cid, c in cases.items():
        members[_find(parent, cid)].append(c)
    groups = [RepeatGroup(sorted(m, key=lambda c: (c.received, c.id))) for m in members.values() if len(m) > 1]
    for g in groups:
        ids = g.ids()
        g.meetings = sorted(m.id for m in (meetings or {}).values()
                            if m.kind in ("coordination", "joint") and m.date <= as_of and ids & set(m.cases))
        g.consultations = [(c.id, e.date, e.topic or "") for c in g.cases for e in c.events
                           if e.type == "meeting" and e.date <= as_of]
        g.matters = sorted({mid for c in g.cases for mid in (matters_by_case or {}).get(c.id, ())})
    groups.sort(key=lambda g: (-len(g.cases), g.first, g.id))
    return groups


def hot(groups: list[RepeatGroup], min_cases: int) -> list[RepeatGroup]:
    return [g for g in groups if len(g.cases) >= min_cases]


def of_month(groups: list[RepeatGroup], start: date, end: date) -> list[RepeatGroup]:
    """Hot issues with a case received in the month, the most raised that month first (the first is 每月一题)."""
    counted = [(n, g) for g in groups if g.first <= end and g.last >= start and (n := g.received_in(start, end))]
    return [g for n, g in sorted(counted, key=lambda ng: (-ng[0], -len(ng[1].cases), ng[1].first, ng[1].id))]


def hot_counts(groups: list[RepeatGroup]) -> Counts:
    return Counts(hot_groups=len(groups), hot_group_cases=sum(len(g.cases) for g in groups),
                  hot_groups_met=sum(1 for g in groups if g.has_meeting))
