"""The in-process fake of Google Sheets v4 + Drive v3 (+ the OAuth token endpoint).

Mounted as a ``requests`` transport adapter on gspread's session and on google-auth's token
session (:meth:`FakeGoogle.client`), so the real gspread/google-auth code runs unchanged and no
socket is ever opened.  Every request is matched to its discovery-document method, its query and
body validated (400 with Google's envelope on violations), then served from in-memory state.

Test hooks: :meth:`fail` (scripted 429/403/404/500/503/timeouts), :attr:`quota` (per-minute
Sheets read/write quota on the injected clock), :meth:`expire_tokens` (401 then refresh),
:attr:`revoked` (``invalid_grant``), :attr:`latency` (simulated seconds per call),
:attr:`index_lag` (Drive listing lag), :attr:`log` (every call with its API method id).
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from google.auth.credentials import Credentials
from google.auth.exceptions import RefreshError
from requests.structures import CaseInsensitiveDict

from sheets_sync.core.clock import ManualClock

from .discovery import Method, Violation, discovery
from .drive_query import QueryError, apply_fields, compile_query, parse_fields
from .sheets_batch import apply_batch, over_limit_error
from .sheets_model import DEFAULT_FORMAT, THEME_COLORS, Box, Sheet, SheetsError, Spreadsheet

SHEET_MIME = "application/vnd.google-apps.spreadsheet"
FOLDER_MIME = "application/vnd.google-apps.folder"
DRIVE_SDK_MIME = "application/vnd.google-apps.drive-sdk"
TOKEN_URL = "https://oauth2.googleapis.com/token"
Json = dict[str, Any]


EPOCH = datetime(2025, 4, 7, 1, 0, tzinfo=UTC)
"""Where a fake's :class:`~sheets_sync.core.clock.ManualClock` starts unless a test gives its own."""


def rfc3339(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


@dataclass
class DriveFile:
    id: str
    name: str
    mime_type: str
    parents: list[str]
    created: datetime
    modified: datetime
    drive_id: str | None = None
    trashed: bool = False
    access: str = "writer"  # the caller's role: owner / writer / reader / none
    permissions: list[Json] = field(default_factory=list)
    app_properties: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None
    history: list[datetime] = field(default_factory=list)

    def as_json(self, lag: timedelta, now: datetime) -> Json | None:
        visible = [t for t in [self.created, *self.history] if t + lag <= now]
        if not visible:
            return None
        d: Json = {
            "kind": "drive#file",
            "id": self.id,
            "name": self.name,
            "mimeType": self.mime_type,
            "parents": list(self.parents),
            "trashed": self.trashed,
            "createdTime": rfc3339(self.created),
            "modifiedTime": rfc3339(max(visible)),
        }
        if self.drive_id:
            d["driveId"] = self.drive_id
        if self.app_properties:
            d["appProperties"] = dict(self.app_properties)
        if self.content is not None:
            d["md5Checksum"] = hashlib.md5(self.content).hexdigest()
            d["size"] = str(len(self.content))
        return d


@dataclass
class Fault:
    match: str | Callable[[str, str], bool]
    status: int = 503
    reason: str = ""
    times: int = 1
    timeout: bool = False
    retry_after: float | None = None
    after: bool = False  # time out *after* the request took effect (the response is lost)
    until: datetime | None = None  # a storm: active until this fake time

    def hits(self, method_id: str, url: str, now: datetime | None = None) -> bool:
        if self.times <= 0 or (self.until is not None and now is not None and now >= self.until):
            return False
        if callable(self.match):
            return self.match(method_id, url)
        return self.match in method_id or self.match in url


@dataclass
class Call:
    method_id: str
    http: str
    url: str
    params: dict[str, list[str]]
    body: Any
    status: int
    timeout: Any
    at: datetime


class Quota:
    """Google's per-minute, per-user Sheets quota (defaults: 60 reads, 60 writes) on the fake clock."""

    def __init__(self, reads: int = 60, writes: int = 60, window: float = 60.0) -> None:
        self.limits = {"read": reads, "write": writes}
        self.window = window
        self.stamps: dict[str, deque[datetime]] = {"read": deque(), "write": deque()}
        self.rejected = 0

    def admit(self, kind: str, now: datetime) -> bool:
        q = self.stamps[kind]
        while q and (now - q[0]).total_seconds() >= self.window:
            q.popleft()
        if len(q) >= self.limits[kind]:
            self.rejected += 1
            return False
        q.append(now)
        return True


def sheets_error(code: int, message: str, status: str, details: list[Json] | None = None) -> Json:
    err: Json = {"code": code, "message": message, "status": status}
    if details:
        err["details"] = details
    return {"error": err}


def drive_error(code: int, message: str, reason: str, domain: str = "global", location: str = "") -> Json:
    item: Json = {"message": message, "domain": domain, "reason": reason}
    if location:
        item |= {"location": location, "locationType": "parameter"}
    return {"error": {"code": code, "message": message, "errors": [item]}}


STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
}
QUOTA_MSG = (
    "Quota exceeded for quota metric '{m} requests' and limit '{m} requests per minute per user' of "
    "service 'sheets.googleapis.com' for consumer 'project_number:123456789'."
)
STORAGE_MSG = (
    "Service Accounts do not have storage quota. Leverage shared drives "
    "(https://developers.google.com/workspace/drive/api/guides/about-shareddrives), or use OAuth "
    "delegation (http://support.google.com/a/answer/7281227) instead."
)


