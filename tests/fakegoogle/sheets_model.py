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

    def resolve(self, text: str) -> Box:
        """A1 text (``'My tab'!A1:C``, ``Sheet1``, ``A1:B2``) → :class:`Box`; 400 when unparsable."""
        tab, ref = self._split(text)
        if tab is None:
            sheet = self.by_title(text)
            if sheet is not None:
                return Box(sheet, 0, 0, None, None)
            if not self.sheets or not _REF.match(text):
                raise SheetsError(f"Unable to parse range: {text}")
            sheet, ref = self.sheets[0], text
        else:
            found = self.by_title(tab)
            if found is None:
                raise SheetsError(f"Unable to parse range: {text}")
            sheet = found
            if not ref:
                return Box(sheet, 0, 0, None, None)
        m = _REF.match(ref)
        if not m or not (m.group(1) or m.group(2)):
            raise SheetsError(f"Unable to parse range: {text}")
        c1 = col_number(m.group(1)) if m.group(1) else 0
        r1 = int(m.group(2)) - 1 if m.group(2) else 0
        if m.group(3) is None and m.group(4) is None:
            if not m.group(1) or not m.group(2):
                raise SheetsError(f"Unable to parse range: {text}")
            return Box(sheet, r1, c1, r1 + 1, c1 + 1)
        c2 = col_number(m.group(3)) + 1 if m.group(3) else None
        r2 = int(m.group(4)) if m.group(4) else None
        return Box(sheet, r1, c1, r2, c2)

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
        return Box(
            sheet,
            int(grid.get("startRowIndex", 0)),
            int(grid.get("startColumnIndex", 0)),
            None if r2 is None else int(r2),
            None if c2 is None else int(c2),
        )

    # -- values -----------------------------------------------------------------------------------
    def read(self, box: Box, render: str) -> list[list[Any]]:
        sheet = box.sheet
        r2, c2 = min(box.end_row(), sheet.rows), min(box.end_col(), sheet.cols)
        rows: list[list[Any]] = []
        for r in range(box.r1, r2):
            row = [render_value(sheet.cells.get((r, c)), render, self.locale) for c in range(box.c1, c2)]
            while row and row[-1] == "":
                row.pop()
            rows.append(row)
        while rows and not rows[-1]:
            rows.pop()
        return rows

    def write(self, box: Box, values: list[list[Any]], user_entered: bool) -> tuple[int, int, int]:
        """Store ``values`` at the box's top-left (grid grows as Sheets does); returns rows, cols, cells."""
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
        sheet.rows = max(sheet.rows, box.r1 + height)
        sheet.cols = max(sheet.cols, box.c1 + width)
        cells = 0
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                if v is None:
                    continue
                key = (box.r1 + i, box.c1 + j)
                v = parse_user_entered(v, self.locale) if user_entered else v
                if v == "":
                    sheet.cells.pop(key, None)
                else:
                    sheet.cells[key] = v
                cells += 1
        return height, width, cells

    def clear(self, box: Box) -> None:
        r2, c2 = box.end_row(), box.end_col()
        for key in [k for k in box.sheet.cells if box.r1 <= k[0] < r2 and box.c1 <= k[1] < c2]:
            del box.sheet.cells[key]


def parse_user_entered(v: Any, locale: str) -> Any:
    """What Sheets does with typed text (only the cases the tests need: numbers, booleans)."""
    if not isinstance(v, str):
        return v
    text = v.strip()
    if text.upper() in ("TRUE", "FALSE"):
        return text.upper() == "TRUE"
    candidate = text.replace(".", "").replace(",", ".") if locale == "id_ID" else text.replace(",", "")
    try:
        number = float(candidate)
    except ValueError:
        return v
    return int(number) if number.is_integer() and "." not in candidate else number


def render_value(v: Any, render: str, locale: str) -> Any:
    if v is None:
        return ""
    if render == "UNFORMATTED_VALUE" or render == "FORMULA":
        if isinstance(v, float) and v.is_integer():
            return int(v)
        return v
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int | float):
        text = f"{v:g}" if isinstance(v, float) else str(v)
        return text.replace(".", ",") if locale == "id_ID" else text
    return v


def output_grid(grid: Json) -> Json:
    """GridRange as Sheets prints it: ``sheetId`` 0 omitted (proto3 default), the optional row/column
    indexes kept when set, even to 0."""
    return {k: v for k, v in grid.items() if v is not None and not (k == "sheetId" and v == 0)}
