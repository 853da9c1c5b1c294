"""Fixtures of the crash and concurrency tests (separate processes on a real SQLite file)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crash.office import Office
from crash.smtp_server import Server


@pytest.fixture
def smtp_server() -> Iterator[Server]:
    server = Server().start()
    yield server
    server.stop()


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    """A new office (``sheets-sync init``), nothing provisioned."""
    o = Office(tmp_path)
    yield o
    o.kill_leftovers()


@pytest.fixture(scope="session")
def _prepared_template(tmp_path_factory: pytest.TempPathFactory) -> Office:
    o = Office(tmp_path_factory.mktemp("template"))
    o.provisioned_and_filled()
    return o


@pytest.fixture
def prepared(tmp_path: Path, _prepared_template: Office) -> Iterator[Office]:
    """An office whose TW1 is open (forms provisioned, link e-mails queued), filled in and polled on
    9 April 2025 — copied from one prepared per session."""
    o = _prepared_template.copy_to(tmp_path)
    yield o
    o.kill_leftovers()
