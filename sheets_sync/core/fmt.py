"""Indonesian formatting for documents, e-mails and status pages (tata naskah dinas conventions).

==================================  ==========================================
call                                result
==================================  ==========================================
``angka(1234567.891)``              ``1.234.567,89``   (``None`` → ``–``)
``angka(2400, 0)``                  ``2.400``
``bulat(2400.0)`` / ``bulat(72.5)``  ``2.400`` / ``72,50`` (decimals only when not whole)
``persen(85.5)``                    ``85,50%``
``rupiah(1234567)``                 ``Rp1.234.567``    (negative: ``-Rp1.234.567``)
``tanggal(date(2025, 2, 24))``      ``24 Februari 2025``
``tanggal_jam(aware datetime)``     ``24 Februari 2025 pukul 14.05 WIB``
``tempat_tanggal("Sukamaju", d)``   ``Sukamaju, 24 Februari 2025``
``nip("196901032003121005")``       ``19690103 200312 1 005`` (not 18 digits → returned unchanged)
``hari(d)``                         ``Senin`` … ``Minggu``
``tanggal(d, "en")``                ``24 February 2025`` (the CLI under ``--lang en``; also ``hari``, ``tanggal_jam``)
``roman(4)``                        ``IV``
==================================  ==========================================

A value that is not finite (NaN, infinity) prints as ``–``, like a missing one; any finite value, however
large, prints in full.  Rounding is half-up on the decimal value as written (``Decimal(repr(x))``), never
banker's rounding:
``angka(0.125)`` → ``0,13``, ``angka(2.675)`` → ``2,68``.  Negative numbers use ``-``; a value that rounds
to zero never prints as ``-0,00``.

Times: :func:`tanggal_jam` refuses naive datetimes.  The zone abbreviation comes from the zone name
(Asia/Jakarta, Asia/Pontianak → WIB; Asia/Makassar → WITA; Asia/Jayapura → WIT); a fixed offset of
+7/+8/+9 hours maps to WIB/WITA/WIT; anything else prints as ``UTC+hh.mm``.
"""

from __future__ import annotations

import functools
import math
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal

__all__ = [
    "BULAN",
    "HARI",
    "angka",
    "bulat",
    "hari",
    "nip",
    "persen",
    "roman",
    "round_half_up",
    "rupiah",
    "tanggal",
    "tanggal_jam",
    "tempat_tanggal",
    "zona",
]

NONE_MARK = "–"

BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Ujung_Pandang": "WITA",
    "Asia/Jayapura": "WIT",
}
_ZONE_OFFSETS = {7: "WIB", 8: "WITA", 9: "WIT"}


def _decimal(x: float | int | Decimal, decimals: int) -> Decimal:
    """``x`` quantized half-up to ``decimals`` places, with enough precision for any finite value
    (the default 28 digits would raise ``InvalidOperation`` on 1e25 with two decimals)."""
    d = x if isinstance(x, Decimal) else Decimal(repr(x)) if isinstance(x, float) else Decimal(x)
    digits = max(d.adjusted(), 0) + decimals + 2
    q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=Context(prec=max(28, digits)))
    return q if q != 0 else abs(q)


def _finite(x: float | int | Decimal) -> bool:
    return x.is_finite() if isinstance(x, Decimal) else not isinstance(x, float) or math.isfinite(x)


def round_half_up(x: float, decimals: int = 2) -> float:
    """``x`` rounded half-up to ``decimals`` places (as it would be printed); a value that is not
    finite is returned as it is."""
    return float(_decimal(x, decimals)) if _finite(x) else float(x)


def _group(digits: str) -> str:
    out = []
    while len(digits) > 3:
        out.append(digits[-3:])
        digits = digits[:-3]
    out.append(digits)
    return ".".join(reversed(out))


def angka(x: float | int | None, decimals: int = 2) -> str:
    """``1.234.567,89``: dots group thousands, comma before ``decimals`` places; ``None`` → ``–``.

    Floats and ints are memoised by value and type: a document prints the same few targets, realisasi and
    percentages thousands of times, and the half-up quantisation through :class:`~decimal.Decimal` is the
    costly part.  The text depends on the value only (``-0.0`` and ``0.0`` both print ``0``)."""
    if x is None:
        return NONE_MARK
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    return _angka_memo(x, decimals) if isinstance(x, float | int) else _angka(x, decimals)


