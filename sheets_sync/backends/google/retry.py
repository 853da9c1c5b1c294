"""Client-side rate limiting and bounded retry for the Google backend (no gspread import).

* :class:`RateLimiter` — a thread-safe sliding window: at most ``per_minute`` calls in any 60 s.
  Google's Sheets quota is 60 read and 60 write requests per minute per user; the defaults (55)
  stay under it so a full sweep of hundreds of forms never meets a 429.  All threads using one
  backend (one identity) share its limiters.
* :func:`call_with_retry` — retries an attempt that raises :class:`Retryable` (429, 5xx, 408,
  timeouts, Drive ``rateLimitExceeded``) at most ``max_retries`` times, sleeping with *full jitter*
  (``uniform(0, min(cap, base·2^n))``, or the server's ``Retry-After`` when longer), then raises
  :class:`RetriesExhausted`.  Unlike gspread's ``BackOffHTTPClient`` it always gives up.
  A quota 429 is different: Google counts quota per minute per user ("Quota exceeded for quota
  metric 'Read requests' and limit 'Read requests per minute per user'";
  https://developers.google.com/sheets/api/limits), so another process or script sharing the
  identity can keep it exhausted for a whole minute.  For those the retries go on (at most
  ``max_retries + QUOTA_EXTRA`` attempts) until at least ``quota_span`` seconds (default 65 s, one
  full quota window plus slack) have been waited, with backoff that does not shrink below half its
  step; a ``Retry-After`` is honoured up to ``retry_after_cap``.

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

    def __init__(self, cause: BaseException, retry_after: float | None = None, *, quota: bool = False) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.retry_after = retry_after
        self.quota = quota


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
    quota_span: float = 65.0
    retry_after_cap: float = 120.0

    def delay(self, retry_number: int, retry_after: float | None = None, *, quota: bool = False) -> float:
        """Seconds to wait before retry ``retry_number`` (0-based)."""
        step = min(self.cap, self.base * (2**retry_number))
        jitter = self.rng.uniform(step / 2 if quota else 0.0, step)
        if retry_after is not None:
            return max(jitter, min(retry_after, self.retry_after_cap))
        return jitter


def call_with_retry(
    attempt: Callable[[], T],
    policy: RetryPolicy,
    *,
    on_retry: Callable[[int, BaseException, float], None] | None = None,
    before_retry: Callable[[BaseException], T | None] | None = None,
) -> T:
    """Run ``attempt``; on :class:`Retryable` wait and try again, at most ``policy.max_retries`` times.

    ``before_retry`` (optional) runs before each retry with the failure's cause and may return a
    result that ends the loop (used by non-idempotent calls: "did the timed-out create land?").
    Any other exception propagates at once.
    """
    slept = 0.0
    for n in range(policy.max_retries + QUOTA_EXTRA + 1):
        try:
            return attempt()
        except Retryable as exc:
            more_quota = exc.quota and slept < policy.quota_span and n < policy.max_retries + QUOTA_EXTRA
            if n >= policy.max_retries and not more_quota:
                raise RetriesExhausted(exc.cause, n + 1, slept) from exc.cause
            pause = policy.delay(n, exc.retry_after, quota=exc.quota)
            if on_retry is not None:
                on_retry(n + 1, exc.cause, pause)
            policy.sleep(pause)
            slept += pause
            if before_retry is not None:
                done = before_retry(exc.cause)
                if done is not None:
                    return done
    raise AssertionError("unreachable")  # pragma: no cover


QUOTA_EXTRA = 10
"""Attempts a quota 429 may use beyond ``max_retries`` while ``quota_span`` has not been waited."""
