"""SAKIP arithmetic: every row of domain.md "Test vectors" plus the rules around them."""

from __future__ import annotations

from typing import Literal

import pytest

from sheets_sync.core.capaian import (
    F_NEG_A,
    F_NEG_B,
    F_POSITIF,
    Capaian,
    QuarterInput,
    Rules,
    Target,
    capaian_sasaran,
    capped,
    compute,
    consolidate,
    indicator_result,
    mean_capaian,
    parse_target,
    period_result,
    predikat,
    quarter_capaian,
    ratio_value,
    target_for_quarters,
    target_upto,
    validate_targets,
)
from sheets_sync.core.fmt import persen
from sheets_sync.errors import ConfigError
from sheets_sync.model import Indicator

A = Rules(negatif_variant="A")
B = Rules(negatif_variant="B")


def make(targets: tuple[str, str, str, str] = ("-", "-", "-", "100"), annual: str = "100",
         polaritas: str = "positif", konsolidasi: str = "jumlah",
         konvensi: str = "per_triwulan") -> Indicator:
    return Indicator(code="IK-01", unit="BID1", sasaran="Meningkatnya kualitas ASN", name="Indikator uji",
                     satuan="%", polaritas=polaritas, konsolidasi=konsolidasi, konvensi_target=konvensi,
                     target_tahunan=annual, targets=targets)


# ---- domain.md test vectors: single comparisons --------------------------------------------------

VECTORS = [
    # case, target, realisasi, polaritas, rules, printed capaian, formula contains
    ("negatif A 5/3", "5", 3.0, "negatif", A, "140,00%", F_NEG_A),
    ("negatif B 5/3", "5", 3.0, "negatif", B, "166,67%", F_NEG_B),
    ("negatif A 5/7", "5", 7.0, "negatif", A, "60,00%", F_NEG_A),
    ("negatif A hukdis", "0,20", 0.16, "negatif", A, "120,00%", F_NEG_A),
    ("negatif B hukdis", "0,20", 0.16, "negatif", B, "125,00%", F_NEG_B),
    ("negatif A hari layanan", "10", 12.0, "negatif", A, "80,00%", F_NEG_A),
    ("negatif B hari layanan", "10", 12.0, "negatif", B, "83,33%", F_NEG_B),
    ("range 7–8 bulan negatif below", "7–8 bulan", 6.5, "negatif", A, "107,14%", F_NEG_A),
    ("range 7–8 bulan negatif above", "7–8 bulan", 9.0, "negatif", A, "87,50%", F_NEG_A),
    ("range 80–90 positif below", "80–90", 70.0, "positif", A, "87,50%", F_POSITIF),
    ("range 80–90 positif above", "80–90", 92.0, "positif", A, "102,22%", F_POSITIF),
    ("positif IKM", "85", 90.0, "positif", A, "105,88%", F_POSITIF),
    ("negatif target 0, R 0 (A)", "0", 0.0, "negatif", A, "100,00%", "target 0"),
    ("negatif target 0, R 1 (A)", "0", 1.0, "negatif", A, "0,00%", "target 0"),
    ("negatif target 0, R 0 (B)", "0", 0.0, "negatif", B, "100,00%", "target 0"),
    ("negatif target 0, R 1 (B)", "0", 1.0, "negatif", B, "0,00%", "target 0"),
]


@pytest.mark.parametrize(("case", "target", "r", "pol", "rules", "printed", "formula"), VECTORS,
                         ids=[v[0] for v in VECTORS])
def test_domain_vector_gives_the_published_capaian_and_names_its_formula(
    case: str, target: str, r: float, pol: str, rules: Rules, printed: str, formula: str
) -> None:
    c = compute(parse_target(target), r, pol, rules)
    assert c.status == "ok", case
    assert persen(c.value) == printed
    assert formula in c.formula


