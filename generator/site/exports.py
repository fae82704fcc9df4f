"""Files written into the built site besides HTML pages (data downloads, feeds, Open311 …).

Each export is a function (portal, site_dir, write) -> None run after the pages are rendered; write(relpath,
data) writes a file under site_dir in the build's file writer (its own process), which suits many small
files. Add new exports to EXPORTS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..derive import Portal
from ..editor import export_editor
from ..opendata.bundle import export_open_data
from .pages_bulletins import export_bulletin_csvs

Write = Callable[[str, bytes], None]
Export = Callable[[Portal, Path, Write], None]

EXPORTS: tuple[Export, ...] = (export_open_data, export_bulletin_csvs, export_editor)
