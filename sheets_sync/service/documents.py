"""``sheets-sync render``: which data a document is made from, and recording what was made.

* **Final** documents are made only when every bidang of the period is approved (*Disetujui*), and only
  from the frozen approved snapshots of this and earlier quarters; otherwise (or with ``--draft``) the
  documents are **drafts** from the latest reads, marked DRAFT on every page.
* A document set is keyed by ``snapshot_ref`` (:func:`content_key`): the SHA-256 over the snapshot
  hashes used *and* everything else that shapes the content — office identity, signatory and document
  settings, rules, indicator master, template bytes.  The same key renders to the same bytes; a second
  ``render`` finds the recorded documents and records nothing new, while any change (a ``Plt.``
  signatory, another polarity rule, an edited template) makes a new version.
* Every version has its own file (``… v2.docx``), so a new final never overwrites the previous one;
  each final's bytes are also kept in the store, and ``render`` (and ``doctor``) notice a final whose
  file is missing or altered and restore it byte for byte (:func:`restore_documents`).
* A new final Surat Pengantar gets a new letter number, unless the office asks for a corrected
  re-issue of the same letter with ``render --reissue``.  ``render --pdf`` also makes the PDFs that
  documents made earlier do not have yet.
* Documents are made from statuses whose approval-dependent findings are computed at render time
  (:func:`fresh_statuses`), never from a status stored before the decision.
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

import base64
import dataclasses
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sheets_sync.core.control import BLOCKS_FINAL
from sheets_sync.core.progress import Progress, steps
from sheets_sync.core.values import RangeWrite
from sheets_sync.errors import BackendError
from sheets_sync.model import ROMAN, Control, Finding, Period
from sheets_sync.service.app import App
from sheets_sync.service.approvals import approved_snapshot, changes_after_approval
from sheets_sync.service.control_io import load_budget, load_control
from sheets_sync.service.dokumen_tab import DOKUMEN_HEADERS, read_dokumen
from sheets_sync.service.poll import statuses
from sheets_sync.service.rekap import changed_blocks, report_sheet
from sheets_sync.store import DocumentRow, SnapshotRow
from sheets_sync.texts import Text

if TYPE_CHECKING:
    from sheets_sync.core.review import Ident
    from sheets_sync.reports.request import Edition
    from sheets_sync.service.importer import PeriodSource

log = logging.getLogger(__name__)

DRAFT_ASKED = Text("--draft diminta")
"""Why a document asked for with ``--draft`` is a draft."""


def finding_reason(f: Finding) -> Text:
    """A finding as a reason a document stays a draft: where it is, then what it says (translatable when
    the finding was worded)."""
    return Text("{location}: {message}", location=f.location, message=f.text if f.text is not None else f.message)


def not_published(name: str, exc: BackendError) -> Text:
    """Why a rendered file is not on the backend: the backend's own error."""
    return Text("{name} gagal dipublikasikan: {error}", name=name, error=exc.text)

@dataclass
class RenderReport:
    final: bool
    documents: list[dict[str, Any]] = field(default_factory=list)
    reasons: list[Text] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)  # finals found missing/altered, put back from the store
    pdfs: list[str] = field(default_factory=list)  # PDFs made by --pdf
    pdf_failed: list[str] = field(default_factory=list)  # documents --pdf could not convert, with why


def _editions(period: Period) -> list[Edition]:
    editions: list[Edition] = ["triwulan"]
    if period.quarter in (2, 4):
        editions.append("semester")
    if period.quarter == 4:
        editions.append("tahunan")
    return editions


@dataclass
class Gathered:
    """What a period's documents are made from: ``final`` (only the period's own approvals decide it),
    ``data`` (quarter → bidang → payload), ``ref`` (SHA-256 over everything used), ``reasons`` it is a
    draft and ``sources``: one line per quarter saying where its data came from (approved in the
    meeting, imported, not available, not approved), printed in the documents' notes."""

    final: bool
    data: dict[int, dict[str, Any]]
    ref: str
    reasons: list[Text]
    sources: list[str]
    unavailable: tuple[int, ...] = ()


@dataclass(frozen=True)
class _QuarterSource:
    """Where one quarter's data comes from: the bidang whose approval it uses, the import record (when
    the quarter was imported) and the bidang not approved."""

    quarter: int
    approved: list[str]
    imported: PeriodSource | None
    unapproved: list[str]


