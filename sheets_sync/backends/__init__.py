"""Spreadsheet backends: ``memory`` (tests, demo), ``local`` (.xlsx in a folder, the default) and
``google`` (Sheets + Drive).  All implement :class:`sheets_sync.backends.base.Backend`."""
