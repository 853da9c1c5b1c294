"""SAKIP arithmetic for one value against one target: parsing targets, capaian, predikat.  No I/O.

Part of :mod:`sheets_sync.core.capaian` (import from there); quarter roll-up lives in
:mod:`sheets_sync.core.capaian.rollup` and master-row target checks in :mod:`sheets_sync.core.capaian.targets`.

Every :class:`Capaian` carries the formula text that produced it so documents print the rule used.
``value`` is the raw percentage, never rounded and never capped; only :func:`capped`, :func:`predikat`
and the means (:func:`mean_capaian`, :func:`sheets_sync.core.capaian.rollup.capaian_sasaran`) apply ``Rules.cap``.

Capaian (:func:`compute`), with T = target and R = realisasi
    * positif: ``R / T × 100``; target 0 or a negative target → ``status="error"`` (never a number).
    * negatif, varian A (default, PermenPAN-RB 6/2022): ``(2T − R) / T × 100``.
    * negatif, varian B: ``T / R × 100``; R = 0 → ``status="error"`` with a note (no division).
    * negatif, tren negatif (wp-eval-sakip): ``(T − R) / T × 100``.
    * the negatif formula is the office default (``Rules.negatif_variant``) unless the indicator names its
      own (``rumus=`` of :func:`compute`, the master's ``Rumus Negatif`` column).
    * never below 0: a formula giving less than 0 (A when R > 2T, tren when R > T) yields ``value`` 0 with
      ``raw`` = the computed value and a note naming both and the formula.
    * negatif with target 0 (every formula): 100 when R = 0, else 0.
    * threshold ``≥ x`` / ``min. x`` / ``> x`` / ``≤ x`` / ``maks. x`` / ``< x``: 100 when met, otherwise the
      polarity's formula against x (the note says which).
    * R = 0 against T > 0 on a positif indicator with ``Rules.realisasi_nol == "tidak_dihitung"`` →
      ``status="na"`` (printed "–", left out of means).
    * range ``80–90`` / ``7–8 bulan``: R inside → 100; below → the formula against the lower bound;
      above → against the upper bound (for negatif: below the range scores > 100, above < 100).
    * qualitative (``BB``, ``WTP``): 100 when the realised category ranks ≥ the target in its order
      (``Rules.qualitative_orders``, low → high; ``Rules.synonyms`` maps other spellings such as
      "Wajar Tanpa Pengecualian" to ``WTP``), else 0; unknown categories → ``status="error"``.
    * no target (``-``) / empty or ``-`` realisasi → ``status="na"`` with a note and a ``reason``
      (``tidak_diukur``, ``belum_diisi``, ``penyebut_nol``, ``tanpa_target``, ``nol_tidak_dihitung``) so that
      "not measured", "not filled" and "0/0" each keep their own note; invalid input → "error".
      :attr:`Capaian.display` prints ``85,50%``, ``–`` (not measured / not counted) or ``N/A``.

One quarter (:func:`quarter_capaian`): TW n realisasi against Target TW n; for ``rasio`` indicators with
pembilang and penyebut, R = pembilang / penyebut × 100 of that quarter alone (penyebut 0 → "na").

Targets (:func:`parse_target`): ``72,50``, ``2.400``, ``85%`` (numbers as in :mod:`sheets_sync.core.parse`);
``80–90``, ``80-90``, ``80 s.d. 90`` (ranges; a trailing unit word such as ``bulan`` is ignored);
``≥ 80``, ``>= 80``, ``min. 80``, ``minimal 80``, ``> 80``, ``≤ 5``, ``<= 5``, ``maks. 5``, ``maksimal 5``,
``< 5`` (thresholds); text without digits is a qualitative category; ``-``/empty → none; anything else →
``kind="invalid"``.

Predikat (:func:`predikat`): bands (``≥`` half-open or ``>`` strict) on the capped value rounded half-up to
2 decimals (the printed precision, so ``90,996`` → ``91,00%`` → Sangat Tinggi).  Shipped scales
(:data:`SCALES`): ``permendagri86`` (default), ``baik`` (same bands), ``berhasil`` (4 levels),
``maluku_tengah`` (6 levels, strict); an office adds its own (``Rules.scales``, :func:`scale_from_bands`).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Literal

from sheets_sync.core.fmt import angka, bulat, persen, round_half_up
from sheets_sync.core.parse import parse_number
from sheets_sync.errors import ConfigError
from sheets_sync.model import NOT_MEASURED_MARKS, POLARITAS, ROMAN, Indicator
from sheets_sync.texts import Text

F_POSITIF = "R / T × 100 (positif)"
F_NEG_A = "(2T − R) / T × 100 (negatif, varian A — PermenPAN-RB 6/2022)"
F_NEG_B = "T / R × 100 (negatif, varian B)"
F_TREN = "(T − R) / T × 100 (negatif, tren negatif — wp-eval-sakip)"
F_ZERO_NEG = "target 0 (negatif): 100 bila R = 0, selain itu 0"
F_RASIO = "R = pembilang / penyebut × 100"

NegatifVariant = Literal["A", "B", "tren"]
"""The office-wide formula for negatif indicators (``[rules] negatif_variant``)."""
RealisasiNol = Literal["hitung", "tidak_dihitung"]
"""How R = 0 against T > 0 counts (``[rules] realisasi_nol``)."""
RUMUS_NEGATIF: dict[str, str] = {"A": F_NEG_A, "B": F_NEG_B, "tren": F_TREN}
"""Negative-polarity formulas by the name an office or the master's ``Rumus Negatif`` column uses."""

