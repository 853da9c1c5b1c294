"""State store: forms registry, append-only snapshots, approvals, the message queue, documents,
letter numbers, job runs and small key/value state.

SQLite by default (one file next to the config; ``:memory:`` in tests).  The schema is versioned
(:mod:`sheets_sync.store.migrations`): an old database upgrades itself and a newer one is refused
with a clear error.
Callers only use :class:`Store` methods — the URL (``sqlite:///path`` or a plain path) is the only
place a future PostgreSQL store would differ.

"Nothing lost": every read of a form is kept (deduplicated by SHA-256 of its content: an identical
re-read only moves ``last_read_at``), so a cleared or overwritten cell can always be recovered with
:func:`sheets_sync.service.poll.history`.  Decisions and their effects share a transaction: a message
row *is* the record that a reminder was decided (its ``dedupe_key`` is unique), so a crash never
sends one twice.

The parts, composed by :class:`Store` over one :class:`~sheets_sync.store.database.Database`::

    store/
      __init__    Store: forms, snapshots, poll state, approvals, jobs, events, meta; composes the parts
      database    the connection: execute, nestable transactions, batches (one transaction between flushes)
      migrations  the versioned schema
      queue       MessageQueue: outgoing messages, each decided once
      imports     ImportRegister: where an earlier period's data came from (import, tidak tersedia)
      documents   DocumentRegister: rendered documents, letter numbers
      rows        row types and their mapping from SQLite rows
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from sheets_sync.errors import StoreError
from sheets_sync.store.attachments import AttachmentRegister, AttachmentRow
from sheets_sync.store.database import Database
from sheets_sync.store.documents import DocumentRegister
from sheets_sync.store.imports import ImportRegister, ImportRow
from sheets_sync.store.migrations import MIGRATIONS, migrate, schema_version
from sheets_sync.store.queue import MessageQueue
from sheets_sync.store.rows import (
    ApprovalRow,
    DocumentRow,
    FormRecord,
    LatestIds,
    MessageRow,
    PollState,
    Saved,
    SnapshotRow,
    StoreReading,
    approval_row,
    content_hash,
    iso_text,
    parse_iso,
    select_where,
    snapshot_row,
)
from sheets_sync.texts import Text

P = ParamSpec("P")
R = TypeVar("R")


def part_method(part: str, method: Callable[Concatenate[Any, P], R]) -> Callable[Concatenate[Any, P], R]:
    """``method`` of the store's attribute ``part``, as a method of the store (same signature and doc)."""

    def call(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return method(getattr(self, part), *args, **kwargs)

    call.__name__, call.__qualname__, call.__doc__ = method.__name__, f"Store.{method.__name__}", method.__doc__
    return call


__all__ = [
    "MIGRATIONS",
    "ApprovalRow",
    "AttachmentRow",
    "DocumentRow",
    "FormRecord",
    "ImportRow",
    "LatestIds",
    "MessageRow",
    "PollState",
    "Saved",
    "SnapshotRow",
    "Store",
    "StoreReading",
    "content_hash",
]

class Store:
    """Repository over one database connection.  Use :meth:`open`; close with :meth:`close`.

    Composed of parts sharing one :class:`~sheets_sync.store.database.Database`: the forms, snapshots,
    poll state, approvals, jobs, events and meta here; :attr:`queue` (the message queue,
    :class:`~sheets_sync.store.queue.MessageQueue`) and :attr:`register` (documents and letter numbers,
    :class:`~sheets_sync.store.documents.DocumentRegister`), :attr:`files` (files attached to queued
    messages, :class:`~sheets_sync.store.attachments.AttachmentRegister`) and :attr:`import_records` (the
    ``imports`` table, :class:`~sheets_sync.store.imports.ImportRegister`).  The parts' methods are also methods of the
    store (``store.enqueue_message`` is ``store.queue.enqueue_message``), so callers hold one object."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.db = Database(conn)
        self.conn = conn
        self.queue = MessageQueue(self.db)
        self.register = DocumentRegister(self.db)
        self.files = AttachmentRegister(self.db)
        self.import_records = ImportRegister(self.db)

    enqueue_message = part_method("queue", MessageQueue.enqueue_message)
    due_messages = part_method("queue", MessageQueue.due_messages)
    messages = part_method("queue", MessageQueue.messages)
    mark_sent = part_method("queue", MessageQueue.mark_sent)
    mark_failed = part_method("queue", MessageQueue.mark_failed)
    claim_message = part_method("queue", MessageQueue.claim_message)
    release_message = part_method("queue", MessageQueue.release_message)
    requeue_messages = part_method("queue", MessageQueue.requeue_messages)
    drop_messages = part_method("queue", MessageQueue.drop_messages)
    find_document = part_method("register", DocumentRegister.find_document)
    record_document = part_method("register", DocumentRegister.record_document)
    update_document_link = part_method("register", DocumentRegister.update_document_link)
    next_document_version = part_method("register", DocumentRegister.next_document_version)
    keep_document_file = part_method("register", DocumentRegister.keep_document_file)
    document_file = part_method("register", DocumentRegister.document_file)
    update_document_ref = part_method("register", DocumentRegister.update_document_ref)
    documents = part_method("register", DocumentRegister.documents)
    letter_number = part_method("register", DocumentRegister.letter_number)
    attach = part_method("files", AttachmentRegister.attach)
    attachments = part_method("files", AttachmentRegister.attachments)
    imports = part_method("import_records", ImportRegister.imports)
    replace_imports = part_method("import_records", ImportRegister.replace_imports)

    @classmethod
    def open(cls, url: str | Path) -> Store:
        """Open (creating and migrating) the store at ``url``: ``sqlite:///path``, a path or ``:memory:``."""
        text = str(url)
        if text.startswith(("postgres://", "postgresql://")):
            raise StoreError(
                Text("basis data PostgreSQL belum tersedia pada versi ini"),
                fix=Text("pakai {example}", example='store.url = "sqlite:///data/sheets-sync.sqlite3"'),
            )
        path = text.removeprefix("sqlite:///").removeprefix("sqlite://")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL" if path != ":memory:" else "PRAGMA journal_mode=MEMORY")
            conn.execute("PRAGMA foreign_keys=ON")
            if path != ":memory:":  # everything read, every address: readable by the service account only
                for part in (path, f"{path}-wal", f"{path}-shm"):
                    if os.path.exists(part):
                        os.chmod(part, 0o600)
        except sqlite3.Error as exc:
            raise StoreError(Text("basis data {path} tidak dapat dibuka: {error}", path=path, error=str(exc)),
                             fix=Text("periksa store.url dan izin folder")) from exc
        store = cls(conn)
        store.migrate()
        return store

    def close(self) -> None:
        self.conn.close()

    # -- migrations and transactions -------------------------------------------------------------------
    def migrate(self) -> list[str]:
        """Apply pending migrations; returns the names applied (see :mod:`sheets_sync.store.migrations`)."""
        return migrate(self.db)

    def schema_version(self) -> int:
        return schema_version(self.db)

    def transaction(self) -> AbstractContextManager[None]:
        """Group writes atomically; nests (inner blocks join the outer transaction)."""
        return self.db.transaction()

    def batch(self) -> AbstractContextManager[Callable[[], None]]:
        """Share one transaction among the writes of a block, committed by the ``flush`` it gives and at
        its end (see :meth:`Database.batch <sheets_sync.store.database.Database.batch>`)."""
        return self.db.batch()

    def _exec(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.db.execute(sql, params)

    # -- forms ---------------------------------------------------------------------------------------
    def record_form(self, unit: str, year: int, form_id: str, link: str, title: str, at: datetime) -> None:
        self._exec(
            "INSERT INTO forms (unit, year, form_id, link, title, created_at) VALUES (?,?,?,?,?,?)"
            " ON CONFLICT (unit, year) DO UPDATE SET form_id=excluded.form_id, link=excluded.link,"
            " title=excluded.title",
            (unit, year, form_id, link, title, iso_text(at)),
        )

    def forms(self, year: int) -> dict[str, FormRecord]:
        """unit → where its form of ``year`` is."""
        rows = self._exec("SELECT unit, form_id, link, title FROM forms WHERE year=?", (year,))
        return {r[0]: FormRecord(r[1], r[2], r[3]) for r in rows}  # by position: a poll asks for every form

    # -- snapshots -----------------------------------------------------------------------------------
    def save_snapshot(
        self, unit: str, period: str, form_id: str, payload: Mapping[str, Any], read_at: datetime
    ) -> Saved:
        """Keep one read.  Returns the row and whether it is new; an identical re-read only moves ``last_read_at``."""
        digest = content_hash(payload)
        with self.transaction():
            last = self._exec("SELECT id, sha256 FROM snapshots WHERE unit=? AND period=? ORDER BY id DESC LIMIT 1",
                              (unit, period)).fetchone()  # its hash only: no payload decoded to compare
            if last is not None and last["sha256"] == digest:
                self._exec("UPDATE snapshots SET last_read_at=? WHERE id=?", (iso_text(read_at), last["id"]))
                return Saved(self.snapshot(int(last["id"])), new=False)
            cur = self._exec(
                "INSERT INTO snapshots (unit, period, form_id, sha256, payload, first_read_at, last_read_at)"
                " VALUES (?,?,?,?,?,?,?)",
                (unit, period, form_id, digest, json.dumps(payload, sort_keys=True), iso_text(read_at),
                 iso_text(read_at)),
            )
            return Saved(self.snapshot(int(cur.lastrowid or 0)), new=True)

    def snapshot(self, snapshot_id: int) -> SnapshotRow:
        r = self._exec("SELECT * FROM snapshots WHERE id=?", (snapshot_id,)).fetchone()
        if r is None:
            raise StoreError(Text("rekaman baca {id} tidak ditemukan", id=snapshot_id))
        return snapshot_row(r)

    def latest_snapshot(self, unit: str, period: str) -> SnapshotRow | None:
        r = self._exec(
            "SELECT * FROM snapshots WHERE unit=? AND period=? ORDER BY id DESC LIMIT 1", (unit, period)
        ).fetchone()
        return snapshot_row(r) if r else None

    def snapshot_count(self, unit: str, period: str) -> int:
        """How many distinct reads of the bidang's ``period`` are kept (no payload decoded)."""
        return int(self._exec("SELECT COUNT(*) FROM snapshots WHERE unit=? AND period=?", (unit, period)).fetchone()[0])

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
                iso_text(values.get("completed_at")), iso_text(values.get("last_change")),
                int(bool(values.get("stale"))),
                json.dumps(values.get("findings", []), sort_keys=True), iso_text(at), int(bool(values.get("done"))),
            ),
        )

    def poll_state(self, unit: str, period: str) -> PollState | None:
        r = self._exec("SELECT * FROM poll_state WHERE unit=? AND period=?", (unit, period)).fetchone()
        if r is None:
            return None
        return PollState(r["state"], r["filled"], r["required"], parse_iso(r["completed_at"]),
                         parse_iso(r["last_change"]), bool(r["stale"]), json.loads(r["findings"]),
                         parse_iso(r["updated_at"]), bool(r["done"]))

    def poll_states(self, period: str) -> dict[str, PollState]:
        """Every bidang's last computed status for ``period`` in one query (unit → state)."""
        rows = self._exec("SELECT * FROM poll_state WHERE period=?", (period,))
        return {r["unit"]: PollState(r["state"], r["filled"], r["required"], parse_iso(r["completed_at"]),
                                     parse_iso(r["last_change"]), bool(r["stale"]), json.loads(r["findings"]),
                                     parse_iso(r["updated_at"]), bool(r["done"])) for r in rows}

    def latest_ids(self, period: str) -> dict[str, LatestIds]:
        """unit → the ids of its latest snapshot and latest approval for ``period``, two queries in
        all and no payload decoded: what a poll compares to know that nothing a status depends on moved."""
        out: dict[str, LatestIds] = {}
        for r in self._exec("SELECT unit, MAX(id) AS id FROM snapshots WHERE period=? GROUP BY unit", (period,)):
            out[r["unit"]] = LatestIds(snapshot=int(r["id"]))
        for r in self._exec("SELECT unit, MAX(id) AS id FROM approvals WHERE period=? GROUP BY unit", (period,)):
            out[r["unit"]] = out.get(r["unit"], LatestIds())._replace(approval=int(r["id"]))
        return out

    # -- approvals -----------------------------------------------------------------------------------
    def record_approval(
        self, unit: str, period: str, status: str, catatan: str, decided_on: str | None,
        snapshot_id: int | None, sha256: str | None, at: datetime, *, action: str | None = None,
    ) -> ApprovalRow | None:
        """Append a decision; ``version`` counts the *Disetujui* decisions of this bidang and period.
        A decision is unique per (bidang, period, status, date): recording it again returns None and
        changes nothing.  ``action`` (``lock``/``unlock``) queues the tab change in the same transaction
        (see :meth:`pending_tab_actions`), replacing any action still pending for the bidang."""
        with self.transaction():
            prev = self._exec(
                "SELECT COUNT(*) FROM approvals WHERE unit=? AND period=? AND status='Disetujui'", (unit, period)
            ).fetchone()[0]
            version = int(prev) + (1 if status == "Disetujui" else 0)
            cur = self._exec(
                "INSERT INTO approvals (unit, period, version, status, catatan, decided_on, snapshot_id, sha256,"
                " recorded_at) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                (unit, period, version, status, catatan, decided_on, snapshot_id, sha256, iso_text(at)),
            )
            if cur.rowcount != 1:
                return None
            if action is not None:
                self._exec("UPDATE tab_actions SET done_at=?, outcome='superseded' WHERE unit=? AND period=?"
                           " AND done_at IS NULL", (iso_text(at), unit, period))
                self._exec("INSERT INTO tab_actions (unit, period, action, approval_id, created_at) VALUES"
                           " (?,?,?,?,?)", (unit, period, action, cur.lastrowid, iso_text(at)))
            return approval_row(self._exec("SELECT * FROM approvals WHERE id=?", (cur.lastrowid,)).fetchone())

    def update_catatan(self, approval_id: int, catatan: str) -> None:
        """The meeting corrected the note of a decision it already made (same status and date)."""
        self._exec("UPDATE approvals SET catatan=? WHERE id=?", (catatan, approval_id))

    def pending_tab_actions(self, period: str, unit: str | None = None) -> list[dict[str, Any]]:
        """Lock/unlock actions of decisions not yet confirmed by the backend, oldest first."""
        sql = "SELECT * FROM tab_actions WHERE period=? AND done_at IS NULL"
        params: list[Any] = [period]
        if unit is not None:
            sql += " AND unit=?"
            params.append(unit)
        return [dict(r) for r in self._exec(sql + " ORDER BY id", params)]

    def tab_action_done(self, action_id: int, at: datetime) -> None:
        self._exec("UPDATE tab_actions SET done_at=?, outcome='done', attempts=attempts+1 WHERE id=?",
                   (iso_text(at), action_id))

    def tab_action_failed(self, action_id: int, error: str) -> None:
        """Count a failed attempt; ``error`` as given (e.g. :func:`sheets_sync.texts.to_stored`, which must
        not be cut: a backend's message is a few hundred characters)."""
        self._exec("UPDATE tab_actions SET attempts=attempts+1, last_error=? WHERE id=?", (error[:4000], action_id))

    def date_locks(self, period: str) -> set[str]:
        """The bidang whose tab the Tanggal Kunci of ``period`` has claimed (pending or done), one query."""
        rows = self._exec("SELECT DISTINCT unit FROM tab_actions WHERE period=? AND action='lock_date'", (period,))
        return {r[0] for r in rows}

    def claim_date_lock(self, unit: str, period: str, at: datetime, *, done: bool = False) -> bool:
        """Record, once per bidang and period, that the Tanggal Kunci locks the tab: a pending
        ``lock_date`` tab action (see :meth:`pending_tab_actions`), or one recorded as done when the tab is
        already locked (``done``: approved).  The check and the insert share one write transaction, so two
        processes or a restart claim it once; False when it was claimed before."""
        with self.transaction():
            if self._exec("SELECT 1 FROM tab_actions WHERE unit=? AND period=? AND action='lock_date'",
                          (unit, period)).fetchone():
                return False
            self._exec("INSERT INTO tab_actions (unit, period, action, approval_id, created_at, done_at, outcome)"
                       " VALUES (?,?,'lock_date',0,?,?,?)",  # approval 0: no decision, the date itself
                       (unit, period, iso_text(at), iso_text(at) if done else None, "already_locked" if done else ""))
        return True

    def current_approval(self, unit: str, period: str) -> ApprovalRow | None:
        r = self._exec(
            "SELECT * FROM approvals WHERE unit=? AND period=? ORDER BY id DESC LIMIT 1", (unit, period)
        ).fetchone()
        return approval_row(r) if r else None

    def current_approvals(self, period: str) -> dict[str, ApprovalRow]:
        """unit → its latest decision for ``period`` (what :meth:`current_approval` gives one bidang), in
        one query: the Rekap shows every bidang's."""
        rows = self._exec("SELECT * FROM approvals WHERE id IN (SELECT MAX(id) FROM approvals WHERE period=?"
                          " GROUP BY unit)", (period,))
        return {r["unit"]: approval_row(r) for r in rows}

    def approvals(self, period: str) -> list[ApprovalRow]:
        rows = self._exec("SELECT * FROM approvals WHERE period=? ORDER BY id", (period,))
        return [approval_row(r) for r in rows]

    # -- jobs, events, meta --------------------------------------------------------------------------
    def job_started(self, job: str, at: datetime) -> int:
        """Record that ``job`` started (not seen by :meth:`changes_seen`: no status depends on it)."""
        with self.db.unwatched():
            cur = self._exec("INSERT INTO job_runs (job, started_at) VALUES (?,?)", (job, iso_text(at)))
        return int(cur.lastrowid or 0)

    def job_finished(self, run_id: int, at: datetime, ok: bool, error: str = "") -> None:
        """Record how a job run ended (not seen by :meth:`changes_seen`)."""
        with self.db.unwatched():
            self._exec("UPDATE job_runs SET finished_at=?, ok=?, error=? WHERE id=?",
                       (iso_text(at), int(ok), error, run_id))

    def last_run(self, job: str, *, ok_only: bool = True) -> datetime | None:
        sql = "SELECT MAX(started_at) FROM job_runs WHERE job=?" + (" AND ok=1" if ok_only else "")
        return parse_iso(self._exec(sql, (job,)).fetchone()[0])

    def job_runs(self, job: str | None = None) -> list[dict[str, Any]]:
        return [dict(r) for r in self._exec(*select_where("job_runs", job=job))]

    def add_event(
        self, kind: str, at: datetime, *, unit: str | None = None, period: str | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        self._exec(
            "INSERT INTO events (at, kind, unit, period, detail) VALUES (?,?,?,?,?)",
            (iso_text(at), kind, unit, period, json.dumps(dict(detail or {}), sort_keys=True, default=str)),
        )

    def events(self, kind: str | None = None, period: str | None = None) -> list[dict[str, Any]]:
        rows = self._exec(*select_where("events", kind=kind, period=period))
        return [{**dict(r), "detail": json.loads(r["detail"])} for r in rows]

    def get_meta(self, key: str) -> str | None:
        r = self._exec("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return str(r[0]) if r else None

    def metas(self, prefix: str) -> dict[str, str]:
        """Every meta value whose key starts with ``prefix`` (key → value), in one query."""
        rows = self._exec("SELECT key, value FROM meta WHERE key >= ? AND key < ?", (prefix, prefix + "\U0010ffff"))
        return {str(r[0]): str(r[1]) for r in rows}

    def changes_seen(self) -> StoreReading:
        """A reading that moves whenever anything in the store may have changed: SQLite's
        ``data_version`` (moves when another connection — another process — committed) and the rows
        this connection inserted, updated or deleted (``total_changes``), less those of the scheduler's
        ``job_runs`` bookkeeping, which no computed state depends on.  Two equal readings mean no such
        write by anyone in between, so what was computed from the store then still holds (the poll's
        in-process answer to an idle cycle rests on this)."""
        version = int(self._exec("PRAGMA data_version").fetchone()[0])
        return StoreReading(version, int(self.db.conn.total_changes) - self.db.unwatched_rows)

    def set_meta(self, key: str, value: str) -> None:
        self._exec(
            "INSERT INTO meta (key, value) VALUES (?,?) ON CONFLICT (key) DO UPDATE SET value=excluded.value",
            (key, value),
        )
