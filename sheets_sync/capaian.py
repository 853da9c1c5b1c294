"""Pure SAKIP arithmetic: targets, capaian, consolidation of quarters, predikat.  No I/O.

Every :class:`Capaian` carries the formula text that produced it so documents print the rule used.
``value`` is the raw percentage, never rounded and never capped; only :func:`capped`, :func:`predikat`
and the means (:func:`mean_capaian`, :func:`capaian_sasaran`) apply ``Rules.cap``.

Capaian (:func:`compute`), with T = target and R = realisasi
    * positif: ``R / T × 100``; target 0 or a negative target → ``status="error"`` (never a number).
    * negatif, varian A (default, PermenPAN-RB 6/2022): ``(2T − R) / T × 100`` (may go below 0 when
      R > 2T; the value is kept and a note says so).
    * negatif, varian B: ``T / R × 100``; R = 0 → ``status="error"`` with a note (no division).
    * negatif with target 0 (both variants): 100 when R = 0, else 0.
    * range ``80–90`` / ``7–8 bulan``: R inside → 100; below → the formula against the lower bound;
      above → against the upper bound (for negatif: below the range scores > 100, above < 100).
    * qualitative (``BB``, ``WTP``): 100 when the realised category ranks ≥ the target in its order
      (``Rules.qualitative_orders``, low → high), else 0; unknown categories → ``status="error"``.
    * no target (``-``) / empty or ``-`` realisasi → ``status="na"`` with a note; invalid input → "error".

Targets (:func:`parse_target`): ``72,50``, ``2.400``, ``85%`` (numbers as in :mod:`sheets_sync.parse`);
``80–90``, ``80-90``, ``80 s.d. 90`` (ranges; a trailing unit word such as ``bulan`` is ignored);
text without digits is a qualitative category; ``-``/empty → none; anything else → ``kind="invalid"``.

Quarters (jenis konsolidasi, :func:`consolidate`): ``jumlah`` = sum; ``nilai_akhir`` = last value;
``rata_rata`` = mean of quarters with a value; ``rasio`` = Σ pembilang / Σ penyebut × 100 (percentages are
never averaged).  Target of several quarters (:func:`target_for_quarters`): ``per_triwulan`` → sum of the
quarter targets; ``kumulatif`` → target of the last quarter that has one (for ``jumlah`` indicators a
later period such as Semester II gets the difference of the cumulative targets).

Predikat (:func:`predikat`): half-open bands on the capped value rounded half-up to 2 decimals (the
printed precision, so ``90,996`` → ``91,00%`` → Sangat Tinggi).  Scales: ``permendagri86`` (default),
``baik`` (same bands), ``berhasil`` (4 levels).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from sheets_sync.errors import ConfigError
from sheets_sync.fmt import bulat, round_half_up
from sheets_sync.model import KONSOLIDASI, KONVENSI_TARGET, NOT_MEASURED_MARKS, POLARITAS, ROMAN, Indicator
from sheets_sync.parse import parse_number

F_POSITIF = "R / T × 100 (positif)"
F_NEG_A = "(2T − R) / T × 100 (negatif, varian A — PermenPAN-RB 6/2022)"
F_NEG_B = "T / R × 100 (negatif, varian B)"
F_ZERO_NEG = "target 0 (negatif): 100 bila R = 0, selain itu 0"
F_RASIO = "R = pembilang / penyebut × 100"

SCALES: dict[str, tuple[tuple[tuple[float, str], ...], str, str]] = {
    "permendagri86": (((91, "Sangat Tinggi"), (76, "Tinggi"), (66, "Sedang"), (51, "Rendah")),
                      "Sangat Rendah", "Permendagri 86/2017"),
    "baik": (((91, "Sangat Baik"), (76, "Baik"), (66, "Cukup"), (51, "Kurang")), "Sangat Kurang",
             "Sangat Baik–Sangat Kurang (pita Permendagri 86/2017)"),
    "berhasil": (((100, "Sangat Berhasil"), (75, "Berhasil"), (55, "Cukup Berhasil")), "Kurang Berhasil",
                 "Berhasil (4 tingkat)"),
}
"""scale name → (bands ≥ threshold high → low, label below the last band, description)."""

NA_MARK = "–"


@dataclass(frozen=True)
class Target:
    """A target as typed and as understood.  ``number``: ``value``; ``range``: ``low``/``high``;
    ``qualitative``: ``category`` (upper-cased); ``none``: not measured; ``invalid``: see ``problem``."""

    kind: Literal["number", "range", "qualitative", "none", "invalid"]
    value: float | None = None
    low: float | None = None
    high: float | None = None
    category: str = ""
    text: str = ""
    problem: str = ""

    @property
    def display(self) -> str:
        """Indonesian text for documents (``2.400``, ``80–90``, ``BB``, ``–``)."""
        if self.kind == "number":
            return bulat(self.value)
        if self.kind == "range":
            return f"{bulat(self.low)}–{bulat(self.high)}"
        if self.kind == "qualitative":
            return self.category
        return NA_MARK if self.kind == "none" else self.text


@dataclass(frozen=True)
class Rules:
    """Per-office capaian settings; invalid values raise :class:`ConfigError`."""

    negatif_variant: Literal["A", "B"] = "A"
    cap: float | None = 120.0
    scale: str = "permendagri86"
    include_qualitative: bool = False
    qualitative_orders: tuple[tuple[str, ...], ...] = (
        ("D", "C", "CC", "B", "BB", "A", "AA"),
        ("TMP", "TW", "WDP", "WTP"),
    )

    def __post_init__(self) -> None:
        if self.negatif_variant not in ("A", "B"):
            raise ConfigError(f"varian negatif {self.negatif_variant!r} tidak dikenal", fix="isi A atau B")
        if self.cap is not None and not (math.isfinite(self.cap) and self.cap > 0):
            raise ConfigError(f"batas capaian {self.cap!r} tidak sah", fix="isi angka > 0 atau kosongkan")
        if self.scale not in SCALES:
            raise ConfigError(f"skala predikat {self.scale!r} tidak dikenal",
                              fix=f"pilih {', '.join(SCALES)}")

    def describe(self) -> str:
        """One Indonesian sentence stating the rules used, for a document's notes."""
        neg = F_NEG_A if self.negatif_variant == "A" else F_NEG_B
        cap = f"dibatasi {bulat(self.cap)}%" if self.cap is not None else "tanpa batas atas"
        return (f"Capaian positif = {F_POSITIF}; negatif = {neg}. Nilai untuk rata-rata dan predikat "
                f"{cap}; predikat menurut {SCALES[self.scale][2]}.")


