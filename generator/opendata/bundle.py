"""All open-data files of one build, made before the site is rendered so the downloads page can list their
exact sizes, then moved into the site by the export step.

Large files go to a spool folder as they are made (at 100,000 cases the tables come to about 160 MB, too
much to hold in memory beside the Portal while mkdocs renders) and are moved into the site by the export
step; small ones (feeds, schemas) stay in memory and are written once, straight there.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import tempfile
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..derive import Portal
from ..memory import collector_paused
from . import datapackage, feeds, formats, open311, reports
from .place_feeds import place_feeds
from .schema import TABLES
from .tables import rows_of

log = logging.getLogger(__name__)


SPOOL_FROM = 64 * 1024  # bytes: larger files wait on disk, smaller ones in memory


@dataclass(frozen=True)
class DataFile:
    """One downloadable file: site-relative path, size, media type and where its bytes wait."""

    path: str
    size: int
    media_type: str
    spooled: Path | None = None
    inline: bytes | None = None

    @property
    def data(self) -> bytes:
        return self.inline if self.inline is not None else self.spooled.read_bytes()  # type: ignore[union-attr]


@dataclass
class OpenData:
    """Every open-data file plus what the downloads page shows about them."""

    spool: Path
    files: dict[str, DataFile] = field(default_factory=dict)
    row_counts: dict[str, int] = field(default_factory=dict)
    report_periods: dict[str, reports.Period] = field(default_factory=dict)  # each half-yearly table's latest period
    timings: dict[str, float] = field(default_factory=dict)
    _folders: set[Path] = field(default_factory=set, repr=False)

    def add(self, path: str, data: bytes, media_type: str) -> None:
        if len(data) < SPOOL_FROM:
            self.files[path] = DataFile(path, len(data), media_type, inline=data)
            return
        target = self.spool / path
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        target.write_bytes(data)
        self.files[path] = DataFile(path, len(data), media_type, spooled=target)

    def get(self, path: str) -> DataFile | None:
        return self.files.get(path)


def build_open_data(portal: Portal, *, parquet: bool = True) -> OpenData:
    """Tables (CSV, Parquet, schemas, datapackage.json), Open311, Atom feeds and report tables."""
    spool = Path(tempfile.mkdtemp(prefix="huiyin-opendata-"))
    out = OpenData(spool)
    weakref.finalize(out, shutil.rmtree, spool, True)  # a failed build leaves no spool behind
    with collector_paused():  # millions of short-lived acyclic tuples: it would rescan the whole Portal again and again
        _build(portal, out, parquet)
    return out


def _build(portal: Portal, out: OpenData, parquet: bool) -> None:
    clock = time.process_time()  # CPU seconds: what the stage costs, whatever else the machine is doing

    def lap(name: str) -> None:
        nonlocal clock
        now = time.process_time()
        out.timings[name] = round(out.timings.get(name, 0) + now - clock, 3)
        clock = now

    csv_files = {}
    for t in TABLES:  # one table at a time: only its rows are in memory
        rows = rows_of(portal, t.name)
        out.row_counts[t.name] = len(rows)
        lap("rows")
        arrow = formats.arrow_table(t, rows)
        csv_files[t.name] = formats.to_csv(arrow)
        out.add(f"data/{t.name}.csv", csv_files[t.name], "text/csv")
        if parquet:
            out.add(f"data/parquet/{t.name}.parquet", formats.to_parquet(arrow), "application/vnd.apache.parquet")
        del arrow
        out.add(f"data/schemas/{t.name}.json", formats.json_bytes(t.schema()), "application/json")
        del rows
        lap("csv+parquet")
    out.add("data/datapackage.json", formats.json_bytes(datapackage.descriptor(portal, csv_files)), "application/json")
    del csv_files
    requests = open311.requests(portal, after=open311.default_since(portal.as_of))  # all the default query needs
    out.add(f"{open311.BASE}/services.json", formats.json_bytes(open311.services(portal)), "application/json")
    out.add(f"{open311.BASE}/requests.json", formats.json_lines(open311.default_query(requests, portal.as_of)),
            "application/json")
    del requests
    lap("open311")
    for path, data in feeds.feeds(portal).items():
        out.add(path, data, "application/atom+xml")
    for path, data in place_feeds(portal).items():
        out.add(path, data, "application/atom+xml")
    lap("feeds")
    # the forms as filed (XLSX) only: their rows are the cases table's (data/cases.csv), so the site carries no CSV
    # copy (about 150 bytes a case); `huiyin report` writes both for staff
    files, out.report_periods = reports.latest_files(portal, public=True, csv=False)
    for name, data in files.items():
        out.add(f"data/reports/{name}", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    lap("reports")
    log.info("open data: %d files (CPU %s)", len(out.files), ", ".join(f"{k} {v:.2f}s" for k, v in out.timings.items()))


_last: tuple[Portal, OpenData] | None = None


def open_data(portal: Portal) -> OpenData:
    """The open data of this portal, made once per build (the downloads page and the export share it)."""
    global _last
    if _last is None or _last[0] is not portal:
        _last = None  # let the previous build's spool go first
        _last = (portal, build_open_data(portal))
    return _last[1]


def write_files(files: dict[str, bytes], root: Path) -> None:
    """Write each file under root through a temporary file and a rename: never half a file."""
    for rel, data in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            os.fchmod(fd, 0o644)  # published files are world-readable (mkstemp makes them private)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def export_open_data(portal: Portal, writer) -> None:
    """The export hook: every open-data file into the site being built (generator.site.store.SiteWriter); the
    large ones are moved in from the spool folder."""
    global _last
    od = open_data(portal)
    for rel, item in od.files.items():
        if item.inline is not None:
            writer.write(rel, item.inline)
        else:
            writer.move_in(rel, item.spooled)
    _last = None  # moved: the spool folder is removed with the OpenData
    shutil.rmtree(od.spool, ignore_errors=True)
