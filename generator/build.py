"""The build: load config → validate records → derive states → render the site → index search → swap in.

Everything is gathered and checked before anything is written, and the new site is built beside the
old one and swapped in at the end, so a failed build leaves the previous site untouched.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from .derive import Portal, derive
from .history import add_history, build_epoch, reproducible_clock
from .issues import Report
from .memory import collector_paused
from .site.pages import landing_pages, record_pages
from .site.exports import EXPORTS
from .site.filewriter import FileWriter
from .site.plugin import PortalPlugin
from .site.search import SearchIndexError, SearchJob
from .site.sitedata import SiteData
from .validate import validate
from .workdays import MissingYear

log = logging.getLogger(__name__)


class BuildError(Exception):
    """The records are not fit to publish; the report says why."""

    def __init__(self, message: str, report: Report | None = None):
        super().__init__(message)
        self.report = report


@dataclass
class BuildResult:
    site_dir: Path
    pages: int
    timings: dict[str, float] = field(default_factory=dict)


def build(project_dir: Path, *, as_of: date, site_dir: Path | None = None, search: bool = True,
          cache_dir: Path | None = None) -> BuildResult:
    """Build the public site from project_dir (mkdocs.yml, records/, schemas/, site_templates/)."""
    project_dir = project_dir.resolve()
    site_dir = (site_dir or project_dir / "site").resolve()
    with build_lock(site_dir):
        return _build(project_dir, as_of, site_dir, search, cache_dir)


def _build(project_dir: Path, as_of: date, site_dir: Path, search: bool, cache_dir: Path | None) -> BuildResult:
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    validated = validate(project_dir / "records", as_of=as_of, cache_dir=cache_dir)
    lap("validate")
    if not validated.report.ok or validated.records is None:
        raise BuildError("记录有错误，未生成网站", validated.report)
    records, calendar = validated.records, validated.calendar
    del validated  # the parsed files: the typed records are all the build needs from here (memory at 100k)
    try:
        with collector_paused():
            portal = derive(records, calendar, as_of)
    except MissingYear as exc:
        raise BuildError(str(exc)) from exc
    lap("derive")
    history = add_history(portal, project_dir, cache_dir=cache_dir)
    lap("history")
    search_job = SearchJob(portal, site_dir.parent, cache_dir=cache_dir) if search else None  # runs beside the rendering
    try:
        with reproducible_clock(build_epoch(history, as_of)):
            pages = _render(project_dir, portal, site_dir, cores_taken=search_job.cores_taken if search_job else lambda: 0)
    except BaseException:
        if search_job is not None:
            search_job.cancel()
        raise
    lap("render")
    timings["render: pages"], timings["render: exports"] = round(pages.pages_seconds, 3), round(pages.exports_seconds, 3)
    timings["render: waiting for the files"] = round(pages.files_wait_seconds, 3)
    if search_job is not None:
        try:
            search_job.finish(pages.site_dir)
        except BaseException as exc:
            shutil.rmtree(pages.site_dir, ignore_errors=True)
            if isinstance(exc, SearchIndexError):
                raise BuildError(str(exc)) from exc
            raise
        lap("search (waiting after render)")
        timings["search (in all)"] = round(search_job.seconds, 3)
    _swap(pages.site_dir, site_dir)
    return BuildResult(site_dir, pages.count, timings)


@contextmanager
def build_lock(site_dir: Path) -> Iterator[None]:
    """Held (shared) for a whole build. A build that finds no other one running first removes what killed builds
    left beside the site (.site-new-*, .site-old-*, .search-*): with the lock free, none of them is in use."""
    parent = site_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    lock = os.open(parent, os.O_RDONLY)  # the folder the site lives in is the lock: no lock file to leave behind
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pass  # another build is running: its folders are not leftovers
        else:
            for leftover in leftovers(site_dir):
                log.info("removing %s, left by a build that was stopped", leftover.name)
                _remove_in_background(leftover)
        fcntl.flock(lock, fcntl.LOCK_SH)  # from here on, this build's own folders are never taken for leftovers
        yield
    finally:
        os.close(lock)


def leftovers(site_dir: Path) -> list[Path]:
    """The folders a build makes beside the site while it works (new site, old site, search index)."""
    prefixes = (f".{site_dir.name}-new-", f".{site_dir.name}-old-", ".search-")
    return sorted(p for p in site_dir.parent.iterdir() if p.name.startswith(prefixes) and p.is_dir() and not p.is_symlink())


@dataclass
class _Rendered:
    site_dir: Path
    count: int
    pages_seconds: float
    exports_seconds: float
    files_wait_seconds: float  # until the file writer had written the last file


def _render(project_dir: Path, portal: Portal, final_dir: Path, cores_taken: Callable[[], int]) -> _Rendered:
    """mkdocs-material renders the Markdown pages and, through our plugin, every generated page."""
    final_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final_dir.name}-new-", dir=final_dir.parent))
    try:
        config = load_config(str(project_dir / "mkdocs.yml"), site_dir=str(tmp))
        data = SiteData(portal)
        with FileWriter(tmp) as writer:  # the pages' and exports' files, made beside the rendering
            plugin = PortalPlugin(site_data=data, landing=landing_pages(portal), fast_pages=lambda: record_pages(portal),
                                  site_name=portal.records.settings.site_title, cores_taken=cores_taken, writer=writer)
            config.plugins["huiyin"] = plugin
            started = time.perf_counter()
            mkdocs_build(config)
            pages_seconds = time.perf_counter() - started
            for export in EXPORTS:
                export(portal, tmp, writer.write)
            exported = time.perf_counter()
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return _Rendered(tmp, plugin.rendered + len(plugin.landing), pages_seconds, exported - started - pages_seconds,
                     time.perf_counter() - exported)


def _swap(new_dir: Path, site_dir: Path) -> None:
    """Replace the published folder with the new build in two renames; the old one is deleted afterwards."""
    old = site_dir.with_name(f".{site_dir.name}-old-{os.getpid()}-{time.time_ns()}")
    if site_dir.exists():
        site_dir.rename(old)
    new_dir.rename(site_dir)
    if old.exists():  # tens of thousands of files: delete in the background, the new site is already live
        _remove_in_background(old)


def _remove_in_background(folder: Path) -> None:
    """Delete a folder of possibly tens of thousands of files without waiting (a second rm of it is harmless)."""
    subprocess.Popen(["rm", "-rf", "--", str(folder)], start_new_session=True,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
