"""The control workbook guides the PPKP: dropdowns for every closed list, date checks, tabs in working
order, opening on Bidang — made by ``init``, and by ``provision`` on an existing workbook without
touching a value; ``approve`` says at once which rows it applied and which it ignored, and why."""

from __future__ import annotations

import io
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ → ``import fakegoogle``, typed_xlsx

from fakegoogle import make_fake_backend
from typed_xlsx import date_cell, datetime_cell, save_as_person, type_cells

from sheets_sync.cli import main
from sheets_sync.config.laporan import DOCUMENT_STATUSES
from sheets_sync.core.control_guide import control_guides
from sheets_sync.core.values import RangeWrite
from sheets_sync.model import APPROVAL_STATUSES, KONSOLIDASI, KONVENSI_TARGET, POLARITAS

CONTROL = "Kendali Data Kinerja.xlsx"
REPORT = "Kendali Data Kinerja (Rekap dan Dokumen).xlsx"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def column_of(ws: Worksheet, header: str) -> str:
    for c in ws[1]:
        if c.value == header:
            return str(c.column_letter)
    raise AssertionError(f"{header} not in {ws.title}")


def validation_on(ws: Worksheet, header: str) -> DataValidation:
    col = column_of(ws, header)
    found = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(f"{col}2:{col}")]
    assert len(found) == 1, f"{ws.title}!{header}: {[str(d.sqref) for d in ws.data_validations.dataValidation]}"
    return found[0]


def listed(dv: DataValidation) -> list[str]:
    assert dv.type == "list"
    return str(dv.formula1).strip('"').split(",")


