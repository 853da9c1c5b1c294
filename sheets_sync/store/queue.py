"""The outgoing message queue of the state store (a part of :class:`sheets_sync.store.Store`).

A message row *is* the record that a reminder or digest was decided: ``dedupe_key`` is unique, so
:meth:`MessageQueue.enqueue_message` queues a message at most once and a crash between deciding and
sending never sends it twice.  Delivery takes :meth:`~MessageQueue.due_messages` (status ``queued`` and
``next_attempt_at`` reached, oldest first) and records each attempt: :meth:`~MessageQueue.mark_sent`, or
:meth:`~MessageQueue.mark_failed` with a retry time (still ``queued``) or without one (``failed``, given
up).  The last error is kept, cut to 500 characters.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sheets_sync.store.database import Database
from sheets_sync.store.rows import MessageRow, _iso, message_row, select_where


class MessageQueue:
    """The ``messages`` table: queue once, take what is due, record each attempt."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def enqueue_message(
        self, key: str, kind: str, to: Sequence[str], subject: str, text: str, at: datetime, *,
        html: str = "", cc: Sequence[str] = (), unit: str | None = None, period: str | None = None,
    ) -> bool:
        """Queue a message once: returns False (and changes nothing) when ``key`` was queued before."""
        cur = self.db.execute(
            "INSERT INTO messages (dedupe_key, kind, unit, period, to_addrs, cc_addrs, subject, body_text,"
            " body_html, created_at, next_attempt_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT (dedupe_key) DO NOTHING",
            (key, kind, unit, period, json.dumps(list(to)), json.dumps(list(cc)), subject, text, html,
             _iso(at), _iso(at)),
        )
        return cur.rowcount == 1

    def due_messages(self, now: datetime, limit: int = 100) -> list[MessageRow]:
        """Queued messages whose next attempt is due, oldest first."""
        rows = self.db.execute(
            "SELECT * FROM messages WHERE status='queued' AND next_attempt_at<=? ORDER BY id LIMIT ?",
            (_iso(now), limit),
        )
        return [message_row(r) for r in rows]

    def messages(self, *, kind: str | None = None, period: str | None = None) -> list[MessageRow]:
        return [message_row(r) for r in self.db.execute(*select_where("messages", kind=kind, period=period))]

    def mark_sent(self, message_id: int, at: datetime) -> None:
        self.db.execute(
            "UPDATE messages SET status='sent', sent_at=?, attempts=attempts+1, last_error='' WHERE id=?",
            (_iso(at), message_id),
        )

    def mark_failed(self, message_id: int, error: str, retry_at: datetime | None) -> None:
        """Record a failed attempt; ``retry_at`` None gives up (status ``failed``)."""
        self.db.execute(
            "UPDATE messages SET attempts=attempts+1, last_error=?, status=?, next_attempt_at=COALESCE(?,"
            " next_attempt_at) WHERE id=?",
            (error[:500], "queued" if retry_at else "failed", _iso(retry_at), message_id),
        )