_RUMUS_WORDS = {"a": "A", "varian a": "A", "b": "B", "varian b": "B", "tren": "tren", "tren negatif": "tren",
                "c": "tren"}


def rumus_of(text: str) -> str | None:
    """``A``, ``B`` or ``tren`` from what a person typed (``a``, ``Varian B``, ``tren negatif``); empty → "";
    anything else → None."""
    t = " ".join(str(text or "").split()).lower()
    return "" if not t else _RUMUS_WORDS.get(t)


@dataclass(frozen=True)
class Scale:
    """A predikat scale: ``bands`` high → low as (``">="`` or ``">"``, threshold, label), ``floor`` = the
    label below the last band, ``description`` for the document's notes."""

    bands: tuple[tuple[str, float, str], ...]
    floor: str
    description: str

    @property
    def labels(self) -> tuple[str, ...]:
        return (*(label for _, _, label in self.bands), self.floor)

    def text(self) -> str:
        """``≥ 91 Sangat Tinggi · … · selain itu Sangat Rendah``."""
        ops = {">=": "≥", ">": ">"}
        return " · ".join([f"{ops[o]} {bulat(t)} {label}" for o, t, label in self.bands]
                          + [f"selain itu {self.floor}"])


SCALES: dict[str, Scale] = {
    "permendagri86": Scale(((">=", 91, "Sangat Tinggi"), (">=", 76, "Tinggi"), (">=", 66, "Sedang"),
                            (">=", 51, "Rendah")), "Sangat Rendah", "Permendagri 86/2017"),
    "baik": Scale(((">=", 91, "Sangat Baik"), (">=", 76, "Baik"), (">=", 66, "Cukup"), (">=", 51, "Kurang")),
                  "Sangat Kurang", "Sangat Baik–Sangat Kurang (pita Permendagri 86/2017)"),
    "berhasil": Scale(((">=", 100, "Sangat Berhasil"), (">=", 75, "Berhasil"), (">=", 55, "Cukup Berhasil")),
                      "Kurang Berhasil", "Berhasil (4 tingkat)"),
    "maluku_tengah": Scale(((">", 85, "Memuaskan"), (">", 75, "Sangat Baik"), (">", 65, "Baik"),
                            (">", 50, "Cukup Baik"), (">", 30, "Agak Kurang")), "Kurang",
                           "6 tingkat (LKjIP Kab. Maluku Tengah 2021)"),
}
"""The shipped predikat scales by name; an office adds its own through ``Rules.scales``."""

_BAND = re.compile(r"^\s*(?P<op>≥|>=|=>|>)\s*(?P<num>[\d.,]+)\s*%?\s+(?P<label>\S.*?)\s*$")


