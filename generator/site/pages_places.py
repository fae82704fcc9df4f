"""Pages about places (属地): an index of towns and villages, and a page per place with its figures, 回头看,
repeat complaints and practical matters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..activity_measures import Counts
from ..derive import Portal
from ..hotissues import RepeatGroup
from ..measures import Tally
from ..places import LOOKBACK_STATES, Place, lookback, lookback_by_category
from .links import place_path
from .spec import PageSpec

PILE_LIMIT = 100  # cases listed in each pile of 回头看 (newest first); the counts cover them all


@dataclass
class PlaceRow:
    """One place in a list: its counts of 回头看 and how many hot issues it has."""

    place: Place
    lookback: Counts
    hot: int


def feed_path(pid: str) -> str:
    return f"feeds/places/{pid}.xml"


def _groups_at(portal: Portal, place: Place) -> list[RepeatGroup]:
    ids = {place.unit.id} | {u.id for u in place.children}
    return [g for g in portal.repeat_groups if g.region in ids]


def _figures(portal: Portal, place: Place) -> Tally:
    """The registry's figures for the place over all time: a town with its villages, a village alone."""
    grouping = "town" if place.is_town else "region"
    return portal.figures.groups(portal.figures.all_time, grouping).get(place.unit.id, Tally())


def _row(portal: Portal, place: Place) -> PlaceRow:
    counts, _ = lookback(place.cases, portal.case_states)
    hot_min = portal.records.settings.hot_min_cases
    return PlaceRow(place, counts, sum(1 for g in _groups_at(portal, place) if len(g.cases) >= hot_min))


def places_index(portal: Portal) -> PageSpec:
    towns = [p for p in portal.places.values() if p.is_town]
    rows = {pid: _row(portal, p) for pid, p in portal.places.items()}
    return PageSpec("places/", "portal/places_index.html", "属地", {
        "towns": [(rows[t.unit.id], [rows[u.id] for u in t.children]) for t in towns],
    }, description="各镇街、村（社区）反映的问题和办理情况（回头看）")


def place_pages(portal: Portal) -> Iterator[PageSpec]:
    states, hot_min = portal.case_states, portal.records.settings.hot_min_cases
    for pid, place in portal.places.items():
        counts, piles = lookback(place.cases, states)
        categories = lookback_by_category(place.cases, states)
        order = list(portal.records.settings.categories)
        yield PageSpec(place_path(pid), "portal/place.html", place.unit.name, {
            "place": place, "figures": _figures(portal, place), "lookback": counts,
            "piles": {k: v[:PILE_LIMIT] for k, v in piles.items()}, "pile_sizes": {k: len(v) for k, v in piles.items()},
            "states": LOOKBACK_STATES,
            "categories": sorted(categories.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)),
            "groups": _groups_at(portal, place), "hot_min": hot_min,
            "children": [_row(portal, portal.places[u.id]) for u in place.children],
            "feed": feed_path(pid), "restricted": sum(1 for c in place.cases if not c.public),
        }, description=f"{place.unit.name}群众反映的问题和办理情况")
