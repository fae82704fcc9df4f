"""One Atom feed entry, independent of what it is about (a reply, a completed matter, a bulletin)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Entry:
    """One feed entry; link is site-relative (cases/ID/)."""

    key: str  # stable name the entry id is derived from
    title: str
    updated: date
    link: str
    author: str
    summary: str
    content: str = ""  # record text (Markdown allowed), rendered to sanitised HTML only if the entry is published
    published: date | None = None
    categories: tuple[tuple[str, str], ...] = ()  # (term, label)
    units: tuple[str, ...] = ()  # the units whose feeds carry this entry
    site_wide: bool = True  # False: only in the unit feeds (a bulletin's line for one unit)