def test_negative_variant_a_rewards_realisasi_below_target() -> None:
    c = compute(parse_target("5"), 3, "negatif", A)
    assert c.value == pytest.approx(140.0)
    assert c.formula == "(2T − R) / T × 100 (negatif, varian A — PermenPAN-RB 6/2022)"


def test_negative_variant_b_with_zero_realisasi_is_an_explicit_error_without_division() -> None:
    c = compute(parse_target("5"), 0, "negatif", B)
    assert c.status == "error"
    assert c.value is None
    assert "pembagian dengan nol" in c.note
    assert c.formula == F_NEG_B


def test_range_formula_says_which_bound_was_used() -> None:
    below = compute(parse_target("7–8 bulan"), 6.5, "negatif", A)
    above = compute(parse_target("7–8 bulan"), 9, "negatif", A)
    assert "batas bawah (7)" in below.formula
    assert "batas atas (8)" in above.formula


@pytest.mark.parametrize("r", [80.0, 85.0, 90.0, "85,5"])
@pytest.mark.parametrize("pol", ["positif", "negatif"])
def test_realisasi_inside_a_range_scores_exactly_100(r: float | str, pol: str) -> None:
    c = compute(parse_target("80-90"), r, pol, A)
    assert (c.status, c.value) == ("ok", 100.0)
    assert "di dalam rentang" in c.formula


def test_negative_variant_b_against_a_range_uses_the_same_bounds() -> None:
    assert persen(compute(parse_target("7–8"), 6.5, "negatif", B).value) == "107,69%"
    assert persen(compute(parse_target("7–8"), 9, "negatif", B).value) == "88,89%"


@pytest.mark.parametrize("r", [0.0, 5.0])
def test_positive_indicator_with_target_zero_is_a_data_error_never_a_number(r: float) -> None:
    c = compute(parse_target("0"), r, "positif", A)
    assert c.status == "error"
    assert c.value is None
    assert "Target 0" in c.note


def test_negative_variant_a_far_above_target_is_floored_at_zero_and_the_note_keeps_the_raw_value() -> None:
    c = compute(parse_target("5"), 12, "negatif", A)
    assert (c.status, c.value, c.display) == ("ok", 0.0, "0,00%")
    assert c.raw == pytest.approx(-40.0)
    assert "-40,00%" in c.note and F_NEG_A in c.note


@pytest.mark.parametrize(
    ("target", "r", "status", "note"),
    [
        ("-", 5.0, "na", "Tidak ada target"),
        ("80", None, "na", "belum diisi"),
        ("80", "", "na", "belum diisi"),
        ("80", "–", "na", "Tidak diukur"),
        ("80", "delapan puluh", "error", "bukan angka"),
        ("80", "1,234", "error", "dua cara"),
        ("1,234", 5.0, "error", "dua cara"),
    ],
)
def test_missing_or_unreadable_input_never_becomes_a_number(
    target: str, r: float | str | None, status: str, note: str
) -> None:
    c = compute(parse_target(target), r, "positif", A)
    assert c.status == status
    assert c.value is None
    assert note in c.note


def test_unknown_polarity_is_an_error() -> None:
    c = compute(parse_target("80"), 80, "netral", A)
    assert c.status == "error"
    assert "Polaritas" in c.note


@pytest.mark.parametrize(
    ("target", "r", "value"),
    [("BB", "BB", 100.0), ("BB", "A", 100.0), ("BB", "B", 0.0), ("WTP", "wtp", 100.0), ("WTP", "WDP", 0.0),
     ("A", " aa ", 100.0)],
)
def test_qualitative_target_is_met_when_the_realised_category_ranks_at_least_as_high(
    target: str, r: str, value: float
) -> None:
    c = compute(parse_target(target), r, "positif", A)
    assert (c.status, c.value) == ("ok", value)
    assert "kategori" in c.formula


