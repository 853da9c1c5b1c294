"""Quarter roll-up: targets and realisasi of several quarters, period and indicator rows, capaian
sasaran.  Pure (no I/O); builds on :mod:`sheets_sync.core.capaian.rules`.  Import from
:mod:`sheets_sync.core.capaian`, which re-exports every public name here.

Quarters (jenis konsolidasi, :func:`consolidate`): ``jumlah`` = sum; ``nilai_akhir`` = last value;
``rata_rata`` = mean of quarters with a value; ``rasio`` = Σ pembilang / Σ penyebut × 100 (percentages are
never averaged).  Target of several quarters (:func:`target_for_quarters`): ``per_triwulan`` → sum of the
quarter targets; ``kumulatif`` → target of the last quarter that has one (for ``jumlah`` indicators a
later period such as Semester II gets the difference of the cumulative targets).  :func:`target_upto`
is the target "s.d. TW n" (quarters 1..n).

A period (:func:`period_result`, :class:`PeriodResult`) consolidates its quarters' realisasi (the last
category for qualitative indicators) and compares it with the period's target and with the annual
target.  A ``rasio`` indicator with a single quarter's percent keeps that percent; several percentages
without pembilang/penyebut are an error (never averaged).  An unreadable realisasi in any quarter makes
the period's capaian ``status="error"`` naming the quarter.  :func:`indicator_result` is the quarterly
Pengukuran Kinerja row (TW n and s.d. TW n).

Capaian sasaran (:func:`capaian_sasaran`): mean of the capped capaian of its indicators with status
"ok"; qualitative indicators count only when ``Rules.include_qualitative``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from sheets_sync.core.capaian.rules import (
    NA_MARK,
    NOT_MEASURED_NOTE,
    Capaian,
    Rules,
    Target,
    compute,
    error_result,
    mean_capaian,
    na_result,
    parse_target,
    predikat,
    quarter_capaian,
    ratio_value,
    realised_number,
)
from sheets_sync.core.fmt import bulat
from sheets_sync.model import KONSOLIDASI, NOT_MEASURED_MARKS, ROMAN, Indicator
from sheets_sync.texts import Text


def combine_targets(targets: Sequence[Target]) -> Target:
    """Sum of quarter targets (numbers or ranges), ignoring quarters without a target."""
    defined = [t for t in targets if t.kind != "none"]
    bad = next((t for t in defined if t.kind == "invalid"), None)
    if bad or not defined:
        return bad or Target("none")
    kinds = {t.kind for t in defined}
    if kinds == {"qualitative"}:
        return defined[-1]
    if kinds == {"number"}:
        total = math.fsum(t.value or 0.0 for t in defined)
        return Target("number", value=total, text=bulat(total))
    if kinds == {"range"}:
        lo, hi = math.fsum(t.low or 0.0 for t in defined), math.fsum(t.high or 0.0 for t in defined)
        return Target("range", low=lo, high=hi, text=f"{bulat(lo)}–{bulat(hi)}")
    if kinds == {"threshold"} and len({t.op for t in defined}) == 1:
        total = math.fsum(t.value or 0.0 for t in defined)
        return Target("threshold", value=total, op=defined[0].op, text=bulat(total))
    return Target("invalid", problem=Text("Jenis target triwulan tidak seragam (angka, rentang, kategori)."))


def _last_defined(ind: Indicator, upto: int) -> Target:
    for q in range(upto, 0, -1):
        t = parse_target(ind.target_for(q))
        if t.kind != "none":
            return t
    return Target("none")


def target_for_quarters(ind: Indicator, quarters: Sequence[int]) -> Target:
    """Target of a period made of ``quarters`` (e.g. ``(1, 2)`` = Semester I, ``(3, 4)`` = Semester II)."""
    qs = sorted(quarters)
    if ind.konvensi_target == "per_triwulan":
        return combine_targets([parse_target(ind.target_for(q)) for q in qs])
    last = _last_defined(ind, qs[-1])
    if ind.konsolidasi != "jumlah" or qs[0] == 1 or last.kind not in ("number", "range"):
        return last
    before = _last_defined(ind, qs[0] - 1)
    if before.kind != last.kind:
        return last
    if last.kind == "number":
        v = (last.value or 0.0) - (before.value or 0.0)
        return Target("number", value=v, text=bulat(v))
    lo, hi = (last.low or 0.0) - (before.low or 0.0), (last.high or 0.0) - (before.high or 0.0)
    return Target("range", low=min(lo, hi), high=max(lo, hi), text=f"{bulat(lo)}–{bulat(hi)}")


def target_upto(ind: Indicator, quarter: int) -> Target:
    """Target "s.d. TW n": per_triwulan → Σ TW 1..n; kumulatif → TW n target (or the last defined)."""
    return target_for_quarters(ind, range(1, quarter + 1))


def consolidate(konsolidasi: str, values: Sequence[float | None], pembilang: Sequence[float | None] = (),
                penyebut: Sequence[float | None] = ()) -> float | None:
    """Combine quarter realisasi (None = no value).  ``rasio`` uses only quarters with both pembilang and
    penyebut; Σ penyebut = 0 or no pairs → None.  Unknown ``konsolidasi`` → ValueError."""
    have = [v for v in values if v is not None]
    if konsolidasi == "rasio":
        pairs = [(p, q) for p, q in zip(pembilang, penyebut, strict=False) if p is not None and q is not None]
        return ratio_value(math.fsum(p for p, _ in pairs), math.fsum(q for _, q in pairs)) if pairs else None
    if konsolidasi not in KONSOLIDASI:
        raise ValueError(f"jenis konsolidasi {konsolidasi!r} tidak dikenal; pilih {', '.join(KONSOLIDASI)}")
    if not have:
        return None
    if konsolidasi == "jumlah":
        return math.fsum(have)
    if konsolidasi == "nilai_akhir":
        return have[-1]
    return math.fsum(have) / len(have)


@dataclass(frozen=True)
class QuarterInput:
    """What a bidang entered for one quarter (realisasi as number, text or category)."""

    realisasi: float | str | None = None
    pembilang: float | None = None
    penyebut: float | None = None


@dataclass(frozen=True)
class PeriodResult:
    """One indicator over ``quarters`` (``(1,)``, ``(1, 2)`` = Semester I, ``(1, 2, 3, 4)`` = tahunan).

    ``realisasi`` is consolidated by the indicator's konsolidasi (the last category for qualitative
    indicators); ``capaian`` compares it with ``target`` (the period's target), ``capaian_tahunan`` with
    the annual target; ``predikat`` is of ``capaian``; ``missing`` lists quarters with a target but no
    realisasi; ``qualitative`` says whether the indicator is categorical (excluded from means by default).
    """

    code: str
    quarters: tuple[int, ...]
    target: Target
    realisasi: float | str | None
    capaian: Capaian
    capaian_tahunan: Capaian
    predikat: str
    qualitative: bool
    missing: tuple[int, ...] = ()


@dataclass(frozen=True)
class IndicatorResult:
    """The quarterly Pengukuran Kinerja row of one indicator up to TW ``upto``: Target/Realisasi/Capaian
    TW n, and ``sd`` = the period TW I … TW n (Target, Realisasi, Capaian s.d. TW n, Capaian vs annual)."""

    code: str
    upto: int
    target_tw: Target
    realisasi_tw: float | str | None
    capaian_tw: Capaian
    sd: PeriodResult
    target_tahunan: Target = field(default_factory=lambda: Target("none"))

    @property
    def target_sd(self) -> Target:
        return self.sd.target

    @property
    def realisasi_sd(self) -> float | str | None:
        return self.sd.realisasi

    @property
    def capaian_sd(self) -> Capaian:
        return self.sd.capaian

    @property
    def capaian_tahunan(self) -> Capaian:
        return self.sd.capaian_tahunan

    @property
    def predikat(self) -> str:
        return self.sd.predikat


def _quarter_realisasi(ind: Indicator, qi: QuarterInput | None, qualitative: bool) -> float | str | None:
    """The value one quarter contributes: ratio of pembilang/penyebut, the number, or the category."""
    if qi is None:
        return None
    if ind.is_ratio and qi.pembilang is not None and qi.penyebut is not None:
        return ratio_value(qi.pembilang, qi.penyebut)
    if qualitative:
        if isinstance(qi.realisasi, str) and qi.realisasi.strip().lower() not in NOT_MEASURED_MARKS:
            return " ".join(qi.realisasi.split()).upper() or None
        return None
    r = realised_number(qi.realisasi)
    return None if isinstance(r, Capaian) else r


def _unreadable_quarters(qs: Sequence[int], quarter_values: Mapping[int, QuarterInput],
                         vals: Mapping[int, float | str | None], qualitative: bool) -> list[str]:
    """One note per quarter whose typed realisasi is not a value (qualitative indicators keep any text)."""
    bad: list[str] = []
    for q in qs:
        qi = quarter_values.get(q)
        if qi is not None and not qualitative and vals[q] is None and not _is_empty(qi):
            r = realised_number(qi.realisasi)
            if isinstance(r, Capaian) and r.status == "error":
                bad.append(f"TW {ROMAN[q]}: {r.note}")
    return bad


def _consolidated_number(ind: Indicator, qs: Sequence[int], quarter_values: Mapping[int, QuarterInput],
                         vals: Mapping[int, float | str | None], bad: list[str]) -> float | None:
    """The quarters' numbers combined by the konsolidasi; a ``rasio`` indicator with one quarter's percent
    keeps it, several percentages without pembilang/penyebut are a problem added to ``bad``."""
    nums = [v if isinstance(v, float) else None for v in vals.values()]
    inputs = [quarter_values.get(q) or QuarterInput() for q in qs]
    try:
        realisasi = consolidate(ind.konsolidasi, nums, [i.pembilang for i in inputs], [i.penyebut for i in inputs])
    except ValueError as exc:
        bad.append(str(exc))
        realisasi = None
    have = [n for n in nums if n is not None]
    if realisasi is None and ind.is_ratio and len(have) == 1:
        return have[0]  # a single quarter's percent: nothing is averaged
    if realisasi is None and ind.is_ratio and have:
        bad.append("indikator rasio membutuhkan pembilang dan penyebut tiap triwulan; persentase "
                   "triwulan tidak dirata-ratakan")
    return realisasi


def _why_no_value(ind: Indicator, qs: Sequence[int], quarter_values: Mapping[int, QuarterInput]) -> Capaian | None:
    """Why a period has no realisasi when the bidang did type something: every input "–" → *tidak
    diukur*; rasio with Σ penyebut 0 → *penyebut bernilai 0*.  None: nothing typed (*belum diisi*)."""
    inputs = [qi for q in qs if (qi := quarter_values.get(q)) is not None]
    pairs = [(qi.pembilang, qi.penyebut) for qi in inputs if qi.pembilang is not None and qi.penyebut is not None]
    if ind.is_ratio and pairs and math.fsum(d for _, d in pairs if d is not None) == 0:
        return na_result(Text("penyebut bernilai 0, rasio tidak terdefinisi."), reason="penyebut_nol")
    typed = [qi.realisasi for qi in inputs if qi.realisasi is not None and not pairs]
    if typed and all(isinstance(t, str) and " ".join(t.split()).lower() in NOT_MEASURED_MARKS for t in typed):
        return na_result(NOT_MEASURED_NOTE, reason="tidak_diukur")
    return None


def _period_capaian(ind: Indicator, qs: Sequence[int], quarter_values: Mapping[int, QuarterInput], target: Target,
                    annual: Target, realisasi: float | str | None, bad: Sequence[str],
                    rules: Rules) -> tuple[Capaian, Capaian]:
    """Capaian against the period's target and against the annual target, with the indicator's own
    negative formula; both an error naming the problems when any realisasi was unreadable, and the
    reason (not measured, penyebut 0) when there is no realisasi although the bidang typed something."""
    if bad:
        cap = error_result("Realisasi tidak sah: " + "; ".join(bad))
        return cap, cap
    cap = compute(target, realisasi, ind.polaritas, rules, rumus=ind.rumus_negatif)
    cap_y = compute(annual, realisasi, ind.polaritas, rules, rumus=ind.rumus_negatif)
    why = _why_no_value(ind, qs, quarter_values) if realisasi is None else None
    if why is not None:
        cap = cap if cap.reason == "tanpa_target" else replace(why, formula=cap.formula)
        cap_y = cap_y if cap_y.reason == "tanpa_target" else replace(why, formula=cap_y.formula)
    if ind.konsolidasi == "rasio" and cap.status == "ok":
        cap = replace(cap, formula=f"R = Σ pembilang / Σ penyebut × 100; {cap.formula}")
    return cap, cap_y


def period_result(ind: Indicator, quarter_values: Mapping[int, QuarterInput], quarters: Sequence[int],
                  rules: Rules) -> PeriodResult:
    """Consolidate ``quarters`` of one indicator and compute its capaian (see :class:`PeriodResult`)."""
    qs = tuple(sorted(quarters))
    target = target_for_quarters(ind, qs)
    annual = parse_target(ind.target_tahunan)
    qualitative = "qualitative" in (target.kind, annual.kind)
    vals = {q: _quarter_realisasi(ind, quarter_values.get(q), qualitative) for q in qs}
    missing = tuple(q for q in qs if ind.measured_in(q) and _is_empty(quarter_values.get(q)))
    bad = _unreadable_quarters(qs, quarter_values, vals, qualitative)
    realisasi: float | str | None
    if qualitative:
        realisasi = next((v for v in reversed(vals.values()) if v is not None), None)
    else:
        realisasi = _consolidated_number(ind, qs, quarter_values, vals, bad)
    cap, cap_y = _period_capaian(ind, qs, quarter_values, target, annual, realisasi, bad, rules)
    pred = predikat(cap.value, rules) if cap.status == "ok" else NA_MARK
    return PeriodResult(ind.code, qs, target, realisasi, cap, cap_y, pred, qualitative, missing)


def _is_empty(qi: QuarterInput | None) -> bool:
    if qi is None:
        return True
    if qi.pembilang is not None and qi.penyebut is not None:
        return False
    return qi.realisasi is None or (isinstance(qi.realisasi, str) and not qi.realisasi.strip())


def indicator_result(ind: Indicator, quarter_values: Mapping[int, QuarterInput], upto: int,
                     rules: Rules) -> IndicatorResult:
    """Quarterly row for TW ``upto`` (1–4); ``upto=4`` gives the annual figures in ``sd``."""
    qi = quarter_values.get(upto) or QuarterInput()
    sd = period_result(ind, quarter_values, range(1, upto + 1), rules)
    return IndicatorResult(
        code=ind.code, upto=upto, target_tw=parse_target(ind.target_for(upto)),
        realisasi_tw=_quarter_realisasi(ind, quarter_values.get(upto), sd.qualitative),
        capaian_tw=quarter_capaian(ind, upto, qi.realisasi, qi.pembilang, qi.penyebut, rules),
        sd=sd, target_tahunan=parse_target(ind.target_tahunan))


def capaian_sasaran(results: Iterable[PeriodResult], rules: Rules) -> float | None:
    """Mean capped capaian of a sasaran's indicators (status "ok" only; qualitative ones only when
    ``rules.include_qualitative``).  Capaian organisasi = :func:`mean_capaian` of the sasaran values."""
    return mean_capaian((r.capaian.value for r in results if r.capaian.status == "ok"
                         and (rules.include_qualitative or not r.qualitative)), rules)