def scale_from_bands(items: Sequence[str], description: str = "") -> Scale:
    """A scale written as the config writes it: ``["> 85 Memuaskan", "≥ 60 Cukup", "Kurang"]`` (bands high →
    low, ``≥`` or ``>``; the last item is the label below every band).  Raises :class:`ConfigError`."""
    items = [str(i) for i in items]
    if len(items) < 2:
        raise ConfigError("skala predikat butuh sedikitnya satu pita dan satu label terbawah",
                          fix='contoh: ["≥ 91 Sangat Tinggi", "≥ 76 Tinggi", "Rendah"]')
    bands: list[tuple[str, float, str]] = []
    for item in items[:-1]:
        m = _BAND.match(item)
        p = parse_number(m.group("num")) if m else None
        if not m or p is None or p.value is None:
            raise ConfigError(f"pita predikat {item!r} tidak dapat dibaca", fix='tulis seperti "≥ 91 Sangat Tinggi"')
        if bands and p.value > bands[-1][1]:
            raise ConfigError(f"pita predikat {item!r} harus urut dari nilai tertinggi ke terendah",
                              fix="urutkan pita dari yang tertinggi")
        bands.append((">" if m.group("op") == ">" else ">=", p.value, m.group("label")))
    floor = items[-1].strip()
    if _BAND.match(floor) or not floor:
        raise ConfigError(f"label terbawah skala predikat {floor!r} tidak sah",
                          fix='akhiri dengan label saja, mis. "Kurang"')
    return Scale(tuple(bands), floor, description or " · ".join(items))


def parse_order(text: str) -> tuple[str, ...]:
    """A qualitative order as the config writes it, high → low (``"WTP > WDP > TW > TMP"``), returned low →
    high and upper-cased, the way :attr:`Rules.qualitative_orders` holds it."""
    return tuple(" ".join(p.split()).upper() for p in reversed(str(text).split(">")) if p.strip())


DEFAULT_ORDERS: tuple[tuple[str, ...], ...] = (
    ("D", "C", "CC", "B", "BB", "A", "AA"),
    ("TMP", "TW", "WDP", "WTP"),
    ("TIDAK TERCAPAI", "TERCAPAI"),
    ("SANGAT KURANG", "KURANG", "CUKUP", "BAIK", "SANGAT BAIK"),
)
"""Predikat SAKIP, opini BPK, tercapai/tidak and the five-word quality scale (each low → high)."""

DEFAULT_SYNONYMS: dict[str, str] = {
    "WAJAR TANPA PENGECUALIAN": "WTP", "WAJAR DENGAN PENGECUALIAN": "WDP", "TIDAK WAJAR": "TW",
    "TIDAK MENYATAKAN PENDAPAT": "TMP", "DISCLAIMER": "TMP", "BELUM TERCAPAI": "TIDAK TERCAPAI",
}

MAX_DECIMALS = 4


def typed_decimals(x: float) -> int:
    """Decimals of the shortest text that reads back as ``x`` (``16.2`` → 1, ``1/3`` → 16)."""
    exp = Decimal(repr(float(x))).normalize().as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def number_text(x: float | None, decimals: int | None = None) -> str:
    """``x`` with ``decimals`` places (default: as typed, at most 4), trailing zeros dropped (``0,0417``,
    ``16,2``, ``2.400``); None → ``–``."""
    if x is None:
        return NA_MARK
    return _number_text(x, decimals)


@functools.lru_cache(maxsize=1 << 16, typed=True)
def _number_text(x: float, decimals: int | None) -> str:
    # memoised like angka: the decimals "as typed" come from the value's shortest repr, a Decimal each time
    d = min(MAX_DECIMALS, typed_decimals(x)) if decimals is None else decimals
    text = angka(x, d)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


NA_MARK = "–"
DASH_REASONS = frozenset({"tidak_diukur", "tanpa_target", "nol_tidak_dihitung"})
"""Reasons printed ``–`` (nothing to count); every other missing capaian prints ``N/A``."""


