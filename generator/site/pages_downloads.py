"""The open-data page (开放数据): every download with its size, schema and licence.

The files are made in memory before the site is rendered (generator.opendata.open_data), so the page
shows the exact sizes of the bytes the export step then writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..derive import Portal
from ..opendata.bundle import DataFile, open_data
from ..opendata.datapackage import LICENSE, LICENSE_NOTE
from ..opendata.feeds import KINDS as FEED_KINDS
from ..opendata.open311 import BASE as OPEN311_BASE
from ..opendata.open311 import SPEC_URL as OPEN311_SPEC
from ..opendata.reports import TABLES as REPORT_TABLES
from ..opendata.schema import TABLES
from .spec import PageSpec


def human_size(size: int) -> str:
    """1.2 MB, 34.5 KB, 812 B (with a no-break space, so a table cell never splits the figure from its unit)."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}\u00a0{unit}"
    return f"{size}\u00a0B"


@dataclass(frozen=True)
class Download:
    """One link on the page."""

    path: str
    label: str
    size: str


def _dl(file: DataFile | None, label: str) -> Download | None:
    return Download(file.path, label, human_size(file.size)) if file else None


def downloads_page(portal: Portal) -> PageSpec:
    od = open_data(portal)
    tables = [{"table": t, "rows": od.row_counts[t.name],
               "files": [d for d in (_dl(od.get(f"data/{t.name}.csv"), "CSV"),
                                     _dl(od.get(f"data/parquet/{t.name}.parquet"), "Parquet")) if d],
               "schema": _dl(od.get(f"data/schemas/{t.name}.json"), "表结构")} for t in TABLES]
    units = portal.records.units
    unit_feeds = [(u, [_dl(od.get(f"feeds/units/{u.id}/{k.name}.xml"), k.title) for k in FEED_KINDS])
                  for u in sorted(units.values(), key=lambda u: u.id)]
    periods = od.report_periods
    reports = [(t, periods[t.slug], [_dl(od.get(f"data/reports/{t.slug}_{periods[t.slug].slug}.xlsx"), "XLSX")])
               for t in REPORT_TABLES if t.slug in periods]
    return PageSpec("downloads/", "portal/downloads.html", "开放数据", {
        "package": _dl(od.get("data/datapackage.json"), "datapackage.json"),
        "tables": tables,
        "open311": [_dl(od.get(f"{OPEN311_BASE}/services.json"), "服务类型 services.json"),
                    _dl(od.get(f"{OPEN311_BASE}/requests.json"), "最近 90 天的诉求 requests.json")],
        "open311_spec": OPEN311_SPEC,
        "feeds": [(k, _dl(od.get(f"feeds/{k.name}.xml"), k.title)) for k in FEED_KINDS],
        "unit_feeds": unit_feeds,
        "reports": reports,
        "license": LICENSE, "license_note": LICENSE_NOTE,
    }, description="群众诉求、答复、评价和为民办实事的公开数据下载：CSV、Parquet、Open311 和 Atom 订阅。")
