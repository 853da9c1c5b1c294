"""The ``Backend`` protocol: what sheets-sync needs from a spreadsheet system, in spreadsheet terms.

Like httpx's transports, a backend is small and dumb: it creates, shares, sets up, lists, reads and
writes spreadsheets.  All decisions (which rows to write, what a header means, whether a value is
valid) live above it, in :mod:`sheets_sync.core.form`, :mod:`sheets_sync.core.checks` and
:mod:`sheets_sync.service.poll`.  Three implementations exist:

* :mod:`~sheets_sync.backends.memory` — dictionaries, with failure injection, for tests and demos;
* :mod:`~sheets_sync.backends.local` — one ``.xlsx`` per spreadsheet in a folder (the embedded default);
* :mod:`~sheets_sync.backends.google.backend` — Google Sheets v4 + Drive v3 through gspread.

Conventions every backend honours (the contract suite in ``tests/contract`` checks them):

* Ranges are A1 strings that include the tab: ``"TW1!A1:M40"``.  Tab names are plain (no quotes
  needed for the names sheets-sync creates).
* Reads return *unformatted* values: numbers as ``int``/``float``, text as ``str``, booleans as
  ``bool``, empty cells as ``None`` (rows are padded to the requested width, trailing empty rows are
  dropped).  Text that looks like a formula is returned as the text that was written.
* Writes are RAW: a string starting with ``=`` is stored as text, never evaluated.
* ``setup`` is idempotent and applied as one unit (one ``batchUpdate`` on Google): it creates the tab
  if missing, writes the given ranges, replaces the tab's protections and validations, and sets the
  marker.  It never writes cells it was not given, and in ``TabSetup.writes`` a ``None`` means "leave
  this cell as it is" (so prefilled rows can skip the input columns people type into).
* Errors are raised as :mod:`sheets_sync.errors` types; foreign exceptions never escape.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from sheets_sync.core.values import CellUse, Change, FormRef, NumberFormat, RangeWrite, TabGuide, TabSetup, Values
from sheets_sync.errors import BackendError


@runtime_checkable
class Backend(Protocol):
    """The port.  Implementations must be safe to construct without I/O (connect lazily)."""

    name: str

    def find_form(self, title: str) -> FormRef | None:
        """The spreadsheet with exactly this title in the backend's folder, if any (not trashed)."""
        ...

    def create_form(self, title: str) -> FormRef:
        """Create an empty spreadsheet (one default tab may exist) in the backend's folder."""
        ...

    def open_form(self, ref: str) -> FormRef:
        """Resolve an id, URL or path of an existing spreadsheet (adoption).  FormNotFound if absent."""
        ...

    def share(self, form_id: str, emails: Sequence[str], role: Literal["writer", "reader"] = "writer") -> None:
        """Give exactly these addresses access; never notify by the backend's own mail."""
        ...

    def list_tabs(self, form_id: str) -> list[str]:
        """Tab titles in order."""
        ...

    def setup(self, form_id: str, tab: TabSetup) -> None:
        """Apply a :class:`TabSetup` as one unit (see module docstring)."""
        ...

    def guide(self, form_id: str, guides: Sequence[TabGuide]) -> None:
        """Apply every :class:`TabGuide` as one unit (one ``batchUpdate`` on Google): move the tabs,
        replace the validations sheets-sync made on them, set number formats and the tab the workbook
        opens on.  Never writes, clears or creates a cell value or a tab."""
        ...

    def read_marker(self, form_id: str, tab: str) -> dict[str, str]:
        """The marker set by :meth:`setup` on ``tab`` ({} when none).  FormNotFound if no such tab."""
        ...

    def changed_since(self, since: datetime | None) -> list[Change]:
        """Spreadsheets in the folder modified at or after ``since`` (all of them when None)."""
        ...

    def fingerprint(self, form_id: str) -> str | None:
        """A short string that changes whenever the spreadsheet's content may have changed (local: the
        file's size, modification time and content hash; Google: Drive's ``modifiedTime``), or None when
        the backend cannot tell cheaply — the caller then reads.  Equal fingerprints mean the content
        is unchanged, so a parsed read of it may be reused.  FormNotFound if the spreadsheet is gone."""
        ...

    def report_sheet(self, control_id: str) -> str:
        """The spreadsheet that holds the service-written tabs (``Rekap``, ``Dokumen``) for the
        control spreadsheet ``control_id``: the control spreadsheet itself where a write touches only
        the cells written (memory, Google), a small companion workbook beside it where every write
        rewrites the whole file (local .xlsx), so the PPKP's large tabs are never rewritten by a poll."""

    def cell_use(self, form_id: str) -> CellUse | None:
        """How full ``form_id``'s grid is against a limit the spreadsheet system enforces per
        spreadsheet (Google Sheets: 10 million cells), from what the backend already knows (no call);
        None when the system has no such limit (local .xlsx, memory) or nothing is known yet."""
        ...

    def missing(self, form_ids: Collection[str]) -> dict[str, BackendError]:
        """Of ``form_ids``, the forms the backend knows are gone (deleted, trashed, no longer
        accessible), each with an error saying why and how to fix it; {} when it cannot tell."""
        ...

    def read(self, form_id: str, ranges: Sequence[str]) -> dict[str, Values]:
        """Read several ranges of one spreadsheet in one call; keys are the requested ranges.
        A range naming a missing tab raises FormNotFound."""
        ...

    def write(self, form_id: str, writes: Sequence[RangeWrite], formats: Sequence[NumberFormat] = ()) -> None:
        """Write RAW values; creates missing tabs.  Idempotent for identical input.  ``formats``: number
        formats the written tabs must show (a tab the write creates has none), set by the same write:
        locally in the same save, on Google in the ``batchUpdate`` that adds or grows the tab (see
        :meth:`GoogleBackend.write <sheets_sync.backends.google.backend.GoogleBackend.write>`)."""
        ...

    def clear(self, form_id: str, range_: str) -> None:
        """Empty the values in ``range_`` (formatting/protection stay)."""
        ...

    def publish(self, path: Path, name: str, *, replaces: str | None = None) -> str:
        """Make a generated document available to staff; returns its link/path.  ``replaces``: the
        link returned for an earlier version that this one supersedes (e.g. the previous draft)."""
        ...
