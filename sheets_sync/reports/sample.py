"""Sample requests: the shipped BKPSDM Sukamaju office with a plausible year of realisasi (for the demo,
the docs screenshots and template checks), and a synthetic office of any size (for the benchmark).
Pure: reads only the package's own sample CSVs."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from sheets_sync.config import DocumentSettings, RuleSettings, Signatory
from sheets_sync.model import ApprovedChange, Finding, Indicator, Office, Period, Unit, UnitStatus
from sheets_sync.reports.request import Edition, RenderRequest
from sheets_sync.texts import Text

OFFICE = Office(
    pemerintah="PEMERINTAH KABUPATEN SUKAMAJU",
    instansi="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", singkatan="BKPSDM", kota="Sukamaju",
    alamat="Jl. Jenderal Sudirman No. 10, Sukamaju 77111", telepon="(0556) 21234",
    email="bkpsdm@sukamaju.example", laman="bkpsdm.sukamaju.example")

SIGNATORY = Signatory(jabatan="Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
                      nama="Drs. H. Sura'i Hidayat, M.A.P.", pangkat="Pembina Utama Muda (IV/c)",
                      nip="196901032003121005")

# code → per quarter: realisasi or (pembilang, penyebut), keterangan
REALISASI: dict[str, dict[int, tuple[Any, str]]] = {
    "1.1": {1: ("-", "Diukur tahunan oleh BKN."), 2: ("-", ""), 3: ("-", ""), 4: ("74,10", "")},
    "1.2": {1: ("16,20", ""), 2: ("38,50", "Diklat teknis tertunda ke TW III."), 3: ("66,00", ""),
            4: ("81,30", "")},
    "1.3": {1: (60, ""), 2: (140, ""), 3: (130, ""), 4: (70, "")},
    "2.1": {1: ("-", ""), 2: ("-", ""), 3: ("-", ""), 4: ("305", "")},
    "2.2": {1: ((45, 50), ""), 2: ((38, 40), ""), 3: ((27, 30), ""), 4: ((55, 60), "")},
    "2.3": {1: ((1, 2400), ""), 2: ((2, 2400), ""), 3: ((1, 2410), ""), 4: ((0, 2410), "")},
    "3.1": {1: ("-", ""), 2: ("83,40", "Survei semester I."), 3: ("-", ""), 4: ("86,20", "")},
    "3.2": {1: ((96, 102), ""), 2: ((110, 115), ""), 3: ((0, 0), "Tidak ada usulan masuk."),
            4: ((120, 124), "")},
    "3.3": {1: (12, "Berkas menumpuk awal tahun."), 2: (9, ""), 3: (11, ""), 4: (8, "")},
    "3.4": {1: ("91,20", ""), 2: ("93,50", ""), 3: ("95,10", ""), 4: ("98,40", "")},
    "3.5": {1: ("-", ""), 2: ("-", ""), 3: ("-", ""), 4: ("72,15", "Rekomendasi LHE ditindaklanjuti.")},
}


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("sheets_sync.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def sample_office() -> tuple[tuple[Indicator, ...], tuple[Unit, ...]]:
    """Indicators and bidang of the shipped BKPSDM Sukamaju sample."""
    inds = tuple(Indicator(r["kode"], r["kode_bidang"], r["sasaran_strategis"], r["indikator_kinerja"],
                           r["satuan"], r["polaritas"], r["konsolidasi"], r["konvensi_target"],
                           r["target_tahunan"], (r["target_tw1"], r["target_tw2"], r["target_tw3"],
                                                 r["target_tw4"]), r["cara_pengukuran"])
                 for r in _rows("bkpsdm-sukamaju-indikator.csv"))
    units = tuple(Unit(r["kode"], r["nama_bidang"], r["kepala_bidang"], r["email_kepala"], r["email_operator"])
                  for r in _rows("bkpsdm-sukamaju-bidang.csv"))
    return inds, units


def payloads(indicators: tuple[Indicator, ...], values: dict[str, dict[int, tuple[Any, str]]],
             year: int) -> dict[int, dict[str, dict[str, Any]]]:
    """Snapshot payloads (model.SNAPSHOT_PAYLOAD_DOC) per quarter and bidang from ``values``."""
    data: dict[int, dict[str, dict[str, Any]]] = {}
    for n, ind in enumerate(indicators, start=7):
        for q, (value, ket) in values.get(ind.code, {}).items():
            unit = data.setdefault(q, {}).setdefault(ind.unit, {
                "unit": ind.unit, "period": f"{year}-TW{q}", "sheet": f"TW{q}", "form_id": f"form-{ind.unit}",
                "done": True, "rows": {}})
            pair = value if isinstance(value, tuple) else (None, None)
            unit["rows"][ind.code] = {
                "row": n, "realisasi": None if isinstance(value, tuple) else value,
                "pembilang": pair[0], "penyebut": pair[1], "keterangan": ket, "bukti": "",
                "cells": {"realisasi": f"H{n}", "keterangan": f"K{n}"}}
    return data


def _meeting_date(period: Period) -> date:
    """The 24th of the month after the quarter (TW IV → January of the next year)."""
    month = period.quarter * 3 + 1
    return date(period.year + month // 13, (month - 1) % 12 + 1, 24)


def sample_request(period: Period = Period(2025, 1), edition: Edition = "triwulan", *, draft: bool = True,
                   output: Path = Path("dokumen"), generated_on: date | None = None) -> RenderRequest:
    """The BKPSDM Sukamaju sample with data up to ``period``, statuses, findings and one change."""
    inds, units = sample_office()
    values = {code: {q: v for q, v in qs.items() if q <= period.quarter} for code, qs in REALISASI.items()}
    wib = timezone(timedelta(hours=7))
    done = datetime(period.year, 4, 9, 15, 20, tzinfo=wib)
    statuses = (
        UnitStatus("SEK", period, "Lengkap", 2, 2, completed_at=done),
        UnitStatus("PPIK", period, "Terlambat", 2, 2, completed_at=done + timedelta(days=3)),
        UnitStatus("MP", period, "Sebagian", 2, 3, findings=(
            Finding.worded("MP", f"TW{period.quarter}", "K15", "keterangan_wajib",
                           Text("Keterangan wajib diisi karena capaian di bawah 100%."),
                           Text("Isi alasan pada kolom Keterangan.")),)),
        UnitStatus("PKA", period, "Lengkap", 3, 3, completed_at=done - timedelta(days=1)),
        UnitStatus("PKAP", period, "Tidak mengisi", 0, 1, findings=(
            Finding.worded("PKAP", f"TW{period.quarter}", "I12", "nilai_tidak_valid",
                           Text('Teks "{s}" dapat dibaca dua cara: {whole},{frac} (desimal) atau {whole}{frac} '
                                "(ribuan).", s="1,234", whole="1", frac="234"),
                           Text("Tulis {whole}{frac} bila maksudnya ribuan.", whole="1", frac="234")),)),
    )
    changes = (ApprovedChange("MP", f"TW{period.quarter}!H15", "12", "11",
                              datetime(period.year, 4, 10, 9, 12, tzinfo=timezone(timedelta(hours=7)))),)
    return RenderRequest(
        office=OFFICE, documents=DocumentSettings(output=output, signatory=SIGNATORY), rules=RuleSettings(),
        period=period, edition=edition, indicators=inds, units=units, data=payloads(inds, values, period.year),
        statuses=statuses, changes=changes, draft=draft,
        letter_number="" if draft else f"000.8.3.3/{14 + period.quarter}/BKPSDM/{period.year}",
        anggaran={"pagu": 8_754_320_000.0, "realisasi": 1_893_456_789.0 * period.quarter},
        generated_on=generated_on or _meeting_date(period),
        snapshot_ref="snapshot sha256 3f9a1c0e7b2d (disetujui rapat)")


def synthetic_request(n_indicators: int, *, per_sasaran: int = 10, units: int = 20,
                      period: Period = Period(2025, 4), edition: Edition = "tahunan") -> RenderRequest:
    """A large office: ``n_indicators`` indicators across ``units`` bidang, every konsolidasi kind,
    realisasi for every quarter up to ``period``."""
    kinds = ("jumlah", "nilai_akhir", "rata_rata", "rasio")
    inds, values = [], {}
    for i in range(n_indicators):
        kind = kinds[i % 4]
        neg = i % 7 == 3
        code = f"{i // per_sasaran + 1}.{i % per_sasaran + 1}"
        targets = ("25", "25", "25", "25") if kind == "jumlah" else ("80", "85", "90", "95")
        inds.append(Indicator(code, f"U{i % units:02d}", f"Sasaran strategis nomor {i // per_sasaran + 1} tentang "
                              f"peningkatan kualitas layanan", f"Indikator kinerja sintetis {code} ({kind})",
                              "%" if kind == "rasio" else "nilai", "negatif" if neg else "positif", kind,
                              "per_triwulan" if kind == "jumlah" else "kumulatif",
                              "100" if kind == "jumlah" else "95", targets))
        values[code] = {q: (((80 + (i * q) % 25, 100) if kind == "rasio" else 20 + (i * q) % 12 if kind == "jumlah"
                             else f"{70 + (i * 7 + q) % 30},5"), "")
                        for q in range(1, period.quarter + 1)}
    ind_t = tuple(inds)
    unit_t = tuple(Unit(f"U{u:02d}", f"Bidang Sintetis {u:02d}") for u in range(units))
    return RenderRequest(office=OFFICE, documents=DocumentSettings(output=Path("dokumen"), signatory=SIGNATORY),
                         rules=RuleSettings(), period=period, edition=edition, indicators=ind_t, units=unit_t,
                         data=payloads(ind_t, values, period.year), draft=False, generated_on=date(2026, 1, 24),
                         snapshot_ref="snapshot sha256 synthetic")


# A cascading office (tujuan → sasaran → program → kegiatan) with a budget per program and last year's data:
# kode, bidang, element, indikator, satuan, polaritas, konsolidasi, konvensi, tahunan, TW I–IV, tingkat,
# induk, IKU, rumus negatif, target akhir Renstra
_CASCADE = (
    ("T.1", "SEK", "Terwujudnya ASN yang profesional dan berkinerja tinggi", "Indeks Profesionalitas ASN",
     "indeks", "positif", "nilai_akhir", "kumulatif", "75", ("75", "75", "75", "75"), "tujuan", "", True, "", "80"),
    ("1.1", "SEK", "Meningkatnya kompetensi ASN", "Persentase ASN memenuhi 20 JP", "%", "positif",
     "nilai_akhir", "kumulatif", "80", ("20", "40", "60", "80"), "sasaran", "T.1", True, "", "90"),
    ("1.2", "MP", "Meningkatnya penerapan sistem merit", "Persentase ASN yang dijatuhi hukuman disiplin", "%",
     "negatif", "rasio", "kumulatif", "0,20", ("0,05", "0,10", "0,15", "0,20"), "sasaran", "T.1", True, "", ""),
    ("1.1.1", "PKA", "Program Pengembangan Sumber Daya Manusia", "Jumlah ASN yang mengikuti diklat", "orang",
     "positif", "jumlah", "per_triwulan", "400", ("100", "100", "100", "100"), "program", "1.1", False, "", ""),
    ("1.2.1", "MP", "Program Kepegawaian Daerah", "Persentase jabatan terisi sesuai kompetensi", "%", "positif",
     "rasio", "kumulatif", "90", ("90", "90", "90", "90"), "program", "1.2", False, "", ""),
    ("1.1.1.1", "PKA", "Penyelenggaraan Diklat Teknis", "Jumlah diklat teknis terselenggara", "kegiatan",
     "positif", "jumlah", "per_triwulan", "8", ("2", "2", "2", "2"), "kegiatan", "1.1.1", False, "", ""),
    ("1.1.1.2", "PKA", "Uji Kompetensi dan Asesmen", "Rata-rata hari penyelesaian asesmen", "hari", "negatif",
     "rata_rata", "kumulatif", "10", ("10", "10", "10", "10"), "kegiatan", "1.1.1", False, "B", ""),
)
_CASCADE_VALUES: dict[str, dict[int, tuple[Any, str]]] = {
    "T.1": {1: (74, "")}, "1.1": {1: ("21,5", "")}, "1.2": {1: ((1, 2400), "")},
    "1.1.1": {1: (110, "")}, "1.2.1": {1: ((45, 50), "")}, "1.1.1.1": {1: (2, "")},
    "1.1.1.2": {1: (12, "Asesor terbatas")},
}
_CASCADE_LAST_YEAR: dict[str, dict[int, tuple[Any, str]]] = {
    "T.1": {1: (72, "")}, "1.1": {1: ("18", "")}, "1.1.1": {1: (95, "")}, "1.1.1.2": {1: (14, "")},
}


def cascading_request(period: Period = Period(2025, 1), *, draft: bool = True) -> RenderRequest:
    """A Renstra cascading office (tujuan → sasaran → program → kegiatan) in TW I with a budget per
    program/kegiatan and last year's approved TW I: one table per level, efficiency, comparisons."""
    inds = tuple(Indicator(c, u, el, name, sat, pol, kons, konv, annual, tws, tingkat=t, kode_induk=induk, iku=iku,
                           rumus_negatif=rumus, target_renstra=renstra, periode_renstra="2021–2026" if renstra else "")
                 for c, u, el, name, sat, pol, kons, konv, annual, tws, t, induk, iku, rumus, renstra in _CASCADE)
    _, units = sample_office()
    budget = {"1.1.1": {"pagu": 1_000_000_000.0, "realisasi": 250_000_000.0},
              "1.2.1": {"pagu": 500_000_000.0, "realisasi": 100_000_000.0},
              "1.1.1.1": {"pagu": 400_000_000.0, "realisasi": 90_000_000.0}}
    return RenderRequest(
        office=OFFICE, documents=DocumentSettings(output=Path("dokumen"), signatory=SIGNATORY), rules=RuleSettings(),
        period=period, edition="triwulan", indicators=inds, units=units,
        data=payloads(inds, _CASCADE_VALUES, period.year), draft=draft, generated_on=_meeting_date(period),
        anggaran={"pagu": 4_250_000_000.0, "realisasi": 812_500_000.0}, budget_lines=budget,
        last_year=payloads(inds, _CASCADE_LAST_YEAR, period.year - 1),
        snapshot_ref="snapshot sha256 5c1d2e (disetujui rapat)")
