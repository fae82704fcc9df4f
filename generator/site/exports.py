"""Files written into the built site besides HTML pages (data downloads, feeds, Open311 …).

Each export is a function (portal, site_dir) -> None run after the pages are rendered and before the
search index is built; add new ones to EXPORTS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..derive import Portal
from ..opendata.bundle import export_open_data
from .pages_bulletins import export_bulletin_csvs

Export = Callable[[Portal, Path], None]

EXPORTS: tuple[Export, ...] = (export_open_data, export_bulletin_csvs)
