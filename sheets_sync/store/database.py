"""The one SQLite connection of the state store, shared by its parts (:mod:`sheets_sync.store`).

:class:`Database` owns the connection and the two things every part needs: :meth:`Database.execute`
(an SQLite error becomes a :class:`~sheets_sync.errors.StoreError`) and :meth:`Database.transaction`
(``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any exception; nested blocks join the outer one, so a
decision and its effects recorded by different parts still commit together).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sheets_sync.errors import StoreError
from sheets_sync.texts import Text


class Database:
    """A connection in autocommit mode (``isolation_level=None``) with explicit, nestable transactions."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.conn.row_factory = sqlite3.Row
        self._depth = 0
        self.unwatched_rows = 0  # rows changed inside unwatched() blocks (see there)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise StoreError(Text("galat basis data: {error}", error=str(exc))) from exc

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
