"""Google Sheets v4 + Drive v3 backend (gspread 6 + google-auth) — the only module importing gspread.

API economy (see ``docs/benchmarks.md``):

* polling = one Drive ``files.list`` per cycle (``modifiedTime >= watermark − overlap``,
  ``trashed = false``, paginated; a full sweep without the time clause every
  ``full_sweep_every`` cycles), then one ``values:batchGet`` per changed form through
  ``gc.http_client.values_batch_get`` with ``UNFORMATTED_VALUE`` — never ``open_by_key``, never a
  metadata fetch on the poll path;
* ``setup`` = one metadata read + **one** ``batchUpdate`` (tab, locale ``id_ID``, time zone, RAW
  cell writes, protections, validations, marker as developer metadata);
* ``write`` = one ``values:batchUpdate`` with ``valueInputOption=RAW``.

Every call goes through :meth:`GoogleBackend._call`: a per-identity rate limiter (reads and writes
counted separately, shared by all threads using this backend), ``gc.set_timeout`` on the client,
bounded retry with full jitter (:mod:`.google_retry`), and translation of every failure into the
:mod:`sheets_sync.errors` tree with a message naming the form and the fix (:mod:`.google_errors`).
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import gspread
import requests
from google.auth.exceptions import RefreshError, TransportError

from sheets_sync.backends.google.auth import identity_email, load_credentials
from sheets_sync.backends.google.drive import DRIVE
from sheets_sync.backends.google.errors import HttpFailure, is_transient, refresh_failure, to_error, transport_error
from sheets_sync.backends.google.poll import FIELDS, ChangeTracker
from sheets_sync.backends.google.requests import (
    MARKER_KEY,
    SHEET_MIME,
    SheetInfo,
    api_range,
    normalize,
    q_literal,
    setup_requests,
    sheet_link,
    to_cell_json,
)
from sheets_sync.backends.google.retry import RateLimiter, RetriesExhausted, Retryable, RetryPolicy, call_with_retry
from sheets_sync.config.google import GoogleSettings
from sheets_sync.core.a1 import parse_range
from sheets_sync.core.values import Change, FormRef, RangeWrite, TabSetup, Values
from sheets_sync.errors import ConfigError, FormNotFound

log = logging.getLogger(__name__)
T = TypeVar("T")
ALL_DRIVES = {"supportsAllDrives": "true", "includeItemsFromAllDrives": "true", "corpora": "allDrives"}
CallKind = Literal["read", "write", "drive"]


class GoogleBackend:
    """:class:`~sheets_sync.backends.base.Backend` on Google Sheets + Drive.  No I/O in ``__init__``.

    ``client``: an already-built ``gspread.Client`` (tests mount the in-process fake on it);
    otherwise one is built on first use from ``settings`` (:mod:`.google_auth`).  ``clock`` and
    ``sleep`` drive the rate limiter and retry backoff (tests inject simulated time).
    """

    name = "google"

    def __init__(
        self,
        settings: GoogleSettings,
        *,
        client: gspread.Client | None = None,
        clock: Callable[[], datetime] | None = None,
        sleep: Callable[[float], None] | None = None,
        office_timezone: str = "Asia/Jakarta",
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self.office_timezone = office_timezone
        self._client = client
        self._clock = clock or (lambda: datetime.now(UTC))
        self._sleep = sleep or time.sleep

        def now() -> float:
            return self._clock().timestamp()

        self.read_limiter = RateLimiter(settings.reads_per_minute, now=now, sleep=self._sleep)
        self.write_limiter = RateLimiter(settings.writes_per_minute, now=now, sleep=self._sleep)
        self.retry = RetryPolicy(settings.max_retries, sleep=self._sleep, rng=rng or random.Random())
        self.calls: Counter[str] = Counter()  # attempts per kind, for benchmarks and budget tests
        self.retries = 0
        self._lock = threading.Lock()
        self._titles: dict[str, str] = {}
        self.tracker = ChangeTracker(
            settings.folder_id,
            overlap_minutes=settings.overlap_minutes,
            full_sweep_every=settings.full_sweep_every,
        )
        self._identity: str | None = None

    # -- plumbing --------------------------------------------------------------------------------
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

    def _call(
        self,
        kind: CallKind,
        what: str,
        fn: Callable[[gspread.http_client.HTTPClient], T],
        *,
        form_id: str | None = None,
        before_retry: Callable[[], T | None] | None = None,
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
                    raise Retryable(failure, failure.retry_after) from None
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
            title = self._titles.get(form_id or "")
            who = self._identity_hint()
            raise to_error(f, what=what, title=title, form_id=form_id, identity=who) from None
        except RefreshError as exc:
            raise refresh_failure(what, str(exc)) from None

    def _identity_hint(self) -> str:
        if self._identity:
            return self._identity
        try:
            return identity_email(self.settings)
        except ConfigError:
            return ""

    def identity(self) -> str:
        """E-mail of the identity the backend acts as (Drive ``about``, cached)."""
        if self._identity is None:
            about = self._drive(
                "get", f"{DRIVE}/about", "membaca identitas Google", params={"fields": "user(emailAddress)"}
            )
            self._identity = str(about.get("user", {}).get("emailAddress", "")).lower()
        return self._identity

    def _drive(
        self,
        method: str,
        url: str,
        what: str,
        *,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        form_id: str | None = None,
        before_retry: Callable[[], dict[str, Any] | None] | None = None,
    ) -> dict[str, Any]:
        """One Drive call (not rate-limited: Drive's quota is far above Sheets'); JSON body or {}."""

        def go(h: gspread.http_client.HTTPClient) -> dict[str, Any]:
            r = h.request(method, url, params=params, json=json, data=data, headers=headers)
            return dict(r.json()) if r.content else {}

        return self._call("drive", what, go, form_id=form_id, before_retry=before_retry)

    def _list_files(self, q: str, fields: str, what: str) -> list[dict[str, Any]]:
        """All pages of a Drive ``files.list`` (one call per page of 1000)."""
        files: list[dict[str, Any]] = []
        token = ""
        while True:
            params: dict[str, Any] = {
                **ALL_DRIVES,
                "q": q,
                "pageSize": 1000,
                "fields": "nextPageToken," + fields,
            }
            if token:
                params["pageToken"] = token
            page = self._drive("get", f"{DRIVE}/files", what, params=params)
            files.extend(page.get("files", []))
            token = page.get("nextPageToken", "")
            if not token:
                return files

    def _ref(self, file: dict[str, Any]) -> FormRef:
        self._titles[file["id"]] = file.get("name", "")
        return FormRef(file["id"], file.get("name", ""), sheet_link(file["id"]))

    # -- forms -----------------------------------------------------------------------------------
    def find_form(self, title: str) -> FormRef | None:
        """The oldest non-trashed spreadsheet named exactly ``title`` in the forms folder."""
        q = (
            f"name = {q_literal(title)} and {q_literal(self.settings.folder_id)} in parents "
            f"and mimeType = {q_literal(SHEET_MIME)} and trashed = false"
        )
        files = self._list_files(q, "files(id,name,createdTime)", f"mencari formulir {title!r}")
        files = [f for f in files if f.get("name") == title]
        if not files:
            return None
        return self._ref(min(files, key=lambda f: f.get("createdTime", "")))

    def create_form(self, title: str) -> FormRef:
        """Create (or copy ``template_spreadsheet`` into) the forms folder — idempotent by title.

        A form with this title already in the folder (e.g. created just before a crash, or by a
        create whose response timed out) is returned instead of making a second one.
        """
        existing = self.find_form(title)
        if existing is not None:
            return existing
        body: dict[str, Any] = {"name": title, "mimeType": SHEET_MIME, "parents": [self.settings.folder_id]}
        params: dict[str, Any] = {"supportsAllDrives": "true", "fields": "id,name"}
        template = self.settings.template_spreadsheet
        url = f"{DRIVE}/files/{template}/copy" if template else f"{DRIVE}/files"

        def landed() -> dict[str, Any] | None:
            """After a timed-out create: did it land anyway?  (Avoids a second form.)"""
            ref = self.find_form(title)
            return None if ref is None else {"id": ref.id, "name": ref.title}

        what = f"membuat formulir {title!r}"
        return self._ref(self._drive("post", url, what, params=params, json=body, before_retry=landed))

    def open_form(self, ref: str) -> FormRef:
        """Resolve an id or link of an existing spreadsheet (adoption of a sheet made by people)."""
        from sheets_sync.backends.google.drive import file_metadata

        meta = file_metadata(self, ref)
        fid = meta["id"]
        if self.settings.folder_id not in meta.get("parents", []):
            self.tracker.adopted.add(fid)
        return self._ref(meta)

    def share(self, form_id: str, emails: Sequence[str], role: Literal["writer", "reader"] = "writer") -> None:
        """Give exactly ``emails`` access with ``role``, without Google's notification e-mail.

        Other direct user/group permissions are removed, except the owner, inherited shared-drive
        access, the service identity and the coordinator; forms adopted from people keep their
        other permissions (``doctor`` reports them).
        """
        from sheets_sync.backends.google.drive import sync_permissions

        sync_permissions(self, form_id, emails, role)

    def list_tabs(self, form_id: str) -> list[str]:
        """Tab titles in order (one metadata read, only titles)."""
        sheets = self._sheets(form_id, "sheets.properties(sheetId,title,index)", "membaca tab")
        return [s.title for s in sheets]

    def _sheets(self, form_id: str, fields: str, what: str) -> list[SheetInfo]:
        meta = self._call(
            "read",
            f"{what} {self._titles.get(form_id, form_id)!r}",
            lambda h: h.spreadsheets_get(form_id, params={"fields": fields}),
            form_id=form_id,
        )
        return sorted((SheetInfo.from_api(s) for s in meta.get("sheets", [])), key=lambda s: s.index)

    def setup(self, form_id: str, tab: TabSetup) -> None:
        """One metadata read, then everything for ``tab`` in **one** ``batchUpdate`` (idempotent)."""
        fields = (
            "sheets(properties(sheetId,title,index,gridProperties),protectedRanges(protectedRangeId,description),"
            "developerMetadata(metadataId,metadataKey,metadataValue))"
        )
        sheets = self._sheets(form_id, fields, "menyiapkan tab")
        editors = [e for e in (self.identity(), self.settings.coordinator_email) if e]
        body = {
            "requests": setup_requests(
                tab, sheets=sheets, editors=editors, locale="id_ID", time_zone=self.office_timezone
            )
        }
        self._call(
            "write",
            f"menyiapkan tab {tab.tab!r} di {self._titles.get(form_id, form_id)!r}",
            lambda h: h.batch_update(form_id, body),
            form_id=form_id,
        )

    def read_marker(self, form_id: str, tab: str) -> dict[str, str]:
        """The marker of ``tab`` from the sheet's developer metadata (one metadata read)."""
        fields = "sheets(properties(sheetId,title,index),developerMetadata(metadataKey,metadataValue,metadataId))"
        for sheet in self._sheets(form_id, fields, "membaca penanda"):
            if sheet.title == tab:
                raw = sheet.meta(MARKER_KEY)
                return {str(k): str(v) for k, v in json.loads(raw).items()} if raw else {}
        raise FormNotFound(
            f"tab {tab!r} tidak ada di formulir {self._titles.get(form_id, form_id)!r}",
            fix=f"kembalikan nama tab menjadi {tab!r} atau jalankan provision lagi",
        )

    # -- polling -----------------------------------------------------------------------------------
    def changed_since(self, since: datetime | None) -> list[Change]:
        """Forms modified at or after ``since``: one Drive ``files.list`` (plus pages), with the
        overlap, de-duplication and periodic full sweep of :class:`.google_poll.ChangeTracker`."""
        query = self.tracker.query(since)
        files = self._list_files(query, FIELDS, "memeriksa perubahan")
        self._titles.update({f["id"]: f.get("name", "") for f in files})
        return self.tracker.changes(files, since)

    def fingerprint(self, form_id: str) -> str | None:
        """Not known without a Drive call yet: None, so the control spreadsheet is read every cycle.
        (Drive's ``modifiedTime`` from the cycle's ``files.list`` is the intended fingerprint.)"""
        return None

    def report_sheet(self, control_id: str) -> str:
        """A values update touches only its ranges, so Rekap and Dokumen stay in the control spreadsheet."""
        return control_id

    def read(self, form_id: str, ranges: Sequence[str]) -> dict[str, Values]:
        """All ``ranges`` in one ``values:batchGet`` (unformatted values)."""
        if not ranges:
            return {}
        params: dict[str, Any] = {"valueRenderOption": "UNFORMATTED_VALUE", "majorDimension": "ROWS"}
        got = self._call(
            "read",
            f"membaca {self._titles.get(form_id, form_id)!r}",
            lambda h: h.values_batch_get(form_id, [api_range(r) for r in ranges], params=dict(params)),
            form_id=form_id,
        )
        pairs = zip(ranges, got.get("valueRanges", []), strict=True)
        return {r: normalize(vr.get("values"), parse_range(r)) for r, vr in pairs}

    def write(self, form_id: str, writes: Sequence[RangeWrite]) -> None:
        """One ``values:batchUpdate`` with ``valueInputOption=RAW``; adds missing tabs first if needed."""
        if not writes:
            return
        body = {
            "valueInputOption": "RAW",
            "data": [
                {
                    "range": api_range(w.range),
                    "majorDimension": "ROWS",
                    "values": [[to_cell_json(v) for v in row] for row in w.values],
                }
                for w in writes
            ],
        }
        what = f"menulis ke {self._titles.get(form_id, form_id)!r}"

        def put() -> None:
            self._call("write", what, lambda h: h.values_batch_update(form_id, body), form_id=form_id)

        try:
            put()
        except FormNotFound:
            have = set(self.list_tabs(form_id))
            tabs = (parse_range(w.range).tab for w in writes)
            missing = list(dict.fromkeys(t for t in tabs if t not in have))
            if not missing:
                raise
            adds = {"requests": [{"addSheet": {"properties": {"title": t}}} for t in missing]}
            self._call("write", what, lambda h: h.batch_update(form_id, adds), form_id=form_id)
            put()

    def clear(self, form_id: str, range_: str) -> None:
        self._call(
            "write",
            f"mengosongkan {range_} di {self._titles.get(form_id, form_id)!r}",
            lambda h: h.values_clear(form_id, api_range(range_)),
            form_id=form_id,
        )

    # -- documents ---------------------------------------------------------------------------------
    def publish(self, path: Path, name: str, *, replaces: str | None = None) -> str:
        """Upload ``path`` as-is (multipart, no conversion) to the documents folder; returns its link.

        The file keeps a stable ``name``.  If ``replaces`` (an earlier link) or a file with that name
        exists, its content is updated in place — and not at all when the SHA-256/MD5 is unchanged.
        """
        from sheets_sync.backends.google.drive import publish_document

        return publish_document(self, path, name, replaces=replaces)
