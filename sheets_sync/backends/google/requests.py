"""Pure builders for Google API request bodies and parsers of their responses (no I/O, no gspread).

Kept apart from :mod:`.google` so the translation ``TabSetup`` → one Sheets ``batchUpdate`` can be
read (and tested) on its own.
"""

from __future__ import annotations

import json
import re
import uuid
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sheets_sync.core.a1 import A1Range, cell, col_letter, parse_range, quote_tab
from sheets_sync.core.cells import GOOGLE_FORMATS, typed_value
from sheets_sync.core.values import (
    CellUse,
    NumberFormat,
    Protection,
    RangeWrite,
    TabGuide,
    TabSetup,
    Validation,
    Values,
)
from sheets_sync.model import Raw

SHEET_MIME = "application/vnd.google-apps.spreadsheet"
FOLDER_MIME = "application/vnd.google-apps.folder"
PREFIX = "sheets-sync:"
MARKER_KEY = "sheets-sync:marker"
VALIDATIONS_KEY = "sheets-sync:validations"
GUIDE_KEY = "sheets-sync:guide-validations"  # the ranges a guide validated (a person's own ones stay)
DEFAULT_ROWS, DEFAULT_COLS = 1000, 26
CELL_LIMIT = 10_000_000
"""Google Sheets' limit: "up to 10 million cells or 18,278 columns" per spreadsheet, counted over every
tab's grid, empty cells included (https://support.google.com/drive/answer/37603).  Past it Sheets refuses
the request that would grow the grid: "This action would increase the number of cells in the workbook
above the limit of 10000000 cells." """
Json = dict[str, Any]


def sheet_link(spreadsheet_id: str) -> str:
    return f"https://docs.google.com/spreadsheets/d/{spreadsheet_id}/edit"


def file_link(file_id: str) -> str:
    return f"https://drive.google.com/file/d/{file_id}/view"


def rfc3339(moment: datetime) -> str:
    """Drive's timestamp format, always UTC with milliseconds: ``2025-04-01T03:00:00.000Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_rfc3339(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def q_literal(text: str) -> str:
    """A Drive query string literal: ``'it\\'s'``."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def api_range(text: str) -> str:
    """Re-quote the tab of an A1 range for the API (``Tab x!A1`` → ``'Tab x'!A1``)."""
    rng = parse_range(text)
    _, sep, ref = text.rpartition("!")
    return f"{quote_tab(rng.tab)}!{ref}" if sep else quote_tab(rng.tab)


def to_cell_json(value: Raw) -> str | float | int | bool:
    """A value for a RAW values write (None clears the cell: Google skips ``null``)."""
    return "" if value is None else value


def normalize(values: Sequence[Sequence[Any]] | None, rng: A1Range) -> Values:
    """Unformatted API rows → protocol rows: ``""`` → None, padded to the range width, trailing
    empty rows dropped."""
    rows: Values = [[None if v == "" else v for v in row] for row in (values or [])]
    width = rng.width if rng.width is not None else max((len(r) for r in rows), default=0)
    out = [row + [None] * (width - len(row)) for row in rows]
    while out and all(v is None for v in out[-1]):
        out.pop()
    return out


def multipart(metadata: Mapping[str, Any], data: bytes, mime: str) -> tuple[bytes, str]:
    """A ``multipart/related`` body for Drive's ``uploadType=multipart``: (body, content type)."""
    boundary = "sheets-sync-" + uuid.uuid4().hex
    head = (
        f"--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n"
        f"{json.dumps(dict(metadata))}\r\n--{boundary}\r\nContent-Type: {mime}\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/related; boundary={boundary}"


@dataclass
class SheetInfo:
    """What :meth:`GoogleBackend.setup` needs to know about an existing tab."""

    sheet_id: int
    title: str
    index: int
    rows: int = DEFAULT_ROWS
    cols: int = DEFAULT_COLS
    protections: list[tuple[int, str]] = field(default_factory=list)  # (id, description)
    metadata: list[tuple[int, str, str]] = field(default_factory=list)  # (id, key, value)

    @classmethod
    def from_api(cls, sheet: Mapping[str, Any]) -> SheetInfo:
        p = sheet.get("properties", {})
        grid = p.get("gridProperties", {})
        return cls(
            sheet_id=int(p.get("sheetId", 0)),
            title=str(p.get("title", "")),
            index=int(p.get("index", 0)),
            rows=int(grid.get("rowCount", DEFAULT_ROWS)),
            cols=int(grid.get("columnCount", DEFAULT_COLS)),
            protections=[
                (int(pr["protectedRangeId"]), str(pr.get("description", ""))) for pr in sheet.get("protectedRanges", [])
            ],
            metadata=[
                (int(m["metadataId"]), str(m.get("metadataKey", "")), str(m.get("metadataValue", "")))
                for m in sheet.get("developerMetadata", [])
            ],
        )

    def meta(self, key: str) -> str | None:
        for _, k, v in self.metadata:
            if k == key:
                return v
        return None


def grid_range(sheet_id: int, rng: A1Range) -> Json:
    """A1 (1-based, open-ended allowed) → GridRange (0-based, end-exclusive)."""
    g: Json = {"sheetId": sheet_id}
    whole = rng.row2 is None and rng.col2 is None and (rng.row1, rng.col1) == (1, 1)
    if whole:
        return g
    g["startRowIndex"] = rng.row1 - 1
    g["startColumnIndex"] = rng.col1 - 1
    if rng.row2 is not None:
        g["endRowIndex"] = rng.row2
    if rng.col2 is not None:
        g["endColumnIndex"] = rng.col2
    return g


def _cell(value: Raw) -> Json:
    if value is None or value == "":
        return {}
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, int | float):
        return {"userEnteredValue": {"numberValue": value}}
    return {"userEnteredValue": {"stringValue": str(value)}}


