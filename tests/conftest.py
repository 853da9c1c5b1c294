"""Fixtures shared by several test folders."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sheets_sync.runtime.demo import run_demo


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One full demo (a simulated week of the service) shared by the tests that inspect its results."""
    folder = tmp_path_factory.mktemp("demo") / "office"
    out = io.StringIO()
    assert run_demo(folder, out) == 0, out.getvalue()
    return folder, out.getvalue()
