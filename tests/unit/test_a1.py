"""A1 notation: column letters and ranges as spreadsheets write them."""

from __future__ import annotations

import pytest

from sheets_sync.core.a1 import A1Range, cell, col_index, col_letter, parse_range, quote_tab


@pytest.mark.parametrize(
    ("index", "letters"),
    [(1, "A"), (8, "H"), (16, "P"), (26, "Z"), (27, "AA"), (52, "AZ"), (53, "BA"), (702, "ZZ"), (703, "AAA")],
)
def test_column_numbers_and_letters_follow_spreadsheet_naming(index: int, letters: str) -> None:
    assert col_letter(index) == letters
    assert col_index(letters) == index
    assert col_index(letters.lower()) == index


def test_every_column_up_to_ten_thousand_round_trips() -> None:
    assert all(col_index(col_letter(i)) == i for i in range(1, 10_001))


def test_column_zero_and_non_letters_are_refused() -> None:
    with pytest.raises(ValueError):
        col_letter(0)
    with pytest.raises(ValueError):
        col_index("A1")


def test_cell_puts_the_column_letter_before_the_row() -> None:
    assert cell(7, 8) == "H7"
    assert cell(1, 16) == "P1"


def test_a_bounded_range_gives_tab_rows_and_columns() -> None:
    rng = parse_range("TW1!B3:D9")
    assert rng == A1Range("TW1", 3, 2, 9, 4)
    assert (rng.width, rng.height) == (3, 7)


def test_a_single_cell_is_a_one_by_one_range() -> None:
    rng = parse_range("TW2!H7")
    assert (rng.tab, rng.row1, rng.col1, rng.row2, rng.col2) == ("TW2", 7, 8, 7, 8)
    assert (rng.width, rng.height) == (1, 1)


def test_whole_columns_are_open_at_the_bottom() -> None:
    rng = parse_range("TW1!A:C")
    assert (rng.row1, rng.col1, rng.row2, rng.col2) == (1, 1, None, 3)
    assert rng.height is None


def test_a_tab_name_alone_means_the_whole_tab() -> None:
    rng = parse_range("Bidang")
    assert rng == A1Range("Bidang")
    assert (rng.row2, rng.col2) == (None, None)
    assert str(rng) == "Bidang"


def test_quoted_tab_names_keep_spaces_and_doubled_quotes() -> None:
    assert parse_range("'Kendali Data'!B2").tab == "Kendali Data"
    assert parse_range("'Bidang''s tab'!A1:C3") == A1Range("Bidang's tab", 1, 1, 3, 3)


def test_quote_tab_round_trips_through_parse_range() -> None:
    for tab in ("TW1", "Rekap 2025", "Bidang's", "A-B"):
        assert parse_range(f"{quote_tab(tab)}!C4").tab == tab
    assert quote_tab("TW1") == "TW1"


def test_a_range_prints_back_as_it_was_parsed() -> None:
    for text in ("TW1!B3:D9", "TW1!A1:P500", "Rekap!A2:C"):
        assert str(parse_range(text)) == text


@pytest.mark.parametrize("bad", ["!A1", "TW1!1A", "TW1!A1:B2:C3", "TW1!A-1"])
def test_malformed_ranges_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_range(bad)
