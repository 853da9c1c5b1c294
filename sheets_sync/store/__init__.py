"""State store: forms registry, append-only snapshots, approvals, the message queue, documents,
letter numbers, job runs and small key/value state.

SQLite by default (one file next to the config; ``:memory:`` in tests).  The schema is versioned:
each migration in :data:`MIGRATIONS` runs once and is recorded in ``schema_migrations`` (as
sqlite-utils does), so an old database upgrades itself and a newer one is refused with a clear error.
Callers only use :class:`Store` methods — the URL (``sqlite:///path`` or a plain path) is the only
place a future PostgreSQL store would differ.

"Nothing lost": every read of a form is kept (deduplicated by SHA-256 of its content: an identical
re-read only moves ``last_read_at``), so a cleared or overwritten cell can always be recovered with
:meth:`Store.history`.  Decisions and their effects share a transaction: a message row *is* the record
that a reminder was decided (its ``dedupe_key`` is unique), so a crash never sends one twice.

This module holds the schema (:data:`MIGRATIONS`) and :class:`Store` (connection, transactions,
forms, snapshots, poll state, approvals, jobs, events, meta).  The message queue is in
:mod:`sheets_sync.store.queue`, documents and letter numbers in :mod:`sheets_sync.store.documents`,
row types in :mod:`sheets_sync.store.rows`; all are reachable from here.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sheets_sync.errors import StoreError
from sheets_sync.store.documents import DocumentRegister
from sheets_sync.store.queue import MessageQueue
from sheets_sync.store.rows import (
    ApprovalRow,
    DocumentRow,
    MessageRow,
    SnapshotRow,
    _dt,
    _iso,
    approval_row,
    content_hash,
    select_where,
    snapshot_row,
)

__all__ = [
    "MIGRATIONS",
    "ApprovalRow",
    "DocumentRow",
    "MessageRow",
    "SnapshotRow",
    "Store",
    "content_hash",
]

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "initial",
        """
        CREATE TABLE forms (
            unit TEXT NOT NULL, year INTEGER NOT NULL, form_id TEXT NOT NULL, link TEXT NOT NULL,
            title TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (unit, year));
        CREATE TABLE snapshots (
            id INTEGER PRIMARY KEY, unit TEXT NOT NULL, period TEXT NOT NULL, form_id TEXT NOT NULL,
            sha256 TEXT NOT NULL, payload TEXT NOT NULL, first_read_at TEXT NOT NULL, last_read_at TEXT NOT NULL);
        CREATE INDEX snapshots_unit_period ON snapshots (unit, period, id);
        CREATE TABLE poll_state (
            unit TEXT NOT NULL, period TEXT NOT NULL, state TEXT NOT NULL, filled INTEGER NOT NULL,
            required INTEGER NOT NULL, completed_at TEXT, last_change TEXT, stale INTEGER NOT NULL DEFAULT 0,
            findings TEXT NOT NULL DEFAULT '[]', updated_at TEXT NOT NULL, PRIMARY KEY (unit, period));
        CREATE TABLE approvals (
            id INTEGER PRIMARY KEY, unit TEXT NOT NULL, period TEXT NOT NULL, version INTEGER NOT NULL,
            status TEXT NOT NULL, catatan TEXT NOT NULL DEFAULT '', decided_on TEXT, snapshot_id INTEGER,
            sha256 TEXT, recorded_at TEXT NOT NULL);
        CREATE INDEX approvals_unit_period ON approvals (unit, period, id);
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY, dedupe_key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, unit TEXT,
            period TEXT, to_addrs TEXT NOT NULL, cc_addrs TEXT NOT NULL DEFAULT '[]', subject TEXT NOT NULL,
            body_text TEXT NOT NULL, body_html TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'queued',
            attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL,
            next_attempt_at TEXT NOT NULL, sent_at TEXT);
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY, period TEXT NOT NULL, kind TEXT NOT NULL, version INTEGER NOT NULL,
            draft INTEGER NOT NULL, letter_number TEXT NOT NULL DEFAULT '', path TEXT NOT NULL,
            link TEXT NOT NULL DEFAULT '', sha256 TEXT NOT NULL, snapshot_ref TEXT NOT NULL,
            created_at TEXT NOT NULL, UNIQUE (period, kind, snapshot_ref, draft));
        CREATE TABLE letters (
            id INTEGER PRIMARY KEY, year INTEGER NOT NULL, seq INTEGER NOT NULL, number TEXT NOT NULL UNIQUE,
            purpose TEXT NOT NULL, key TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, UNIQUE (year, seq));
        CREATE TABLE job_runs (
            id INTEGER PRIMARY KEY, job TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
            ok INTEGER, error TEXT NOT NULL DEFAULT '');
        CREATE TABLE events (
            id INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, unit TEXT, period TEXT,
            detail TEXT NOT NULL DEFAULT '{}');
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
    ),
    (
        "poll_state_done_flag",  # the "Selesai" signal stops reminders; keep it with the status
        "ALTER TABLE poll_state ADD COLUMN done INTEGER NOT NULL DEFAULT 0;",
    ),
)