@dataclass(frozen=True)
class Capaian:
    """``value`` = raw percent (unrounded, uncapped) when ``status == "ok"``; ``formula`` = rule used;
    ``note`` = why the value is missing (``na``/``error``) or a remark."""

    value: float | None
    formula: str
    status: Literal["ok", "na", "error"]
    note: str = ""


def _ok(value: float, formula: str, note: str = "") -> Capaian:
    return Capaian(value, formula, "ok", note)


def _err(note: str, formula: str = "") -> Capaian:
    return Capaian(None, formula, "error", note)


def _na(note: str, formula: str = "") -> Capaian:
    return Capaian(None, formula, "na", note)


_RANGE = re.compile(r"^(?P<a>[+\-−]?[\d.,]+\s*%?)\s*(?:–|—|-|s\.?\s?d\.?|s/d|sampai(?:\s+dengan)?)\s*"
                    r"(?P<b>[+\-−]?[\d.,]+\s*%?)$", re.IGNORECASE)
_UNIT = re.compile(r"^(?P<num>.*?\d\s*%?)\s+(?P<unit>[^\W\d_][^\d]*)$")


def parse_target(raw: str) -> Target:
    """Interpret a target cell (see the module docstring).  Never raises."""
    text = "" if raw is None else str(raw)
    s = " ".join(text.replace("\u00a0", " ").split())
    if not s or s.lower() in NOT_MEASURED_MARKS:
        return Target("none", text=text)
    if not any(c.isdigit() for c in s):
        return Target("qualitative", category=s.upper(), text=text)
    m = _UNIT.match(s)
    if m and not s.lower().startswith("rp"):
        s = m.group("num")
    r = _RANGE.match(s)
    if r:
        a, b = parse_number(r.group("a")), parse_number(r.group("b"))
        for p in (a, b):
            if p.kind != "number":
                return Target("invalid", text=text, problem=f'Target "{text}": {p.problem}')
        assert a.value is not None and b.value is not None
        if a.value > b.value:
            return Target("invalid", text=text,
                          problem=f'Target rentang "{text}": batas bawah lebih besar dari batas atas.')
        return Target("range", low=a.value, high=b.value, text=text)
    p = parse_number(s)
    if p.kind == "number":
        return Target("number", value=p.value, text=text)
    return Target("invalid", text=text, problem=f'Target "{text}": {p.problem or "tidak dapat dibaca."}')


