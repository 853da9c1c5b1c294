"""Numbers beside the capaian: printed realisasi a reader can recompute, the comparison with last year,
and the efficiency of the budget.  Pure (no I/O); import from :mod:`sheets_sync.core.capaian`.

* :func:`number_text` — a typed number as typed (up to 4 decimals, trailing zeros dropped:
  ``0,0417``, ``16,2``, ``2.400``).  :func:`realisasi_text` — a period's realisasi: typed values as typed;
  values the product computed (sums, means, rasio) with the fewest decimals (2–4) from which the printed
  capaian is recomputed exactly (needs the indicator and rules; without them, 2 decimals).
* :func:`versus_last_year` — ``selisih`` = R − R₀ (points), ``perubahan`` = (R − R₀) / R₀ × 100 (None when
  R₀ = 0), ``arah`` kenaikan / penurunan / tetap, ``makna`` membaik / memburuk / tetap given the polarity.
* :func:`capaian_versus_last_year` — the same for the capaian: C₀ = last year's realisasi against last
  year's target (the indicator's own formula), selisih = C − C₀ in points, perubahan = (C − C₀) / C₀ × 100;
  kenaikan is membaik for every polarity.
* :func:`efficiency` — per element (pagu P, realisasi anggaran R, capaian CK %): % realisasi anggaran
  = ΣR / ΣP × 100 and tingkat efisiensi E = (Σ P × CK − Σ R) / Σ P × CK × 100 (PMK 22/PMK.02/2021), CK as a
  fraction (floored at 0, never capped); E > 0 = efisien.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from sheets_sync.core.capaian.rollup import PeriodResult
from sheets_sync.core.capaian.rules import MAX_DECIMALS, NA_MARK, Rules, compute, number_text, typed_decimals
from sheets_sync.core.fmt import angka, round_half_up
from sheets_sync.model import Indicator

F_EFISIENSI = ("E = (Σ P × CK − Σ R) / (Σ P × CK) × 100 (PMK 22/PMK.02/2021; P = pagu, R = realisasi anggaran, "
               "CK = capaian)")
F_TAHUN_LALU = "perubahan = (R − R tahun lalu) / R tahun lalu × 100"
F_CAPAIAN_TAHUN_LALU = ("capaian tahun lalu C₀ = rumus polaritas indikator dengan T = Target Tahun Lalu dan "
                        "R = realisasi tahun lalu; selisih = C − C₀ (poin); perubahan = (C − C₀) / C₀ × 100")


def realisasi_text(p: PeriodResult, ind: Indicator | None = None, rules: Rules | None = None) -> str:
    """The printed realisasi of a period (see the module docstring); ``–`` when there is none."""
    r = p.realisasi
    if r is None:
        return NA_MARK
    if isinstance(r, str):
        return r
    if typed_decimals(r) <= MAX_DECIMALS:
        return number_text(r)
    if ind is None or rules is None or p.capaian.status != "ok":
        return number_text(r, 2)
    want = p.capaian.display
    for d in range(2, MAX_DECIMALS + 1):
        shown = round_half_up(r, d)
        if compute(p.target, shown, ind.polaritas, rules, rumus=ind.rumus_negatif).display == want:
            return number_text(shown, d)
    return number_text(r, MAX_DECIMALS)


@dataclass(frozen=True)
class YearChange:
    """This year's realisasi against last year's (see :func:`versus_last_year`)."""

    lalu: float
    kini: float
    selisih: float
    perubahan: float | None
    arah: str  # kenaikan | penurunan | tetap
    makna: str  # membaik | memburuk | tetap

    def sentence(self) -> str:
        """``kenaikan 4,79 poin (5,69%) dari tahun lalu, membaik``."""
        if self.arah == "tetap":
            return "tetap dibanding tahun lalu"
        pct = f" ({angka(abs(self.perubahan))}%)" if self.perubahan is not None else ""
        return f"{self.arah} {number_text(abs(self.selisih), 2)} poin{pct} dari tahun lalu, {self.makna}"


def versus_last_year(lalu: float, kini: float, polaritas: str) -> YearChange:
    """Compare ``kini`` with last year's ``lalu`` (both realisasi of the same indicator)."""
    diff = kini - lalu
    if math.isclose(diff, 0.0, abs_tol=1e-12):
        return YearChange(lalu, kini, 0.0, 0.0 if lalu else None, "tetap", "tetap")
    up = diff > 0
    better = up if polaritas.strip().lower() != "negatif" else not up
    return YearChange(lalu, kini, diff, diff / lalu * 100 if lalu else None, "kenaikan" if up else "penurunan",
                      "membaik" if better else "memburuk")


def capaian_versus_last_year(lalu: float, kini: float) -> YearChange:
    """This year's capaian ``kini`` (%) against last year's ``lalu`` (%), in points (``selisih``) and in %
    of last year's (``perubahan``).  Both are taken as printed (2 decimals, half-up), so a reader gets the
    same difference from the two printed capaian.  A capaian already reads "higher is better" for either
    polarity (the negative formulas turn a lower realisasi into a higher capaian), so a *kenaikan* is
    always *membaik*."""
    return versus_last_year(round_half_up(lalu, 2), round_half_up(kini, 2), "positif")


@dataclass(frozen=True)
class Efficiency:
    pagu: float
    realisasi: float
    persen_anggaran: float | None
    efisiensi: float | None


def efficiency(lines: Iterable[tuple[float, float, float | None]]) -> Efficiency:
    """``lines`` = (pagu, realisasi anggaran, capaian %) per element (capaian None: left out of E)."""
    rows = list(lines)
    pagu = math.fsum(p for p, _, _ in rows)
    real = math.fsum(r for _, r, _ in rows)
    weighted = [(p * max(c, 0.0) / 100, r) for p, r, c in rows if c is not None]
    base = math.fsum(w for w, _ in weighted)
    eff = (base - math.fsum(r for _, r in weighted)) / base * 100 if base > 0 else None
    return Efficiency(pagu, real, real / pagu * 100 if pagu else None, eff)
