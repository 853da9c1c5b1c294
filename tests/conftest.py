"""Fixtures shared by several test folders."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sheets_sync.runtime.demo import run_demo


@pytest.fixture(autouse=True)
def _indonesian_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read the default language (Indonesian) whatever the developer's $SHEETS_SYNC_LANG says."""
    monkeypatch.delenv("SHEETS_SYNC_LANG", raising=False)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One full demo (a simulated week of the service) shared by the tests that inspect its results."""
    folder = tmp_path_factory.mktemp("demo") / "office"
    out = io.StringIO()
    assert run_demo(folder, out) == 0, out.getvalue()
    return folder, out.getvalue()