@dataclass(frozen=True)
class Target:
    """A target as typed and as understood.  ``number``: ``value``; ``range``: ``low``/``high``;
    ``qualitative``: ``category`` (upper-cased); ``none``: not measured; ``invalid``: see ``problem``."""

    kind: Literal["number", "range", "threshold", "qualitative", "none", "invalid"]
    value: float | None = None
    op: str = ""  # threshold: ">=", ">", "<=", "<"
    low: float | None = None
    high: float | None = None
    category: str = ""
    text: str = ""
    problem: Text | None = None

    @property
    def display(self) -> str:
        """Indonesian text for documents, with the decimals typed (``2.400``, ``72,5``, ``80–90``, ``≥ 80``,
        ``BB``, ``–``)."""
        if self.kind == "number":
            return number_text(self.value)
        if self.kind == "range":
            return f"{number_text(self.low)}–{number_text(self.high)}"
        if self.kind == "threshold":
            return f"{_OP_SIGN[self.op]} {number_text(self.value)}"
        if self.kind == "qualitative":
            return self.category
        return NA_MARK if self.kind == "none" else self.text


@dataclass(frozen=True)
class Rules:
    """Per-office capaian settings; invalid values raise :class:`ConfigError`."""

    negatif_variant: NegatifVariant = "A"
    cap: float | None = 120.0
    scale: str = "permendagri86"
    include_qualitative: bool = False
    qualitative_orders: tuple[tuple[str, ...], ...] = DEFAULT_ORDERS
    synonyms: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_SYNONYMS))
    scales: Mapping[str, Scale] = field(default_factory=dict)
    realisasi_nol: RealisasiNol = "hitung"

    def __post_init__(self) -> None:
        if self.negatif_variant not in RUMUS_NEGATIF:
            raise ConfigError(f"varian negatif {self.negatif_variant!r} tidak dikenal", fix="isi A, B atau tren")
        if self.cap is not None and not (math.isfinite(self.cap) and self.cap > 0):
            raise ConfigError(f"batas capaian {self.cap!r} tidak sah", fix="isi angka > 0 atau kosongkan")
        if self.scale not in SCALES and self.scale not in self.scales:
            raise ConfigError(f"skala predikat {self.scale!r} tidak dikenal",
                              fix=f"pilih {', '.join([*SCALES, *self.scales])}")
        if self.realisasi_nol not in ("hitung", "tidak_dihitung"):
            raise ConfigError(f"realisasi_nol {self.realisasi_nol!r} tidak dikenal",
                              fix="isi hitung atau tidak_dihitung")

    @property
    def scale_def(self) -> Scale:
        """The predikat scale in use (an office's own, else a shipped one)."""
        return self.scales.get(self.scale) or SCALES[self.scale]

    @functools.cached_property
    def _synonyms_upper(self) -> dict[str, str]:
        return {" ".join(k.split()).upper(): " ".join(v.split()).upper() for k, v in self.synonyms.items()}

    def canon(self, category: str) -> str:
        """A category as compared: upper-cased, spaces collapsed, synonyms resolved (``Wajar Tanpa
        Pengecualian`` → ``WTP``)."""
        c = " ".join(str(category).split()).upper()
        return self._synonyms_upper.get(c, c)

    def describe(self) -> str:
        """One Indonesian sentence stating the rules used, for a document's notes."""
        neg = RUMUS_NEGATIF[self.negatif_variant]
        cap = f"dibatasi {bulat(self.cap)}%" if self.cap is not None else "tanpa batas atas"
        s = self.scale_def
        return (f"Capaian positif = {F_POSITIF}; negatif = {neg} (kecuali indikator yang menetapkan rumusnya "
                f"sendiri). Capaian di bawah 0 dicetak 0,00%. Nilai untuk rata-rata dan predikat {cap}; "
                f"predikat menurut {s.description}: {s.text()}.")


