"""An office that starts in TW3 (issue 15, item 1): TW I from its own old table, TW II from a filled form
file, TW III through the forms and the meeting — a final TW III and a Semester I document that label
the earlier quarters, and no e-mail asking for data by a date long gone."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from openpyxl import Workbook

import sheets_sync.cli.common as cli_common
from sheets_sync.cli import main
from sheets_sync.config import load
from sheets_sync.core.form import headers
from sheets_sync.model import Period
from sheets_sync.reports.sample import REALISASI, sample_office
from sheets_sync.service.app import App
from sheets_sync.service.demo import decide, type_into

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2025, 10, 1, 9, 0, tzinfo=WIB)  # TW III opened at 08:00; its deadline is 3 Oktober 16:00
INDICATORS, UNITS = sample_office()
PERCENT = {"1.2", "3.4"}  # satuan %: Excel keeps 16,20% as 0.162 in a 0.00% cell


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(cli_common, "CLOCK", lambda: NOW)
    assert run("init", str(tmp_path / "kantor"))[0] == 0
    yield tmp_path / "kantor" / "sheets-sync.toml"


def _excel_value(code: str, value: Any) -> Any:
    """What an Indonesian Excel stores for what the bidang typed: "16,20" → 16.2, "-" stays text."""
    if isinstance(value, str) and value != "-":
        return float(value.replace(".", "").replace(",", "."))
    return value


def own_table(path: Path, quarter: int) -> Path:
    """The office's old recap: title rows, then Indikator / KODE / Target / Realisasi / Ket. in its own
    order; codes typed as numbers (Excel makes 1.1 a number); percentages in 0.00% cells."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"Capaian TW {'I' * quarter}"
    ws["A1"] = f"REKAP CAPAIAN KINERJA TRIWULAN {'I' * quarter} TAHUN 2025"
    ws.append([])
    ws.append(["Indikator", "KODE", "Target", "Realisasi", "Ket.", "Data Dukung"])
    for ind in INDICATORS:
        value, ket = REALISASI[ind.code][quarter]
        if isinstance(value, tuple):
            value = round(value[0] / value[1] * 100, 2) if value[1] else "-"
        typed = _excel_value(ind.code, value)
        ws.append([ind.name, float(ind.code), ind.target_for(quarter), typed, ket or None,
                   f"https://drive.example/bukti/{ind.code}"])
        if ind.code in PERCENT and isinstance(typed, float):
            c = ws.cell(row=ws.max_row, column=4)
            c.value, c.number_format = typed / 100, "0.00%"
    wb.save(path)
    return path


def form_file(path: Path, quarter: int) -> Path:
    """A filled form in sheets-sync's own layout (tab TWn, headers on row 5), saved by openpyxl as Excel
    saves: rasio indicators with Pembilang/Penyebut, the rest with Realisasi."""
    period = Period(2025, quarter)
    wb = Workbook()
    ws = wb.active
    ws.title = period.tab
    ws["A1"] = f"Data Kinerja {period.label}"
    ws["A3"], ws["C3"] = "Status pengisian:", "Selesai"
    for c, h in enumerate(headers(period), start=1):
        ws.cell(row=5, column=c, value=h)
    for r, ind in enumerate(INDICATORS, start=6):
        value, ket = REALISASI[ind.code][quarter]
        ws.cell(row=r, column=1, value=r - 5)
        ws.cell(row=r, column=2, value=ind.code)
        ws.cell(row=r, column=4, value=ind.name)
        if isinstance(value, tuple):
            ws.cell(row=r, column=9, value=value[0])
            ws.cell(row=r, column=10, value=value[1])
        else:
            ws.cell(row=r, column=8, value=_excel_value(ind.code, value))
        # a form the bidang filled completely: every row explained, as the checks ask under 100 %
        ws.cell(row=r, column=11, value=ket or ("Indikator diukur tahunan." if value == "-" else
                                                 "Kendala dan tindak lanjut dijelaskan bidang."))
    wb.save(path)
    return path


def docx_text(path: str) -> str:
    doc = Document(path)
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def newest(app: App, period: str, kind: str) -> str:
    rows = [d for d in app.store.documents(period) if d.kind == kind]
    assert rows, f"no {kind} for {period}"
    return rows[-1].path


