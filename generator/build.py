"""The build: validate records → derive states → read history → render what changed → index search → swap in.

Everything is gathered and checked before anything is written. Only files whose bytes change are written, into a
staging folder; a page whose inputs did not change is not even rendered (site/keys.py). The new site is put
together beside the live one and swapped in at the end (site/store.py), so a failed build leaves the previous
site untouched.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterator

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from . import cache
from .cache import file_digests
from .load import list_record_files
from .derive import Portal, derive
from .history import add_history
from .issues import Report
from .memory import collector_paused
from .site.pages import landing_pages, record_pages
from .site.exports import EXPORTS
from .site.filewriter import FileWriter, WriteError
from .site.keys import global_key, inputs_key
from .site.plugin import PortalPlugin
from .site.search import SearchIndexError, SearchJob
from .site.sitedata import SiteData
from .site.store import (MANIFEST, SiteWriter, StaleSite, delete_in_background, md5, publish, read_manifest,
                          recover)
from .validate import validate
from .workdays import MissingYear

log = logging.getLogger(__name__)


class BuildError(Exception):
    """The records are not fit to publish; the report says why."""

    def __init__(self, message: str, report: Report | None = None):
        super().__init__(message)
        self.report = report


STAGE_LABELS = {  # the build's stages as `huiyin build` names them (BuildResult.timings keeps the short names)
    "inputs unchanged": "核对输入（无变化）", "validate": "校验记录", "derive": "推算办理状态", "history": "读取修改记录",
    "render": "生成页面和数据", "render: pages": "其中页面", "render: exports": "其中数据文件",
    "render: waiting for the files": "其中等待写完文件", "search (waiting after render)": "等待搜索索引",
    "search (in all)": "搜索索引（与页面同时进行）", "publish": "换上新网站",
    "site": "网站合计（含以上页面、搜索和换上）",
}


@dataclass
class Preview:
    """What a build leaves for `huiyin serve` to render a saved record's page on its own (generator/preview.py):
    the derived portal, the plugin with the theme's environment, mkdocs' configuration, and the inputs key."""

    portal: Portal
    plugin: PortalPlugin
    config: MkDocsConfig
    inputs: str
    patched: bool = False  # a saved record was put into portal since (serve): it no longer matches inputs


@dataclass
class BuildResult:
    site_dir: Path
    pages: int
    timings: dict[str, float] = field(default_factory=dict)
    changed: int = 0  # files written, changed or removed
    reused: int = 0  # generated pages whose inputs did not change (not rendered)
    preview: Preview | None = None  # when asked for


def build(project_dir: Path, *, as_of: date, site_dir: Path | None = None, search: bool = True,
          cache_dir: Path | None = None, preview: Preview | bool = False) -> BuildResult:
    """Build the public site from project_dir (mkdocs.yml, records/, schemas/, site_templates/).

    preview: also hand back what `huiyin serve` needs to render one page on its own (result.preview). Given the
    one an earlier build handed back, a build whose inputs are still that one's hands it back and stops early."""
    project_dir = project_dir.resolve()
    site_dir = (site_dir or project_dir / "site").resolve()
    with build_lock(site_dir):
        return _build(project_dir, as_of, site_dir, search, cache_dir, preview)


def _build(project_dir: Path, as_of: date, site_dir: Path, search: bool, cache_dir: Path | None,
           preview: Preview | bool) -> BuildResult:
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    previous = PreviousSite.read(site_dir, cache_dir)
    # the records' digests from their sizes and times (no record is read): with them the inputs key can be compared
    # before validating, which reads every record (14 s at 100k cases)
    early_sources = _record_digests(project_dir, cache_dir) if previous.inputs is not None else None
    early = None if early_sources is None else inputs_key(project_dir, as_of, search, early_sources)
    held = preview if isinstance(preview, Preview) else None
    if early is not None and early == previous.inputs and (not preview or (held and held.inputs == early and not held.patched)):
        # the live site is what this build would make, from inputs that the build which made it validated
        lap("inputs unchanged")
        log.info("输入没有变化：网站 %s 保持不变", site_dir)
        return BuildResult(site_dir, previous.pages, timings, 0, previous.pages, preview=held)
    validated = validate(project_dir / "records", as_of=as_of, cache_dir=cache_dir)
    lap("validate")
    if not validated.report.ok or validated.records is None:
        raise BuildError("记录有错误，未生成网站", validated.report)
    records, calendar, sources = validated.records, validated.calendar, validated.digests
    del validated  # the parsed files: the typed records are all the build needs from here (memory at 100k)
    inputs = early if sources == early_sources else inputs_key(project_dir, as_of, search, sources)
    try:
        with collector_paused():
            portal = derive(records, calendar, as_of)
    except MissingYear as exc:
        raise BuildError(str(exc)) from exc
    portal.sources = sources
    lap("derive")
    add_history(portal, project_dir, cache_dir=cache_dir)
    lap("history")
    try:
        made = _make_site(project_dir, portal, site_dir, search, previous, timings)
    except StaleSite as exc:  # the live site lacks a file its manifest lists: write every file again
        log.warning("网站目录 %s 与其 manifest.json 不符（缺少 %s），重新写出全部文件", site_dir, exc)
        made = _make_site(project_dir, portal, site_dir, search, PreviousSite(), timings)
    made.save(site_dir, cache_dir, inputs)
    lap("site")
    kept = Preview(portal, made.plugin, made.config, inputs) if preview else None
    return BuildResult(site_dir, made.pages, timings, made.changed, made.reused, kept)


