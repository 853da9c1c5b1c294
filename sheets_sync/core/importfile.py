"""Reading an earlier period from a filled spreadsheet (``sheets-sync import``).  Pure: no I/O.

Two layouts are read by the same rules, because both are found by their headers, never by position:

* a bidang **form** as sheets-sync makes it (``Kode`` … ``Realisasi TW I`` ``Pembilang`` ``Penyebut``
  ``Keterangan`` ``Bukti Dukung (tautan)``; see :mod:`sheets_sync.core.form`);
* the office's **own old format**: any table whose header row names a code column and a realisasi
  column, in any order, matched case-insensitively with synonyms (``Kode``/``Kode Indikator``/``No.
  Indikator``, ``Realisasi``/``Capaian Realisasi``, ``Ket.``/``Catatan``, ``Data Dukung``/``Link Bukti``…).
  ``Indikator`` and ``Target`` columns may be there too; they are recognised and left alone (the targets
  of record are the control workbook's).

The header row is the first of the top 15 rows of a tab that has both a code and a realisasi header.
A row belongs to the table when its code cell is not empty; the code is matched to the indicator master
by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sheets_sync.core.cells import row_cells
from sheets_sync.model import Raw

INPUT_FIELDS = ("realisasi", "pembilang", "penyebut", "keterangan", "bukti")
"""The fields an import keeps (the form's input columns)."""

SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "code": ("kode", "kode indikator", "kd", "kd.", "no. indikator", "no indikator", "nomor indikator",
             "kode iku"),
    "realisasi": ("realisasi", "capaian realisasi", "nilai realisasi", "real.", "realisasi kinerja"),
    "pembilang": ("pembilang", "numerator"),
    "penyebut": ("penyebut", "denominator"),
    "keterangan": ("keterangan", "ket", "ket.", "catatan", "penjelasan"),
    "bukti": ("bukti", "bukti dukung", "data dukung", "link bukti", "tautan bukti", "bukti pendukung"),
    "indikator": ("indikator", "indikator kinerja", "nama indikator", "uraian indikator"),
    "target": ("target", "target kinerja"),
}
"""Header words per field, lower case.  A header matches a field when it is one of its words or starts
with one followed by a space or "(" (``Realisasi TW I``, ``Bukti Dukung (tautan)``)."""

_NOT_THIS_YEAR = ("lalu", "sebelum")  # "Realisasi Tahun Lalu" is the master's comparison column, not an input
HEADER_SEARCH_ROWS = 15


def norm_header(value: Raw) -> str:
    """A header as compared: lower case, one space between words, no trailing colon."""
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value)).strip().rstrip(":").strip().lower()


def field_of(header: Raw) -> str | None:
    """The field a header names (see :data:`SYNONYMS`), or None."""
    h = norm_header(header)
    if not h or any(w in h.split() for w in _NOT_THIS_YEAR):
        return None
    for name, words in SYNONYMS.items():
        for w in words:
            if h == w or h.startswith(w + " ") or h.startswith(w + "("):
                return name
    return None


@dataclass(frozen=True)
class Table:
    """Where the table is in a tab: its header row (1-based) and field → column (1-based)."""

    header_row: int
    columns: Mapping[str, int]


def find_table(values: Sequence[Sequence[Raw]]) -> Table | None:
    """The first header row of the top rows with a code and a realisasi column (the first column of a
    field wins when a header repeats)."""
    for r, row in enumerate(values[:HEADER_SEARCH_ROWS], start=1):
        cols: dict[str, int] = {}
        for c, v in enumerate(row, start=1):
            f = field_of(v)
            if f and f not in cols:
                cols[f] = c
        if "code" in cols and "realisasi" in cols:
            return Table(r, cols)
    return None


def code_text(value: Raw) -> str:
    """An indicator code as typed: a number cell ``1.1`` is ``"1.1"``, ``2`` is ``"2"``."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


@dataclass(frozen=True)
class ImportRow:
    """One indicator row of the file: its code, the raw input values by field and their A1 cells."""

    code: str
    row: int
    cells: Mapping[str, Raw]
    addresses: Mapping[str, str]


def table_rows(values: Sequence[Sequence[Raw]], table: Table) -> list[ImportRow]:
    """Every row below the header whose code cell is filled, with the input fields the table has."""
    code_col = table.columns["code"]
    out: list[ImportRow] = []
    for r, data in enumerate(values[table.header_row:], start=table.header_row + 1):
        code = code_text(data[code_col - 1]) if code_col - 1 < len(data) else ""
        if not code:
            continue
        inputs = row_cells(data, r, table.columns, INPUT_FIELDS)
        out.append(ImportRow(code, r, inputs.cells, inputs.addresses))
    return out
