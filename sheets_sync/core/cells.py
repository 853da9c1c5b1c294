"""Cells as people typed them: one rule for every backend.

A spreadsheet stores what a person typed as a value *and* a format: ``89,5%`` typed in Google Sheets
(locale id_ID) or ``47,5%`` in Excel is stored as ``0.895`` / ``0.475`` with a percent format; a date
is stored as a serial number (days since 1899-12-30) with a date format.  Backends read both and hand
them here; what comes out is the :data:`~sheets_sync.model.Raw` value the rest of sheets-sync reads as
if the person had typed text:

=================  ==========================================  ==================================
stored as          example                                     becomes
=================  ==========================================  ==================================
percent number     ``0.895`` (format ``0.00%`` / ``PERCENT``)   ``89.5`` (full precision, ×100)
date               serial ``45757`` / ``date(2025, 4, 10)``     ``"2025-04-10"`` (text)
date-time          ``45757.6666…`` / ``datetime(…, 16, 0)``     ``"2025-04-10 16:00"`` (text)
time only          ``0.6666…`` (format ``TIME``)                ``"16:00"`` (text)
boolean/checkbox   ``TRUE``                                     ``True``
number             ``1234.5`` shown as ``1.234``                ``1234.5`` (the value, not the shown)
text               ``"1.234,5"``                                unchanged (the Indonesian parser)
=================  ==========================================  ==================================

Dates become the same text a person would type, so one rule decides what they mean everywhere: a date
without a time is the **end of that day** (23:59:59 office time) for deadlines and lock dates and its
start for openings — exactly as a date typed as text (:func:`sheets_sync.core.control.parse_when`).
A formula keeps its computed value; the backend reports that it was a formula separately.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Literal

from sheets_sync.core.a1 import cell
from sheets_sync.model import Raw

CellFormat = Literal["number", "percent", "date", "datetime", "time", "boolean", "text", "currency", "other"]
"""How a cell is formatted, in backend-neutral words (Google's ``numberFormat.type`` and openpyxl's
``number_format``/``is_date`` map onto these)."""

SERIAL_EPOCH = datetime(1899, 12, 30)
"""Day 0 of spreadsheet serial dates in Google Sheets and Excel's 1900 system (Google Sheets API:
"dates … are represented as … days since December 30 1899")."""

GOOGLE_FORMATS: dict[str, CellFormat] = {
    "NUMBER": "number", "PERCENT": "percent", "DATE": "date", "DATE_TIME": "datetime", "TIME": "time",
    "CURRENCY": "currency", "SCIENTIFIC": "number", "TEXT": "text",
}
"""Google Sheets ``CellFormat.numberFormat.type`` → :data:`CellFormat`."""


def excel_format(number_format: str, *, is_date: bool) -> CellFormat:
    """An Excel/LibreOffice number-format code as a :data:`CellFormat` (``0.00%`` → percent; a date
    code with hours → datetime, without → date, hours only → time)."""
    code = number_format.lower()
    if is_date:
        has_day = any(c in code for c in ("d", "y")) or "m" in code.replace("mm:ss", "").replace("h:mm", "")
        has_time = "h" in code or "s" in code
        if has_day and has_time:
            return "datetime"
        return "time" if has_time else "date"
    quoted = "".join(part for i, part in enumerate(code.split('"')) if i % 2 == 0)
    if "%" in quoted.replace("\\%", ""):
        return "percent"
    return "text" if code == "@" else "number"


def from_serial(serial: float) -> datetime:
    """A spreadsheet serial (days since 1899-12-30, fraction = time of day) as a naive datetime,
    rounded to the second."""
    return SERIAL_EPOCH + timedelta(seconds=round(serial * 86400))


def _date_text(moment: datetime | date | time, fmt: CellFormat) -> str:
    if isinstance(moment, time) or (fmt == "time" and isinstance(moment, datetime)):
        return moment.strftime("%H:%M") if not moment.second else moment.strftime("%H:%M:%S")
    if isinstance(moment, datetime):
        if fmt == "date" or (moment.time() == time(0, 0) and fmt != "datetime"):
            return moment.date().isoformat()
        return moment.strftime("%Y-%m-%d %H:%M") if not moment.second else moment.strftime("%Y-%m-%d %H:%M:%S")
    return moment.isoformat()


def percent_value(value: float | int) -> float | int:
    """``0.895`` → ``89.5`` without binary noise (``0.895 * 100`` is ``89.49999999999999``)."""
    if isinstance(value, bool) or not math.isfinite(value):
        return value
    try:
        scaled = Decimal(repr(value)) * 100
    except InvalidOperation:
        return value * 100
    return int(scaled) if scaled == scaled.to_integral_value() and isinstance(value, int) else float(scaled)


def typed_value(value: object, fmt: CellFormat) -> Raw:
    """The :data:`Raw` value of a cell stored as ``value`` with format ``fmt`` (see the module table).

    ``value`` is what the backend read unformatted: a number (possibly a date serial), a
    ``datetime``/``date``/``time`` (openpyxl), a bool, text or ``None``.
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, datetime | date | time):
        if isinstance(value, time):
            return _date_text(value, "time")
        return _date_text(value, fmt if fmt in ("date", "datetime") else "datetime")
    if isinstance(value, int | float):
        if fmt in ("date", "datetime", "time") and math.isfinite(value):
            try:
                return _date_text(from_serial(float(value)), fmt)
            except OverflowError:
                return value
        if fmt == "percent":
            return percent_value(value)
        return value
    return str(value)


def cell_text(v: Raw) -> str:
    """A control-tab cell as the text a person sees in it: empty → ``""``, a whole number read as a float
    (``3.0`` from a code column typed ``3``) → ``"3"``, anything else stripped."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


@dataclass(frozen=True)
class RowCells:
    """One sheet row's input fields, found by header: ``cells`` field → raw value (None past the row's
    end), ``addresses`` field → A1 cell.  A field whose column is missing is in neither."""

    cells: dict[str, Raw]
    addresses: dict[str, str]


def row_cells(data: Sequence[Raw], row: int, columns: Mapping[str, int | None], fields: Iterable[str]) -> RowCells:
    """The ``fields`` of sheet row ``row`` (its values ``data``) at the 1-based ``columns`` of each."""
    found = RowCells({}, {})
    for f in fields:
        col = columns.get(f)
        if col is None:
            continue
        found.cells[f] = data[col - 1] if col - 1 < len(data) else None
        found.addresses[f] = cell(row, col)
    return found