@dataclass(frozen=True)
class Capaian:
    """``value`` = raw percent (unrounded, uncapped) when ``status == "ok"``; ``formula`` = rule used;
    ``note`` = why the value is missing (``na``/``error``) or a remark, in Indonesian (documents); ``text``
    the same as a :class:`Text` when it was made as one, so a finding can word it in the CLI's language
    (:attr:`worded`; no part in equality)."""

    value: float | None
    formula: str
    status: Literal["ok", "na", "error"]
    note: str = ""
    raw: float | None = None  # the value the formula gave when it was floored at 0
    reason: str = ""  # na: tidak_diukur, belum_diisi, penyebut_nol, tanpa_target, nol_tidak_dihitung
    text: Text | None = field(default=None, compare=False, repr=False)

    @property
    def worded(self) -> str | Text:
        """The note as a field of a finding's :class:`Text`: its Text when it has one, else the Indonesian."""
        return self.text if self.text is not None else self.note

    @property
    def display(self) -> str:
        """``85,50%``; ``–`` when there is nothing to count (not measured, no target); ``N/A`` otherwise."""
        if self.status == "ok":
            return persen(self.value)
        return NA_MARK if self.reason in DASH_REASONS else "N/A"


def _ok(value: float, formula: str, note: str = "") -> Capaian:
    if not math.isfinite(value):  # e.g. 1e307 / 1e-300: never a number to print or average
        return error_result(
            Text("Capaian tidak dapat dihitung: hasilnya bukan angka terhingga. Periksa realisasi dan target."),
            formula)
    if value < 0:
        floored = Text("Capaian menurut rumus {capaian} (nilai mentah, {formula}); dicetak 0,00% karena capaian "
                       "tidak pernah di bawah 0.", capaian=persen(value), formula=formula)
        return Capaian(0.0, formula, "ok", str(floored), raw=value, text=floored)
    return Capaian(value, formula, "ok", note)


def error_result(note: str | Text, formula: str = "") -> Capaian:
    """A capaian that cannot be computed because an input is wrong (``note`` says which)."""
    return Capaian(None, formula, "error", str(note), text=note if isinstance(note, Text) else None)


def na_result(note: str | Text, formula: str = "", reason: str = "") -> Capaian:
    """A capaian that does not apply (not measured, no target, empty, 0/0): ``reason`` is its machine name."""
    return Capaian(None, formula, "na", str(note), reason=reason, text=note if isinstance(note, Text) else None)


NOT_MEASURED_NOTE = Text("Tidak diukur pada periode ini.")
EMPTY_NOTE = Text("Realisasi belum diisi.")


_UNREADABLE = Text("tidak dapat dibaca.")

_RANGE = re.compile(r"^(?P<a>[+\-−]?[\d.,]+\s*%?)\s*(?:–|—|-|s\.?\s?d\.?|s/d|sampai(?:\s+dengan)?)\s*"
                    r"(?P<b>[+\-−]?[\d.,]+\s*%?)$", re.IGNORECASE)
_UNIT = re.compile(r"^(?P<num>.*?\d\s*%?)\s+(?P<unit>[^\W\d_][^\d]*)$")
_THRESHOLD = re.compile(r"^(?P<op>≥|>=|=>|≤|<=|=<|>|<|min(?:imal|imum)?\.?|paling\s+sedikit|"
                        r"maks(?:imal|imum)?\.?|max(?:imal|imum)?\.?|paling\s+banyak)\s*(?P<rest>[+\-−]?\d.*)$",
                        re.IGNORECASE)
_OP_WORDS = {"≥": ">=", ">=": ">=", "=>": ">=", ">": ">", "≤": "<=", "<=": "<=", "=<": "<=", "<": "<"}
_OP_SIGN = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def _op(word: str) -> str:
    w = " ".join(word.lower().split())
    if w in _OP_WORDS:
        return _OP_WORDS[w]
    return ">=" if w.startswith(("min", "paling sedikit")) else "<="


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
    th = _THRESHOLD.match(s)
    op = ""
    if th:
        op, s = _op(th.group("op")), th.group("rest").strip()
    m = _UNIT.match(s)
    if m and not s.lower().startswith("rp"):
        s = m.group("num")
    if op:
        p = parse_number(s)
        if p.kind == "number" and p.value is not None:
            return Target("threshold", value=p.value, op=op, text=text)
        return Target("invalid", text=text, problem=Text('Target ambang "{text}": {problem}', text=text,
                                                         problem=p.problem or _UNREADABLE))
    r = _RANGE.match(s)
    if r:
        a, b = parse_number(r.group("a")), parse_number(r.group("b"))
        for p in (a, b):
            if p.kind != "number":
                return Target("invalid", text=text, problem=Text('Target "{text}": {problem}', text=text,
                                                                 problem=p.problem or _UNREADABLE))
        assert a.value is not None and b.value is not None
        if a.value > b.value:
            return Target("invalid", text=text,
                          problem=Text('Target rentang "{text}": batas bawah lebih besar dari batas atas.', text=text))
        return Target("range", low=a.value, high=b.value, text=text)
    p = parse_number(s)
    if p.kind == "number":
        return Target("number", value=p.value, text=text)
    return Target("invalid", text=text, problem=Text('Target "{text}": {problem}', text=text,
                                                     problem=p.problem or _UNREADABLE))


