"""The one connection of the Google pieces to Google: :class:`GoogleTransport`.

:class:`~.backend.GoogleBackend`, :mod:`.drive` and :mod:`.doctor` all talk to the Sheets and Drive
APIs through one transport per identity, so they share one set of rules instead of reaching into
each other's private members:

* the ``gspread.Client`` is built lazily (no I/O at construction) and always has its timeout set;
  gspread's ``BackOffHTTPClient`` (which retries forever) is refused;
* a per-identity rate limiter for Sheets reads and one for writes (Drive's quota is far higher);
* bounded retry (:mod:`.retry`) that honours ``Retry-After`` and, on a quota 429, keeps trying for at
  least one full quota minute before giving up;
* every failure translated into the :mod:`sheets_sync.errors` tree, naming the file and the fix
  (:mod:`.errors`);
* call counters per kind (``calls``) for budget tests and benchmarks, and the titles of the files
  seen so far, for messages.

Only this module, :mod:`.backend` and :mod:`.auth` import gspread or google-auth.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

import gspread
import requests
from google.auth.exceptions import RefreshError, TransportError

from sheets_sync.backends.google.auth import identity_email, load_credentials
from sheets_sync.backends.google.errors import HttpFailure, is_transient, refresh_failure, to_error, transport_error
from sheets_sync.backends.google.retry import RateLimiter, RetriesExhausted, Retryable, RetryPolicy, call_with_retry
from sheets_sync.config.google import GoogleSettings
from sheets_sync.errors import ConfigError
from sheets_sync.texts import Text

log = logging.getLogger("sheets_sync.backends.google")
T = TypeVar("T")
DRIVE = "https://www.googleapis.com/drive/v3"
UPLOAD = "https://www.googleapis.com/upload/drive/v3/files"
ALL_DRIVES = {"supportsAllDrives": "true", "includeItemsFromAllDrives": "true", "corpora": "allDrives"}
CallKind = Literal["read", "write", "drive"]
Http = gspread.http_client.HTTPClient


class GoogleTransport:
    """Rate-limited, retrying, error-translating access to Sheets v4 and Drive v3 for one identity.

    ``client``: an already-built ``gspread.Client`` (tests mount the in-process fake on it); otherwise
    one is built on first use from ``settings``.  ``clock`` and ``sleep`` drive the limiter and the
    backoff, so tests and benchmarks run in simulated time.
    """

    def __init__(
        self,
        settings: GoogleSettings,
        *,
        client: gspread.Client | None = None,
        clock: Callable[[], datetime] | None = None,
        sleep: Callable[[float], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock or (lambda: datetime.now(UTC))
        self.sleep = sleep or time.sleep
        self._client = client

        def now() -> float:
            return self.clock().timestamp()

        self.read_limiter = RateLimiter(settings.reads_per_minute, now=now, sleep=self.sleep)
        self.write_limiter = RateLimiter(settings.writes_per_minute, now=now, sleep=self.sleep)
        self.retry = RetryPolicy(settings.max_retries, sleep=self.sleep, rng=rng or random.Random())
        self.calls: Counter[str] = Counter()  # attempts per kind, for benchmarks and budget tests
        self.retries = 0
        self.titles: dict[str, str] = {}
        self.last_pages = 0  # pages of the latest ``list_files``
        self._identity: str | None = None
        self._lock = threading.Lock()

    @property
    def client(self) -> gspread.Client:
        """The gspread client, built lazily; its timeout is always set."""
        with self._lock:
            if self._client is None:
                self._client = gspread.Client(auth=load_credentials(self.settings))
            if isinstance(self._client.http_client, gspread.BackOffHTTPClient):
                raise ConfigError(
                    "gspread BackOffHTTPClient retries forever; sheets-sync needs the plain HTTPClient",
                    fix="build the client with gspread.Client(auth) (sheets-sync retries by itself)",
                )
            self._client.set_timeout(self.settings.timeout_seconds)
            return self._client

    def title(self, file_id: str) -> str:
        """The file's title when known (for messages), else its id."""
        return self.titles.get(file_id, file_id)

    def call(
        self,
        kind: CallKind,
        what: str | Text,
        fn: Callable[[Http], T],
        *,
        form_id: str | None = None,
        before_retry: Callable[[BaseException], T | None] | None = None,
    ) -> T:
        """Run one API call under the rate limiter, with bounded retry and error translation."""
        http = self.client.http_client
        limiter = {"read": self.read_limiter, "write": self.write_limiter}.get(kind)

        def attempt() -> T:
            if limiter is not None:
                limiter.acquire()
            self.calls[kind] += 1
            try:
                return fn(http)
            except gspread.exceptions.APIError as exc:
                failure = HttpFailure.from_response(exc.response)
                if is_transient(failure):
                    raise Retryable(failure, failure.retry_after, quota=failure.status == 429) from None
                raise failure from None
            except (requests.Timeout, requests.ConnectionError, TransportError) as exc:
                raise Retryable(exc) from None

        def on_retry(n: int, cause: BaseException, pause: float) -> None:
            self.retries += 1
            log.info("google: retry %d of %s after %s (waiting %.1fs)", n, what, cause, pause)

        try:
            return call_with_retry(attempt, self.retry, on_retry=on_retry, before_retry=before_retry)
        except RetriesExhausted as exc:
            raise transport_error(what, exc.cause, exc.attempts) from None
        except HttpFailure as f:
            raise to_error(
                f, what=what, title=self.titles.get(form_id or ""), form_id=form_id, identity=self.identity_hint()
            ) from None
        except RefreshError as exc:
            raise refresh_failure(what, str(exc)) from None

    def drive(
        self,
        method: str,
        url: str,
        what: str | Text,
        *,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        form_id: str | None = None,
        before_retry: Callable[[BaseException], dict[str, Any] | None] | None = None,
    ) -> dict[str, Any]:
        """One Drive call (not rate-limited: Drive's quota is far above Sheets'); its JSON body or {}."""

        def go(h: Http) -> dict[str, Any]:
            r = h.request(method, url, params=params, json=json, data=data, headers=headers)
            return dict(r.json()) if r.content else {}

        return self.call("drive", what, go, form_id=form_id, before_retry=before_retry)

    def list_files(self, q: str, fields: str, what: str | Text) -> list[dict[str, Any]]:
        """Every page of one Drive ``files.list`` (one call per page of up to 1000 files)."""
        files: list[dict[str, Any]] = []
        token = ""
        self.last_pages = 0
        while True:
            self.last_pages += 1
            params: dict[str, Any] = {**ALL_DRIVES, "q": q, "pageSize": 1000, "fields": "nextPageToken," + fields}
            if token:
                params["pageToken"] = token
            page = self.drive("get", f"{DRIVE}/files", what, params=params)
            for f in page.get("files", []):
                self.titles[f["id"]] = f.get("name", self.titles.get(f["id"], ""))
                files.append(f)
            token = page.get("nextPageToken", "")
            if not token:
                return files

    def identity_hint(self) -> str:
        """Who the calls are made as, without a call when it is not known yet ("" if unknown)."""
        if self._identity:
            return self._identity
        try:
            return identity_email(self.settings)
        except ConfigError:
            return ""

    def identity(self) -> str:
        """E-mail of the identity (Drive ``about``, once per transport)."""
        if self._identity is None:
            about = self.drive(
                "get", f"{DRIVE}/about", Text("membaca identitas Google"), params={"fields": "user(emailAddress)"}
            )
            self._identity = str(about.get("user", {}).get("emailAddress", "")).lower()
        return self._identity
