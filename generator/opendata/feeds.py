"""Atom feeds (RFC 4287): new replies, completed practical matters and monthly bulletins, site-wide and per unit.

Links are relative to the feed's own address (valid Atom: relative IRIs resolve against the document),
so the feeds work wherever the site is served. Ids are name-based UUID URNs, stable across builds;
`updated` comes from record dates, never from the clock.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable

from ..derive import Portal
from ..lifecycle import MATTER_STATUS_LABELS
from ..site.links import case_path, matter_path, unit_path
from ..site.text import rich_text
from .bulletins import bulletin_entries as _bulletin_entries
from .datapackage import LICENSE, iso_datetime
from .entry import Entry
from .tables import public_cases, published_matters, reply_units

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SITE_LIMIT = 100  # entries in a site-wide feed
UNIT_LIMIT = 20  # entries in a unit's feed
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot carry


@dataclass(frozen=True)
class FeedKind:
    """One kind of feed: its file name, Chinese title, landing page and entries."""

    name: str  # replies -> feeds/replies.xml and feeds/units/<unit>/replies.xml
    title: str
    subtitle: str
    page: str  # site-relative HTML page the feed mirrors
    entries: Callable[[Portal], list[Entry]] = field(compare=False)


def _urn(portal: Portal, key: str) -> str:
    name = f"huiyin:{portal.records.settings.case_id_prefix}:{key}"
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _clean(text)
    return el


def render_feed(portal: Portal, kind: FeedKind, entries: list[Entry], path: str, title: str, page: str,
                html: dict[str, str] | None = None) -> bytes:
    """The Atom document at site-relative `path` (feeds/replies.xml) mirroring `page`, newest entries first.

    `html` caches each entry's rendered content by key, as one entry appears in several feeds."""
    html = {} if html is None else html
    up = "../" * path.count("/")
    s = portal.records.settings
    root = ET.Element("feed", {"xmlns": ATOM, XML_LANG: "zh-CN"})  # Atom as the default namespace
    _sub(root, "id", _urn(portal, f"feed:{path}"))
    _sub(root, "title", title)
    _sub(root, "subtitle", kind.subtitle)
    updated = max((e.updated for e in entries), default=portal.as_of)
    _sub(root, "updated", iso_datetime(updated))
    _sub(_sub(root, "author"), "name", s.publisher)
    _sub(root, "link", rel="self", type="application/atom+xml", href=path.rsplit("/", 1)[-1])
    _sub(root, "link", rel="alternate", type="text/html", href=up + page)
    _sub(root, "generator", "回音")
    _sub(root, "rights", f"{s.publisher} · {LICENSE['title']}")
    for e in entries:
        el = _sub(root, "entry")
        _sub(el, "id", _urn(portal, e.key))
        _sub(el, "title", e.title)
        _sub(el, "updated", iso_datetime(e.updated))
        if e.published:
            _sub(el, "published", iso_datetime(e.published))
        _sub(_sub(el, "author"), "name", e.author)
        _sub(el, "link", rel="alternate", type="text/html", href=up + e.link)
        for term, label in e.categories:
            _sub(el, "category", term=term, label=label)
        _sub(el, "summary", e.summary, type="text")
        if e.content:
            if e.key not in html:
                html[e.key] = str(rich_text(e.content))
            _sub(el, "content", html[e.key], type="html")
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def reply_entries(portal: Portal) -> list[Entry]:
    """The replies to public cases that some feed shows (the newest site-wide and per unit), newest first."""
    s, units = portal.records.settings, portal.records.units
    every = [(c.events[i].date, f"reply:{c.id}:{i}", c, i, unit)
             for c in public_cases(portal) for i, unit in reply_units(c, portal.as_of).items()]
    every.sort(key=lambda t: (t[0], t[1]), reverse=True)
    out = []
    for _, key, c, i, unit in _shown(every):
        e = c.events[i]
        name = units[unit].name if unit in units else "承办单位"
        text = (e.text or "").strip()
        out.append(Entry(
            key=key, title=f"{name}答复：{c.title}", updated=e.date, published=e.date,
            link=case_path(c.id), author=name, summary=text[:140] + ("…" if len(text) > 140 else ""),
            content=text, categories=((c.category, s.categories[c.category].name),), units=(unit,) if unit else ()))
    return _newest_first(out)


