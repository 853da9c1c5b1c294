"""Google Sheets v4 + Drive v3 through gspread: the main deployment's backend.

* :mod:`.backend` — :class:`GoogleBackend`, the :class:`~sheets_sync.backends.base.Backend` port.
* :mod:`.requests` — pure builders of Sheets request bodies and parsers of their answers.
* :mod:`.drive` — Drive files, permissions and uploads.
* :mod:`.poll` — the Drive listing that finds changed forms.
* :mod:`.retry` — retry policy (backoff, ``Retry-After``) with an injected sleep.
* :mod:`.errors` — the one table mapping Google answers to :mod:`sheets_sync.errors`.
* :mod:`.auth` — service-account and OAuth credentials.
* :mod:`.doctor` — checks of the set-up for ``sheets-sync doctor``.

Only this package imports gspread and google-auth.
"""