def update_cells(sheet_id: int, write: RangeWrite) -> list[Json]:
    """RAW write inside a batchUpdate: strings stay strings (``=SUM()`` is text), ``""`` clears, and
    ``None`` leaves the cell untouched (setup never overwrites what people typed) — so each row is
    sent as runs of consecutive non-None cells."""
    rng = parse_range(write.range)
    out: list[Json] = []
    for i, row in enumerate(write.values):
        j = 0
        while j < len(row):
            if row[j] is None:
                j += 1
                continue
            k = j
            while k < len(row) and row[k] is not None:
                k += 1
            start = {"sheetId": sheet_id, "rowIndex": rng.row1 - 1 + i, "columnIndex": rng.col1 - 1 + j}
            cells = [{"values": [_cell(v) for v in row[j:k]]}]
            out.append({"updateCells": {"start": start, "rows": cells, "fields": "userEnteredValue"}})
            j = k
    return out


def validation_rule(v: Validation) -> Json:
    """The DataValidationRule for one :class:`Validation` kind."""
    condition: Json
    if v.kind == "number":
        condition = {"type": "NUMBER_GREATER_THAN_EQ", "values": [{"userEnteredValue": "0"}]}
    elif v.kind == "url":
        condition = {"type": "TEXT_IS_URL"}
    elif v.kind == "list":
        condition = {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": x} for x in v.values]}
    elif v.kind == "checkbox":
        condition = {"type": "BOOLEAN"}
    elif v.kind == "date":  # ConditionType DATE_IS_VALID: "requires no ConditionValues"
        condition = {"type": "DATE_IS_VALID"}
    else:  # pragma: no cover - Literal exhausts the kinds
        raise ValueError(f"unknown validation kind {v.kind!r}")
    rule: Json = {"condition": condition, "strict": v.strict, "showCustomUi": v.kind in ("list", "checkbox")}
    if v.message:
        rule["inputMessage"] = v.message
    return rule


def _extent(ranges: Iterable[A1Range], writes: Sequence[RangeWrite]) -> tuple[int, int]:
    rows = cols = 0
    for r in ranges:
        rows = max(rows, r.row2 or r.row1)
        cols = max(cols, r.col2 or r.col1)
    for w in writes:
        r = parse_range(w.range)
        rows = max(rows, r.row1 + len(w.values) - 1)
        cols = max(cols, r.col1 + max((len(x) for x in w.values), default=1) - 1)
    return rows, cols


def new_sheet_id(title: str, taken: Iterable[int]) -> int:
    """A stable, unused sheetId for a tab we add (so later requests of the same batch can use it)."""
    used = set(taken)
    sid = zlib.crc32(title.encode()) % 1_000_000_000 + 1
    while sid in used:
        sid += 1
    return sid


def protection_description(p: Protection) -> str:
    return p.description if p.description.startswith(PREFIX) else f"{PREFIX} {p.description}".strip()


def setup_requests(
    tab: TabSetup,
    *,
    sheets: Sequence[SheetInfo],
    editors: Sequence[str],
    locale: str,
    time_zone: str,
) -> list[Json]:
    """Every request bringing ``tab`` to the wanted state, for one ``spreadsheets.batchUpdate``.

    Replaces only what sheets-sync made (protections whose description starts with
    ``sheets-sync:``, validations listed in the ``sheets-sync:validations`` metadata, the marker);
    never touches cells outside ``tab.writes``.
    """
    for w in tab.writes:
        if parse_range(w.range).tab != tab.tab:
            raise ValueError(f"setup of {tab.tab!r} may only write that tab, got {w.range!r}")
    reqs: list[Json] = [
        {
            "updateSpreadsheetProperties": {
                "properties": {"locale": locale, "timeZone": time_zone},
                "fields": "locale,timeZone",
            }
        }
    ]
    prot_ranges = [parse_range(p.range) for p in tab.protections]
    val_ranges = [parse_range(v.range) for v in tab.validations]
    need_rows, need_cols = _extent([*prot_ranges, *val_ranges], tab.writes)
    existing = next((s for s in sheets if s.title == tab.tab), None)
    grid: Json = {"frozenRowCount": tab.frozen_rows}
    if existing is None:
        sid = new_sheet_id(tab.tab, (s.sheet_id for s in sheets))
        grid |= {"rowCount": max(DEFAULT_ROWS, need_rows), "columnCount": max(DEFAULT_COLS, need_cols)}
        props: Json = {"sheetId": sid, "title": tab.tab, "gridProperties": grid}
        if tab.index is not None:
            props["index"] = tab.index
        reqs.insert(0, {"addSheet": {"properties": props}})
    else:
        sid = existing.sheet_id
        grid |= {"rowCount": max(existing.rows, need_rows), "columnCount": max(existing.cols, need_cols)}
        props = {"sheetId": sid, "gridProperties": grid}
        fields = "gridProperties.rowCount,gridProperties.columnCount,gridProperties.frozenRowCount"
        if tab.index is not None and tab.index != existing.index:
            props["index"] = tab.index
            fields += ",index"
        reqs.append({"updateSheetProperties": {"properties": props, "fields": fields}})
        for pid, desc in existing.protections:
            if desc.startswith(PREFIX):
                reqs.append({"deleteProtectedRange": {"protectedRangeId": pid}})
        old_validations = json.loads(existing.meta(VALIDATIONS_KEY) or "[]")
        for a1 in old_validations:
            reqs.append({"setDataValidation": {"range": grid_range(sid, parse_range(a1))}})
        for mid, key, _ in existing.metadata:
            if key in (MARKER_KEY, VALIDATIONS_KEY):
                lookup = {"developerMetadataLookup": {"metadataId": mid}}
                reqs.append({"deleteDeveloperMetadata": {"dataFilter": lookup}})
    for w in tab.writes:
        reqs.extend(update_cells(sid, w))
    for v, rng in zip(tab.validations, val_ranges, strict=True):
        reqs.append({"setDataValidation": {"range": grid_range(sid, rng), "rule": validation_rule(v)}})
    for p, rng in zip(tab.protections, prot_ranges, strict=True):
        users = list(dict.fromkeys(e.lower() for e in (*p.editors, *editors) if e))
        reqs.append(
            {
                "addProtectedRange": {
                    "protectedRange": {
                        "range": grid_range(sid, rng),
                        "description": protection_description(p),
                        "warningOnly": False,
                        "editors": {"users": users},
                    }
                }
            }
        )
    for key, value in ((MARKER_KEY, dict(tab.marker)), (VALIDATIONS_KEY, [v.range for v in tab.validations])):
        reqs.append(
            {
                "createDeveloperMetadata": {
                    "developerMetadata": {
                        "metadataKey": key,
                        "metadataValue": json.dumps(value, ensure_ascii=False, sort_keys=True),
                        "location": {"sheetId": sid},
                        "visibility": "DOCUMENT",
                    }
                }
            }
        )
    for col in tab.hidden_columns:
        reqs.append(_dimension(sid, col, {"hiddenByUser": True}, "hiddenByUser"))
    for col, chars in sorted(tab.column_widths.items()):
        reqs.append(_dimension(sid, col, {"pixelSize": 7 * chars + 16}, "pixelSize"))
    return reqs


def guide_requests(guides: Sequence[TabGuide], *, sheets: Sequence[SheetInfo]) -> list[Json]:
    """The requests of one ``batchUpdate`` applying ``guides`` to existing tabs (missing tabs are
    skipped): a move where the tab is not at its index yet, the validations listed under
    :data:`GUIDE_KEY` cleared and set again, number formats (``repeatCell`` of the number format only),
    the list kept in developer metadata.  No cell value is sent.  Tabs are placed in ascending index
    order, so every move goes towards the front and "before the move" indexes (SheetProperties.index,
    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/sheets#SheetProperties)
    equal the wanted ones.  The tab a person sees first is the first tab: Sheets has no per-file
    active tab in the API."""
    by_title = {s.title: s for s in sheets}
    order = [s.title for s in sorted(sheets, key=lambda s: s.index)]
    reqs: list[Json] = []
    for g in sorted((g for g in guides if g.tab in by_title), key=lambda g: g.index):
        info = by_title[g.tab]
        sid = info.sheet_id
        if order.index(g.tab) != g.index:
            order.remove(g.tab)
            order.insert(g.index, g.tab)
            reqs.append({"updateSheetProperties": {"properties": {"sheetId": sid, "index": g.index},
                                                   "fields": "index"}})
        for a1 in json.loads(info.meta(GUIDE_KEY) or "[]"):
            reqs.append({"setDataValidation": {"range": grid_range(sid, parse_range(a1))}})
        for mid, key, _ in info.metadata:
            if key == GUIDE_KEY:
                reqs.append({"deleteDeveloperMetadata": {"dataFilter": {"developerMetadataLookup": {
                    "metadataId": mid}}}})
        for v in g.validations:
            reqs.append({"setDataValidation": {"range": grid_range(sid, parse_range(v.range)),
                                               "rule": validation_rule(v)}})
        reqs.extend(number_format_request(sid, nf) for nf in g.number_formats)
        reqs.append({"createDeveloperMetadata": {"developerMetadata": {
            "metadataKey": GUIDE_KEY, "location": {"sheetId": sid}, "visibility": "DOCUMENT",
            "metadataValue": json.dumps([v.range for v in g.validations])}}})
    return reqs


def number_format_request(sheet_id: int, nf: NumberFormat) -> Json:
    """A ``repeatCell`` setting only the number format of ``nf``'s range (values and other formats stay)."""
    fmt = {"numberFormat": {"type": "NUMBER", "pattern": nf.pattern}}
    return {"repeatCell": {"range": grid_range(sheet_id, parse_range(nf.range)), "cell": {"userEnteredFormat": fmt},
                           "fields": "userEnteredFormat.numberFormat"}}


def _dimension(sheet_id: int, col: int, props: Json, fields: str) -> Json:
    span = {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": col - 1, "endIndex": col}
    return {"updateDimensionProperties": {"range": span, "properties": props, "fields": fields}}


# -- reading cells as people typed them --------------------------------------------------------------
CELL_LIKE = re.compile(r"^[A-Za-z]{1,3}\d+$")
READ_FIELDS = (
    "sheets(properties(sheetId,title,index,gridProperties(rowCount,columnCount)),"
    "data(startRow,startColumn,rowData(values(effectiveValue,userEnteredValue/formulaValue,"
    "effectiveFormat/numberFormat/type))))"
)
"""One ``spreadsheets.get`` gives each cell's value *and* how it was typed (its number format), plus
the grid size of every tab it touches (kept for writes)."""


def read_range(rng: A1Range, cols: int | None = None) -> str:
    """The API range for reading ``rng`` without ever asking past the tab's grid.

    Row bounds are dropped (``A1:Z3000`` → ``A1:Z``: Sheets refuses a bounded range longer than the
    tab — "Range (…) exceeds grid limits" — but an open-ended one stops at the last row; the caller
    trims).  A whole tab is asked for by its quoted name, except a name that reads as a cell
    (``TW1`` is column TW, row 1, for Sheets even when quoted): then ``'TW1'!A:<last column>``.
    """
    tab = "'" + rng.tab.replace("'", "''") + "'"
    whole = rng.row2 is None and rng.col2 is None and (rng.row1, rng.col1) == (1, 1)
    if whole and not CELL_LIKE.match(rng.tab):
        return tab
    last = rng.col2 if rng.col2 is not None else (cols or DEFAULT_COLS)
    return f"{tab}!{col_letter(rng.col1)}{rng.row1}:{col_letter(last)}"


@dataclass(frozen=True)
class GridRead:
    """One range as read: typed rows (protocol :data:`Values`) and the formulas found in it (A1 → text)."""

    values: Values
    formulas: dict[str, str]


def grid_values(data: Mapping[str, Any], rng: A1Range) -> GridRead:
    """A ``GridData`` → protocol rows for ``rng``: each cell's effective value and number format
    through the typed-cell rule (:func:`sheets_sync.core.cells.typed_value`: a percent cell 0.895 is
    89.5, a date cell the date as typed), padded to the range width, cut to its height, trailing
    empty rows dropped.  A formula's computed value is used; the formula is reported."""
    r0 = int(data.get("startRow", 0))
    c0 = int(data.get("startColumn", 0))
    rows: Values = []
    formulas: dict[str, str] = {}
    for i, row in enumerate(data.get("rowData") or []):
        out: list[Raw] = []
        for j, cell_data in enumerate(row.get("values") or []):
            ev = cell_data.get("effectiveValue") or {}
            if "errorValue" in ev:
                raw: Any = "#" + str(ev["errorValue"].get("type", "ERROR")).replace("_", "/")
            else:
                raw = next(iter(ev.values()), None) if ev else None
            kind = ((cell_data.get("effectiveFormat") or {}).get("numberFormat") or {}).get("type", "")
            out.append(typed_value(raw, GOOGLE_FORMATS.get(kind, "number")))
            formula = (cell_data.get("userEnteredValue") or {}).get("formulaValue")
            if formula:
                formulas[cell(r0 + i + 1, c0 + j + 1)] = str(formula)
        rows.append([None if v == "" else v for v in out])
    if rng.height is not None:
        rows = rows[: rng.height]
    width = rng.width if rng.width is not None else max((len(r) for r in rows), default=0)
    padded = [r[:width] + [None] * (width - len(r)) for r in rows]
    while padded and all(v is None for v in padded[-1]):
        padded.pop()
    return GridRead(padded, formulas)


def match_grid_data(sheets: Sequence[Mapping[str, Any]], ranges: Sequence[A1Range]) -> list[Mapping[str, Any]]:
    """The ``GridData`` answering each of ``ranges`` (Sheets returns the touched tabs in spreadsheet
    order, each tab's data in request order)."""
    by_tab: dict[str, list[Mapping[str, Any]]] = {}
    for s in sheets:
        by_tab[str(s.get("properties", {}).get("title", ""))] = list(s.get("data") or [])
    seen: dict[str, int] = {}
    out = []
    for rng in ranges:
        n = seen.get(rng.tab, 0)
        seen[rng.tab] = n + 1
        datas = by_tab.get(rng.tab, [])
        out.append(datas[n] if n < len(datas) else {})
    return out


@dataclass(frozen=True)
class Growth:
    """What making room for some writes takes: the ``requests`` (``addSheet``/``appendDimension``,
    empty when every tab is there and large enough) and the ``sheet_ids`` of every written tab."""

    requests: list[Json]
    sheet_ids: dict[str, int]
    cells: dict[str, int] = field(default_factory=dict)
    """Every tab's grid (rows × columns) once the requests are applied, the tabs not written included."""


def grow_requests(sheets: Sequence[SheetInfo], writes: Sequence[RangeWrite]) -> Growth:
    """The :class:`Growth` making room for ``writes`` (Sheets never grows a grid on a values write)."""
    have = {s.title: s for s in sheets}
    need: dict[str, tuple[int, int]] = {}
    for w in writes:
        rng = parse_range(w.range)
        rows = rng.row1 + max(len(w.values), 1) - 1
        cols = rng.col1 + max((len(r) for r in w.values), default=1) - 1
        r0, c0 = need.get(rng.tab, (0, 0))
        need[rng.tab] = (max(r0, rows), max(c0, cols))
    reqs: list[Json] = []
    ids: dict[str, int] = {}
    taken = [s.sheet_id for s in sheets]
    cells = {s.title: s.rows * s.cols for s in sheets}
    for tab, (rows, cols) in need.items():
        sheet = have.get(tab)
        if sheet is None:
            sid = new_sheet_id(tab, taken)
            taken.append(sid)
            grid = {"rowCount": max(DEFAULT_ROWS, rows), "columnCount": max(DEFAULT_COLS, cols)}
            reqs.append({"addSheet": {"properties": {"sheetId": sid, "title": tab, "gridProperties": grid}}})
            ids[tab] = sid
            cells[tab] = grid["rowCount"] * grid["columnCount"]
            continue
        ids[tab] = sheet.sheet_id
        if rows > sheet.rows:
            reqs.append(_append(sheet.sheet_id, "ROWS", rows - sheet.rows))
        if cols > sheet.cols:
            reqs.append(_append(sheet.sheet_id, "COLUMNS", cols - sheet.cols))
        cells[tab] = max(rows, sheet.rows) * max(cols, sheet.cols)
    return Growth(reqs, ids, cells)


def cell_use(cells: Mapping[str, int]) -> CellUse:
    """The :class:`CellUse` of a spreadsheet whose tabs hold ``cells`` (title → rows × columns)."""
    largest = max(cells, key=lambda t: cells[t], default="")
    return CellUse(sum(cells.values()), CELL_LIMIT, largest, cells.get(largest, 0))


def _append(sheet_id: int, dimension: str, length: int) -> Json:
    return {"appendDimension": {"sheetId": sheet_id, "dimension": dimension, "length": length}}
