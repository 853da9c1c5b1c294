"""A sparse cell grid shared by the in-memory and local backends' bookkeeping: write a block at a
top-left cell, read a rectangle back padded with ``None`` and with trailing empty rows dropped (the
Sheets API's shape)."""

from __future__ import annotations

from sheets_sync.core.a1 import A1Range
from sheets_sync.core.values import Values
from sheets_sync.model import Raw


def block_read(cells: dict[tuple[int, int], Raw], rng: A1Range) -> Values:
    """Read ``rng`` from ``cells`` (row, col) → value; open bounds extend to the data's edge."""
    max_r = max((r for r, _ in cells), default=0)
    max_c = max((c for _, c in cells), default=0)
    r2 = rng.row2 if rng.row2 is not None else max_r
    c2 = rng.col2 if rng.col2 is not None else max_c
    out: Values = []
    for r in range(rng.row1, r2 + 1):
        out.append([cells.get((r, c)) for c in range(rng.col1, c2 + 1)])
    while out and all(v is None or v == "" for v in out[-1]):
        out.pop()
    return out


def block_write(
    cells: dict[tuple[int, int], Raw], rng: A1Range, values: Values, *, skip_none: bool = False
) -> bool:
    """Write ``values`` with its top-left at ``rng``; returns True when anything changed.
    With ``skip_none`` a ``None`` leaves the cell untouched (setup semantics)."""
    changed = False
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            key = (rng.row1 + i, rng.col1 + j)
            if v is None and skip_none:
                continue
            if v is None or v == "":
                if key in cells:
                    del cells[key]
                    changed = True
            elif cells.get(key) != v or type(cells.get(key)) is not type(v):
                cells[key] = v
                changed = True
    return changed


def block_clear(cells: dict[tuple[int, int], Raw], rng: A1Range) -> bool:
    """Delete every value inside ``rng``; returns True when anything changed."""
    doomed = [
        k
        for k in cells
        if k[0] >= rng.row1
        and k[1] >= rng.col1
        and (rng.row2 is None or k[0] <= rng.row2)
        and (rng.col2 is None or k[1] <= rng.col2)
    ]
    for k in doomed:
        del cells[k]
    return bool(doomed)