def fault_body(api: str, status: int, reason: str, retry_after: float | None = None) -> Json:
    """A realistic error body for a scripted fault."""
    if api == "drive":
        if reason in ("userRateLimitExceeded", "rateLimitExceeded", "storageQuotaExceeded"):
            msg = {
                "userRateLimitExceeded": "User rate limit exceeded.",
                "rateLimitExceeded": "Rate Limit Exceeded",
                "storageQuotaExceeded": STORAGE_MSG,
            }[reason]
            return drive_error(status, msg, reason, "usageLimits")
        if status == 404:
            return drive_error(404, "File not found: .", "notFound", location="fileId")
        return drive_error(
            status,
            {500: "Internal Error", 503: "Service Unavailable"}.get(status, "Error"),
            reason or {500: "internalError", 503: "backendError"}.get(status, "error"),
        )
    if status == 429:
        info = {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "RATE_LIMIT_EXCEEDED",
            "domain": "googleapis.com",
            "metadata": {"service": "sheets.googleapis.com"},
        }
        return sheets_error(429, QUOTA_MSG.format(m="Read"), "RESOURCE_EXHAUSTED", [info])
    msg = {
        403: "The caller does not have permission",
        404: "Requested entity was not found.",
        500: "Internal error encountered.",
        503: "The service is currently unavailable.",
    }.get(status, "Error")
    return sheets_error(status, msg, STATUS.get(status, "UNKNOWN"))


class FakeAdapter(requests.adapters.BaseAdapter):
    """``requests`` transport serving every https request from a :class:`FakeGoogle`."""

    def __init__(self, fake: FakeGoogle) -> None:
        super().__init__()
        self.fake = fake

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        return self.fake.handle(request, timeout)

    def close(self) -> None:
        pass


