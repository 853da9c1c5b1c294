"""What a document is rendered from (:class:`RenderRequest`) and what rendering produced
(:class:`Rendered`), plus stable file names.  Pure: no docx imports here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from sheets_sync.config import DocumentSettings, RuleSettings
from sheets_sync.core.fmt import roman
from sheets_sync.errors import RenderError
from sheets_sync.model import ApprovedChange, Indicator, Office, Period, Unit, UnitStatus

KINDS: tuple[str, ...] = ("pengukuran_kinerja", "rekap_kelengkapan", "surat_pengantar")
"""Document kinds: the measurement itself, the completeness summary for the review meeting, the
cover letter that sends the measurement to the recipient."""

Edition = Literal["triwulan", "semester", "tahunan"]
EDITIONS: tuple[str, ...] = ("triwulan", "semester", "tahunan")

TITLES = {
    "pengukuran_kinerja": "Pengukuran Kinerja",
    "rekap_kelengkapan": "Rekap Kelengkapan",
    "surat_pengantar": "Surat Pengantar Pengukuran Kinerja",
}


@dataclass(frozen=True)
class RenderRequest:
    """Everything one document needs; rendering reads nothing else (no clock, no store).

    ``period`` is the triwulan being reported.  ``edition`` ``semester`` needs TW2 (Semester I) or TW4
    (Semester II); ``tahunan`` needs TW4.  ``data`` maps quarter → bidang code → snapshot payload (see
    :data:`sheets_sync.model.SNAPSHOT_PAYLOAD_DOC`), the approved snapshot of each quarter used; a
    missing quarter or bidang means "no data".  ``generated_on`` is the document date (place-date line
    and file metadata), so re-rendering the same request gives the same bytes.  ``anggaran`` is the
    office's budget total (pagu, realisasi), ``budget_lines`` the budget per program/kegiatan indicator
    code; ``last_year`` holds the previous year's approved payloads, shaped like ``data``.
    """

    office: Office
    documents: DocumentSettings
    rules: RuleSettings
    period: Period
    edition: Edition
    indicators: tuple[Indicator, ...]
    units: tuple[Unit, ...]
    data: Mapping[int, Mapping[str, Mapping[str, Any]]]
    generated_on: date
    statuses: tuple[UnitStatus, ...] = ()
    changes: tuple[ApprovedChange, ...] = ()
    draft: bool = True
    letter_number: str = ""
    anggaran: Mapping[str, float] = field(default_factory=dict)
    snapshot_ref: str = ""
    budget_lines: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    last_year: Mapping[int, Mapping[str, Mapping[str, Any]]] = field(default_factory=dict)
    version: int = 0  # the document's version in the register (0: unnumbered); only its file name shows it
    unavailable: tuple[int, ...] = ()  # quarters declared tidak tersedia (`import --tidak-tersedia`)
    sources: tuple[str, ...] = ()  # per quarter, where its data came from ("TW I: diimpor dari …"); in the notes


@dataclass(frozen=True)
class Rendered:
    """A written document: its kind, edition, where it is and the SHA-256 of its bytes."""

    kind: str
    edition: str
    path: Path
    sha256: str


def check_request(kind: str, req: RenderRequest) -> None:
    """Raise :class:`RenderError` for an unknown kind/edition or an edition that does not fit the
    period (semester needs TW2/TW4, tahunan needs TW4)."""
    if kind not in KINDS:
        raise RenderError(f"unknown document kind {kind!r}", fix=f"use one of: {', '.join(KINDS)}")
    if req.edition not in EDITIONS:
        raise RenderError(f"unknown edition {req.edition!r}", fix=f"use one of: {', '.join(EDITIONS)}")
    if req.edition == "semester" and req.period.quarter not in (2, 4):
        raise RenderError(f"edition semester needs TW2 (Semester I) or TW4 (Semester II), not {req.period}",
                          fix=f"render --period {req.period.year}-TW2 or {req.period.year}-TW4")
    if req.edition == "tahunan" and req.period.quarter != 4:
        raise RenderError(f"edition tahunan needs TW4, not {req.period}",
                          fix=f"render --period {req.period.year}-TW4")


def period_words(req: RenderRequest) -> str:
    """The reported period in words: ``Triwulan I Tahun 2025``, ``Semester II Tahun 2025``, ``Tahun 2025``."""
    if req.edition == "semester":
        return f"Semester {roman(req.period.quarter // 2)} Tahun {req.period.year}"
    if req.edition == "tahunan":
        return f"Tahun {req.period.year}"
    return req.period.label


def file_name(kind: str, req: RenderRequest) -> str:
    """Stable file name: ``Pengukuran Kinerja 2025-TW1 (DRAFT).docx``, ``Pengukuran Kinerja Semester I
    2025.docx``, ``Pengukuran Kinerja Tahun 2025.docx``, ``Rekap Kelengkapan 2025-TW1.docx``,
    ``Surat Pengantar Pengukuran Kinerja 2025-TW1.docx``.  The completeness summary is always per
    triwulan; the other two follow the edition.  A numbered version (``req.version``) is part of the
    name — ``Pengukuran Kinerja 2025-TW1 v2.docx``, ``… v3 (DRAFT).docx`` — so a new version never
    overwrites an earlier one."""
    check_request(kind, req)
    if kind == "rekap_kelengkapan" or req.edition == "triwulan":
        when = str(req.period)
    elif req.edition == "semester":
        when = f"Semester {roman(req.period.quarter // 2)} {req.period.year}"
    else:
        when = f"Tahun {req.period.year}"
    draft = " (DRAFT)" if req.draft else ""
    version = f" v{req.version}" if req.version else ""
    return f"{TITLES[kind]} {when}{version}{draft}.docx"
