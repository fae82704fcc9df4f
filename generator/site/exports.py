"""Files written into the built site besides HTML pages (data downloads, feeds, Open311 …).

Each export is a function (portal, writer) -> None run after the pages are rendered; writer.write(relpath, data)
puts a file into the new site (generator.site.store.SiteWriter: only files whose bytes changed are written).
Add new exports to EXPORTS.
"""

from __future__ import annotations

from typing import Callable

from ..derive import Portal
from ..editor import export_editor
from ..opendata.bundle import export_open_data
from .pages_bulletins import export_bulletin_csvs
from .store import SiteWriter

Export = Callable[[Portal, SiteWriter], None]

EXPORTS: tuple[Export, ...] = (export_open_data, export_bulletin_csvs, export_editor)
