"""Indonesian formatting for documents (domain.md "Documents")."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.core.capaian import number_text
from sheets_sync.core.fmt import (
    angka,
    bulat,
    hari,
    nip,
    persen,
    roman,
    round_half_up,
    rupiah,
    tanggal,
    tanggal_jam,
    tempat_tanggal,
)


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        (1234567.891, 2, "1.234.567,89"),
        (1234567.89, 2, "1.234.567,89"),
        (0, 2, "0,00"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (2400, 0, "2.400"),
        (0.125, 2, "0,13"),
        (2.675, 2, "2,68"),
        (1.005, 2, "1,01"),
        (0.5, 0, "1"),
        (2.5, 0, "3"),
        (-1234.5, 1, "-1.234,5"),
        (-0.001, 2, "0,00"),
        (None, 2, "–"),
    ],
)
def test_angka_groups_thousands_with_dots_and_rounds_half_up(
    x: float | None, decimals: int, expected: str
) -> None:
    assert angka(x, decimals) == expected


def test_angka_refuses_negative_decimals() -> None:
    with pytest.raises(ValueError):
        angka(1, -1)


def test_a_number_printed_again_after_an_equal_one_of_another_sign_or_type_prints_its_own_text() -> None:
    # angka and number_text remember what they printed: equal keys (0.0 == -0.0, 2 == 2.0 == Decimal(2))
    # must never hand one value another's text
    assert [angka(v, 2) for v in (0.0, -0.0, 2, 2.0, Decimal("2.005"), 2.005, -1234.5, -1234.5)] == [
        "0,00", "0,00", "2,00", "2,00", "2,01", "2,01", "-1.234,50", "-1.234,50"]
    assert [angka(True, 0), angka(1, 0), angka(float("nan")), angka(float("inf"), 0)] == ["1", "1", "–", "–"]
    assert [number_text(v) for v in (16.2, 16.20, 0.0417, 2400, 2400.0, -0.0, 1 / 3)] == [
        "16,2", "16,2", "0,0417", "2.400", "2.400", "0", "0,3333"]
    assert [number_text(16.2, 0), number_text(16.2), number_text(16.2, 3)] == ["16", "16,2", "16,2"]


@pytest.mark.parametrize(
    ("x", "expected"),
    [(2400, "2.400"), (2400.0, "2.400"), (72.5, "72,50"), (0.2, "0,20"), (99.999, "100"), (None, "–")],
)
def test_bulat_prints_whole_numbers_without_decimals(x: float | None, expected: str) -> None:
    assert bulat(x) == expected


@pytest.mark.parametrize(
    ("x", "expected"),
    [(85.5, "85,50%"), (107.142857, "107,14%"), (99.765, "99,77%"), (100, "100,00%"), (None, "–")],
)
def test_persen_prints_two_decimals_with_comma_and_percent_sign(x: float | None, expected: str) -> None:
    assert persen(x) == expected


def test_round_half_up_is_not_bankers_rounding() -> None:
    assert round_half_up(0.125) == 0.13
    assert round_half_up(2.5, 0) == 3.0
    assert round(2.5) == 2  # what we avoid


@pytest.mark.parametrize(
    ("x", "expected"),
    [(1234567, "Rp1.234.567"), (1234567.5, "Rp1.234.568"), (0, "Rp0"), (-5000, "-Rp5.000"), (None, "–")],
)
def test_rupiah_has_no_space_and_no_decimals(x: float | None, expected: str) -> None:
    assert rupiah(x) == expected


@pytest.mark.parametrize(
    ("d", "expected"),
    [(date(2025, 2, 24), "24 Februari 2025"), (date(2025, 1, 1), "1 Januari 2025"),
     (datetime(2025, 12, 31, 23, 59), "31 Desember 2025")],
)
def test_tanggal_uses_indonesian_month_names(d: date, expected: str) -> None:
    assert tanggal(d) == expected


@pytest.mark.parametrize(
    ("zone", "abbr"),
    [("Asia/Jakarta", "WIB"), ("Asia/Pontianak", "WIB"), ("Asia/Makassar", "WITA"), ("Asia/Jayapura", "WIT")],
)
def test_tanggal_jam_names_the_indonesian_time_zone(zone: str, abbr: str) -> None:
    dt = datetime(2025, 2, 24, 14, 5, tzinfo=ZoneInfo(zone))
    assert tanggal_jam(dt) == f"24 Februari 2025 pukul 14.05 {abbr}"


def test_tanggal_jam_maps_fixed_indonesian_offsets_and_prints_others_as_utc() -> None:
    assert tanggal_jam(datetime(2025, 2, 24, 8, 0, tzinfo=timezone(timedelta(hours=8)))).endswith("WITA")
    assert tanggal_jam(datetime(2025, 2, 24, 7, 0, tzinfo=UTC)) == "24 Februari 2025 pukul 07.00 UTC+00.00"
    tokyo = datetime(2025, 2, 24, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert tanggal_jam(tokyo).endswith("UTC+09.00")


def test_tanggal_jam_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        tanggal_jam(datetime(2025, 2, 24, 14, 5))


def test_tempat_tanggal_joins_city_and_date() -> None:
    assert tempat_tanggal("Sukamaju", date(2025, 2, 24)) == "Sukamaju, 24 Februari 2025"
    assert tempat_tanggal(" Sukamaju ", datetime(2025, 2, 24, 9, 0)) == "Sukamaju, 24 Februari 2025"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("196901032003121005", "19690103 200312 1 005"),
        ("19690103 200312 1 005", "19690103 200312 1 005"),
        ("1969010320031210", "1969010320031210"),
        ("19690103200312100X", "19690103200312100X"),
        ("", ""),
        ("-", "-"),
    ],
)
def test_nip_prints_18_digits_as_8_6_1_3_and_leaves_anything_else_unchanged(raw: str, expected: str) -> None:
    assert nip(raw) == expected


@pytest.mark.parametrize(
    ("d", "expected"),
    [(date(2025, 2, 24), "Senin"), (date(2025, 2, 28), "Jumat"), (date(2025, 3, 2), "Minggu")],
)
def test_hari_names_the_indonesian_weekday(d: date, expected: str) -> None:
    assert hari(d) == expected


@pytest.mark.parametrize(("n", "expected"), [(1, "I"), (2, "II"), (3, "III"), (4, "IV"), (9, "IX"),
                                             (14, "XIV"), (2025, "MMXXV")])
def test_roman_numerals_for_quarters_and_chapters(n: int, expected: str) -> None:
    assert roman(n) == expected


@pytest.mark.parametrize("n", [0, -1, 4000])
def test_roman_refuses_numbers_outside_one_to_3999(n: int) -> None:
    with pytest.raises(ValueError):
        roman(n)


def test_a_period_is_named_in_indonesian_for_the_office_and_in_english_with_lang_en() -> None:
    from sheets_sync.i18n import english
    from sheets_sync.i18n.catalog import indonesian_words
    from sheets_sync.model import Period

    assert Period(2025, 1).label == "Triwulan I Tahun 2025"
    assert Period(2025, 4).label_in(english) == "Quarter IV 2025"
    assert not indonesian_words(Period(2026, 3).label_in(english))


def test_the_compact_table_date_takes_the_time_notation_of_its_language() -> None:
    from sheets_sync.core.fmt import tanggal_ringkas

    moment = datetime(2025, 4, 8, 16, 5, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert tanggal_ringkas(moment) == "08-04-2025 16.05"
    assert tanggal_ringkas(moment, "en") == "08-04-2025 16:05"
    assert tanggal_ringkas(moment, "en", year=False) == "08-04 16:05"
    assert tanggal_ringkas(moment, year=False) == "08-04 16.05"