def fill_and_approve_tw3(cfg: Path) -> App:
    app = App.from_settings(load(cfg), clock=lambda: NOW)
    period = Period(2025, 3)
    for unit in UNITS:
        edits: dict[str, Any] = {"selesai": "Selesai"}
        for ind in INDICATORS:
            if ind.unit != unit.code:
                continue
            value, ket = REALISASI[ind.code][3]
            if isinstance(value, tuple):
                edits[f"{ind.code}:pembilang"], edits[f"{ind.code}:penyebut"] = value
            else:
                edits[f"{ind.code}:realisasi"] = _excel_value(ind.code, value)
            edits[f"{ind.code}:keterangan"] = ket or ("Indikator diukur tahunan." if value == "-" else None)
        type_into(app, unit.code, edits, period)
    decide(app, [["2025-TW3", u.code, "Disetujui", "", datetime(2025, 10, 6)] for u in UNITS])
    return app


def test_an_office_starting_in_tw3_gets_final_documents_that_label_the_earlier_quarters(
    office: Path, tmp_path: Path
) -> None:
    cfg = str(office)
    tw1 = own_table(tmp_path / "capaian-tw1.xlsx", 1)
    # the old table is checked like a form: "-" without a keterangan is an error, so it is refused ...
    code, out = run("-c", cfg, "import", "--period", "2025-TW1", str(tw1))
    assert code == 1 and "2025-TW1 tidak diimpor dari capaian-tw1.xlsx" in out, out
    assert "SEK Capaian TW I!E10 (keterangan_wajib)" in out and "--paksa" in out
    assert "Diimpor" not in run("-c", cfg, "status", "--period", "2025-TW1")[1]
    # ... unless the office takes it as it is: imported, its findings printed (exit 1: ran with findings)
    code, out = run("-c", cfg, "import", "--period", "2025-TW1", str(tw1), "--paksa")
    assert code == 1, out
    assert "2025-TW1 diimpor dari capaian-tw1.xlsx" in out and "(keterangan_wajib)" in out
    # status of the imported period shows the imported data's state and where it came from
    shown = run("-c", cfg, "status", "--period", "2025-TW1")[1]
    sha = hashlib.sha256(tw1.read_bytes()).hexdigest()
    assert f"Diimpor 1 Oktober 2025 pukul 09.00 WIB dari capaian-tw1.xlsx, SHA-256 {sha[:12]}…" in shown, shown
    assert "Belum mengisi" not in shown and "SEK Capaian TW I!E10 (keterangan_wajib)" in shown
    source = json.loads(run("-c", cfg, "status", "--period", "2025-TW1", "--json")[1])["source"]
    assert (source["kind"], source["file"], source["sha256"]) == ("impor", "capaian-tw1.xlsx", sha)
    assert all(f"  {u.code}" in out for u in UNITS)
    # the same file again: nothing happens; another file for the same period needs --replace
    code, out = run("-c", cfg, "import", "--period", "2025-TW1", str(tw1))
    assert code == 0 and "sudah diimpor" in out
    tw2 = form_file(tmp_path / "form-tw2.xlsx", 2)
    assert run("-c", cfg, "import", "--period", "2025-TW1", str(tw2))[0] == 2
    code, out = run("-c", cfg, "import", "--period", "2025-TW2", str(tw2))
    assert code == 0, out

    # every imported value is in the history like a poll's read: 1.2 was a 0.00% cell (16,20%)
    code, out = run("-c", cfg, "history", "--period", "2025-TW1", "PKA", "1.2")
    assert code == 0 and "realisasi (D5) = 16,2" in out, out
    code, out = run("-c", cfg, "history", "--period", "2025-TW2", "MP", "2.2")
    assert code == 0 and "pembilang (I" in out and "= 38" in out, out

    # setting up a past quarter e-mails nobody; TW III (deadline still ahead) sends the links
    code, out = run("-c", cfg, "provision", "--period", "2025-TW2")
    assert code == 0 and "Batas pengisian 2025-TW2 sudah lewat" in out, out
    code, out = run("-c", cfg, "provision", "--period", "2025-TW3")
    assert code == 0 and "sudah lewat" not in out, out

    app = fill_and_approve_tw3(office)
    code, out = run("-c", cfg, "poll", "--period", "2025-TW3")
    assert "Lengkap" in out, out
    code, out = run("-c", cfg, "render", "--period", "2025-TW3")
    assert out.startswith("Dokumen FINAL 2025-TW3"), out
    assert "belum disetujui" not in out
    text = docx_text(newest(app, "2025-TW3", "pengukuran_kinerja:triwulan"))
    assert "Sumber data per triwulan: TW I: diimpor dari berkas capaian-tw1.xlsx (SHA-256 " in text
    assert "TW II: diimpor dari berkas form-tw2.xlsx" in text
    assert "TW III: disetujui dalam rapat pembahasan." in text
    assert "DRAFT" not in text

    # the Semester I document of the imported quarters is final and says where its data came from
    code, out = run("-c", cfg, "render", "--period", "2025-TW2")
    assert out.startswith("Dokumen FINAL 2025-TW2"), out
    semester = docx_text(newest(app, "2025-TW2", "pengukuran_kinerja:semester"))
    assert "TW I: diimpor dari berkas capaian-tw1.xlsx" in semester and "TW II: diimpor" in semester

    # TW I turns out not to be trustworthy: declared tidak tersedia (needs --replace), a new semester version
    assert run("-c", cfg, "import", "--period", "2025-TW1", "--tidak-tersedia")[0] == 2
    code, out = run("-c", cfg, "import", "--period", "2025-TW1", "--tidak-tersedia", "--replace",
                    "--alasan", "arsip TW I hilang")
    assert code == 0 and "tidak tersedia" in out
    code, out = run("-c", cfg, "render", "--period", "2025-TW2")
    assert out.startswith("Dokumen FINAL 2025-TW2"), out
    semester = docx_text(newest(app, "2025-TW2", "pengukuran_kinerja:semester"))
    assert "TW I: data tidak tersedia (arsip TW I hilang)" in semester
    assert "Data TW I tidak tersedia." in semester and "Realisasi TW I belum diisi" not in semester
    # the Laporan Kinerja Semester I says the same in its notes
    code, out = run("-c", cfg, "laporan", "--semester", "1")
    lkjip = docx_text(newest(app, "2025-TW2", "laporan_kinerja_semester:semester"))
    assert "TW I: data tidak tersedia (arsip TW I hilang)" in lkjip and "TW II: diimpor" in lkjip, out

    # no e-mail carries a past deadline: only TW III's link e-mails were queued
    messages = app.store.messages()
    assert messages and {m.period for m in messages} == {"2025-TW3"}
    for m in messages:
        assert "10 April 2025" not in m.body_text and "3 Juli 2025" not in m.body_text
    assert {m.kind for m in messages} == {"link"} and {m.status for m in messages} == {"sent"}
    # ...and what reached the outbox folder (provision delivered at once) says the same
    sent = [p.read_text(encoding="utf-8", errors="replace") for p in (office.parent / "outbox").glob("*.eml")]
    assert len(sent) == len(UNITS)
    assert all("Triwulan III Tahun 2025" in eml and "April 2025" not in eml and "Juli 2025" not in eml
               for eml in sent)


def test_an_import_names_unknown_codes_and_a_file_without_a_table_is_refused(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Kode Indikator", "Nama Indikator", "Realisasi TW I"])
    ws.append(["1.3", "Jumlah ASN yang mengikuti uji kompetensi/asesmen", 60])
    ws.append(["9.9", "Indikator lama", 5])
    wb.save(tmp_path / "sebagian.xlsx")
    code, out = run("-c", str(office), "import", "--period", "2025-TW1", str(tmp_path / "sebagian.xlsx"))
    assert code == 1
    assert "PKA      1 indikator" in out and "kode 9.9" in out and "! MP: tidak ada baris di berkas" in out
    empty = Workbook()
    empty.active.append(["No", "Uraian", "Nilai"])
    empty.save(tmp_path / "kosong.xlsx")
    assert run("-c", str(office), "import", "--period", "2025-TW2", str(tmp_path / "kosong.xlsx"))[0] == 2
    assert "tidak ada tabel dengan kolom Kode dan Realisasi" in capsys.readouterr().err