def _against(t: float, r: float, polaritas: str, variant: str) -> Capaian:
    if t < 0:
        return _err("Target bernilai negatif; capaian tidak dapat dihitung. Periksa target.")
    if polaritas == "positif":
        if t == 0:
            return _err("Target 0 pada indikator positif: capaian (R / T) tidak dapat dihitung. "
                        "Periksa target atau polaritas indikator.", F_POSITIF)
        return _ok(r / t * 100, F_POSITIF)
    if t == 0:
        return _ok(100.0 if r == 0 else 0.0, F_ZERO_NEG)
    if variant == "A":
        v = (2 * t - r) / t * 100
        below = "Capaian di bawah 0 karena realisasi melebihi dua kali target." if v < 0 else ""
        return _ok(v, F_NEG_A, below)
    if r <= 0:
        return _err(f"Realisasi {bulat(r)} pada rumus varian B (T / R) tidak dapat dihitung (pembagian "
                    "dengan nol). Ditandai untuk ditinjau; varian A ((2T − R) / T) tetap terdefinisi.",
                    F_NEG_B)
    return _ok(t / r * 100, F_NEG_B)


def _realised_number(realisasi: float | str | None) -> float | Capaian:
    if realisasi is None:
        return _na("Realisasi belum diisi.")
    if isinstance(realisasi, bool):
        return _err("Realisasi bukan angka.")
    if isinstance(realisasi, int | float):
        return float(realisasi) if math.isfinite(realisasi) else _err("Realisasi bukan angka yang sah.")
    p = parse_number(realisasi)
    if p.kind == "number" and p.value is not None:
        return p.value
    if p.kind == "empty":
        return _na("Realisasi belum diisi.")
    if p.kind == "not_measured":
        return _na("Tidak diukur pada periode ini.")
    return _err(p.problem)


def _order_of(category: str, rules: Rules) -> tuple[str, ...] | None:
    return next((o for o in rules.qualitative_orders if category in o), None)


def compute(target: Target, realisasi: float | str | None, polaritas: str, rules: Rules) -> Capaian:
    """Capaian of ``realisasi`` against ``target`` (see the module docstring).  Never raises."""
    pol = polaritas.strip().lower()
    if pol not in POLARITAS:
        return _err(f"Polaritas {polaritas!r} tidak dikenal; isi positif atau negatif.")
    if target.kind == "none":
        return _na("Tidak ada target pada periode ini.")
    if target.kind == "invalid":
        return _err(target.problem)
    if target.kind == "qualitative":
        return _qualitative(target, realisasi, rules)
    r = _realised_number(realisasi)
    if isinstance(r, Capaian):
        return r
    if target.kind == "number":
        assert target.value is not None
        return _against(target.value, r, pol, rules.negatif_variant)
    assert target.low is not None and target.high is not None
    span = f"rentang {bulat(target.low)}–{bulat(target.high)}"
    if target.low <= r <= target.high:
        return _ok(100.0, f"{span}: R di dalam rentang → 100")
    bound, where = (target.low, "di bawah rentang: T = batas bawah") if r < target.low else (
        target.high, "di atas rentang: T = batas atas")
    c = _against(bound, r, pol, rules.negatif_variant)
    return replace(c, formula=f"{span}, R {where} ({bulat(bound)}); {c.formula}")


def _qualitative(target: Target, realisasi: float | str | None, rules: Rules) -> Capaian:
    order = _order_of(target.category, rules)
    if order is None:
        known = "; ".join(" < ".join(o) for o in rules.qualitative_orders)
        return _err(f'Kategori target "{target.category}" tidak dikenal. Kategori yang dikenal: {known}.')
    formula = f"kategori: 100 bila realisasi ≥ target ({' < '.join(order)}), selain itu 0"
    if realisasi is None or (isinstance(realisasi, str) and not realisasi.strip()):
        return _na("Realisasi belum diisi.", formula)
    if not isinstance(realisasi, str):
        return _err(f"Realisasi {realisasi!r} bukan kategori ({', '.join(order)}).", formula)
    cat = " ".join(realisasi.split()).upper()
    if cat.lower() in NOT_MEASURED_MARKS:
        return _na("Tidak diukur pada periode ini.", formula)
    if cat not in order:
        return _err(f'Kategori realisasi "{realisasi.strip()}" tidak dikenal; pilih {", ".join(order)}.',
                    formula)
    return _ok(100.0 if order.index(cat) >= order.index(target.category) else 0.0, formula)


def ratio_value(pembilang: float | None, penyebut: float | None) -> float | None:
    """``pembilang / penyebut × 100``; None when either is missing or the denominator is 0 (N/A)."""
    if pembilang is None or penyebut is None or penyebut == 0:
        return None
    return pembilang / penyebut * 100


