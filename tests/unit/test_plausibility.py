"""Plausibility findings (issue 10, item 5): numbers that parse but make no sense are flagged — a warning
that names the cell and asks the bidang to confirm in Keterangan — and stop being flagged once a
keterangan confirms them.  The raw value is always kept."""

from __future__ import annotations

import pytest

from sheets_sync.core.capaian import Rules
from sheets_sync.core.checks import Plausibility, check_row
from sheets_sync.model import Finding, Indicator, Raw, RowRead

RULES = Rules()
FIELDS = {"realisasi": "H", "pembilang": "I", "penyebut": "J", "keterangan": "K", "bukti": "L"}


def ind(code: str, satuan: str, polaritas: str = "positif", konsolidasi: str = "nilai_akhir",
        target: str = "80", name: str = "") -> Indicator:
    return Indicator(code, "MP", "Sasaran", name or f"Indikator {code}", satuan, polaritas, konsolidasi,
                     "kumulatif", target, (target, target, target, target))


SHARE = ind("1.2", "%", target="15,00", name="Persentase ASN yang memenuhi pengembangan kompetensi")
PEOPLE = ind("1.3", "orang", konsolidasi="jumlah", target="50", name="Jumlah ASN ikut uji kompetensi")
DAYS = ind("3.3", "hari kerja", "negatif", "rata_rata", "10", name="Rata-rata waktu penyelesaian layanan mutasi")
RASIO = ind("3.2", "%", konsolidasi="rasio", target="95,00", name="Persentase usulan selesai tepat waktu")
INDEX = ind("4.1", "indeks", target="3,5", name="Indeks kepuasan")  # not a share: may exceed 100


def row(code: str, **cells: Raw) -> RowRead:
    return RowRead(code, 6, {f: cells.get(f) for f in FIELDS}, {f: f"{c}6" for f, c in FIELDS.items()})


def findings(indicator: Indicator, plaus: Plausibility | None = None, previous: float | None = None,
             **cells: Raw) -> list[Finding]:
    _, out = check_row("MP", "TW1", indicator, row(indicator.code, **cells), 1, RULES, require_bukti=False,
                       plausibility=plaus or Plausibility(), previous=previous)
    return out


def plaus(out: list[Finding]) -> list[Finding]:
    return [f for f in out if f.code in ("nilai_negatif", "persen_lebih_100", "rasio_tanpa_rincian",
                                         "capaian_di_luar_batas", "lonjakan_nilai")]


@pytest.mark.parametrize("indicator", [SHARE, PEOPLE, DAYS])
def test_a_negative_value_where_the_satuan_cannot_be_negative(indicator: Indicator) -> None:
    out = plaus(findings(indicator, realisasi="-5"))
    assert [f.code for f in out][:1] == ["nilai_negatif"]
    f = out[0]
    assert f.severity == "warning" and f.cell == "H6" and "Keterangan" in f.fix
    assert "-5" in f.message


def test_a_share_over_100_percent() -> None:
    out = plaus(findings(SHARE, realisasi="116,5"))
    assert [f.code for f in out] == ["persen_lebih_100"] or "persen_lebih_100" in [f.code for f in out]
    assert not plaus(findings(INDEX, realisasi="116,5")) or "persen_lebih_100" not in [
        f.code for f in plaus(findings(INDEX, realisasi="116,5"))]


def test_580_typed_as_the_realisasi_of_a_percent_ratio_without_pembilang_and_penyebut() -> None:
    codes = [f.code for f in plaus(findings(RASIO, realisasi=580))]
    assert "persen_lebih_100" in codes and "rasio_tanpa_rincian" in codes


def test_a_capaian_of_minus_655_percent_is_outside_the_band_and_the_raw_value_is_kept() -> None:
    # 85,5 hari against a target of 10 (negatif, variant A): (2·10 − 85,5)/10 × 100 = −655 %
    out = plaus(findings(DAYS, realisasi="85,5"))
    band = next(f for f in out if f.code == "capaian_di_luar_batas")
    assert "-655" in band.message.replace("−", "-") and band.cell == "H6"


def test_a_capaian_of_125624_percent_is_outside_the_band() -> None:
    out = plaus(findings(PEOPLE, realisasi="62812"))  # against a target of 50
    band = next(f for f in out if f.code == "capaian_di_luar_batas")
    assert "125.624" in band.message


def test_the_band_is_configurable() -> None:
    assert not [f for f in findings(PEOPLE, Plausibility(capaian_max=None), realisasi="62812")
                if f.code == "capaian_di_luar_batas"]
    assert [f for f in findings(PEOPLE, Plausibility(capaian_max=150), realisasi="80")
            if f.code == "capaian_di_luar_batas"]


def test_a_jump_against_the_previous_quarter_beyond_the_factor() -> None:
    out = plaus(findings(PEOPLE, previous=40, realisasi="4000"))
    assert "lonjakan_nilai" in [f.code for f in out]
    assert not [f for f in plaus(findings(PEOPLE, previous=40, realisasi="60")) if f.code == "lonjakan_nilai"]
    assert not [f for f in plaus(findings(PEOPLE, Plausibility(jump_factor=None), previous=40, realisasi="4000"))
                if f.code == "lonjakan_nilai"]


@pytest.mark.parametrize(("indicator", "cells"), [
    (SHARE, {"realisasi": "-5"}),
    (SHARE, {"realisasi": "116,5"}),
    (RASIO, {"realisasi": 580}),
    (DAYS, {"realisasi": "85,5"}),
    (PEOPLE, {"realisasi": "62812"}),
])
def test_a_value_confirmed_in_keterangan_stops_being_flagged(indicator: Indicator, cells: dict[str, Raw]) -> None:
    assert plaus(findings(indicator, **cells))
    assert plaus(findings(indicator, **cells, keterangan="Benar, sudah diperiksa ulang")) == []


def test_ordinary_values_raise_nothing() -> None:
    assert plaus(findings(SHARE, realisasi="16,5")) == []
    assert plaus(findings(PEOPLE, realisasi=52, previous=48)) == []
    assert plaus(findings(DAYS, realisasi=9)) == []
    assert plaus(findings(RASIO, pembilang=96, penyebut=102)) == []