def _angka(x: float | int | Decimal, decimals: int) -> str:
    if not _finite(x):
        return NONE_MARK  # never printed as a number: checks report such input as nilai_tidak_valid
    q = _decimal(x, decimals)
    sign = "-" if q < 0 else ""
    text = f"{abs(q):.{decimals}f}"
    whole, _, frac = text.partition(".")
    return f"{sign}{_group(whole)}" + (f",{frac}" if decimals else "")


_angka_memo = functools.lru_cache(maxsize=1 << 16, typed=True)(_angka)


def bulat(x: float | int | None, decimals: int = 2) -> str:
    """Whole numbers without decimals (``2.400``); others with ``decimals`` places (``72,50``)."""
    if x is None or not _finite(x):
        return NONE_MARK
    if _decimal(x, decimals) == _decimal(x, 0):
        return angka(x, 0)
    return angka(x, decimals)


def persen(x: float | int | None, decimals: int = 2) -> str:
    """``85,50%``; ``None`` → ``–``."""
    if x is None:
        return NONE_MARK
    return f"{angka(x, decimals)}%"


def rupiah(x: float | int | None) -> str:
    """``Rp1.234.567`` (whole rupiah, half-up); negative ``-Rp1.234.567``; ``None`` → ``–``."""
    if x is None:
        return NONE_MARK
    text = angka(x, 0)
    if text.startswith("-"):
        return f"-Rp{text[1:]}"
    return f"Rp{text}"


def tanggal(d: date | datetime, lang: str = "id") -> str:
    """``24 Februari 2025``; ``lang="en"``: ``24 February 2025`` (any other language: Indonesian)."""
    return f"{d.day} {(MONTHS_EN if lang == 'en' else BULAN)[d.month - 1]} {d.year}"


def hari(d: date | datetime, lang: str = "id") -> str:
    """Indonesian weekday name: ``Senin`` … ``Minggu``; ``lang="en"``: ``Monday`` … ``Sunday``."""
    return (DAYS_EN if lang == "en" else HARI)[d.weekday()]


def zona(dt: datetime) -> str:
    """Zone abbreviation of an aware datetime: WIB/WITA/WIT, else ``UTC+hh.mm``."""
    tz = dt.tzinfo
    if tz is None or dt.utcoffset() is None:
        raise ValueError("tanggal_jam needs a time-zone-aware datetime (never naive)")
    key = getattr(tz, "key", None)
    if isinstance(key, str) and key in _ZONE_NAMES:
        return _ZONE_NAMES[key]
    offset = dt.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if key is None and minutes % 60 == 0 and minutes // 60 in _ZONE_OFFSETS:
        return _ZONE_OFFSETS[minutes // 60]
    sign = "+" if minutes >= 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h:02d}.{m:02d}"


def tanggal_ringkas(dt: datetime, lang: str = "id", *, year: bool = True) -> str:
    """The compact form for table cells: ``08-04-2025 16.00`` (``08-04-2025 16:00`` in English, whose times
    take a colon); ``year=False``: ``08-04 16.00``."""
    day = f"{dt:%d-%m-%Y}" if year else f"{dt:%d-%m}"
    return f"{day} {dt:%H:%M}" if lang == "en" else f"{day} {dt:%H.%M}"


def tanggal_jam(dt: datetime, lang: str = "id") -> str:
    """``24 Februari 2025 pukul 14.05 WIB``, in the datetime's own zone; naive → ValueError.
    ``lang="en"``: ``24 February 2025 at 14:05 WIB``."""
    z = zona(dt)
    if lang == "en":
        return f"{tanggal(dt, lang)} at {dt.hour:02d}:{dt.minute:02d} {z}"
    return f"{tanggal(dt)} pukul {dt.hour:02d}.{dt.minute:02d} {z}"


def tempat_tanggal(kota: str, d: date | datetime) -> str:
    """``Sukamaju, 24 Februari 2025`` (place and date line above a signature)."""
    return f"{kota.strip()}, {tanggal(d)}"


def nip(s: str) -> str:
    """NIP printed 8-6-1-3 (``19690103 200312 1 005``); anything but 18 digits is returned unchanged."""
    digits = "".join(s.split())
    if len(digits) != 18 or not digits.isascii() or not digits.isdigit():
        return s
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)


def roman(n: int) -> str:
    """Roman numeral for 1–3999 (``TW IV``, ``Bab III``); other values → ValueError."""
    if isinstance(n, bool) or not 1 <= n <= 3999:
        raise ValueError(f"roman numerals cover 1–3999, not {n!r}")
    out = []
    for value, sym in _ROMAN:
        count, n = divmod(n, value)
        out.append(sym * count)
    return "".join(out)
