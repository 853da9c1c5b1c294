"""``sheets-sync render``: which data a document is made from, and recording what was made.

* **Final** documents are made only when every bidang of the period is approved (*Disetujui*), and only
  from the frozen approved snapshots of this and earlier quarters; otherwise (or with ``--draft``) the
  documents are **drafts** from the latest reads, marked DRAFT on every page.
* The data a document came from is identified by ``snapshot_ref`` (SHA-256 over the snapshot hashes
  used).  The same request renders to the same bytes; a second ``render`` on the same snapshots finds
  the recorded document and records nothing new.
* Editions: the triwulan always; Semester I with TW2, Semester II and *tahunan* with TW4.  The
  *Surat Pengantar* of a final edition gets a letter number from the register (never reused).
* Each document is published through the backend (local: the documents folder; Google: a Drive folder,
  a new draft replacing the previous draft's file) and listed in the control spreadsheet's ``Dokumen`` tab.
* A master row whose targets or cascading columns are inconsistent stays on the forms, but keeps the
  period's documents in **draft** (the reason names the cell) until the PPKP fixes it
  (:data:`sheets_sync.core.control.BLOCKS_FINAL`).
* The comparison with last year reads the previous year's approved snapshots from the same store (no
  retyping); the budget per program/kegiatan comes from the ``Anggaran`` tab's rows keyed by ``Kode``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sheets_sync.core.control import BLOCKS_FINAL
from sheets_sync.core.values import RangeWrite
from sheets_sync.errors import BackendError
from sheets_sync.model import Control, Period
from sheets_sync.service.app import App
from sheets_sync.service.approvals import approved_payload, changes_after_approval
from sheets_sync.service.control_io import load_control, read_budget
from sheets_sync.service.dokumen_tab import DOKUMEN_HEADERS, read_dokumen
from sheets_sync.service.poll import statuses
from sheets_sync.service.rekap import changed_blocks, report_sheet
from sheets_sync.store import DocumentRow

log = logging.getLogger(__name__)

@dataclass
class RenderReport:
    final: bool
    documents: list[dict[str, Any]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def _editions(period: Period) -> list[str]:
    return ["triwulan"] + (["semester"] if period.quarter in (2, 4) else []) + (["tahunan"] if period.quarter == 4
                                                                                else [])


def gather(app: App, period: Period, control: Control, *, want_final: bool) -> tuple[bool, dict[int, dict[str, Any]],
                                                                                        str, list[str]]:
    """(final?, quarter → unit → payload, snapshot_ref, reasons it is a draft)."""
    reasons: list[str] = []
    data: dict[int, dict[str, Any]] = {}
    hashes: list[str] = []
    for q in range(1, period.quarter + 1):
        p = Period(period.year, q)
        data[q] = {}
        for unit in control.units:
            frozen = approved_payload(app, unit.code, p)
            if frozen is not None:
                data[q][unit.code] = frozen[0]
                hashes.append(f"{q}:{unit.code}:{frozen[1]}")
                continue
            reasons.append(f"{unit.code} {p} belum disetujui")
            latest = app.store.latest_snapshot(unit.code, str(p))
            if latest is not None:
                data[q][unit.code] = latest.payload
                hashes.append(f"{q}:{unit.code}:{latest.sha256}")
    blocking = [f for f in control.findings if f.code in BLOCKS_FINAL]
    reasons += [f"{f.location}: {f.message}" for f in blocking]
    final = want_final and not reasons
    ref = hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()
    return final, data, ref, reasons


def last_year_data(app: App, period: Period, control: Control) -> tuple[dict[int, dict[str, Any]], list[str]]:
    """The previous year's approved payloads in the store (quarter → unit → payload) and their hashes."""
    data: dict[int, dict[str, Any]] = {}
    hashes: list[str] = []
    for q in range(1, 5):
        p = Period(period.year - 1, q)
        for unit in control.units:
            frozen = approved_payload(app, unit.code, p)
            if frozen is not None:
                data.setdefault(q, {})[unit.code] = frozen[0]
                hashes.append(f"lalu:{q}:{unit.code}:{frozen[1]}")
    return data, hashes


