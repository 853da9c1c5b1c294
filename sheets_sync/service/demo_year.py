"""A whole year of the sample BKPSDM office ending in the final Laporan Kinerja (``sheets-sync demo
--tahun``; also the fixture of the LKjIP tests).

Before TW I the PPKP completes the sample master the way an office with a Renstra does
(:func:`write_master`): one program under each sasaran strategis (the cascading columns), the
Penanggung Jawab of every row, last year's realisasi and target and the Renstra end target of the
sasaran indicators.  Each triwulan is opened (forms provisioned), every bidang types the sample
realisasi (:data:`sheets_sync.reports.sample.REALISASI` and :data:`PROGRAM_REALISASI`) into its .xlsx
form as Excel would save it, the service polls, and the review meeting approves every bidang in
``Persetujuan``.  The year's Anggaran has the office total and one row per program (its Kode).
Then the Tim SAKIP works on the report the way the Nuha/Darangdan SOPs describe: a first draft with
the narrative still empty (placeholders and findings), the ``Narasi`` and ``Analisis`` tabs filled, a
second draft returned with
notes (*Dikoreksi* in ``Dokumen``, e-mailed to the Tim SAKIP and the bidang concerned), corrected, a
third draft finalised in the meeting (*Finalisasi*), and the final LKjIP with its numbered Surat
Pengantar, sent once to the distribution list.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sheets_sync.i18n import _
from sheets_sync.model import Period, Raw

WIB = ZoneInfo("Asia/Jakarta")
YEAR = 2025

NARASI: dict[str, str] = {
    "kata_pengantar": "Puji syukur kami panjatkan ke hadirat Tuhan Yang Maha Esa karena atas rahmat-Nya Laporan "
                      "Kinerja Instansi Pemerintah (LKjIP) BKPSDM Kabupaten Sukamaju Tahun 2025 dapat disusun.\n"
                      "Laporan ini merupakan wujud akuntabilitas atas pelaksanaan Perjanjian Kinerja Tahun 2025.",
    "latar_belakang": "Peraturan Presiden Nomor 29 Tahun 2014 mewajibkan setiap instansi pemerintah menyusun "
                      "laporan kinerja sebagai bentuk pertanggungjawaban atas pelaksanaan tugas dan fungsi.",
    "tugas_fungsi": "BKPSDM mempunyai tugas membantu Bupati melaksanakan fungsi penunjang urusan pemerintahan "
                    "bidang kepegawaian serta pendidikan dan pelatihan.",
    "struktur_organisasi": "BKPSDM dipimpin oleh Kepala Badan dibantu Sekretaris dan empat Kepala Bidang: PPIK, "
                           "Mutasi dan Promosi, Pengembangan Kompetensi Aparatur, serta Penilaian Kinerja "
                           "Aparatur dan Penghargaan.",
    "isu_strategis": "Isu strategis meliputi pemerataan kompetensi ASN, penerapan sistem merit, dan percepatan "
                     "layanan kepegawaian berbasis digital.",
    "tujuan_sasaran": "Tujuan Renstra 2021–2026: meningkatnya kualitas manajemen ASN, dengan tiga sasaran "
                      "strategis sebagaimana tercantum pada Perjanjian Kinerja.",
    "kesimpulan": "Secara umum sasaran strategis Tahun 2025 tercapai dengan predikat Sangat Tinggi.",
    "langkah_perbaikan": "Mempercepat pemutakhiran data SIASN dan menjadwalkan diklat teknis sejak triwulan I.",
}

ANALISIS: list[list[Raw]] = [
    ["Kode Sasaran", "Keberhasilan", "Hambatan", "Solusi"],
    ["1", "Diklat daring bersama BPSDM Provinsi menjangkau lebih banyak ASN.",
     "Sebagian diklat teknis tertunda pada triwulan II.", "Jadwal diklat teknis disusun sejak awal tahun."],
    ["2", "Seleksi terbuka JPT dilaksanakan sesuai sistem merit.", "", ""],
    ["3", "Layanan kenaikan pangkat tepat waktu meningkat.", "Data pensiun belum seluruhnya mutakhir di SIASN.",
     "Rekonsiliasi data SIASN setiap bulan bersama BKN."],
]

JADWAL_OPENS = {1: datetime(2025, 4, 8, 8, 0, tzinfo=WIB), 2: datetime(2025, 7, 1, 8, 0, tzinfo=WIB),
                3: datetime(2025, 10, 1, 8, 0, tzinfo=WIB), 4: datetime(2026, 1, 5, 8, 0, tzinfo=WIB)}
MEETINGS = {1: "2025-04-14", 2: "2025-07-07", 3: "2025-10-06", 4: "2026-01-12"}


KEPALA = "Kepala Badan"
# The optional Indikator columns the PPKP adds (Tingkat … Periode Renstra), per sasaran indicator code:
# realisasi and target of last year, Renstra end target (2021–2026).
MASTER_EXTRA_HEADERS = ("Tingkat", "Kode Induk", "Penanggung Jawab", "Realisasi Tahun Lalu", "Target Tahun Lalu",
                        "Target Akhir Renstra", "Periode Renstra")
RENSTRA: dict[str, tuple[str, str, str]] = {
    "1.1": ("71,85", "72,00", "75,00"),
    "1.2": ("76,40", "75,00", "90,00"),
    "2.1": ("285", "280", "325"),
    "3.1": ("84,15", "82,00", "88,00"),
    "3.3": ("12", "12", "7"),
    "3.5": ("68,40", "70,00", "80,00"),
}
# One program per sasaran strategis: kode, bidang, program, indikator, satuan, polaritas, konsolidasi,
# konvensi, tahunan, TW I–IV, cara pengukuran, Kode Induk, Penanggung Jawab.
PROGRAMS: tuple[tuple[str, ...], ...] = (
    ("1.2.1", "PKA", "Program Pengembangan Sumber Daya Manusia", "Jumlah ASN yang mengikuti pelatihan teknis",
     "orang", "positif", "jumlah", "per_triwulan", "240", "60", "60", "60", "60", "Daftar hadir pelatihan", "1.2",
     "Kepala Bidang Pengembangan Kompetensi Aparatur"),
    ("2.2.1", "MP", "Program Kepegawaian Daerah", "Persentase usulan mutasi yang diproses tepat waktu", "%",
     "positif", "rasio", "kumulatif", "95", "95", "95", "95", "95", "Usulan tepat waktu / usulan masuk x 100", "2.2",
     "Kepala Bidang Mutasi dan Promosi"),
    ("3.4.1", "PPIK", "Program Sistem Informasi Kepegawaian", "Jumlah layanan kepegawaian daring yang beroperasi",
     "layanan", "positif", "nilai_akhir", "kumulatif", "12", "6", "8", "10", "12", "Layanan aktif pada akhir "
     "triwulan", "3.4", "Kepala Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian"),
)
PROGRAM_REALISASI: dict[str, dict[int, tuple[Any, str]]] = {
    "1.2.1": {1: (55, ""), 2: (48, "Dua pelatihan dijadwal ulang."), 3: (70, ""), 4: (65, "")},
    "2.2.1": {1: ((38, 40), ""), 2: ((45, 48), ""), 3: ((29, 30), ""), 4: ((50, 52), "")},
    "3.4.1": {1: (6, ""), 2: (8, ""), 3: (9, "Integrasi SIASN tertunda."), 4: (11, "")},
}
# The Anggaran per program s.d. TW IV (pagu, realisasi); the office total stays its own row.
BUDGET: dict[str, tuple[str, str]] = {
    "1.2.1": ("1.200.000.000", "1.134.500.000"),
    "2.2.1": ("850.000.000", "801.250.000"),
    "3.4.1": ("650.000.000", "612.800.000"),
}


def write_master(app: Any) -> None:
    """The PPKP completes the Indikator tab before the year starts (typed as in Excel): the optional
    columns after Cara Pengukuran, a Penanggung Jawab on every row, the Renstra/last-year numbers of
    :data:`RENSTRA`, and the :data:`PROGRAMS` rows."""
    from sheets_sync.backends.local import append_as_person, rows_as_person, type_as_person
    from sheets_sync.core.a1 import cell

    path = Path(app.settings.control)
    rows = rows_as_person(path, "Indikator")
    first = len(rows[0]) + 1
    cells: dict[str, Raw] = {cell(1, first + i): h for i, h in enumerate(MASTER_EXTRA_HEADERS)}
    for n, row in enumerate(rows[1:], start=2):
        code = str(row[0])
        lalu, target_lalu, renstra = RENSTRA.get(code, ("", "", ""))
        values = ("sasaran", "", KEPALA, lalu, target_lalu, renstra, "2021–2026" if renstra else "")
        cells.update({cell(n, first + i): v or None for i, v in enumerate(values)})
    type_as_person(path, "Indikator", cells)
    append_as_person(path, "Indikator", [[*p[:14], "program", p[14], p[15]] for p in PROGRAMS])


def _edits(unit: str, quarter: int, indicators: Any) -> dict[str, Raw]:
    from sheets_sync.reports.sample import REALISASI

    values = {**REALISASI, **PROGRAM_REALISASI}
    edits: dict[str, Raw] = {}
    for ind in indicators:
        if ind.unit != unit or quarter not in values.get(ind.code, {}):
            continue
        value, ket = values[ind.code][quarter]
        if isinstance(value, tuple):
            edits[f"{ind.code}:pembilang"], edits[f"{ind.code}:penyebut"] = value
        else:
            edits[f"{ind.code}:realisasi"] = value
        if value == "-" and not ket:
            ket = "Indikator diukur tahunan."
        if ket:
            edits[f"{ind.code}:keterangan"] = ket
    edits["selesai"] = "Selesai"
    return edits


def play_quarters(app: Any, clock: Any, quarters: tuple[int, ...] = (1, 2, 3, 4)) -> None:
    """Open, fill, poll and approve each quarter of :data:`YEAR` (every bidang approved)."""
    from sheets_sync.service.approvals import apply_approvals
    from sheets_sync.service.control_io import load_control
    from sheets_sync.service.demo import decide, type_into
    from sheets_sync.service.poll import poll
    from sheets_sync.service.provision import provision

    if 1 in quarters:
        write_master(app)
    control = load_control(app)
    for q in quarters:
        period = Period(YEAR, q)
        clock.set(JADWAL_OPENS[q])
        provision(app, period)
        for unit in control.units:
            type_into(app, unit.code, _edits(unit.code, q, control.indicators), period)
        poll(app, period)
        decide(app, [[str(period), u.code, "Disetujui", "", MEETINGS[q]] for u in control.units])
        apply_approvals(app, period)


def write_budget(app: Any) -> None:
    """The year's budget s.d. TW IV (Anggaran tab): the office total and one row per program, keyed by the
    program's indicator code in a ``Kode`` column the PPKP adds."""
    from sheets_sync.backends.local import append_as_person, rows_as_person, type_as_person
    from sheets_sync.core.a1 import cell

    path = Path(app.settings.control)
    header = list(rows_as_person(path, "Anggaran")[0])
    if "Kode" not in header:
        type_as_person(path, "Anggaran", {cell(1, len(header) + 1): "Kode"})
        header.append("Kode")
    at = {h: i for i, h in enumerate(header)}

    def row(pagu: str, real: str, kode: str = "") -> list[Raw]:
        out: list[Raw] = [None] * len(header)
        for name, value in (("Periode", f"{YEAR}-TW4"), ("Pagu", pagu), ("Realisasi", real), ("Kode", kode or None)):
            out[at[name]] = value
        return out

    append_as_person(path, "Anggaran", [row("4.250.000.000", "3.987.450.000"),
                                        *(row(p, r, k) for k, (p, r) in BUDGET.items())])