def _source_line(q: _QuarterSource, final: bool) -> str:
    label = f"TW {ROMAN[q.quarter]}"
    parts: list[str] = []
    if q.imported is not None:
        parts.append(f"diimpor dari berkas {q.imported.file} (SHA-256 {q.imported.sha256[:12]}…) dan dinyatakan "
                     f"disetujui melalui impor")
    elif q.approved:
        parts.append("disetujui dalam rapat pembahasan")
    if q.unapproved:
        use = "tidak dipakai dalam dokumen final" if final else "memakai data terakhir (draft)"
        parts.append(f"belum disetujui untuk {', '.join(q.unapproved)} — {use}")
    return f"{label}: " + ("; ".join(parts) if parts else "belum ada data") + "."


def gather(app: App, period: Period, control: Control, *, want_final: bool) -> Gathered:
    """The data of ``period`` and of its earlier quarters (see :class:`Gathered`).  A final needs every
    bidang of ``period`` itself approved; an earlier quarter contributes what was approved or imported,
    a quarter declared *tidak tersedia* contributes nothing, and a bidang an earlier quarter never
    approved is left out of a final (a draft shows its latest read) — each said in ``sources``."""
    from sheets_sync.service.importer import KIND_UNAVAILABLE, period_source

    reasons: list[Text] = []
    data: dict[int, dict[str, Any]] = {}
    hashes: list[str] = []
    drafts: dict[int, dict[str, SnapshotRow]] = {}  # quarter → bidang → latest read, for a draft
    summary: dict[int, _QuarterSource] = {}
    unavailable: dict[int, str] = {}
    for q in range(1, period.quarter + 1):
        p = Period(period.year, q)
        data[q] = {}
        source = period_source(app, p)
        if source is not None and source.kind == KIND_UNAVAILABLE and q < period.quarter:
            unavailable[q] = source.reason
            hashes.append(f"{q}:tidak_tersedia")
            continue
        approved: list[str] = []
        unapproved: list[str] = []
        for unit in control.units:
            frozen = approved_snapshot(app, unit.code, p)
            if frozen is not None:
                data[q][unit.code] = frozen.payload
                hashes.append(f"{q}:{unit.code}:{frozen.sha256}")
                approved.append(unit.code)
                continue
            if q == period.quarter:
                reasons.append(Text("{unit} {period} belum disetujui", unit=unit.code, period=str(p)))
            else:
                unapproved.append(unit.code)
            latest = app.store.latest_snapshot(unit.code, str(p))
            if latest is not None:
                drafts.setdefault(q, {})[unit.code] = latest
        imported = source if source is not None and source.kind != KIND_UNAVAILABLE else None
        summary[q] = _QuarterSource(q, approved, imported, unapproved)
    blocking = [f for f in control.findings if f.code in BLOCKS_FINAL]
    reasons += [finding_reason(f) for f in blocking]
    final = want_final and not reasons
    for q, units in drafts.items():
        if final and q < period.quarter:
            continue  # an earlier quarter nobody approved is not in a final document
        for code, latest in units.items():
            data[q][code] = latest.payload
            hashes.append(f"{q}:{code}:{latest.sha256}")
    sources = []
    for q in range(1, period.quarter + 1):
        if q in unavailable:
            why = f" ({unavailable[q]})" if unavailable[q] else ""
            sources.append(f"TW {ROMAN[q]}: data tidak tersedia{why}; tidak dihitung dalam capaian kumulatif.")
        else:
            sources.append(_source_line(summary[q], final))
    hashes += [f"sumber:{line}" for line in sources]
    ref = hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()
    return Gathered(final, data, ref, reasons, sources, tuple(sorted(unavailable)))


@dataclass(frozen=True)
class LastYear:
    """The previous year's approved data in the store: ``data`` (quarter → bidang → payload) and
    ``hashes``, one per snapshot used, for the content key of the documents that compare with it."""

    data: dict[int, dict[str, Any]]
    hashes: list[str]


