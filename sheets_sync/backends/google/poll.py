"""Change detection for the Google backend's poll path (pure; no I/O, no gspread).

:class:`ChangeTracker` builds the one Drive ``files.list`` query of a cycle and filters its result:

* the query reaches back ``overlap_minutes`` before the watermark because Drive's listing lags
  edits by minutes; a form seen in that window with the same ``modifiedTime`` as already reported
  is not reported again, so the overlap costs no Sheets read;
* every ``full_sweep_every``-th cycle drops the time clause and reports forms never reported (or
  reported with another time) — it catches whatever the index missed;
* ``since=None`` lists and reports every form;
* adopted forms outside the forms folder (registered by ``open_form``) are included by filtering a
  folder-less query.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sheets_sync.backends.google.requests import SHEET_MIME, parse_rfc3339, q_literal, rfc3339
from sheets_sync.core.values import Change

FIELDS = "files(id,name,modifiedTime,parents)"


class ChangeTracker:
    """Per-backend (per-identity) state of the poll: cycle number, what was reported, adopted ids."""

    def __init__(self, folder_id: str, *, overlap_minutes: int, full_sweep_every: int) -> None:
        self.folder_id = folder_id
        self.overlap = timedelta(minutes=overlap_minutes)
        self.full_sweep_every = full_sweep_every
        self.adopted: set[str] = set()
        self._reported: dict[str, datetime] = {}
        self._cycle = 0
        self._lock = threading.Lock()

    def query(self, since: datetime | None) -> str:
        """The Drive ``q`` for this cycle (advances the cycle counter)."""
        with self._lock:
            self._cycle += 1
            full = since is None or self._cycle % self.full_sweep_every == 0
        clauses = [f"mimeType = {q_literal(SHEET_MIME)}", "trashed = false"]
        if not self.adopted:
            clauses.append(f"{q_literal(self.folder_id)} in parents")
        if not full and since is not None:
            clauses.append(f"modifiedTime >= {q_literal(rfc3339(since - self.overlap))}")
        return " and ".join(clauses)

    def changes(self, files: Iterable[dict[str, Any]], since: datetime | None) -> list[Change]:
        """The listed files to report (see module docstring); remembers what was reported."""
        out: list[Change] = []
        with self._lock:
            for f in files:
                if f["id"] not in self.adopted and self.folder_id not in f.get("parents", []):
                    continue
                modified = parse_rfc3339(f["modifiedTime"])
                fresh = self._reported.get(f["id"]) != modified
                # Within the overlap window only what was not reported with this modifiedTime counts,
                # so the watermark itself (the newest form already read) is not read again.
                if since is None or fresh or modified > since:
                    out.append(Change(f["id"], modified))
                self._reported[f["id"]] = modified
        return out