def matter_entries(portal: Portal) -> list[Entry]:
    """Every completed practical matter, newest completion first."""
    s, units = portal.records.settings, portal.records.units
    out = []
    for m in published_matters(portal):
        st = portal.matter_states[m.id]
        if st.status != "completed" or m.completed is None:
            continue
        name = units[m.unit].name if m.unit in units else m.unit
        when = "按期完成" if st.on_time else f"逾期完成（时限 {st.deadline.isoformat()}）"
        summary = f"{m.title}已于 {m.completed.isoformat()} {when}。责任单位：{name}，责任人：{m.responsible_name}（{m.responsible_post}）。"
        if m.survey and m.survey.total:
            rate = 100.0 * (m.survey.satisfied + m.survey.basically_satisfied) / m.survey.total
            summary += f"群众满意率 {rate:.1f}%（调查 {m.survey.total} 人）。"
        out.append(Entry(
            key=f"matter-completed:{m.id}", title=f"{MATTER_STATUS_LABELS['completed']}：{m.title}",
            updated=m.completed, published=m.completed, link=matter_path(m.id), author=name, summary=summary,
            content=m.description,
            categories=((m.category, s.categories[m.category].name if m.category in s.categories else m.category),),
            units=(m.unit,)))
    return _newest_first(out)


def bulletin_entries(portal: Portal) -> list[Entry]:
    """The monthly bulletins the portal has published, newest first."""
    return _newest_first(_bulletin_entries(portal))


def correction_entries(portal: Portal) -> list[Entry]:
    """Every correction of a published fact (the 更正与变更 register), newest first."""
    from ..history.register import register_of

    units, out = portal.records.units, []
    for c in register_of(portal).corrections:
        name = units[c.unit].name if c.unit in units else portal.records.settings.publisher
        change = f"更正前：{c.before or '—'}；更正后：{c.after or '—'}。" if c.before or c.after else ""
        out.append(Entry(
            key=f"correction:{c.key}", title=f"更正（{c.what}）：{c.title}", updated=date.fromisoformat(c.date),
            published=date.fromisoformat(c.date), link=f"corrections/#{c.anchor}", author=name,
            summary=f"{c.text}。{change}原因：{c.reason or '未写明'}", units=(c.unit,) if c.unit else ()))
    return _newest_first(out)


def _shown(newest_first: list[tuple]) -> list[tuple]:
    """The candidates (…, unit) that make the site-wide feed or their unit's feed; the rest are never rendered."""
    per_unit: dict[str | None, int] = defaultdict(int)
    out = []
    for n, item in enumerate(newest_first):
        unit = item[-1]
        if n < SITE_LIMIT or (unit and per_unit[unit] < UNIT_LIMIT):
            out.append(item)
        per_unit[unit] += 1
    return out


def _newest_first(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.updated, e.key), reverse=True)


KINDS: tuple[FeedKind, ...] = (
    FeedKind("replies", "最新答复", "承办单位对群众诉求的最新答复", "replies/", reply_entries),
    FeedKind("matters", "已完成的为民办实事", "按期或逾期完成的为民办实事", "matters/", matter_entries),
    FeedKind("bulletins", "月度通报", "每月诉求办理情况通报", "bulletins/", bulletin_entries),
    FeedKind("corrections", "更正与变更", "已公开内容的每一项更正：更正前后的内容和原因", "corrections/", correction_entries),
)


def feeds(portal: Portal) -> dict[str, bytes]:
    """Every feed file by site-relative path: feeds/<kind>.xml and feeds/units/<unit>/<kind>.xml."""
    s, units = portal.records.settings, portal.records.units
    out: dict[str, bytes] = {}
    html: dict[str, str] = {}
    for kind in KINDS:
        entries = kind.entries(portal)
        path = f"feeds/{kind.name}.xml"
        site_wide = [e for e in entries if e.site_wide][:SITE_LIMIT]
        out[path] = render_feed(portal, kind, site_wide, path, f"{s.site_title} · {kind.title}", kind.page, html)
        by_unit: dict[str, list[Entry]] = defaultdict(list)
        for e in entries:
            for u in e.units:
                by_unit[u].append(e)
        for uid in sorted(units):
            path = f"feeds/units/{uid}/{kind.name}.xml"
            out[path] = render_feed(portal, kind, by_unit.get(uid, [])[:UNIT_LIMIT], path,
                                    f"{units[uid].name} · {kind.title}", unit_path(uid), html)
    return out
