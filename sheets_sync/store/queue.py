"""The outgoing message queue of the state store (a part of :class:`sheets_sync.store.Store`).

A message row *is* the record that a reminder or digest was decided: ``dedupe_key`` is unique, so
:meth:`MessageQueue.enqueue_message` queues a message at most once and a crash between deciding and
sending never sends it twice.  Delivery takes :meth:`~MessageQueue.due_messages` (status ``queued`` and
``next_attempt_at`` reached, oldest first), **claims** each one before talking to the server
(:meth:`~MessageQueue.claim_message`: status ``sending``, ``claimed_by`` = ``pid@host``, a lease) and
records the attempt: :meth:`~MessageQueue.mark_sent`, or :meth:`~MessageQueue.mark_failed` with a retry
time (back to ``queued``) or without one (``failed``, given up).  A claim is exclusive: a second
process that sees the same row loses the ``UPDATE … WHERE status='queued'`` race and skips it.  A
claim left by a crash is *stale* once its lease ran out, or at once when its process is gone from this
host; a stale claim is due again (same key, so the same Message-ID).  The last error is kept, cut to
500 characters.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sheets_sync.store.database import Database
from sheets_sync.store.rows import MessageRow, iso_text, message_row, select_where


def _stale_owner(owner: str) -> bool:
    """A claim by a process of this host that no longer exists."""
    import socket

    from sheets_sync.store.lock import pid_alive

    pid, _, host = owner.partition("@")
    return host == socket.gethostname() and pid.isdigit() and not pid_alive(int(pid))


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
             iso_text(at), iso_text(at)),
        )
        return cur.rowcount == 1

    def due_messages(self, now: datetime, limit: int = 100) -> list[MessageRow]:
        """Queued messages whose next attempt is due, and stale claims (see the module docstring),
        oldest first."""
        rows = self.db.execute(
            "SELECT * FROM messages WHERE (status='queued' AND next_attempt_at<=?) OR status='sending'"
            " ORDER BY id LIMIT ?",
            (iso_text(now), limit),
        )
        out = []
        for r in rows:
            row = message_row(r)
            if row.status == "sending" and not (
                row.lease_until is None or row.lease_until <= now or _stale_owner(row.claimed_by)
            ):
                continue  # claimed by a live process whose lease still runs
            out.append(row)
        return out

    def claim_message(self, row: MessageRow, owner: str, now: datetime, lease_until: datetime) -> bool:
        """Claim ``row`` for delivery (status ``sending``); False when another process has it."""
        if row.status == "sending":  # a stale claim (due_messages checked): take it over as it is
            cur = self.db.execute(
                "UPDATE messages SET claimed_by=?, lease_until=? WHERE id=? AND status='sending' AND claimed_by=?",
                (owner, iso_text(lease_until), row.id, row.claimed_by),
            )
        else:
            cur = self.db.execute(
                "UPDATE messages SET status='sending', claimed_by=?, lease_until=? WHERE id=? AND status='queued'",
                (owner, iso_text(lease_until), row.id),
            )
        return cur.rowcount == 1

    def release_message(self, message_id: int) -> None:
        """Give a claimed message back untouched (delivery stopped before sending it)."""
        self.db.execute("UPDATE messages SET status='queued', claimed_by='', lease_until=NULL WHERE id=? AND"
                        " status='sending'", (message_id,))

    def requeue_messages(self, now: datetime, *, failed: bool = False, ids: Sequence[int] = ()) -> int:
        """``outbox retry``: make queued messages (and with ``failed`` the given-up ones) due now,
        attempts reset.  ``ids`` limits it to those messages.  Returns how many."""
        statuses = ("queued", "failed") if failed else ("queued",)
        sql = (f"UPDATE messages SET status='queued', next_attempt_at=?, attempts=0, claimed_by='',"
               f" lease_until=NULL WHERE status IN ({','.join('?' * len(statuses))})")
        params: list[Any] = [iso_text(now), *statuses]
        if ids:
            sql += f" AND id IN ({','.join('?' * len(ids))})"
            params += list(ids)
        return int(self.db.execute(sql, params).rowcount)

    def drop_messages(self, kind: str, unit: str, period: str, reason: str) -> list[str]:
        """A later decision made these notices obsolete: every still-``queued`` message of ``kind`` for
        the bidang and period becomes ``dropped`` (never sent; ``last_error`` says why).  One being sent
        right now (``sending``) is left to finish.  Returns the dedupe keys dropped."""
        rows = self.db.execute("SELECT dedupe_key FROM messages WHERE kind=? AND unit=? AND period=? AND"
                               " status='queued'", (kind, unit, period)).fetchall()
        self.db.execute("UPDATE messages SET status='dropped', last_error=? WHERE kind=? AND unit=? AND period=?"
                        " AND status='queued'", (reason[:500], kind, unit, period))
        return [r["dedupe_key"] for r in rows]

    def messages(self, *, kind: str | None = None, period: str | None = None) -> list[MessageRow]:
        return [message_row(r) for r in self.db.execute(*select_where("messages", kind=kind, period=period))]

    def mark_sent(self, message_id: int, at: datetime) -> None:
        self.db.execute(
            "UPDATE messages SET status='sent', sent_at=?, attempts=attempts+1, last_error='', lease_until=NULL"
            " WHERE id=?",
            (iso_text(at), message_id),
        )

    def mark_failed(self, message_id: int, error: str, retry_at: datetime | None) -> None:
        """Record a failed attempt; ``retry_at`` None gives up (status ``failed``)."""
        self.db.execute(
            "UPDATE messages SET attempts=attempts+1, last_error=?, status=?, next_attempt_at=COALESCE(?,"
            " next_attempt_at), claimed_by='', lease_until=NULL WHERE id=?",
            (error[:500], "queued" if retry_at else "failed", iso_text(retry_at), message_id),
        )