class Store(MessageQueue, DocumentRegister):
    """Repository over one database connection.  Use :meth:`open`; close with :meth:`close`.

    The message queue (:class:`~sheets_sync.store.queue.MessageQueue`) and documents / letter numbers
    (:class:`~sheets_sync.store.documents.DocumentRegister`) are mixed in; they use :meth:`_exec` and
    :meth:`transaction` from here."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.conn.row_factory = sqlite3.Row
        self._depth = 0

    @classmethod
    def open(cls, url: str | Path) -> Store:
        """Open (creating and migrating) the store at ``url``: ``sqlite:///path``, a path or ``:memory:``."""
        text = str(url)
        if text.startswith(("postgres://", "postgresql://")):
            raise StoreError(
                "PostgreSQL store is not available in this version",
                fix='use store.url = "sqlite:///data/sheets-sync.sqlite3"',
            )
        path = text.removeprefix("sqlite:///").removeprefix("sqlite://")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL" if path != ":memory:" else "PRAGMA journal_mode=MEMORY")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {path}: {exc}", fix="check store.url and folder permissions") from exc
        store = cls(conn)
        store.migrate()
        return store

    def close(self) -> None:
        self.conn.close()

    # -- migrations ----------------------------------------------------------------------------------
    def migrate(self) -> list[str]:
        """Apply pending migrations; returns the names applied."""
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"
        )
        done = {r[0] for r in self.conn.execute("SELECT version FROM schema_migrations")}
        if done and max(done) > len(MIGRATIONS):
            raise StoreError(
                f"store schema version {max(done)} is newer than this sheets-sync ({len(MIGRATIONS)})",
                fix="upgrade sheets-sync or point store.url at another file",
            )
        applied = []
        for version, (name, sql) in enumerate(MIGRATIONS, start=1):
            if version in done:
                continue
            with self.transaction():
                for stmt in (s.strip() for s in sql.split(";")):
                    if stmt:
                        self.conn.execute(stmt)
                self.conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (version, name))
            applied.append(name)
        return applied

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes atomically; nests (inner blocks join the outer transaction)."""
        if self._depth == 0:
            self.conn.execute("BEGIN IMMEDIATE")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("ROLLBACK")
            raise
        self._depth -= 1
        if self._depth == 0:
            self.conn.execute("COMMIT")

    def _exec(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise StoreError(f"store error: {exc}") from exc

    # -- forms ---------------------------------------------------------------------------------------
    def record_form(self, unit: str, year: int, form_id: str, link: str, title: str, at: datetime) -> None:
        self._exec(
            "INSERT INTO forms (unit, year, form_id, link, title, created_at) VALUES (?,?,?,?,?,?)"
            " ON CONFLICT (unit, year) DO UPDATE SET form_id=excluded.form_id, link=excluded.link,"
            " title=excluded.title",
            (unit, year, form_id, link, title, _iso(at)),
        )

    def forms(self, year: int) -> dict[str, tuple[str, str, str]]:
        """unit → (form_id, link, title) for ``year``."""
        rows = self._exec("SELECT unit, form_id, link, title FROM forms WHERE year=?", (year,))
        return {r["unit"]: (r["form_id"], r["link"], r["title"]) for r in rows}

    # -- snapshots -----------------------------------------------------------------------------------
    def save_snapshot(
        self, unit: str, period: str, form_id: str, payload: Mapping[str, Any], read_at: datetime
    ) -> tuple[SnapshotRow, bool]:
        """Keep one read.  Returns (row, is_new); an identical re-read only moves ``last_read_at``."""
        digest = content_hash(payload)
        with self.transaction():
            last = self.latest_snapshot(unit, period)
            if last is not None and last.sha256 == digest:
                self._exec("UPDATE snapshots SET last_read_at=? WHERE id=?", (_iso(read_at), last.id))
                return self.snapshot(last.id), False
            cur = self._exec(
                "INSERT INTO snapshots (unit, period, form_id, sha256, payload, first_read_at, last_read_at)"
                " VALUES (?,?,?,?,?,?,?)",
                (unit, period, form_id, digest, json.dumps(payload, sort_keys=True), _iso(read_at), _iso(read_at)),
            )
            return self.snapshot(int(cur.lastrowid or 0)), True

    def snapshot(self, snapshot_id: int) -> SnapshotRow:
        r = self._exec("SELECT * FROM snapshots WHERE id=?", (snapshot_id,)).fetchone()
        if r is None:
            raise StoreError(f"snapshot {snapshot_id} not found")
        return snapshot_row(r)

    def latest_snapshot(self, unit: str, period: str) -> SnapshotRow | None:
        r = self._exec(
            "SELECT * FROM snapshots WHERE unit=? AND period=? ORDER BY id DESC LIMIT 1", (unit, period)
        ).fetchone()
        return snapshot_row(r) if r else None

    def snapshots(self, unit: str, period: str) -> list[SnapshotRow]:
        rows = self._exec("SELECT * FROM snapshots WHERE unit=? AND period=? ORDER BY id", (unit, period))
        return [snapshot_row(r) for r in rows]

    # -- poll state ----------------------------------------------------------------------------------
    def set_poll_state(self, unit: str, period: str, values: Mapping[str, Any], at: datetime) -> None:
        """Upsert the last computed status of a bidang (``state, filled, required, completed_at,
        last_change, stale, findings``)."""
        self._exec(
            "INSERT INTO poll_state (unit, period, state, filled, required, completed_at, last_change, stale,"
            " findings, updated_at, done) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (unit, period) DO UPDATE SET"
            " state=excluded.state, filled=excluded.filled, required=excluded.required,"
            " completed_at=excluded.completed_at, last_change=excluded.last_change, stale=excluded.stale,"
            " findings=excluded.findings, updated_at=excluded.updated_at, done=excluded.done",
            (
                unit, period, values["state"], values["filled"], values["required"],
                _iso(values.get("completed_at")), _iso(values.get("last_change")), int(bool(values.get("stale"))),
                json.dumps(values.get("findings", []), sort_keys=True), _iso(at), int(bool(values.get("done"))),
            ),
        )

    def poll_state(self, unit: str, period: str) -> dict[str, Any] | None:
        r = self._exec("SELECT * FROM poll_state WHERE unit=? AND period=?", (unit, period)).fetchone()
        if r is None:
            return None
        return {
            "state": r["state"], "filled": r["filled"], "required": r["required"],
            "completed_at": _dt(r["completed_at"]), "last_change": _dt(r["last_change"]),
            "stale": bool(r["stale"]), "findings": json.loads(r["findings"]), "updated_at": _dt(r["updated_at"]),
            "done": bool(r["done"]),
        }

    # -- approvals -----------------------------------------------------------------------------------
    def record_approval(
        self, unit: str, period: str, status: str, catatan: str, decided_on: str | None,
        snapshot_id: int | None, sha256: str | None, at: datetime,
    ) -> ApprovalRow:
        """Append a decision; ``version`` counts the *Disetujui* decisions of this bidang and period."""
        with self.transaction():
            prev = self._exec(
                "SELECT COUNT(*) FROM approvals WHERE unit=? AND period=? AND status='Disetujui'", (unit, period)
            ).fetchone()[0]
            version = int(prev) + (1 if status == "Disetujui" else 0)
            cur = self._exec(
                "INSERT INTO approvals (unit, period, version, status, catatan, decided_on, snapshot_id, sha256,"
                " recorded_at) VALUES (?,?,?,?,?,?,?,?,?)",
                (unit, period, version, status, catatan, decided_on, snapshot_id, sha256, _iso(at)),
            )
            return approval_row(self._exec("SELECT * FROM approvals WHERE id=?", (cur.lastrowid,)).fetchone())

    def current_approval(self, unit: str, period: str) -> ApprovalRow | None:
        r = self._exec(
            "SELECT * FROM approvals WHERE unit=? AND period=? ORDER BY id DESC LIMIT 1", (unit, period)
        ).fetchone()
        return approval_row(r) if r else None

    def approvals(self, period: str) -> list[ApprovalRow]:
        rows = self._exec("SELECT * FROM approvals WHERE period=? ORDER BY id", (period,))
        return [approval_row(r) for r in rows]

    # -- jobs, events, meta --------------------------------------------------------------------------
    def job_started(self, job: str, at: datetime) -> int:
        return int(self._exec("INSERT INTO job_runs (job, started_at) VALUES (?,?)", (job, _iso(at))).lastrowid or 0)

    def job_finished(self, run_id: int, at: datetime, ok: bool, error: str = "") -> None:
        self._exec("UPDATE job_runs SET finished_at=?, ok=?, error=? WHERE id=?", (_iso(at), int(ok), error, run_id))

    def last_run(self, job: str, *, ok_only: bool = True) -> datetime | None:
        sql = "SELECT MAX(started_at) FROM job_runs WHERE job=?" + (" AND ok=1" if ok_only else "")
        return _dt(self._exec(sql, (job,)).fetchone()[0])

    def job_runs(self, job: str | None = None) -> list[dict[str, Any]]:
        return [dict(r) for r in self._exec(*select_where("job_runs", job=job))]

    def add_event(
        self, kind: str, at: datetime, *, unit: str | None = None, period: str | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        self._exec(
            "INSERT INTO events (at, kind, unit, period, detail) VALUES (?,?,?,?,?)",
            (_iso(at), kind, unit, period, json.dumps(dict(detail or {}), sort_keys=True, default=str)),
        )

    def events(self, kind: str | None = None, period: str | None = None) -> list[dict[str, Any]]:
        rows = self._exec(*select_where("events", kind=kind, period=period))
        return [{**dict(r), "detail": json.loads(r["detail"])} for r in rows]

    def get_meta(self, key: str) -> str | None:
        r = self._exec("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return str(r[0]) if r else None

    def set_meta(self, key: str, value: str) -> None:
        self._exec(
            "INSERT INTO meta (key, value) VALUES (?,?) ON CONFLICT (key) DO UPDATE SET value=excluded.value",
            (key, value),
        )