def _against(t: float, r: float, polaritas: str, variant: str) -> Capaian:
    """The polarity's formula of ``r`` against one number ``t`` (``variant``: A, B or tren)."""
    if t < 0:
        return error_result(Text("Target bernilai negatif; capaian tidak dapat dihitung. Periksa target."))
    if polaritas == "positif":
        if t == 0:
            return error_result(Text("Target 0 pada indikator positif: capaian (R / T) tidak dapat dihitung. "
                                     "Periksa target atau polaritas indikator."), F_POSITIF)
        return _ok(r / t * 100, F_POSITIF)
    if t == 0:
        return _ok(100.0 if r == 0 else 0.0, F_ZERO_NEG)
    if variant == "A":
        return _ok((2 * t - r) / t * 100, F_NEG_A)
    if variant == "tren":
        return _ok((t - r) / t * 100, F_TREN)
    if r <= 0:
        return error_result(Text("Realisasi {r} pada rumus varian {b} (T / R) tidak dapat dihitung (pembagian dengan "
                                 "nol). Ditandai untuk ditinjau; varian {a} ((2T − R) / T) tetap terdefinisi.",
                                 r=bulat(r), a="A", b="B"), F_NEG_B)
    return _ok(t / r * 100, F_NEG_B)


def realised_number(realisasi: float | str | None) -> float | Capaian:
    """A realisasi as a number, or the capaian that says why it is none (empty, not measured, not a number)."""
    if realisasi is None:
        return na_result(EMPTY_NOTE, reason="belum_diisi")
    if isinstance(realisasi, bool):
        return error_result(Text("Realisasi bukan angka."))
    if isinstance(realisasi, int | float):
        return float(realisasi) if math.isfinite(realisasi) else error_result(Text("Realisasi bukan angka yang sah."))
    p = parse_number(realisasi)
    if p.kind == "number" and p.value is not None:
        return p.value
    if p.kind == "empty":
        return na_result(EMPTY_NOTE, reason="belum_diisi")
    if p.kind == "not_measured":
        return na_result(NOT_MEASURED_NOTE, reason="tidak_diukur")
    return error_result(p.problem or _UNREADABLE)


def order_of(category: str, rules: Rules) -> tuple[str, ...] | None:
    """The office's qualitative order (worst to best) that holds ``category``, or None."""
    c = rules.canon(category)
    return next((o for o in rules.qualitative_orders if c in o), None)


def known_orders(rules: Rules) -> str:
    """The categories an office knows, for messages (``AA > A > … ; WTP > WDP > TW > TMP``)."""
    return "; ".join(" > ".join(reversed(o)) for o in rules.qualitative_orders)


