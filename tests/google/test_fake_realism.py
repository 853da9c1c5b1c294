"""The fake answers as Google does where sheets-sync once went wrong (each behaviour's source is cited in
``tests/fakegoogle``): grid limits, tab names that read as cells, typing in the id_ID locale, render
options.  These talk to the fake through gspread's own HTTP client, as a user script would."""

from __future__ import annotations

from typing import Any

import gspread
import pytest
from fakegoogle import FakeGoogle, make_fake_backend


@pytest.fixture
def sheet() -> tuple[Any, FakeGoogle, str]:
    backend, fake = make_fake_backend()
    sid = fake.browser_spreadsheet("Kendali", ("Indikator", "TW1"))
    return backend.client.http_client, fake, sid


def _get(http: Any, sid: str, rng: str, **params: str) -> Any:
    return http.values_get(sid, rng, params=params).get("values", [])


def test_a_bounded_range_past_the_grid_is_refused_for_reads_and_writes(sheet: Any) -> None:
    http, _, sid = sheet
    with pytest.raises(gspread.exceptions.APIError) as err:
        _get(http, sid, "Indikator!A1:Z3000")
    assert "Range (Indikator!A1:Z3000) exceeds grid limits. Max rows: 1000, max columns: 26" in str(err.value)
    assert _get(http, sid, "Indikator!A1:Z") == [] and _get(http, sid, "'Indikator'") == []
    with pytest.raises(gspread.exceptions.APIError):
        http.values_update(sid, "Indikator!A1000", params={"valueInputOption": "RAW"}, body={"values": [[1], [2]]})


def test_a_tab_name_alone_that_reads_as_a_cell_is_that_cell(sheet: Any) -> None:
    http, _, sid = sheet
    with pytest.raises(gspread.exceptions.APIError) as err:
        _get(http, sid, "'TW1'")
    assert "'TW1'!TW1" in str(err.value) and "exceeds grid limits" in str(err.value)
    assert _get(http, sid, "'TW1'!A:P") == []


def test_typing_in_id_id_gives_numbers_percents_dates_and_booleans_with_their_formats(sheet: Any) -> None:
    http, fake, sid = sheet
    fake.type(sid, "Indikator!A1", [["89,5%", "10/04/2025 16:00", "1.234,5", "72.50", "TRUE", "=C1*2", "10/04/2025"]])
    raw = _get(http, sid, "Indikator!A1:G1", valueRenderOption="UNFORMATTED_VALUE")[0]
    assert raw[0] == 0.895 and raw[2] == 1234.5 and raw[3] == "72.50" and raw[4] is True and raw[5] == 2469
    assert 45757.66 < raw[1] < 45757.67 and raw[6] == 45757  # serial days since 1899-12-30
    shown = _get(http, sid, "Indikator!A1:G1")[0]
    assert shown[:3] == ["89,50%", "10/04/2025 16:00:00", "1234,5"] and shown[6] == "10/04/2025"
    dates = _get(http, sid, "Indikator!A1:G1", valueRenderOption="UNFORMATTED_VALUE",
                 dateTimeRenderOption="FORMATTED_STRING")[0]
    assert dates[0] == 0.895 and dates[1] == "10/04/2025 16:00:00"
    assert _get(http, sid, "Indikator!F1", valueRenderOption="FORMULA") == [["=C1*2"]]


def test_the_backend_reads_typed_cells_as_typed_and_notes_formulas(sheet: Any) -> None:
    _, fake, sid = sheet
    backend, _ = make_fake_backend(fake=fake)
    fake.type(sid, "Indikator!A1", [["89,5%", "10/04/2025 16:00", "1.234,5", "TRUE", "=C1*2", "10/04/2025"]])
    got = backend.read(sid, ["Indikator!A1:Z3000"])["Indikator!A1:Z3000"]
    assert got == [[89.5, "2025-04-10 16:00", 1234.5, True, 2469, "2025-04-10"] + [None] * 20]
    assert backend.last_formulas == {"Indikator!A1:Z3000": {"E1": "=C1*2"}}
