"""The documents' review flow and their distribution (``Dokumen`` tab → store → e-mail).

* **Statuses.** The office types each document's *Status* (and, for a return, the *Catatan* per
  section) in ``Dokumen``; :func:`sync_statuses` records every change as an event ``document_status``
  (from, to, notes, when), so the tab's *Status Sejak* column and ``sheets-sync dokumen`` show when each
  status was set and the whole history.  A document nobody typed a status for has its default: Draft
  for drafts, *Finalisasi* for a final Laporan Kinerja (made after the finalisation meeting), *Diajukan
  ke Kepala* for the other finals.  Rewriting the tab (every render) keeps what was typed.
* **Return with notes.** A change to *Dikoreksi* e-mails the Tim SAKIP (``[laporan] tim_sakip``, else
  the coordinator) and the heads of the bidang the notes concern (an ``analisis <n>`` note → the bidang of
  that sasaran's indicators; an indicator code in a note → its bidang), with each section to fix —
  once per return (key ``dikoreksi:<document id>:<n-th return>``), queued in the same transaction as the
  recorded status.
* **Distribution.** A final document of a kind in ``[laporan] distribusi_jenis`` whose status reached
  ``distribusi_setelah`` (or at once when that is empty) is e-mailed once (key
  ``distribusi:<document id>``) to ``[laporan] distribusi`` — with the file and its Surat Pengantar
  attached (``distribusi_cara = "lampiran"``), the SHA-256 the register recorded checked again at
  delivery, or as links (``"tautan"``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from sheets_sync.config.laporan import DOCUMENT_STATUSES
from sheets_sync.core.narasi import parse_review_notes, sasaran_of
from sheets_sync.core.review import Ident, Transition, TypedStatus, transitions
from sheets_sync.model import Finding
from sheets_sync.service.app import App
from sheets_sync.service.dokumen_tab import DokumenTab, read_dokumen
from sheets_sync.store import DocumentRow

log = logging.getLogger("sheets_sync.service.review")

STATUS_EVENT = "document_status"
LKJIP_PREFIXES = ("laporan_kinerja", "surat_pengantar_lkjip")
TITLES = {"pengukuran_kinerja": "Pengukuran Kinerja", "rekap_kelengkapan": "Rekap Kelengkapan",
          "surat_pengantar": "Surat Pengantar Pengukuran Kinerja", "laporan_kinerja": "Laporan Kinerja",
          "laporan_kinerja_semester": "Laporan Kinerja Semester",
          "surat_pengantar_lkjip": "Surat Pengantar Laporan Kinerja"}


def ident(d: DocumentRow) -> Ident:
    return Ident(d.period, d.kind, str(d.version), "Draft" if d.draft else "Final")


def default_status(d: DocumentRow) -> str:
    if d.draft:
        return "Draft"
    return "Finalisasi" if d.kind.startswith(LKJIP_PREFIXES) else "Diajukan ke Kepala"


def document_title(d: DocumentRow) -> str:
    """``Laporan Kinerja tahunan 2025-TW4`` — how e-mails name a registered document."""
    base, _, edition = d.kind.partition(":")
    return f"{TITLES.get(base, base)} {edition} {d.period}".replace("  ", " ")


class StatusChange(NamedTuple):
    """One recorded status change of a document: ``when``, from ``before`` ("" = first seen) to
    ``after``, with the notes typed with it."""

    when: datetime
    before: str
    after: str
    catatan: str


@dataclass(frozen=True)
class StatusNow:
    """A document's current status, since when, the notes typed with it, and its history (oldest
    first)."""

    status: str
    since: datetime | None
    catatan: str = ""
    history: tuple[StatusChange, ...] = ()


@dataclass
class SyncReport:
    """What :func:`sync_statuses` recorded and queued."""

    changes: list[Transition] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    queued: list[str] = field(default_factory=list)


def read_typed(app: App) -> tuple[dict[Ident, TypedStatus], list[Finding]]:
    """The statuses typed in ``Dokumen`` and the findings about them (nothing when the tab cannot be
    read this time)."""
    tab = read_dokumen(app)
    return (tab.typed, tab.findings) if tab is not None else ({}, [])


def recorded(app: App) -> dict[Ident, StatusNow]:
    """The current status of every registered document as the store recorded it."""
    history: dict[Ident, list[StatusChange]] = {}
    for e in app.store.events(STATUS_EVENT):
        d = e["detail"]
        history.setdefault(Ident(*d["ident"]), []).append(
            StatusChange(datetime.fromisoformat(e["at"]), d["from"], d["to"], d.get("catatan", "")))
    out: dict[Ident, StatusNow] = {}
    for key, items in history.items():
        last = items[-1]
        out[key] = StatusNow(last.after, last.when, last.catatan, tuple(items))
    return out


def current_statuses(app: App, typed: dict[Ident, TypedStatus] | None = None) -> dict[Ident, StatusNow]:
    """Every registered document → its status now: typed (valid) in ``Dokumen``, else recorded, else the
    default (a view: nothing is recorded here)."""
    if typed is None:
        typed, _ = read_typed(app)
    rec = recorded(app)
    out: dict[Ident, StatusNow] = {}
    for d in app.store.documents():
        key = ident(d)
        r = rec.get(key)
        t = typed.get(key)
        status = (t.status if t and t.status else "") or (r.status if r else "") or default_status(d)
        since = r.since if r and r.status == status else None
        out[key] = StatusNow(status, since, t.catatan if t else (r.catatan if r else ""), r.history if r else ())
    return out


def _concerned_units(app: App, notes_text: str) -> list[tuple[str, str]]:
    """(bidang name, head e-mail) of the bidang a return's notes concern."""
    from sheets_sync.service.control_io import load_control

    notes = parse_review_notes(notes_text)
    if not notes:
        return []
    control = load_control(app)
    refs = {r.no: r.nama for r in sasaran_of(control.indicators)}
    codes = {i.code: i.unit for i in control.indicators}
    units: list[str] = []
    for n in notes:
        if n.section.startswith("analisis:") and n.section.split(":", 1)[1] in refs:
            nama = refs[n.section.split(":", 1)[1]]
            units += [i.unit for i in control.indicators if i.sasaran == nama]
        units += [codes[c] for c in re.findall(r"(?<![\d.])\d+(?:\.\d+)+(?![\d.])", n.note) if c in codes]
    seen: list[tuple[str, str]] = []
    for code in dict.fromkeys(units):
        u = control.unit(code)
        if u is not None and u.head_email and (u.name, u.head_email) not in seen:
            seen.append((u.name, u.head_email))
    return seen


