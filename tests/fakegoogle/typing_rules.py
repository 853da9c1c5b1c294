"""What Google Sheets makes of typed text (``USER_ENTERED``) and how it shows a value back
(``FORMATTED_VALUE``), for the two locales the tests use: ``id_ID`` (the office's) and ``en_US``.

Each rule follows Google's documentation; where the documentation is silent the fake is *stricter*
than Sheets (it keeps more things as text), so the product must cope with text as well:

* ``USER_ENTERED``: "The values will be parsed as if the user typed them into the UI. Numbers will
  stay as numbers, but strings may be converted to numbers, dates, etc. following the same rules
  that are applied when entering text into a cell via the Google Sheets UI."
  (https://developers.google.com/sheets/api/reference/rest/v4/ValueInputOption)
* The spreadsheet's locale decides how typed numbers and dates are read ("Locale … affects formats
  like functions, dates, and currency", https://support.google.com/docs/answer/58515): ``id_ID``
  writes ``1.234,5`` (decimal comma, dot for thousands) and dates day/month/year; ``en_US`` the
  reverse.  Anything that is not a clean number in the locale stays text here (``72.50`` in id_ID).
* Typing ``89,5%`` stores ``0.895`` and gives the cell a ``PERCENT`` number format; typing a date
  stores a serial number — "days since December 30, 1899" — with a ``DATE`` or ``DATE_TIME`` format
  (https://developers.google.com/sheets/api/guides/formats#about_date_time_values).  The number
  format is applied only when the cell's format is still automatic.
* ``TRUE``/``FALSE`` become booleans (what a ticked checkbox holds:
  https://support.google.com/docs/answer/7684717).
* A value starting with ``=`` is a formula; the fake evaluates arithmetic over numbers and cell
  references of the same tab and answers ``#NAME?`` for anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

Json = dict[str, Any]
EPOCH = datetime(1899, 12, 30)

_ID_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$")
_EN_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$")
_SLASH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")

PATTERNS = {
    "id_ID": {"DATE": "dd/MM/yyyy", "DATE_TIME": "dd/MM/yyyy HH:mm:ss", "TIME": "HH.mm.ss"},
    "en_US": {"DATE": "M/d/yyyy", "DATE_TIME": "M/d/yyyy H:mm:ss", "TIME": "h:mm:ss am/pm"},
}


@dataclass(frozen=True)
class Typed:
    """A typed cell: its stored value, the number format Sheets gave it (or None) and its formula."""

    value: Any
    number_format: Json | None = None
    formula: str | None = None


def to_serial(moment: datetime) -> float:
    return (moment - EPOCH) / timedelta(days=1)


def from_serial(serial: float) -> datetime:
    return EPOCH + timedelta(seconds=round(serial * 86400))


def _number(text: str, locale: str) -> float | int | None:
    if locale == "id_ID":
        if not _ID_NUMBER.match(text):
            return None
        candidate = text.replace(".", "").replace(",", ".")
    else:
        if not _EN_NUMBER.match(text):
            return None
        candidate = text.replace(",", "")
    number = float(candidate)
    return int(number) if "." not in candidate else number


def _date(text: str, locale: str) -> Typed | None:
    m = _ISO_DATE.match(text)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        hh, mm, ss = m.group(4), m.group(5), m.group(6)
    else:
        m = _SLASH_DATE.match(text)
        if not m:
            return None
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        d, mo = (a, b) if locale == "id_ID" else (b, a)
        hh, mm, ss = m.group(4), m.group(5), m.group(6)
    try:
        moment = datetime(y, mo, d, int(hh or 0), int(mm or 0), int(ss or 0))
    except ValueError:
        return None
    kind = "DATE_TIME" if hh is not None else "DATE"
    return Typed(to_serial(moment), {"type": kind, "pattern": PATTERNS[_loc(locale)][kind]})


def _loc(locale: str) -> str:
    return "id_ID" if locale == "id_ID" else "en_US"


def parse_typed(v: Any, locale: str, lookup: Any = None) -> Typed:
    """What Sheets stores when a person types ``v`` (see the module docstring).  ``lookup(a1)``
    returns the effective value of a cell of the same tab, for formulas."""
    if not isinstance(v, str):
        return Typed(v)
    text = v.strip()
    if not text:
        return Typed("")
    if text.startswith("="):
        return Typed(evaluate(text[1:], locale, lookup), None, text)
    if text.upper() in ("TRUE", "FALSE"):
        return Typed(text.upper() == "TRUE")
    if text.endswith("%"):
        n = _number(text[:-1].strip(), locale)
        if n is not None:
            decimals = "," in text if locale == "id_ID" else "." in text
            return Typed(n / 100, {"type": "PERCENT", "pattern": "0.00%" if decimals else "0%"})
        return Typed(v)
    n = _number(text, locale)
    if n is not None:
        return Typed(n)
    date = _date(text, locale)
    if date is not None:
        return date
    t = _TIME.match(text)
    if t and int(t.group(1)) < 24:
        seconds = int(t.group(1)) * 3600 + int(t.group(2)) * 60 + int(t.group(3) or 0)
        return Typed(seconds / 86400, {"type": "TIME", "pattern": PATTERNS[_loc(locale)]["TIME"]})
    return Typed(v)


_FORMULA_TOKEN = re.compile(r"\s*(?:(?P<ref>\$?[A-Z]{1,3}\$?\d+)|(?P<num>\d+(?:[.,]\d+)?)|(?P<op>[-+*/()]))")


def evaluate(expr: str, locale: str, lookup: Any) -> Any:
    """Arithmetic over numbers and same-tab cell references; ``#NAME?``/``#VALUE!`` otherwise."""
    out: list[str] = []
    pos = 0
    while pos < len(expr):
        if not expr[pos:].strip():
            break
        m = _FORMULA_TOKEN.match(expr, pos)
        if not m:
            return "#NAME?"
        if m.group("ref"):
            value = lookup(m.group("ref").replace("$", "")) if lookup else None
            if value in (None, ""):
                value = 0
            if isinstance(value, bool) or not isinstance(value, int | float):
                return "#VALUE!"
            out.append(repr(value))
        elif m.group("num"):
            num = m.group("num")
            out.append(num.replace(",", ".") if locale == "id_ID" else num.replace(",", ""))
        else:
            out.append(m.group("op"))
        pos = m.end()
    try:
        result = eval("".join(out), {"__builtins__": {}}, {})  # only digits, dots and operators
    except ZeroDivisionError:
        return "#DIV/0!"
    except SyntaxError:
        return "#ERROR!"
    return int(result) if isinstance(result, float) and result.is_integer() else result


