"""Fixtures of the unit tests that use the local backend."""

from __future__ import annotations

from pathlib import Path

import pytest
from typed_xlsx import sample_control

from sheets_sync.backends.local import LocalBackend


@pytest.fixture
def backend(tmp_path: Path) -> LocalBackend:
    """A local backend over an empty forms folder."""
    return LocalBackend(tmp_path / "forms")


@pytest.fixture
def kendali(tmp_path: Path) -> tuple[LocalBackend, Path]:
    """The sample BKPSDM control workbook as ``init`` leaves it: (its backend, its path)."""
    return sample_control(tmp_path)
