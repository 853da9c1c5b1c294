"""SAKIP arithmetic for one value against one target: parsing targets, capaian, predikat.  No I/O.

Part of :mod:`sheets_sync.core.capaian` (import from there); quarter roll-up lives in
:mod:`sheets_sync.core.capaian.rollup` and master-row target checks in :mod:`sheets_sync.core.capaian.targets`.

Every :class:`Capaian` carries the formula text that produced it so documents print the rule used.
``value`` is the raw percentage, never rounded and never capped; only :func:`capped`, :func:`predikat`
and the means (:func:`mean_capaian`, :func:`sheets_sync.core.capaian.rollup.capaian_sasaran`) apply ``Rules.cap``.

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

One quarter (:func:`quarter_capaian`): TW n realisasi against Target TW n; for ``rasio`` indicators with
pembilang and penyebut, R = pembilang / penyebut × 100 of that quarter alone (penyebut 0 → "na").

Targets (:func:`parse_target`): ``72,50``, ``2.400``, ``85%`` (numbers as in :mod:`sheets_sync.core.parse`);
``80–90``, ``80-90``, ``80 s.d. 90`` (ranges; a trailing unit word such as ``bulan`` is ignored);
text without digits is a qualitative category; ``-``/empty → none; anything else → ``kind="invalid"``.

Predikat (:func:`predikat`): half-open bands on the capped value rounded half-up to 2 decimals (the
printed precision, so ``90,996`` → ``91,00%`` → Sangat Tinggi).  Scales: ``permendagri86`` (default),
``baik`` (same bands), ``berhasil`` (4 levels).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from sheets_sync.core.fmt import bulat, round_half_up
from sheets_sync.core.parse import parse_number
from sheets_sync.errors import ConfigError
from sheets_sync.model import NOT_MEASURED_MARKS, POLARITAS, ROMAN, Indicator

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
    if not math.isfinite(value):  # e.g. 1e307 / 1e-300: never a number to print or average
        return _err("Capaian tidak dapat dihitung: hasilnya bukan angka terhingga. Periksa realisasi dan target.",
                    formula)
    return Capaian(value, formula, "ok", note)


def _err(note: str, formula: str = "") -> Capaian:
    return Capaian(None, formula, "error", note)


def _na(note: str, formula: str = "") -> Capaian:
    return Capaian(None, formula, "na", note)


_RANGE = re.compile(r"^(?P<a>[+\-−]?[\d.,]+\s*%?)\s*(?:–|—|-|s\.?\s?d\.?|s/d|sampai(?:\s+dengan)?)\s*"
                    r"(?P<b>[+\-−]?[\d.,]+\s*%?)$", re.IGNORECASE)
_UNIT = re.compile(r"^(?P<num>.*?\d\s*%?)\s+(?P<unit>[^\W\d_][^\d]*)$")


@functools.lru_cache(maxsize=1 << 16, typed=True)
def parse_target(raw: str) -> Target:
    """Interpret a target cell (see the module docstring).  Never raises.

    Pure and returning a frozen value, so it is memoised by the cell text: validation, roll-ups and
    every document edition ask for the same targets many times (9× per indicator in one render)."""
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
