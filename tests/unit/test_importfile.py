"""Finding an import table by its headers (core/importfile): any order, any case, synonyms, title rows."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.core.importfile import code_text, field_of, find_table, table_rows

HEADERS = {"code": "Kode Indikator", "realisasi": "Realisasi TW III", "keterangan": "Ket.",
           "bukti": "Bukti Dukung (tautan)", "indikator": "Indikator Kinerja", "target": "Target TW III",
           "pembilang": "Pembilang", "penyebut": "Penyebut"}


def _case(text: str, flips: list[bool]) -> str:
    return "".join(c.upper() if f else c.lower() for c, f in zip(text, flips + [False] * len(text), strict=False))


@given(order=st.permutations(sorted(HEADERS)), flips=st.lists(st.booleans(), max_size=30),
       pad=st.sampled_from(["", " ", "  ", "\t"]), titles=st.integers(min_value=0, max_value=10))
def test_the_table_is_found_whatever_the_column_order_case_spacing_and_title_rows(
    order: list[str], flips: list[bool], pad: str, titles: int
) -> None:
    header = [pad + _case(HEADERS[f], flips) + pad for f in order]
    values: list[list[object]] = [["REKAP CAPAIAN"] + [None] * (len(order) - 1) for _ in range(titles)]
    values.append(header)
    row = {f: None for f in order}
    row.update(code=1.2, realisasi=16.2, keterangan="naik")
    values.append([row[f] for f in order])
    table = find_table(values)
    assert table is not None and table.header_row == titles + 1
    assert {f: table.columns[f] for f in order} == {f: order.index(f) + 1 for f in order}
    [read] = table_rows(values, table)
    assert (read.code, read.cells["realisasi"], read.cells["keterangan"]) == ("1.2", 16.2, "naik")
    assert read.addresses["realisasi"].endswith(str(titles + 2))


def test_last_year_and_unknown_headers_are_not_inputs() -> None:
    assert field_of("Realisasi Tahun Lalu") is None and field_of("Capaian (%)") is None and field_of(None) is None
    assert field_of("KODE:") == "code" and field_of("data dukung") == "bukti" and field_of("Catatan") == "keterangan"
    assert find_table([["No", "Uraian", "Nilai"], [1, "x", 2]]) is None


@given(st.floats(min_value=0.1, max_value=99.9).map(lambda f: round(f, 1)))
def test_a_code_typed_as_a_number_reads_as_typed(code: float) -> None:
    assert float(code_text(code)) == code and code_text(3.0) == "3"
