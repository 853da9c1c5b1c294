"""Rendered documents and the letter-number register of the state store (a part of
:class:`sheets_sync.store.Store`).

Documents: one row per (period, kind, snapshot_ref, draft) — rendering the same data again returns the
existing row instead of recording a new one; ``version`` counts the documents of that period, kind and
draft flag (1, 2, …).  Letter numbers: :meth:`DocumentRegister.letter_number` gives the number already
issued for a key (e.g. ``surat_pengantar:2025-TW1:v1``) or the next sequence number of the year's
register, formatted by the caller; numbers are unique and never reused.  Both run in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sheets_sync.store.database import Database
from sheets_sync.store.rows import DocumentRow, document_row, iso_text


class DocumentRegister:
    """The ``documents`` and ``letters`` tables: rendered documents recorded once, letter numbers never reused."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def find_document(self, period: str, kind: str, snapshot_ref: str, draft: bool) -> DocumentRow | None:
        r = self.db.execute(
            "SELECT * FROM documents WHERE period=? AND kind=? AND snapshot_ref=? AND draft=?",
            (period, kind, snapshot_ref, int(draft)),
        ).fetchone()
        return document_row(r) if r else None

    def record_document(
        self, period: str, kind: str, draft: bool, path: str, sha256: str, snapshot_ref: str, at: datetime,
        *, letter_number: str = "", link: str = "",
    ) -> DocumentRow:
        """Record a rendered document; the same (period, kind, snapshot, draft) is recorded once."""
        with self.db.transaction():
            existing = self.find_document(period, kind, snapshot_ref, draft)
            if existing is not None:
                return existing
            version = 1 + int(
                self.db.execute(
                    "SELECT COUNT(*) FROM documents WHERE period=? AND kind=? AND draft=?", (period, kind, int(draft))
                ).fetchone()[0]
            )
            cur = self.db.execute(
                "INSERT INTO documents (period, kind, version, draft, letter_number, path, link, sha256,"
                " snapshot_ref, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (period, kind, version, int(draft), letter_number, path, link, sha256, snapshot_ref, iso_text(at)),
            )
            return document_row(self.db.execute("SELECT * FROM documents WHERE id=?", (cur.lastrowid,)).fetchone())

    def next_document_version(self, period: str, kind: str, draft: bool) -> int:
        """The version the next document of this period, kind and draft flag will get."""
        return 1 + int(self.db.execute("SELECT COUNT(*) FROM documents WHERE period=? AND kind=? AND draft=?",
                                       (period, kind, int(draft))).fetchone()[0])

    def keep_document_file(self, document_id: int, content: bytes) -> None:
        """Keep the bytes of a final document (restored from here when its file is lost or altered)."""
        self.db.execute("INSERT INTO document_files (document_id, content) VALUES (?, ?) ON CONFLICT DO NOTHING",
                        (document_id, content))

    def document_file(self, document_id: int) -> bytes | None:
        r = self.db.execute("SELECT content FROM document_files WHERE document_id=?", (document_id,)).fetchone()
        return bytes(r[0]) if r else None

    def update_document_ref(self, document_id: int, snapshot_ref: str) -> None:
        """Re-key a document recorded by an earlier version (whose key covered the data only)."""
        self.db.execute("UPDATE documents SET snapshot_ref=? WHERE id=?", (snapshot_ref, document_id))

    def update_document_link(self, document_id: int, link: str) -> None:
        self.db.execute("UPDATE documents SET link=? WHERE id=?", (link, document_id))

    def documents(self, period: str | None = None) -> list[DocumentRow]:
        if period is None:
            rows = self.db.execute("SELECT * FROM documents ORDER BY id")
        else:
            rows = self.db.execute("SELECT * FROM documents WHERE period=? ORDER BY id", (period,))
        return [document_row(r) for r in rows]

    def letter_number(self, year: int, key: str, purpose: str, fmt: Callable[[int], str], at: datetime) -> str:
        """The letter number for ``key`` (e.g. ``surat_pengantar:2025-TW1:v1``): the one issued before,
        or the next in the year's register, formatted by ``fmt(seq)``.  Numbers are never reused."""
        with self.db.transaction():
            r = self.db.execute("SELECT number FROM letters WHERE key=?", (key,)).fetchone()
            if r:
                return str(r[0])
            last = self.db.execute("SELECT COALESCE(MAX(seq),0) FROM letters WHERE year=?", (year,)).fetchone()[0]
            seq = 1 + int(last)
            number = fmt(seq)
            self.db.execute(
                "INSERT INTO letters (year, seq, number, purpose, key, created_at) VALUES (?,?,?,?,?,?)",
                (year, seq, number, purpose, key, iso_text(at)),
            )
            return number
