"""The bidang form: building a period tab without touching what people typed, and reading it back by
header and indicator code."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sample_form import MP, OFFICE, SCHEDULE, TW1

from sheets_sync.backends.memory import MemoryBackend
from sheets_sync.core.a1 import cell, col_index, parse_range
from sheets_sync.core.form import (
    DONE_CELL,
    FIRST_ROW,
    HEADER_ROW,
    INPUT_COLS,
    LAST_COL,
    MARKER_COL,
    build_setup,
    headers,
    marker_text,
    read_form,
    read_range,
)
from sheets_sync.core.values import TabSetup, Values
from sheets_sync.model import FormRead, Indicator, Period, Raw, Unit

READ_AT = datetime(2025, 4, 9, 2, 0, tzinfo=UTC)
INPUT_LETTERS = {"H", "I", "J", "K", "L"}


def indicator(code: str, name: str, target: str = "90") -> Indicator:
    return Indicator(code, "MP", "Meningkatnya sistem merit", name, "%", "positif", "nilai_akhir", "kumulatif",
                     target, (target, target, target, target), f"cara {code}")


INDICATORS = (indicator("2.1", "Nilai Indeks Sistem Merit", "300"),
              indicator("2.2", "Persentase pengisian jabatan"),
              indicator("3.3", "Rata-rata waktu layanan mutasi", "10"))


def new_form(indicators: tuple[Indicator, ...] = INDICATORS) -> tuple[MemoryBackend, str]:
    backend = MemoryBackend()
    form_id = backend.create_form("Data Kinerja 2025 — MP").id
    backend.setup(form_id, build_setup(MP, indicators, TW1, OFFICE, SCHEDULE, None))
    return backend, form_id


def values_of(backend: MemoryBackend, form_id: str) -> Values:
    return backend.read(form_id, [read_range(TW1)])[read_range(TW1)]


def read(values: Values, indicators: tuple[Indicator, ...] = INDICATORS, unit: Unit = MP) -> FormRead:
    return read_form(values, unit, indicators, TW1, form_id="f", link="memory://f", read_at=READ_AT)


def covered(ranges: list[str], a1: str) -> bool:
    target = parse_range(f"TW1!{a1}")
    for text in ranges:
        r = parse_range(text)
        if r.row1 <= target.row1 <= (r.row2 or 10**6) and r.col1 <= target.col1 <= (r.col2 or 10**6):
            return True
    return False


def written_cells(setup: TabSetup) -> dict[str, object]:
    """A1 → value for every non-None value in the setup's writes (None means "leave as is")."""
    out: dict[str, object] = {}
    for w in setup.writes:
        rng = parse_range(w.range)
        for i, row in enumerate(w.values):
            for j, v in enumerate(row):
                if v is not None:
                    out[cell(rng.row1 + i, rng.col1 + j)] = v
    return out


def codes(read_: FormRead, code: str) -> list[str]:
    return [f.cell for f in read_.findings if f.code == code]


# -- build_setup on a new tab -----------------------------------------------------------------------

def test_a_new_tab_gets_headers_rows_in_master_order_and_the_marker() -> None:
    backend, form_id = new_form()
    values = values_of(backend, form_id)
    assert values[HEADER_ROW - 1][:13] == list(headers(TW1))
    assert [values[r][1] for r in range(FIRST_ROW - 1, FIRST_ROW + 2)] == ["2.1", "2.2", "3.3"]
    assert [values[r][0] for r in range(FIRST_ROW - 1, FIRST_ROW + 2)] == [1, 2, 3]
    assert values[0][MARKER_COL - 1] == marker_text("MP", TW1)
    assert values[2][2] == "Belum"
    assert backend.read_marker(form_id, "TW1") == {"form": "1", "unit": "MP", "period": "2025-TW1"}


def test_the_headers_name_the_quarter_in_roman_numerals() -> None:
    assert "Target TW III" in headers(Period(2025, 3))
    assert "Realisasi TW IV" in headers(Period(2025, 4))


def test_the_instructions_state_the_deadline_in_the_office_time_zone() -> None:
    setup = build_setup(MP, INDICATORS, TW1, OFFICE, SCHEDULE, None)
    text = " ".join(str(v) for v in written_cells(setup).values())
    assert "10-04-2025 16:00" in text
    assert "Asia/Jakarta" in text


