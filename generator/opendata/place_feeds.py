"""An Atom feed per town and village (feeds/places/<id>.xml): what is new there — cases received and replies given.

Residents follow their own village: each entry is a public case newly raised there or a reply to one. Built with
feeds.render_feed, so ids, links and dates follow the site-wide feeds' rules.
"""

from __future__ import annotations

from datetime import date

from ..derive import Portal
from ..model import Case
from ..site.links import case_path, place_path
from .entry import Entry
from .feeds import FeedKind, render_feed
from .tables import reply_units

PLACE_LIMIT = 20  # entries in a place's feed
PLACE_FEED = FeedKind("places", "本地动态", "本地群众新反映的问题和承办单位的答复", "places/", lambda portal: [])


def place_entries(portal: Portal, case_ids: list[str]) -> list[Entry]:
    """The newest received cases and replies among these cases, newest first (at most PLACE_LIMIT). Cases are looked
    at newest first, by the day of their latest event, until no older one could make the list."""
    as_of = portal.as_of
    cases = sorted((c for c in map(portal.cases.__getitem__, case_ids) if c.public),
                   key=lambda c: _latest_day(c, as_of), reverse=True)
    out: list[Entry] = []
    for c in cases:
        if len(out) >= PLACE_LIMIT:
            out.sort(key=_newest_first, reverse=True)
            del out[PLACE_LIMIT:]
            if _latest_day(c, as_of) < out[-1].updated:  # neither its receipt nor any reply can come in
                break
        out.extend(_case_entries(portal, c))
    out.sort(key=_newest_first, reverse=True)
    return out[:PLACE_LIMIT]


def _newest_first(e: Entry) -> tuple:
    return e.updated, e.key


def _latest_day(c: Case, as_of: date) -> date:
    """No entry of the case is dated after this: its last event up to the as-of day, or its receipt."""
    for e in reversed(c.events):
        if e.date <= as_of:
            return max(e.date, c.received)
    return c.received


def _case_entries(portal: Portal, c: Case) -> list[Entry]:
    """The case's receipt and each of its replies up to the as-of day."""
    s, units = portal.records.settings, portal.records.units
    category = ((c.category, s.categories[c.category].name),)
    out = [Entry(key=f"received:{c.id}", title=f"新受理：{c.title}", updated=c.received, published=c.received,
                 link=case_path(c.id), author=s.publisher, summary=c.content.strip()[:140], categories=category)]
    for i, unit in reply_units(c, portal.as_of).items():
        e = c.events[i]
        name = units[unit].name if unit in units else "承办单位"
        text = (e.text or "").strip()
        out.append(Entry(key=f"reply:{c.id}:{i}", title=f"{name}答复：{c.title}", updated=e.date, published=e.date,
                         link=case_path(c.id), author=name, summary=text[:140] + ("…" if len(text) > 140 else ""),
                         content=text, categories=category))
    return out


def place_feeds(portal: Portal) -> dict[str, bytes]:
    """feeds/places/<id>.xml for every town and village."""
    html: dict[str, str] = {}
    out = {}
    title = portal.records.settings.site_title
    for pid, place in portal.places.items():
        path = f"feeds/places/{pid}.xml"
        out[path] = render_feed(portal, PLACE_FEED, place_entries(portal, [c.id for c in place.cases]), path,
                                f"{title} · {place.unit.name}{PLACE_FEED.title}", place_path(pid), html)
    return out
