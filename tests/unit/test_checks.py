"""Completeness and deadlines (domain.md): one bidang's read + master + schedule + now → its state."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.core.capaian import Rules
from sheets_sync.core.checks import check_row, evaluate
from sheets_sync.core.parse import ACCEPTED_FORMS
from sheets_sync.model import Finding, FormRead, Indicator, Period, Raw, RowRead, Schedule, UnitStatus

WIB = ZoneInfo("Asia/Jakarta")
TW1 = Period(2025, 1)
OPENS = datetime(2025, 4, 8, 8, 0, tzinfo=WIB)
DEADLINE = datetime(2025, 4, 10, 16, 0, tzinfo=WIB)
SCHEDULE = Schedule(TW1, OPENS, DEADLINE)
BEFORE = DEADLINE - timedelta(hours=3)
AFTER = DEADLINE + timedelta(hours=3)
RULES = Rules()
FIELDS = {"realisasi": "H", "pembilang": "I", "penyebut": "J", "keterangan": "K", "bukti": "L"}


def ind(code: str, polaritas: str = "positif", konsolidasi: str = "nilai_akhir",
        targets: tuple[str, str, str, str] = ("80", "80", "80", "80"), annual: str = "80") -> Indicator:
    return Indicator(code, "MP", "Meningkatnya sistem merit", f"Indikator {code}", "%", polaritas, konsolidasi,
                     "kumulatif", annual, targets)


POSITIF = ind("2.1")  # target 80 in every quarter
NEGATIF = ind("2.2", "negatif", targets=("3", "3", "3", "3"), annual="3")  # e.g. hari layanan
RASIO = ind("2.3", konsolidasi="rasio", targets=("95", "95", "95", "95"), annual="95")
TAHUNAN = ind("2.4", targets=("-", "-", "-", "75"), annual="75")  # measured in TW IV only
INDICATORS = (POSITIF, NEGATIF, RASIO, TAHUNAN)
ROW_OF = {i.code: n for n, i in enumerate(INDICATORS, start=6)}


def row(code: str, **cells: Raw) -> RowRead:
    r = ROW_OF[code]
    return RowRead(code, r, {f: cells.get(f) for f in FIELDS}, {f: f"{c}{r}" for f, c in FIELDS.items()})


def form(*rows: RowRead, read_at: datetime = BEFORE, done: bool = False) -> FormRead:
    given = {r.code: r for r in rows}
    all_rows = tuple(given.get(i.code, row(i.code)) for i in INDICATORS)
    return FormRead("MP", TW1, "TW1", "f", "memory://f", read_at, all_rows, done)


COMPLETE = (
    row("2.1", realisasi=85),
    row("2.2", realisasi=2),
    row("2.3", pembilang=98, penyebut=100),
)


def status(read: FormRead | None, now: datetime = BEFORE, **kw: object) -> UnitStatus:
    result, _ = evaluate(read, INDICATORS, TW1, SCHEDULE, now, RULES, unit="MP", **kw)  # type: ignore[arg-type]
    return result


def findings(code: str, **cells: Raw) -> list[Finding]:
    indicator = next(i for i in INDICATORS if i.code == code)
    return check_row("MP", "TW1", indicator, row(code, **cells), 1, RULES, require_bukti=False)[1]


def filled(code: str, *, require_bukti: bool = False, **cells: Raw) -> bool:
    indicator = next(i for i in INDICATORS if i.code == code)
    return check_row("MP", "TW1", indicator, row(code, **cells), 1, RULES, require_bukti=require_bukti)[0].filled


def codes(fs: list[Finding]) -> list[str]:
    return [f.code for f in fs]


# -- states -----------------------------------------------------------------------------------------

def test_nothing_typed_before_the_deadline_is_belum_mengisi() -> None:
    s = status(form())
    assert (s.state, s.filled, s.required) == ("Belum mengisi", 0, 3)


def test_no_readable_form_before_the_deadline_is_belum_mengisi_and_after_is_tidak_mengisi() -> None:
    assert status(None).state == "Belum mengisi"
    assert status(None, AFTER).state == "Tidak mengisi"
    assert status(None).stale


def test_some_required_cells_missing_is_sebagian() -> None:
    s = status(form(row("2.1", realisasi=85)))
    assert (s.state, s.filled, s.required) == ("Sebagian", 1, 3)
    assert s.completed_at is None


def test_an_invalid_value_keeps_the_bidang_at_sebagian() -> None:
    s = status(form(row("2.1", realisasi="delapan puluh"), *COMPLETE[1:]))
    assert (s.state, s.filled) == ("Sebagian", 2)


def test_every_required_cell_filled_before_the_deadline_is_lengkap() -> None:
    s = status(form(*COMPLETE))
    assert (s.state, s.filled, s.required) == ("Lengkap", 3, 3)
    assert s.completed_at == BEFORE
    assert s.percent == 100.0


def test_completing_after_the_deadline_is_terlambat() -> None:
    s = status(form(*COMPLETE, read_at=AFTER), AFTER)
    assert s.state == "Terlambat"
    assert s.completed_at == AFTER


def test_still_incomplete_after_the_deadline_is_tidak_mengisi() -> None:
    assert status(form(row("2.1", realisasi=85)), AFTER).state == "Tidak mengisi"
    assert status(form(), AFTER).state == "Tidak mengisi"


def test_completion_exactly_at_the_deadline_is_on_time() -> None:
    assert status(form(*COMPLETE, read_at=DEADLINE), DEADLINE).state == "Lengkap"


def test_completion_kept_from_an_earlier_poll_decides_lengkap_after_the_deadline() -> None:
    earlier = DEADLINE - timedelta(days=1)
    s = status(form(*COMPLETE, read_at=AFTER), AFTER, completed_at=earlier)
    assert s.state == "Lengkap"
    assert s.completed_at == earlier


def test_completion_kept_from_a_late_poll_stays_terlambat() -> None:
    late = DEADLINE + timedelta(minutes=1)
    s = status(form(*COMPLETE, read_at=AFTER + timedelta(days=2)), AFTER + timedelta(days=2), completed_at=late)
    assert (s.state, s.completed_at) == ("Terlambat", late)


def test_becoming_incomplete_again_forgets_the_completion_time() -> None:
    earlier = DEADLINE - timedelta(days=1)
    s = status(form(*COMPLETE[:2], read_at=AFTER), AFTER, completed_at=earlier)
    assert s.state == "Tidak mengisi"
    assert s.completed_at is None
    again = status(form(*COMPLETE, read_at=AFTER + timedelta(hours=1)), AFTER + timedelta(hours=1),
                   completed_at=s.completed_at)
    assert again.state == "Terlambat"


def test_without_a_schedule_nothing_is_late() -> None:
    result, _ = evaluate(form(*COMPLETE, read_at=AFTER), INDICATORS, TW1, None, AFTER + timedelta(days=30), RULES,
                         unit="MP")
    assert result.state == "Lengkap"


def test_a_deleted_row_prevents_lengkap_even_if_the_count_matches() -> None:
    read = form(*COMPLETE)
    lost = Finding("MP", "TW1", "B7", "baris_hilang", "hilang", "", "error", "2.2")
    damaged = FormRead(read.unit, read.period, read.sheet, read.form_id, read.link, read.read_at, read.rows,
                       findings=(lost,))
    s = status(damaged)
    assert s.state != "Lengkap"
    assert lost in s.findings


def test_the_selesai_flag_is_reported_but_does_not_make_a_form_complete() -> None:
    s = status(form(row("2.1", realisasi=85), done=True))
    assert s.done_flag
    assert s.state == "Sebagian"


# -- empty, zero and "-" ----------------------------------------------------------------------------

def test_an_empty_realisasi_is_belum_diisi_naming_the_cell() -> None:
    fs = findings("2.1")
    assert codes(fs) == ["belum_diisi"]
    assert fs[0].cell == "H6"
    assert not filled("2.1")


def test_zero_is_a_value_not_an_empty_cell() -> None:
    # negatif, T = 3, R = 0: fewer days than targeted is success, so no keterangan is needed.
    assert "belum_diisi" not in codes(findings("2.2", realisasi=0))
    assert filled("2.2", realisasi=0)
    assert filled("2.2", realisasi="0")


def test_zero_on_a_positive_indicator_needs_a_keterangan_but_is_not_empty() -> None:
    fs = findings("2.1", realisasi=0)
    assert codes(fs) == ["keterangan_wajib"]
    assert filled("2.1", realisasi=0, keterangan="kegiatan belum dimulai")


def test_a_dash_with_keterangan_is_a_legitimate_not_measured() -> None:
    assert findings("2.1", realisasi="-", keterangan="survei dilakukan semester II") == []
    assert filled("2.1", realisasi="–", keterangan="survei dilakukan semester II")


def test_a_dash_without_keterangan_needs_one() -> None:
    fs = findings("2.1", realisasi="-")
    assert codes(fs) == ["keterangan_wajib"]
    assert fs[0].cell == "K6"
    assert not filled("2.1", realisasi="-")


def test_capaian_below_100_without_keterangan_names_the_keterangan_cell() -> None:
    fs = findings("2.1", realisasi=70)  # 70 / 80 = 87,5 %
    assert codes(fs) == ["keterangan_wajib"]
    assert fs[0].cell == "K6"
    assert "87,50%" in fs[0].message
    assert not filled("2.1", realisasi=70)
    assert filled("2.1", realisasi=70, keterangan="anggaran terlambat cair")


def test_capaian_of_100_or_more_needs_no_keterangan() -> None:
    assert findings("2.1", realisasi=80) == []
    assert findings("2.1", realisasi="85,5") == []
    # negatif variant A: (2×3 − 4) / 3 = 66,67 % → keterangan required
    assert codes(findings("2.2", realisasi=4)) == ["keterangan_wajib"]


# -- invalid input ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["delapan puluh", "1,234", "#REF!", "85..5"])
def test_unreadable_input_names_the_cell_the_text_and_the_accepted_forms(text: str) -> None:
    fs = [f for f in findings("2.1", realisasi=text) if f.code == "nilai_tidak_valid"]
    assert len(fs) == 1
    assert fs[0].cell == "H6"
    assert text in fs[0].message
    assert ACCEPTED_FORMS in fs[0].message
    assert fs[0].severity == "error"
    assert not filled("2.1", realisasi=text, keterangan="x")


def test_indonesian_number_forms_are_read_as_numbers() -> None:
    for text in ("81,5", "1.234,5", "85,5%", "72.50"):
        assert "nilai_tidak_valid" not in codes(findings("2.1", realisasi=text, keterangan="x")), text


# -- ratios -----------------------------------------------------------------------------------------

def test_a_ratio_with_pembilang_and_penyebut_is_filled() -> None:
    assert findings("2.3", pembilang=98, penyebut=100) == []
    assert filled("2.3", pembilang=98, penyebut=100)


def test_a_ratio_below_target_needs_a_keterangan() -> None:
    # 96 / 102 = 94,12 % of 95 → 99,07 % < 100 %
    assert codes(findings("2.3", pembilang=96, penyebut=102)) == ["keterangan_wajib"]
    assert filled("2.3", pembilang=96, penyebut=102, keterangan="dua usulan terlambat")


def test_a_ratio_without_penyebut_is_rasio_tidak_lengkap_naming_the_penyebut_cell() -> None:
    fs = findings("2.3", pembilang=96)
    assert "rasio_tidak_lengkap" in codes(fs)
    assert next(f for f in fs if f.code == "rasio_tidak_lengkap").cell == "J8"
    assert not filled("2.3", pembilang=96)


def test_a_ratio_without_pembilang_names_the_pembilang_cell() -> None:
    fs = findings("2.3", penyebut=100)
    assert next(f for f in fs if f.code == "rasio_tidak_lengkap").cell == "I8"


def test_a_ratio_with_penyebut_zero_needs_a_keterangan_instead_of_a_capaian() -> None:
    # domain.md: denominator 0 in a quarter → "N/A" with keterangan, not 0 %.
    fs = findings("2.3", pembilang=0, penyebut=0)
    assert "keterangan_wajib" in codes(fs)
    assert not filled("2.3", pembilang=0, penyebut=0)
    assert filled("2.3", pembilang=0, penyebut=0, keterangan="tidak ada usulan masuk triwulan ini")


def test_a_realisasi_that_disagrees_with_the_ratio_is_a_warning() -> None:
    fs = findings("2.3", realisasi=90, pembilang=98, penyebut=100)
    assert codes(fs) == ["rasio_berbeda"]
    assert fs[0].severity == "warning"


# -- quarters and bukti -----------------------------------------------------------------------------

def test_an_indicator_not_measured_this_quarter_is_not_required() -> None:
    s = status(form(*COMPLETE))
    assert s.required == 3
    assert not [f for f in s.findings if f.indicator == TAHUNAN.code]


def test_an_annual_indicator_is_required_in_its_quarter() -> None:
    tw4 = Period(2025, 4)
    result, _ = evaluate(form(*COMPLETE), INDICATORS, tw4, None, BEFORE, RULES, unit="MP")
    assert result.required == 4
    assert "belum_diisi" in [f.code for f in result.findings if f.indicator == TAHUNAN.code]


def test_indicators_of_other_bidang_are_not_counted() -> None:
    other = Indicator("9.1", "SEK", "s", "lain", "%", "positif", "nilai_akhir", "kumulatif", "80", ("80",) * 4)
    result, _ = evaluate(form(*COMPLETE), (*INDICATORS, other), TW1, SCHEDULE, BEFORE, RULES, unit="MP")
    assert result.required == 3
    assert result.state == "Lengkap"


def test_when_bukti_is_required_a_missing_link_names_the_bukti_cell() -> None:
    indicator = POSITIF
    rc, fs = check_row("MP", "TW1", indicator, row("2.1", realisasi=85), 1, RULES, require_bukti=True)
    assert not rc.filled
    assert [(f.code, f.cell) for f in fs] == [("bukti_wajib", "L6")]
    assert filled("2.1", require_bukti=True, realisasi=85, bukti="https://drive.example/sk.pdf")


def test_when_bukti_is_not_required_a_value_alone_is_enough() -> None:
    assert filled("2.1", realisasi=85)


def test_a_broken_link_blocks_completeness_only_when_bukti_is_required() -> None:
    assert filled("2.1", realisasi=85, bukti="lihat map biru")
    assert not filled("2.1", require_bukti=True, realisasi=85, bukti="lihat map biru")


def test_require_bukti_applies_to_the_whole_status() -> None:
    with_links = tuple(
        RowRead(r.code, r.row, {**r.cells, "bukti": "https://drive.example/b"}, r.addresses) for r in COMPLETE
    )
    assert status(form(*COMPLETE), require_bukti=True).state == "Sebagian"
    assert status(form(*with_links), require_bukti=True).state == "Lengkap"


def test_a_capaian_that_cannot_be_computed_is_explained_in_english_with_lang_en() -> None:
    from sheets_sync.i18n import english
    from sheets_sync.i18n.catalog import indonesian_words

    zero = ind("2.1", targets=("0", "0", "0", "0"), annual="0")
    (f,) = [f for f in check_row("MP", "TW1", zero, row("2.1", realisasi=5), 1, RULES, require_bukti=False)[1]
            if f.code == "capaian_tidak_terhitung"]
    assert f.message == ("Capaian indikator 2.1 (Indikator 2.1) tidak dapat dihitung: Target 0 pada indikator "
                         "positif: capaian (R / T) tidak dapat dihitung. Periksa target atau polaritas indikator.")
    assert f.message_in(english).endswith("A target of 0 on a positive indicator: the achievement (R / T) cannot be "
                                          "computed. Check the target or the indicator's polaritas.")
    assert not indonesian_words(f.message_in(english).replace("(Indikator 2.1)", ""))
    ratio_zero = [f for f in findings("2.3", pembilang=0, penyebut=0) if f.code == "keterangan_wajib"]
    assert ratio_zero and "penyebut of TW I is 0" in ratio_zero[0].message_in(english)
    assert "penyebut TW I bernilai 0" in ratio_zero[0].message


def test_a_long_text_typed_as_a_number_is_shortened_in_the_language_of_the_finding() -> None:
    from sheets_sync.i18n import english
    from sheets_sync.i18n.catalog import indonesian_words

    (f,) = [f for f in findings("2.1", realisasi="sekitar " * 12) if f.code == "nilai_tidak_valid"]
    assert "… (95 karakter)" in f.message
    assert "… (95 characters)" in f.message_in(english)
    assert not indonesian_words(f.message_in(english).replace("sekitar", ""))
