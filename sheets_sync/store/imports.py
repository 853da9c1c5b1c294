"""Where an earlier period's data came from when it was not the forms (a part of
:class:`sheets_sync.store.Store`): ``sheets-sync import`` of a filled file, or a declaration that the
period's data is *tidak tersedia*.

One row per period and bidang of the current record: the file's name and SHA-256, when it was imported
and the ``mode`` (``impor`` or ``tidak_tersedia``; a declaration has one row with bidang ``""`` and its
reason).  Replacing an import (``--replace``) replaces the period's rows in the caller's transaction;
what was replaced stays in the ``events`` table.  Until schema migration ``imports_table`` these records
were JSON in ``meta`` (``import:<period>``); that migration moved them here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sheets_sync.store.database import Database
from sheets_sync.store.rows import iso_text, parse_iso


@dataclass(frozen=True)
class ImportRow:
    """One bidang's part of a period's import record (bidang ``""`` for a *tidak tersedia* declaration)."""

    period: str
    bidang: str
    file: str
    sha256: str
    imported_at: datetime
    mode: str
    reason: str = ""


class ImportRegister:
    """The ``imports`` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def imports(self, period: str) -> list[ImportRow]:
        """The period's import record, by bidang ([] when its data comes from the forms)."""
        rows = self.db.execute("SELECT period, bidang, file, sha256, imported_at, mode, reason FROM imports"
                               " WHERE period=? ORDER BY bidang", (period,))
        return [ImportRow(r[0], r[1], r[2], r[3], parse_iso(r[4]) or datetime.min, r[5], r[6]) for r in rows]

    def replace_imports(self, period: str, rows: Sequence[ImportRow]) -> None:
        """Make ``rows`` the period's import record (call inside the import's transaction)."""
        with self.db.transaction():
            self.db.execute("DELETE FROM imports WHERE period=?", (period,))
            for r in rows:
                self.db.execute("INSERT INTO imports (period, bidang, file, sha256, imported_at, mode, reason)"
                                " VALUES (?,?,?,?,?,?,?)",
                                (period, r.bidang, r.file, r.sha256, iso_text(r.imported_at), r.mode, r.reason))