def quarter_capaian(ind: Indicator, quarter: int, realisasi: float | str | None, pembilang: float | None,
                    penyebut: float | None, rules: Rules) -> Capaian:
    """Capaian of TW ``quarter`` against Target TW ``quarter``.  For ``rasio`` indicators with both
    pembilang and penyebut, R = pembilang / penyebut × 100 of this quarter alone (denominator 0 → "na")."""
    target = parse_target(ind.target_for(quarter))
    if ind.is_ratio and pembilang is not None and penyebut is not None:
        if penyebut == 0:
            return _na(f"N/A: penyebut TW {ROMAN[quarter]} bernilai 0, rasio tidak terdefinisi.", F_RASIO)
        c = compute(target, pembilang / penyebut * 100, ind.polaritas, rules)
        return replace(c, formula=f"{F_RASIO}; {c.formula}" if c.formula else F_RASIO)
    return compute(target, realisasi, ind.polaritas, rules)


def _combine(targets: Sequence[Target]) -> Target:
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
    return Target("invalid", problem="Jenis target triwulan tidak seragam (angka, rentang, kategori).")


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
        return _combine([parse_target(ind.target_for(q)) for q in qs])
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


def capped(value: float | None, rules: Rules) -> float | None:
    """``value`` limited to ``rules.cap`` (no limit when the cap is None)."""
    if value is None or rules.cap is None:
        return value
    return min(value, rules.cap)


def predikat(value: float | None, rules: Rules) -> str:
    """Predikat of a capaian on ``rules.scale`` (capped, then rounded half-up to 2 decimals); None → ``–``."""
    v = capped(value, rules)
    if v is None:
        return NA_MARK
    v = round_half_up(v, 2)
    bands, floor, _ = SCALES[rules.scale]
    return next((label for threshold, label in bands if v >= threshold), floor)


def mean_capaian(values: Iterable[float | None], rules: Rules) -> float | None:
    """Mean of capped values, skipping None (capaian sasaran / organisasi); nothing → None."""
    vs = [c for c in (capped(v, rules) for v in values) if c is not None]
    return math.fsum(vs) / len(vs) if vs else None


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
    r = _realised_number(qi.realisasi)
    return None if isinstance(r, Capaian) else r


def period_result(ind: Indicator, quarter_values: Mapping[int, QuarterInput], quarters: Sequence[int],
                  rules: Rules) -> PeriodResult:
    """Consolidate ``quarters`` of one indicator and compute its capaian (see :class:`PeriodResult`)."""
    qs = tuple(sorted(quarters))
    target = target_for_quarters(ind, qs)
    annual = parse_target(ind.target_tahunan)
    qualitative = "qualitative" in (target.kind, annual.kind)
    vals = {q: _quarter_realisasi(ind, quarter_values.get(q), qualitative) for q in qs}
    missing = tuple(q for q in qs if ind.measured_in(q) and _is_empty(quarter_values.get(q)))
    bad: list[str] = []
    for q in qs:
        qi = quarter_values.get(q)
        if qi is not None and not qualitative and vals[q] is None and not _is_empty(qi):
            r = _realised_number(qi.realisasi)
            if isinstance(r, Capaian) and r.status == "error":
                bad.append(f"TW {ROMAN[q]}: {r.note}")
    realisasi: float | str | None
    if qualitative:
        realisasi = next((v for v in reversed(vals.values()) if v is not None), None)
    else:
        nums = [v if isinstance(v, float) else None for v in vals.values()]
        inputs = [quarter_values.get(q) or QuarterInput() for q in qs]
        try:
            realisasi = consolidate(ind.konsolidasi, nums, [i.pembilang for i in inputs],
                                    [i.penyebut for i in inputs])
        except ValueError as exc:
            bad.append(str(exc))
            realisasi = None
        have = [n for n in nums if n is not None]
        if realisasi is None and ind.is_ratio and len(have) == 1:
            realisasi = have[0]  # a single quarter's percent: nothing is averaged
        elif realisasi is None and ind.is_ratio and have:
            bad.append("indikator rasio membutuhkan pembilang dan penyebut tiap triwulan; persentase "
                       "triwulan tidak dirata-ratakan")
    if bad:
        cap = cap_y = _err("Realisasi tidak sah: " + "; ".join(bad))
    else:
        cap = compute(target, realisasi, ind.polaritas, rules)
        cap_y = compute(annual, realisasi, ind.polaritas, rules)
        if ind.konsolidasi == "rasio" and cap.status == "ok":
            cap = replace(cap, formula=f"R = Σ pembilang / Σ penyebut × 100; {cap.formula}")
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