def render_period(app: App, period: Period, *, draft: bool = False, pdf: bool = False,
                  control: Control | None = None) -> RenderReport:
    """Render the period's documents (see module docstring).  ``control``: the control spreadsheet the
    caller already loaded (``render`` applies the approvals first with the same one: one read)."""
    from sheets_sync.reports import KINDS, RenderRequest, file_name, to_pdf
    from sheets_sync.reports.render import render  # the module shadows the package-level function once imported

    control = control or load_control(app)
    final, data, ref, reasons = gather(app, period, control, want_final=not draft)
    budget = read_budget(app.backend, app.settings.control, period)
    anggaran = budget.total
    if anggaran:  # the budget lines are part of what a document was made from
        lines = sorted((k, sorted(v.items())) for k, v in budget.lines.items())
        ref = hashlib.sha256(f"{ref}\n{sorted(anggaran.items())}\n{lines}".encode()).hexdigest()
    last_year, last_hashes = last_year_data(app, period, control)
    if last_hashes:
        ref = hashlib.sha256("\n".join([ref, *sorted(last_hashes)]).encode()).hexdigest()
    report = RenderReport(final, reasons=reasons if not draft else ["--draft diminta"])
    report.reasons += [f"{f.location}: {f.message}" for f in budget.findings]
    sts = tuple(statuses(app, period, control))
    changes = tuple(c for u in control.units for c in changes_after_approval(app, period, u.code))
    decided = [a.decided_on for u in control.units if (a := app.store.current_approval(u.code, str(period)))
               and a.decided_on]
    generated_on = date.fromisoformat(max(decided)) if final and decided else app.now().date()
    out_dir = app.settings.documents.output / str(period)
    out_dir.mkdir(parents=True, exist_ok=True)
    for edition in _editions(period):
        for kind in KINDS:
            if kind == "rekap_kelengkapan" and edition != "triwulan":
                continue
            key = f"{kind}:{edition}"
            existing = app.store.find_document(str(period), key, ref, not final)
            if existing is not None:
                report.documents.append({"kind": key, "path": existing.path, "sha256": existing.sha256,
                                         "draft": existing.draft, "new": False, "link": existing.link,
                                         "letter_number": existing.letter_number})
                continue
            letter = ""
            if kind == "surat_pengantar" and final:
                letter = app.store.letter_number(period.year, f"{key}:{period}:{ref}",
                                                 f"Surat Pengantar {edition} {period}", _numbering(app, period),
                                                 app.now())
            req = RenderRequest(
                office=app.settings.office, documents=app.settings.documents, rules=app.settings.rules,
                period=period, edition=edition, indicators=control.indicators, units=control.units,  # type: ignore[arg-type]
                data=data, generated_on=generated_on, statuses=sts, changes=changes,
                draft=not final, letter_number=letter, snapshot_ref=ref, anggaran=anggaran,
                budget_lines=budget.lines, last_year=last_year,
            )
            rendered = render(kind, req, out_dir, templates=app.settings.documents.templates)
            paths = [rendered.path] + ([to_pdf(rendered.path)] if pdf else [])
            previous = _previous_draft_link(app, period, key) if not final else None
            link = ""
            for path in paths:
                try:
                    published = app.backend.publish(path, path.name, replaces=previous if path.suffix == ".docx"
                                                    else None)
                    link = link or published
                except BackendError as exc:
                    report.reasons.append(f"{path.name} gagal dipublikasikan: {exc.message}")
            row = app.store.record_document(str(period), key, not final, str(rendered.path), rendered.sha256, ref,
                                            app.now(), letter_number=letter, link=link)
            report.documents.append({"kind": key, "path": str(rendered.path), "sha256": rendered.sha256,
                                     "draft": not final, "new": True, "link": link, "letter_number": letter,
                                     "version": row.version, "name": file_name(kind, req)})
    write_dokumen_tab(app)
    return report


def _numbering(app: App, period: Period) -> Callable[[int], str]:
    pattern = app.settings.documents.letter_pattern
    return lambda n: pattern.format(nomor=n, singkatan=app.settings.office.singkatan, tahun=period.year)


def _previous_draft_link(app: App, period: Period, key: str) -> str | None:
    drafts = [d for d in app.store.documents(str(period)) if d.kind == key and d.draft and d.link]
    return drafts[-1].link if drafts else None


def _ident(d: DocumentRow) -> tuple[str, str, str, str]:
    return (d.period, d.kind, str(d.version), "Draft" if d.draft else "Final")


def document_statuses(app: App) -> dict[tuple[str, str, str, str], str]:
    """The *Status* of every document: what the office typed in ``Dokumen`` (see
    :mod:`sheets_sync.service.review` for the flow), else the last recorded, else its default."""
    from sheets_sync.service.review import current_statuses

    return {k: v.status for k, v in current_statuses(app).items()}


def write_dokumen_tab(app: App) -> None:
    """List every recorded document in ``Dokumen``: the Status and Catatan typed by the office are kept,
    status changes are recorded first (with their time in *Status Sejak*; returns e-mailed, final
    documents queued for distribution — :func:`sheets_sync.service.review.sync_statuses`).  A ``Dokumen``
    tab that could not be read is not written (never overwrite what was not read)."""
    from sheets_sync.core.fmt import tanggal_jam
    from sheets_sync.service.review import current_statuses, sync_statuses

    tab = read_dokumen(app)
    if tab is None:
        return
    sync_statuses(app, tab)
    kept = current_statuses(app, tab.typed)
    rows: list[list[Any]] = [list(DOKUMEN_HEADERS)]
    for d in app.store.documents():
        now = kept[_ident(d)]
        t = tab.typed.get(_ident(d))
        status = t.raw if t and t.raw and not t.status else now.status  # an unknown status stays as typed
        rows.append([d.period, d.kind, d.version, _ident(d)[3], d.letter_number, d.link or Path(d.path).name,
                     d.sha256, d.snapshot_ref[:16], d.created_at.isoformat(timespec="minutes"), status,
                     now.catatan or None, tanggal_jam(now.since) if now.since else None])
    # Only the rows that differ from what the tab holds (nothing at all when it is current).
    writes = changed_blocks("Dokumen", tab.rows, rows) if tab.in_report_sheet else [RangeWrite("Dokumen!A1", rows)]
    if not writes:
        return
    try:
        app.backend.write(report_sheet(app), writes)
    except BackendError as exc:
        log.warning("could not write Dokumen: %s", exc)
