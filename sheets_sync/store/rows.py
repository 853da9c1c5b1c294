"""Row types of the state store and their mapping from SQLite rows.  No queries here.

Part of :mod:`sheets_sync.store` (import from there).  Timestamps are stored as ISO 8601 text and must be
timezone-aware (:func:`iso_text` refuses naive datetimes with a :class:`StoreError`); JSON columns
(``payload``, address lists) are decoded into Python values when a row is read.  :func:`content_hash`
is the SHA-256 that deduplicates snapshots: the payload as canonical JSON (sorted keys, no whitespace).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sheets_sync.errors import StoreError
from sheets_sync.model import UnitState
from sheets_sync.texts import Text


def content_hash(payload: Mapping[str, Any]) -> str:
    """SHA-256 of a JSON payload in canonical form (sorted keys, no whitespace)."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def iso_text(dt: datetime | None) -> str | None:
    """A timezone-aware datetime as stored (ISO 8601 text); a naive one is a program defect (StoreError)."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        raise StoreError(Text("waktu tanpa zona waktu diberikan ke basis data"),
                         fix=Text("ini cacat program: laporkan, sertakan log-nya"))
    return dt.isoformat()


def parse_iso(text: str | None) -> datetime | None:
    """Inverse of :func:`iso_text` (empty or NULL → None)."""
    return datetime.fromisoformat(text) if text else None


@dataclass(frozen=True)
class FormRecord:
    """Where one bidang's form of one year is: its backend id, the link people open, its title."""

    form_id: str
    link: str
    title: str


@dataclass(frozen=True)
class PollState:
    """The last status computed for one bidang and period (what ``status`` shows without a read):
    ``findings`` as :meth:`~sheets_sync.model.Finding.as_dict` dicts, ``done`` the "Selesai" signal,
    ``stale`` when the last read failed and the status is from an earlier one."""

    state: UnitState
    filled: int
    required: int
    completed_at: datetime | None
    last_change: datetime | None
    stale: bool
    findings: list[dict[str, str]]
    updated_at: datetime | None
    done: bool


class LatestIds(NamedTuple):
    """The ids of a bidang's latest snapshot and latest approval in a period (None: none yet)."""

    snapshot: int | None = None
    approval: int | None = None


class StoreReading(NamedTuple):
    """What :meth:`~sheets_sync.store.Store.changes_seen` reads: SQLite's ``data_version`` (moves on
    another connection's commit) and this connection's own watched row changes."""

    data_version: int
    own_changes: int


@dataclass(frozen=True)
class SnapshotRow:
    id: int
    unit: str
    period: str
    form_id: str
    sha256: str
    payload: dict[str, Any]
    first_read_at: datetime
    last_read_at: datetime


class Saved(NamedTuple):
    """What :meth:`~sheets_sync.store.Store.save_snapshot` kept: the row, and whether it is a new one
    (False: an identical re-read that only moved ``last_read_at``)."""

    row: SnapshotRow
    new: bool


@dataclass(frozen=True)
class ApprovalRow:
    id: int
    unit: str
    period: str
    version: int
    status: str
    catatan: str
    decided_on: str | None
    snapshot_id: int | None
    sha256: str | None
    recorded_at: datetime


@dataclass(frozen=True)
class MessageRow:
    id: int
    dedupe_key: str
    kind: str
    unit: str | None
    period: str | None
    to_addrs: list[str]
    cc_addrs: list[str]
    subject: str
    body_text: str
    body_html: str
    status: str
    attempts: int
    last_error: str
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None
    claimed_by: str = ""
    lease_until: datetime | None = None


@dataclass(frozen=True)
class DocumentRow:
    id: int
    period: str
    kind: str
    version: int
    draft: bool
    letter_number: str
    path: str
    link: str
    sha256: str
    snapshot_ref: str
    created_at: datetime


def snapshot_row(r: sqlite3.Row) -> SnapshotRow:
    return SnapshotRow(
        r["id"], r["unit"], r["period"], r["form_id"], r["sha256"], json.loads(r["payload"]),
        datetime.fromisoformat(r["first_read_at"]), datetime.fromisoformat(r["last_read_at"]),
    )


def approval_row(r: sqlite3.Row) -> ApprovalRow:
    return ApprovalRow(
        r["id"], r["unit"], r["period"], r["version"], r["status"], r["catatan"], r["decided_on"],
        r["snapshot_id"], r["sha256"], datetime.fromisoformat(r["recorded_at"]),
    )


def message_row(r: sqlite3.Row) -> MessageRow:
    return MessageRow(
        r["id"], r["dedupe_key"], r["kind"], r["unit"], r["period"], json.loads(r["to_addrs"]),
        json.loads(r["cc_addrs"]), r["subject"], r["body_text"], r["body_html"], r["status"], r["attempts"],
        r["last_error"], datetime.fromisoformat(r["created_at"]),
        datetime.fromisoformat(r["next_attempt_at"]), parse_iso(r["sent_at"]),
        r["claimed_by"] if "claimed_by" in r.keys() else "",  # noqa: SIM118 - sqlite3.Row has no __contains__
        parse_iso(r["lease_until"]) if "lease_until" in r.keys() else None,  # noqa: SIM118
    )


def document_row(r: sqlite3.Row) -> DocumentRow:
    return DocumentRow(
        r["id"], r["period"], r["kind"], r["version"], bool(r["draft"]), r["letter_number"], r["path"],
        r["link"], r["sha256"], r["snapshot_ref"], datetime.fromisoformat(r["created_at"]),
    )


def select_where(table: str, **equal: str | None) -> tuple[str, list[str]]:
    """``SELECT * FROM table WHERE col=? … ORDER BY id`` for the filters that are set (column names come
    from code, never from users)."""
    used = {k: v for k, v in equal.items() if v}
    where = " AND ".join(f"{k}=?" for k in used) or "1=1"
    return f"SELECT * FROM {table} WHERE {where} ORDER BY id", list(used.values())