@pytest.mark.parametrize(("target", "r", "note"), [("XYZ", "BB", "target"), ("BB", "WTP", "realisasi"),
                                                   ("BB", 80.0, "bukan kategori")])
def test_unknown_or_mismatched_categories_are_errors(target: str, r: str | float, note: str) -> None:
    c = compute(parse_target(target), r, "positif", A)
    assert c.status == "error"
    assert note in c.note


def test_qualitative_orders_are_a_setting() -> None:
    rules = Rules(qualitative_orders=(("KURANG", "CUKUP", "BAIK"),))
    assert compute(parse_target("Cukup"), "Baik", "positif", rules).value == 100.0
    assert compute(parse_target("BB"), "A", "positif", rules).status == "error"


# ---- targets ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("72,50", Target("number", value=72.5, text="72,50")),
        ("2.400", Target("number", value=2400.0, text="2.400")),
        ("85%", Target("number", value=85.0, text="85%")),
        ("12 orang", Target("number", value=12.0, text="12 orang")),
        ("80–90", Target("range", low=80.0, high=90.0, text="80–90")),
        ("80-90", Target("range", low=80.0, high=90.0, text="80-90")),
        ("80 - 90 %", Target("range", low=80.0, high=90.0, text="80 - 90 %")),
        ("7–8", Target("range", low=7.0, high=8.0, text="7–8")),
        ("7 s.d. 8 bulan", Target("range", low=7.0, high=8.0, text="7 s.d. 8 bulan")),
        ("BB", Target("qualitative", category="BB", text="BB")),
        (" wtp ", Target("qualitative", category="WTP", text=" wtp ")),
        ("-", Target("none", text="-")),
        ("", Target("none", text="")),
    ],
)
def test_targets_are_read_as_number_range_category_or_none(raw: str, expected: Target) -> None:
    assert parse_target(raw) == expected


@pytest.mark.parametrize(("raw", "fragment"), [("1,234", "dua cara"), ("90–80", "batas bawah"),
                                               ("8O", "bukan angka"), ("1,2–3,4,5", "bukan angka")])
def test_unreadable_targets_are_invalid_with_a_problem(raw: str, fragment: str) -> None:
    t = parse_target(raw)
    assert t.kind == "invalid"
    assert fragment in str(t.problem)


def test_target_display_is_indonesian_with_the_decimals_typed() -> None:
    assert [parse_target(x).display for x in ("2400", "72,5", "72,50", "0,0417", "80-90", "bb", "-", "≥ 80",
                                              "maks. 5")] == [
        "2.400", "72,5", "72,5", "0,0417", "80–90", "BB", "–", "≥ 80", "≤ 5"]


@pytest.mark.parametrize(
    ("targets", "konvensi", "konsolidasi", "quarter", "expected"),
    [
        (("50", "150", "150", "50"), "per_triwulan", "jumlah", 2, 200.0),
        (("50", "150", "150", "50"), "per_triwulan", "jumlah", 4, 400.0),
        (("-", "85", "-", "85"), "kumulatif", "rata_rata", 1, None),
        (("-", "85", "-", "85"), "kumulatif", "rata_rata", 3, 85.0),
        (("50", "200", "350", "400"), "kumulatif", "jumlah", 3, 350.0),
        (("-", "-", "-", "12"), "per_triwulan", "jumlah", 4, 12.0),
    ],
)
def test_target_up_to_a_quarter_follows_the_target_convention(
    targets: tuple[str, str, str, str], konvensi: str, konsolidasi: str, quarter: int, expected: float | None
) -> None:
    t = target_upto(make(targets, konvensi=konvensi, konsolidasi=konsolidasi), quarter)
    assert t.value == expected
    assert t.kind == ("none" if expected is None else "number")


def test_semester_two_target_of_a_cumulative_count_is_the_difference() -> None:
    ind = make(("50", "200", "350", "400"), "400", konvensi="kumulatif")
    assert target_for_quarters(ind, (3, 4)).value == 200.0
    assert target_for_quarters(make(("80-90",) * 4, "80-90", konsolidasi="rata_rata", konvensi="kumulatif"),
                               (3, 4)) == parse_target("80-90")


