"""The search index: the portal's own static index of the public cases and matters (search_index.py).

The records are turned into search documents here, in the build, and handed to a helper process that cuts
their text into bigrams and writes the index files while the pages render (search_indexer.py).
"""

from __future__ import annotations

import json
import logging
import pickle
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import yaml

from ..derive import Portal
from ..lifecycle import CASE_STATUS_LABELS, MATTER_STATUS_LABELS
from . import restricted
from .helpers import python_helper
from .links import case_path, matter_path
from .search_index import Doc, Filters

log = logging.getLogger(__name__)

INDEX_DIR = "search-index"  # under the site
SYNONYMS = Path(__file__).with_name("search_synonyms.yaml")
SNIPPET = 70  # characters of a record's text shown under its title


class SearchIndexError(RuntimeError):
    pass


def documents(portal: Portal) -> list[Doc]:
    """Every public case (newest first), then every published matter (newest batch first), as search documents.

    A case is searched by its number, title and text (what the resident asked; the replies are on its page and
    in the open data) and its category's name; a matter by its title, description, progress updates, category
    and responsible person."""
    records, s = portal.records, portal.records.settings
    docs = []
    for c in sorted((c for c in portal.cases.values() if c.public), key=lambda c: c.id, reverse=True):
        st = portal.case_states[c.id]
        category = s.categories[c.category].name
        docs.append(Doc(case_path(c.id), c.title, f"{c.id}\n{c.content}\n{category}", "case", st.status, st.overdue,
                        c.received.isoformat(), st.unit or "", c.category, _snippet(c.content)))
    matters = []
    for m in records.matters.values():
        batch = records.batches.get(m.batch)
        if batch is None or batch.published > portal.as_of:
            continue
        st = portal.matter_states[m.id]
        text = "\n".join([m.description, *(u.text for u in m.updates if u.date <= portal.as_of),
                          s.categories[m.category].name, m.responsible_name])
        matters.append((batch.published, m.id, Doc(matter_path(m.id), m.title, text, "matter", st.status,
                                                   st.status == "overdue", batch.published.isoformat(), m.unit or "",
                                                   m.category, _snippet(m.description))))
    matters.sort(key=lambda t: (-t[0].toordinal(), t[1]))
    return docs + [d for _, _, d in matters]


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET else flat[:SNIPPET] + "…"


def filters(portal: Portal) -> Filters:
    """The filters' Chinese names and the synonym groups, as the index's meta.json gives them to the page, and
    the restricted case numbers, of which only digests are written."""
    s = portal.records.settings
    return Filters(status={"case": dict(CASE_STATUS_LABELS), "matter": dict(MATTER_STATUS_LABELS)},
                   units={u.id: u.name for u in portal.records.units.values()},
                   categories={k: c.name for k, c in s.categories.items()},
                   synonyms=synonym_groups(),
                   restricted=sorted(c.id for c in portal.cases.values() if not c.public),
                   salt=restricted.salt(s.case_id_prefix, s.jurisdiction))


def synonym_groups() -> list[list[str]]:
    """search_synonyms.yaml: groups of words that stand for one another in a query."""
    groups = yaml.safe_load(SYNONYMS.read_text(encoding="utf-8")) or []
    return [[str(w) for w in g] for g in groups]


class SearchJob:
    """The index is written by a helper process beside the page rendering (it needs only the documents),
    into a folder beside the site, and moved into the site when the pages are done."""

    def __init__(self, portal: Portal, work_dir: Path):
        work_dir.mkdir(parents=True, exist_ok=True)
        self._out = Path(tempfile.mkdtemp(prefix=".search-", dir=work_dir))  # beside the site: moving in is a rename
        self._errors: list[BaseException] = []
        self._helper: subprocess.Popen | None = None
        self._lock = threading.Lock()  # between cancel() and starting the helper
        self._cancelled = False
        self.entries = 0
        self.files = 0
        self.seconds = 0.0  # from the start until the index was written
        self._started = time.perf_counter()
        self._thread = threading.Thread(target=self._run, args=(portal,), name="search-index", daemon=True)
        self._thread.start()

    def _run(self, portal: Portal) -> None:
        try:
            plan = (documents(portal), filters(portal), str(self._out / INDEX_DIR))
            with self._lock:
                if self._cancelled:
                    return
                helper = self._helper = python_helper("generator.site.search_indexer", stdin=subprocess.PIPE,
                                                      stdout=subprocess.PIPE)
            assert helper.stdin is not None and helper.stdout is not None
            try:
                pickle.dump(plan, helper.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                helper.stdin.close()
            except BrokenPipeError:
                pass  # it has gone: its exit code says so below
            del plan
            for line in helper.stdout:
                report = json.loads(line)
                if "error" in report:
                    self._errors.append(SearchIndexError(report["error"]))
                else:
                    self.entries, self.files = report["entries"], report["files"]
                    self.seconds = time.perf_counter() - self._started
            if helper.wait() != 0 and not self._errors:
                self._errors.append(SearchIndexError(f"建索引的进程意外退出（退出码 {helper.returncode}）"))
        except BaseException as exc:  # handed to finish() in the build's thread
            self._errors.append(exc)

    def finish(self, writer) -> None:
        """Wait for the index and hand its files to the new site (generator.site.store.SiteWriter)."""
        try:
            self._thread.join()
            if self._errors:
                raise SearchIndexError(f"搜索索引未能生成：{self._errors[0]}") from self._errors[0]
            writer.adopt(self._out / INDEX_DIR, under=f"{INDEX_DIR}/")
            log.info("search index: %d records in %d files, %.1f s", self.entries, self.files, self.seconds)
        finally:
            shutil.rmtree(self._out, ignore_errors=True)

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            if self._helper is not None:
                self._helper.kill()
        self._thread.join()
        shutil.rmtree(self._out, ignore_errors=True)