def write_narrative(app: Any, *, sections: dict[str, str] | None = None, analisis: bool = True) -> None:
    """The Tim SAKIP types the Narasi (one row per section) and Analisis tabs, as in Excel."""
    from sheets_sync.backends.local import type_as_person

    texts = NARASI if sections is None else sections
    cells: dict[str, Raw] = {"A1": "Kode Bagian", "B1": "Teks"}
    for n, (code, text) in enumerate(texts.items(), start=2):
        cells[f"A{n}"], cells[f"B{n}"] = code, text
    type_as_person(Path(app.settings.control), "Narasi", cells)
    if analisis:
        type_as_person(Path(app.settings.control), "Analisis",
                       {f"{'ABCD'[c]}{r}": v for r, row in enumerate(ANALISIS, 1) for c, v in enumerate(row)})


def set_status(app: Any, kind: str, version: int, draft: bool, status: str, catatan: str = "") -> None:
    """The PPKP types a document's Status (and Catatan) in the Dokumen tab (locally in the companion
    workbook the service writes its tabs to)."""
    from sheets_sync.backends.local import rows_as_person, type_as_person
    from sheets_sync.core.a1 import cell

    path = Path(app.backend.report_sheet(app.settings.control))
    rows = rows_as_person(path, "Dokumen")
    head = list(rows[0])
    edits: dict[str, Raw] = {}
    for n, row in enumerate(rows[1:], start=2):
        if row[1] == kind and str(row[2]) == str(version) and row[3] == ("Draft" if draft else "Final"):
            edits[cell(n, head.index("Status") + 1)] = status
            edits[cell(n, head.index("Catatan") + 1)] = catatan or None
    type_as_person(path, "Dokumen", edits)