def test_per_triwulan_range_targets_sum_their_bounds() -> None:
    t = target_upto(make(("1-2", "1-2", "-", "-"), "2-4"), 2)
    assert (t.kind, t.low, t.high) == ("range", 2.0, 4.0)


# ---- quarters and consolidation -------------------------------------------------------------------

@pytest.mark.parametrize(
    ("kind", "values", "p", "q", "expected"),
    [
        ("jumlah", [60, 140, 130, 70], (), (), 400.0),
        ("jumlah", [2, 4, 1, 3], (), (), 10.0),
        ("jumlah", [None, None], (), (), None),
        ("nilai_akhir", [70.0, 80.0, None, None], (), (), 80.0),
        ("rata_rata", [None, 83.40, None, 86.20], (), (), 84.80),
        ("rasio", [80.0, 107.69], [40, 56], [50, 52], 96 / 102 * 100),
        ("rasio", [None, None], [0, 0], [0, 0], None),
        ("rasio", [80.0], (), (), None),
    ],
)
def test_consolidation_follows_the_jenis_konsolidasi(
    kind: str, values: list[float | None], p: list[float], q: list[float], expected: float | None
) -> None:
    got = consolidate(kind, values, p, q)
    assert got == (pytest.approx(expected) if expected is not None else None)


def test_ratio_consolidation_never_averages_percentages() -> None:
    got = consolidate("rasio", [80.0, 107.69], [40, 56], [50, 52])
    assert got is not None
    assert persen(got) == "94,12%"
    assert got != pytest.approx((80.0 + 107.69) / 2)


def test_unknown_konsolidasi_is_refused() -> None:
    with pytest.raises(ValueError, match="konsolidasi"):
        consolidate("median", [1.0])


@pytest.mark.parametrize(("p", "q", "expected"), [(96, 102, 96 / 102 * 100), (0, 5, 0.0), (5, 0, None),
                                                  (None, 5, None), (5, None, None)])
def test_ratio_value_is_not_available_for_a_zero_denominator(
    p: float | None, q: float | None, expected: float | None
) -> None:
    assert ratio_value(p, q) == expected


def test_quarter_ratio_with_zero_denominator_is_na_with_keterangan() -> None:
    ind = make(("95",) * 4, "95", konsolidasi="rasio", konvensi="kumulatif")
    c = quarter_capaian(ind, 2, None, 0, 0, A)
    assert (c.status, c.value) == ("na", None)
    assert "penyebut TW II bernilai 0" in c.note


def test_quarter_ratio_uses_its_own_pembilang_and_penyebut() -> None:
    ind = make(("95",) * 4, "95", konsolidasi="rasio", konvensi="kumulatif")
    c = quarter_capaian(ind, 1, "12", 96, 102, A)
    assert persen(c.value) == "99,07%"
    assert c.formula.startswith("R = pembilang / penyebut × 100")
    assert quarter_capaian(ind, 1, "94,12", None, None, A).value == pytest.approx(94.12 / 95 * 100)


# ---- domain.md roll-up vectors ------------------------------------------------------------------

def _inputs(values: dict[int, float | str | None]) -> dict[int, QuarterInput]:
    return {q: QuarterInput(v) for q, v in values.items()}


