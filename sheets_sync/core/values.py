"""Cell and range value types shared by the core, the services and every backend.

These are the words of the :class:`~sheets_sync.backends.base.Backend` port — a range to write, a
protection, a validation, a tab's wanted state, a spreadsheet reference, a change seen in a listing —
kept here so the pure core (form geometry, control parsing) can build them without importing a
backend.  Frozen dataclasses, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sheets_sync.model import Raw

Values = list[list[Raw]]


@dataclass(frozen=True)
class FormRef:
    """A spreadsheet the backend knows: stable ``id``, display ``title`` and a ``link`` for people
    (a URL for Google, a file path for local)."""

    id: str
    title: str
    link: str


@dataclass(frozen=True)
class RangeWrite:
    """Values to write (RAW) starting at the top-left of ``range`` (``"TW1!A1"`` or ``"TW1!A1:C3"``)."""

    range: str
    values: Values


@dataclass(frozen=True)
class Protection:
    """Protect ``range`` (``"TW1!F2:G40"`` or a whole tab ``"TW1"``): only ``editors`` (and the
    service identity itself) may change it."""

    range: str
    description: str
    editors: tuple[str, ...] = ()


ValidationKind = Literal["number", "url", "list", "checkbox", "date"]


@dataclass(frozen=True)
class Validation:
    """Data validation on ``range``: ``number`` (>= 0 decimal, may be strict=False so "-" passes with a
    warning), ``url`` (a link), ``list`` (one of ``values``, a dropdown), ``checkbox``, ``date`` (a date or
    date and time).  ``message`` is the help
    text shown to people (Indonesian)."""

    range: str
    kind: ValidationKind
    message: str = ""
    values: tuple[str, ...] = ()
    strict: bool = False


@dataclass(frozen=True)
class TabSetup:
    """Everything needed to bring one tab to the wanted state, applied as one unit.

    ``protections`` and ``validations`` *replace* those sheets-sync made earlier on this tab.
    ``marker`` is a small string dict stored invisibly (Google: developer metadata on the sheet; local:
    a hidden cell / custom property) and returned by :meth:`Backend.read_marker`.
    ``hidden_columns`` are 1-based column indexes to hide; ``frozen_rows`` rows to freeze;
    ``column_widths`` maps 1-based column index to a width in characters.
    """

    tab: str
    writes: tuple[RangeWrite, ...] = ()
    protections: tuple[Protection, ...] = ()
    validations: tuple[Validation, ...] = ()
    marker: Mapping[str, str] = field(default_factory=dict)
    hidden_columns: tuple[int, ...] = ()
    frozen_rows: int = 0
    column_widths: Mapping[int, int] = field(default_factory=dict)
    index: int | None = None  # wanted position of the tab (0 = first); None: append


@dataclass(frozen=True)
class NumberFormat:
    """Show the numbers in ``range`` with ``pattern``, a number-format code in the file format's own
    (en-US) syntax, e.g. ``"0.00"``; the spreadsheet's locale shows it the Indonesian way (``100,00``)."""

    range: str
    pattern: str


@dataclass(frozen=True)
class TabGuide:
    """Guidance for the people typing into an existing tab, applied without touching any value:
    the tab's position ``index`` (0 = first), the ``validations`` sheets-sync made there (replacing the
    ones it made before; a person's own validations stay), ``number_formats``, and ``active``: the
    tab the workbook opens on.  A guide for a tab that does not exist is skipped (never creates it)."""

    tab: str
    index: int
    validations: tuple[Validation, ...] = ()
    number_formats: tuple[NumberFormat, ...] = ()
    active: bool = False


@dataclass(frozen=True)
class Change:
    """A spreadsheet modified at ``modified`` (as reported by the backend's file listing).
    ``fingerprint``: set by backends whose listing identifies each version of a file (local: size and
    modification time in ns); a different fingerprint means "read it again", whatever the time says."""

    form_id: str
    modified: datetime
    fingerprint: str = ""


@dataclass(frozen=True)
class CellUse:
    """How many cells a spreadsheet's grid holds against its backend's limit (Google Sheets: 10 million
    cells per spreadsheet, counted over every tab's rows × columns, empty cells included), and its
    largest tab — the one to trim first."""

    cells: int
    limit: int
    largest: str
    largest_cells: int

    @property
    def share(self) -> float:
        """``cells / limit`` (0.0 for a backend without a limit)."""
        return self.cells / self.limit if self.limit else 0.0
