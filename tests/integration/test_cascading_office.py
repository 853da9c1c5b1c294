"""An office with the whole Renstra cascading (tujuan → sasaran → program → kegiatan) and a budget per
program, run by the real service on the local .xlsx backend: forms grouped by level, the Pengukuran
Kinerja with one table per level and the efficiency table — every number read back from the .docx —
and, a year later on the same store, the comparison with last year's approved data without retyping."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from docx import Document
from docx.table import _Cell
from openpyxl import load_workbook

from sheets_sync.config import load
from sheets_sync.core.clock import ManualClock
from sheets_sync.core.control import INDIKATOR_HEADERS
from sheets_sync.model import Period
from sheets_sync.service.app import App
from sheets_sync.service.approvals import apply_approvals
from sheets_sync.service.control_io import load_control
from sheets_sync.service.demo import decide, type_into
from sheets_sync.service.documents import render_period
from sheets_sync.service.office import init_office
from sheets_sync.service.poll import poll
from sheets_sync.service.provision import provision
from sheets_sync.service.status_view import status_json

WIB = ZoneInfo("Asia/Jakarta")
EXTRA = ("Tingkat", "Kode Induk", "IKU", "Penanggung Jawab", "Rumus Negatif", "Realisasi Tahun Lalu",
         "Target Akhir Renstra", "Periode Renstra")
T1 = "Terwujudnya ASN yang profesional dan berkinerja tinggi"
S1, S2 = "Meningkatnya kompetensi ASN", "Meningkatnya penerapan sistem merit"
P1, P2 = "Program Pengembangan Sumber Daya Manusia", "Program Kepegawaian Daerah"
K1, K2 = "Penyelenggaraan Diklat Teknis", "Uji Kompetensi dan Asesmen"
# kode, bidang, element, indikator, satuan, polaritas, konsolidasi, konvensi, tahunan, TW I–IV, cara,
# tingkat, induk, IKU, penanggung jawab, rumus, realisasi tahun lalu, target Renstra, periode
MASTER = [
    ("T.1", "SEK", T1, "Indeks Profesionalitas ASN", "indeks", "positif", "nilai_akhir", "kumulatif", "75",
     "75", "75", "75", "75", "BKN", "tujuan", "", "ya", "Kepala Badan", "", "", "80", "2021–2026"),
    ("1.1", "SEK", S1, "Persentase ASN memenuhi 20 JP", "%", "positif", "nilai_akhir", "kumulatif", "80",
     "20", "40", "60", "80", "", "sasaran", "T.1", "ya", "Kepala Badan", "", "", "90", "2021–2026"),
    ("1.2", "MP", S2, "Persentase ASN yang dijatuhi hukuman disiplin", "%", "negatif", "rasio", "kumulatif",
     "0,20", "0,05", "0,10", "0,15", "0,20", "", "sasaran", "T.1", "ya", "Kepala Badan", "", "", "", ""),
    ("1.1.1", "PKA", P1, "Jumlah ASN yang mengikuti diklat", "orang", "positif", "jumlah", "per_triwulan",
     "400", "100", "100", "100", "100", "", "program", "1.1", "tidak", "Kepala Bidang PKA", "", "", "", ""),
    ("1.2.1", "MP", P2, "Persentase jabatan terisi sesuai kompetensi", "%", "positif", "rasio", "kumulatif",
     "90", "90", "90", "90", "90", "", "program", "1.2", "tidak", "Kepala Bidang MP", "", "", "", ""),
    ("1.1.1.1", "PKA", K1, "Jumlah diklat teknis terselenggara", "kegiatan", "positif", "jumlah",
     "per_triwulan", "8", "2", "2", "2", "2", "", "kegiatan", "1.1.1", "tidak", "Kasubbid Diklat", "", "", "",
     ""),
    ("1.1.1.2", "PKA", K2, "Rata-rata hari penyelesaian asesmen", "hari", "negatif", "rata_rata", "kumulatif",
     "10", "10", "10", "10", "10", "", "kegiatan", "1.1.1", "tidak", "Kasubbid Asesmen", "B", "", "", ""),
]
ANGGARAN = [["Periode", "Kode", "Pagu", "Realisasi"],
            ["2025-TW1", "", "4.250.000.000", "812.500.000"],
            ["2025-TW1", "1.1.1", "1.000.000.000", "250.000.000"],
            ["2025-TW1", "1.2.1", "500.000.000", "100.000.000"],
            ["2025-TW1", "1.1.1.1", "400.000.000", "90.000.000"]]
TYPED = {
    "SEK": {"T.1:realisasi": 74, "1.1:realisasi": "21,5"},
    "MP": {"1.2:pembilang": 1, "1.2:penyebut": "2.400", "1.2.1:pembilang": 45, "1.2.1:penyebut": 50},
    "PKA": {"1.1.1:realisasi": 110, "1.1.1.1:realisasi": 2, "1.1.1.2:realisasi": 12,
            "1.1.1.2:keterangan": "Asesor terbatas"},
}


def _office(tmp: Path) -> Path:
    config = init_office(tmp / "kantor", "bkpsdm")
    control = config.parent / "Kendali Data Kinerja.xlsx"
    wb = load_workbook(control)
    ws = wb["Indikator"]
    ws.delete_rows(1, ws.max_row)
    ws.append([*INDIKATOR_HEADERS, *EXTRA])
    for row in MASTER:
        ws.append(list(row))
    ws = wb["Anggaran"]
    ws.delete_rows(1, ws.max_row)
    for row in ANGGARAN:
        ws.append(row)
    wb.save(control)
    return config


def _cycle(app: Any, clock: ManualClock, period: Period, typed: dict[str, dict[str, Any]]) -> Any:
    provision(app, period)
    for unit, edits in typed.items():
        type_into(app, unit, {**edits, "selesai": "Selesai"}, period)
    clock.set(clock.now.replace(hour=10))
    poll(app, period)
    decide(app, [[str(period), code, "Disetujui", "", f"{period.year}-04-14"]
                 for code in ("SEK", "PPIK", "MP", "PKA", "PKAP")])
    clock.set(clock.now.replace(hour=11))
    apply_approvals(app, period)
    return render_period(app, period)


def _tables(path: Path) -> list[list[list[str]]]:
    doc = Document(str(path))
    return [[[_Cell(tc, t).text for tc in row._tr.tc_lst] for row in t.rows] for t in doc.tables]


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.text.strip()]


def test_a_cascading_office_gets_level_forms_level_tables_and_efficiency(tmp_path: Path) -> None:
    config = _office(tmp_path)
    clock = ManualClock(datetime(2025, 4, 8, 8, 0, tzinfo=WIB))
    app = App.from_settings(load(config), clock=clock)
    try:
        report = _cycle(app, clock, Period(2025, 1), TYPED)
        assert report.final, report.reasons
        # forms: PKA's program row first, then its kegiatan, each naming its level
        ws = load_workbook(app.store.forms(2025)["PKA"].link)["TW1"]
        rows = [[c.value for c in r] for r in ws.iter_rows(min_row=6, max_row=8, max_col=4)]
        assert [(r[1], r[2]) for r in rows] == [("1.1.1", f"Program: {P1}"), ("1.1.1.1", f"Kegiatan: {K1}"),
                                                ("1.1.1.2", f"Kegiatan: {K2}")]
        out = app.settings.documents.output / "2025-TW1" / "Pengukuran Kinerja 2025-TW1 v1.docx"
        tables = _tables(out)
        heads = [p for p in _paragraphs(out) if p.startswith("Tingkat ")]
        assert heads == ["Tingkat Tujuan", "Tingkat Sasaran Strategis", "Tingkat Program", "Tingkat Kegiatan"]
        tujuan, sasaran, program, kegiatan, efisiensi = tables[:5]
        assert tujuan[0][1] == "Tujuan" and program[0][1] == "Program" and kegiatan[0][1] == "Kegiatan"

        def line(table: list[list[str]], code_name: str) -> list[str]:
            return next(r for r in table if r[2] == code_name)

        assert line(tujuan, "Indeks Profesionalitas ASN")[4:8] == ["75", "75", "74", "98,67%"]
        assert line(sasaran, "Persentase ASN memenuhi 20 JP")[5:8] == ["20", "21,5", "107,50%"]
        assert line(sasaran, "Persentase ASN yang dijatuhi hukuman disiplin")[5:8] == ["0,05", "0,0417",
                                                                                      "116,67%"]
        assert line(program, "Jumlah ASN yang mengikuti diklat")[5:8] == ["100", "110", "110,00%"]
        assert line(kegiatan, "Rata-rata hari penyelesaian asesmen")[5:8] == ["10", "12", "83,33%"]  # rumus B
        summaries = {r[0]: r[1] for t in (tujuan, sasaran, program, kegiatan) for r in t if r[0].startswith("Capaian")}
        assert summaries == {
            "Capaian Tujuan 1": "98,67%", "Capaian Sasaran Strategis 1.1": "107,50%",
            "Capaian Sasaran Strategis 1.2": "116,67%", "Capaian Kinerja Organisasi": "112,08%",
            "Capaian Program 1.1.1": "110,00%", "Capaian Program 1.2.1": "100,00%",
            "Capaian Kegiatan 1.1.1.1": "100,00%", "Capaian Kegiatan 1.1.1.2": "83,33%"}
        assert sum(1 for t in tables[:4] for r in t if r[0] == "Capaian Kinerja Organisasi") == 1  # sasaran only
        eff = {r[0]: r[1:] for r in efisiensi[2:]}
        assert eff["1.1.1"] == [P1, "Rp1.000.000.000", "Rp250.000.000", "25,00%", "110,00%",
                                "77,27%", "efisien"]
        assert eff["1.2.1"][4:6] == ["100,00%", "80,00%"]
        assert eff["1.1.1.1"][0] == f"Kegiatan {K1}" and eff["1.1.1.1"][5] == "77,50%"
        assert eff["Jumlah"][:5] == ["Rp1.500.000.000", "Rp350.000.000", "23,33%", "", "78,13%"]  # programs only
        assert any("Pagu anggaran: Rp4.250.000.000" in p for p in _paragraphs(out))
        renstra = next(t for t in tables if t[0][-1] == "Capaian thd Target Renstra")
        assert [r[1] for r in renstra[2:]] == ["Indeks Profesionalitas ASN", "Persentase ASN memenuhi 20 JP"]
        assert [r[-2:] for r in renstra[2:]] == [["80 (2021–2026)", "92,50%"], ["90 (2021–2026)", "23,89%"]]
    finally:
        app.store.close()

    # a year later, same store: last year's approved TW I is the comparison, nothing retyped
    text = config.read_text(encoding="utf-8").replace("tahun = 2025", "tahun = 2026")
    config.write_text(text, encoding="utf-8")
    control = config.parent / "Kendali Data Kinerja.xlsx"
    wb = load_workbook(control)
    wb["Jadwal"].append(["2026-TW1", "2026-04-08 08:00", "2026-04-10 16:00", "2026-04-21", "2026-04-14"])
    for row in ANGGARAN[1:]:
        wb["Anggaran"].append(["2026-TW1", *row[1:]])
    wb.save(control)
    clock = ManualClock(datetime(2026, 4, 8, 8, 0, tzinfo=WIB))
    app = App.from_settings(load(config), clock=clock)
    try:
        typed = {**TYPED, "SEK": {"T.1:realisasi": 76, "1.1:realisasi": 23}}
        report = _cycle(app, clock, Period(2026, 1), typed)
        assert report.final, report.reasons
        out = app.settings.documents.output / "2026-TW1" / "Pengukuran Kinerja 2026-TW1 v1.docx"
        cmp = next(t for t in _tables(out) if t[0][3] == "Realisasi 2025")
        by = {r[1]: r for r in cmp[2:]}
        assert by["Persentase ASN memenuhi 20 JP"][3:8] == ["21,5", "23", "+1,5", "6,98%", "kenaikan (membaik)"]
        assert by["Indeks Profesionalitas ASN"][3:8] == ["74", "76", "+2", "2,70%", "kenaikan (membaik)"]
        assert by["Rata-rata hari penyelesaian asesmen"][3:8] == ["12", "12", "0", "0,00%", "tetap"]
        js = status_json(app, Period(2026, 1), load_control(app), [])
        cap = {c["indicator"]: c for c in js["capaian"]}
        assert cap["1.1"]["tahun_lalu"]["arah"] == "kenaikan" and cap["1.1"]["tahun_lalu"]["perubahan"] == 6.98
        assert cap["T.1"]["renstra"]["capaian"] == "95,00%"
    finally:
        app.store.close()
