"""One language per surface: the words the CLI prints, in the language the person chose.

The source language is formal Indonesian: every message is written in the code as Indonesian and
wrapped in :func:`_` (or :func:`N_` where it is defined before the language is known, and :func:`ngettext`
where a count chooses the form).  Other languages are gettext catalogues, one ``.po`` file each, in
``sheets_sync/i18n/locale/<lang>/LC_MESSAGES/sheets_sync.po``; English is ``en``.  A third language is a
new file (``python -m sheets_sync.i18n.catalog init xx``), not a code change.  The catalogues are read at
run time (babel's parser, compiled in memory to a :class:`gettext.GNUTranslations`), so an editable
install and a wheel behave the same and no compiled ``.mo`` has to be kept in step.

How to wrap a string (read this before adding CLI text)::

    from sheets_sync.i18n import _, N_, ngettext

    out.write(_("Formulir {period}: dibuat {n}").format(period=period, n=len(created)) + "\\n")
    HELP = N_("tampilkan status")        # a constant made at import time: mark it ...
    parser.add_argument(..., help=_(HELP))  # ... and translate it where it is shown
    ngettext("{n} formulir dibaca", "{n} formulir dibaca", n).format(n=n)

An exception or a message made where the language is not known or may not be imported (config, store,
backends, ``core``) is a :class:`sheets_sync.texts.Text`, ``Text("berkas {file} tidak ditemukan", file=p)``:
babel extracts it like ``N_()``; it is worded when shown (``exc.shown(_)`` in the CLI's error funnel), so
the same error is Indonesian in a sheet and English under ``--lang en``.

Rules: placeholders are ``{name}`` fields filled with ``.format`` *after* translation (never an f-string
inside ``_()``: babel cannot extract it); the message is a whole sentence; logs stay English and are never
wrapped.  After adding or changing messages run ``python -m sheets_sync.i18n.catalog update``, fill the new
``msgstr`` lines of every catalogue (English: ``locale/en/LC_MESSAGES/sheets_sync.po``) and check with
``python -m sheets_sync.i18n.catalog check`` (``tests/unit/test_i18n.py`` runs the same check).

argparse's own words ("usage:", "options", "error: the following arguments are required") come from a
second domain, ``argparse``, whose msgids are argparse's English; ``locale/id/LC_MESSAGES/argparse.po``
gives them in Indonesian, and :func:`set_language` points argparse at the chosen language.

The language is chosen, in this order, by ``--lang``, ``$SHEETS_SYNC_LANG``, else Indonesian.
"""

from __future__ import annotations

import argparse
import gettext as _gettext
import io
import os
from functools import cache
from pathlib import Path

DOMAIN = "sheets_sync"
"""The gettext domain of sheets-sync's own messages."""

ARGPARSE_DOMAIN = "argparse"
"""The gettext domain of argparse's built-in messages (msgids in English, as argparse writes them)."""

SOURCE_LANGUAGE = "id"
"""The language the msgids are written in (formal Indonesian)."""

ENV = "SHEETS_SYNC_LANG"
"""The environment variable that chooses the language when ``--lang`` is not given."""

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
"""Where the catalogues live: ``<lang>/LC_MESSAGES/<domain>.po``."""


def catalog_path(lang: str, domain: str = DOMAIN) -> Path:
    """The ``.po`` file of ``lang`` for ``domain`` (it may not exist)."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


def languages() -> tuple[str, ...]:
    """Every language the CLI can speak: Indonesian first, then each language with a catalogue."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (SOURCE_LANGUAGE, *(lang for lang in found if lang != SOURCE_LANGUAGE))


@cache
def _translations(lang: str, domain: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``lang``/``domain``; the identity when there is none."""
    path = catalog_path(lang, domain)
    if not path.is_file():
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=domain)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


class _Current:
    """The language in use and its translations (module state: one process speaks one language)."""

    lang = SOURCE_LANGUAGE
    messages: _gettext.NullTranslations = _gettext.NullTranslations()
    argparse_messages: _gettext.NullTranslations = _gettext.NullTranslations()


def normalise(lang: str) -> str:
    """``"EN"``, ``"en_US.UTF-8"``, ``"en-GB"`` → ``"en"``; an empty text stays empty."""
    return lang.strip().split(".")[0].replace("-", "_").split("_")[0].lower()


def requested_language(cli_value: str | None = None) -> str:
    """The language asked for: ``--lang`` if given, else ``$SHEETS_SYNC_LANG``, else Indonesian."""
    return normalise(cli_value or os.environ.get(ENV, "") or SOURCE_LANGUAGE)


def set_language(lang: str | None = None) -> str:
    """Speak ``lang`` from now on (None: :func:`requested_language`); returns the language in use.

    An unknown language falls back to Indonesian (the caller that cares checks :func:`languages`).
    argparse's own words follow too.
    """
    chosen = requested_language(lang)
    if chosen not in languages():
        chosen = SOURCE_LANGUAGE
    _Current.lang = chosen
    _Current.messages = _translations(chosen, DOMAIN)
    _Current.argparse_messages = _translations(chosen, ARGPARSE_DOMAIN)
    # argparse looks its `_`/`ngettext` up as module globals at call time (gettext's documented hook is
    # the process-wide C locale, which would also change other libraries' messages)
    vars(argparse)["_"] = _Current.argparse_messages.gettext
    vars(argparse)["ngettext"] = _Current.argparse_messages.ngettext
    return chosen


def current_language() -> str:
    """The language in use (``"id"`` until :func:`set_language` chose another)."""
    return _Current.lang


def _(message: str) -> str:
    """``message`` (an Indonesian msgid) in the language in use."""
    return _Current.messages.gettext(message)


def in_language(lang: str, message: str) -> str:
    """``message`` in ``lang`` whatever the language in use (the README is English: its hints quote English)."""
    return _translations(normalise(lang), DOMAIN).gettext(message)


def english(message: str) -> str:
    """``message`` in English whatever the language in use: what a log line says (logs are English)."""
    return in_language("en", message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it yet (translate it with :func:`_` when shown)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a counted message, in the language in use."""
    return _Current.messages.ngettext(singular, plural, n)


def yes_no(value: bool | None) -> str:
    """A boolean as a person reads it ("ya"/"tidak"; "–" for unknown), never ``True``/``None``."""
    if value is None:
        return "–"
    return _("ya") if value else _("tidak")
