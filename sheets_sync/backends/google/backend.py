"""Google Sheets v4 + Drive v3 backend (gspread 6 + google-auth).

API economy (asserted as exact call counts in ``tests/google/test_budget.py``; see
``docs/benchmarks.md``):

* **poll** = one Drive ``files.list`` per cycle (paginated by 1000) that shows every changed form
  *and* the control spreadsheet with its ``modifiedTime`` (:mod:`.poll`); an idle cycle costs that
  one call for any number of forms.  Each changed form costs one ``spreadsheets.get`` that returns
  every cell's value *and* number format (so ``89,5%`` is read as 89,5 and a typed date as that
  date, :mod:`sheets_sync.core.cells`) — never ``open_by_key``, never a metadata fetch per form;
* **provision** of a new form = ``files.create`` + one ``batchUpdate`` for all of its setup + one
  ``permissions.create`` per editor (the form's state is known from the create: nothing is listed
  or read back); the run as a whole lists the forms folder once;
* **write** = one ``values:batchUpdate`` with ``valueInputOption=RAW``; a write that needs more rows
  or a missing tab makes room and writes in one ``batchUpdate``.

Reads never ask past a tab's grid (Sheets answers a bounded range longer than the tab with 400
"exceeds grid limits"): bounded row ranges are sent open-ended and trimmed here, and a tab whose
name reads as a cell (``TW1``) is never asked for by its name alone.

Every call goes through the shared :class:`~.transport.GoogleTransport` (rate limit, timeout,
bounded retry that outlasts a quota minute, error translation).
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import threading
from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import gspread

from sheets_sync.backends.google import drive
from sheets_sync.backends.google.poll import CONTROL_TAG, FIELDS, TAG, ChangeTracker, has_tag
from sheets_sync.backends.google.requests import (
    CELL_LIMIT,
    MARKER_KEY,
    READ_FIELDS,
    SHEET_MIME,
    SheetInfo,
    api_range,
    cell_use,
    grid_values,
    grow_requests,
    guide_requests,
    match_grid_data,
    number_format_request,
    q_literal,
    read_range,
    setup_requests,
    sheet_link,
    to_cell_json,
    update_cells,
)
from sheets_sync.backends.google.transport import DRIVE, GoogleTransport
from sheets_sync.config.google import GoogleSettings
from sheets_sync.core.a1 import parse_range
from sheets_sync.core.fmt import angka
from sheets_sync.core.values import CellUse, Change, FormRef, NumberFormat, RangeWrite, TabGuide, TabSetup, Values
from sheets_sync.errors import BackendError, FormNotFound, TransientError
from sheets_sync.texts import Text

log = logging.getLogger(__name__)
SETUP_FIELDS = (
    "sheets(properties(sheetId,title,index,gridProperties),protectedRanges(protectedRangeId,description),"
    "developerMetadata(metadataId,metadataKey,metadataValue))"
)
NEW_SPREADSHEET = [SheetInfo(0, "Sheet1", 0)]
"""What a spreadsheet made by ``files.create`` holds: one 1000 × 26 tab "Sheet1" with sheetId 0."""
INDEX_MINUTES = 10
CONFIRM_POLL_SECONDS = 15.0


class GoogleBackend:
    """:class:`~sheets_sync.backends.base.Backend` on Google Sheets + Drive.  No I/O in ``__init__``.

    ``client``: an already-built ``gspread.Client`` (tests mount the in-process fake on it);
    otherwise one is built on first use from ``settings``.  ``clock`` and ``sleep`` drive the rate
    limiter and retry backoff (tests inject simulated time).
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
        self.transport = GoogleTransport(settings, client=client, clock=clock, sleep=sleep, rng=rng)
        self.tracker = ChangeTracker(
            settings.folder_id, overlap_minutes=settings.overlap_minutes, full_sweep_every=settings.full_sweep_every
        )
        self._lock = threading.Lock()
        self._sheets: dict[str, list[SheetInfo]] = {}  # tab metadata known without a call
        self._sheets_seen: dict[str, str | None] = {}  # the listed modifiedTime when it was read
        self._fresh: set[str] = set()  # created by this backend: no user permissions yet
        self._index: tuple[datetime, dict[str, dict[str, Any]]] | None = None
        self._lost: dict[str, BackendError] = {}
        self.last_formulas: dict[str, dict[str, str]] = {}  # range → A1 → formula, of the last read
        self._cells: dict[str, dict[str, int]] = {}  # spreadsheet → tab → rows × columns, as last seen

    # -- plumbing shared with tests and benchmarks --------------------------------------------------
    @property
    def client(self) -> gspread.Client:
        return self.transport.client

    @property
    def calls(self) -> Any:
        return self.transport.calls

    @property
    def retries(self) -> int:
        return self.transport.retries

    def identity(self) -> str:
        """E-mail of the identity the backend acts as (Drive ``about``, cached)."""
        return self.transport.identity()

    def _ref(self, file: dict[str, Any]) -> FormRef:
        self.transport.titles[file["id"]] = file.get("name", "")
        return FormRef(file["id"], file.get("name", ""), sheet_link(file["id"]))

    def _key(self, title: str) -> str:
        return hashlib.sha256(f"{self.settings.folder_id}\0{title}".encode()).hexdigest()[:32]

    # -- forms -----------------------------------------------------------------------------------
    def _forms_index(self) -> dict[str, dict[str, Any]]:
        """Every spreadsheet of the forms folder (and every tagged one) by title and by creation key —
        one ``files.list`` for a whole provision run, kept for ``INDEX_MINUTES``."""
        now = self.transport.clock()
        with self._lock:
            if self._index is not None and now - self._index[0] < timedelta(minutes=INDEX_MINUTES):
                return self._index[1]
        folder = q_literal(self.settings.folder_id)
        q = f"mimeType = {q_literal(SHEET_MIME)} and trashed = false and ({has_tag(TAG, self.settings.folder_id)} " \
            f"or {folder} in parents)"
        files = self.transport.list_files(q, "files(id,name,createdTime,appProperties)", Text("mencari formulir"))
        index: dict[str, dict[str, Any]] = {}
        for f in sorted(files, key=lambda f: f.get("createdTime", ""), reverse=True):
            index[f"name:{f.get('name', '')}"] = f
            key = (f.get("appProperties") or {}).get("sheetsSyncKey")
            if key:
                index[f"key:{key}"] = f
        with self._lock:
            self._index = (now, index)
        return index

    def find_form(self, title: str) -> FormRef | None:
        """The oldest non-trashed spreadsheet named exactly ``title`` in the forms folder."""
        index = self._forms_index()
        found = index.get(f"key:{self._key(title)}") or index.get(f"name:{title}")
        return None if found is None else self._ref(found)

    def create_form(self, title: str) -> FormRef:
        """Create (or copy ``template_spreadsheet`` into) the forms folder — exactly once.

        The new file carries ``sheetsSync`` (found by every poll listing wherever it is moved) and a
        creation key derived from the title.  Drive has no idempotent create for native spreadsheets
        (pre-generated ids "aren't supported for Google Workspace file creation",
        https://developers.google.com/workspace/drive/api/guides/create-file#generate-ids), so when an
        answer is lost the key is looked up — and, because ``files.list`` may lag by minutes, looked
        up again until ``overlap_minutes`` have passed — before a second create is ever sent.
        """
        existing = self.find_form(title)
        if existing is not None:
            return existing
        key = self._key(title)
        body: dict[str, Any] = {
            "name": title,
            "mimeType": SHEET_MIME,
            "parents": [self.settings.folder_id],
            "appProperties": {TAG: self.settings.folder_id, "sheetsSyncKey": key},
        }
        params: dict[str, Any] = {"supportsAllDrives": "true", "fields": "id,name"}
        template = self.settings.template_spreadsheet
        url = f"{DRIVE}/files/{template}/copy" if template else f"{DRIVE}/files"
        t = self.transport

        def landed(cause: BaseException) -> dict[str, Any] | None:
            """After a lost answer: did the create land?  Asked until the listing lag has passed."""
            if "429" in str(cause):
                return None  # refused before it ran: nothing can have landed
            deadline = t.clock() + timedelta(minutes=max(self.settings.overlap_minutes, 1))
            q = f"{has_tag('sheetsSyncKey', key)} and trashed = false"
            while True:
                files = t.list_files(q, "files(id,name)", Text("memeriksa pembuatan formulir '{title}'", title=title))
                if files:
                    return files[0]
                if t.clock() >= deadline:
                    return None
                t.sleep(CONFIRM_POLL_SECONDS)

        created = t.drive("post", url, Text("membuat formulir '{title}'", title=title), params=params, json=body,
                          before_retry=landed)
        ref = self._ref(created)
        with self._lock:
            if not template:
                self._sheets[ref.id] = list(NEW_SPREADSHEET)
                self._fresh.add(ref.id)
            if self._index is not None:
                self._index[1][f"name:{title}"] = created
                self._index[1][f"key:{key}"] = created
        self.tracker.tagged.add(ref.id)
        return ref

    def open_form(self, ref: str) -> FormRef:
        """Resolve an id or link of an existing spreadsheet (adoption of a sheet made by people); tag
        it once so every later poll listing shows it (no metadata call per poll)."""
        meta = drive.file_metadata(self.transport, ref)
        fid = meta["id"]
        if self.settings.folder_id not in meta.get("parents", []):
            self.tracker.adopted.add(fid)
        if (meta.get("appProperties") or {}).get(TAG) != self.settings.folder_id:
            try:
                drive.tag(self.transport, fid, {TAG: self.settings.folder_id})
                self.tracker.tagged.add(fid)
            except BackendError as exc:  # a viewer-only adoption cannot be tagged; it is still read
                log.warning("could not tag adopted form %s: %s", fid, exc)
        return self._ref(meta)

    def share(self, form_id: str, emails: Sequence[str], role: Literal["writer", "reader"] = "writer") -> None:
        """Give exactly ``emails`` access with ``role`` (see :func:`.drive.sync_permissions`): without
        Google's notification, except for addresses Drive only accepts with it (invited with it, or
        skipped and named in the error: ``[google] share_non_google``)."""
        keep = {self.identity(), self.settings.coordinator_email.lower()} - {""}
        with self._lock:
            fresh = form_id in self._fresh
        drive.sync_permissions(
            self.transport, form_id, emails, role, keep=keep, fresh=fresh, keep_others=form_id in self.tracker.adopted,
            non_google=self.settings.share_non_google,
        )
        with self._lock:
            self._fresh.discard(form_id)

    def list_tabs(self, form_id: str) -> list[str]:
        """Tab titles in order (one metadata read, kept for the :meth:`setup` that follows)."""
        return [s.title for s in self._tab_info(form_id)]

    def _tab_info(self, form_id: str, *, refresh: bool = False) -> list[SheetInfo]:
        """The tabs of ``form_id``: kept from the last metadata read while the latest Drive listing shows
        the same ``modifiedTime`` as then — a person adding, renaming or growing a tab changes it, and the
        running service then reads the tabs again instead of serving the old list."""
        listed = self.tracker.modified.get(form_id)
        with self._lock:
            known = None if refresh or self._sheets_seen.get(form_id) != listed else self._sheets.get(form_id)
        if known is not None:
            return known
        meta = self.transport.call(
            "read",
            Text("membaca tab '{title}'", title=self.transport.title(form_id)),
            lambda h: h.spreadsheets_get(form_id, params={"fields": SETUP_FIELDS}),
            form_id=form_id,
        )
        sheets = sorted((SheetInfo.from_api(s) for s in meta.get("sheets", [])), key=lambda s: s.index)
        with self._lock:
            self._sheets[form_id] = sheets
            self._sheets_seen[form_id] = listed
            self._cells[form_id] = {s.title: s.rows * s.cols for s in sheets}
        return sheets

    def setup(self, form_id: str, tab: TabSetup) -> None:
        """Everything for ``tab`` in **one** ``batchUpdate`` (idempotent), from the tab metadata
        already known (a new form, or the :meth:`list_tabs` just before) or one metadata read.

        If the answer of a batch that added the tab was lost, its retry meets "already exists": the
        first batch landed whole (a batchUpdate is atomic), and the setup is applied once more as an
        update of the existing tab."""
        editors = [e for e in (self.identity(), self.settings.coordinator_email) if e]
        what = Text("menyiapkan tab '{tab}' di '{title}'", tab=tab.tab, title=self.transport.title(form_id))
        for attempt in range(2):
            sheets = self._tab_info(form_id, refresh=attempt > 0)
            body = {
                "requests": setup_requests(
                    tab, sheets=sheets, editors=editors, locale="id_ID", time_zone=self.office_timezone
                )
            }
            try:
                self._batch(form_id, what, body)
                break
            except BackendError as exc:
                if attempt or "already exists" not in exc.message:
                    raise
        with self._lock:  # protections and metadata changed: read them again when next needed
            self._sheets.pop(form_id, None)

    def guide(self, form_id: str, guides: Sequence[TabGuide]) -> None:
        """Every guide in **one** ``batchUpdate`` (:func:`guide_requests`), from the tab metadata."""
        sheets = self._tab_info(form_id, refresh=True)
        requests = guide_requests(guides, sheets=sheets)
        if requests:
            self._batch(form_id, Text("memandu tab di '{title}'", title=self.transport.title(form_id)),
                        {"requests": requests})
        with self._lock:
            self._sheets.pop(form_id, None)

    def _batch(self, form_id: str, what: Text, body: dict[str, Any]) -> None:
        self.transport.call("write", what, lambda h: h.batch_update(form_id, body), form_id=form_id)

    def read_marker(self, form_id: str, tab: str) -> dict[str, str]:
        """The marker of ``tab`` from the sheet's developer metadata (one metadata read)."""
        for sheet in self._tab_info(form_id, refresh=True):
            if sheet.title == tab:
                raw = sheet.meta(MARKER_KEY)
                return {str(k): str(v) for k, v in json.loads(raw).items()} if raw else {}
        raise FormNotFound(
            f"tab {tab!r} tidak ada di formulir {self.transport.title(form_id)!r}",
            fix=f"kembalikan nama tab menjadi {tab!r} atau jalankan provision lagi",
        )

    # -- polling -----------------------------------------------------------------------------------
    def changed_since(self, since: datetime | None) -> list[Change]:
        """Forms (and the control spreadsheet) modified at or after ``since``: one Drive
        ``files.list`` (plus pages), with the overlap, de-duplication and periodic full sweep of
        :class:`.poll.ChangeTracker`.  A control spreadsheet a full sweep does not show is tagged
        once, so the next listings show it."""
        query, full = self.tracker.query(since)
        files = self.transport.list_files(query, FIELDS, Text("memeriksa perubahan"))
        changes = self.tracker.changes(files, since, full=full, pages=self.transport.last_pages)
        control = self.settings.control_spreadsheet
        if full and control and control not in self.tracker.modified:
            try:
                modified = drive.tag(self.transport, control, {CONTROL_TAG: self.settings.folder_id})
                if modified:  # known from the tag's answer: the fingerprint is there this cycle already
                    self.tracker.modified[control] = modified
            except BackendError as exc:
                log.warning("could not tag the control spreadsheet: %s", exc)
        if full:
            with self._lock:
                self._lost = {}
        return changes

    def fingerprint(self, spreadsheet_id: str) -> str | None:
        """The ``modifiedTime`` of ``spreadsheet_id`` in the latest listing (no call); None when it was
        never listed.  The control spreadsheet is listed every cycle, so its fingerprint is current."""
        return self.tracker.modified.get(spreadsheet_id)

    def missing(self, form_ids: Collection[str]) -> dict[str, BackendError]:
        """Of ``form_ids``, the forms that are gone, each with why and the fix: trashed, deleted for good,
        or no longer accessible (unshared, shared drive lost).  Only forms the latest full sweep did not
        list are examined (one or two calls each, once per sweep); {} before the first sweep."""
        out: dict[str, BackendError] = {}
        for fid in sorted(self.tracker.unlisted(form_ids)):
            with self._lock:
                known = self._lost.get(fid)
            if known is None:
                try:
                    found = drive.classify_lost(self.transport, fid, self.identity())
                    if found is None:  # there after all, but untagged (adopted earlier): tag it once
                        drive.tag(self.transport, fid, {TAG: self.settings.folder_id})
                        self.tracker.seen(fid)
                        continue
                except TransientError:
                    continue
                known = found
                with self._lock:
                    self._lost[fid] = known
            out[fid] = known
        return out

    def cell_use(self, form_id: str) -> CellUse | None:
        """The grid size of ``form_id`` against Google's 10 million cells (no call): every tab's rows ×
        columns from the last metadata read, updated by each read (its answer carries the grid of every
        tab it touches) and each write that grew a tab.  A tab never read nor listed is not counted, so
        the figure is a lower bound until the next metadata read; None before anything is known."""
        with self._lock:
            known = self._cells.get(form_id)
            return cell_use(known) if known else None

    def report_sheet(self, control_id: str) -> str:
        """A values update touches only its ranges, so Rekap and Dokumen stay in the control spreadsheet."""
        return control_id

    def read(self, form_id: str, ranges: Sequence[str]) -> dict[str, Values]:
        """All ``ranges`` in one ``spreadsheets.get``: each cell as typed (value + number format); a
        formula gives its computed value, and the formula cells of the last read are in
        :attr:`last_formulas` (range → A1 → formula), as on the local backend."""
        if not ranges:
            return {}
        parsed = [parse_range(r) for r in ranges]
        with self._lock:
            widths = {s.title: s.cols for s in self._sheets.get(form_id, [])}
        params: dict[str, Any] = {"ranges": [read_range(r, widths.get(r.tab)) for r in parsed], "fields": READ_FIELDS}
        got = self.transport.call(
            "read",
            Text("membaca '{title}'", title=self.transport.title(form_id)),
            lambda h: h.spreadsheets_get(form_id, params=params),
            form_id=form_id,
        )
        sheets = got.get("sheets", [])
        seen = {s.title: s.rows * s.cols for s in (SheetInfo.from_api(sheet) for sheet in sheets)}
        with self._lock:
            self._cells.setdefault(form_id, {}).update(seen)
        out: dict[str, Values] = {}
        self.last_formulas = {}
        for text, rng, data in zip(ranges, parsed, match_grid_data(sheets, parsed), strict=True):
            grid = grid_values(data, rng)
            out[text] = grid.values
            if grid.formulas:
                self.last_formulas[text] = grid.formulas
        return out

    def write(self, form_id: str, writes: Sequence[RangeWrite], formats: Sequence[NumberFormat] = ()) -> None:
        """One ``values:batchUpdate`` with ``valueInputOption=RAW``.  When a tab is missing or too small
        (Sheets never grows a grid on a values write), one ``batchUpdate`` adds the tab or the rows
        and writes the same cells RAW — and sets ``formats`` on the tabs it writes.  The values API
        cannot set a format, and a second call on every write would double a poll's writes: a tab that
        was there got its formats from ``init``/``provision`` (:meth:`guide`); one a person deleted, or
        never made in a control spreadsheet made by hand, gets them here, in the call that makes it."""
        if not writes:
            return
        what = Text("menulis ke '{title}'", title=self.transport.title(form_id))
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
        try:
            self.transport.call("write", what, lambda h: h.values_batch_update(form_id, body), form_id=form_id)
            return
        except BackendError as exc:
            if not isinstance(exc, FormNotFound) and "exceeds grid limits" not in exc.message:
                raise
        with self._lock:
            known = self._sheets.get(form_id)
        # Metadata already known explains the failure when it shows a tab missing or too small.
        explains = known is not None and bool(grow_requests(known, writes).requests)
        sheets = known if explains and known is not None else self._tab_info(form_id, refresh=True)
        self._write_batch(form_id, what, writes, formats, sheets)

    def _write_batch(self, form_id: str, what: Text, writes: Sequence[RangeWrite], formats: Sequence[NumberFormat],
                     sheets: Sequence[SheetInfo]) -> None:
        """``writes`` (RAW, ``None`` clears) and ``formats`` as one ``batchUpdate`` that first makes room."""
        growth = grow_requests(sheets, writes)
        use = cell_use(growth.cells)
        if growth.requests and use.cells > CELL_LIMIT:
            raise BackendError(
                Text("menulis ke {title} akan membuatnya berisi {cells} sel, melebihi batas Google Sheets {limit} sel "
                     "per spreadsheet (tab terbesar: {tab}, {tab_cells} sel); tidak ada yang ditulis",
                     title=self.transport.title(form_id), cells=angka(use.cells, 0), limit=angka(CELL_LIMIT, 0),
                     tab=use.largest, tab_cells=angka(use.largest_cells, 0)),
                fix=Text("hapus baris dan kolom kosong yang tidak dipakai di tab terbesar, atau pindahkan tab lama "
                         "(mis. tahun lalu) ke spreadsheet lain, lalu jalankan lagi"),
            )
        reqs, ids = growth.requests, growth.sheet_ids
        for w in writes:
            clearing = RangeWrite(w.range, [["" if v is None else v for v in row] for row in w.values])
            reqs.extend(update_cells(ids[parse_range(w.range).tab], clearing))
        reqs.extend(number_format_request(ids[parse_range(nf.range).tab], nf) for nf in formats
                    if parse_range(nf.range).tab in ids)
        self.transport.call("write", what, lambda h: h.batch_update(form_id, {"requests": reqs}), form_id=form_id)
        with self._lock:
            self._sheets.pop(form_id, None)
            self._cells[form_id] = growth.cells

    def clear(self, form_id: str, range_: str) -> None:
        rng = parse_range(range_)
        self.transport.call(
            "write",
            Text("mengosongkan {range} di '{title}'", range=range_, title=self.transport.title(form_id)),
            lambda h: h.values_clear(form_id, read_range(rng)),
            form_id=form_id,
        )

    # -- documents ---------------------------------------------------------------------------------
    def publish(self, path: Path, name: str, *, replaces: str | None = None) -> str:
        """Upload ``path`` as-is (multipart, no conversion) to the documents folder; returns its link.

        The file keeps a stable ``name``.  If ``replaces`` (an earlier link) or a file with that name
        exists, its content is updated in place — and not at all when the SHA-256/MD5 is unchanged.
        A new file is created exactly once, even when the answer is lost (:mod:`.drive`)."""
        return drive.publish_document(self.transport, self.settings.documents_folder, path, name, replaces=replaces)


__all__ = ["GoogleBackend"]