def _close(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _same(a: Target, b: Target) -> bool:
    if a.kind == "number" == b.kind:
        return _close(a.value, b.value)
    return a.kind == "range" == b.kind and _close(a.low, b.low) and _close(a.high, b.high)


def validate_targets(ind: Indicator, rules: Rules | None = None) -> list[str]:
    """Problems (plain Indonesian, one sentence each, naming the field) with an indicator's master row:
    unknown polaritas / konsolidasi / konvensi, unreadable or unknown targets, target 0 on a positive
    indicator, mixed target kinds, per_triwulan targets not summing to the annual target, kumulatif
    targets not monotone (non-decreasing; negatif may also be non-increasing) or whose last defined
    quarter differs from the annual target.  Quarters with ``-`` are ignored.  Empty list = fine."""
    rules = rules or Rules()
    out: list[str] = []
    pol = ind.polaritas.strip().lower()
    if pol not in POLARITAS:
        out.append(f'Polaritas "{ind.polaritas}" tidak dikenal; isi positif atau negatif.')
    if ind.konsolidasi not in KONSOLIDASI:
        out.append(f'Jenis konsolidasi "{ind.konsolidasi}" tidak dikenal; pilih {", ".join(KONSOLIDASI)}.')
    if ind.konvensi_target not in KONVENSI_TARGET:
        out.append(f'Konvensi target "{ind.konvensi_target}" tidak dikenal; '
                   f'pilih {", ".join(KONVENSI_TARGET)}.')
    annual = parse_target(ind.target_tahunan)
    tws = [parse_target(t) for t in ind.targets]
    labelled = [("Target tahunan", annual), *((f"Target TW {ROMAN[q]}", t) for q, t in enumerate(tws, 1))]
    for label, t in labelled:
        if t.kind == "invalid":
            out.append(f"{label}: {t.problem}")
        elif t.kind == "qualitative" and _order_of(t.category, rules) is None:
            known = "; ".join(" < ".join(o) for o in rules.qualitative_orders)
            out.append(f'{label}: kategori "{t.category}" tidak dikenal (dikenal: {known}).')
        elif pol == "positif" and t.kind == "number" and t.value == 0:
            out.append(f"{label}: target 0 pada indikator positif membuat capaian tidak dapat dihitung.")
    if annual.kind == "none":
        out.append("Target tahunan kosong; isi target tahunan.")
    defined = [t for t in tws if t.kind != "none"]
    if not defined:
        out.append('Tidak ada target triwulan; isi target pada triwulan pengukurannya ("-" bila tidak '
                   "diukur).")
    if out:
        return out
    kinds = {t.kind for t in defined} | {annual.kind}
    if len(kinds) > 1:
        return ["Jenis target tidak seragam (angka, rentang atau kategori) antara target tahunan dan "
                "triwulan."]
    if annual.kind == "qualitative":
        if defined[-1].category != annual.category:
            out.append(f'Target triwulan terakhir "{defined[-1].category}" tidak sama dengan target '
                       f'tahunan "{annual.category}".')
        return out
    if ind.konvensi_target == "per_triwulan":
        total = _combine(tws)
        if not _same(total, annual):
            hint = "" if ind.konsolidasi == "jumlah" else (
                f" Untuk konsolidasi {ind.konsolidasi} target triwulan tidak dijumlahkan: gunakan konvensi "
                "kumulatif.")
            out.append(f"Jumlah target TW I–IV ({total.display}) tidak sama dengan target tahunan "
                       f"({annual.display}).{hint}")
    elif ind.konvensi_target == "kumulatif":
        series = [(t.value, t.value) if t.kind == "number" else (t.low, t.high) for t in defined]
        pairs = list(itertools.pairwise(series))
        up = all((b[0] or 0) >= (a[0] or 0) and (b[1] or 0) >= (a[1] or 0) for a, b in pairs)
        down = all((b[0] or 0) <= (a[0] or 0) and (b[1] or 0) <= (a[1] or 0) for a, b in pairs)
        if not up and not (pol == "negatif" and down):
            arah = "tidak boleh turun" if pol != "negatif" else "harus konsisten naik atau turun"
            out.append(f"Target kumulatif (s.d. triwulan) {arah}: "
                       f"{', '.join(t.display for t in defined)}.")
        last = defined[-1]
        if not _same(last, annual):
            out.append(f"Target kumulatif triwulan terakhir ({last.display}) harus sama dengan target "
                       f"tahunan ({annual.display}).")
    return out