def _decimal(text: str, locale: str) -> str:
    if locale != "id_ID":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_value(value: Any, number_format: Json | None, locale: str) -> str:
    """The text a person sees in the cell (``FORMATTED_VALUE``)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value
    kind = (number_format or {}).get("type")
    if kind == "PERCENT":
        decimals = 2 if "." in (number_format or {}).get("pattern", "") else 0
        return _decimal(f"{value * 100:.{decimals}f}", locale) + "%"
    if kind in ("DATE", "DATE_TIME", "TIME"):
        moment = from_serial(float(value))
        if _loc(locale) == "id_ID":
            fmt = {"DATE": "%d/%m/%Y", "DATE_TIME": "%d/%m/%Y %H:%M:%S", "TIME": "%H.%M.%S"}[kind]
        else:
            fmt = {"DATE": "%-m/%-d/%Y", "DATE_TIME": "%-m/%-d/%Y %-H:%M:%S", "TIME": "%-I:%M:%S %p"}[kind]
        return moment.strftime(fmt)
    if kind == "NUMBER":
        pattern = (number_format or {}).get("pattern", "")
        decimals = len(pattern.split(".")[1]) if "." in pattern else 0
        text = f"{value:,.{decimals}f}" if "," in pattern else f"{value:.{decimals}f}"
        return _decimal(text, locale)
    if isinstance(value, float):
        return _decimal(f"{value:.10g}", locale)
    return str(value)
