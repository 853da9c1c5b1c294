"""Cells as Excel and LibreOffice store them, read by the local backend: percent cells, date cells,
booleans, formulas with and without a cached value, full precision.  The same value typed as text or as a
native cell gives the same result (domain.md, "Parsing cell input")."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sample_form import MP, OFFICE, TW1, WIB, provisioned_form
from typed_xlsx import (
    EXCEL,
    LIBREOFFICE,
    date_cell,
    datetime_cell,
    formula,
    fraction_as_percent,
    number,
    percent,
    type_cells,
)

from sheets_sync.backends.base import RangeWrite
from sheets_sync.backends.local import LocalBackend
from sheets_sync.core.capaian import Rules
from sheets_sync.core.checks import check_row
from sheets_sync.core.form import FIRST_ROW, build_setup, read_form, read_range
from sheets_sync.model import Finding, Indicator
from sheets_sync.service.control_io import read_anggaran, read_control

SHARE = Indicator("2.1", "MP", "Meningkatnya sistem merit", "Persentase ASN mengikuti uji kompetensi", "%",
                  "positif", "nilai_akhir", "kumulatif", "45", ("45", "45", "45", "45"))
COUNT = Indicator("2.2", "MP", "Meningkatnya sistem merit", "Jumlah ASN dimutasi", "orang", "positif", "jumlah",
                  "per_triwulan", "4000", ("1000", "1000", "1000", "1000"))
INDICATORS = (SHARE, COUNT)
H_SHARE, H_COUNT = f"H{FIRST_ROW}", f"H{FIRST_ROW + 1}"


@pytest.fixture
def form(backend: LocalBackend) -> Path:
    return provisioned_form(backend, INDICATORS, None)


def checked(backend: LocalBackend, form: Path, code: str = "2.1") -> tuple[object, list[Finding]]:
    values = backend.read(form.name, [read_range(TW1)])[read_range(TW1)]
    fr = read_form(values, MP, INDICATORS, TW1, form_id=form.name, link=str(form), read_at=datetime.now(UTC))
    ind = next(i for i in INDICATORS if i.code == code)
    row = fr.row(code)
    assert row is not None
    return check_row("MP", "TW1", ind, row, 1, Rules(), require_bukti=False)


@pytest.mark.parametrize("program", [EXCEL, LIBREOFFICE])
def test_a_percent_cell_typed_47_5_percent_reads_47_5_not_0_475(backend: LocalBackend, form: Path,
                                                               program: str) -> None:
    type_cells(form, "TW1", {H_SHARE: percent(47.5, program)})
    rc, findings = checked(backend, form)
    assert rc.realisasi.value == pytest.approx(47.5)  # type: ignore[attr-defined]
    assert rc.capaian is not None and rc.capaian.value == pytest.approx(105.5555, abs=1e-3)  # type: ignore[attr-defined]
    assert not [f for f in findings if f.code == "keterangan_wajib"]


def test_a_percent_cell_keeps_full_precision(backend: LocalBackend, form: Path) -> None:
    # 0.29 * 100 is 28.999999999999996 in binary floating point: the reader must give 29 exactly.
    type_cells(form, "TW1", {H_SHARE: fraction_as_percent(0.29), H_COUNT: fraction_as_percent(0.015)})
    got = backend.read(form.name, [f"TW1!H{FIRST_ROW}:H{FIRST_ROW + 1}"])[f"TW1!H{FIRST_ROW}:H{FIRST_ROW + 1}"]
    assert got == [[29.0], [1.5]]


@pytest.mark.parametrize(("native", "text"), [
    (number(1234.5), "1.234,5"),
    (number(2400), "2.400"),
    (number(72.5), "72,50"),
    (percent(85.5), "85,5%"),
    (number(0), "0"),
    (number(1_000_000, fmt='"Rp"#,##0'), "Rp 1.000.000"),
])
def test_the_same_value_typed_as_text_or_as_a_native_cell_gives_the_same_result(
        backend: LocalBackend, form: Path, native: object, text: str) -> None:
    type_cells(form, "TW1", {H_COUNT: native})
    native_rc, native_findings = checked(backend, form, "2.2")
    type_cells(form, "TW1", {H_COUNT: text})
    text_rc, text_findings = checked(backend, form, "2.2")
    assert native_rc.realisasi.kind == text_rc.realisasi.kind == "number"  # type: ignore[attr-defined]
    assert native_rc.realisasi.value == pytest.approx(text_rc.realisasi.value)  # type: ignore[attr-defined]
    assert [f.code for f in native_findings] == [f.code for f in text_findings]


def test_zero_is_a_value_and_an_empty_cell_is_not(backend: LocalBackend, form: Path) -> None:
    type_cells(form, "TW1", {H_COUNT: number(0)})
    rc, findings = checked(backend, form, "2.2")
    assert rc.realisasi.kind == "number" and rc.realisasi.value == 0  # type: ignore[attr-defined]
    assert "belum_diisi" not in [f.code for f in findings]
    rc, findings = checked(backend, form, "2.1")
    assert rc.realisasi.kind == "empty"  # type: ignore[attr-defined]
    assert "belum_diisi" in [f.code for f in findings]


def test_a_ticked_checkbox_in_a_number_cell_is_a_finding_not_one(backend: LocalBackend, form: Path) -> None:
    type_cells(form, "TW1", {H_COUNT: True})
    rc, findings = checked(backend, form, "2.2")
    assert rc.realisasi.kind == "invalid"  # type: ignore[attr-defined]
    assert [f.cell for f in findings if f.code == "nilai_tidak_valid"] == [H_COUNT]


def test_a_date_excel_made_of_what_was_typed_in_a_number_cell_is_a_finding(backend: LocalBackend, form: Path) -> None:
    # Excel turns "1/2" typed into a realisasi cell into the 1st of February.
    type_cells(form, "TW1", {H_COUNT: date_cell(date(2025, 2, 1))})
    rc, findings = checked(backend, form, "2.2")
    assert rc.realisasi.kind == "invalid"  # type: ignore[attr-defined]
    f = next(f for f in findings if f.code == "nilai_tidak_valid")
    assert f.cell == H_COUNT and "tanggal" in f.message.lower()


def test_a_formula_with_a_cached_value_is_read_as_its_value_and_reported_as_a_formula(
        backend: LocalBackend, form: Path) -> None:
    type_cells(form, "TW1", {H_SHARE: formula("=45/48*100", cached=93.75)})
    rc, _ = checked(backend, form)
    assert rc.realisasi.kind == "number" and rc.realisasi.value == pytest.approx(93.75)  # type: ignore[attr-defined]
    assert backend.last_formulas[read_range(TW1)] == {H_SHARE: "=45/48*100"}  # the poll notes it (see the
    # integration test of the same name)


def test_a_formula_never_calculated_is_a_finding_naming_the_cell(backend: LocalBackend, form: Path) -> None:
    type_cells(form, "TW1", {H_SHARE: formula("=45/48*100")})
    rc, findings = checked(backend, form)
    assert rc.realisasi.kind == "invalid"  # type: ignore[attr-defined]
    f = next(f for f in findings if f.code == "nilai_tidak_valid")
    assert f.cell == H_SHARE and "rumus" in f.message.lower()


def test_formulas_typed_into_a_form_survive_a_sheets_sync_setup_and_write(backend: LocalBackend,
                                                                         form: Path) -> None:
    from openpyxl import load_workbook

    type_cells(form, "TW1", {H_SHARE: formula("=45/48*100", cached=93.75), H_COUNT: formula("=SUM(1000,250)")})
    existing = backend.read(form.name, [read_range(TW1)])[read_range(TW1)]
    backend.setup(form.name, build_setup(MP, INDICATORS, TW1, OFFICE, None, existing))
    backend.write(form.name, [RangeWrite(f"TW1!M{FIRST_ROW}", [["Catatan PPKP"]])])
    ws = load_workbook(form)["TW1"]
    assert (ws[H_SHARE].value, ws[H_COUNT].value) == ("=45/48*100", "=SUM(1000,250)")
    assert ws[f"M{FIRST_ROW}"].value == "Catatan PPKP"
    backend.read(form.name, [read_range(TW1)])
    assert backend.last_formulas[read_range(TW1)] == {H_SHARE: "=45/48*100", H_COUNT: "=SUM(1000,250)"}


@pytest.mark.parametrize("huge", [1e25, 1e300, -1e16])
def test_an_absurd_native_number_is_a_finding_not_a_crash(backend: LocalBackend, form: Path, huge: float) -> None:
    type_cells(form, "TW1", {H_COUNT: huge})
    rc, findings = checked(backend, form, "2.2")
    assert rc.realisasi.kind == "invalid"  # type: ignore[attr-defined]
    assert [f.cell for f in findings if f.code == "nilai_tidak_valid"] == [H_COUNT]


# -- the control workbook as the PPKP types it in Excel ------------------------------------------------------
def test_a_jadwal_date_cell_closes_at_the_end_of_that_day(kendali: tuple[LocalBackend, Path]) -> None:
    backend, path = kendali
    type_cells(path, "Jadwal", {"B2": date_cell(date(2025, 4, 8)), "C2": date_cell(date(2025, 4, 10))})
    sched = read_control(backend, str(path), "Asia/Jakarta").schedule(TW1)
    assert sched is not None
    assert sched.opens == datetime(2025, 4, 8, 0, 0, tzinfo=WIB)
    assert sched.deadline == datetime(2025, 4, 10, 23, 59, 59, tzinfo=WIB)


@pytest.mark.parametrize("program", [EXCEL, LIBREOFFICE])
def test_a_jadwal_datetime_cell_is_that_moment_in_the_office_time_zone(kendali: tuple[LocalBackend, Path],
                                                                       program: str) -> None:
    backend, path = kendali
    type_cells(path, "Jadwal", {"C2": datetime_cell(datetime(2025, 4, 10, 16, 0), program)})
    sched = read_control(backend, str(path), "Asia/Jakarta").schedule(TW1)
    assert sched is not None and sched.deadline == datetime(2025, 4, 10, 16, 0, tzinfo=WIB)
    assert sched.deadline.utcoffset() is not None


def test_a_date_cell_and_the_same_date_typed_as_text_give_the_same_schedule(kendali: tuple[LocalBackend, Path]
                                                                            ) -> None:
    backend, path = kendali
    type_cells(path, "Jadwal", {"C2": "10/04/2025", "D2": "2025-04-21"})
    as_text = read_control(backend, str(path), "Asia/Jakarta").schedule(TW1)
    type_cells(path, "Jadwal", {"C2": date_cell(date(2025, 4, 10)), "D2": date_cell(date(2025, 4, 21))})
    as_date = read_control(backend, str(path), "Asia/Jakarta").schedule(TW1)
    assert as_text == as_date


def test_a_persetujuan_date_cell_is_that_date(kendali: tuple[LocalBackend, Path]) -> None:
    backend, path = kendali
    type_cells(path, "Persetujuan", {"A2": "2025-TW1", "B2": "MP", "C2": "Disetujui",
                                     "E2": date_cell(date(2025, 4, 14))})
    ctl = read_control(backend, str(path), "Asia/Jakarta")
    assert [(d.unit, d.tanggal) for d in ctl.decisions] == [("MP", date(2025, 4, 14))]
    assert not [f for f in ctl.findings if f.tab == "Persetujuan"]


def test_anggaran_typed_as_numbers_with_a_rupiah_format(kendali: tuple[LocalBackend, Path]) -> None:
    backend, path = kendali
    type_cells(path, "Anggaran", {"B2": number(4_250_000_000, fmt='"Rp"#,##0'), "C2": number(812_500_000.5)})
    lines, problems = read_anggaran(backend, str(path), TW1)
    assert problems == []
    assert lines == {"pagu": 4_250_000_000, "realisasi": pytest.approx(812_500_000.5)}


def test_a_percent_typed_into_the_master_target_is_the_percentage(kendali: tuple[LocalBackend, Path]) -> None:
    backend, path = kendali
    ctl = read_control(backend, str(path), "Asia/Jakarta")
    row = 2 + next(n for n, i in enumerate(ctl.indicators) if i.satuan == "%")
    code = ctl.indicators[row - 2].code
    type_cells(path, "Indikator", {f"I{row}": percent(90), f"J{row}": percent(90), f"K{row}": percent(90),
                                   f"L{row}": percent(90), f"M{row}": percent(90)})
    ctl = read_control(backend, str(path), "Asia/Jakarta")
    ind = next(i for i in ctl.indicators if i.code == code)
    assert ind.target_tahunan in ("90", "90,00", "90.0", "90,0")


def test_writes_stay_raw_text(backend: LocalBackend, tmp_path: Path) -> None:
    path = tmp_path / "raw.xlsx"
    backend.write(str(path), [RangeWrite("Rekap!A1", [["=1+1", "47,5%"]])])
    assert backend.read(str(path), ["Rekap!A1:B1"])["Rekap!A1:B1"] == [["=1+1", "47,5%"]]


def test_formulas_typed_into_the_control_workbook_survive_a_sheets_sync_write(
        kendali: tuple[LocalBackend, Path]) -> None:
    from openpyxl import load_workbook

    backend, path = kendali
    type_cells(path, "Anggaran", {"C2": formula("=B2*0+812500000", cached=812500000)})
    type_cells(path, "Indikator", {"I2": formula("=70+2.5")})
    backend.write(str(path), [RangeWrite("Bidang!F2", [["https://contoh.example/form-sek.xlsx"]])])
    wb = load_workbook(path)
    assert wb["Anggaran"]["C2"].value == "=B2*0+812500000"
    assert wb["Indikator"]["I2"].value == "=70+2.5"
    assert wb["Bidang"]["F2"].value == "https://contoh.example/form-sek.xlsx"
    assert wb.calculation.fullCalcOnLoad  # Excel/LibreOffice calculate them again when the file is opened
