"""Files attached to queued messages (a part of :class:`sheets_sync.store.Store`).

A final document sent to the distribution list is queued as a message like every other (its dedupe
key makes the send happen once) plus one row here per file: the path and the SHA-256 the document
register recorded.  Delivery reads the file then and refuses to send bytes whose SHA-256 differs from
the recorded one (a file edited or replaced after it was registered), so what reaches the recipients
is provably the registered document.
"""

from __future__ import annotations

from dataclasses import dataclass

from sheets_sync.store.database import Database


@dataclass(frozen=True)
class AttachmentRow:
    """One file of a queued message: shown to the recipient as ``filename``."""

    dedupe_key: str
    filename: str
    path: str
    sha256: str


class AttachmentRegister:
    """The ``message_attachments`` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def attach(self, key: str, filename: str, path: str, sha256: str) -> None:
        """Attach a file to the message queued under ``key`` (once per key and file name)."""
        self.db.execute("INSERT INTO message_attachments (dedupe_key, filename, path, sha256) VALUES (?,?,?,?)"
                   " ON CONFLICT (dedupe_key, filename) DO NOTHING", (key, filename, path, sha256))

    def attachments(self, key: str) -> list[AttachmentRow]:
        rows = self.db.execute("SELECT dedupe_key, filename, path, sha256 FROM message_attachments WHERE dedupe_key=?"
                          " ORDER BY id", (key,))
        return [AttachmentRow(r[0], r[1], r[2], r[3]) for r in rows]
