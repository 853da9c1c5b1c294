"""The control spreadsheet: reading the PPKP tabs into a validated Control, findings for bad rows,
writing the form links back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.backends.memory import MemoryBackend
from sheets_sync.core.control import (
    BIDANG_HEADERS,
    INDIKATOR_HEADERS,
    PERSETUJUAN_HEADERS,
    parse_when,
)
from sheets_sync.core.values import RangeWrite, Values
from sheets_sync.model import Control, Finding, Period, Raw
from sheets_sync.service.control_io import read_control, write_unit_links
from sheets_sync.service.office import example_tabs

WIB = ZoneInfo("Asia/Jakarta")
Tabs = dict[str, Values]


def tabs_of(example: str = "bkpsdm") -> Tabs:
    return {w.range.split("!")[0]: [list(r) for r in w.values] for w in example_tabs(example)}


def control_from(tabs: Tabs, timezone: str = "Asia/Jakarta") -> tuple[MemoryBackend, str, Control]:
    backend = MemoryBackend()
    ref = backend.create_form("Kendali Data Kinerja")
    backend.write(ref.id, [RangeWrite(f"{tab}!A1", values) for tab, values in tabs.items()])
    return backend, ref.id, read_control(backend, ref.id, timezone)


def edited(edit: Callable[[Tabs], None]) -> Control:
    tabs = tabs_of()
    edit(tabs)
    return control_from(tabs)[2]


def set_cell(tabs: Tabs, tab: str, row: int, header: str, value: Raw) -> None:
    """Set the cell of sheet ``row`` (1-based; 1 = headers) in the column titled ``header``."""
    col = tabs[tab][0].index(header)
    tabs[tab][row - 1][col] = value


def row_of(tabs: Tabs, tab: str, code: str) -> int:
    return next(n for n, r in enumerate(tabs[tab], start=1) if r[0] == code)


def only(findings: tuple[Finding, ...], code: str) -> Finding:
    matching = [f for f in findings if f.code == code]
    assert len(matching) == 1, findings
    return matching[0]


# -- the sample office ------------------------------------------------------------------------------

def test_the_sample_office_reads_without_findings() -> None:
    _, _, control = control_from(tabs_of())
    assert control.findings == ()
    assert [u.code for u in control.units] == ["SEK", "PPIK", "MP", "PKA", "PKAP"]
    assert len(control.indicators) == 11
    assert len(control.schedules) == 4


def test_every_indicator_belongs_to_a_listed_bidang() -> None:
    _, _, control = control_from(tabs_of())
    codes = {u.code for u in control.units}
    assert {i.unit for i in control.indicators} <= codes
    assert sum(len(control.indicators_of(u)) for u in codes) == 11


def test_the_tw1_deadline_is_16_00_wib_on_10_april() -> None:
    _, _, control = control_from(tabs_of())
    tw1 = control.schedule(Period(2025, 1))
    assert tw1 is not None
    assert tw1.deadline == datetime(2025, 4, 10, 16, 0, tzinfo=WIB)
    assert tw1.deadline.utcoffset() == datetime(2025, 1, 1, 7, tzinfo=WIB).utcoffset()
    assert tw1.opens < tw1.deadline
    assert tw1.lock is not None and tw1.lock > tw1.deadline  # two separate dates, never confused


def test_schedules_are_in_the_office_time_zone() -> None:
    _, _, control = control_from(tabs_of(), timezone="Asia/Makassar")
    for s in control.schedules:
        assert s.deadline.tzinfo == ZoneInfo("Asia/Makassar")
        assert s.opens.tzinfo == ZoneInfo("Asia/Makassar")


def test_the_fourth_quarter_is_collected_in_the_next_year() -> None:
    _, _, control = control_from(tabs_of())
    tw4 = control.schedule(Period(2025, 4))
    assert tw4 is not None and tw4.deadline.year == 2026


def test_the_kecamatan_sample_also_reads_cleanly() -> None:
    _, _, control = control_from(tabs_of("kecamatan"))
    assert control.findings == ()
    assert control.units and control.indicators


# -- findings on the master -------------------------------------------------------------------------

def test_a_duplicate_indicator_code_is_a_finding_and_the_first_row_is_kept() -> None:
    def dup(tabs: Tabs) -> None:
        set_cell(tabs, "Indikator", row_of(tabs, "Indikator", "1.2"), "Kode", "1.1")

    control = edited(dup)
    f = only(control.findings, "kode_ganda")
    assert (f.unit, f.sheet, f.cell) == ("KENDALI", "Indikator", "A3")
    assert "1.1" in f.message
    assert [i.code for i in control.indicators].count("1.1") == 1
    assert len(control.indicators) == 10


def test_an_unknown_bidang_code_names_the_kode_bidang_cell() -> None:
    def bad(tabs: Tabs) -> None:
        set_cell(tabs, "Indikator", row_of(tabs, "Indikator", "2.1"), "Kode Bidang", "MUTASI")

    control = edited(bad)
    f = only(control.findings, "bidang_tidak_dikenal")
    assert (f.sheet, f.cell) == ("Indikator", "B5")
    assert "MUTASI" in f.message
    assert "MP" in f.fix  # the valid codes are listed
    assert control.unit("MP") is not None
    assert "2.1" not in {i.code for i in control.indicators}


def test_per_triwulan_targets_that_do_not_add_up_to_the_annual_target_are_a_finding() -> None:
    # 1.3 is jumlah / per_triwulan 50 + 150 + 150 + 50 = 400; 60 breaks the sum.
    def bad(tabs: Tabs) -> None:
        set_cell(tabs, "Indikator", row_of(tabs, "Indikator", "1.3"), "Target TW I", "60")

    control = edited(bad)
    f = only(control.findings, "target_tidak_konsisten")
    assert f.sheet == "Indikator" and f.cell.endswith("4") and f.cell
    assert "1.3" in f.message


def test_per_triwulan_targets_that_add_up_are_accepted() -> None:
    def moved(tabs: Tabs) -> None:
        row = row_of(tabs, "Indikator", "1.3")
        set_cell(tabs, "Indikator", row, "Target TW I", "100")
        set_cell(tabs, "Indikator", row, "Target TW II", "100")  # 100 + 100 + 150 + 50 = 400

    control = edited(moved)
    assert control.findings == ()


def test_cumulative_targets_that_go_down_are_a_finding() -> None:
    # 1.2 is positif / kumulatif 15, 40, 65, 80: a "s.d. triwulan" series must not fall.
    def bad(tabs: Tabs) -> None:
        set_cell(tabs, "Indikator", row_of(tabs, "Indikator", "1.2"), "Target TW III", "30,00")

    control = edited(bad)
    f = only(control.findings, "target_tidak_konsisten")
    assert (f.sheet, f.cell[-1]) == ("Indikator", "3")
    assert "1.2" in f.message


def test_cumulative_targets_whose_last_quarter_is_not_the_annual_target_are_a_finding() -> None:
    def bad(tabs: Tabs) -> None:
        set_cell(tabs, "Indikator", row_of(tabs, "Indikator", "1.2"), "Target TW IV", "85,00")

    assert only(edited(bad).findings, "target_tidak_konsisten").sheet == "Indikator"


@pytest.mark.parametrize(
    ("header", "value", "code", "column"),
    [
        ("Polaritas", "positive", "polaritas_tidak_dikenal", "F"),
        ("Konsolidasi", "sum", "konsolidasi_tidak_dikenal", "G"),
        ("Konvensi Target", "tahunan", "konvensi_target_tidak_dikenal", "H"),
    ],
)
def test_unknown_polaritas_or_konsolidasi_names_its_cell(header: str, value: str, code: str, column: str) -> None:
    def bad(tabs: Tabs) -> None:
        set_cell(tabs, "Indikator", row_of(tabs, "Indikator", "3.1"), header, value)

    tabs = tabs_of()
    n = row_of(tabs, "Indikator", "3.1")
    control = edited(bad)
    f = only(control.findings, code)
    assert (f.sheet, f.cell) == ("Indikator", f"{column}{n}")
    assert value in f.message
    assert "3.1" not in {i.code for i in control.indicators}
    assert len(control.indicators) == 10


def test_polaritas_is_read_case_insensitively() -> None:
    def upper(tabs: Tabs) -> None:
        set_cell(tabs, "Indikator", row_of(tabs, "Indikator", "3.3"), "Polaritas", "Negatif")

    control = edited(upper)
    assert control.findings == ()
    assert next(i for i in control.indicators if i.code == "3.3").polaritas == "negatif"


def test_an_unknown_approval_status_names_the_status_cell() -> None:
    def bad(tabs: Tabs) -> None:
        tabs["Persetujuan"] += [["2025-TW1", "MP", "Disetujui", "", "2025-04-14"],
                                ["2025-TW1", "SEK", "OK deh", "", ""]]

    control = edited(bad)
    f = only(control.findings, "status_tidak_dikenal")
    assert (f.sheet, f.cell) == ("Persetujuan", "C3")
    assert "OK deh" in f.message
    assert [(d.unit, d.status) for d in control.decisions] == [("MP", "Disetujui")]


def test_approval_statuses_are_normalised_and_empty_means_not_discussed() -> None:
    def add(tabs: Tabs) -> None:
        tabs["Persetujuan"] += [["2025-TW1", "MP", "perlu perbaikan", "target 2.2", ""],
                                ["2025-TW1", "SEK", None, "", ""]]

    control = edited(add)
    assert [(d.unit, d.status) for d in control.decisions] == [("MP", "Perlu perbaikan"), ("SEK", "Belum dibahas")]


def test_an_unreadable_deadline_names_the_jadwal_cell_and_other_periods_still_read() -> None:
    def bad(tabs: Tabs) -> None:
        set_cell(tabs, "Jadwal", 3, "Batas Pengisian", "tiga hari setelah dibuka")

    control = edited(bad)
    f = only(control.findings, "tanggal_tidak_valid")
    assert (f.sheet, f.cell) == ("Jadwal", "C3")
    assert "tiga hari setelah dibuka" in f.message
    assert control.schedule(Period(2025, 2)) is None
    assert [s.period.quarter for s in control.schedules] == [1, 3, 4]


def test_an_unreadable_approval_date_is_a_finding_but_the_decision_counts() -> None:
    def bad(tabs: Tabs) -> None:
        tabs["Persetujuan"].append(["2025-TW1", "MP", "Disetujui", "", "Senin depan"])

    control = edited(bad)
    f = only(control.findings, "tanggal_tidak_valid")
    assert (f.sheet, f.cell) == ("Persetujuan", "E2")
    assert [(d.unit, d.status, d.tanggal) for d in control.decisions] == [("MP", "Disetujui", None)]


def test_bad_rows_never_stop_the_other_rows_from_being_read() -> None:
    def many(tabs: Tabs) -> None:
        set_cell(tabs, "Indikator", row_of(tabs, "Indikator", "1.2"), "Kode", "1.1")
        set_cell(tabs, "Indikator", row_of(tabs, "Indikator", "2.1"), "Kode Bidang", "XX")
        set_cell(tabs, "Indikator", row_of(tabs, "Indikator", "3.1"), "Polaritas", "?")
        set_cell(tabs, "Jadwal", 2, "Dibuka", "kapan-kapan")
        tabs["Persetujuan"].append(["2025-TW9", "MP", "Disetujui", "", ""])

    control = edited(many)
    assert {f.code for f in control.findings} == {
        "kode_ganda", "bidang_tidak_dikenal", "polaritas_tidak_dikenal", "tanggal_tidak_valid",
        "periode_tidak_dikenal",
    }
    assert all(f.sheet and f.cell for f in control.findings)
    assert len(control.units) == 5
    assert len(control.indicators) == 8
    assert len(control.schedules) == 3


def test_columns_are_found_by_header_even_when_reordered() -> None:
    tabs = tabs_of()
    tabs["Bidang"] = [[r[1], r[0], *r[2:]] for r in tabs["Bidang"]]
    _, _, control = control_from(tabs)
    assert [u.code for u in control.units] == ["SEK", "PPIK", "MP", "PKA", "PKAP"]
    assert control.unit("MP").name == "Bidang Mutasi dan Promosi"  # type: ignore[union-attr]


def test_a_missing_tab_is_a_finding_not_a_crash() -> None:
    tabs = tabs_of()
    del tabs["Jadwal"]
    _, _, control = control_from(tabs)
    f = only(control.findings, "tab_hilang")
    assert f.sheet == "Jadwal"
    assert control.schedules == ()
    assert len(control.indicators) == 11


# -- links ------------------------------------------------------------------------------------------

def bidang_values(backend: MemoryBackend, form_id: str) -> Values:
    return backend.read(form_id, ["Bidang!A1:Z50"])["Bidang!A1:Z50"]


def test_form_links_are_written_into_the_tautan_form_column() -> None:
    backend, cid, _ = control_from(tabs_of())
    links = {"MP": "https://docs.example/mp", "SEK": "https://docs.example/sek"}
    write_unit_links(backend, cid, links)
    control = read_control(backend, cid, "Asia/Jakarta")
    assert {u.code: u.form_link for u in control.units if u.form_link} == links
    values = bidang_values(backend, cid)
    col = values[0].index("Tautan Form")
    assert {r[0]: r[col] for r in values[1:] if r[col]} == links


def test_writing_the_same_links_again_changes_nothing() -> None:
    backend, cid, _ = control_from(tabs_of())
    links = {"MP": "https://docs.example/mp"}
    write_unit_links(backend, cid, links)
    before = (backend.digest(cid), backend.forms[cid].modified)
    writes_before = [c for c in backend.calls if c[0] == "write"]
    write_unit_links(backend, cid, links)
    assert (backend.digest(cid), backend.forms[cid].modified) == before
    assert [c for c in backend.calls if c[0] == "write"] == writes_before


def test_links_follow_the_headers_when_the_ppkp_moved_columns() -> None:
    tabs = tabs_of()
    tabs["Bidang"] = [[r[5], r[1], r[0], r[2], r[3], r[4]] for r in tabs["Bidang"]]
    backend, cid, _ = control_from(tabs)
    write_unit_links(backend, cid, {"PKA": "https://docs.example/pka"})
    values = bidang_values(backend, cid)
    assert values[0][0] == "Tautan Form"
    pka = next(r for r in values if r[2] == "PKA")
    assert pka[0] == "https://docs.example/pka"
    assert read_control(backend, cid, "Asia/Jakarta").unit("PKA").form_link == "https://docs.example/pka"  # type: ignore[union-attr]


def test_a_missing_tautan_form_column_is_added_after_the_last_header() -> None:
    tabs = tabs_of()
    tabs["Bidang"] = [r[:5] for r in tabs["Bidang"]]
    backend, cid, _ = control_from(tabs)
    write_unit_links(backend, cid, {"MP": "https://docs.example/mp"})
    values = bidang_values(backend, cid)
    assert values[0][: len(BIDANG_HEADERS)] == list(BIDANG_HEADERS)
    assert next(r for r in values if r[0] == "MP")[5] == "https://docs.example/mp"


def test_the_example_tabs_use_the_documented_headers() -> None:
    tabs = tabs_of()
    assert tabs["Bidang"][0] == list(BIDANG_HEADERS)
    assert tabs["Indikator"][0] == list(INDIKATOR_HEADERS)
    assert tabs["Persetujuan"][0] == list(PERSETUJUAN_HEADERS)


# -- parse_when -------------------------------------------------------------------------------------

def test_a_date_and_time_is_taken_in_the_office_time_zone() -> None:
    assert parse_when("2025-04-10 16:00", WIB, end_of_day=True) == datetime(2025, 4, 10, 16, 0, tzinfo=WIB)
    wita = ZoneInfo("Asia/Makassar")
    got = parse_when("2025-04-10T16:00", wita, end_of_day=True)
    assert got == datetime(2025, 4, 10, 16, 0, tzinfo=wita)
    assert got is not None and got.tzinfo == wita


def test_a_bare_deadline_date_means_the_end_of_that_day() -> None:
    got = parse_when("2025-04-10", WIB, end_of_day=True)
    assert got is not None
    assert got.date() == datetime(2025, 4, 10).date()
    assert got.time() == time(23, 59, 59)


def test_a_bare_opening_date_means_the_start_of_that_day() -> None:
    assert parse_when("2025-04-08", WIB, end_of_day=False) == datetime(2025, 4, 8, 0, 0, tzinfo=WIB)


def test_day_first_dates_are_indonesian_order() -> None:
    assert parse_when("10/04/2025", WIB, end_of_day=False) == datetime(2025, 4, 10, tzinfo=WIB)
    assert parse_when("10-04-2025 16:00", WIB, end_of_day=False) == datetime(2025, 4, 10, 16, tzinfo=WIB)


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_an_empty_cell_is_no_date(empty: str | None) -> None:
    assert parse_when(empty, WIB, end_of_day=True) is None


@pytest.mark.parametrize("bad", ["besok", "2025-13-01", "31/02/2025", "10 April 2025"])
def test_an_unreadable_date_raises_value_error(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_when(bad, WIB, end_of_day=True)


# ---- issue 12: exact target cells, cascading columns, budget per program ----------------------------

def test_a_target_tw_iii_problem_names_the_target_tw_iii_cell_not_the_annual_one() -> None:
    def bad(tabs: Tabs) -> None:
        set_cell(tabs, "Indikator", row_of(tabs, "Indikator", "1.2"), "Target TW III", "30,00")

    tabs = tabs_of()
    n = row_of(tabs, "Indikator", "1.2")
    f = only(edited(bad).findings, "target_tidak_konsisten")
    assert f.location == f"Indikator!L{n}"  # Target TW III, not Target Tahunan (I)


def test_a_row_with_inconsistent_targets_stays_on_the_forms_and_blocks_final_documents() -> None:
    from sheets_sync.core.control import BLOCKS_FINAL

    def bad(tabs: Tabs) -> None:
        set_cell(tabs, "Indikator", row_of(tabs, "Indikator", "1.3"), "Target TW I", "60")

    control = edited(bad)
    assert "1.3" in {i.code for i in control.indicators}
    assert {f.code for f in control.findings} <= BLOCKS_FINAL


CASCADE = ("Tingkat", "Kode Induk", "IKU", "Penanggung Jawab", "Rumus Negatif", "Realisasi Tahun Lalu",
           "Target Akhir Renstra", "Periode Renstra")


def with_cascade(tabs: Tabs, values: dict[str, tuple[str, ...]]) -> None:
    tabs["Indikator"][0].extend(CASCADE)
    for row in tabs["Indikator"][1:]:
        row.extend(values.get(str(row[0]), ("",) * len(CASCADE)))


def test_the_cascading_columns_are_read_when_present() -> None:
    control = edited(lambda t: with_cascade(t, {
        "1.1": ("Sasaran", "", "ya", "Kepala Badan", "", "71,3", "75", "2021–2026"),
        "1.3": ("Program", "1.1", "tidak", "Kepala Bidang PKA", "", "380", "", ""),
        "3.3": ("kegiatan", "1.3", "", "Kasubbid Mutasi", "B", "11", "8", "2021–2026"),
    }))
    assert control.findings == ()
    by = {i.code: i for i in control.indicators}
    assert (by["1.1"].tingkat, by["1.1"].iku, by["1.1"].penanggung_jawab, by["1.1"].target_renstra) == (
        "sasaran", True, "Kepala Badan", "75")
    assert (by["1.3"].tingkat, by["1.3"].kode_induk, by["1.3"].realisasi_tahun_lalu) == ("program", "1.1", "380")
    assert (by["3.3"].tingkat, by["3.3"].rumus_negatif, by["3.3"].periode_renstra) == ("kegiatan", "B", "2021–2026")
    assert by["1.2"].tingkat == "sasaran" and not by["1.2"].iku  # empty cells are the defaults


@pytest.mark.parametrize(("values", "code"), [
    ({"1.3": ("program", "9.9", "", "", "", "", "", "")}, "induk_tidak_ada"),
    ({"1.2": ("program", "1.3", "", "", "", "", "", ""), "1.3": ("kegiatan", "1.2", "", "", "", "", "", "")},
     "induk_melingkar"),
    ({"1.3": ("sasaran", "1.1", "", "", "", "", "", "")}, "tingkat_induk_salah"),
    ({"1.3": ("bidang", "", "", "", "", "", "", "")}, "tingkat_tidak_dikenal"),
    ({"1.3": ("", "", "mungkin", "", "", "", "", "")}, "iku_tidak_dikenal"),
    ({"3.3": ("", "", "", "", "C2", "", "", "")}, "rumus_tidak_dikenal"),
    ({"3.3": ("", "", "", "", "", "", "85..5", "")}, "target_renstra_tidak_valid"),
])
def test_cascading_problems_are_findings_naming_the_cell_and_the_row_stays(values: dict[str, tuple[str, ...]],
                                                                          code: str) -> None:
    from sheets_sync.core.control import BLOCKS_FINAL

    tabs = tabs_of()
    with_cascade(tabs, values)
    control = control_from(tabs)[2]
    f = [f for f in control.findings if f.code == code]
    assert f, control.findings
    assert f[0].sheet == "Indikator" and f[0].cell[0] in "OPQRSTUV" and f[0].cell[1:].isdigit()
    assert code in BLOCKS_FINAL
    assert len(control.indicators) == 11


def test_target_tahun_lalu_is_read_and_a_bad_one_is_a_finding_on_its_cell() -> None:
    from sheets_sync.core.control import BLOCKS_FINAL

    def add(tabs: Tabs) -> None:
        tabs["Indikator"][0].append("Target Tahun Lalu")
        for row in tabs["Indikator"][1:]:
            row.append({"1.1": "70,00", "1.2": "85..5"}.get(str(row[0]), ""))

    control = edited(add)
    by = {i.code: i for i in control.indicators}
    assert [by[c].target_tahun_lalu for c in ("1.1", "1.2", "1.3")] == ["70,00", "", ""]
    (f,) = [f for f in control.findings if f.code == "target_tahun_lalu_tidak_valid"]
    assert f.sheet == "Indikator" and f.cell == "O3" and "'85..5'" in f.message and "1.2" in f.message
    assert f.code in BLOCKS_FINAL and len(control.indicators) == 11  # the row stays, the documents stay draft


def test_budget_rows_keyed_by_program_code_and_the_office_total() -> None:
    from sheets_sync.service.control_io import read_budget

    tabs = tabs_of()
    tabs["Anggaran"] = [["Periode", "Kode", "Pagu", "Realisasi"],
                        ["2025-TW1", "1.3", "1.000.000.000", "250.000.000"],
                        ["2025-TW1", "3.3", "500.000.000", "100.000.000"],
                        ["2025-TW2", "1.3", "1.000.000.000", "600.000.000"]]
    backend, ref, _ = control_from(tabs)
    b = read_budget(backend, ref, Period(2025, 1))
    assert b.lines == {"1.3": {"pagu": 1e9, "realisasi": 2.5e8}, "3.3": {"pagu": 5e8, "realisasi": 1e8}}
    assert b.total == {"pagu": 1.5e9, "realisasi": 3.5e8}  # no row without a Kode: the sum
    tabs["Anggaran"].append(["2025-TW1", "", "4.250.000.000", "812.500.000"])
    backend, ref, _ = control_from(tabs)
    assert read_budget(backend, ref, Period(2025, 1)).total == {"pagu": 4.25e9, "realisasi": 8.125e8}


def test_the_findings_of_a_badly_typed_control_read_in_english_with_lang_en_and_stay_indonesian() -> None:
    from sheets_sync.core import control_codec
    from sheets_sync.i18n import english
    from sheets_sync.i18n.catalog import indonesian_words

    def broken(tabs: Tabs) -> None:
        set_cell(tabs, "Bidang", 3, "Kode", "")
        set_cell(tabs, "Indikator", row_of(tabs, "Indikator", "1.2"), "Kode", "1.1")
        set_cell(tabs, "Indikator", row_of(tabs, "Indikator", "2.1"), "Kode Bidang", "XX")
        set_cell(tabs, "Indikator", row_of(tabs, "Indikator", "3.1"), "Polaritas", "?")
        with_cascade(tabs, {"1.3": ("program", "9.9", "mungkin", "", "C2", "", "85..5", ""),
                            "3.3": ("bidang", "", "", "", "", "", "", "")})
        set_cell(tabs, "Jadwal", 2, "Dibuka", "kapan-kapan")
        set_cell(tabs, "Jadwal", 3, "Batas Pengisian", "")
        tabs["Persetujuan"] += [["2025-TW9", "MP", "Disetujui", "", ""], ["2025-TW1", "MP", "Setuju", "", ""],
                                ["2025-TW1", "SEK", "Perlu perbaikan", "", ""],
                                ["2025-TW1", "", "Disetujui", "", "besok"]]
        tabs["Libur"] = [["Tanggal", "Keterangan", "Jenis"], ["2025-10-20", "Hari Jadi", "cuti"],
                         ["kemarin", "Rapat", "libur"]]

    control = edited(broken)
    no_jadwal = edited(lambda tabs: tabs.pop("Jadwal") and None)
    codes = {f.code for f in control.findings}
    assert codes >= {"kode_kosong", "kode_ganda", "bidang_tidak_dikenal", "polaritas_tidak_dikenal",
                     "induk_tidak_ada", "iku_tidak_dikenal", "rumus_tidak_dikenal", "target_renstra_tidak_valid",
                     "tingkat_tidak_dikenal", "tanggal_tidak_valid", "tanggal_kosong", "periode_tidak_dikenal",
                     "status_tidak_dikenal", "catatan_wajib", "jenis_libur_tidak_dikenal"}, codes
    assert [f.code for f in no_jadwal.findings] == ["tab_hilang"]
    messages = {f.message for f in control.findings}
    assert "Kode indikator 1.1 muncul dua kali (baris 3 (1.1))." in messages
    assert "Persetujuan 2025-TW1 MP: baris 3 diabaikan — status 'Setuju' tidak dikenal." in messages
    assert "Jenis 'cuti' tidak dikenal." in messages
    cached = control_codec.loads(control_codec.dumps(control), "Asia/Jakarta")
    assert cached is not None
    for f, again in zip((*control.findings, *no_jadwal.findings), (*cached.findings, *no_jadwal.findings),
                        strict=True):
        assert f.text is not None and f.fix_text is not None, f
        worded = (f.message_in(english), f.fix_in(english))
        assert (again.message_in(english), again.fix_in(english)) == worded  # the cache keeps the wording
        for line in worded:
            assert not indonesian_words(line), line
