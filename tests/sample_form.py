"""The sample bidang form that the unit tests of the form layout and of the local backend share: the
BKPSDM office, its *Mutasi dan Promosi* bidang, TW I 2025 with its schedule, and a form provisioned for
some indicators the way ``provision`` makes one.  Only tests import this module."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sheets_sync.backends.local import LocalBackend
from sheets_sync.core.form import build_setup
from sheets_sync.model import Indicator, Office, Period, Schedule, Unit

WIB = ZoneInfo("Asia/Jakarta")
TW1 = Period(2025, 1)
OFFICE = Office("PEMERINTAH KABUPATEN SUKAMAJU", "Badan Kepegawaian", "BKPSDM", "Sukamaju", "Jl. Merdeka 1")
MP = Unit("MP", "Bidang Mutasi dan Promosi")
SCHEDULE = Schedule(TW1, datetime(2025, 4, 8, 8, tzinfo=WIB), datetime(2025, 4, 10, 16, tzinfo=WIB))


def provisioned_form(backend: LocalBackend, indicators: Sequence[Indicator], schedule: Schedule | None) -> Path:
    """A new TW1 form of MP for ``indicators`` (deadline text from ``schedule``), made and set up by
    ``backend``; its file path."""
    ref = backend.create_form("Data Kinerja 2025 — MP")
    backend.setup(ref.id, build_setup(MP, indicators, TW1, OFFICE, schedule, None))
    return Path(ref.link)
