"""The search index: Pagefind (extended build, which segments Chinese) over a lean corpus of the records.

Indexing the rendered pages makes Pagefind parse every page's theme chrome (navigation, header, footer);
instead each searchable record is written as a tiny HTML page holding just its words and filters, at
the same URL as its real page, and Pagefind's bundle is written into the site's pagefind/ folder.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Iterator

from ..derive import Portal
from ..lifecycle import CASE_STATUS_LABELS, MATTER_STATUS_LABELS
from .links import case_path
from .pages_bulletins import published

log = logging.getLogger(__name__)


class SearchIndexError(RuntimeError):
    pass


@dataclass
class Entry:
    """One search result: where it links, its title, its words and its filter values."""

    url: str  # site-relative URL of the real page, e.g. "units/county-transport/" or "cases/QH20260302-7KQ2M.html"
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
        yield Entry(case_path(c.id), c.title, [c.id, c.content, *replies, unit_name(st.unit)],
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


class SearchJob:
    """Pagefind runs beside the page rendering (it needs only the records), then its bundle moves into the site."""

    def __init__(self, portal: Portal):
        self._tmp = tempfile.TemporaryDirectory(prefix="huiyin-search-")
        self._error: BaseException | None = None
        self.entries = 0
        self.seconds = 0.0
        self._thread = threading.Thread(target=self._run, args=(portal,), name="pagefind", daemon=True)
        self._thread.start()

    def _run(self, portal: Portal) -> None:
        started = time.perf_counter()
        try:
            corpus, out = Path(self._tmp.name) / "corpus", Path(self._tmp.name) / "pagefind"
            self.entries = write_corpus(entries(portal), corpus)
            cmd = [sys.executable, "-m", "pagefind", "--site", str(corpus), "--output-path", str(out),
                   "--force-language", "zh"]
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                raise SearchIndexError(f"Pagefind failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        except BaseException as exc:  # handed to finish() in the build's thread
            self._error = exc
        self.seconds = time.perf_counter() - started

    def finish(self, site_dir: Path) -> None:
        """Wait for the index and move it to site_dir/pagefind/."""
        try:
            self._thread.join()
            if self._error is not None:
                raise self._error
            shutil.move(str(Path(self._tmp.name) / "pagefind"), str(site_dir / "pagefind"))
            log.info("search index: %d entries in %.1f s", self.entries, self.seconds)
        finally:
            self._tmp.cleanup()

    def cancel(self) -> None:
        self._thread.join()
        self._tmp.cleanup()
