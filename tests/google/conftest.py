"""Fixtures for the google backend tests: everything runs against the in-process fake."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ → ``import fakegoogle``

from fakegoogle import FakeGoogle, make_fake_backend

from sheets_sync.backends.google.backend import GoogleBackend


@pytest.fixture
def gb() -> Iterator[tuple[GoogleBackend, FakeGoogle]]:
    backend, fake = make_fake_backend()
    yield backend, fake
    untimed = [c.method_id for c in fake.log if c.timeout is None]
    assert not untimed, f"calls without a timeout: {untimed}"
