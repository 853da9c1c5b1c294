"""No number stops anything (issue 10, item 4): arbitrary strings, floats, Decimals, huge integers and cell
types thrown at parse → checks → capaian → fmt never raise, and a value beyond the sane bound (|x| ≥ 10^15,
or not finite) is ``nilai_tidak_valid`` naming the cell."""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheets_sync.core.capaian import Rules, quarter_capaian
from sheets_sync.core.checks import check_row
from sheets_sync.core.fmt import angka, bulat, persen, round_half_up, rupiah
from sheets_sync.core.parse import parse_number
from sheets_sync.model import Indicator, RowRead

FIELDS = {"realisasi": "H", "pembilang": "I", "penyebut": "J", "keterangan": "K", "bukti": "L"}
INDICATORS = [
    Indicator("1", "MP", "S", "Jumlah", "orang", "positif", "jumlah", "per_triwulan", "400", ("100",) * 4),
    Indicator("2", "MP", "S", "Persen", "%", "positif", "rasio", "kumulatif", "95", ("95",) * 4),
    Indicator("3", "MP", "S", "Hari", "hari", "negatif", "rata_rata", "kumulatif", "10", ("10",) * 4),
    Indicator("4", "MP", "S", "Rentang", "%", "positif", "nilai_akhir", "kumulatif", "80–90", ("80–90",) * 4),
    Indicator("5", "MP", "S", "Nol", "kasus", "negatif", "jumlah", "per_triwulan", "0", ("0",) * 4),
]

numbers_as_text = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**400), max_value=10**400).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.from_regex(r"-?[0-9]{1,400}([.,][0-9]{0,30})?%?", fullmatch=True),
)
cells = st.one_of(
    st.none(), st.booleans(), st.text(max_size=60), numbers_as_text,
    st.floats(allow_nan=True, allow_infinity=True), st.integers(min_value=-(10**40), max_value=10**40),
)


def _row(real: object, pem: object, pen: object) -> RowRead:
    values = {"realisasi": real, "pembilang": pem, "penyebut": pen, "keterangan": None, "bukti": None}
    return RowRead("x", 6, values, {f: f"{c}6" for f, c in FIELDS.items()})  # type: ignore[arg-type]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(real=cells, pem=cells, pen=cells, which=st.sampled_from(INDICATORS))
def test_any_cell_content_goes_through_parse_checks_capaian_and_fmt_without_an_exception(
        real: object, pem: object, pen: object, which: Indicator) -> None:
    rc, findings = check_row("MP", "TW1", which, _row(real, pem, pen), 1, Rules(), require_bukti=False)
    for f in findings:
        assert f.cell and f.unit == "MP"
    for parsed in (rc.realisasi, rc.pembilang, rc.penyebut):
        if parsed.kind == "number":
            assert parsed.value is not None and math.isfinite(parsed.value) and abs(parsed.value) < 1e15
    if rc.capaian is not None and rc.capaian.value is not None:
        persen(rc.capaian.value)
        angka(rc.capaian.value)


@settings(max_examples=300, deadline=None)
@given(x=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(min_value=-(10**60), max_value=10**60),
                   st.decimals(allow_nan=True, allow_infinity=True)), decimals=st.integers(0, 4))
def test_formatting_never_raises(x: float | int | Decimal, decimals: int) -> None:
    for fn in (angka, bulat, persen):
        assert isinstance(fn(x, decimals), str)  # type: ignore[arg-type]
    assert isinstance(rupiah(x), str)  # type: ignore[arg-type]
    if isinstance(x, float) and math.isfinite(x):
        round_half_up(x, decimals)


@settings(max_examples=300, deadline=None)
@given(r=st.floats(allow_nan=True, allow_infinity=True), pem=st.floats(allow_nan=True, allow_infinity=True),
       pen=st.floats(allow_nan=True, allow_infinity=True), which=st.sampled_from(INDICATORS))
def test_capaian_never_raises_on_any_float(r: float, pem: float, pen: float, which: Indicator) -> None:
    c = quarter_capaian(which, 1, r, pem, pen, Rules())
    if c.value is not None:
        assert math.isfinite(c.value)


def test_the_examples_of_the_issue() -> None:
    for text in ("10000000000000000000000000", "1" + "0" * 400, "inf", "nan", "-inf", "1e25"):
        assert parse_number(text).kind == "invalid", text
    for value in (1e25, float("inf"), float("nan"), 1e15, -1e15):
        assert parse_number(value).kind == "invalid", value
    assert parse_number(999_999_999_999_999).kind == "number"
    assert parse_number("999.999.999.999.999").kind == "number"