def test_a_new_tab_leaves_every_input_cell_empty() -> None:
    backend, form_id = new_form()
    values = values_of(backend, form_id)
    for r in range(FIRST_ROW, FIRST_ROW + 3):
        assert all(values[r - 1][c - 1] is None for c in INPUT_COLS.values())


def test_targets_and_identity_columns_are_protected_but_inputs_and_c3_are_not() -> None:
    setup = build_setup(MP, INDICATORS, TW1, OFFICE, SCHEDULE, None)
    ranges = [p.range for p in setup.protections]
    last = FIRST_ROW + len(INDICATORS) - 1
    for r in range(FIRST_ROW, last + 1):
        for letter in "ABCDEFG":
            assert covered(ranges, f"{letter}{r}"), f"{letter}{r} should be protected"
        for letter in INPUT_LETTERS:
            assert not covered(ranges, f"{letter}{r}"), f"{letter}{r} must stay editable"
    assert not covered(ranges, DONE_CELL)
    assert covered(ranges, "A1") and covered(ranges, "H5") and covered(ranges, "P1")
    header_rows = [cell(r, c) for r in range(1, FIRST_ROW) for c in range(1, LAST_COL + 1) if cell(r, c) != DONE_CELL]
    assert [a1 for a1 in header_rows if not covered(ranges, a1)] == []  # the blanks beside labels included


def test_input_columns_are_validated_and_c3_offers_selesai() -> None:
    setup = build_setup(MP, INDICATORS, TW1, OFFICE, SCHEDULE, None)
    by_kind = {v.kind: v for v in setup.validations}
    assert covered([by_kind["number"].range], f"H{FIRST_ROW}")
    assert covered([by_kind["number"].range], f"J{FIRST_ROW + 2}")
    assert not covered([by_kind["number"].range], f"K{FIRST_ROW}")  # keterangan is free text
    assert covered([by_kind["url"].range], f"L{FIRST_ROW}")
    assert by_kind["list"].range == f"TW1!{DONE_CELL}"
    assert "Selesai" in by_kind["list"].values
    assert not by_kind["number"].strict  # "-" must still be accepted (with a warning)


def test_the_marker_column_is_hidden_and_the_header_is_frozen() -> None:
    setup = build_setup(MP, INDICATORS, TW1, OFFICE, SCHEDULE, None)
    assert MARKER_COL in setup.hidden_columns
    assert setup.frozen_rows == HEADER_ROW
    assert setup.index == 0


# -- build_setup on an existing tab -----------------------------------------------------------------

def typed_form() -> tuple[MemoryBackend, str]:
    backend, form_id = new_form()
    backend.type_into(form_id, "TW1!H6", 281)
    backend.type_into(form_id, "TW1!K6", "hasil penilaian KASN")
    backend.type_into(form_id, "TW1!H7", "-")
    backend.type_into(form_id, "TW1!L8", "https://drive.example/bukti")
    backend.type_into(form_id, f"TW1!{DONE_CELL}", "Selesai")
    return backend, form_id


def test_rebuilding_an_existing_tab_never_writes_an_input_cell() -> None:
    backend, form_id = typed_form()
    setup = build_setup(MP, INDICATORS, TW1, OFFICE, SCHEDULE, values_of(backend, form_id))
    for a1 in written_cells(setup):
        rng = parse_range(f"TW1!{a1}")
        assert not (rng.row1 >= FIRST_ROW and rng.col1 in INPUT_COLS.values()), a1
        assert a1 != DONE_CELL


def test_rebuilding_keeps_what_people_typed() -> None:
    backend, form_id = typed_form()
    before = values_of(backend, form_id)
    backend.setup(form_id, build_setup(MP, INDICATORS, TW1, OFFICE, SCHEDULE, before))
    after = values_of(backend, form_id)
    assert after == before
    assert after[5][7] == 281 and after[6][7] == "-" and after[2][2] == "Selesai"


