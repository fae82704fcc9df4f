"""The search index: Pagefind (extended build, which segments Chinese) over a lean corpus of the records.

Indexing the rendered pages makes Pagefind parse every page's theme chrome (navigation, header, footer);
instead each searchable record is written as a tiny HTML page holding just its words and filters, at
the same URL as its real page, and Pagefind's bundle is written into the site's pagefind/ folder.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Iterator

from ..derive import Portal
from ..lifecycle import CASE_STATUS_LABELS, MATTER_STATUS_LABELS
from .pages_bulletins import published

log = logging.getLogger(__name__)


class SearchIndexError(RuntimeError):
    pass


@dataclass
class Entry:
    """One search result: where it links, its title, its words and its filter values."""

    url: str  # site-relative directory URL, e.g. "cases/QH20260302-7KQ2M/"
    title: str
    texts: list[str]
    filters: dict[str, str] = field(default_factory=dict)


def entries(portal: Portal) -> Iterator[Entry]:
    """Every public case, matter, unit and current bulletin, as search entries."""
    records, s = portal.records, portal.records.settings
    units = records.units

    def unit_name(uid: str | None) -> str:
        return units[uid].name if uid in units else ""

    for c in portal.cases.values():
        if not c.public:
            continue
        st = portal.case_states[c.id]
        replies = [e.text for e in c.events if e.type == "replied" and e.text and e.date <= portal.as_of]
        yield Entry(f"cases/{c.id}/", c.title, [c.id, c.content, *replies, unit_name(st.unit)],
                    {"单位": unit_name(st.unit) or "待交办", "类别": s.categories[c.category].name,
                     "状态": CASE_STATUS_LABELS[st.status], "年份": str(c.received.year)})
    for m in records.matters.values():
        batch = records.batches.get(m.batch)
        if batch is None or batch.published > portal.as_of:
            continue
        st = portal.matter_states[m.id]
        yield Entry(f"matters/{m.id}/", m.title, [m.description, *(u.text for u in m.updates if u.date <= portal.as_of),
                                                  unit_name(m.unit), m.responsible_name],
                    {"单位": unit_name(m.unit), "类别": s.categories[m.category].name,
                     "状态": MATTER_STATUS_LABELS[st.status], "年份": str(batch.year)})
    for u in units.values():
        yield Entry(f"units/{u.id}/", u.name, [u.description], {"单位": u.name})
    for mb in published(portal):
        doc = mb.current
        yield Entry(f"bulletins/{mb.month}/", doc["title"], [doc.get("summary", "")], {"年份": mb.month[:4]})


def write_corpus(items: Iterator[Entry], folder: Path) -> int:
    """One tiny HTML page per entry under folder, at the entry's URL."""
    count = 0
    for e in items:
        page = folder / e.url / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        body = "".join(f"<p>{escape(t)}</p>" for t in e.texts if t)
        filters = "".join(f'<span data-pagefind-filter="{escape(k)}">{escape(v)}</span>' for k, v in e.filters.items() if v)
        page.write_text(f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{escape(e.title)}</title>'
                        f'</head><body><main data-pagefind-body><h1 data-pagefind-meta="title">{escape(e.title)}</h1>'
                        f"{body}{filters}</main></body></html>", encoding="utf-8")
        count += 1
    return count


def index_site(portal: Portal, site_dir: Path) -> int:
    """Write site_dir/pagefind/ from the records; returns how many entries were indexed."""
    with tempfile.TemporaryDirectory(prefix="huiyin-search-") as tmp:
        count = write_corpus(entries(portal), Path(tmp))
        cmd = [sys.executable, "-m", "pagefind", "--site", tmp, "--output-path", str(site_dir / "pagefind"),
               "--force-language", "zh"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SearchIndexError(f"Pagefind failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    log.info("search index: %d entries", count)
    return count
