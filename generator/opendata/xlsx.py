"""A small, fast, byte-stable XLSX writer for one-sheet forms (strings only, a few fixed cell styles).

openpyxl needs 3–9 s per 20,000 rows (measured) and stamps the current time into the file; a report
table needs none of its features, so the few SpreadsheetML parts are written directly.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DEFAULT, TITLE, HEADER, CELL, NOTE = range(5)  # cell styles, indexes into cellXfs below
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_FONT = '<font>{}<sz val="{}"/><name val="宋体"/><charset val="134"/></font>'
_THIN = "".join(f'<{side} style="thin"><color auto="1"/></{side}>' for side in ("left", "right", "top", "bottom"))
_XF = '<xf numFmtId="0" fontId="{}" fillId="0" borderId="{}" xfId="0"{}>{}</xf>'
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}">'
    '<fonts count="3">' + _FONT.format("", 11) + _FONT.format("<b/>", 11) + _FONT.format("<b/>", 16) + "</fonts>"
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    f'<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border>{_THIN}<diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5">'  # DEFAULT, TITLE, HEADER, CELL, NOTE
    + _XF.format(0, 0, "", "")
    + _XF.format(2, 0, ' applyFont="1" applyAlignment="1"', '<alignment horizontal="center" vertical="center"/>')
    + _XF.format(1, 1, ' applyFont="1" applyBorder="1" applyAlignment="1"',
                 '<alignment horizontal="center" vertical="center" wrapText="1"/>')
    + _XF.format(0, 1, ' applyBorder="1" applyAlignment="1"', '<alignment vertical="top" wrapText="1"/>')
    + _XF.format(0, 0, ' applyAlignment="1"', '<alignment vertical="top" wrapText="1"/>')
    + '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


@dataclass
class Sheet:
    """One worksheet: rows of text with a style per row, column widths, merged rows, a repeated header row."""

    name: str  # ≤ 31 characters, none of []:*?/\
    title: str  # document title (file properties)
    created: datetime  # stamped into the file properties: pass a record date for reproducible output
    widths: list[float] = field(default_factory=list)
    rows: list[tuple[int, list[str | None]]] = field(default_factory=list)  # (style, cells)
    merged_rows: list[int] = field(default_factory=list)  # 1-based rows whose cells span all columns
    print_title_row: int | None = None  # 1-based row repeated on every printed page

    def add(self, style: int, cells: list[str | None]) -> int:
        """Append a row; returns its 1-based number."""
        self.rows.append((style, cells))
        return len(self.rows)


def _col(n: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _display_width(text: str) -> int:
    """Width in character units, as a column width counts them: a Chinese character (3 bytes in UTF-8) takes two."""
    return len(text) + (len(text.encode("utf-8")) - len(text)) // 2


def _height(style: int, cells: list[str | None], widths: list[float], merged: bool) -> float | None:
    """Row height in points that shows every wrapped line (neither Excel nor LibreOffice fits it on opening)."""
    if style == TITLE:
        return 24.0
    if style not in (HEADER, CELL, NOTE) or not widths:
        return None
    total = sum(widths)
    lines = 1
    for i, value in enumerate(cells):
        if value:
            room = max((total if merged else widths[min(i, len(widths) - 1)]) * 0.9 - 1, 1)  # a little to spare
            lines = max(lines, sum(-(-_display_width(part) // int(room)) or 1 for part in value.split("\n")))
    return round(14.5 * lines + 3, 1)


def _sheet_xml(sheet: Sheet) -> str:
    width = max((len(cells) for _, cells in sheet.rows), default=1)
    parts = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
             '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>']  # print all columns on the page width
    if sheet.widths:
        parts.append("<cols>" + "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                                        for i, w in enumerate(sheet.widths, start=1)) + "</cols>")
    parts.append("<sheetData>")
    for r, (style, cells) in enumerate(sheet.rows, start=1):
        height = _height(style, cells, sheet.widths, r in sheet.merged_rows)
        row = [f'<row r="{r}" ht="{height}" customHeight="1">' if height else f'<row r="{r}">']
        for c, value in enumerate(cells, start=1):
            ref = f"{_col(c)}{r}"
            if value is None or value == "":
                row.append(f'<c r="{ref}" s="{style}"/>')
            else:
                row.append(f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>')
        row.append("</row>")
        parts.append("".join(row))
    parts.append("</sheetData>")
    if sheet.merged_rows and width > 1:
        parts.append(f'<mergeCells count="{len(sheet.merged_rows)}">'
                     + "".join(f'<mergeCell ref="A{r}:{_col(width)}{r}"/>' for r in sheet.merged_rows) + "</mergeCells>")
    parts.append('<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
                 '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>')
    return "".join(parts)


def _workbook_xml(sheet: Sheet) -> str:
    names = ""
    if sheet.print_title_row:
        r, quoted = sheet.print_title_row, "'" + sheet.name.replace("'", "''") + "'"
        names = (f'<definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">'
                 f"{escape(quoted)}!${r}:${r}</definedName></definedNames>")
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            f'<sheets><sheet name={quoteattr(sheet.name)} sheetId="1" r:id="rId1"/></sheets>{names}</workbook>')


def _core_xml(sheet: Sheet) -> str:
    stamp = sheet.created.strftime("%Y-%m-%dT%H:%M:%SZ")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{_text(sheet.title)}</dc:title><dc:creator>回音</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')


def write_xlsx(sheet: Sheet) -> bytes:
    """The workbook as bytes; equal sheets give equal bytes (every archive entry is dated 1980-01-01)."""
    ct = "application/vnd.openxmlformats-officedocument"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.spreadsheetml.worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{ct}.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f'<Override PartName="/docProps/app.xml" ContentType="{ct}.extended-properties+xml"/></Types>'),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/></Relationships>'),
        "docProps/app.xml": ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
                             'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                             "<Application>回音</Application></Properties>"),
        "docProps/core.xml": _core_xml(sheet),
        "xl/workbook.xml": _workbook_xml(sheet),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": _STYLES,
        "xl/worksheets/sheet1.xml": _sheet_xml(sheet),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
