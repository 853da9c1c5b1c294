"""Reading the ``Dokumen`` tab: what the office typed about each recorded document (Status, Catatan).

The tab lives in the report sheet (:func:`sheets_sync.service.rekap.report_sheet`; locally the companion
workbook), and earlier in the control spreadsheet, which is still read so statuses typed there are kept.
Its own module so that both the writer (:func:`sheets_sync.service.documents.write_dokumen_tab`) and the
review flow (:mod:`sheets_sync.service.review`) read it without importing each other.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sheets_sync.core.review import Ident, TypedStatus
from sheets_sync.errors import BackendError, FormNotFound
from sheets_sync.model import Finding
from sheets_sync.service.app import App
from sheets_sync.service.rekap import report_sheet

log = logging.getLogger("sheets_sync.service.documents")

DOKUMEN_RANGE = "Dokumen!A:L"
DOKUMEN_HEADERS = ("Periode", "Jenis", "Versi", "Draft/Final", "Nomor Surat", "Tautan", "SHA-256", "Snapshot",
                   "Dibuat", "Status", "Catatan", "Status Sejak")


@dataclass(frozen=True)
class DokumenTab:
    """The ``Dokumen`` tab as read: its rows (padded to the header width), what the office typed per
    document (Status, Catatan — :func:`sheets_sync.core.review.parse_dokumen`), the findings about it,
    and whether it was read from the report sheet itself (else from the control spreadsheet, where it
    lived before the local companion workbook; then it is written whole)."""

    rows: list[list[Any]]
    typed: dict[Ident, TypedStatus]
    findings: list[Finding]
    in_report_sheet: bool


def read_dokumen(app: App, *, legacy: bool = True) -> DokumenTab | None:
    """The ``Dokumen`` tab of the report sheet (falling back, with ``legacy``, to the control
    spreadsheet's old tab, so statuses typed there are kept); empty when there is none yet, None when it
    could not be read (then it must not be written either, and no status is recorded from it: what was
    typed would be lost).  Without ``legacy`` (nothing was recorded before, so the old tab can hold no
    status) the control spreadsheet is not read a second time."""
    from sheets_sync.config.laporan import DOCUMENT_STATUSES
    from sheets_sync.core.review import parse_dokumen

    target = report_sheet(app)
    sheets = [target] + ([app.settings.control] if legacy and target != app.settings.control else [])
    for sheet in sheets:
        try:
            current = app.backend.read(sheet, [DOKUMEN_RANGE])[DOKUMEN_RANGE]
        except FormNotFound:
            continue
        except BackendError as exc:
            log.warning("the Dokumen tab could not be read; it is not rewritten this time: %s", exc)
            return None
        rows = [list(r) + [None] * (len(DOKUMEN_HEADERS) - len(r)) for r in current]
        typed, findings = parse_dokumen(current, DOCUMENT_STATUSES)
        return DokumenTab(rows, typed, findings, sheet == target)
    return DokumenTab([], {}, [], False)