def play_report(app: Any, clock: Any, out: TextIO | None = None) -> Any:
    """From the approved year to the final LKjIP (see the module docstring); returns the last report."""
    from sheets_sync.service.lkjip import render_laporan
    from sheets_sync.service.review import sync_statuses

    def say(text: str) -> None:
        if out is not None:
            out.write(text + "\n")

    clock.set(datetime(2026, 1, 20, 9, 0, tzinfo=WIB))
    write_budget(app)
    first = render_laporan(app, YEAR)
    if first.findings:
        say(_("Draft 1 LKjIP: {n} temuan pada tab Narasi/Analisis, misalnya: {where} — {finding}").format(
            n=len(first.findings), where=first.findings[0].location, finding=first.findings[0].message_in(_)))
    else:
        say("Draft 1 LKjIP")
    clock.set(datetime(2026, 1, 22, 9, 0, tzinfo=WIB))
    partial = {k: v for k, v in NARASI.items() if k != "isu_strategis"}
    write_narrative(app, sections=partial)
    second = render_laporan(app, YEAR)
    say("Draft 2 LKjIP: " + "; ".join(c.render(_) for c in second.changes))
    clock.set(datetime(2026, 1, 23, 10, 0, tzinfo=WIB))
    set_status(app, "laporan_kinerja:tahunan", 2, True, "Dikoreksi",
               "isu_strategis: belum diisi; analisis 2: jelaskan hambatan seleksi JPT")
    sync_statuses(app)
    say(_("Draft 2 dikembalikan (Dikoreksi) — e-mail ke Tim SAKIP dan bidang terkait."))
    clock.set(datetime(2026, 1, 26, 9, 0, tzinfo=WIB))
    write_narrative(app)
    third = render_laporan(app, YEAR)
    say("Draft 3 LKjIP: " + "; ".join(c.render(_) for c in third.changes))
    clock.set(datetime(2026, 1, 28, 13, 0, tzinfo=WIB))
    set_status(app, "laporan_kinerja:tahunan", 3, True, "Finalisasi")
    final = render_laporan(app, YEAR)
    say(_("LKjIP final: {files}").format(files=", ".join(Path(d["path"]).name for d in final.documents)))
    return final


