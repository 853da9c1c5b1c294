"""Client-side rate limiting and bounded retry for the Google backend (no gspread import).

* :class:`RateLimiter` — a thread-safe sliding window: at most ``per_minute`` calls in any 60 s.
  Google's Sheets quota is 60 read and 60 write requests per minute per user; the defaults (55)
  stay under it so a full sweep of hundreds of forms never meets a 429.  All threads using one
  backend (one identity) share its limiters.
* :func:`call_with_retry` — retries an attempt that raises :class:`Retryable` (429, 5xx, 408,
  timeouts, Drive ``rateLimitExceeded``) at most ``max_retries`` times, sleeping with *full jitter*
  (``uniform(0, min(cap, base·2^n))``, or the server's ``Retry-After`` when longer), then raises
  :class:`RetriesExhausted`.  Unlike gspread's ``BackOffHTTPClient`` it always gives up.

Clock and sleep are injected, so tests and benchmarks run in simulated time.
"""

from __future__ import annotations

import random
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


class RateLimiter:
    """At most ``per_minute`` :meth:`acquire` calls succeed in any ``window`` seconds.

    ``now`` returns seconds (any epoch); ``sleep`` waits.  The lock is never held while sleeping,
    so other threads keep working out their own slots.
    """

    def __init__(
        self,
        per_minute: int,
        *,
        now: Callable[[], float],
        sleep: Callable[[float], None],
        window: float = 60.0,
    ) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be >= 1")
        self.per_minute = per_minute
        self.window = window
        self._now = now
        self._sleep = sleep
        self._stamps: deque[float] = deque()
        self._lock = threading.Lock()
        self.waited = 0.0  # total seconds spent waiting (for benchmarks)

    def acquire(self) -> float:
        """Take one slot, waiting as long as needed; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._now()
                while self._stamps and self._stamps[0] <= now - self.window:
                    self._stamps.popleft()
                if len(self._stamps) < self.per_minute:
                    self._stamps.append(now)
                    self.waited += waited
                    return waited
                delay = self._stamps[0] + self.window - now
            delay = max(delay, 0.001)
            self._sleep(delay)
            waited += delay


class Retryable(Exception):
    """Raised by an attempt to say "this may work if tried again" (wraps the real cause)."""

    def __init__(self, cause: BaseException, retry_after: float | None = None) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.retry_after = retry_after


class RetriesExhausted(Exception):
    """Every attempt failed transiently; ``cause`` is the last failure."""

    def __init__(self, cause: BaseException, attempts: int, slept: float) -> None:
        super().__init__(f"{attempts} attempts failed; last: {cause}")
        self.cause = cause
        self.attempts = attempts
        self.slept = slept


@dataclass
class RetryPolicy:
    """Bounded exponential backoff with full jitter.  ``max_retries`` = extra attempts after the first."""

    max_retries: int = 5
    base: float = 1.0
    cap: float = 32.0
    sleep: Callable[[float], None] = field(default=lambda s: None)
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, retry_number: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry ``retry_number`` (0-based)."""
        jitter = self.rng.uniform(0.0, min(self.cap, self.base * (2**retry_number)))
        if retry_after is not None:
            return max(jitter, min(retry_after, self.cap))
        return jitter


def call_with_retry(
    attempt: Callable[[], T],
    policy: RetryPolicy,
    *,
    on_retry: Callable[[int, BaseException, float], None] | None = None,
    before_retry: Callable[[], T | None] | None = None,
) -> T:
    """Run ``attempt``; on :class:`Retryable` wait and try again, at most ``policy.max_retries`` times.

    ``before_retry`` (optional) runs before each retry and may return a result that ends the loop
    (used by non-idempotent calls, e.g. "did the timed-out create actually succeed?").
    Any other exception propagates at once.
    """
    slept = 0.0
    for n in range(policy.max_retries + 1):
        try:
            return attempt()
        except Retryable as exc:
            if n >= policy.max_retries:
                raise RetriesExhausted(exc.cause, n + 1, slept) from exc.cause
            pause = policy.delay(n, exc.retry_after)
            if on_retry is not None:
                on_retry(n + 1, exc.cause, pause)
            policy.sleep(pause)
            slept += pause
            if before_retry is not None:
                done = before_retry()
                if done is not None:
                    return done
    raise AssertionError("unreachable")  # pragma: no cover
