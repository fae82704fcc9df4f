"""An Atom feed per town and village (feeds/places/<id>.xml): what is new there — cases received and replies given.

Residents follow their own village: each entry is a public case newly raised there or a reply to one. Built with
feeds.render_feed, so ids, links and dates follow the site-wide feeds' rules.
"""

from __future__ import annotations

from ..derive import Portal
from ..site.links import case_path, place_path
from .entry import Entry
from .feeds import FeedKind, render_feed
from .tables import reply_units

PLACE_LIMIT = 20  # entries in a place's feed
PLACE_FEED = FeedKind("places", "本地动态", "本地群众新反映的问题和承办单位的答复", "places/", lambda portal: [])


def place_entries(portal: Portal, case_ids: list[str]) -> list[Entry]:
    """The newest received cases and replies among these cases, newest first (at most PLACE_LIMIT)."""
    s, units = portal.records.settings, portal.records.units
    out = []
    for cid in case_ids:
        c = portal.cases[cid]
        if not c.public:
            continue
        category = ((c.category, s.categories[c.category].name),)
        out.append(Entry(key=f"received:{c.id}", title=f"新受理：{c.title}", updated=c.received, published=c.received,
                         link=case_path(c.id), author=s.publisher, summary=c.content.strip()[:140], categories=category))
        for i, unit in reply_units(c, portal.as_of).items():
            e = c.events[i]
            name = units[unit].name if unit in units else "承办单位"
            text = (e.text or "").strip()
            out.append(Entry(key=f"reply:{c.id}:{i}", title=f"{name}答复：{c.title}", updated=e.date, published=e.date,
                             link=case_path(c.id), author=name, summary=text[:140] + ("…" if len(text) > 140 else ""),
                             content=text, categories=category))
    out.sort(key=lambda e: (e.updated, e.key), reverse=True)
    return out[:PLACE_LIMIT]


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
