"""The Pengukuran Kinerja's level tables (``tingkat``) and its flat table (``sasaran``) share the rows
built once per indicator (reports.tables.RowCells): the context is the one each table gives when built
on its own, and the sharing survives the cleaning of the context."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from sheets_sync.model import Period
from sheets_sync.reports import build_context, tables
from sheets_sync.reports import measure as measuring
from sheets_sync.reports.context import clean
from sheets_sync.reports.request import RenderRequest
from sheets_sync.reports.sample import cascading_request, sample_request, synthetic_request


def _with_iku(req: RenderRequest) -> RenderRequest:
    return replace(req, documents=replace(req.documents, tingkat=("tujuan", "sasaran", "program", "kegiatan", "iku")))


REQUESTS = {
    "one level, TW I": sample_request(Period(2025, 1)),
    "one level, semester II": sample_request(Period(2025, 4), "semester"),
    "one level, 300 indicators, annual": synthetic_request(300, period=Period(2025, 4), edition="tahunan"),
    "the cascading, TW II": cascading_request(Period(2025, 2)),
    "the cascading with its IKU view": _with_iku(cascading_request(Period(2025, 3))),
}


def _numbers(groups: list[dict[str, Any]]) -> list[str]:
    return [r["no"] for g in groups for r in g["indikator"]]


@pytest.mark.parametrize("name", REQUESTS)
def test_shared_rows_give_the_context_each_table_gives_when_built_on_its_own(name: str) -> None:
    req = REQUESTS[name]
    m = measuring.measure(req)
    ctx = build_context("pengukuran_kinerja", req)
    assert ctx["tingkat"] == clean(tables.level_tables(m))
    assert ctx["sasaran"] == clean(tables.table(m))


def test_with_one_level_both_tables_hold_the_very_same_rows_after_cleaning() -> None:
    ctx = build_context("pengukuran_kinerja", sample_request(Period(2025, 1)))
    (level,) = ctx["tingkat"]
    assert all(a is b for a, b in zip(level["sasaran"], ctx["sasaran"], strict=True))
    assert _numbers(ctx["sasaran"]) == [str(n) for n in range(1, len(_numbers(ctx["sasaran"])) + 1)]


def test_each_level_table_numbers_its_rows_from_one_while_the_flat_table_numbers_them_on() -> None:
    ctx = build_context("pengukuran_kinerja", _with_iku(cascading_request(Period(2025, 3))))
    flat = _numbers(ctx["sasaran"])
    assert flat == [str(n) for n in range(1, len(flat) + 1)]
    per_level = [_numbers(level["sasaran"]) for level in ctx["tingkat"]]
    assert [level["kode"] for level in ctx["tingkat"]] == ["tujuan", "sasaran", "program", "kegiatan", "iku"]
    assert all(nos == [str(n) for n in range(1, len(nos) + 1)] for nos in per_level)
    # the first level starts the flat table: the same rows; a later level's rows are its own (other numbers)
    first = ctx["tingkat"][0]["sasaran"]
    assert all(a is b for a, b in zip(first, ctx["sasaran"], strict=False))
    program = ctx["tingkat"][2]["sasaran"][0]["indikator"][0]
    same = next(r for g in ctx["sasaran"] for r in g["indikator"] if r["kode"] == program["kode"])
    assert program["no"] == "1" and same["no"] != "1"
    assert {k: v for k, v in program.items() if k != "no"} == {k: v for k, v in same.items() if k != "no"}


def test_the_iku_view_prints_an_indicator_with_the_cells_of_its_own_level() -> None:
    ctx = build_context("pengukuran_kinerja", _with_iku(cascading_request(Period(2025, 3))))
    *levels, iku = ctx["tingkat"]
    own = {r["kode"]: r for lv in levels for g in lv["sasaran"] for r in g["indikator"]}
    printed = [r for g in iku["sasaran"] for r in g["indikator"]]
    assert printed and all(r["iku"] == "IKU" for r in printed)
    for r in printed:
        assert {k: v for k, v in r.items() if k not in ("no", "sasaran")} == \
            {k: v for k, v in own[r["kode"]].items() if k not in ("no", "sasaran")}


def test_cleaning_a_shared_row_strips_what_xml_cannot_hold_in_every_table_that_prints_it() -> None:
    row = {"indikator": "Indeks\x0b kepuasan", "capaian_nilai": 101.5}
    ctx = clean({"tingkat": [{"sasaran": [{"indikator": [row]}]}], "sasaran": [{"indikator": [row]}]})
    a, b = ctx["tingkat"][0]["sasaran"][0]["indikator"][0], ctx["sasaran"][0]["indikator"][0]
    assert a is b and a == {"indikator": "Indeks kepuasan", "capaian_nilai": 101.5}
    assert row["indikator"] == "Indeks\x0b kepuasan"  # the input is left as it was
    empty = clean({"a": (), "b": ()})
    assert empty == {"a": [], "b": []} and empty["a"] is not empty["b"]  # one tuple object, two lists
