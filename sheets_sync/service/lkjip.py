"""``sheets-sync laporan``: the Laporan Kinerja (LKjIP) of a year and the Laporan Kinerja Semester.

What a report is made from, and when it is final:

* the numbers: the frozen approved snapshots of every quarter (TW I–IV for the LKjIP, the two quarters
  of the semester), gathered exactly as ``render`` gathers them for the Pengukuran Kinerja
  (:func:`sheets_sync.service.documents.gather`), the ``Anggaran`` tab (office total and the rows per
  program/kegiatan ``Kode``) and last year's approved data in the store — exactly what the annual
  Pengukuran Kinerja is made from, so Bab III's comparison with last year and the Renstra and its
  efficiency per program print the same rows;
* the words: the ``Narasi`` and ``Analisis`` tabs (:mod:`sheets_sync.core.narasi`).

The LKjIP is **final** only when every bidang of every quarter is approved *and* every required
section and every sasaran's analysis is written; otherwise it is a draft, the missing sections are
printed as ``[Diisi oleh Tim SAKIP: …]`` and listed as findings naming the tab and the section.  The
semester report needs its two quarters approved (its analysis is optional).

Versions: the data a report came from (snapshots, budget, the two tabs' text) is hashed into its
``snapshot_ref``; rendering the same again records nothing new.  Anything changed gives a new version
(``v2``, ``v3`` … per draft/final) in a file of its own — earlier drafts are kept — and a summary of
what changed since the previous version (capaian per indicator, sections rewritten), printed on the
draft's cover and kept in the store (event ``laporan_versi``).  A final LKjIP also gets its *Surat
Pengantar* with its own number from the letter register.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sheets_sync.core.control import Budget
from sheets_sync.core.narasi import (
    ANALISIS_RANGE,
    NARASI_RANGE,
    SECTION_BY_CODE,
    Narrative,
    parse_narrative,
    sasaran_of,
)
from sheets_sync.errors import BackendError, FormNotFound, UsageError
from sheets_sync.model import Control, Finding, Period
from sheets_sync.service.app import App
from sheets_sync.service.control_io import load_control, read_budget
from sheets_sync.service.documents import (
    DRAFT_ASKED,
    finding_reason,
    gather,
    last_year_data,
    not_published,
    write_dokumen_tab,
)
from sheets_sync.texts import Text

if TYPE_CHECKING:
    from sheets_sync.reports.lkjip import ReportKind
    from sheets_sync.reports.request import Edition

VERSION_EVENT = "laporan_versi"


@dataclass
class LaporanReport:
    """What ``laporan`` did: final or draft (``reasons``), the documents, the findings of the Narasi /
    Analisis tabs and the change summary of a new version."""

    final: bool
    documents: list[dict[str, Any]] = field(default_factory=list)
    reasons: list[Text] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    changes: list[Text] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 0 if self.final and not [f for f in self.findings if f.severity == "error"] else 1


def read_narrative(app: App, control: Control) -> Narrative:
    """The ``Narasi`` and ``Analisis`` tabs, validated (a missing tab is a finding, never a crash)."""
    ranges = [NARASI_RANGE, ANALISIS_RANGE]
    try:
        got: dict[str, Any] = dict(app.backend.read(app.settings.control, ranges))
    except FormNotFound:
        tabs = set(app.backend.list_tabs(app.settings.control))
        present = [r for r in ranges if r.split("!")[0] in tabs]
        got = dict(app.backend.read(app.settings.control, present)) if present else {}
    return parse_narrative(got.get(NARASI_RANGE), got.get(ANALISIS_RANGE), sasaran_of(control.indicators))


def _period(year: int, semester: int | None) -> tuple[Period, ReportKind, Edition]:
    if semester is None:
        return Period(year, 4), "laporan_kinerja", "tahunan"
    if semester not in (1, 2):
        raise UsageError(f"semester {semester} does not exist", fix="use --semester 1 or --semester 2")
    return Period(year, 2 * semester), "laporan_kinerja_semester", "semester"


def _text_hash(narrative: Narrative) -> dict[str, str]:
    out = {code: hashlib.sha256("\n".join(paras).encode()).hexdigest()[:16]
           for code, paras in narrative.sections.items()}
    for no, a in narrative.analyses.items():
        out[f"analisis:{no}"] = hashlib.sha256(json.dumps([a.keberhasilan, a.hambatan, a.solusi]).encode()
                                               ).hexdigest()[:16]
    return out


def _section_title(code: str) -> str:
    if code in SECTION_BY_CODE:
        return SECTION_BY_CODE[code].title
    return f"Analisis sasaran {code.split(':', 1)[1]}" if code.startswith("analisis:") else code


def change_summary(previous: dict[str, Any] | None, numbers: dict[str, str], texts: dict[str, str]) -> list[Text]:
    """Lines saying what changed since ``previous`` (the stored summary of the last version): each
    capaian that moved (``Capaian indikator 1.2: 98,00% → 101,62%``), each section written, rewritten or
    emptied.  The first version has no summary.  Texts: the draft's cover prints them in Indonesian, the
    CLI in its language."""
    if previous is None:
        return []
    out: list[Text] = []
    old_n: dict[str, str] = previous.get("numbers", {})
    for code, value in numbers.items():
        before = old_n.get(code)
        if before is not None and before != value:
            if code == "organisasi":
                out.append(Text("Capaian organisasi: {before} → {after}", before=before, after=value))
            else:
                out.append(Text("Capaian indikator {code}: {before} → {after}", code=code, before=before, after=value))
        elif before is None and code != "organisasi":
            out.append(Text("Indikator {code} ditambahkan (capaian {value})", code=code, value=value))
    out += [Text("Indikator {code} dihapus", code=code) for code in old_n if code not in numbers]
    old_t: dict[str, str] = previous.get("texts", {})
    written = [c for c in texts if c not in old_t]
    rewritten = [c for c in texts if c in old_t and old_t[c] != texts[c]]
    emptied = [c for c in old_t if c not in texts]
    if written:
        out.append(Text("Bagian baru diisi: {sections}", sections=", ".join(_section_title(c) for c in written)))
    if rewritten:
        out.append(Text("Bagian diubah: {sections}", sections=", ".join(_section_title(c) for c in rewritten)))
    if emptied:
        out.append(Text("Bagian dikosongkan: {sections}", sections=", ".join(_section_title(c) for c in emptied)))
    return out or [Text("Tidak ada perubahan angka maupun teks (hanya data pendukung).")]


def _changes_since(previous: dict[str, Any] | None, numbers: dict[str, str], texts: dict[str, str],
                   final_ref: str | None) -> list[Text]:
    """:func:`change_summary`, or — for a final made from exactly the last draft (``final_ref`` its
    content reference) — that it is the same as that finalised draft."""
    if final_ref is not None and previous is not None and previous.get("ref") == final_ref:
        return [Text("Sama dengan draft versi {version} yang telah difinalisasi.", version=previous["version"])]
    return change_summary(previous, numbers, texts)


def _previous_version(app: App, period: Period, kind: str) -> dict[str, Any] | None:
    events = [e for e in app.store.events(VERSION_EVENT, str(period)) if e["detail"].get("kind") == kind]
    return events[-1]["detail"] if events else None


def _content_ref(data_ref: str, budget: Budget, last_hashes: list[str], texts: dict[str, str]) -> str:
    """The report's ``snapshot_ref``: the snapshots, the budget and the two tabs' text.  The numbers come
    from exactly what the Pengukuran Kinerja uses, so the budget per program/kegiatan and last year's
    approved data are part of it too (a change to either is a new version); a report without them keeps
    the key it had before they were used."""
    lines = sorted((k, sorted(v.items())) for k, v in budget.lines.items())
    shaped: list[Any] = [data_ref, sorted(budget.total.items()), sorted(texts.items())]
    if lines or last_hashes:
        shaped += [lines, sorted(last_hashes)]
    return hashlib.sha256(json.dumps(shaped).encode()).hexdigest()


def render_laporan(app: App, year: int, *, semester: int | None = None, draft: bool = False) -> LaporanReport:
    """Render the LKjIP of ``year`` (or the Laporan Kinerja Semester ``semester``); see the module
    docstring.  Returns what was made and why it is still a draft."""
    from sheets_sync.reports import RenderRequest
    from sheets_sync.reports.lkjip import LkjipRequest, build_lkjip_context, capaian_summary, render_lkjip
    from sheets_sync.service.review import sync_statuses

    period, kind, edition = _period(year, semester)
    app.check_period(period)
    sync_statuses(app)  # a return typed in Dokumen is recorded (and e-mailed) before the next draft
    control = load_control(app)
    gathered = gather(app, period, control, want_final=not draft)
    final, data, ref, reasons = gathered.final, gathered.data, gathered.ref, gathered.reasons
    budget = read_budget(app.backend, app.settings.control, period)
    anggaran = budget.total
    lalu = last_year_data(app, period, control)
    last_year, last_hashes = lalu.data, lalu.hashes
    narrative = read_narrative(app, control)
    annual = semester is None
    report = LaporanReport(final, reasons=list(reasons) if not draft else [DRAFT_ASKED],
                           findings=list(narrative.findings))
    if annual and not narrative.complete:
        report.final = final = False
        report.reasons += [finding_reason(f) for f in narrative.findings
                           if f.code in ("narasi_kosong", "analisis_kosong", "tab_hilang")]
    report.reasons += [finding_reason(f) for f in budget.findings]
    texts = _text_hash(narrative)
    ref = _content_ref(ref, budget, last_hashes, texts)
    key = f"{kind}:{edition}"
    if final and annual and not _finalised(app, period, key, ref):
        report.final = final = False
        report.reasons.append(Text("Draft Laporan Kinerja dengan isi ini belum difinalisasi: setelah rapat "
                                   "finalisasi, isi Status Finalisasi pada baris draft tersebut di tab Dokumen, lalu "
                                   "jalankan laporan kembali."))
    existing = app.store.find_document(str(period), key, ref, not final)
    if existing is not None:
        report.documents.append({"kind": key, "path": existing.path, "sha256": existing.sha256,
                                 "draft": existing.draft, "new": False, "version": existing.version,
                                 "letter_number": existing.letter_number})
        return report
    decided = [a.decided_on for u in control.units if (a := app.store.current_approval(u.code, str(period)))
               and a.decided_on]
    generated_on = date.fromisoformat(max(decided)[:10]) if final and decided else app.now().date()
    version = 1 + sum(1 for d in app.store.documents(str(period)) if d.kind == key and d.draft == (not final))
    base = RenderRequest(
        office=app.settings.office, documents=app.settings.documents, rules=app.settings.rules, period=period,
        edition=edition,
        indicators=control.indicators, units=control.units, data=data, generated_on=generated_on,
        draft=not final, snapshot_ref=ref, anggaran=anggaran, budget_lines=budget.lines, last_year=last_year,
        sources=tuple(gathered.sources), unavailable=gathered.unavailable)
    if not annual:  # the semester report: analysis is optional, never a placeholder in a final
        narrative = Narrative(narrative.sections, narrative.analyses, (), narrative.findings)
    probe = LkjipRequest(base, narrative, tuple(sasaran_of(control.indicators)), version, kind=kind)
    numbers = capaian_summary(build_lkjip_context(probe))
    previous = _previous_version(app, period, key)
    report.changes = _changes_since(previous, numbers, texts, ref if final else None)
    printed = () if final else tuple(c.render() for c in report.changes)  # a final's cover has no change list
    req = LkjipRequest(base, narrative, probe.sasaran, version, printed, kind=kind)
    out_dir = app.settings.documents.output / str(period)
    out_dir.mkdir(parents=True, exist_ok=True)
    made = [(key, render_lkjip(kind, req, out_dir), "")]
    if final and annual:
        letter = app.store.letter_number(year, f"surat_pengantar_lkjip:{year}:{ref}",
                                         f"Surat Pengantar Laporan Kinerja Tahun {year}", _numbering(app, year),
                                         app.now())
        made.append(("surat_pengantar_lkjip:tahunan",
                     render_lkjip("surat_pengantar_lkjip", req, out_dir, letter_number=letter), letter))
    for doc_kind, rendered, letter in made:
        try:
            link = app.backend.publish(rendered.path, rendered.path.name)  # earlier versions keep their files
        except BackendError as exc:
            link = ""
            report.reasons.append(not_published(rendered.path.name, exc))
        row = app.store.record_document(str(period), doc_kind, not final, str(rendered.path), rendered.sha256, ref,
                                        app.now(), letter_number=letter, link=link)
        report.documents.append({"kind": doc_kind, "path": str(rendered.path), "sha256": rendered.sha256,
                                 "draft": not final, "new": True, "version": row.version, "letter_number": letter,
                                 "link": link})
    app.store.add_event(VERSION_EVENT, app.now(), period=str(period),
                        detail={"kind": key, "version": version, "draft": not final, "ref": ref,
                                "numbers": numbers, "texts": texts, "changes": [c.render() for c in report.changes],
                                "missing": list(narrative.missing)})
    write_dokumen_tab(app)
    return report


def _finalised(app: App, period: Period, key: str, ref: str) -> bool:
    """True when the draft made from exactly this content has reached *Finalisasi* in ``Dokumen`` (the
    finalisation meeting of the SOP); only then is the final made."""
    from sheets_sync.service.review import current_statuses, ident, reached

    draft = app.store.find_document(str(period), key, ref, True)
    if draft is None:
        return False
    now = current_statuses(app).get(ident(draft))
    return now is not None and reached(now.status, "Finalisasi")


def _numbering(app: App, year: int) -> Any:
    pattern = app.settings.documents.letter_pattern
    return lambda n: pattern.format(nomor=n, singkatan=app.settings.office.singkatan, tahun=year)