def _queue_return(app: App, d: DocumentRow, tr: Transition, nth: int, now: datetime) -> str | None:
    from sheets_sync.notify import queue_notice

    concerned = _concerned_units(app, tr.catatan)
    to = list(app.settings.laporan.tim_sakip or app.settings.notify.coordinator) + [e for _, e in concerned]
    if not to:
        log.warning("document %s returned for correction but [laporan] tim_sakip is empty", d.kind)
        return None
    notes = [{"bagian": n.title, "catatan": n.note} for n in parse_review_notes(tr.catatan)] or [
        {"bagian": "Umum", "catatan": "(tanpa catatan)"}]
    key = f"dikoreksi:{d.id}:{nth}"
    context = {"office": app.settings.office, "judul": document_title(d), "versi": d.version, "catatan": notes,
               "bidang": [name for name, _ in concerned], "tautan": d.link or Path(d.path).name}
    new = queue_notice(app.store, "dikoreksi", key, to, context, now, period=d.period,
                       cc=[a for a in app.settings.notify.coordinator if a not in to],
                       templates=app.settings.notify.templates)
    return key if new else None


def sync_statuses(app: App, tab: DokumenTab | None = None) -> SyncReport:
    """Record every status change typed in ``Dokumen`` (time-stamped), e-mail returns, queue the
    distribution of final documents (see the module docstring).  ``tab`` is the tab already read."""
    tab = tab or read_dokumen(app)
    if tab is None:  # unreadable this time: record nothing, the next run sees what was typed
        return SyncReport()
    typed, findings = tab.typed, tab.findings
    report = SyncReport(findings=list(findings))
    docs = {ident(d): d for d in app.store.documents()}
    rec = recorded(app)
    now = app.now()
    defaults = {k: default_status(d) for k, d in docs.items()}
    for tr in transitions(typed, {k: v.status for k, v in rec.items()}, defaults):
        d = docs[tr.ident]
        with app.store.transaction():
            app.store.add_event(STATUS_EVENT, now, period=d.period,
                                detail={"ident": list(tr.ident), "document_id": d.id, "from": tr.before,
                                        "to": tr.after, "catatan": tr.catatan})
            if tr.after == "Dikoreksi":
                old = rec.get(tr.ident)
                nth = 1 + sum(1 for h in (old.history if old else ()) if h.after == "Dikoreksi")
                key = _queue_return(app, d, tr, nth, now)
                if key:
                    report.queued.append(key)
        report.changes.append(tr)
    report.queued += queue_distribution(app, current_statuses(app, typed))
    return report


def reached(status: str, wanted: str) -> bool:
    """True when ``status`` is ``wanted`` or later in :data:`DOCUMENT_STATUSES` (``wanted`` "" = always)."""
    if not wanted:
        return True
    order = list(DOCUMENT_STATUSES)
    return status in order and order.index(status) >= order.index(wanted)


def _companions(app: App, d: DocumentRow) -> list[DocumentRow]:
    """The final Surat Pengantar made from the same data as ``d``."""
    base, _, edition = d.kind.partition(":")
    letter = "surat_pengantar_lkjip" if base.startswith("laporan_kinerja") else "surat_pengantar"
    return [x for x in app.store.documents(d.period) if not x.draft and x.snapshot_ref == d.snapshot_ref
            and x.kind == f"{letter}:{edition}"]


def queue_distribution(app: App, now_status: dict[Ident, StatusNow]) -> list[str]:
    """Queue each final document due for distribution, once, with its attachments (one transaction)."""
    from sheets_sync.notify import queue_notice

    cfg = app.settings.laporan
    if not cfg.distribusi:
        return []
    queued = []
    now = app.now()
    for d in app.store.documents():
        if d.draft or d.kind.partition(":")[0] not in cfg.distribusi_jenis:
            continue
        st = now_status.get(ident(d))
        if not reached(st.status if st else default_status(d), cfg.distribusi_setelah):
            continue
        files = [d, *_companions(app, d)]
        nomor = next((x.letter_number for x in files if x.letter_number), "")
        context: dict[str, Any] = {"office": app.settings.office, "judul": document_title(d), "nomor": nomor,
                                   "tautan": " ; ".join(x.link or x.path for x in files),
                                   "lampiran": cfg.distribusi_cara == "lampiran", "sha256": d.sha256}
        key = f"distribusi:{d.id}"
        with app.store.transaction():
            new = queue_notice(app.store, "distribusi", key, list(cfg.distribusi), context, now, period=d.period,
                               templates=app.settings.notify.templates)
            if new and cfg.distribusi_cara == "lampiran":
                for x in files:
                    app.store.attach(key, Path(x.path).name, x.path, x.sha256)
        if new:
            queued.append(key)
    return queued
