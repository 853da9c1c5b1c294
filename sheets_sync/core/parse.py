"""Cell content → value, Indonesian locale first, never a guess.

Everything a bidang types into a form passes through :func:`parse_number` (realisasi, pembilang,
penyebut) or :func:`parse_link` (bukti dukung).  Neither raises: every input yields a result whose
``kind`` says what it was, and an input that cannot be read with certainty becomes ``"invalid"`` with a
``problem`` in plain Indonesian that names the text and the accepted forms (see :data:`ACCEPTED_FORMS`).

Numbers (:func:`parse_number`)
------------------------------
* ``None`` / ``""`` / only spaces → ``"empty"`` (*belum diisi*; empty is never 0).
* ``int``/``float`` from the backend (unformatted read) → ``"number"`` as is; ``text`` keeps the value
  stringified without loss (``repr``; whole floats without ``.0``).  ``bool`` (a ticked checkbox),
  NaN and infinity → ``"invalid"``.
* Any number, typed or native, at or beyond ±10^15 (:data:`LIMIT`) or not finite (``1e400`` digits
  overflow to infinity) → ``"invalid"`` naming the number: nothing downstream ever sees it.
* ``-``, ``–``, ``—``, ``N/A``, ``n/a``, ``NA``, ``n.a.`` → ``"not_measured"`` (*tidak diukur*).
* Spaces, non-breaking and thin spaces around the text are trimmed; a leading ``Rp``/``Rp.`` and a
  trailing ``%`` are removed (``percent=True`` records the sign).  A leading ``-`` (or ``−``) is a minus.
* ``,`` is the decimal mark; ``.`` groups thousands:

  ========================  ===========  ===============================================
  typed                     value        why
  ========================  ===========  ===============================================
  ``1234`` / ``007``        1234 / 7     digits only
  ``1234,5``                1234.5       comma = decimal mark
  ``1.234,5``               1234.5       dot groups of three, then decimal comma
  ``2.400``, ``1.234``      2400, 1234   dot followed by groups of exactly 3 digits = thousands
  ``1.234.567``             1234567      ditto
  ``72.50``, ``0.5``        72.5, 0.5    a single dot *not* followed by exactly 3 digits is a decimal point
  ``85,5%``                 85.5         ``percent=True``
  ``Rp 1.000.000,00``       1000000
  ``1,234``                 invalid      reads two ways (1,234 or 1234): write ``1234`` or ``1,2340``
  ``0,125`` / ``1234,567``  0.125 / …    a comma + 3 digits is only ambiguous after 1–3 digits not
                                         starting with 0 (otherwise it cannot be an English grouping)
  ``0.500``                 invalid      reads two ways (500 or 0,5)
  ``1234.567``, ``1.23.4``  invalid      dot groups that are not valid thousands groups
  ``1,234.5``               invalid      English order (comma before dot)
  ========================  ===========  ===============================================

* Formulas (``=SUM(A1)``), spreadsheet errors (``#REF!``, ``#N/A``, ``#DIV/0!``), words
  (``delapan puluh``), ``85..5``, ``1,2,3``, exponents and internal spaces → ``"invalid"``.

Links (:func:`parse_link`)
--------------------------
Bukti dukung is empty or one or more ``http(s)://`` addresses separated by spaces, new lines or ``;``.
``www.…`` without a scheme, ``file://``, paths and other text → ``"invalid"`` with a problem message.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from sheets_sync.model import NOT_MEASURED_MARKS, Raw
from sheets_sync.texts import Text

__all__ = ["ACCEPTED_FORMS", "ACCEPTED_LINKS", "ACCEPTED_LINK_TEXT", "ACCEPTED_NUMBER_TEXT", "Link", "Parsed",
           "parse_link", "parse_number"]

ACCEPTED_NUMBER_TEXT = Text(
    'Tulis angka saja, misalnya 80, 72,50, 2.400, 1.234,5, 85,5% atau Rp1.000.000 '
    '(koma untuk desimal, titik untuk ribuan); tulis "-" bila tidak diukur.'
)
"""Accepted number forms, appended to every number problem message."""

ACCEPTED_FORMS = str(ACCEPTED_NUMBER_TEXT)
"""The same, in Indonesian."""

ACCEPTED_LINK_TEXT = Text(
    "Tempel tautan lengkap yang diawali https://, misalnya https://drive.google.com/…; "
    "beberapa tautan dipisahkan spasi atau baris baru; kosongkan bila tidak ada."
)
"""Accepted bukti dukung forms, appended to every link problem message."""

ACCEPTED_LINKS = str(ACCEPTED_LINK_TEXT)
"""The same, in Indonesian."""

_SPACES = "\u00a0\u202f\u2007\u2009\u200a\u200b\ufeff"
_SPACE_TABLE = str.maketrans({c: " " for c in _SPACES})

_THOUSANDS = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+$")
_THOUSANDS_DECIMAL = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+,\d+$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d+$")
_DECIMAL_DOT = re.compile(r"^\d+\.\d+$")
_DIGITS = re.compile(r"^\d+$")
_AMBIGUOUS_COMMA = re.compile(r"^[1-9]\d{0,2},\d{3}$")
_CURRENCY = re.compile(r"^rp\.?\s*", re.IGNORECASE)
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$")  # a date cell (core.cells)


@dataclass(frozen=True)
class Parsed:
    """Result of :func:`parse_number`.

    ``kind``: ``"empty"`` (nothing typed), ``"number"`` (``value`` set), ``"not_measured"`` (a dash or
    N/A), ``"invalid"`` (``problem`` says why and how to write it, as a :class:`Text` worded where it is
    shown; None for any other kind).  ``text`` is the original input as a string; ``percent`` is True when
    the text carried a ``%`` sign.
    """

    kind: Literal["empty", "number", "not_measured", "invalid"]
    value: float | None = None
    text: str = ""
    problem: Text | None = None
    percent: bool = False

    @property
    def ok(self) -> bool:
        """True unless the input is invalid."""
        return self.kind != "invalid"


@dataclass(frozen=True)
class Link:
    """Result of :func:`parse_link`: ``kind`` is ``"empty"``, ``"url"`` (``urls`` set) or ``"invalid"``
    (``problem`` says why, as a :class:`Text`; None otherwise)."""

    kind: Literal["empty", "url", "invalid"]
    urls: tuple[str, ...] = ()
    text: str = ""
    problem: Text | None = None

    @property
    def ok(self) -> bool:
        """True for an empty cell or valid links."""
        return self.kind != "invalid"


def _stringify(raw: float | int) -> str:
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        return str(int(raw))
    return repr(raw)


LIMIT = 1e15
"""Numbers at or beyond ±10^15 (or not finite) are not plausible input for any indicator or budget
line (a kabupaten's whole budget is about 10^12 rupiah) and would lose digits in a float: they are
``"invalid"``, so one absurd cell cannot stop a poll or a document."""


def _too_large(text: str) -> Parsed:
    shown: str | Text = text if len(text) <= 30 else Text("{start}…{end} ({n} karakter)", start=text[:12],
                                                         end=text[-6:], n=len(text))
    return _invalid(text, Text('Angka "{s}" terlalu besar untuk sebuah nilai kinerja (batas 10^15).', s=shown))


def _invalid(text: str, reason: Text) -> Parsed:
    return Parsed("invalid", None, text, Text("{reason} {accepted}", reason=reason, accepted=ACCEPTED_NUMBER_TEXT))


def _clean(text: str) -> str:
    return " ".join(text.translate(_SPACE_TABLE).split())


def parse_number(raw: Raw) -> Parsed:
    """Interpret one cell as a number (see the module docstring for every rule).  Never raises."""
    if raw is None:
        return Parsed("empty")
    if isinstance(raw, bool):
        return _invalid(str(raw).upper(), Text("Nilai {s} (kotak centang) bukan angka.", s=str(raw).upper()))
    if isinstance(raw, int | float):
        text = _stringify(raw)
        if isinstance(raw, float) and not math.isfinite(raw):
            return _invalid(text, Text('Nilai "{s}" bukan angka yang sah.', s=text))
        if abs(raw) >= LIMIT:
            return _too_large(text)
        return Parsed("number", float(raw), text)
    text = str(raw)
    s = _clean(text)
    if not s:
        return Parsed("empty", None, text)
    if s.lower() in NOT_MEASURED_MARKS:
        return Parsed("not_measured", None, text)
    if s.startswith("="):
        return _invalid(text, Text('Sel berisi rumus "{s}", bukan angka.', s=s))
    if s.startswith("#"):
        return _invalid(text, Text('Sel berisi pesan galat spreadsheet "{s}", bukan angka.', s=s))
    if _DATE_TEXT.match(s):
        return _invalid(text, Text('Sel berisi tanggal {s}, bukan angka (Excel/LibreOffice mengubah isian seperti '
                                   '1/2 menjadi tanggal). Ketik ulang angkanya; bila perlu ubah format sel menjadi '
                                   'Angka.', s=s))
    body = _CURRENCY.sub("", s)
    percent = body.endswith("%")
    if percent:
        body = body[:-1].rstrip()
    sign = 1.0
    if body[:1] in ("-", "−", "+"):
        sign = -1.0 if body[0] != "+" else 1.0
        body = body[1:].lstrip()
    if not body or not re.fullmatch(r"[\d.,]+", body) or not body[0].isdigit() or not body[-1].isdigit():
        if " " in body and re.fullmatch(r"[\d., ]+", body):
            return _invalid(text, Text('Teks "{s}" berisi spasi di tengah angka.', s=s))
        return _invalid(text, Text('Teks "{s}" bukan angka.', s=s))
    value = _read_body(body, s)
    if isinstance(value, Text):
        return _invalid(text, value)
    if not math.isfinite(value) or abs(value) >= LIMIT:
        return _too_large(s)
    return Parsed("number", sign * value, text, percent=percent)


def _read_body(body: str, s: str) -> float | Text:
    """Digits, dots and commas only, starting and ending with a digit → value, or the problem (``s`` is the
    cleaned text as typed, which the problem quotes)."""
    if _DIGITS.match(body):
        return float(body)
    if ".." in body or ",," in body or body.count(",") > 1:
        return Text('Teks "{s}" bukan angka yang sah (tanda pemisah ganda atau berulang).', s=s)
    if "," in body and "." in body:
        if _THOUSANDS_DECIMAL.match(body):
            return float(body.replace(".", "").replace(",", "."))
        if body.index(",") < body.rindex("."):
            return Text('Teks "{s}" memakai format Inggris (koma sebelum titik). '
                        "Di sini koma adalah tanda desimal dan titik pemisah ribuan.", s=s)
        return Text('Teks "{s}" bukan angka yang sah (titik ribuan harus berkelompok tiga angka).', s=s)
    if "," in body:
        if _AMBIGUOUS_COMMA.match(body):
            whole, frac = body.split(",")
            return Text('Angka "{s}" dapat dibaca dua cara: {whole},{frac} (desimal) atau {whole}{frac} '
                        "(ribuan). Tulis {whole}{frac} bila maksudnya ribuan, atau {whole},{frac}0 bila "
                        "maksudnya desimal.", s=s, whole=whole, frac=frac)
        if _DECIMAL_COMMA.match(body):
            return float(body.replace(",", "."))
        return Text('Teks "{s}" bukan angka yang sah.', s=s)  # pragma: no cover - excluded by the checks above
    if _THOUSANDS.match(body):
        return float(body.replace(".", ""))
    if body.count(".") == 1 and _DECIMAL_DOT.match(body):
        whole, frac = body.split(".")
        if len(frac) != 3:
            return float(body)
        if whole == "0" or whole.startswith("0"):
            return Text('Angka "{s}" dapat dibaca dua cara: {thousands} (ribuan) atau {whole},{frac} (desimal). '
                        "Tulis {whole},{frac} bila maksudnya desimal.", s=s, thousands=int(whole + frac),
                        whole=whole, frac=frac)
    return Text('Teks "{s}" bukan angka yang sah (titik ribuan harus berkelompok tiga angka).', s=s)


def parse_link(raw: Raw) -> Link:
    """Interpret a bukti dukung cell: empty, or one or more ``http(s)://`` addresses.  Never raises."""
    if raw is None:
        return Link("empty")
    text = str(raw)
    if isinstance(raw, bool | int | float):
        return Link("invalid", (), text, Text("{reason} {accepted}", reason=Text('Nilai "{s}" bukan tautan.', s=text),
                                              accepted=ACCEPTED_LINK_TEXT))
    s = text.translate(_SPACE_TABLE).strip()
    if not s or s.lower() in NOT_MEASURED_MARKS:
        return Link("empty", (), text)
    parts = [p for p in re.split(r"[\s;]+", s) if p]
    urls: list[str] = []
    for part in parts:
        problem = _link_problem(part)
        if problem:
            return Link("invalid", (), text, Text("{reason} {accepted}", reason=problem, accepted=ACCEPTED_LINK_TEXT))
        urls.append(part)
    return Link("url", tuple(urls), text)


def _link_problem(part: str) -> Text | None:
    try:
        u = urlsplit(part)
        host = u.hostname or ""
    except ValueError:
        return Text('Teks "{s}" bukan tautan yang sah.', s=part)
    if u.scheme.lower() in ("http", "https") and "." in host and not host.startswith("."):
        return None
    if part.lower().startswith("www."):
        return Text('Tautan "{s}" tidak diawali https://.', s=part)
    if u.scheme.lower() in ("http", "https"):
        return Text('Tautan "{s}" tidak lengkap (alamat situs tidak ada).', s=part)
    return Text('Teks "{s}" bukan tautan.', s=part)
