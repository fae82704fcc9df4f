"""Cells that a spreadsheet would run as a formula (CSV injection), declared once for every CSV the portal writes.

Excel, WPS and LibreOffice treat a cell that begins with =, +, -, @ (or a tab or carriage return before one)
as a formula, so a case's text could run one on a reader's computer. Every text cell that begins with one of
them is written with a leading apostrophe, which the spreadsheet shows as text and does not display. Numbers
are left alone (a negative count is a number, not a formula); JSON and Parquet keep the text unchanged.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_PATTERN = "^[=+\\-@\\t\\r]"  # the same, as a regular expression (for Arrow's string kernels)
MARK = "'"


def neutralise(cell: object) -> object:
    """A text cell as a spreadsheet must show it: an apostrophe before a leading =, +, -, @, tab or CR."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return MARK + cell
    return cell
