"""What a generated page shows, as a key: a page whose key did not change since the last build is not rendered
again, its file is taken from the live site (store.py).

A key is a digest of everything the page's template reads: the build-wide inputs every page may read (`global_key`:
the code, the templates, mkdocs.yml, the site address, settings, units, the duty rules, the staff list and the
working-day calendar), and the page's own part below. Record files count by their content digest. A case's state
counts as "settled" when nothing about it can change with the day (closed, every time limit fulfilled), else by its
full value. Pages not listed here (home, statistics, units, league tables, activities, bulletins, downloads …)
show figures over all cases and are rendered in every build that changed anything; their files are still written
only when their bytes change.

When a template starts to read something new, its key here must say so; tests/test_incremental.py builds through a
series of edits and compares the site with a full build, byte for byte.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from ..cache import runtime_fingerprint
from ..derive import Portal
from ..lifecycle import settled
from ..model import Case, Matter

GLOBAL_KINDS = ("settings", "units", "rules.yaml", "staff.yaml", "calendar")  # record folders every page may read
CODE = Path(__file__).resolve().parents[1]  # the generator package


def digest(*parts: Any) -> str:
    """A short digest of parts (strings, numbers, dates, None and tuples of them: their repr is stable)."""
    h = hashlib.blake2b(digest_size=12)
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else repr(part).encode())
        h.update(b"\0")
    return h.hexdigest()


@lru_cache(maxsize=1)
def _code_and_libraries() -> str:
    """The generator's own files, Python and every installed library's version."""
    h = hashlib.blake2b(digest_size=16)
    h.update(runtime_fingerprint().encode())
    _hash_tree(h, CODE, (".py", ".yaml", ".json", ".txt", ".html", ".js", ".css"))
    return h.hexdigest()


def _hash_tree(h: Any, root: Path, suffixes: tuple[str, ...] | None = None) -> None:
    for dirpath, dirnames, names in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(names):
            if suffixes is None or name.endswith(suffixes):
                path = os.path.join(dirpath, name)
                h.update(os.path.relpath(path, root).encode() + b"\0")
                with open(path, "rb") as fh:
                    h.update(hashlib.blake2b(fh.read(), digest_size=16).digest())


def global_key(project_dir: Path, portal: Portal, site_url: str) -> str:
    """The inputs every generated page may read (see the module docstring)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(_code_and_libraries().encode())
    _hash_tree(h, project_dir / "site_templates")
    h.update((project_dir / "mkdocs.yml").read_bytes())
    h.update(site_url.encode() + b"\0")
    for path, value in sorted(portal.sources.items()):
        rel = path.split("/", 1)[-1]
        if rel.startswith(GLOBAL_KINDS):
            h.update(f"{path}\0{value}\n".encode())
    history = portal.history
    index = history.index if history is not None else None
    h.update(repr((history is not None and history.available,
                   sorted(index.unit_names.items()) if index else None, index.renames if index else None)).encode())
    return h.hexdigest()


def inputs_key(project_dir: Path, as_of: date, search: bool, sources: dict[str, str]) -> str:
    """Everything a build reads, as a digest worked out before the records are derived: when it equals the last
    build's and the live site is the one that build left, the build has nothing to do. The code and libraries,
    the project's templates, schemas and mkdocs.yml, the site address, every record file, the day, whether the
    search index is built, the Git state (commit, shallow, uncommitted files) and the staff editor's libraries."""
    from ..editor.bundle import editor_available, vendored_files
    from ..history.read import git_state
    from .plugin import SITE_URL_ENV

    h = hashlib.blake2b(digest_size=16)
    h.update(_code_and_libraries().encode())
    for folder in ("site_templates", "schemas"):
        _hash_tree(h, project_dir / folder)
    h.update((project_dir / "mkdocs.yml").read_bytes())
    h.update(repr((os.environ.get(SITE_URL_ENV), as_of, search, git_state(project_dir))).encode())
    for path, value in sorted(sources.items()):
        h.update(f"{path}\0{value}\n".encode())
    for rel, path in vendored_files() if editor_available() else ():
        try:
            st = path.stat()
            h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        except OSError:
            h.update(f"{rel}\0-\n".encode())
    return h.hexdigest()


class PageKeys:
    """The page keys of one build's portal; None for every page when the build has no record digests."""

    def __init__(self, portal: Portal):
        self.portal = portal
        self.sources = portal.sources
        self._states: dict[str, str] = {}

    def source(self, path: str) -> str:
        return self.sources.get(path, "")

    def state(self, case_id: str) -> str:
        found = self._states.get(case_id)
        if found is None:
            p = self.portal
            st = p.case_states[case_id]
            found = self._states[case_id] = "settled" if settled(p.cases[case_id], st, p.as_of) else digest(repr(st))
        return found

    def row(self, case: Case) -> str:
        """A case as a list row shows it: the record and its state."""
        return digest(self.source(case.path), self.state(case.id))

    def rows(self, cases: Iterable[Case]) -> str:
        return digest(*(self.row(c) for c in cases))

    def _case(self, case_id: str) -> str:
        c = self.portal.cases.get(case_id)
        return self.source(c.path) if c is not None else "-"

    def case_page(self, case: Case) -> str:
        """The case, its state, its history and what it links to (titles of related cases, matters, meetings …)."""
        p, records = self.portal, self.portal.records
        leaders = [case.reception[0] if case.reception else None, case.package_leader]
        group = p.group_of(case.id)
        return digest(
            self.row(case), self._history("case", case.id),
            [self._case(x) for x in (case.duplicate_of, *case.related, *p.repeats_of.get(case.id, ()))],
            [self.source(records.matters[m].path) for m in p.matters_by_case.get(case.id, ())],
            [self.source(records.meetings[m].path) for m in p.meetings_by_case.get(case.id, ())],
            [self.source(records.broadcasts[b].path) for b in p.broadcasts_by_case.get(case.id, ())],
            [self.source(records.leaders[x].path) if x in records.leaders else x for x in leaders],
            group and (group.id, len(group.cases), group.first, group.last, group.has_meeting),
        )

    def matter_page(self, matter: Matter) -> str:
        p = self.portal
        batch = p.records.batches.get(matter.batch)
        return digest(self.source(matter.path), self.source(batch.path) if batch else "-", p.as_of,
                      repr(p.matter_states[matter.id]), self._history("matter", matter.id),
                      [self._case(x) for x in matter.source_cases])

    def matters(self, matters: Iterable[Matter]) -> str:
        return digest(*(self.matter_page(m) for m in matters))

    def _history(self, kind: str, rid: str) -> str:
        h = self.portal.history
        return h.fingerprint(kind, rid) if h is not None else "-"


def keys_of(portal: Portal) -> PageKeys | None:
    """The portal's page keys (made once), or None when the build keeps no record digests (every page renders)."""
    if not portal.sources:
        return None
    found = portal.__dict__.get("_page_keys")
    if found is None:
        found = portal.__dict__["_page_keys"] = PageKeys(portal)
    return found