def test_jumlah_increments_vector_reaches_100_at_semester_and_year() -> None:
    ind = make(("50", "150", "150", "50"), "400")
    qv = _inputs({1: 60, 2: 140, 3: 130, 4: 70})
    tw2 = indicator_result(ind, qv, 2, A)
    assert (tw2.target_sd.value, tw2.realisasi_sd) == (200.0, 200.0)
    assert persen(tw2.capaian_sd.value) == "100,00%"
    assert persen(tw2.capaian_tahunan.value) == "50,00%"
    assert persen(tw2.capaian_tw.value) == "93,33%"
    assert (tw2.target_tw.value, tw2.realisasi_tw) == (150.0, 140.0)
    year = indicator_result(ind, qv, 4, A)
    assert (year.realisasi_sd, persen(year.capaian_sd.value), persen(year.capaian_tahunan.value)) == (
        400.0, "100,00%", "100,00%")
    assert year.predikat == "Sangat Tinggi"


def test_rata_rata_semester_vector_averages_the_measured_quarters() -> None:
    ind = make(("-", "85", "-", "85"), "85", konsolidasi="rata_rata", konvensi="kumulatif")
    res = indicator_result(ind, _inputs({2: "83,40", 4: "86,20"}), 4, A)
    assert res.realisasi_sd == pytest.approx(84.80)
    assert persen(res.capaian_sd.value) == "99,76%"
    assert persen(res.capaian_tahunan.value) == "99,76%"
    assert res.sd.missing == ()


def test_rasio_vector_divides_the_sums_of_pembilang_and_penyebut() -> None:
    ind = make(("95",) * 4, "95", konsolidasi="rasio", konvensi="kumulatif")
    qv = {1: QuarterInput(None, 40, 50), 2: QuarterInput(None, 56, 52)}
    res = period_result(ind, qv, (1, 2), A)
    assert isinstance(res.realisasi, float)
    assert persen(res.realisasi) == "94,12%"
    assert persen(res.capaian.value) == "99,07%"
    assert "Σ pembilang / Σ penyebut" in res.capaian.formula


@pytest.mark.parametrize(("rules", "printed", "formula"), [(A, "116,67%", F_NEG_A), (B, "120,00%", F_NEG_B)])
def test_negatif_jumlah_vector_in_both_variants(rules: Rules, printed: str, formula: str) -> None:
    ind = make(("3", "3", "3", "3"), "12", polaritas="negatif")
    res = indicator_result(ind, _inputs({1: 2, 2: 4, 3: 1, 4: 3}), 4, rules)
    assert res.realisasi_sd == 10.0
    assert persen(res.capaian_sd.value) == printed
    assert res.capaian_sd.formula == formula


def test_negatif_hari_layanan_vector_is_tinggi() -> None:
    c = compute(parse_target("10"), 12, "negatif", A)
    assert predikat(c.value, A) == "Tinggi"


def test_semester_two_uses_quarters_three_and_four_only() -> None:
    ind = make(("50", "150", "150", "50"), "400")
    res = period_result(ind, _inputs({1: 60, 2: 140, 3: 130, 4: 70}), (3, 4), A)
    assert (res.quarters, res.target.value, res.realisasi) == ((3, 4), 200.0, 200.0)
    assert res.capaian.value == pytest.approx(100.0)


def test_missing_quarters_are_listed_and_empty_is_not_zero() -> None:
    ind = make(("50", "150", "150", "50"), "400")
    res = period_result(ind, _inputs({1: 60, 2: ""}), (1, 2), A)
    assert res.missing == (2,)
    assert res.realisasi == 60.0
    empty = period_result(ind, {}, (1, 2), A)
    assert (empty.realisasi, empty.capaian.status, empty.predikat) == (None, "na", "–")


def test_an_invalid_quarter_value_makes_the_period_an_error_not_a_guess() -> None:
    ind = make(("50", "150", "150", "50"), "400")
    res = period_result(ind, _inputs({1: 60, 2: "1,234"}), (1, 2), A)
    assert res.capaian.status == "error"
    assert "TW II" in res.capaian.note


def test_qualitative_indicator_rolls_up_to_the_last_category() -> None:
    ind = make(("-", "-", "-", "BB"), "BB", konsolidasi="nilai_akhir", konvensi="kumulatif")
    res = indicator_result(ind, _inputs({4: "A"}), 4, A)
    assert (res.sd.qualitative, res.realisasi_sd, res.capaian_sd.value) == (True, "A", 100.0)


