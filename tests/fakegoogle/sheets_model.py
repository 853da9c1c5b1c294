"""State and behaviour of fake spreadsheets: tabs, cells, protected ranges, validation, developer
metadata, locale and time zone — enough of Sheets v4 for sheets-sync and gspread's recorded tests.

Cells are stored sparsely, 0-based ``(row, col)`` → value, where a value is ``str``, ``int``,
``float`` or ``bool`` exactly as written (RAW), so reads return what was stored.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from .typing_rules import format_value, parse_typed

Json = dict[str, Any]

DEFAULT_FORMAT: Json = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}
THEME_COLORS = [
    ("TEXT", {}),
    ("BACKGROUND", {"red": 1, "green": 1, "blue": 1}),
    ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
    ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
    ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
    ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
    ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
    ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
    ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}),
]


def _extended(v: Any) -> Json:
    """An ``ExtendedValue``: exactly one of numberValue / stringValue / boolValue."""
    if isinstance(v, bool):
        return {"boolValue": v}
    if isinstance(v, int | float):
        return {"numberValue": v}
    return {"stringValue": str(v)}


class SheetsError(Exception):
    """A semantic error Sheets reports as 400 INVALID_ARGUMENT (or 404 etc.)."""

    def __init__(self, message: str, code: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def quote_title(title: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_]+", title):
        return title
    return "'" + title.replace("'", "''") + "'"


def col_letters(index0: int) -> str:
    n, out = index0 + 1, ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


_REF = re.compile(r"^([A-Za-z]{0,3})(\d*)(?::([A-Za-z]{0,3})(\d*))?$")


@dataclass
class Sheet:
    sheet_id: int
    title: str
    index: int
    rows: int = 1000
    cols: int = 26
    frozen_rows: int = 0
    frozen_cols: int = 0
    hidden: bool = False
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    protected: list[Json] = field(default_factory=list)
    validation: dict[tuple[int, int], Json] = field(default_factory=dict)
    metadata: list[Json] = field(default_factory=list)
    columns: dict[int, Json] = field(default_factory=dict)
    formats: dict[tuple[int, int], Json] = field(default_factory=dict)  # numberFormat per cell
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)

    # -- one cell ---------------------------------------------------------------------------------
    def put(self, key: tuple[int, int], value: Any) -> None:
        """A RAW write: the value exactly as sent (``"=A1"`` stays text); the number format stays."""
        self.formulas.pop(key, None)
        if value == "" or value is None:
            self.cells.pop(key, None)
        else:
            self.cells[key] = value

    def type_into(self, key: tuple[int, int], value: Any, locale: str) -> None:
        """A person (or ``USER_ENTERED``) typing ``value`` into the cell (see :mod:`.typing_rules`)."""

        def lookup(a1: str) -> Any:
            m = re.match(r"([A-Z]+)(\d+)$", a1)
            return self.cells.get((int(m.group(2)) - 1, col_number(m.group(1)))) if m else None

        typed = parse_typed(value, locale, lookup)
        self.put(key, typed.value)
        if typed.formula is not None:
            self.formulas[key] = typed.formula
        if typed.number_format is not None and key not in self.formats:
            self.formats[key] = dict(typed.number_format)

    def render(self, key: tuple[int, int], render: str, date_render: str, locale: str) -> Any:
        """``valueRenderOption`` × ``dateTimeRenderOption`` for one cell
        (https://developers.google.com/sheets/api/reference/rest/v4/ValueRenderOption,
        https://developers.google.com/sheets/api/reference/rest/v4/DateTimeRenderOption: the date
        option "is ignored if valueRenderOption is FORMATTED_VALUE")."""
        v = self.cells.get(key)
        fmt = self.formats.get(key)
        if render == "FORMULA" and key in self.formulas:
            return self.formulas[key]
        if v is None:
            return ""
        if render == "FORMATTED_VALUE":
            return format_value(v, fmt, locale)
        is_date = (fmt or {}).get("type") in ("DATE", "DATE_TIME", "TIME")
        if is_date and date_render == "FORMATTED_STRING" and isinstance(v, int | float) and not isinstance(v, bool):
            return format_value(v, fmt, locale)
        if isinstance(v, float) and v.is_integer():
            return int(v)
        return v

    def cell_data(self, key: tuple[int, int], locale: str) -> Json:
        """The ``CellData`` of one cell (values and formats; ``{}`` when empty and unformatted)."""
        out: Json = {}
        v = self.cells.get(key)
        fmt = self.formats.get(key)
        if v is not None:
            if key in self.formulas:
                out["userEnteredValue"] = {"formulaValue": self.formulas[key]}
            else:
                out["userEnteredValue"] = _extended(v)
            if isinstance(v, str) and key in self.formulas and v.startswith("#"):
                out["effectiveValue"] = {"errorValue": {"type": "ERROR", "message": v}}
            else:
                out["effectiveValue"] = _extended(v)
            out["formattedValue"] = format_value(v, fmt, locale)
        if fmt is not None:
            out["userEnteredFormat"] = {"numberFormat": dict(fmt)}
            out["effectiveFormat"] = {**copy.deepcopy(DEFAULT_FORMAT), "numberFormat": dict(fmt)}
        elif v is not None:
            out["effectiveFormat"] = copy.deepcopy(DEFAULT_FORMAT)
        return out

    def properties(self) -> Json:
        grid: Json = {"rowCount": self.rows, "columnCount": self.cols}
        if self.frozen_rows:
            grid["frozenRowCount"] = self.frozen_rows
        if self.frozen_cols:
            grid["frozenColumnCount"] = self.frozen_cols
        props: Json = {
            "sheetId": self.sheet_id,
            "title": self.title,
            "index": self.index,
            "sheetType": "GRID",
            "gridProperties": grid,
        }
        if self.hidden:
            props["hidden"] = True
        return props


@dataclass
class Box:
    """A resolved range: sheet + 0-based inclusive start, exclusive end (None = to the grid edge)."""

    sheet: Sheet
    r1: int
    c1: int
    r2: int | None
    c2: int | None

    def end_row(self) -> int:
        return self.sheet.rows if self.r2 is None else self.r2

    def end_col(self) -> int:
        return self.sheet.cols if self.c2 is None else self.c2

    def a1(self) -> str:
        r2, c2 = min(self.end_row(), self.sheet.rows), min(self.end_col(), self.sheet.cols)
        start = f"{col_letters(self.c1)}{self.r1 + 1}"
        end = f"{col_letters(max(c2 - 1, self.c1))}{max(r2, self.r1 + 1)}"
        return f"{quote_title(self.sheet.title)}!{start}:{end}"


@dataclass
class Spreadsheet:
    spreadsheet_id: str
    locale: str = "en_US"
    time_zone: str = "Etc/GMT"
    sheets: list[Sheet] = field(default_factory=list)

    def clone(self, new_id: str) -> Spreadsheet:
        twin = copy.deepcopy(self)
        twin.spreadsheet_id = new_id
        return twin

    # -- lookup -----------------------------------------------------------------------------------
    def by_id(self, sheet_id: int, where: str = "") -> Sheet:
        for s in self.sheets:
            if s.sheet_id == sheet_id:
                return s
        raise SheetsError(f"Invalid {where}: No grid with id: {sheet_id}".replace("Invalid : ", ""))

    def by_title(self, title: str) -> Sheet | None:
        return next((s for s in self.sheets if s.title == title), None)

    def reindex(self) -> None:
        for i, s in enumerate(self.sheets):
            s.index = i

    def resolve(self, text: str, *, check: bool = True) -> Box:
        """A1 text (``'My tab'!A1:C``, ``Sheet1``, ``A1:B2``) → :class:`Box`; 400 when unparsable or
        (``check``) past the grid.

        A tab name alone means the whole tab — unless the name itself reads as a cell: Sheets takes
        ``'TW1'`` (quoted or not) as cell TW1, column 543, and answers "Range ('OT1'!OT1) exceeds grid
        limits" (nithinmurali/pygsheets#560, ontodev/cogs#123, Google issue tracker 243636254).
        """
        tab, ref = self._split(text)
        if tab is None:
            named = self.by_title(text)
            if CELL_LIKE.match(text):
                sheet = named or (self.sheets[0] if self.sheets else None)
                if sheet is None:
                    raise SheetsError(f"Unable to parse range: {text}")
                ref = text
            elif named is not None:
                return Box(named, 0, 0, None, None)
            else:
                if not self.sheets or not _REF.match(text):
                    raise SheetsError(f"Unable to parse range: {text}")
                sheet, ref = self.sheets[0], text
        else:
            found = self.by_title(tab)
            if found is None:
                raise SheetsError(f"Unable to parse range: {text}")
            sheet = found
            if not ref:
                if not CELL_LIKE.match(tab):
                    return Box(sheet, 0, 0, None, None)
                ref = tab
        m = _REF.match(ref)
        if not m or not (m.group(1) or m.group(2)):
            raise SheetsError(f"Unable to parse range: {text}")
        c1 = col_number(m.group(1)) if m.group(1) else 0
        r1 = int(m.group(2)) - 1 if m.group(2) else 0
        if m.group(3) is None and m.group(4) is None:
            if not m.group(1) or not m.group(2):
                raise SheetsError(f"Unable to parse range: {text}")
            box = Box(sheet, r1, c1, r1 + 1, c1 + 1)
        else:
            c2 = col_number(m.group(3)) + 1 if m.group(3) else None
            r2 = int(m.group(4)) if m.group(4) else None
            box = Box(sheet, r1, c1, r2, c2)
        if check:
            self.check_grid(box, ref)
        return box

    @staticmethod
    def _split(text: str) -> tuple[str | None, str]:
        if text.startswith("'"):
            i, title = 1, ""
            while i < len(text):
                if text[i] == "'" and text[i + 1 : i + 2] == "'":
                    title += "'"
                    i += 2
                elif text[i] == "'":
                    rest = text[i + 1 :]
                    return title, rest[1:] if rest.startswith("!") else rest
                else:
                    title += text[i]
                    i += 1
            raise SheetsError(f"Unable to parse range: {text}")
        if "!" in text:
            tab, _, ref = text.rpartition("!")
            return tab, ref
        return None, text

    def grid_box(self, grid: Json, where: str) -> Box:
        sheet = self.by_id(int(grid.get("sheetId", 0)), where)
        r2 = grid.get("endRowIndex")
        c2 = grid.get("endColumnIndex")
        box = Box(
            sheet,
            int(grid.get("startRowIndex", 0)),
            int(grid.get("startColumnIndex", 0)),
            None if r2 is None else int(r2),
            None if c2 is None else int(c2),
        )
        if grid.get("startRowIndex") is not None or grid.get("startColumnIndex") is not None or r2 or c2:
            end = f"{col_letters(box.end_col() - 1)}{box.end_row()}"
            self.check_grid(box, f"{col_letters(box.c1)}{box.r1 + 1}:{end}")
        return box

    # -- values -----------------------------------------------------------------------------------
    def check_grid(self, box: Box, label: str) -> None:
        """400 when a bounded range reaches past the tab's grid.

        Sheets refuses such ranges for reads and writes alike rather than clipping them: "Range
        (Mass!151154:151354) exceeds grid limits. Max rows: 151000, max columns: 26" on a
        ``values:batchGet`` (airbytehq/airbyte#1740), "Range ('DF1'!DF1) exceeds grid limits" on
        ``get_all_values`` (burnash/gspread#554), the same on writes past row 1000 of a browser-made
        tab (cloudfour/lighthouse-parade#151, nithinmurali/pygsheets#124) and past its 26 columns
        (home-assistant/core#104198).  Open-ended ranges (``A:Z``, ``A5:P``, a tab name) stop at the
        grid's edge and are fine.
        """
        sheet = box.sheet
        over_rows = box.r1 >= sheet.rows or (box.r2 is not None and box.r2 > sheet.rows)
        over_cols = box.c1 >= sheet.cols or (box.c2 is not None and box.c2 > sheet.cols)
        if over_rows or over_cols:
            raise SheetsError(
                f"Range ({label_range(sheet.title, label)}) exceeds grid limits. "
                f"Max rows: {sheet.rows}, max columns: {sheet.cols}"
            )

    def read(self, box: Box, render: str, date_render: str = "SERIAL_NUMBER") -> list[list[Any]]:
        """Rows of the box as ``values.get`` renders them (trailing empty cells and rows dropped)."""
        sheet = box.sheet
        r2, c2 = min(box.end_row(), sheet.rows), min(box.end_col(), sheet.cols)
        rows: list[list[Any]] = []
        for r in range(box.r1, r2):
            row = [sheet.render((r, c), render, date_render, self.locale) for c in range(box.c1, c2)]
            while row and row[-1] == "":
                row.pop()
            rows.append(row)
        while rows and not rows[-1]:
            rows.pop()
        return rows

    def write(self, box: Box, values: list[list[Any]], user_entered: bool) -> tuple[int, int, int]:
        """Store ``values`` at the box's top-left; returns rows, columns and cells written.

        A bounded box that is too small is refused (Sheets: "Requested writing within range …"), and
        so is data reaching past the grid (see :meth:`check_grid`: Sheets does not add rows on a
        values write; ``appendDimension`` or ``values.append`` do)."""
        sheet = box.sheet
        height = len(values)
        width = max((len(r) for r in values), default=0)
        anchor = box.r2 == box.r1 + 1 and box.c2 == box.c1 + 1  # "A1": a start cell, data may extend
        too_tall = box.r2 is not None and box.r1 + height > box.r2
        too_wide = box.c2 is not None and box.c1 + width > box.c2
        if not anchor and (too_tall or too_wide):
            raise SheetsError(
                f"Requested writing within range [{box.a1()}], but tried writing to row [{box.r1 + height}]"
            )
        if box.r1 + height > sheet.rows or box.c1 + width > sheet.cols:
            end = f"{col_letters(box.c1 + max(width, 1) - 1)}{box.r1 + max(height, 1)}"
            raise SheetsError(
                f"Range ({label_range(sheet.title, col_letters(box.c1) + str(box.r1 + 1) + ':' + end)}) exceeds "
                f"grid limits. Max rows: {sheet.rows}, max columns: {sheet.cols}"
            )
        cells = 0
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                if v is None:
                    continue
                key = (box.r1 + i, box.c1 + j)
                if user_entered:
                    sheet.type_into(key, v, self.locale)
                else:
                    sheet.put(key, v)
                cells += 1
        return height, width, cells

    def clear(self, box: Box) -> None:
        r2, c2 = box.end_row(), box.end_col()
        for key in [k for k in box.sheet.cells if box.r1 <= k[0] < r2 and box.c1 <= k[1] < c2]:
            box.sheet.put(key, "")

    def grid_data(self, box: Box) -> Json:
        """One ``GridData`` of ``spreadsheets.get`` (proto3: zero start indexes and trailing empty
        rows/cells are omitted; an empty row in between is ``{}``)."""
        sheet = box.sheet
        r2, c2 = min(box.end_row(), sheet.rows), min(box.end_col(), sheet.cols)
        rows: list[Json] = []
        for r in range(box.r1, r2):
            cells = [sheet.cell_data((r, c), self.locale) for c in range(box.c1, c2)]
            while cells and not cells[-1]:
                cells.pop()
            rows.append({"values": cells} if cells else {})
        while rows and not rows[-1]:
            rows.pop()
        out: Json = {}
        if box.r1:
            out["startRow"] = box.r1
        if box.c1:
            out["startColumn"] = box.c1
        if rows:
            out["rowData"] = rows
        return out


CELL_LIKE = re.compile(r"^[A-Za-z]{1,3}\d+$")


def label_range(title: str, ref: str) -> str:
    """A range as Sheets prints it in errors: the title quoted when it has spaces or looks like a cell
    (``'OT1'!OT1``), bare otherwise (``Mass!151154:151354``)."""
    plain = re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", title) and not CELL_LIKE.match(title)
    shown = title if plain else "'" + title.replace("'", "''") + "'"
    return f"{shown}!{ref}"


def parse_user_entered(v: Any, locale: str) -> Any:
    """The value Sheets stores for typed ``v`` (see :mod:`.typing_rules`)."""
    return parse_typed(v, locale).value


def render_value(v: Any, render: str, locale: str) -> Any:
    """A stored value as ``values.get`` renders it, for a cell without a number format."""
    cell = Sheet(0, "", 0)
    cell.put((0, 0), v)
    return cell.render((0, 0), render, "SERIAL_NUMBER", locale)


def output_grid(grid: Json) -> Json:
    """GridRange as Sheets prints it: ``sheetId`` 0 omitted (proto3 default), the optional row/column
    indexes kept when set, even to 0."""
    return {k: v for k, v in grid.items() if v is not None and not (k == "sheetId" and v == 0)}
