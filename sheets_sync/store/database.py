"""The one SQLite connection of the state store, shared by its parts (:mod:`sheets_sync.store`).

:class:`Database` owns the connection and the things every part needs: :meth:`Database.execute`
(an SQLite error becomes a :class:`~sheets_sync.errors.StoreError`) and :meth:`Database.transaction`
(``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any exception; nested blocks join the outer one, so a
decision and its effects recorded by different parts still commit together); :meth:`Database.batch`
lets a poll's many small writes share one transaction between two form reads, and
:meth:`Database.unwatched` counts the writes no computed state depends on (``job_runs``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sheets_sync.errors import StoreError
from sheets_sync.texts import Text

_WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "REPLAC"})


class Database:
    """A connection in autocommit mode (``isolation_level=None``) with explicit, nestable transactions."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.conn.row_factory = sqlite3.Row
        self._depth = 0
        self.unwatched_rows = 0  # rows changed inside unwatched() blocks (see there)
        self._batching = False
        self._batch_open = False  # a batch() transaction is open and holds one level of _depth

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        if self._batching and self._depth == 0 and sql.lstrip()[:6].upper() in _WRITES:
            self._open_batch()
        try:
            return self.conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise StoreError(Text("galat basis data: {error}", error=str(exc))) from exc

    def _open_batch(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        self._batch_open = True

    def _flush(self) -> None:
        if self._batch_open and self._depth == 1:
            self._batch_open = False
            self._depth = 0
            self.conn.execute("COMMIT")

    @contextmanager
    def batch(self) -> Iterator[Callable[[], None]]:
        """Writes inside the block share one transaction: the first write opens it (``BEGIN
        IMMEDIATE``), later writes and :meth:`transaction` blocks join it, and it is committed by the
        ``flush`` function the block is given or when the block ends (rolled back when an exception
        leaves it).  A poll flushes before each form it reads, so the write lock is never held while a
        file is read, and the writes of everything between two reads commit once instead of one
        commit per statement.  A crash loses only what was not flushed — never half of one step, and
        nothing that a later flush depended on.  Nested batches join the outer one."""
        if self._batching:
            yield self._flush
            return
        self._batching = True
        try:
            yield self._flush
        except BaseException:
            self._batching = False
            if self._batch_open:
                self._batch_open = False
                self._depth = 0
                self.conn.execute("ROLLBACK")
            raise
        self._batching = False
        self._flush()

    @contextmanager
    def unwatched(self) -> Iterator[None]:
        """Writes that no computed state depends on (the scheduler's ``job_runs``): the rows they change
        are counted in :attr:`unwatched_rows`, so :meth:`~sheets_sync.store.Store.changes_seen` does not
        move for them."""
        before = self.conn.total_changes
        try:
            yield
        finally:
            self.unwatched_rows += self.conn.total_changes - before

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes atomically; nests (inner blocks join the outer transaction, and the open
        transaction of a :meth:`batch`)."""
        if self._depth == 0 and self._batching:
            self._open_batch()
        elif self._depth == 0:
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