def compute(target: Target, realisasi: float | str | None, polaritas: str, rules: Rules, *,
            rumus: str = "") -> Capaian:
    """Capaian of ``realisasi`` against ``target`` (see the module docstring); ``rumus`` (``A``, ``B``,
    ``tren``) is the indicator's own negative formula, empty = the office default.  Never raises."""
    pol = polaritas.strip().lower()
    if pol not in POLARITAS:
        return error_result(Text("Polaritas {typed} tidak dikenal; isi positif atau negatif.", typed=repr(polaritas)))
    if target.kind == "none":
        return na_result(Text("Tidak ada target pada periode ini."), reason="tanpa_target")
    if target.kind == "invalid":
        return error_result(target.problem or _UNREADABLE)
    if target.kind == "qualitative":
        return _qualitative(target, realisasi, rules)
    r = realised_number(realisasi)
    if isinstance(r, Capaian):
        return r
    variant = rumus_of(rumus) or rules.negatif_variant
    positive_target = (target.high if target.kind == "range" else target.value) or 0
    if pol == "positif" and r == 0 and positive_target > 0 and rules.realisasi_nol == "tidak_dihitung":
        return na_result(Text("Realisasi 0 tidak dihitung (pengaturan kantor realisasi_nol = tidak_dihitung); "
                              "tidak masuk rata-rata."), reason="nol_tidak_dihitung")
    if target.kind == "number":
        assert target.value is not None
        return _against(target.value, r, pol, variant)
    if target.kind == "threshold":
        assert target.value is not None
        x, op = target.value, target.op
        met = {">=": r >= x, ">": r > x, "<=": r <= x, "<": r < x}[op]
        where = f"target ambang {_OP_SIGN[op]} {bulat(x)}"
        if met:
            return _ok(100.0, f"{where}: R memenuhi ambang → 100")
        c = _against(x, r, pol, variant)
        return replace(c, formula=f"{where}, R tidak memenuhi ambang: T = {bulat(x)}; {c.formula}")
    assert target.low is not None and target.high is not None
    span = f"rentang {bulat(target.low)}–{bulat(target.high)}"
    if target.low <= r <= target.high:
        return _ok(100.0, f"{span}: R di dalam rentang → 100")
    bound, where = (target.low, "di bawah rentang: T = batas bawah") if r < target.low else (
        target.high, "di atas rentang: T = batas atas")
    c = _against(bound, r, pol, variant)
    return replace(c, formula=f"{span}, R {where} ({bulat(bound)}); {c.formula}")


def _qualitative(target: Target, realisasi: float | str | None, rules: Rules) -> Capaian:
    order = order_of(target.category, rules)
    if order is None:
        return error_result(Text('Kategori target "{category}" tidak dikenal. Kategori yang dikenal: {known}.',
                                 category=target.category, known=known_orders(rules)))
    formula = f"kategori: 100 bila realisasi ≥ target ({' > '.join(reversed(order))}), selain itu 0"
    if realisasi is None or (isinstance(realisasi, str) and not realisasi.strip()):
        return na_result(EMPTY_NOTE, formula, reason="belum_diisi")
    if not isinstance(realisasi, str):
        return error_result(Text("Realisasi {typed} bukan kategori ({order}).", typed=repr(realisasi),
                                 order=", ".join(reversed(order))), formula)
    if " ".join(realisasi.split()).lower() in NOT_MEASURED_MARKS:
        return na_result(NOT_MEASURED_NOTE, formula, reason="tidak_diukur")
    cat = rules.canon(realisasi)
    if cat not in order:
        return error_result(Text('Kategori realisasi "{typed}" tidak dikenal; pilih {order}.', typed=realisasi.strip(),
                                 order=", ".join(reversed(order))), formula)
    return _ok(100.0 if order.index(cat) >= order.index(rules.canon(target.category)) else 0.0, formula)


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
            return na_result(Text("N/A: penyebut TW {q} bernilai 0, rasio tidak terdefinisi.", q=ROMAN[quarter]),
                             F_RASIO, reason="penyebut_nol")
        c = compute(target, pembilang / penyebut * 100, ind.polaritas, rules, rumus=ind.rumus_negatif)
        return replace(c, formula=f"{F_RASIO}; {c.formula}" if c.formula else F_RASIO)
    return compute(target, realisasi, ind.polaritas, rules, rumus=ind.rumus_negatif)


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
    scale = rules.scale_def
    return next((label for op, t, label in scale.bands if (v > t if op == ">" else v >= t)), scale.floor)


def mean_capaian(values: Iterable[float | None], rules: Rules) -> float | None:
    """Mean of capped values, skipping None (capaian sasaran / organisasi); nothing → None."""
    vs = [c for c in (capped(v, rules) for v in values) if c is not None]
    return math.fsum(vs) / len(vs) if vs else None