def run_year_demo(folder: Path, out: TextIO) -> int:
    """``sheets-sync demo --tahun DIR``: a fresh sample office and its whole year (see module docstring)."""
    from sheets_sync.config import load
    from sheets_sync.core.clock import ManualClock
    from sheets_sync.notify import deliver_due
    from sheets_sync.service.app import App
    from sheets_sync.service.demo import fresh_demo_office

    cfg = fresh_demo_office(folder, out)
    if cfg is None:
        return 2
    text = cfg.read_text(encoding="utf-8").replace("distribusi = []",
                                                   'distribusi = ["inspektorat@sukamaju.example", '
                                                   '"bappeda@sukamaju.example"]')
    cfg.write_text(text, encoding="utf-8")
    clock = ManualClock(JADWAL_OPENS[1])
    app = App.from_settings(load(cfg), clock=clock)
    out.write(_("Satu tahun data kinerja BKPSDM Sukamaju 2025: TW I–IV diisi dan disetujui.") + "\n")
    play_quarters(app, clock)
    final = play_report(app, clock, out)
    sent = deliver_due(app.store, app.mailer(), app.now(), sender=app.settings.notify.sender)
    out.write(_("E-mail terkirim: {n} ({kinds})").format(n=len(sent.sent), kinds=", ".join(sent.sent)) + "\n")
    out.write(_("Dokumen di {folder}").format(folder=app.settings.documents.output) + "\n")
    app.store.close()
    return 0 if final.final else 1