def test_ratio_period_without_pembilang_and_penyebut_refuses_to_average_percentages() -> None:
    ind = make(("95",) * 4, "95", konsolidasi="rasio", konvensi="kumulatif")
    res = period_result(ind, _inputs({1: 80, 2: 90}), (1, 2), A)
    assert (res.realisasi, res.capaian.status) == (None, "error")
    assert "tidak dirata-ratakan" in res.capaian.note
    single = period_result(ind, _inputs({1: "94,12"}), (1,), A)
    assert single.realisasi == pytest.approx(94.12)


def test_unknown_konsolidasi_in_a_period_is_an_error_result() -> None:
    res = period_result(make(konsolidasi="median"), _inputs({4: 90}), (4,), A)
    assert res.capaian.status == "error"
    assert "konsolidasi" in res.capaian.note


# ---- cap, predikat and means ------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "scale", "expected"),
    [
        (91.0, "permendagri86", "Sangat Tinggi"), (90.99, "permendagri86", "Tinggi"),
        (90.996, "permendagri86", "Sangat Tinggi"), (150.0, "permendagri86", "Sangat Tinggi"),
        (76.0, "permendagri86", "Tinggi"), (75.99, "permendagri86", "Sedang"),
        (66.0, "permendagri86", "Sedang"), (51.0, "permendagri86", "Rendah"),
        (50.99, "permendagri86", "Sangat Rendah"), (-40.0, "permendagri86", "Sangat Rendah"),
        (91.0, "baik", "Sangat Baik"), (80.0, "baik", "Baik"), (70.0, "baik", "Cukup"),
        (60.0, "baik", "Kurang"), (10.0, "baik", "Sangat Kurang"),
        (100.0, "berhasil", "Sangat Berhasil"), (99.99, "berhasil", "Berhasil"),
        (75.0, "berhasil", "Berhasil"), (55.0, "berhasil", "Cukup Berhasil"),
        (54.99, "berhasil", "Kurang Berhasil"), (None, "permendagri86", "–"),
    ],
)
def test_predikat_uses_half_open_bands_of_the_configured_scale(
    value: float | None, scale: str, expected: str
) -> None:
    assert predikat(value, Rules(scale=scale)) == expected


def test_cap_never_changes_the_raw_value_only_capped_predikat_and_means() -> None:
    c = compute(parse_target("5"), 3, "negatif", B)
    assert c.value == pytest.approx(166.6666, rel=1e-4)
    assert capped(c.value, A) == 120.0
    assert capped(c.value, Rules(cap=None)) == c.value
    assert mean_capaian([c.value, 100.0, None], A) == pytest.approx(110.0)
    assert mean_capaian([c.value, 100.0], Rules(cap=None)) == pytest.approx(133.3333, rel=1e-4)
    assert mean_capaian([None], A) is None


def test_capaian_sasaran_skips_qualitative_unless_configured() -> None:
    num = period_result(make(("-", "-", "-", "100"), "100"), _inputs({4: 80}), (4,), A)
    qual = period_result(make(("-", "-", "-", "BB"), "BB", konsolidasi="nilai_akhir", konvensi="kumulatif"),
                         _inputs({4: "B"}), (4,), A)
    assert capaian_sasaran([num, qual], A) == pytest.approx(80.0)
    assert capaian_sasaran([num, qual], Rules(include_qualitative=True)) == pytest.approx(40.0)


@pytest.mark.parametrize("kwargs", [{"negatif_variant": "C"}, {"cap": 0.0}, {"cap": float("nan")},
                                    {"scale": "bintang"}])
def test_invalid_rules_are_a_config_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        Rules(**kwargs)  # type: ignore[arg-type]


