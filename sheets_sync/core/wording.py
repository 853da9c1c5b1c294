"""Dates and typed values as :class:`~sheets_sync.texts.Text`, for findings and messages built outside ``core``'s
checks (the service's findings, the e-mail delivery problem).

A finding is read twice: in the sheets (``Rekap``, e-mails) always in Indonesian, and on the CLI in the
language of ``--lang``.  So a date inside a finding cannot be a finished string: :func:`date_text` and
:func:`moment_text` render exactly as :func:`~sheets_sync.core.fmt.tanggal` and
:func:`~sheets_sync.core.fmt.tanggal_jam` in Indonesian (the sheets keep their wording) and as
``8 April 2025`` / ``8 April 2025 at 14:00 WIB`` in English.
"""

from __future__ import annotations

from datetime import date, datetime

from sheets_sync.core.checks import shown
from sheets_sync.core.fmt import angka, zona
from sheets_sync.texts import Text

MONTHS = (Text("Januari"), Text("Februari"), Text("Maret"), Text("April"), Text("Mei"), Text("Juni"),
          Text("Juli"), Text("Agustus"), Text("September"), Text("Oktober"), Text("November"), Text("Desember"))
"""The month names, each a msgid (the English catalogue gives January … December)."""

EMPTY = Text("(kosong)")
"""An empty cell as a person reads it."""


def date_text(d: date | datetime) -> Text:
    """``24 Februari 2025`` (``24 February 2025`` in English)."""
    return Text("{day} {month} {year}", day=d.day, month=MONTHS[d.month - 1], year=d.year)


def moment_text(dt: datetime) -> Text:
    """``24 Februari 2025 pukul 14.05 WIB`` in the datetime's own zone (``… at 14:05 WIB`` in English);
    a naive datetime raises ValueError, as :func:`~sheets_sync.core.fmt.tanggal_jam` does."""
    hour, minute = str(dt.hour).zfill(2), str(dt.minute).zfill(2)
    return Text("{date} pukul {hour}.{minute} {zone}", date=date_text(dt), hour=hour, minute=minute, zone=zona(dt))


def typed_text(v: object) -> str | Text:
    """A cell value as typed: :data:`EMPTY` for an empty cell, ``TRUE``/``FALSE``, numbers the Indonesian
    way (``72,5``, no ``,00`` on whole numbers), text quoted as the checks quote it; never a Python word."""
    if v is None or v == "":
        return EMPTY
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int | float):
        return angka(v, 2).removesuffix(",00")
    return shown(str(v))


def joined(parts: list[str | Text], separator: str = "; ") -> str | Text:
    """``parts`` one after another with ``separator`` between them, each still translated when shown."""
    if not parts:
        return ""
    head, *rest = parts
    if not rest:
        return head
    return Text("{head}{separator}{tail}", head=head, separator=separator, tail=joined(rest, separator))
