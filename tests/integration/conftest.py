"""An office folder made by ``sheets-sync init``, with an injected clock, for end-to-end tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.config import load
from sheets_sync.core.clock import ManualClock
from sheets_sync.service.app import App
from sheets_sync.service.office import init_office

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2025, 4, 8, 8, 0, tzinfo=WIB))


@pytest.fixture
def office(tmp_path: Path) -> Path:
    return init_office(tmp_path / "kantor", "bkpsdm")


@pytest.fixture
def app(office: Path, clock: ManualClock) -> Any:
    application = App.from_settings(load(office), clock=clock)
    yield application
    application.store.close()