def test_rules_describe_themselves_for_documents() -> None:
    text = Rules(negatif_variant="B", cap=None).describe()
    assert F_NEG_B in text
    assert "tanpa batas atas" in text
    assert "120%" in A.describe()


# ---- validation of the indicator master -------------------------------------------------------------

Kind = Literal["positif", "negatif"]


@pytest.mark.parametrize(
    ("targets", "annual", "konvensi", "konsolidasi", "polaritas"),
    [
        (("50", "150", "150", "50"), "400", "per_triwulan", "jumlah", "positif"),
        (("-", "-", "-", "12"), "12", "per_triwulan", "jumlah", "negatif"),
        (("25", "50", "75", "100"), "100", "kumulatif", "nilai_akhir", "positif"),
        (("-", "85", "-", "85"), "85", "kumulatif", "rata_rata", "positif"),
        (("20", "15", "12", "10"), "10", "kumulatif", "nilai_akhir", "negatif"),
        (("2", "4", "6", "8"), "8", "kumulatif", "jumlah", "negatif"),
        (("80–90",) * 4, "80–90", "kumulatif", "rata_rata", "positif"),
        (("-", "-", "-", "BB"), "BB", "kumulatif", "nilai_akhir", "positif"),
        (("0,05", "0,05", "0,05", "0,05"), "0,20", "per_triwulan", "jumlah", "negatif"),
    ],
)
def test_consistent_targets_pass_validation(
    targets: tuple[str, str, str, str], annual: str, konvensi: str, konsolidasi: str, polaritas: Kind
) -> None:
    assert validate_targets(make(targets, annual, polaritas, konsolidasi, konvensi)) == []


@pytest.mark.parametrize(
    ("ind", "fragment"),
    [
        (make(("50", "150", "150", "40"), "400"), "Jumlah target TW I–IV (390)"),
        (make(("-", "85", "-", "85"), "85", konsolidasi="rata_rata"), "gunakan konvensi kumulatif"),
        (make(("25", "50", "40", "100"), "100", konvensi="kumulatif"), "tidak boleh turun"),
        (make(("20", "10", "15", "10"), "10", "negatif", konvensi="kumulatif"), "konsisten"),
        (make(("25", "50", "75", "90"), "100", konvensi="kumulatif"), "triwulan terakhir (90)"),
        (make(("-", "-", "-", "0"), "0"), "target 0 pada indikator positif"),
        (make(polaritas="naik"), "Polaritas"),
        (make(konsolidasi="median"), "konsolidasi"),
        (make(konvensi="bulanan"), "Konvensi"),
        (make(("-", "-", "-", "1,234"), "100"), "Target TW IV"),
        (make(("-", "-", "-", "XYZ"), "XYZ", konvensi="kumulatif"), "kategori"),
        (make(("-", "-", "-", "-"), "100"), "Tidak ada target triwulan"),
        (make(("-", "-", "-", "100"), "-"), "Target tahunan kosong"),
        (make(("-", "-", "-", "80-90"), "85"), "tidak seragam"),
        (make(("-", "-", "-", "B"), "BB", konvensi="kumulatif"), "tidak sama dengan target tahunan"),
    ],
)
def test_inconsistent_targets_are_reported_in_plain_indonesian(ind: Indicator, fragment: str) -> None:
    problems = validate_targets(ind)
    assert problems
    assert any(fragment in str(p) for p in problems), problems


def test_capaian_is_a_plain_frozen_value() -> None:
    c = Capaian(100.0, F_POSITIF, "ok")
    assert c.note == ""
    with pytest.raises(AttributeError):
        c.value = 1.0  # type: ignore[misc]