class FakeGoogle:
    """State + behaviour of the fake Google APIs for one identity."""

    def __init__(
        self,
        clock: ManualClock | None = None,
        *,
        identity: str = "sheets-sync@kinerja-sukamaju.iam.gserviceaccount.com",
        identity_kind: str = "service_account",
        seed: int = 7,
    ) -> None:
        self.clock = clock or ManualClock(EPOCH)
        self.identity = identity
        self.identity_kind = identity_kind
        self.rng = random.Random(seed)
        self.files: dict[str, DriveFile] = {}
        self.books: dict[str, Spreadsheet] = {}
        self.comments: dict[str, list[Json]] = {}
        self.tokens: set[str] = set()
        self.revoked = False
        self.latency = 0.0
        self.page_cap = 1000  # Drive may return fewer files per page than asked
        self.index_lag = timedelta(0)
        self.quota: Quota | None = None
        self.faults: list[Fault] = []
        self.log: list[Call] = []
        self.notifications: list[str] = []
        self.token_requests = 0
        self.forms_folder = ""
        self.documents_folder = ""
        self.generated_ids: set[str] = set()
        self.without_google_account: set[str] = set()  # addresses Drive knows no Google account for
        self.notification_messages: list[tuple[str, str]] = []
        self._lock = threading.RLock()
        self._n = 0

    # -- setup helpers -----------------------------------------------------------------------------
    def new_id(self, n: int = 44) -> str:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        return "1" + "".join(self.rng.choice(alphabet) for _ in range(n - 1))

    def add_folder(
        self, name: str, *, shared_drive: bool = True, parent: str | None = None, access: str = "writer"
    ) -> str:
        fid = "0A" + self.new_id(17) if shared_drive else self.new_id(33)
        drive_id = ("0A" + self.new_id(17)) if shared_drive else None
        now = self.clock()
        self.files[fid] = DriveFile(
            fid, name, FOLDER_MIME, [parent] if parent else [], now, now, drive_id=drive_id, access=access
        )
        return fid

    def add_spreadsheet(
        self,
        name: str,
        *,
        parents: list[str] | None = None,
        owner: str = "kabid@bkpsdm.sukamajukab.go.id",
        access: str = "writer",
        tabs: tuple[str, ...] = ("Sheet1",),
    ) -> str:
        """A spreadsheet made by a person (adoption), shared with the caller as ``access``."""
        fid = self.new_id()
        now = self.clock()
        f = DriveFile(fid, name, SHEET_MIME, list(parents or []), now, now, access=access)
        f.permissions = [self._perm(owner, "owner")]
        if access in ("writer", "reader"):
            f.permissions.append(self._perm(self.identity, access))
        self.files[fid] = f
        book = Spreadsheet(
            fid, sheets=[Sheet(self.rng.randint(1, 2 * 10**9) if i else 0, t, i) for i, t in enumerate(tabs)]
        )
        self.books[fid] = book
        return fid

    def client(self) -> Any:
        """A ``gspread.Client`` whose traffic (API and token refresh) goes to this fake."""
        import gspread

        creds = FakeCredentials(self.identity)
        gc = gspread.Client(auth=creds)
        self.install(gc)
        return gc

    def install(self, gc: Any) -> None:
        adapter = FakeAdapter(self)
        gc.http_client.session.mount("https://", adapter)
        token_session = getattr(gc.http_client.session, "_auth_request_session", None)
        if token_session is not None:
            token_session.mount("https://", adapter)

    def fail(
        self,
        match: str | Callable[[str, str], bool],
        status: int = 503,
        *,
        reason: str = "",
        times: int = 1,
        timeout: bool = False,
        retry_after: float | None = None,
        after: bool = False,
    ) -> Fault:
        """Script a failure for the next ``times`` calls whose method id or URL contains ``match``
        (``timeout=True``: a read timeout; with ``after=True`` the request first takes effect)."""
        f = Fault(match, status, reason, times, timeout, retry_after, after)
        self.faults.append(f)
        return f

    def expire_tokens(self) -> None:
        """Invalidate every issued access token (next call: 401, then a refresh)."""
        self.tokens.clear()

    def human_edit(self, spreadsheet_id: str, a1: str, value: Any) -> None:
        """A person types into a cell (bypasses the API log; bumps modifiedTime)."""
        with self._lock:
            book = self.books[spreadsheet_id]
            box = book.resolve(a1)
            book.write(box, [[value]], user_entered=True)
            self._touch(spreadsheet_id)

    def type(self, spreadsheet_id: str, a1: str, rows: list[list[Any]]) -> None:
        """A person types a block of cells in the browser (USER_ENTERED in the spreadsheet's locale;
        bypasses the API log; bumps modifiedTime).  Typing past the grid fails as in the browser."""
        with self._lock:
            book = self.books[spreadsheet_id]
            book.write(book.resolve(a1), rows, user_entered=True)
            self._touch(spreadsheet_id)

    def add_rows(self, spreadsheet_id: str, title: str, rows: int) -> None:
        """A person adds ``rows`` empty rows at the bottom of a tab ("Add N more rows at the bottom" in
        the browser; bypasses the API log; bumps modifiedTime).  Refused past the 10 million cells of a
        spreadsheet, as the browser refuses it (:func:`.sheets_batch.over_limit_error`)."""
        with self._lock:
            book = self.books[spreadsheet_id]
            sheet = book.by_title(title)
            assert sheet is not None, f"no tab {title!r}"
            sheet.rows += rows
            too_big = over_limit_error(book)
            if too_big is not None:
                sheet.rows -= rows
                raise too_big
            self._touch(spreadsheet_id)

    def delete_tab(self, spreadsheet_id: str, title: str) -> None:
        """A person deletes a tab in the browser (bypasses the API log; bumps modifiedTime)."""
        with self._lock:
            book = self.books[spreadsheet_id]
            book.sheets = [s for s in book.sheets if s.title != title]
            book.reindex()
            self._touch(spreadsheet_id)

    def browser_spreadsheet(
        self,
        name: str,
        tabs: tuple[str, ...],
        *,
        parents: list[str] | None = None,
        owner: str = "ppkp@bkpsdm.sukamajukab.go.id",
        locale: str = "id_ID",
        time_zone: str = "Asia/Jakarta",
    ) -> str:
        """A spreadsheet a person made in Sheets and shared with the service as Editor: every tab is
        1000 rows × 26 columns (a new sheet's default grid, as the API's ``GridProperties`` shows) and
        the locale and time zone are the creator's."""
        sid = self.add_spreadsheet(name, parents=parents, owner=owner, tabs=tabs)
        book = self.books[sid]
        book.locale, book.time_zone = locale, time_zone
        return sid

    def trash(self, file_id: str) -> None:
        """A person moves the file to the trash (it stays readable, but ``trashed = false`` hides it)."""
        self.files[file_id].trashed = True
        self._touch(file_id)

    def delete_forever(self, file_id: str) -> None:
        """The file is deleted for good: Drive and Sheets answer 404."""
        del self.files[file_id]
        self.books.pop(file_id, None)

    def unshare(self, file_id: str) -> None:
        """The owner removes the service's access: Drive answers 404 ("File not found") and Sheets 403
        ("The caller does not have permission"), as for any file one cannot see."""
        f = self.files[file_id]
        f.access = "none"
        f.permissions = [p for p in f.permissions if p.get("emailAddress") != self.identity]

    def leave_drive(self, drive_id: str) -> None:
        """The service account is removed from a shared drive: every file in it becomes invisible."""
        for f in self.files.values():
            if f.drive_id == drive_id:
                f.access = "none"

    def storm(
        self, match: str | Callable[[str, str], bool], seconds: float, *, retry_after: float | None = None
    ) -> Fault:
        """429 for every matching call during the next ``seconds`` of fake time (a quota storm: another
        process or script spending the same identity's per-minute quota)."""
        f = Fault(match, 429, times=10**9, retry_after=retry_after, until=self.clock() + timedelta(seconds=seconds))
        self.faults.append(f)
        return f

    def calls(self, prefix: str = "") -> list[Call]:
        return [c for c in self.log if c.method_id.startswith(prefix)]

    def count(self, prefix: str = "") -> int:
        return len(self.calls(prefix))

    # -- transport ---------------------------------------------------------------------------------
    def handle(self, request: requests.PreparedRequest, timeout: Any) -> requests.Response:
        with self._lock:
            if self.latency:
                self.clock.advance(seconds=self.latency)
            url = request.url or ""
            split = urlsplit(url)
            base = f"{split.scheme}://{split.netloc}{split.path}"
            params = parse_qs(split.query, keep_blank_values=True)
            body_bytes = request.body.encode() if isinstance(request.body, str) else (request.body or b"")
            if base == TOKEN_URL:
                status, payload = self._token()
                self.log.append(
                    Call("oauth2.token", request.method or "", base, params, None, status, timeout, self.clock())
                )
                return self._response(request, status, payload)
            api = "sheets" if split.netloc == "sheets.googleapis.com" else "drive"
            doc = discovery("sheets.v4" if api == "sheets" else "drive.v3")
            found = doc.match(request.method or "GET", base)
            method_id = found[0].id if found else "unknown"
            call = Call(method_id, request.method or "", base, params, None, 0, timeout, self.clock())
            self.log.append(call)
            try:
                status, payload = self._serve(api, doc, found, request, params, body_bytes, call)
            except requests.exceptions.Timeout:
                call.status = -1
                raise
            call.status = status
            headers = {}
            for f in self.faults:
                if f.retry_after is not None and status == f.status:
                    headers["Retry-After"] = str(int(f.retry_after))
            return self._response(request, status, payload, headers)

    def _serve(
        self,
        api: str,
        doc: Any,
        found: tuple[Method, dict[str, str]] | None,
        request: requests.PreparedRequest,
        params: dict[str, list[str]],
        body_bytes: bytes,
        call: Call,
    ) -> tuple[int, Any]:
        auth = (request.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        if auth not in self.tokens:
            return 401, sheets_error(
                401,
                "Request had invalid authentication credentials. Expected OAuth 2 access "
                "token, login cookie or other valid authentication credential.",
                "UNAUTHENTICATED",
            )
        if found is None:
            return 404, sheets_error(404, f"Method not found: {request.method} {request.url}", "NOT_FOUND")
        method, path = found
        lost = None
        for f in self.faults:
            if f.hits(method.id, request.url or "", self.clock()):
                f.times -= 1
                if f.after:
                    lost = f
                    break
                if f.timeout:
                    self.clock.advance(
                        seconds=float(call.timeout[1] if isinstance(call.timeout, tuple) else call.timeout or 30)
                    )
                    raise requests.exceptions.ReadTimeout(f"fake read timeout on {method.id}")
                return f.status, fault_body(api, f.status, f.reason, f.retry_after)
        if api == "sheets" and self.quota is not None:
            kind = "read" if method.http == "GET" else "write"
            if not self.quota.admit(kind, self.clock()):
                return 429, fault_body("sheets", 429, "")
        try:
            doc.check_params(method, params)
            body, media = self._body(method, request, body_bytes)
            call.body = body
            doc.check_body(method, body, "data" if method.spec.get("request", {}).get("$ref") == "ValueRange" else "")
        except Violation as v:
            violation = {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [{"field": v.field, "description": v.message}],
            }
            if api == "drive":
                return 400, drive_error(400, v.message, "invalid", location=v.field)
            return 400, sheets_error(400, v.message, "INVALID_ARGUMENT", [violation])
        flat = {k: v[0] for k, v in params.items()}
        handler = getattr(self, "_" + method.id.replace(".", "_"), None)
        if handler is None:
            return 501, sheets_error(501, f"fake Google does not implement {method.id}", "UNIMPLEMENTED")
        try:
            status, payload = handler(path, flat, body, media, params)
        except SheetsError as e:
            return e.code, sheets_error(e.code, e.message, STATUS.get(e.code, "UNKNOWN"))
        if lost is not None:
            raise requests.exceptions.ReadTimeout(f"fake: response of {method.id} lost after it took effect")
        if "fields" in flat and isinstance(payload, dict) and status < 400:
            try:
                payload = apply_fields(payload, parse_fields(flat["fields"]))
            except QueryError:
                return 400, drive_error(
                    400, f"Invalid field selection {flat['fields']}", "invalidParameter", location="fields"
                )
        return status, payload

    def _body(self, method: Method, request: requests.PreparedRequest, raw: bytes) -> tuple[Any, bytes | None]:
        ctype = request.headers.get("Content-Type", "")
        if not raw:
            return None, None
        if ctype.startswith("multipart/related"):
            if not method.upload:
                raise Violation("multipart body sent to a non-upload endpoint")
            msg = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {ctype}\r\n\r\n".encode() + raw)
            parts = list(msg.iter_parts())  # type: ignore[attr-defined]
            if len(parts) != 2:
                raise Violation("multipart upload needs exactly metadata + media")
            meta = json.loads(parts[0].get_payload(decode=True) or b"{}")
            return meta, parts[1].get_payload(decode=True)
        try:
            return json.loads(raw), None
        except ValueError:
            raise Violation(f"Invalid JSON payload received. {raw[:40]!r}") from None

    def _response(
        self, request: requests.PreparedRequest, status: int, payload: Any, headers: dict[str, str] | None = None
    ) -> requests.Response:
        resp = requests.Response()
        resp.status_code = status
        resp.request = request
        resp.url = request.url or ""
        resp.reason = {200: "OK", 204: "No Content"}.get(status, STATUS.get(status, "Error"))
        resp._content = b"" if payload is None else json.dumps(payload).encode()
        resp.headers = CaseInsensitiveDict({"Content-Type": "application/json; charset=UTF-8", **(headers or {})})
        resp.encoding = "utf-8"
        return resp

    def _token(self) -> tuple[int, Json]:
        self.token_requests += 1
        if self.revoked:
            return 400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
        self._n += 1
        token = f"ya29.fake-{self._n}"
        self.tokens.add(token)
        return 200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}

    # -- shared helpers ----------------------------------------------------------------------------
    def _touch(self, file_id: str) -> None:
        f = self.files[file_id]
        f.modified = self.clock()
        f.history.append(f.modified)

    @staticmethod
    def _perm(email: str, role: str, inherited: bool = False) -> Json:
        p: Json = {
            "kind": "drive#permission",
            "id": hashlib.sha1(email.encode()).hexdigest()[:20],
            "type": "user",
            "emailAddress": email,
            "role": role,
        }
        if inherited:
            p["permissionDetails"] = [{"permissionType": "file", "role": role, "inherited": True}]
        return p

    def _visible(self, f: DriveFile, all_drives: bool) -> bool:
        return f.access != "none" and (f.drive_id is None or all_drives)

    def _drive_file(self, fid: str, flat: dict[str, str]) -> DriveFile | None:
        f = self.files.get(fid)
        all_drives = flat.get("supportsAllDrives", "").lower() == "true"
        return f if f is not None and self._visible(f, all_drives) else None

    def _book(self, sid: str, write: bool = False) -> Spreadsheet:
        f = self.files.get(sid)
        if f is None or sid not in self.books:
            raise SheetsError("Requested entity was not found.", 404)
        if f.access == "none" or (write and f.access == "reader"):
            raise SheetsError("The caller does not have permission", 403)
        return self.books[sid]

    # -- Sheets ------------------------------------------------------------------------------------
    def _sheets_spreadsheets_get(
        self, path: dict[str, str], flat: dict[str, str], body: Any, media: Any, params: dict[str, list[str]]
    ) -> tuple[int, Json]:
        """``spreadsheets.get``, with grid data when asked (``includeGridData`` or a ``fields`` mask
        naming ``data``).  With ``ranges``, "Limiting the range returns only the portions of the
        spreadsheet that intersect the requested ranges": only those tabs, in the spreadsheet's
        order, one ``GridData`` per range in request order
        (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/get); a range past
        the grid is refused as in ``values.get``."""
        book = self._book(path["spreadsheetId"])
        wanted = params.get("ranges", [])
        boxes = [book.resolve(r) for r in wanted]
        with_data = flat.get("includeGridData", "").lower() == "true" or "data" in re.split(
            r"[^A-Za-z]+", flat.get("fields", "")
        )
        sheets = []
        for s in book.sheets:
            mine = [b for b in boxes if b.sheet is s]
            if wanted and not mine:
                continue
            d: Json = {"properties": s.properties()}
            if s.protected:
                d["protectedRanges"] = copy.deepcopy(s.protected)
            if s.metadata:
                d["developerMetadata"] = copy.deepcopy(s.metadata)
            if with_data:
                d["data"] = [book.grid_data(b) for b in (mine or [Box(s, 0, 0, None, None)])]
            sheets.append(d)
        theme = {
            "primaryFontFamily": "Arial",
            "themeColors": [{"colorType": t, "color": {"rgbColor": c}} for t, c in THEME_COLORS],
        }
        props = {
            "title": self.files[book.spreadsheet_id].name,
            "locale": book.locale,
            "autoRecalc": "ON_CHANGE",
            "timeZone": book.time_zone,
            "defaultFormat": copy.deepcopy(DEFAULT_FORMAT),
            "spreadsheetTheme": theme,
        }
        return 200, {
            "spreadsheetId": book.spreadsheet_id,
            "properties": props,
            "sheets": sheets,
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{book.spreadsheet_id}/edit",
        }

    def _value_range(self, book: Spreadsheet, a1: str, render: str, date_render: str = "SERIAL_NUMBER") -> Json:
        box = book.resolve(a1)
        out: Json = {"range": box.a1(), "majorDimension": "ROWS"}
        rows = book.read(box, render, date_render)
        if rows:
            out["values"] = rows
        return out

    def _sheets_spreadsheets_values_get(self, path: dict[str, str], flat: dict[str, str], *_: Any) -> tuple[int, Json]:
        book = self._book(path["spreadsheetId"])
        render = flat.get("valueRenderOption", "FORMATTED_VALUE")
        return 200, self._value_range(book, path["range"], render, flat.get("dateTimeRenderOption", "SERIAL_NUMBER"))

    def _sheets_spreadsheets_values_batchGet(
        self, path: dict[str, str], flat: dict[str, str], body: Any, media: Any, params: dict[str, list[str]]
    ) -> tuple[int, Json]:
        book = self._book(path["spreadsheetId"])
        render = flat.get("valueRenderOption", "FORMATTED_VALUE")
        dates = flat.get("dateTimeRenderOption", "SERIAL_NUMBER")
        ranges = [self._value_range(book, r, render, dates) for r in params.get("ranges", [])]
        return 200, {"spreadsheetId": book.spreadsheet_id, "valueRanges": ranges}

    def _write_one(self, book: Spreadsheet, a1: str, values: Any, option: str | None) -> Json:
        if option not in ("RAW", "USER_ENTERED"):
            raise SheetsError("'valueInputOption' is required but not specified")
        box = book.resolve(a1)
        rows, cols, cells = book.write(box, values or [], user_entered=option == "USER_ENTERED")
        start = f"{box.a1().split('!')[0]}!{box.a1().split('!')[1].split(':')[0]}"
        from .sheets_model import col_letters

        end = f"{col_letters(box.c1 + max(cols, 1) - 1)}{box.r1 + max(rows, 1)}"
        return {
            "spreadsheetId": book.spreadsheet_id,
            "updatedRange": f"{start}:{end}",
            "updatedRows": rows,
            "updatedColumns": cols,
            "updatedCells": cells,
        }

    def _sheets_spreadsheets_values_update(
        self, path: dict[str, str], flat: dict[str, str], body: Any, *_: Any
    ) -> tuple[int, Json]:
        book = self._book(path["spreadsheetId"], write=True)
        out = self._write_one(book, path["range"], (body or {}).get("values"), flat.get("valueInputOption"))
        self._touch(book.spreadsheet_id)
        return 200, out

    def _sheets_spreadsheets_values_batchUpdate(
        self, path: dict[str, str], flat: dict[str, str], body: Any, *_: Any
    ) -> tuple[int, Json]:
        book = self._book(path["spreadsheetId"], write=True)
        body = body or {}
        work = copy.deepcopy(book)
        responses = [
            self._write_one(work, d.get("range", ""), d.get("values"), body.get("valueInputOption"))
            for d in body.get("data") or []
        ]
        book.sheets = work.sheets
        self._touch(book.spreadsheet_id)
        return 200, {
            "spreadsheetId": book.spreadsheet_id,
            "totalUpdatedRows": sum(r["updatedRows"] for r in responses),
            "totalUpdatedColumns": max((r["updatedColumns"] for r in responses), default=0),
            "totalUpdatedCells": sum(r["updatedCells"] for r in responses),
            "totalUpdatedSheets": len({r["updatedRange"].split("!")[0] for r in responses}),
            "responses": responses,
        }

    def _sheets_spreadsheets_values_clear(self, path: dict[str, str], *_: Any) -> tuple[int, Json]:
        book = self._book(path["spreadsheetId"], write=True)
        box = book.resolve(path["range"])
        book.clear(box)
        self._touch(book.spreadsheet_id)
        return 200, {"spreadsheetId": book.spreadsheet_id, "clearedRange": box.a1()}

    def _sheets_spreadsheets_values_batchClear(
        self, path: dict[str, str], flat: dict[str, str], body: Any, *_: Any
    ) -> tuple[int, Json]:
        book = self._book(path["spreadsheetId"], write=True)
        boxes = [book.resolve(r) for r in (body or {}).get("ranges") or []]
        for box in boxes:
            book.clear(box)
        self._touch(book.spreadsheet_id)
        return 200, {"spreadsheetId": book.spreadsheet_id, "clearedRanges": [b.a1() for b in boxes]}

    def _sheets_spreadsheets_batchUpdate(
        self, path: dict[str, str], flat: dict[str, str], body: Any, *_: Any
    ) -> tuple[int, Json]:
        book = self._book(path["spreadsheetId"], write=True)
        requests_ = (body or {}).get("requests") or []
        replies, title = apply_batch(book, requests_, self.identity, self.rng)
        if title:
            self.files[book.spreadsheet_id].name = title
        self._touch(book.spreadsheet_id)
        return 200, {"spreadsheetId": book.spreadsheet_id, "replies": replies}

    # -- Drive -------------------------------------------------------------------------------------
    def _not_found(self, fid: str) -> tuple[int, Json]:
        return 404, drive_error(404, f"File not found: {fid}.", "notFound", location="fileId")

    def _file_out(self, f: DriveFile, flat: dict[str, str]) -> Json:
        d = f.as_json(timedelta(0), self.clock()) or {}
        if "fields" not in flat:
            return {k: d[k] for k in ("kind", "id", "name", "mimeType") if k in d}
        return d

    def _place(self, parents: list[str], flat: dict[str, str]) -> tuple[str | None, tuple[int, Json] | None]:
        """Where a new file goes; an error when Drive would refuse (missing folder, no storage)."""
        drive_id = None
        for p in parents:
            folder = self._drive_file(p, flat)
            if folder is None or folder.mime_type != FOLDER_MIME:
                return None, self._not_found(p)
            if folder.access in ("reader", "none"):
                return None, (
                    403,
                    drive_error(
                        403,
                        "The user does not have sufficient permissions for this file.",
                        "insufficientFilePermissions",
                    ),
                )
            drive_id = folder.drive_id
        if drive_id is None and self.identity_kind == "service_account":
            return None, (403, drive_error(403, STORAGE_MSG, "storageQuotaExceeded", "usageLimits"))
        return drive_id, None

    def _new_file(
        self, meta: Json, flat: dict[str, str], content: bytes | None = None, source: DriveFile | None = None
    ) -> tuple[int, Json]:
        parents = list(meta.get("parents") or (source.parents if source else []))
        drive_id, error = self._place(parents, flat)
        if error:
            return error
        now = self.clock()
        mime = meta.get("mimeType") or (source.mime_type if source else "application/octet-stream")
        name = meta.get("name") or (f"Copy of {source.name}" if source else "Untitled")
        fid = self.new_id()
        if meta.get("id"):
            # Pre-generated ids: a retry of a create that already landed answers 409 instead of making a
            # duplicate, but "pre-generated IDs aren't supported for Google Workspace file creation",
            # except folders and drive-sdk shortcuts
            # (https://developers.google.com/workspace/drive/api/guides/create-file#generate-ids).
            fid = str(meta["id"])
            if fid in self.files:
                return 409, drive_error(409, "A file already exists with the provided ID.", "fileIdInUse")
            if fid not in self.generated_ids:
                return 400, drive_error(400, "The provided file ID is not usable.", "fileIdNotUsable", location="id")
            if mime.startswith("application/vnd.google-apps.") and mime not in (FOLDER_MIME, DRIVE_SDK_MIME):
                return 400, drive_error(
                    400, "Generated IDs are not supported for Google Workspace file creation.", "invalid", location="id"
                )
            self.generated_ids.discard(fid)
        f = DriveFile(
            fid,
            name,
            mime,
            parents,
            now,
            now,
            drive_id=drive_id,
            access="owner" if drive_id is None else "writer",
            app_properties=dict(meta.get("appProperties") or {}),
            content=content,
        )
        f.permissions = (
            [self._perm(self.identity, "owner")]
            if drive_id is None
            else [self._perm(self.identity, "organizer", inherited=True)]
        )
        self.files[fid] = f
        if mime == SHEET_MIME:
            self.books[fid] = (
                (source and self.books[source.id].clone(fid)) or Spreadsheet(fid, sheets=[Sheet(0, "Sheet1", 0)])
            )
        return 200, self._file_out(f, flat)

    def _drive_files_create(
        self, path: dict[str, str], flat: dict[str, str], body: Any, media: Any, *_: Any
    ) -> tuple[int, Json]:
        return self._new_file(body or {}, flat, content=media)

    def _drive_files_copy(self, path: dict[str, str], flat: dict[str, str], body: Any, *_: Any) -> tuple[int, Json]:
        src = self._drive_file(path["fileId"], flat)
        if src is None:
            return self._not_found(path["fileId"])
        return self._new_file(body or {}, flat, content=src.content, source=src)

    def _drive_files_get(self, path: dict[str, str], flat: dict[str, str], *_: Any) -> tuple[int, Json]:
        f = self._drive_file(path["fileId"], flat)
        if f is None:
            return self._not_found(path["fileId"])
        return 200, self._file_out(f, flat)

    def _drive_files_list(self, path: dict[str, str], flat: dict[str, str], *_: Any) -> tuple[int, Json]:
        try:
            pred = compile_query(flat.get("q", "trashed = false"))
        except QueryError:
            return 400, drive_error(400, "Invalid Value", "invalid", location="q")
        all_drives = flat.get("includeItemsFromAllDrives", "").lower() == "true"
        if all_drives and flat.get("supportsAllDrives", "").lower() != "true":
            return 403, drive_error(
                403,
                "The includeItemsFromAllDrives parameter can only be set to true when "
                "supportsAllDrives is also set to true.",
                "teamDrivesParameterNotSupported",
            )
        now = self.clock()
        hits = []
        for f in sorted(self.files.values(), key=lambda x: (x.created, x.id)):
            view = f.as_json(self.index_lag, now)
            if view is not None and self._visible(f, all_drives) and pred(view):
                hits.append(view)
        size = min(int(flat.get("pageSize", 100)), 1000, self.page_cap)
        start = int(flat.get("pageToken") or 0)
        page = hits[start : start + size]
        out: Json = {"kind": "drive#fileList", "incompleteSearch": False}
        if start + size < len(hits):
            out["nextPageToken"] = str(start + size)
        if "fields" not in flat:
            page = [{k: v[k] for k in ("kind", "id", "name", "mimeType")} for v in page]
        out["files"] = page
        return 200, out

    def _drive_files_update(
        self, path: dict[str, str], flat: dict[str, str], body: Any, media: Any, *_: Any
    ) -> tuple[int, Json]:
        f = self._drive_file(path["fileId"], flat)
        if f is None:
            return self._not_found(path["fileId"])
        meta = body or {}
        if "name" in meta:
            f.name = meta["name"]
        if "trashed" in meta:
            f.trashed = bool(meta["trashed"])
        for k, v in (meta.get("appProperties") or {}).items():
            if v is None:
                f.app_properties.pop(k, None)
            else:
                f.app_properties[k] = v
        for p in (flat.get("addParents") or "").split(","):
            if p and p not in f.parents:
                f.parents.append(p)
        for p in (flat.get("removeParents") or "").split(","):
            if p in f.parents:
                f.parents.remove(p)
        if media is not None:
            f.content = media
        self._touch(f.id)
        return 200, self._file_out(f, flat)

    def _drive_files_delete(self, path: dict[str, str], flat: dict[str, str], *_: Any) -> tuple[int, Json | None]:
        f = self._drive_file(path["fileId"], flat)
        if f is None:
            return self._not_found(path["fileId"])
        del self.files[f.id]
        self.books.pop(f.id, None)
        return 204, None

    def _drive_files_generateIds(self, path: dict[str, str], flat: dict[str, str], *_: Any) -> tuple[int, Json]:
        """``files.generateIds`` (count 1–1000, default 10)."""
        count = int(flat.get("count", 10))
        if not 1 <= count <= 1000:
            return 400, drive_error(400, "Invalid value for count.", "invalid", location="count")
        ids = [self.new_id(33) for _ in range(count)]
        self.generated_ids.update(ids)
        return 200, {"kind": "drive#generatedIds", "space": flat.get("space", "drive"), "ids": ids}

    def _drive_about_get(self, path: dict[str, str], flat: dict[str, str], *_: Any) -> tuple[int, Json]:
        if "fields" not in flat:
            return 400, drive_error(
                400, "The 'fields' parameter is required for this method.", "required", location="fields"
            )
        return 200, {
            "kind": "drive#about",
            "user": {"kind": "drive#user", "displayName": "sheets-sync", "emailAddress": self.identity, "me": True},
        }

    def _drive_comments_list(self, path: dict[str, str], flat: dict[str, str], *_: Any) -> tuple[int, Json]:
        if "fields" not in flat:
            return 400, drive_error(
                400, "The 'fields' parameter is required for this method.", "required", location="fields"
            )
        return 200, {"comments": list(self.comments.get(path["fileId"], []))}

    def _drive_permissions_list(self, path: dict[str, str], flat: dict[str, str], *_: Any) -> tuple[int, Json]:
        f = self._drive_file(path["fileId"], flat)
        if f is None:
            return self._not_found(path["fileId"])
        return 200, {"kind": "drive#permissionList", "permissions": copy.deepcopy(f.permissions)}

    def _drive_permissions_create(
        self, path: dict[str, str], flat: dict[str, str], body: Any, *_: Any
    ) -> tuple[int, Json]:
        f = self._drive_file(path["fileId"], flat)
        if f is None:
            return self._not_found(path["fileId"])
        if f.access not in ("owner", "writer"):
            return 403, drive_error(
                403, "The user does not have sufficient permissions for this file.", "insufficientFilePermissions"
            )
        body = body or {}
        email = str(body.get("emailAddress", "")).lower()
        if body.get("type") in ("user", "group") and not email:
            return 400, drive_error(400, "The permission type field is required.", "required")
        notify = flat.get("sendNotificationEmail", "true").lower() != "false"
        if email in self.without_google_account and not notify:
            # "you must check the 'Notify people' box to invite this recipient" — Drive refuses a quiet
            # share with an address that has no Google account (reason invalidSharingRequest,
            # https://developers.google.com/workspace/drive/api/guides/handle-errors#invalid-sharing).
            msg = (
                f'Bad Request. User message: "You are trying to invite {email}. Since there is no Google '
                "account associated with this email address, you must check the 'Notify people' box to "
                'invite this recipient."'
            )
            return 400, drive_error(400, msg, "invalidSharingRequest")
        if notify and email:
            self.notifications.append(email)
            self.notification_messages.append((email, str(flat.get("emailMessage", ""))))
        perm = self._perm(email, str(body.get("role")))
        f.permissions = [p for p in f.permissions if p.get("emailAddress") != email] + [perm]
        return 200, {k: perm[k] for k in ("kind", "id", "type", "role")}

    def _drive_permissions_update(
        self, path: dict[str, str], flat: dict[str, str], body: Any, *_: Any
    ) -> tuple[int, Json]:
        f = self._drive_file(path["fileId"], flat)
        if f is None:
            return self._not_found(path["fileId"])
        for p in f.permissions:
            if p["id"] == path["permissionId"]:
                p["role"] = (body or {}).get("role", p["role"])
                return 200, {k: p[k] for k in ("kind", "id", "type", "role")}
        return 404, drive_error(
            404, f"Permission not found: {path['permissionId']}.", "notFound", location="permissionId"
        )

    def _drive_permissions_delete(self, path: dict[str, str], flat: dict[str, str], *_: Any) -> tuple[int, Json | None]:
        f = self._drive_file(path["fileId"], flat)
        if f is None:
            return self._not_found(path["fileId"])
        before = len(f.permissions)
        f.permissions = [p for p in f.permissions if p["id"] != path["permissionId"]]
        if len(f.permissions) == before:
            return 404, drive_error(
                404, f"Permission not found: {path['permissionId']}.", "notFound", location="permissionId"
            )
        return 204, None


class FakeCredentials(Credentials):  # type: ignore[misc]
    """google-auth credentials whose refresh asks the fake token endpoint (no key needed)."""

    def __init__(self, email: str) -> None:
        super().__init__()
        self.service_account_email = email

    def refresh(self, request: Any) -> None:
        body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=fake.jwt"
        resp = request(
            url=TOKEN_URL,
            method="POST",
            body=body.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        data = json.loads(resp.data or b"{}")
        if resp.status != 200:
            raise RefreshError(f"{data.get('error')}: {data.get('error_description')}", data)
        self.token = data["access_token"]
        self.expiry = None
