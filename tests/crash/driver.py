"""Run one ``sheets-sync`` command in its own process, with a test clock and injected faults.

Used by the crash and concurrency tests as ``python tests/crash/driver.py ARGS…`` (``ARGS`` are the
ordinary CLI arguments).  It changes nothing in the program except what the environment asks for:

``SHEETS_SYNC_TEST_NOW``
    ISO time the clock starts at; it then moves with real time (so leases, timeouts and the
    runner's heartbeat behave as in production, just on a chosen calendar day).
``SHEETS_SYNC_TEST_KILL``
    ``module:attr[:before|after][:N]`` — on the N-th call (default 1) of that function, before or
    after it runs (default before), the process sends itself SIGKILL: no ``finally``, no atexit, no
    SQLite cleanup — exactly a ``kill -9`` at that point.
``SHEETS_SYNC_TEST_FAIL``
    ``module:attr:COUNT`` — the first COUNT calls of that function (counted across processes in
    ``$SHEETS_SYNC_TEST_STATE``) raise a :class:`~sheets_sync.errors.TransientError`, as a busy
    form or a dropped connection does; with ``SHEETS_SYNC_TEST_FAIL_MATCH`` only calls whose
    arguments contain that text (e.g. one bidang's form) count.
``SHEETS_SYNC_TEST_MARK``
    a file: ``started <pid>`` is appended when the command starts (the tests wait on it).
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _resolve(spec: str) -> tuple[Any, str]:
    module, _, attr = spec.partition(":")
    owner: Any = importlib.import_module(module)
    parts = attr.split(".")
    for part in parts[:-1]:
        owner = getattr(owner, part)
    return owner, parts[-1]


def _kill_at(spec: str) -> None:
    fields = spec.split(":")
    target, when, nth = f"{fields[0]}:{fields[1]}", "before", 1
    for extra in fields[2:]:
        if extra in ("before", "after"):
            when = extra
        elif extra:
            nth = int(extra)
    owner, name = _resolve(target)
    real = getattr(owner, name)
    calls = {"n": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == nth and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = real(*args, **kwargs)
        if calls["n"] == nth and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(owner, name, wrapper)


def _fail_first(spec: str) -> None:
    module, attr, count = spec.rsplit(":", 2)
    owner, name = _resolve(f"{module}:{attr}")
    real = getattr(owner, name)
    state = Path(os.environ.get("SHEETS_SYNC_TEST_STATE", "fail-count"))

    match = os.environ.get("SHEETS_SYNC_TEST_FAIL_MATCH", "")

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if match and match not in repr((args, kwargs)):
            return real(*args, **kwargs)
        done = int(state.read_text() or 0) if state.exists() else 0
        if done < int(count):
            state.write_text(str(done + 1))
            from sheets_sync.errors import TransientError

            raise TransientError("form sedang dipakai (kegagalan uji)")
        return real(*args, **kwargs)

    setattr(owner, name, wrapper)


def main(argv: list[str]) -> int:
    start = os.environ.get("SHEETS_SYNC_TEST_NOW")
    if start:
        import sheets_sync.cli.common as cli

        origin, t0 = datetime.fromisoformat(start), time.monotonic()

        def clock() -> datetime:
            return origin + timedelta(seconds=time.monotonic() - t0)

        cli.CLOCK = clock
    if os.environ.get("SHEETS_SYNC_TEST_KILL"):
        _kill_at(os.environ["SHEETS_SYNC_TEST_KILL"])
    if os.environ.get("SHEETS_SYNC_TEST_FAIL"):
        _fail_first(os.environ["SHEETS_SYNC_TEST_FAIL"])
    mark = os.environ.get("SHEETS_SYNC_TEST_MARK")
    if mark:
        with open(mark, "a", encoding="utf-8") as fh:
            fh.write(f"started {os.getpid()}\n")
    from sheets_sync.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
