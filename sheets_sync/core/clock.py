"""The one simulated clock: ``demo`` plays a week (or a year) of the service on it, and the tests run the
service, the scheduler and the Google fake on it.

Everything that needs the time takes a clock — a callable returning an aware :class:`datetime` — and,
where it waits, a ``sleep``.  :class:`ManualClock` is both: it moves only when told (``sleep``,
``advance``, ``set``), so what runs on it is deterministic and takes no wall time.  It lives in
``core`` (pure, no I/O) so the service's demo and the runtime's scheduler can share it.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta


class ManualClock:
    """A clock that moves only when told.  Pass the instance as ``clock`` and :meth:`sleep` as ``sleep``.

    ``now`` is the current time (settable); :attr:`sleeps` records every :meth:`sleep` and
    :attr:`slept` their total in seconds; :meth:`monotonic` is the seconds since the start, for code that
    takes a monotonic timer (a rate limiter).  Thread-safe: the Google client sleeps from its threads.
    """

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware start time")
        self.start = start
        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        return self.now

    @property
    def slept(self) -> float:
        """Seconds slept in all, negative requests counted as 0."""
        return sum(self.sleeps)

    def monotonic(self) -> float:
        """Seconds since the start (a ``time.monotonic`` stand-in)."""
        return (self.now - self.start).total_seconds()

    def sleep(self, seconds: float) -> None:
        with self._lock:
            seconds = max(seconds, 0.0)
            self.sleeps.append(seconds)
            self.now += timedelta(seconds=seconds)

    def advance(self, **delta: float) -> None:
        """Move on by a :class:`timedelta`'s keywords (``advance(minutes=15)``) without counting a sleep."""
        with self._lock:
            self.now += timedelta(**delta)

    def set(self, when: datetime) -> None:
        """Jump to ``when`` (aware), forwards or backwards."""
        if when.tzinfo is None:
            raise ValueError("ManualClock needs an aware time")
        with self._lock:
            self.now = when