def test_a_new_indicator_is_appended_below_the_last_row() -> None:
    backend, form_id = typed_form()
    more = (*INDICATORS, indicator("2.4", "Persentase ASN mengikuti assessment"))
    backend.setup(form_id, build_setup(MP, more, TW1, OFFICE, SCHEDULE, values_of(backend, form_id)))
    values = values_of(backend, form_id)
    new_row = FIRST_ROW + len(INDICATORS)
    assert values[new_row - 1][1] == "2.4"
    assert values[FIRST_ROW - 1][7] == 281
    result = read(values, more)
    assert [r.code for r in result.rows] == ["2.1", "2.2", "3.3", "2.4"]
    assert result.findings == ()


def test_static_columns_are_refreshed_where_the_row_now_is() -> None:
    backend, form_id = typed_form()
    values = values_of(backend, form_id)
    values.insert(FIRST_ROW - 1, [None] * MARKER_COL)  # someone inserted an empty row above the data
    changed = (indicator("2.1", "Indeks Sistem Merit (revisi)", "300"), *INDICATORS[1:])
    setup = build_setup(MP, changed, TW1, OFFICE, SCHEDULE, values)
    cells = written_cells(setup)
    assert cells[f"D{FIRST_ROW + 1}"] == "Indeks Sistem Merit (revisi)"
    assert f"D{FIRST_ROW}" not in cells


# -- read_form --------------------------------------------------------------------------------------

def test_a_clean_form_reads_every_row_with_its_cells_and_addresses() -> None:
    backend, form_id = typed_form()
    result = read(values_of(backend, form_id))
    assert result.ok and result.findings == ()
    first = result.row("2.1")
    assert first is not None
    assert first.cells["realisasi"] == 281
    assert first.cells["keterangan"] == "hasil penilaian KASN"
    assert first.addresses["realisasi"] == "H6"
    assert first.addresses["keterangan"] == "K6"
    assert result.row("3.3").cells["bukti"] == "https://drive.example/bukti"  # type: ignore[union-attr]


def test_swapped_columns_are_found_by_header_and_reported() -> None:
    backend, form_id = typed_form()
    values = values_of(backend, form_id)
    h, k = col_index("H") - 1, col_index("K") - 1
    for row in values:
        row[h], row[k] = row[k], row[h]
    result = read(values)
    moved = [f for f in result.findings if f.code == "kolom_dipindah"]
    assert {f.cell for f in moved} == {"K5", "H5"}
    assert all(f.severity == "info" for f in moved)
    first = result.row("2.1")
    assert first is not None
    assert first.cells["realisasi"] == 281
    assert first.cells["keterangan"] == "hasil penilaian KASN"
    assert first.addresses["realisasi"] == "K6"


def test_a_deleted_row_is_reported_and_the_other_rows_are_still_read() -> None:
    backend, form_id = typed_form()
    values = values_of(backend, form_id)
    del values[FIRST_ROW]  # row 7 (2.2) deleted, 3.3 moves up
    result = read(values)
    missing = [f for f in result.findings if f.code == "baris_hilang"]
    assert len(missing) == 1
    assert (missing[0].unit, missing[0].sheet, missing[0].cell, missing[0].indicator) == ("MP", "TW1", "B7", "2.2")
    assert "2.2" in missing[0].message
    assert missing[0].severity == "error"
    assert [r.code for r in result.rows] == ["2.1", "3.3"]
    assert result.row("3.3").cells["bukti"] == "https://drive.example/bukti"  # type: ignore[union-attr]
    assert codes(result, "baris_dipindah") == ["B7"]


def test_an_extra_row_is_a_warning_and_ignored() -> None:
    backend, form_id = typed_form()
    values = values_of(backend, form_id)
    extra: list[Raw] = [None] * MARKER_COL
    extra[1], extra[7] = "9.9", 50
    values.append(extra)
    result = read(values)
    assert codes(result, "baris_tambahan") == [f"B{len(values)}"]
    assert next(f for f in result.findings if f.code == "baris_tambahan").severity == "warning"
    assert "9.9" not in {r.code for r in result.rows}


