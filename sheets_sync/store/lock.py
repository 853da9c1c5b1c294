"""One writer at a time: the store-level locks every state-changing command takes.

Two lock files sit next to the SQLite file (``sheets-sync.sqlite3.lock`` and ``….run.lock``):

* the **write lock** is held for one unit of work — one tick of the service, or the whole of
  ``approve``, ``render``, ``provision``, ``poll``, ``summary --send``, ``outbox retry``.  A command
  that finds it held waits (saying for whom) and then runs, so two commands never interleave their
  reads and writes of the same decisions, queue or documents;
* the **service lock** is held by ``run`` (and ``run --once``) for its whole life.  A second one is
  refused at once with :class:`LockBusy` (exit code 3) naming the PID and host that hold it.

Both are ``flock`` locks (released by the kernel when the process dies, even on ``kill -9``), and the
holder writes ``{"pid", "host", "command", "since"}`` into the file so a refusal can say who it is.
On a system without ``fcntl`` (Windows) only the holder file is written; the message queue's
claims (``sending`` with a lease, see :mod:`sheets_sync.store.queue`) still prevent double sends.
``flock`` does not work across hosts on every network file system: keep the store on a local disk.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sheets_sync.errors import StoreError
from sheets_sync.texts import Text

__all__ = ["FileLock", "Holder", "LockBusy", "lock_paths", "owner_token", "pid_alive"]


@dataclass(frozen=True)
class Holder:
    pid: int
    host: str
    command: str
    since: str

    def describe_text(self) -> Text:
        """Who holds the lock, as a message translated where it is shown."""
        return Text("PID {pid} di host {host}, `{command}` sejak {since}", pid=self.pid, host=self.host,
                    command=self.command, since=self.since)

    def describe(self) -> str:
        """Who holds the lock, in Indonesian."""
        return self.describe_text().render()


class LockBusy(StoreError):
    """The lock is held by another process (exit code 3); ``holder`` says which, when known."""

    def __init__(self, message: str | Text, *, holder: Holder | None, fix: str | Text = "") -> None:
        super().__init__(message, fix=fix)
        self.holder = holder


def owner_token() -> str:
    """``pid@host`` of this process (what claims and locks record)."""
    return f"{os.getpid()}@{socket.gethostname()}"


def pid_alive(pid: int) -> bool:
    """Whether a process with this PID exists on this host."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def lock_paths(store_url: str) -> tuple[Path, Path] | None:
    """(write lock, service lock) next to an SQLite store; None for ``:memory:``."""
    path = str(store_url).removeprefix("sqlite:///").removeprefix("sqlite://")
    if path == ":memory:" or "://" in path:
        return None
    return Path(path + ".lock"), Path(path + ".run.lock")


def _flock_exclusive(fh: IO[str]) -> bool:
    """Take an exclusive, non-blocking ``flock`` on the open file; False when another process holds
    it.  Windows has no ``fcntl``: there the lock is only the holder file (see the module docstring)."""
    if sys.platform == "win32":  # pragma: no cover - Windows
        return True
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class FileLock:
    """An exclusive lock on ``path`` for this process (see the module docstring)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._fh: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._fh is not None

    def holder(self) -> Holder | None:
        """Who wrote the lock file last (the holder, while it is held)."""
        try:
            data: Any = json.loads(self.path.read_text(encoding="utf-8") or "{}")
            return Holder(int(data["pid"]), str(data["host"]), str(data["command"]), str(data["since"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def try_acquire(self, command: str) -> bool:
        if self._fh is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - kept open while held
        if not _flock_exclusive(fh):
            fh.close()
            return False
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "command": command,
                             "since": datetime.now().astimezone().isoformat(timespec="seconds")}))
        fh.flush()
        self._fh = fh
        return True

    def acquire(self, command: str, *, wait: float = 0.0, busy: Callable[[Holder | None], str | Text] | None = None,
                waiting: Callable[[Holder | None], None] | None = None, poll: float = 0.1,
                fix: str | Text = Text("tunggu sampai proses itu selesai, lalu jalankan lagi")) -> None:
        """Take the lock, waiting up to ``wait`` seconds (``waiting(holder)`` is called once when it
        has to wait); raise :class:`LockBusy` with ``busy(holder)`` as message when it stays held."""
        deadline = time.monotonic() + wait
        told = False
        while not self.try_acquire(command):
            holder = self.holder()
            if time.monotonic() >= deadline:
                text = busy(holder) if busy else Text("basis data sedang dipakai ({who})",
                                                      who=holder.describe_text() if holder else "?")
                raise LockBusy(text, holder=holder, fix=fix)
            if not told and waiting is not None:
                waiting(holder)
                told = True
            time.sleep(poll)

    def release(self) -> None:
        if self._fh is not None:
            fh, self._fh = self._fh, None
            fh.close()  # closing the descriptor releases the flock

    @contextmanager
    def hold(self, command: str, **kw: Any) -> Iterator[None]:
        self.acquire(command, **kw)
        try:
            yield
        finally:
            self.release()
