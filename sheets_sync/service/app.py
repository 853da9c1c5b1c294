"""Wiring: build the backend, store and clock from :class:`~sheets_sync.config.Settings`.

This is the only place that chooses implementations; everything else receives them.  Heavy modules
are imported here lazily, so ``sheets-sync --help`` stays fast.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sheets_sync.backends.base import Backend
from sheets_sync.config import Settings
from sheets_sync.errors import ConfigError, UsageError
from sheets_sync.model import Period
from sheets_sync.notify import Notifier, make_notifier
from sheets_sync.store import Store

Clock = Callable[[], datetime]
Sleep = Callable[[float], None]


log = logging.getLogger("sheets_sync.service.app")

def system_clock() -> datetime:
    return datetime.now(UTC)


def make_backend(settings: Settings, clock: Clock = system_clock, sleep: Sleep | None = None) -> Backend:
    """The backend the settings choose.  ``clock`` and ``sleep`` reach the Google backend's rate limiter
    and retry backoff, so a whole service can run on simulated time."""
    if settings.backend == "local":
        from sheets_sync.backends.local import LocalBackend

        return LocalBackend(settings.forms_folder, documents=settings.documents.output,
                            file_mode=settings.local.file_mode, link_base=settings.local.link_base)
    if settings.backend == "memory":
        from sheets_sync.backends.memory import MemoryBackend

        return MemoryBackend(clock)
    from sheets_sync.backends.google.backend import GoogleBackend

    if settings.google is None:  # load() refuses this; a Settings built by hand may not
        raise ConfigError('[backend] kind = "google" needs a [google] table',
                          fix='add [google] with mode, credentials_file and folder_id (see the example config)')
    return GoogleBackend(settings.google, clock=clock, sleep=sleep, office_timezone=settings.office.timezone)


@dataclass
class App:
    """One configured office: settings + the ports (backend, store, clock, notifier)."""

    settings: Settings
    backend: Backend
    store: Store
    clock: Clock = system_clock
    notifier: Notifier | None = None
    # Values derived from the backend and kept for this process (e.g. the parsed control spreadsheet
    # with its fingerprint, see service.control_io.load_control).  Never the source of truth.
    memo: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_settings(cls, settings: Settings, *, clock: Clock = system_clock, sleep: Sleep | None = None,
                      backend: Backend | None = None, store: Store | None = None,
                      notifier: Notifier | None = None) -> App:
        backend = backend or make_backend(settings, clock, sleep)
        clean = getattr(backend, "clean_orphans", None)
        if clean is not None:  # temporary files of writes killed mid-way (local backend)
            for name in clean():
                log.info("removed the orphan temporary file %s", name)
        return cls(settings, backend, store or Store.open(settings.store_url), clock, notifier)

    def mailer(self) -> Notifier:
        """The notifier given at construction, else the one the settings choose (outbox or SMTP), built
        on first use so commands that send nothing never open SMTP."""
        if self.notifier is None:
            self.notifier = make_notifier(self.settings.notify)
        return self.notifier

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.office.timezone)

    def check_period(self, period: Period) -> None:
        """Refuse a period outside the configured year (a typo, or a config not rolled over)."""
        if period.year != self.settings.office.tahun:
            raise UsageError(f"period {period} is not in the configured year {self.settings.office.tahun}",
                             fix=f"use {self.settings.office.tahun}-TW1 … TW4 or change [office] tahun")

    def now(self) -> datetime:
        """The injected clock, in the office's time zone."""
        return self.clock().astimezone(self.tz)
