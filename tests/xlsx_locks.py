"""Which cells of an .xlsx a person can type into, decided the way Excel and LibreOffice decide it —
read straight from the file's XML, not through openpyxl's model of it (which would hide a row style
saved without ``customFormat``, or a cell the writer dropped).

ECMA-376 §18.3.1: a cell stored in the sheet (``<c>``) has its own style (``s``); a cell not stored
takes its row's style when the row says ``customFormat="1"``, else the style of the column
(``<col style>``) that covers it, else style 0.  A stored cell *without* ``s`` is where the two
programs differ: Excel gives it style 0, LibreOffice (7.4, checked by converting files with
``soffice --convert-to``) the style its row or column would give an empty cell — openpyxl writes no
``s`` for a cell of the default style, so a value cell can be locked in Excel and open in LibreOffice.
A style is locked unless its ``<protection>`` says ``locked="0"``.  The other half is the sheet's
protection (``<sheetProtection sheet="1">``): :attr:`SheetLocks.protected`.

Only tests import this module.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from xml.etree import ElementTree

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

Program = Literal["excel", "libreoffice"]
PROGRAMS: tuple[Program, ...] = ("excel", "libreoffice")


@dataclass(frozen=True)
class ColumnStyle:
    """One ``<col>`` element: columns ``first``..``last`` (1-based) carry style ``style``."""

    first: int
    last: int
    style: int


@dataclass
class SheetLocks:
    """The protection of one worksheet as stored: cell, row and column styles and the lock of each style."""

    protected: bool
    locked_styles: list[bool]  # cellXfs index → locked
    cells: dict[tuple[int, int], int | None] = field(default_factory=dict)  # stored cell → its s (None: absent)
    rows: dict[int, int] = field(default_factory=dict)  # row → its style, only rows with customFormat="1"
    columns: list[ColumnStyle] = field(default_factory=list)
    used_rows: int = 0
    used_cols: int = 0

    def style_of(self, row: int, col: int, program: Program) -> int:
        """The style ``program`` applies to the cell: its own, else its row's, else its column's (a
        stored cell without a style: 0 in Excel, its row's or column's in LibreOffice)."""
        own = self.cells.get((row, col))
        if own is not None:
            return own
        if (row, col) in self.cells and program == "excel":
            return 0
        if row in self.rows:
            return self.rows[row]
        return next((c.style for c in self.columns if c.first <= col <= c.last), 0)

    def locked(self, row: int, col: int, program: Program) -> bool:
        """Whether ``program`` treats the cell as locked (with the sheet protected, a person cannot
        type into it)."""
        return self.locked_styles[self.style_of(row, col, program)]

    def locked_at(self, a1: str, program: Program) -> bool:
        letter, row = coordinate_from_string(a1)
        return self.locked(row, column_index_from_string(letter), program)


def _sheet_part(zf: zipfile.ZipFile, tab: str) -> str:
    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rid = next(s.get(f"{_REL}id") for s in book.iter(f"{_MAIN}sheet") if s.get("name") == tab)
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    target = next(str(r.get("Target")) for r in rels.iter(f"{_PKG_REL}Relationship") if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def sheet_locks(path: Path | str, tab: str) -> SheetLocks:
    """Read ``tab`` of the workbook at ``path`` as Excel/LibreOffice would for its cell protection."""
    with zipfile.ZipFile(path) as zf:
        styles = ElementTree.fromstring(zf.read("xl/styles.xml"))
        sheet = ElementTree.fromstring(zf.read(_sheet_part(zf, tab)))
    xfs = styles.find(f"{_MAIN}cellXfs")
    locked_styles = []
    for xf in xfs if xfs is not None else []:
        prot = xf.find(f"{_MAIN}protection")
        locked_styles.append(prot is None or prot.get("locked", "1") not in ("0", "false"))
    if not locked_styles:
        locked_styles = [True]
    guard = sheet.find(f"{_MAIN}sheetProtection")
    out = SheetLocks(protected=guard is not None and guard.get("sheet") in ("1", "true"), locked_styles=locked_styles)
    for col in sheet.iter(f"{_MAIN}col"):
        out.columns.append(ColumnStyle(int(col.get("min", "1")), int(col.get("max", "1")), int(col.get("style", "0"))))
    for row in sheet.iter(f"{_MAIN}row"):
        r = int(row.get("r", "0"))
        if row.get("customFormat") in ("1", "true"):
            out.rows[r] = int(row.get("s", "0"))
        for c in row.iter(f"{_MAIN}c"):
            letter, cr = coordinate_from_string(str(c.get("r")))
            col = column_index_from_string(letter)
            style = c.get("s")
            out.cells[cr, col] = None if style is None else int(style)
            out.used_rows, out.used_cols = max(out.used_rows, cr), max(out.used_cols, col)
    return out
