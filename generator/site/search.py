"""The search index: Pagefind (extended build, which segments Chinese) over the records themselves.

Indexing the rendered pages would make Pagefind parse every page's theme chrome; instead each searchable
record goes to Pagefind's service as a plain record (its words, title and filters) with the URL of its
real page. Large sites get several indexes, merged by the search page, so Pagefind's memory stays bounded.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..derive import Portal
from ..lifecycle import CASE_STATUS_LABELS, MATTER_STATUS_LABELS
from .links import case_path
from .pages_bulletins import published
from .helpers import python_helper
from .pagefind_service import PagefindIndex
from .search_indexer import Plan, Record, link_tree

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
        # what the resident asked, not the replies: they would make Pagefind's work and memory about 60 % larger
        # (10,000 cases: 14 against 8.5 CPU-seconds, 750 against 440 MB); they are on the case page and in the open data
        yield Entry(case_path(c.id), c.title, [c.id, c.content, unit_name(st.unit)],
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


SHARD_SIZE = 10_000  # records per Pagefind index: its memory grows by about 70 KB a record


def shards(items: Iterator[Entry]) -> list[list[Entry]]:
    """Entries split into indexes of at most SHARD_SIZE: the oldest cases fill the extra indexes, so they rarely
    change; the primary index (first) holds the newest cases with every matter, unit and bulletin."""
    cases, others = [], []
    for e in items:
        (cases if e.url.startswith("cases/") else others).append(e)
    cases.sort(key=lambda e: e.url)  # case ids begin with the date received
    older = max(0, len(cases) - max(0, SHARD_SIZE - len(others)))  # cases that do not fit in the primary
    extra = [cases[i:min(i + SHARD_SIZE, older)] for i in range(0, older, SHARD_SIZE)]
    return [cases[older:] + others, *extra]


def _record(e: Entry) -> Record:
    return "/" + e.url, "\n".join(t for t in e.texts if t), e.title, e.filters


def shard_path(number: int) -> str:
    """Where an extra index lives, relative to the primary bundle (pagefind/)."""
    return f"shards/{number}/"


SHARD_CACHE = "search-indexes"  # under the build cache: extra indexes by the digest of their entries


def shard_key(part: list[Entry]) -> str:
    """Digest of everything Pagefind is given for these entries, and of the Pagefind that indexes them."""
    h = hashlib.blake2b(digest_size=16)
    h.update(PagefindIndex.version().encode())
    for e in part:
        h.update(json.dumps([e.url, e.title, e.texts, e.filters], ensure_ascii=False, sort_keys=True).encode())
    return h.hexdigest()


UI_FILES = (".js", ".css")  # the search page loads the interface from the primary bundle only


class SearchJob:
    """Pagefind indexes the records beside the page rendering (it needs only the records), then its bundles
    move into the site's pagefind/ folder; the search page reads pagefind/shards.json and merges the extra
    indexes into the primary one. The indexes are planned here, in a thread, and made by a helper process
    (`search_indexer`): one at a time while the pages render (Pagefind's indexing uses about one core), then,
    once they are done, two at a time, so that no core waits idle."""

    def __init__(self, portal: Portal, work_dir: Path, parallel_after_render: int = 2, cache_dir: Path | None = None):
        work_dir.mkdir(parents=True, exist_ok=True)
        self._out = Path(tempfile.mkdtemp(prefix=".search-", dir=work_dir))  # beside the site: moving in is a rename
        self._cache = cache_dir / SHARD_CACHE if cache_dir is not None else None
        self.reused = 0  # extra indexes taken from the cache
        self.to_make = 0  # indexes Pagefind makes (the others are reused)
        self._errors: list[BaseException] = []
        self._rendered = threading.Event()
        self._planned = threading.Event()  # the indexes to make are known
        self._plan: Plan | None = None
        self._helper: subprocess.Popen | None = None
        self._lock = threading.Lock()  # between cancel() and starting the helper
        self.entries = 0
        self.indexes = 0
        self.seconds = 0.0  # from the start until the last index was written
        self._started = time.perf_counter()
        self._thread = threading.Thread(target=self._run, args=(portal, parallel_after_render), name="pagefind",
                                        daemon=True)
        self._thread.start()

    def _run(self, portal: Portal, parallel_after_render: int) -> None:
        try:
            parts = shards(entries(portal))
            keys = [shard_key(part) if n and self._cache is not None else None for n, part in enumerate(parts)]
            todo = [(n, key, [_record(e) for e in part]) for n, (part, key) in enumerate(zip(parts, keys))
                    if not (key and self._reuse(n, key))]
            self.to_make = len(todo)
            self._planned.set()
            self._prune(set(keys))
            count = len(parts)
            self._plan = Plan(str(self._out), todo, str(self._cache) if self._cache else None, parallel_after_render)
            del parts, todo  # the records live on in the plan only until it is handed over (memory at 100k)
            if self.to_make:
                self._index()
            if not self._errors:
                self._assemble(count)
        except BaseException as exc:  # handed to finish() in the build's thread
            self._errors.append(exc)
        self._planned.set()

    def cores_taken(self) -> int:
        """Cores the indexing keeps busy while the pages render: one while more than one index is to be made
        (a cold build of a large site: about 100 CPU-seconds at 100k cases), else none worth counting
        (only the primary index, or none: its at most 10,000 records take seconds)."""
        self._planned.wait()
        return 1 if self.to_make > 1 else 0

    def _index(self) -> None:
        """Hand the plan to the helper process, tell it when the pages are rendered, and follow its reports."""
        with self._lock:
            if self._errors:  # cancelled while planning
                return
            helper = self._helper = python_helper("generator.site.search_indexer", stdin=subprocess.PIPE,
                                                  stdout=subprocess.PIPE)
        assert helper.stdin is not None and helper.stdout is not None
        plan, self._plan = self._plan, None
        try:
            pickle.dump(plan, helper.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            helper.stdin.flush()
        except BrokenPipeError:
            pass  # it has gone: its exit code says so below
        del plan

        def when_rendered() -> None:
            self._rendered.wait()
            try:
                helper.stdin.write(b"rendered\n")
                helper.stdin.close()
            except (BrokenPipeError, ValueError):
                pass

        threading.Thread(target=when_rendered, name="pagefind-rendered", daemon=True).start()
        for line in helper.stdout:
            report = json.loads(line)
            if "error" in report:
                self._errors.append(SearchIndexError(report["error"]))
            else:
                self.entries += report["entries"]
                self.seconds = time.perf_counter() - self._started
        if helper.wait() != 0 and not self._errors:
            self._errors.append(SearchIndexError(f"建索引的进程意外退出（退出码 {helper.returncode}）"))

    def _reuse(self, number: int, key: str) -> bool:
        """Take an extra index from the cache when one was made from exactly the same entries."""
        cached = self._cache / key
        if not (cached / "pagefind-entry.json").is_file():
            return False
        link_tree(cached, self._out / str(number))
        self.reused += 1
        return True

    def _prune(self, keep: set[str]) -> None:
        """Forget cached indexes this build does not use (the cache holds one site's worth)."""
        if self._cache is not None and self._cache.is_dir():
            for folder in self._cache.iterdir():
                if folder.name not in keep:
                    shutil.rmtree(folder, ignore_errors=True)

    def _assemble(self, count: int) -> None:
        """The primary bundle with the extra ones (without their copies of the interface) under shards/."""
        primary = self._out / "0"
        if count > 1:
            (primary / "shards").mkdir()
        for number in range(1, count):
            for ui in (self._out / str(number)).iterdir():
                if ui.suffix in UI_FILES:
                    ui.unlink()
            (self._out / str(number)).rename(primary / shard_path(number))
        (primary / "shards.json").write_text(json.dumps([shard_path(n) for n in range(1, count)]), encoding="utf-8")
        self.indexes = count

    def finish(self, site_dir: Path) -> None:
        """Wait for the indexes and move them to site_dir/pagefind/."""
        self._rendered.set()
        try:
            self._thread.join()
            if self._errors:
                raise SearchIndexError(f"搜索索引未能生成：{self._errors[0]}") from self._errors[0]
            (self._out / "0").rename(site_dir / "pagefind")
            log.info("search index: %d entries in %d index(es), %.1f s", self.entries, self.indexes, self.seconds)
        finally:
            shutil.rmtree(self._out, ignore_errors=True)

    def cancel(self) -> None:
        with self._lock:
            self._errors.append(SearchIndexError("网站生成失败，搜索索引已取消"))
            if self._helper is not None:
                self._helper.kill()
        self._rendered.set()
        self._thread.join()
        shutil.rmtree(self._out, ignore_errors=True)
