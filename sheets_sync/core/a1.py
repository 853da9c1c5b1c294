"""A1 notation helpers shared by the backends: ``"TW1!B3:D9"`` ⇄ (tab, rows, columns).

Rows and columns are 1-based as in spreadsheets.  Open ranges (``"TW1!A:C"``, ``"TW1"``) have
``None`` bounds, meaning "to the end of the data".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CELL = re.compile(r"^([A-Za-z]*)(\d*)$")


def col_letter(index: int) -> str:
    """1 → ``A``, 27 → ``AA``."""
    if index < 1:
        raise ValueError(f"column index must be >= 1, got {index}")
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """``A`` → 1, ``AA`` → 27."""
    n = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"bad column letters {letters!r}")
        n = n * 26 + ord(ch) - 64
    return n


def cell(row: int, col: int) -> str:
    """(7, 8) → ``H7``."""
    return f"{col_letter(col)}{row}"


@dataclass(frozen=True)
class A1Range:
    """A parsed range; ``row1``/``col1`` default to 1, ``row2``/``col2`` None = open-ended."""

    tab: str
    row1: int = 1
    col1: int = 1
    row2: int | None = None
    col2: int | None = None

    def __str__(self) -> str:
        start = cell(self.row1, self.col1)
        if self.row2 is None and self.col2 is None and (self.row1, self.col1) == (1, 1):
            return self.tab
        end = f"{col_letter(self.col2) if self.col2 else ''}{self.row2 or ''}"
        return f"{self.tab}!{start}:{end}"

    @property
    def width(self) -> int | None:
        return None if self.col2 is None else self.col2 - self.col1 + 1

    @property
    def height(self) -> int | None:
        return None if self.row2 is None else self.row2 - self.row1 + 1


def parse_range(text: str) -> A1Range:
    """Parse ``"TW1!A1:M40"``, ``"TW1!A1"``, ``"TW1!A:C"``, ``"'Tab x'!B2"`` or ``"TW1"`` (whole tab)."""
    if "!" in text:
        tab, _, ref = text.rpartition("!")
    else:
        tab, ref = text, ""
    tab = tab.strip()
    if len(tab) >= 2 and tab[0] == tab[-1] == "'":
        tab = tab[1:-1].replace("''", "'")
    if not tab:
        raise ValueError(f"range {text!r} names no tab")
    if not ref:
        return A1Range(tab)
    first, _, last = ref.partition(":")
    m1 = _CELL.match(first.strip())
    m2 = _CELL.match(last.strip()) if last else m1
    if not m1 or not m2 or not (m1.group(1) or m1.group(2)):
        raise ValueError(f"bad A1 range {text!r}")
    c1 = col_index(m1.group(1)) if m1.group(1) else 1
    r1 = int(m1.group(2)) if m1.group(2) else 1
    if last:
        c2: int | None = col_index(m2.group(1)) if m2.group(1) else None
        r2: int | None = int(m2.group(2)) if m2.group(2) else None
    else:
        c2, r2 = c1, r1
    return A1Range(tab, r1, c1, r2, c2)


def quote_tab(tab: str) -> str:
    """Quote a tab name for A1 use when it needs it (spaces, punctuation)."""
    if re.fullmatch(r"[A-Za-z0-9_]+", tab):
        return tab
    return "'" + tab.replace("'", "''") + "'"
