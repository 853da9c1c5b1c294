"""The long-running service: poll, remind, summarise, deliver — on a schedule, guarded, recorded.

Usage (what ``sheets-sync run`` does)::

    runner = Runner(
        {
            "poll": JobSpec(service.poll_job, every_minutes=15),
            "reminders": JobSpec(service.reminder_job, at=time(8, 0)),
            "digest": JobSpec(service.digest_job, at=time(7, 30)),
            "deliver": JobSpec(service.deliver_job, every_minutes=5, after=("poll", "reminders", "digest")),
        },
        store, clock=lambda: datetime.now(tz), sleep=time.sleep, tz=tz,
    )
    sys.exit(runner.run_forever())      # the service (systemd, Docker)
    sys.exit(runner.run_once())         # ``run --once``: every job once, for cron

A job is any ``Callable[[datetime], int]``: it receives the current (aware) time and returns an exit
code — 0 ok, 1 ok but with findings, 2+ failed.  Jobs are declared with :class:`JobSpec`:

* ``every_minutes=N`` — every N minutes after its previous attempt;
* ``at=time(8, 0)`` — daily at that local time (the office's zone ``tz``: WIB/WITA/WIT);
* ``after=("poll",)`` — additionally right after those jobs ran (delivery after each poll);
* none of them — only in :meth:`Runner.run_once` or as a dependent.

Guarantees
    * **Guarded**: an exception (or an exit code ≥ 2) is logged with its traceback, recorded with
      ``store.job_finished(ok=False, error=…)``, and the loop goes on.  A daily job that failed is
      retried every ``retry_minutes`` until it succeeds for that day's slot.
    * **No overlap**: one tick at a time, within the process (a lock) and, with ``lock_path``, across
      processes (the store's write lock, :mod:`sheets_sync.store.lock`): a tick that finds another
      command (``approve``, ``render``…) holding it skips its round; :meth:`run_once` waits for it.
    * **Catch-up once**: due-ness is decided from the store (``store.last_run``), not from memory, so a
      restart after downtime runs a missed daily job *once* (only the latest slot), never once per
      missed day.  A brand-new install does not run yesterday's slot.
    * **Clock jumps**: a jump far forward makes each job due once; a jump backwards (last run "in the
      future") runs an interval job once and then resumes from the new time; daily jobs that already
      ran for the latest slot stay done.  No storm of runs either way.
    * **Clean stop**: SIGTERM/SIGINT (handlers installed only in :meth:`Runner.run_forever`) set a stop
      flag: the current job finishes, the remaining due jobs wait for the next start, the process
      exits 0.

Why the ``schedule`` library only drives the heartbeat
    ``schedule`` reads ``datetime.now()`` internally (no injected clock), needs ``pytz`` for time zones
    and forgets runs missed while the process was down.  So :meth:`Runner.due` decides due-ness itself
    from the injected ``clock`` and the store, which makes every rule above testable with a fake clock,
    and a ``schedule.Scheduler`` instance only calls :meth:`Runner.tick` every ``tick_seconds`` of real
    time in :meth:`Runner.run_forever`.

Exit codes of :meth:`Runner.run_once`: 0 every job ok; 1 a job reported findings or failed; 3 nothing
could run (another run holds the lock, the store is unusable, or every job failed).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import time as _time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from pathlib import Path
from types import FrameType
from typing import Any

import schedule

from sheets_sync.store import Store
from sheets_sync.store.lock import FileLock, LockBusy

__all__ = ["JobSpec", "Runner"]

log = logging.getLogger(__name__)

CLOCK_SKEW = timedelta(minutes=2)  # a last run later than now + this means the clock went backwards


@dataclass(frozen=True)
class JobSpec:
    """When a job runs; see the module docstring."""

    func: Callable[[datetime], int]
    every_minutes: int | None = None
    at: time | None = None
    after: tuple[str, ...] = ()
    retry_minutes: int = 15

    def __post_init__(self) -> None:
        if self.every_minutes is not None and self.every_minutes < 1:
            raise ValueError("every_minutes must be at least 1")
        if self.every_minutes is not None and self.at is not None:
            raise ValueError("a job runs either every N minutes or daily at a time, not both")


class Runner:
    """Runs :class:`JobSpec` jobs against an injected clock; see the module docstring."""

    def __init__(
        self, jobs: Mapping[str, JobSpec], store: Store, clock: Callable[[], datetime],
        sleep: Callable[[float], None], tz: tzinfo, *, tick_seconds: int = 30,
        lock_path: Path | str | None = None, lock_wait: float = 0.0, command: str = "run",
    ) -> None:
        for name, spec in jobs.items():
            unknown = [a for a in spec.after if a not in jobs]
            if unknown:
                raise ValueError(f"job {name!r} runs after unknown job(s) {unknown}")
        self.jobs = dict(jobs)
        self.store = store
        self.clock = clock
        self.sleep = sleep
        self.tz = tz
        self.tick_seconds = tick_seconds
        self.lock_path = Path(lock_path) if lock_path else None
        self.lock_wait = lock_wait
        self.command = command
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._attempt: dict[str, datetime | None] = {}
        self._ok: dict[str, datetime | None] = {}
        self._seeded: set[str] = set()
        self.store_ok = True

    # -- stop flag -----------------------------------------------------------------------------------
    def request_stop(self, *_: Any) -> None:
        """Finish the current job, then stop (what SIGTERM/SIGINT call)."""
        if not self._stop.is_set():
            log.info("stop requested: finishing the current job, then exiting")
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    # -- due-ness ------------------------------------------------------------------------------------
    def _now(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("the Runner clock must return aware datetimes")
        return now

    def _seed(self, name: str) -> None:
        if name in self._seeded:
            return
        try:
            self._attempt[name] = self.store.last_run(name, ok_only=False)
            self._ok[name] = self.store.last_run(name)
        except Exception:
            log.exception("cannot read the last run of job %s from the store", name)
            self.store_ok = False
            self._attempt.setdefault(name, None)
            self._ok.setdefault(name, None)
        self._seeded.add(name)

    def latest_slot(self, at: time, now: datetime) -> datetime:
        """The latest daily slot at local time ``at`` that is not after ``now``."""
        local = now.astimezone(self.tz)
        slot = datetime.combine(local.date(), at.replace(tzinfo=None), tzinfo=self.tz)
        if slot > local:
            slot = datetime.combine(local.date() - timedelta(days=1), at.replace(tzinfo=None), tzinfo=self.tz)
        return slot

    def is_due(self, name: str, now: datetime) -> bool:
        spec = self.jobs[name]
        self._seed(name)
        attempt, ok = self._attempt.get(name), self._ok.get(name)
        if spec.every_minutes is not None:
            if attempt is None or attempt > now + CLOCK_SKEW:
                return True
            return now - attempt >= timedelta(minutes=spec.every_minutes)
        if spec.at is not None:
            slot = self.latest_slot(spec.at, now)
            if attempt is None and ok is None:
                return slot.date() == now.astimezone(self.tz).date()
            if ok is not None and ok >= slot:
                return False
            if attempt is not None and slot <= attempt <= now + CLOCK_SKEW:
                return now - attempt >= timedelta(minutes=spec.retry_minutes)
            return True
        return False

    def due(self, now: datetime | None = None) -> list[str]:
        """Names of the jobs due at ``now`` (default: the clock), in declaration order."""
        now = now or self._now()
        return [name for name in self.jobs if self.is_due(name, now)]

    # -- running -------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _exclusive(self, wait: float = 0.0) -> Iterator[bool]:
        """The in-process lock and, with ``lock_path``, the store's write lock (waiting up to ``wait``
        seconds for another command to finish)."""
        if not self._lock.acquire(blocking=False):
            yield False
            return
        lock = FileLock(self.lock_path) if self.lock_path is not None else None
        try:
            if lock is not None:
                try:
                    lock.acquire(self.command, wait=wait)
                except LockBusy:
                    yield False
                    return
            yield True
        finally:
            if lock is not None:
                lock.release()
            self._lock.release()

    def _record(self, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return fn(*args)
        except Exception:
            log.exception("cannot record a job run in the store")
            self.store_ok = False
            return None

    def run_job(self, name: str) -> int:
        """Run one job now, guarded and recorded; returns its exit code (3 when it raised)."""
        spec = self.jobs[name]
        self._seed(name)
        started = self._now()
        run_id = self._record(self.store.job_started, name, started)
        t0 = _time.monotonic()
        error = ""
        try:
            result = spec.func(started)
            code = int(result) if result is not None else 0
        except Exception as exc:
            code = 3
            error = f"{type(exc).__name__}: {exc}"
            log.exception("job %s failed: %s", name, error, extra={"job": name})
        if code >= 2 and not error:
            error = f"exit code {code}"
        ok = code < 2
        if run_id is not None:
            self._record(self.store.job_finished, run_id, self._now(), ok, error)
        self._attempt[name] = started
        if ok:
            self._ok[name] = started
        level = logging.INFO if ok else logging.WARNING
        log.log(level, "job %s finished %s (exit %d) in %.1f s", name, "ok" if ok else "with errors", code,
                _time.monotonic() - t0, extra={"job": name, "exit_code": code})
        return code

    def _dependents(self, ran: list[str]) -> list[str]:
        return [n for n, s in self.jobs.items() if n not in ran and any(a in ran for a in s.after)]

    def tick(self) -> dict[str, int]:
        """Run every due job once (then the jobs that run ``after`` them); returns name → exit code.
        Skips the round when another run holds the lock."""
        with self._exclusive() as got:
            if not got:
                log.info("another run is in progress; skipping this round")
                return {}
            try:
                names = self.due()
            except Exception:
                log.exception("cannot decide which jobs are due")
                return {}
            codes: dict[str, int] = {}
            for name in names:
                if self.stopping:
                    break
                codes[name] = self.run_job(name)
            for name in self._dependents(list(codes)):
                if self.stopping:
                    break
                codes[name] = self.run_job(name)
            return codes

    def run_once(self, names: list[str] | None = None, *, due_only: bool = False) -> int:
        """Run each job (or the ``names`` given) once, dependents last; exit code 0/1/3 (module doc).
        With ``due_only`` (what ``run --once`` from cron does) a daily job runs only when its slot is
        due — the 07:30 digest is not sent by a 01:52 run — while interval jobs always run."""
        chosen = names if names is not None else list(self.jobs)
        if due_only:
            now = self._now()
            chosen = [n for n in chosen if self.jobs[n].at is None or self.is_due(n, now)]
        unknown = [n for n in chosen if n not in self.jobs]
        if unknown:
            raise ValueError(f"unknown job(s) {unknown}; known: {', '.join(self.jobs)}")
        ordered = [n for n in chosen if not self.jobs[n].after] + [n for n in chosen if self.jobs[n].after]
        with self._exclusive(wait=self.lock_wait) as got:
            if not got:
                log.error("another sheets-sync command holds the store's write lock; try again later")
                return 3
            self.store_ok = True
            codes = [self.run_job(n) for n in ordered if not self.stopping]
        if not codes or not self.store_ok or all(c >= 2 for c in codes):
            return 3
        return 0 if all(c == 0 for c in codes) else 1

    def next_due(self, now: datetime | None = None) -> datetime | None:
        """When the next job becomes due (for status output); None when only dependents exist."""
        now = now or self._now()
        times = []
        for name, spec in self.jobs.items():
            self._seed(name)
            attempt = self._attempt.get(name)
            if spec.every_minutes is not None:
                times.append(now if attempt is None else max(now, attempt + timedelta(minutes=spec.every_minutes)))
            elif spec.at is not None:
                times.append(now if self.is_due(name, now) else self.latest_slot(spec.at, now) + timedelta(days=1))
        return min(times) if times else None

    def simulate(
        self, until: datetime, step: timedelta = timedelta(minutes=15)
    ) -> list[tuple[datetime, dict[str, int]]]:
        """Tick from the clock's time to ``until`` every ``step``, moving time with ``self.sleep`` (use a
        :class:`~sheets_sync.core.clock.ManualClock`): a week of the service in a second, for the demo.
        Returns the ticks that ran something, as (time, name → exit code)."""
        ran: list[tuple[datetime, dict[str, int]]] = []
        while self._now() <= until and not self.stopping:
            now = self._now()
            codes = self.tick()
            if codes:
                ran.append((now, codes))
            self.sleep(step.total_seconds())
            if self._now() <= now:
                raise ValueError("simulate() needs a sleep that advances the clock (ManualClock.sleep)")
        return ran

    def run_forever(self, *, heartbeat: schedule.Scheduler | None = None) -> int:
        """The service loop: tick now, then every ``tick_seconds`` until SIGTERM/SIGINT or
        :meth:`request_stop`; returns 0.  Signal handlers are installed here only (main thread)."""
        previous: dict[signal.Signals, Any] = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                previous[sig] = signal.signal(sig, self._on_signal)
        sched = heartbeat or schedule.Scheduler()
        sched.every(max(1, round(self.tick_seconds))).seconds.do(self.tick)
        log.info("sheets-sync service started: jobs %s", ", ".join(self.jobs))
        try:
            self.tick()
            while not self.stopping:
                sched.run_pending()
                if self.stopping:
                    break
                idle = sched.idle_seconds
                self.sleep(min(1.0, max(0.0, idle if idle is not None else 1.0)))
        finally:
            sched.clear()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        log.info("sheets-sync service stopped")
        return 0

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        log.info("received %s", signal.Signals(signum).name)
        self.request_stop()
