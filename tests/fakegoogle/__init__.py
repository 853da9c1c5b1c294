"""In-process fake of Google Sheets v4 + Drive v3 for the google backend's tests (no network).

Typical use::

    backend, fake = make_fake_backend()
    ref = backend.create_form("Data Kinerja 2025 — MP — BKPSDM")
    fake.fail("values.batchGet", 503, times=2)      # scripted faults
    fake.quota = Quota(reads=60, writes=60)          # per-minute quota on the fake clock
    assert fake.count("sheets.spreadsheets.values.batchGet") == 1
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from sheets_sync.backends.google.backend import GoogleBackend
from sheets_sync.config.google import GoogleSettings
from sheets_sync.core.clock import ManualClock

from .server import EPOCH, FakeAdapter, FakeCredentials, FakeGoogle, Quota

COORDINATOR = "ppkp@bkpsdm.sukamajukab.go.id"


def make_fake_backend(
    *,
    fake: FakeGoogle | None = None,
    clock: ManualClock | None = None,
    seed: int = 0,
    office_timezone: str = "Asia/Makassar",
    **settings: Any,
) -> tuple[GoogleBackend, FakeGoogle]:
    """A :class:`GoogleBackend` wired to a fresh (or the given) fake, in simulated time.

    The fake gets a forms folder and a documents folder on a shared drive (reused when ``fake``
    already has them); ``settings`` override :class:`GoogleSettings` fields.
    """
    clock = clock or (fake.clock if fake is not None else ManualClock(EPOCH))
    fake = fake or FakeGoogle(clock)
    if not fake.forms_folder:
        fake.forms_folder = fake.add_folder("Formulir Data Kinerja 2025")
        fake.documents_folder = fake.add_folder("Dokumen Kinerja 2025")
    values: dict[str, Any] = {
        "mode": "service_account",
        "credentials_file": Path("/nonexistent/service-account.json"),
        "folder_id": fake.forms_folder,
        "documents_folder_id": fake.documents_folder,
        "coordinator_email": COORDINATOR,
        "source": "test.toml",
    }
    values.update(settings)
    backend = GoogleBackend(
        GoogleSettings(**values),
        client=fake.client(),
        clock=clock,
        sleep=clock.sleep,
        office_timezone=office_timezone,
        rng=random.Random(seed),
    )
    return backend, fake


__all__ = ["EPOCH", "FakeAdapter", "FakeCredentials", "FakeGoogle", "Quota", "make_fake_backend"]
