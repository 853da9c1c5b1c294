"""Change detection for the Google backend's poll path (pure; no I/O, no gspread).

:class:`ChangeTracker` builds the one Drive ``files.list`` query of a cycle and reads its answer:

* every form sheets-sync made or adopted carries the app property ``sheetsSync=<forms folder id>``
  (set at creation, or once at adoption), and the control spreadsheet ``sheetsSyncControl=<forms
  folder id>`` — so one query finds them wherever they live (forms folder, another folder, "Shared
  with me"); untagged files in the forms folder are included too;
* the query reaches back ``overlap_minutes`` before the watermark because Drive's listing lags
  edits by minutes; a form seen in that window with the same ``modifiedTime`` as already reported
  is not reported again, so the overlap costs no Sheets read;
* the control spreadsheet is listed on *every* cycle, modified or not, so its ``modifiedTime`` is
  always known: it is the fingerprint that says whether the control must be read again;
* while a full listing fits in one page (up to 1000 files) every cycle is a full sweep — it costs the
  same one call; with more files, the first cycle of a process and every ``full_sweep_every``-th
  cycle drop the time clause: forms
  the index missed are reported, and :meth:`ChangeTracker.unlisted` tells which known forms a full
  listing no longer shows (deleted, trashed, unshared, shared drive lost);
* ``since=None`` lists and reports every form.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sheets_sync.backends.google.requests import SHEET_MIME, parse_rfc3339, q_literal, rfc3339
from sheets_sync.core.values import Change

FIELDS = "files(id,name,modifiedTime,parents,appProperties)"
TAG = "sheetsSync"
CONTROL_TAG = "sheetsSyncControl"


def has_tag(key: str, value: str) -> str:
    """The Drive query clause for one app property."""
    return f"appProperties has {{ key={q_literal(key)} and value={q_literal(value)} }}"


class ChangeTracker:
    """Per-backend (per-identity) state of the poll: cycle number, what was reported and seen."""

    def __init__(self, folder_id: str, *, overlap_minutes: int, full_sweep_every: int) -> None:
        self.folder_id = folder_id
        self.overlap = timedelta(minutes=overlap_minutes)
        self.full_sweep_every = full_sweep_every
        self.adopted: set[str] = set()
        self.modified: dict[str, str] = {}  # id → modifiedTime as last listed (the fingerprint)
        self.tagged: set[str] = set()
        self.last_full: set[str] | None = None  # ids of the latest full sweep
        self.sweep_is_free = False  # the latest full sweep fitted in one page: sweeping costs one call
        self._reported: dict[str, datetime] = {}
        self._cycle = 0
        self._lock = threading.Lock()

    def query(self, since: datetime | None) -> tuple[str, bool]:
        """The Drive ``q`` for this cycle and whether it is a full sweep (advances the cycle)."""
        with self._lock:
            full = since is None or self._cycle % self.full_sweep_every == 0 or self.sweep_is_free
            self._cycle += 1
        ours = f"({has_tag(TAG, self.folder_id)} or {q_literal(self.folder_id)} in parents)"
        forms = f"mimeType = {q_literal(SHEET_MIME)} and {ours}"
        if not full and since is not None:
            forms += f" and modifiedTime >= {q_literal(rfc3339(since - self.overlap))}"
        return f"trashed = false and ({forms} or {has_tag(CONTROL_TAG, self.folder_id)})", full

    def changes(
        self, files: Iterable[dict[str, Any]], since: datetime | None, *, full: bool, pages: int = 1
    ) -> list[Change]:
        """The listed files to report (see module docstring); remembers what was reported and seen.
        ``pages``: how many pages the listing took (a full sweep of one page makes every later cycle a
        full sweep too, at the same single call)."""
        out: list[Change] = []
        listed: set[str] = set()
        with self._lock:
            for f in files:
                listed.add(f["id"])
                self.modified[f["id"]] = str(f["modifiedTime"])
                if (f.get("appProperties") or {}).get(TAG) or (f.get("appProperties") or {}).get(CONTROL_TAG):
                    self.tagged.add(f["id"])
                modified = parse_rfc3339(f["modifiedTime"])
                known = f["id"] in self._reported
                fresh = self._reported.get(f["id"]) != modified
                recent = since is None or modified >= since - self.overlap
                # Within the overlap window only what was not reported with this modifiedTime counts,
                # so the watermark itself (the newest form already read) is not read again; a full
                # sweep reports what the index missed before, never every old form.
                if since is None or (fresh and (recent or known)) or modified > since:
                    out.append(Change(f["id"], modified))
                self._reported[f["id"]] = modified
            if full:
                self.last_full = listed
                self.sweep_is_free = pages == 1
            elif self.last_full is not None:
                self.last_full |= listed
        return out

    def seen(self, file_id: str) -> None:
        """Count ``file_id`` as listed (it exists; the next listings show it)."""
        with self._lock:
            self.tagged.add(file_id)
            if self.last_full is not None:
                self.last_full.add(file_id)

    def unlisted(self, ids: Iterable[str]) -> set[str]:
        """Of ``ids``, those the latest full sweep did not show (none before the first sweep)."""
        with self._lock:
            if self.last_full is None:
                return set()
            return {i for i in ids if i not in self.last_full}