def _record_digests(project_dir: Path, cache_dir: Path | None) -> dict[str, str]:
    """Every record file's content digest by its path as validation names it (records/…); a file whose size and
    time are unchanged since the digest cache saw it is not read."""
    records_dir = (project_dir / "records").resolve()
    digests = file_digests(records_dir, list_record_files(records_dir), cache_dir)
    return {f"{records_dir.name}/{rel}": d for rel, d in digests.items()}


@dataclass
class PreviousSite:
    """The live site as the last build left it: its files (from its manifest), the keys they were made from, the
    inputs key of that build (keys.inputs_key) and its number of pages."""

    files: dict[str, str] | None = None
    keys: dict[str, str] = field(default_factory=dict)
    inputs: str | None = None
    pages: int = 0

    @classmethod
    def read(cls, site_dir: Path, cache_dir: Path | None) -> PreviousSite:
        try:
            raw = (site_dir / MANIFEST).read_bytes()
        except OSError:
            return cls()
        doc = read_manifest(site_dir)
        if doc is None:
            return cls()
        stored = cache.read(cache_dir, _keys_cache(site_dir))
        if not stored or stored[0] != md5(raw):
            return cls(doc["files"])
        _manifest, keys, inputs, pages = stored
        return cls(doc["files"], keys, inputs, pages)


@dataclass
class _Made:
    pages: int
    changed: int
    reused: int
    manifest: bytes
    keys: dict[str, str]
    plugin: PortalPlugin
    config: MkDocsConfig

    def save(self, site_dir: Path, cache_dir: Path | None, inputs: str) -> None:
        """The keys of the live site's files and the build's inputs key, for the next build (valid while the live
        site's manifest is this one)."""
        cache.write(cache_dir, _keys_cache(site_dir), (md5(self.manifest), self.keys, inputs, self.pages))


def _keys_cache(site_dir: Path) -> str:
    return f"site-keys-{md5(str(site_dir).encode())[:12]}.pickle"


def _make_site(project_dir: Path, portal: Portal, site_dir: Path, search: bool, previous: PreviousSite,
               timings: dict[str, float]) -> _Made:
    """Render what changed into a staging folder and make it the live site."""
    started = time.perf_counter()
    writer = SiteWriter(site_dir, live=previous.files, keys=previous.keys)
    search_job = SearchJob(portal, site_dir.parent) if search else None  # runs beside the rendering
    try:
        pages = _render(project_dir, portal, writer)
        timings["render"] = round(time.perf_counter() - started, 3)
        timings["render: pages"], timings["render: exports"] = round(pages.pages_seconds, 3), round(pages.exports_seconds, 3)
        timings["render: waiting for the files"] = round(pages.files_wait_seconds, 3)
        if search_job is not None:
            waited = time.perf_counter()
            search_job.finish(writer)
            timings["search (waiting after render)"] = round(time.perf_counter() - waited, 3)
            timings["search (in all)"] = round(search_job.seconds, 3)
        swapped = time.perf_counter()
        manifest, changed = publish(writer, provenance_of(portal))
        timings["publish"] = round(time.perf_counter() - swapped, 3)
    except BaseException as exc:
        if search_job is not None:
            search_job.cancel()
        writer.discard()
        if isinstance(exc, (SearchIndexError, WriteError)):
            raise BuildError(str(exc)) from exc
        raise
    log.info("%d files changed, %d pages unchanged and not rendered", changed, pages.reused)
    pages.plugin.writer = None  # the build's file lists: not needed to render a page again
    return _Made(pages.count, changed, pages.reused, manifest, writer.keys, pages.plugin, pages.config)


def provenance_of(portal: Portal) -> dict:
    """The build's commit, as the manifest names it."""
    pv = portal.provenance
    if pv is None or not pv.commit:
        return {"commit": None}
    return {"commit": pv.commit, "date": pv.date, "uncommitted_changes": pv.dirty}


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
            recover(site_dir)
            for leftover in leftovers(site_dir):
                log.info("removing %s, left by a build that was stopped", leftover.name)
                delete_in_background(leftover)
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
    count: int
    reused: int
    pages_seconds: float
    exports_seconds: float
    files_wait_seconds: float  # until the file writer had written the last file
    plugin: PortalPlugin
    config: MkDocsConfig


def _render(project_dir: Path, portal: Portal, writer: SiteWriter) -> _Rendered:
    """mkdocs-material renders the Markdown pages and, through our plugin, every generated page."""
    config = load_config(str(project_dir / "mkdocs.yml"), site_dir=str(writer.staging))
    data = SiteData(portal)
    with FileWriter(writer.staging) as files:  # the pages' and exports' files, made beside the rendering
        writer.set_sink(files.write)
        plugin = PortalPlugin(site_data=data, landing=landing_pages(portal), fast_pages=lambda: record_pages(portal),
                              site_name=portal.records.settings.site_title, writer=writer, records=len(portal.cases),
                              global_key=lambda site_url: global_key(project_dir, portal, site_url))
        config.plugins["huiyin"] = plugin
        started = time.perf_counter()
        mkdocs_build(config)
        pages_seconds = time.perf_counter() - started
        for export in EXPORTS:
            export(portal, writer)
        exported = time.perf_counter()
    writer.set_sink(None)
    return _Rendered(plugin.rendered + len(plugin.landing), plugin.reused, pages_seconds,
                     exported - started - pages_seconds, time.perf_counter() - exported, plugin, config)
