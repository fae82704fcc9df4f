"""The staff editor in the browser (/admin/): configuration from schemas/ and records, and its files."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .bundle import write_editor


def export_editor(portal, writer) -> None:
    """The build's export: admin/ in the site (skipped, with a warning, when node_modules is missing)."""
    write_editor(portal.records, portal.as_of, portal.records.settings.editor, writer.write)
