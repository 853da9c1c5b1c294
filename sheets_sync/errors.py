"""One exception tree for sheets-sync.

Every error carries what happened, why, and how to fix it, so the CLI can print one actionable line
instead of a traceback.  Backends translate their library's exceptions (gspread, openpyxl, requests,
sqlite3, smtplib) into this tree at the adapter boundary; nothing above the adapters sees a foreign
exception type::

    SheetsSyncError                  exit code 3 unless a subclass says otherwise
     ├── ConfigError                 bad or missing configuration key (exit code 2)
     ├── UsageError                  bad command-line arguments (exit code 2)
     ├── BackendError                a spreadsheet backend could not do what was asked
     │    ├── FormNotFound           the form/spreadsheet/file does not exist (404)
     │    ├── AccessDenied           permission denied, storage quota, invalid credentials
     │    ├── FormUnreadable         truncated, locked, half-written or foreign file
     │    └── TransientError         429/5xx/timeouts: safe to retry later
     ├── StoreError                  the state database failed or has a newer schema
     ├── NotifyError                 an e-mail could not be queued or delivered
     └── RenderError                 a document template or conversion failed
"""

from __future__ import annotations

from dataclasses import dataclass

from sheets_sync.texts import Text, Translate, as_text, untranslated


@dataclass(frozen=True)
class Shown:
    """An error as one person reads it: what happened and what to do, in one language."""

    message: str
    fix: str


class SheetsSyncError(Exception):
    """Root of every error sheets-sync raises on purpose.

    ``message`` says what happened; ``fix`` (optional) says what the operator should do.  Either may be a
    :class:`~sheets_sync.texts.Text` (an Indonesian msgid with its fields): then :attr:`message` and
    :attr:`fix` are the Indonesian text (what the sheets and stored findings get) and :meth:`shown` gives
    both in another language (the CLI's ``--lang``, English for a log).
    """

    exit_code = 3

    def __init__(self, message: str | Text, *, fix: str | Text = "") -> None:
        self.text = as_text(message)
        self.fix_text = as_text(fix)
        self.message = self.text.render()
        self.fix = self.fix_text.render()
        super().__init__(self.message)

    def shown(self, translate: Translate = untranslated) -> Shown:
        """Message and fix in ``translate``'s language (e.g. :func:`sheets_sync.i18n._`)."""
        return Shown(self.text.render(translate), self.fix_text.render(translate) if self.fix else "")

    def __str__(self) -> str:
        if self.fix:
            return f"{self.message} — {self.fix}"
        return self.message


class ConfigError(SheetsSyncError):
    """A configuration file is missing, unparsable, or has a bad key."""

    exit_code = 2


class UsageError(SheetsSyncError):
    """The command line asked for something impossible (bad period, unknown bidang...)."""

    exit_code = 2


class BackendError(SheetsSyncError):
    """A spreadsheet backend failed."""


class FormNotFound(BackendError):
    """The spreadsheet, file or tab does not exist."""


class FormWrongFormat(FormNotFound):
    """The form is gone as .xlsx but a copy in another format (``.xlsm``, ``.ods``, ``.xls``) sits in its
    place: a person chose another type in the save dialog."""


class AccessDenied(BackendError):
    """Permission denied, storage quota exceeded or credentials rejected."""


class FormUnreadable(BackendError):
    """The form exists but cannot be read as a sheets-sync form (truncated, locked, foreign)."""


class TransientError(BackendError):
    """Rate limit, server error or timeout; the same call may succeed later."""


class StoreError(SheetsSyncError):
    """The state store failed."""


class NotifyError(SheetsSyncError):
    """An e-mail could not be queued or delivered."""


class RenderError(SheetsSyncError):
    """A document could not be rendered or converted."""