def values_of(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every value by tab, in any tab order; Bidang without its Tautan Form (provision writes the links)."""
    wb = load_workbook(path)
    return {ws.title: [r[:5] if ws.title == "Bidang" else r for r in ws.iter_rows(values_only=True)]
            for ws in wb.worksheets}


@pytest.fixture
def office(tmp_path: Path) -> Path:
    code, _ = run("init", str(tmp_path / "kantor"))
    assert code == 0
    return tmp_path / "kantor"


def test_init_makes_every_closed_list_a_dropdown_and_dates_checked(office: Path) -> None:
    wb = load_workbook(office / CONTROL)
    ind, jadwal, persetujuan = wb["Indikator"], wb["Jadwal"], wb["Persetujuan"]
    assert listed(validation_on(ind, "Polaritas")) == list(POLARITAS)
    assert listed(validation_on(ind, "Konsolidasi")) == list(KONSOLIDASI)
    assert listed(validation_on(ind, "Konvensi Target")) == list(KONVENSI_TARGET)
    status = validation_on(persetujuan, "Status")
    assert listed(status) == list(APPROVAL_STATUSES) and status.errorStyle == "stop"  # "Setuju" refused on entry
    assert listed(validation_on(persetujuan, "Kode Bidang")) == [str(c.value) for c in wb["Bidang"]["A"][1:]]
    for header in ("Dibuka", "Batas Pengisian", "Tanggal Kunci", "Tanggal Rapat"):
        assert validation_on(jadwal, header).type == "date"
    assert validation_on(persetujuan, "Tanggal").type == "date"
    report = load_workbook(office / REPORT)
    assert listed(validation_on(report["Dokumen"], "Status")) == list(DOCUMENT_STATUSES)


def test_init_orders_the_tabs_and_opens_on_bidang(office: Path) -> None:
    wb = load_workbook(office / CONTROL)
    assert wb.sheetnames == ["Bidang", "Indikator", "Jadwal", "Persetujuan", "Rekap", "Libur", "Narasi",
                             "Analisis", "Anggaran"]
    assert wb.active.title == "Bidang"
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == ["Bidang"]
    assert load_workbook(office / REPORT).sheetnames == ["Dokumen", "Rekap"]


def test_provision_guides_an_existing_workbook_without_touching_a_value(office: Path) -> None:
    """A workbook made before the guide existed: Anggaran first, no dropdowns, a validation of the PPKP's
    own, Status moved to another column, Jadwal dates typed as Excel stores them."""
    control = office / CONTROL
    wb = load_workbook(control)
    for ws in wb.worksheets:
        ws.data_validations.dataValidation = []
    wb.move_sheet("Anggaran", offset=-wb.sheetnames.index("Anggaran"))
    wb.active = 0
    own = DataValidation(type="whole", operator="greaterThan", formula1="0")
    own.add("B2:B50")
    wb["Anggaran"].add_data_validation(own)
    per = wb["Persetujuan"]
    per.insert_cols(1)
    per["A1"] = "Catatan Rapat"
    wb.save(control)
    save_as_person(control, {"Jadwal": {"B2": datetime_cell(datetime(2025, 4, 8, 8, 0)),
                                        "C2": date_cell(datetime(2025, 4, 10))}})
    before = values_of(control)

    cfg = str(office / "sheets-sync.toml")
    code, out = run("-c", cfg, "provision", "--period", "2025-TW1")
    assert code == 0, out
    assert values_of(control) == before
    wb = load_workbook(control)
    assert wb.sheetnames[:4] == ["Bidang", "Indikator", "Jadwal", "Persetujuan"] and wb.sheetnames[-1] == "Anggaran"
    assert wb.active.title == "Bidang"
    assert column_of(wb["Persetujuan"], "Status") == "D"
    assert str(validation_on(wb["Persetujuan"], "Status").sqref).startswith("D2:D")
    assert [str(d.sqref) for d in wb["Anggaran"].data_validations.dataValidation] == ["B2:B50"]  # the PPKP's own

    run("-c", cfg, "provision", "--period", "2025-TW1")  # again: nothing doubles
    again = load_workbook(control)
    assert [len(ws.data_validations.dataValidation) for ws in again.worksheets] == \
        [len(ws.data_validations.dataValidation) for ws in wb.worksheets]


def test_on_google_the_guide_is_one_batch_update_with_the_sheets_conditions() -> None:
    """setDataValidation with ONE_OF_LIST / DATE_IS_VALID and updateSheetProperties.index
    (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#SetDataValidationRequest),
    applied by the fake the way Sheets does; run twice, the rules are replaced, not added."""
    backend, fake = make_fake_backend()
    ref = backend.create_form("Kendali Data Kinerja")
    backend.write(ref.id, [
        RangeWrite(r, v) for r, v in (
            ("Anggaran!A1", [["Periode", "Pagu", "Realisasi"]]),
            ("Bidang!A1", [["Kode", "Nama Bidang"], ["SEK", "Sekretariat"]]),
            ("Persetujuan!A1", [["Periode", "Kode Bidang", "Status", "Catatan", "Tanggal"]]),
            ("Jadwal!A1", [["Periode", "Dibuka", "Batas Pengisian", "Tanggal Kunci", "Tanggal Rapat"]]),
        )])
    tabs = backend.list_tabs(ref.id)
    headers = {t: (backend.read(ref.id, [f"{t}!A1:Z1"])[f"{t}!A1:Z1"] or [[]])[0] for t in tabs}
    guides = control_guides(tabs, headers, unit_codes=["SEK"], document_statuses=DOCUMENT_STATUSES)
    for _ in range(2):
        start = len(fake.log)
        backend.guide(ref.id, guides)
        writes = [c.method_id for c in fake.log[start:] if c.method_id == "sheets.spreadsheets.batchUpdate"]
        assert writes == ["sheets.spreadsheets.batchUpdate"]
    book = fake.books[ref.id]
    order = [s.title for s in sorted(book.sheets, key=lambda s: s.index)]
    assert order[:3] == ["Bidang", "Jadwal", "Persetujuan"] and order[-1] == "Anggaran"
    per = book.by_title("Persetujuan")
    assert per is not None
    status = per.validation[(1, 2)]
    assert status["condition"]["type"] == "ONE_OF_LIST" and status["strict"] is True
    assert [v["userEnteredValue"] for v in status["condition"]["values"]] == list(APPROVAL_STATUSES)
    assert per.validation[(999, 2)] == status  # open-ended: every row of the grid
    assert per.validation[(1, 4)]["condition"] == {"type": "DATE_IS_VALID"}
    assert (1, 3) not in per.validation  # Catatan is free text
    assert book.by_title("Bidang") is not None and book.by_title("Bidang").cells[(1, 0)] == "SEK"


def typed_persetujuan(office: Path, rows: list[list[object]]) -> None:
    """Rows typed into Persetujuan in Excel: dates as native datetimes with a date format."""
    wb = load_workbook(office / CONTROL)
    ws = wb["Persetujuan"]
    for row in rows:
        ws.append(row)
        if isinstance(row[4], datetime):
            ws.cell(row=ws.max_row, column=5).number_format = "dd/mm/yyyy"
    wb.save(office / CONTROL)


def test_approve_reports_every_row_at_once_and_rejects_setuju_and_a_return_without_catatan(office: Path) -> None:
    cfg = str(office / "sheets-sync.toml")
    assert run("-c", cfg, "provision", "--period", "2025-TW1")[0] == 0
    run("-c", cfg, "poll", "--period", "2025-TW1")
    typed_persetujuan(office, [
        ["2025-TW1", "SEK", "Disetujui", None, datetime(2025, 4, 14)],
        ["2025-TW1", "PPIK", "Setuju", None, datetime(2025, 4, 14)],
        ["2025-TW1", "MP", "Perlu perbaikan", None, datetime(2025, 4, 14)],
        ["2025-TW1", "PKA", "Perlu perbaikan", "Lengkapi bukti dukung 1.2", None],
    ])
    code, out = run("-c", cfg, "approve", "--period", "2025-TW1")
    assert code == 1
    assert "SEK      Disetujui, 14 April 2025 — tab dikunci" in out
    assert "PKA      Perlu perbaikan" in out and "tanpa tanggal: dicatat dengan tanggal saat dibaca" in out
    assert "Persetujuan!C3: Persetujuan 2025-TW1 PPIK: baris 3 diabaikan — status 'Setuju' tidak dikenal." in out
    assert "Pilih Disetujui atau Perlu perbaikan" in out
    assert "Persetujuan!D4: Persetujuan 2025-TW1 MP: baris 4 diabaikan — Perlu perbaikan tanpa Catatan." in out
    assert "Tulis di kolom Catatan" in out

    code, out = run("-c", cfg, "approve", "--period", "2025-TW1")  # nothing new; the bad rows still said
    assert code == 1 and "tidak ada yang baru" in out and "'Setuju'" in out and "PKA      " not in out


def test_rekap_keeps_percentages_as_numbers_shown_with_two_decimals(office: Path) -> None:
    """Not text '100,00': a number the PPKP can sum or sort, shown "100,00" by an Indonesian Excel or
    Sheets through the number format ``0.00`` (xlsx format codes are locale-neutral)."""
    cfg = str(office / "sheets-sync.toml")
    assert run("-c", cfg, "provision", "--period", "2025-TW1")[0] == 0
    run("-c", cfg, "poll", "--period", "2025-TW1")
    ws = load_workbook(office / REPORT)["Rekap"]
    header = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "Periode")
    col = next(c.column for c in ws[header] if c.value == "Kelengkapan (%)")
    cells = [ws.cell(row=r, column=col) for r in range(header + 1, ws.max_row + 1)
             if ws.cell(row=r, column=1).value == "2025-TW1"]
    assert len(cells) == 5
    assert all(isinstance(c.value, (int, float)) and 0 <= c.value <= 100 for c in cells), [c.value for c in cells]
    assert {c.number_format for c in cells} == {"0.00"}


def _percent_cells(ws: Worksheet) -> list[Any]:
    header = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "Periode")
    col = next(c.column for c in ws[header] if c.value == "Kelengkapan (%)")
    return [ws.cell(row=r, column=col) for r in range(header + 1, ws.max_row + 1)
            if isinstance(ws.cell(row=r, column=col).value, (int, float))]


def test_a_rekap_tab_a_person_deleted_comes_back_with_its_number_format(office: Path) -> None:
    """The format is not only init's: the Rekap sheets-sync writes again into a workbook without the tab
    (deleted by a person, a workbook made by hand) shows its percentages "100,00" too."""
    cfg = str(office / "sheets-sync.toml")
    assert run("-c", cfg, "provision", "--period", "2025-TW1")[0] == 0
    run("-c", cfg, "poll", "--period", "2025-TW1")
    wb = load_workbook(office / REPORT)
    del wb["Rekap"]
    wb.save(office / REPORT)
    form = next((office / "forms").glob("* PKA *.xlsx"))
    row = next(r for r in load_workbook(form)["TW1"].iter_rows(min_row=1, max_row=60) if r[1].value == "1.2")
    type_cells(form, "TW1", {f"H{row[0].row}": "16,5"})
    run("-c", cfg, "poll", "--period", "2025-TW1")
    cells = _percent_cells(load_workbook(office / REPORT)["Rekap"])
    assert len(cells) >= 5  # the table's five bidang and the summary's rows below it
    assert {c.number_format for c in cells} == {"0.00"}