def test_a_duplicated_code_reads_only_the_first_row() -> None:
    backend, form_id = typed_form()
    values = values_of(backend, form_id)
    copy = list(values[FIRST_ROW - 1])
    copy[7] = 999
    values.append(copy)
    result = read(values)
    assert codes(result, "baris_ganda") == [f"B{len(values)}"]
    assert result.row("2.1").cells["realisasi"] == 281  # type: ignore[union-attr]


@pytest.mark.parametrize(("unit", "period"), [("SEK", TW1), ("MP", Period(2025, 2))])
def test_a_marker_of_another_bidang_or_period_means_the_form_was_swapped(unit: str, period: Period) -> None:
    backend, form_id = typed_form()
    values = values_of(backend, form_id)
    values[0][MARKER_COL - 1] = marker_text(unit, period)
    result = read(values)
    assert not result.ok
    assert result.rows == ()
    (f,) = result.findings
    assert (f.code, f.cell) == ("form_tertukar", "P1")
    assert unit in f.message and str(period) in f.message


def test_a_missing_header_row_makes_the_form_unreadable_with_a_finding() -> None:
    backend, form_id = typed_form()
    values = values_of(backend, form_id)
    values[HEADER_ROW - 1] = [None] * MARKER_COL
    result = read(values)
    assert not result.ok
    assert [f.code for f in result.findings] == ["judul_kolom_hilang"]


def test_a_missing_input_column_is_an_error_finding() -> None:
    backend, form_id = typed_form()
    values = values_of(backend, form_id)
    values[HEADER_ROW - 1][col_index("L") - 1] = None
    result = read(values)
    missing = [f for f in result.findings if f.code == "kolom_hilang"]
    assert [f.cell for f in missing] == ["L5"]
    assert "bukti" not in result.row("2.1").cells  # type: ignore[union-attr]


@pytest.mark.parametrize(("typed", "done"), [("Selesai", True), ("selesai ", True), ("Belum", False), (None, False)])
def test_selesai_in_c3_marks_the_form_done(typed: str | None, done: bool) -> None:
    backend, form_id = new_form()
    backend.type_into(form_id, f"TW1!{DONE_CELL}", typed)
    assert read(values_of(backend, form_id)).done is done


def test_a_form_without_a_marker_is_still_read() -> None:
    backend, form_id = typed_form()
    values = values_of(backend, form_id)
    values[0][MARKER_COL - 1] = None
    result = read(values)
    assert result.ok and len(result.rows) == 3


def test_layout_findings_read_in_english_with_lang_en_and_stay_indonesian() -> None:
    from sheets_sync.i18n import english
    from sheets_sync.i18n.catalog import indonesian_words

    backend, form_id = typed_form()
    values = values_of(backend, form_id)
    h, k = col_index("H") - 1, col_index("K") - 1
    for row in values:
        row[h], row[k] = row[k], row[h]
    values[0][MARKER_COL - 1] = None
    extra: list[Raw] = [None] * MARKER_COL
    extra[1] = "9.9"
    del values[FIRST_ROW]
    values += [extra, list(values[FIRST_ROW - 1])]
    no_header = values_of(backend, form_id)
    no_header[HEADER_ROW - 1] = [None] * MARKER_COL
    swapped = values_of(backend, form_id)
    swapped[0][MARKER_COL - 1] = marker_text("SEK", TW1)
    findings = [*read(values).findings, *read(no_header).findings, *read(swapped).findings]
    assert {f.code for f in findings} == {"kolom_dipindah", "penanda_hilang", "baris_hilang", "baris_dipindah",
                                          "baris_tambahan", "baris_ganda", "judul_kolom_hilang", "form_tertukar"}
    messages = {f.message for f in findings}
    assert "Kolom Realisasi dipindah dari H ke K; data tetap dibaca menurut judul kolom." in messages
    assert "Tab TW1 pada formulir MP ternyata milik bidang SEK periode 2025-TW1 (disalin atau tertukar)." in messages
    for f in findings:
        assert f.text is not None and f.fix_text is not None
        for line in (f.message_in(english), f.fix_in(english)):
            assert not indonesian_words(line), line
    assert "The SEK tab" not in str([f.message_in(english) for f in findings])
    assert any(f.message_in(english) == "The TW1 tab of the MP form turns out to belong to bidang SEK, period "
               "2025-TW1 (copied or swapped)." for f in findings)
