"""Cells as typed: percent, date, date-time and serial cells become what the person meant."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.core.cells import excel_format, from_serial, percent_value, typed_value


def test_a_percent_cell_typed_89_5_percent_reads_as_89_5() -> None:
    assert typed_value(0.895, "percent") == 89.5
    assert typed_value(0.475, "percent") == 47.5
    assert typed_value(1, "percent") == 100


def test_a_google_date_serial_is_the_date_as_text_so_deadlines_close_at_end_of_day() -> None:
    # 10/04/2025 typed in the browser with locale id_ID is stored as serial 45757.
    assert typed_value(45757, "date") == "2025-04-10"
    assert typed_value(45757 + 16 / 24, "datetime") == "2025-04-10 16:00"


def test_an_excel_native_date_cell_is_the_date_as_text() -> None:
    assert typed_value(datetime(2026, 12, 4), "date") == "2026-12-04"
    assert typed_value(datetime(2026, 12, 4, 16, 0), "datetime") == "2026-12-04 16:00"
    assert typed_value(date(2026, 12, 4), "date") == "2026-12-04"
    assert typed_value(time(16, 30), "time") == "16:30"


def test_numbers_text_and_booleans_pass_unchanged() -> None:
    assert typed_value(1234.5, "number") == 1234.5
    assert typed_value("1.234,5", "text") == "1.234,5"
    assert typed_value(True, "boolean") is True
    assert typed_value(None, "percent") is None


@pytest.mark.parametrize(("code", "is_date", "want"), [
    ("0.00%", False, "percent"), ("0%", False, "percent"), ('0.0" %"', False, "number"),
    ("dd/mm/yyyy", True, "date"), ("dd/mm/yyyy hh:mm", True, "datetime"), ("h:mm", True, "time"),
    ("#,##0.00", False, "number"), ("@", False, "text"), ("General", False, "number"),
])
def test_excel_number_formats_map_to_cell_formats(code: str, is_date: bool, want: str) -> None:
    assert excel_format(code, is_date=is_date) == want


def test_serial_zero_is_the_spreadsheet_epoch() -> None:
    assert from_serial(0) == datetime(1899, 12, 30)
    assert from_serial(45757.5) == datetime(2025, 4, 10, 12, 0)


@given(st.floats(allow_nan=True, allow_infinity=True) | st.integers(min_value=-10**30, max_value=10**30))
def test_percent_value_never_raises(value: float | int) -> None:
    percent_value(value)


@given(st.one_of(st.none(), st.booleans(), st.text(), st.floats(), st.integers(), st.datetimes()),
       st.sampled_from(["number", "percent", "date", "datetime", "time", "boolean", "text", "other"]))
def test_typed_value_never_raises(value: object, fmt: str) -> None:
    typed_value(value, fmt)  # type: ignore[arg-type]  # hypothesis draws plain str