def last_year_data(app: App, period: Period, control: Control) -> LastYear:
    """The previous year's approved payloads in the store and their hashes (see :class:`LastYear`)."""
    data: dict[int, dict[str, Any]] = {}
    hashes: list[str] = []
    for q in range(1, 5):
        p = Period(period.year - 1, q)
        for unit in control.units:
            frozen = approved_snapshot(app, unit.code, p)
            if frozen is not None:
                data.setdefault(q, {})[unit.code] = frozen.payload
                hashes.append(f"lalu:{q}:{unit.code}:{frozen.sha256}")
    return LastYear(data, hashes)


def content_key(app: App, period: Period, control: Control, data_ref: str, editions: Sequence[str]) -> str:
    """What a document set is keyed on: the data (``data_ref``: approved or latest snapshots, budget
    lines) and everything else that shapes the content — the office's identity, the document settings
    with the signatory, the SAKIP rules, the indicator master and bidang list, and the bytes of every
    template used.  Change any of them and the next ``render`` makes a new version."""
    import json

    from sheets_sync.reports import KINDS
    from sheets_sync.reports.templates import template_path

    plain = _plain
    docs = {k: v for k, v in dataclasses.asdict(app.settings.documents).items() if k not in ("output", "templates")}
    templates = []
    for edition in editions:
        for kind in KINDS:
            path = template_path(kind, edition, app.settings.documents.templates)
            templates.append(f"{kind}:{edition}:{hashlib.sha256(path.read_bytes()).hexdigest()}")
    shaped = {"data": data_ref, "office": plain(app.settings.office), "documents": docs,
              "rules": plain(app.settings.rules), "indicators": [plain(i) for i in control.indicators],
              "units": [{k: v for k, v in plain(u).items() if k != "form_link"} for u in control.units],
              "templates": templates, "renderer": RENDERER}
    text = json.dumps(shaped, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(obj: Any) -> Any:
    """``obj`` as :func:`dataclasses.asdict` gives it to ``json.dumps`` — dataclasses as dicts of their
    fields, lists, tuples and dicts walked — without ``asdict``'s deep copy of every leaf value, which
    made the content key of 2,000 indicators cost a fifth of a second; the JSON text (and so the key of
    every recorded document) is the same."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, dict):
        return {_plain(k): _plain(v) for k, v in obj.items()}
    return obj


RENDERER = 2  # bump when the renderer itself changes what the same inputs produce


def fresh_statuses(app: App, period: Period, control: Control) -> tuple[Any, ...]:
    """The stored statuses with the findings that depend on the meeting's decisions computed now, so a
    document made right after ``approve`` (no poll in between) never shows a stale "changed after
    approval" or lock finding."""
    from dataclasses import replace

    from sheets_sync.service.approvals import change_findings_for, pending_tab_findings

    recomputed = {"berubah_setelah_disetujui", "diisi_setelah_kunci", "kunci_gagal"}
    out = []
    schedule = control.schedule(period)
    for st in statuses(app, period, control):
        kept = tuple(f for f in st.findings if f.code not in recomputed)
        out.append(replace(st, findings=kept + tuple(change_findings_for(app, period, st.unit, schedule))
                           + tuple(pending_tab_findings(app, period, st.unit))))
    return tuple(out)


def render_period(app: App, period: Period, *, draft: bool = False, pdf: bool = False,
                  control: Control | None = None, reissue: bool = False,
                  on_step: Callable[[str], None] | None = None, progress: Progress | None = None) -> RenderReport:
    """Render the period's documents (see module docstring).  ``control``: the control spreadsheet the
    caller already loaded (``render`` applies the approvals first with the same one: one read).
    ``progress`` (the :mod:`sheets_sync.core.progress` port, e.g. the CLI's bar) hears of each document,
    made or kept, by its key (``pengukuran_kinerja:triwulan``), after it; ``on_step`` is called with that
    key before the document is looked up or rendered."""
    from sheets_sync.reports import KINDS, RenderRequest, file_name
    from sheets_sync.reports.measure import measured_once

    control = control or load_control(app)
    recorded_before = bool(app.store.documents())  # else an old Dokumen tab can hold no typed status
    gathered = gather(app, period, control, want_final=not draft)
    final, data, ref, reasons = gathered.final, gathered.data, gathered.ref, gathered.reasons
    budget = load_budget(app, period)  # read with the control, not a second read
    anggaran = budget.total
    if anggaran:  # the budget lines are part of what a document was made from
        lines = sorted((k, sorted(v.items())) for k, v in budget.lines.items())
        ref = hashlib.sha256(f"{ref}\n{sorted(anggaran.items())}\n{lines}".encode()).hexdigest()
    lalu = last_year_data(app, period, control)
    last_year, last_hashes = lalu.data, lalu.hashes
    if last_hashes:
        ref = hashlib.sha256("\n".join([ref, *sorted(last_hashes)]).encode()).hexdigest()
    legacy_ref, ref = ref, content_key(app, period, control, ref, _editions(period))
    report = RenderReport(final, reasons=reasons if not draft else [DRAFT_ASKED])
    report.reasons += [finding_reason(f) for f in budget.findings]
    report.restored += restore_documents(app, period)
    sts = fresh_statuses(app, period, control)
    changes = tuple(c for u in control.units for c in changes_after_approval(app, period, u.code))
    decided = [a.decided_on for u in control.units if (a := app.store.current_approval(u.code, str(period)))
               and a.decided_on]
    # an import records its time (2026-12-02T09:15:00+08:00), a meeting its date: the date part of either
    generated_on = date.fromisoformat(max(decided)[:10]) if final and decided else app.now().date()
    out_dir = app.settings.documents.output / str(period)
    out_dir.mkdir(parents=True, exist_ok=True)
    documents = [(kind, edition) for edition in _editions(period) for kind in KINDS
                 if kind != "rekap_kelengkapan" or edition == "triwulan"]
    with measured_once():  # a Surat Pengantar measures exactly what its Pengukuran Kinerja measured
        for kind, edition in steps(documents, progress, lambda doc: f"{doc[0]}:{doc[1]}"):
            key = f"{kind}:{edition}"
            if on_step is not None:
                on_step(key)
            base = RenderRequest(
                office=app.settings.office, documents=app.settings.documents, rules=app.settings.rules,
                period=period, edition=edition, indicators=control.indicators, units=control.units,
                data=data, generated_on=generated_on, statuses=sts, changes=changes,
                draft=not final, snapshot_ref=ref, anggaran=anggaran,
                budget_lines=budget.lines, last_year=last_year, sources=tuple(gathered.sources),
                unavailable=gathered.unavailable,
            )
            existing = app.store.find_document(str(period), key, ref, not final) or _adopt_legacy(
                app, period, key, kind, base, legacy_ref, ref, not final)
            if existing is not None:
                report.documents.append({"kind": key, "path": existing.path, "sha256": existing.sha256,
                                         "draft": existing.draft, "new": False, "link": existing.link,
                                         "letter_number": existing.letter_number, "version": existing.version})
                continue
            letter = _letter_for(app, period, kind, edition, key, ref, reissue=reissue) if final else ""
            version = app.store.next_document_version(str(period), key, not final)
            req = replace(base, letter_number=letter, version=version)
            document = _render_one(app, period, kind, key, req, out_dir, final, report)
            report.documents.append({**document, "name": file_name(kind, req)})
    if pdf:
        report.pdfs += _missing_pdfs(app, [d["path"] for d in report.documents], report)
    write_dokumen_tab(app, legacy=recorded_before)
    return report


@dataclass(frozen=True)
class KeptChart:
    """The chart of one document (``slot``: period, kind and edition) kept in the store's meta table as
    its digest and PNG: a re-render whose chart data did not change (the final after its draft, a Plt.
    signatory, an edited keterangan) takes the PNG instead of drawing it, and changed data replaces it —
    one entry per document, so the store does not grow with every render."""

    app: App
    slot: str

    @property
    def key(self) -> str:
        return f"grafik:{self.slot}"

    def get(self, digest: str) -> bytes | None:
        kept = self.app.store.get_meta(self.key)
        if kept is None or not kept.startswith(digest + "\n"):
            return None
        try:
            return base64.b64decode(kept[len(digest) + 1:], validate=True)
        except ValueError:  # a damaged entry is drawn again
            return None

    def put(self, digest: str, png: bytes) -> None:
        self.app.store.set_meta(self.key, f"{digest}\n{base64.b64encode(png).decode()}")


def _render_one(app: App, period: Period, kind: str, key: str, req: Any, out_dir: Path, final: bool,
                report: RenderReport) -> dict[str, Any]:
    """Render, publish and record one new document version (finals keep their bytes in the store)."""
    from sheets_sync.reports.render import render  # the module shadows the package-level function once imported

    rendered = render(kind, req, out_dir, templates=app.settings.documents.templates,
                      charts=KeptChart(app, f"{period}:{key}"))
    previous = _previous_draft_link(app, period, key) if not final else None
    link = ""
    try:
        link = app.backend.publish(rendered.path, rendered.path.name, replaces=previous)
    except BackendError as exc:
        report.reasons.append(not_published(rendered.path.name, exc))
    with app.store.transaction():
        row = app.store.record_document(str(period), key, not final, str(rendered.path), rendered.sha256,
                                        req.snapshot_ref, app.now(), letter_number=req.letter_number, link=link)
        if final:
            app.store.keep_document_file(row.id, rendered.path.read_bytes())
    return {"kind": key, "path": str(rendered.path), "sha256": rendered.sha256, "draft": not final, "new": True,
            "link": link, "letter_number": req.letter_number, "version": row.version}


def _letter_for(app: App, period: Period, kind: str, edition: str, key: str, ref: str, *, reissue: bool) -> str:
    """A letter number for a new final Surat Pengantar: with ``reissue`` the number of the edition's
    previous final (a corrected re-issue of the same letter), otherwise the next in the register."""
    if kind != "surat_pengantar":
        return ""
    if reissue:
        previous = [d for d in app.store.documents(str(period)) if d.kind == key and not d.draft and d.letter_number]
        if previous:
            return previous[-1].letter_number
    return app.store.letter_number(period.year, f"{key}:{period}:{ref}", f"Surat Pengantar {edition} {period}",
                                   _numbering(app, period), app.now())


def _adopt_legacy(app: App, period: Period, key: str, kind: str, base: Any, legacy_ref: str, ref: str,
                  draft: bool) -> DocumentRow | None:
    """A document recorded by an earlier sheets-sync, keyed on its data only: when rendering it again now
    gives the very same bytes, nothing that shapes it changed — adopt it under the new key instead of
    issuing a new version (and a new letter number) just because the program was upgraded."""
    from sheets_sync.reports.render import render_bytes

    old = app.store.find_document(str(period), key, legacy_ref, draft)
    if old is None:
        return None
    req = replace(base, snapshot_ref=legacy_ref, letter_number=old.letter_number)
    if hashlib.sha256(render_bytes(kind, req, templates=app.settings.documents.templates)).hexdigest() != old.sha256:
        return None
    app.store.update_document_ref(old.id, ref)
    return app.store.find_document(str(period), key, ref, draft)


def check_documents(app: App, period: str | None = None) -> list[tuple[DocumentRow, str]]:
    """Final documents whose file is missing or whose bytes no longer match the register's SHA-256,
    with what is wrong (``hilang`` / ``berubah``)."""
    out = []
    for d in app.store.documents(period):
        if d.draft:
            continue
        path = Path(d.path)
        if not path.is_file():
            out.append((d, "hilang"))
        elif hashlib.sha256(path.read_bytes()).hexdigest() != d.sha256:
            out.append((d, "berubah"))
    return out


def restore_documents(app: App, period: Period) -> list[str]:
    """Put back every final of ``period`` whose file is missing or altered, byte for byte from the copy
    kept in the store; returns one line per document restored (or that could not be)."""
    from sheets_sync.reports.render import write_atomic

    lines = []
    for d, problem in check_documents(app, str(period)):
        content = app.store.document_file(d.id)
        if content is None or hashlib.sha256(content).hexdigest() != d.sha256:
            lines.append(f"{Path(d.path).name} {problem}, dan tidak ada salinannya di basis data")
            continue
        path = Path(d.path)
        if problem == "berubah":  # keep what somebody saved over it, next to the restored original
            path.replace(path.with_name(f"{path.stem} (diubah {app.now():%Y%m%d-%H%M%S}){path.suffix}"))
        write_atomic(path, content)
        lines.append(f"{path.name} {problem} — dipulihkan dari salinan di basis data (SHA-256 cocok)")
        log.warning("document %s was %s; restored from the store", path, problem)
    return lines


def _missing_pdfs(app: App, paths: list[str], report: RenderReport) -> list[str]:
    """``render --pdf``: a PDF beside every document of this render that has none yet (new or old).
    Without LibreOffice nothing is attempted: the .docx stay as rendered and recorded, and one reason
    says how to get PDFs (each document is in ``pdf_failed``)."""
    from sheets_sync.errors import RenderError
    from sheets_sync.reports import to_pdf
    from sheets_sync.reports.pdf import find_soffice

    wanted = [Path(t) for t in paths if Path(t).is_file() and not Path(t).with_suffix(".pdf").is_file()]
    if wanted and find_soffice() is None:
        report.pdf_failed += [d.name for d in wanted]
        report.reasons.append(Text("{n} PDF tidak dibuat: LibreOffice (soffice) tidak terpasang di komputer ini — "
                                   "pasang libreoffice-writer-nogui, fonts-liberation dan fonts-crosextra-carlito "
                                   "(Debian/Ubuntu; sudah ada di image Docker sheets-sync), lalu jalankan render --pdf "
                                   "lagi; dokumen Word sudah dibuat dan tercatat", n=len(wanted)))
        return []
    made = []
    for docx in wanted:
        try:
            pdf = to_pdf(docx)
        except RenderError as exc:
            report.pdf_failed.append(docx.name)
            report.reasons.append(Text("PDF {name} tidak dibuat: {error}", name=docx.name, error=exc.text))
            continue
        try:
            app.backend.publish(pdf, pdf.name, replaces=None)
        except BackendError as exc:
            report.reasons.append(not_published(pdf.name, exc))
        made.append(str(pdf))
    return made


def _numbering(app: App, period: Period) -> Callable[[int], str]:
    pattern = app.settings.documents.letter_pattern
    return lambda n: pattern.format(nomor=n, singkatan=app.settings.office.singkatan, tahun=period.year)


def _previous_draft_link(app: App, period: Period, key: str) -> str | None:
    drafts = [d for d in app.store.documents(str(period)) if d.kind == key and d.draft and d.link]
    return drafts[-1].link if drafts else None


def document_statuses(app: App) -> dict[Ident, str]:
    """The *Status* of every document: what the office typed in ``Dokumen`` (see
    :mod:`sheets_sync.service.review` for the flow), else the last recorded, else its default."""
    from sheets_sync.service.review import current_statuses

    return {k: v.status for k, v in current_statuses(app).items()}


def write_dokumen_tab(app: App, *, legacy: bool = True) -> None:
    """List every recorded document in ``Dokumen``: the Status and Catatan typed by the office are kept,
    status changes are recorded first (with their time in *Status Sejak*; returns e-mailed, final
    documents queued for distribution — :func:`sheets_sync.service.review.sync_statuses`).  A ``Dokumen``
    tab that could not be read is not written (never overwrite what was not read).  ``legacy=False``:
    the control spreadsheet's old ``Dokumen`` tab cannot matter (no document was recorded before), so it
    is not read (see :func:`~sheets_sync.service.dokumen_tab.read_dokumen`)."""
    from sheets_sync.core.fmt import tanggal_jam
    from sheets_sync.service.review import current_statuses, ident, sync_statuses

    tab = read_dokumen(app, legacy=legacy)
    if tab is None:
        return
    sync_statuses(app, tab)
    kept = current_statuses(app, tab.typed)
    rows: list[list[Any]] = [list(DOKUMEN_HEADERS)]
    for d in app.store.documents():
        key = ident(d)
        now = kept[key]
        t = tab.typed.get(key)
        status = t.raw if t and t.raw and not t.status else now.status  # an unknown status stays as typed
        rows.append([d.period, d.kind, d.version, key.jenis, d.letter_number, d.link or Path(d.path).name,
                     d.sha256, d.snapshot_ref[:16], tanggal_jam(d.created_at.astimezone(app.tz)), status,
                     now.catatan or None, tanggal_jam(now.since) if now.since else None])
    # Only the rows that differ from what the tab holds (nothing at all when it is current).
    writes = changed_blocks("Dokumen", tab.rows, rows) if tab.in_report_sheet else [RangeWrite("Dokumen!A1", rows)]
    if not writes:
        return
    try:
        app.backend.write(report_sheet(app), writes)
    except BackendError as exc:
        log.warning("could not write Dokumen: %s", exc)