def test_a_threshold_that_points_against_the_polarity_is_a_master_problem() -> None:
    ok_pos = make(targets=("≥ 80", "≥ 80", "≥ 80", "≥ 80"), annual="≥ 80", konsolidasi="nilai_akhir",
                  konvensi="kumulatif")
    assert validate_targets(ok_pos) == []
    bad = make(targets=("-", "-", "-", "maks. 5"), annual="maks. 5", konsolidasi="nilai_akhir", konvensi="kumulatif")
    problems = validate_targets(bad)
    assert problems and all("tidak cocok dengan polaritas positif" in str(p) for p in problems)
    neg = make(targets=("-", "-", "-", "maks. 5"), annual="maks. 5", polaritas="negatif", konsolidasi="nilai_akhir",
               konvensi="kumulatif")
    assert validate_targets(neg) == []


def test_per_triwulan_thresholds_add_up_to_the_annual_threshold() -> None:
    ind = make(targets=("≥ 20", "≥ 20", "≥ 20", "≥ 20"), annual="≥ 80")
    assert validate_targets(ind) == []
    assert target_upto(ind, 2).display == "≥ 40"


def without_categories(text: str) -> str:
    """``text`` without the office's qualitative categories (``TIDAK TERCAPAI`` is data, not a sentence)."""
    from sheets_sync.core.capaian.rules import known_orders

    return text.replace(known_orders(Rules()), "")


BAD_MASTER_ROWS = [
    make(("-", "-", "-", "delapan puluh"), "80"),
    make(("-", "-", "-", "90-80"), "90-80"),
    make(("-", "-", "-", "ZZ"), "ZZ"),
    make(("-", "-", "-", "maks. 5"), "maks. 5", konsolidasi="nilai_akhir", konvensi="kumulatif"),
    make(("0", "0", "0", "0"), "0", konsolidasi="nilai_akhir", konvensi="kumulatif"),
    make(("-", "-", "-", "-"), ""),
    make(("20", "20", "20", "20"), "100", konsolidasi="rata_rata"),
    make(("50", "40", "70", "90"), "100", konsolidasi="nilai_akhir", konvensi="kumulatif"),
    make(("-", "-", "80-90", "85"), "85", konsolidasi="nilai_akhir", konvensi="kumulatif"),
    make(("-", "-", "-", "B"), "BB", konsolidasi="nilai_akhir", konvensi="kumulatif"),
    make(polaritas="naik", konsolidasi="campur", konvensi="bebas"),
]


@pytest.mark.parametrize("ind", BAD_MASTER_ROWS)
def test_a_master_row_problem_reads_in_english_with_lang_en_and_stays_indonesian(ind: Indicator) -> None:
    from sheets_sync.i18n import english
    from sheets_sync.i18n.catalog import indonesian_words

    problems = validate_targets(ind)
    assert problems
    for p in problems:
        assert indonesian_words(str(p)), p  # the Indonesian is still Indonesian
        assert not indonesian_words(without_categories(p.render(english))), p.render(english)


@pytest.mark.parametrize(("target", "realisasi", "polaritas", "rumus"), [
    ("0", 5.0, "positif", ""), ("-3", 5.0, "positif", ""), ("5", 0.0, "negatif", "B"), ("80", "delapan", "positif", ""),
    ("80", True, "positif", ""), ("80", 5.0, "naik", ""), ("BB", "Z", "positif", ""), ("BB", 3.0, "positif", ""),
    ("ZZ", "BB", "positif", ""), ("-", 5.0, "positif", ""), ("80", None, "positif", ""), ("80", "-", "positif", ""),
])
def test_why_a_capaian_is_missing_reads_in_english_and_its_note_stays_indonesian(
    target: str, realisasi: float | str | None, polaritas: str, rumus: str
) -> None:
    from sheets_sync.i18n import english
    from sheets_sync.i18n.catalog import indonesian_words

    c = compute(parse_target(target), realisasi, polaritas, Rules(), rumus=rumus)
    assert c.status != "ok" and c.text is not None
    assert c.note == str(c.text) and c.note == str(c.worded)
    assert not indonesian_words(without_categories(c.text.render(english))), c.text.render(english)
