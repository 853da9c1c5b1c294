"""The backend contract suite runs every test in this folder against each factory below.

A factory takes a temporary folder and returns a fresh, empty backend.  A new backend joins the
suite by adding one entry to ``FACTORIES``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sheets_sync.backends.base import Backend


def _memory(tmp_path: Path) -> Backend:
    from sheets_sync.backends.memory import MemoryBackend

    return MemoryBackend()


def _local(tmp_path: Path) -> Backend:
    from sheets_sync.backends.local import LocalBackend

    return LocalBackend(tmp_path / "forms", documents=tmp_path / "dokumen")


def _google(tmp_path: Path) -> Backend:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ → fakegoogle
    from fakegoogle import make_fake_backend

    backend, fake = make_fake_backend()
    fake.latency = 0.05  # time passes between calls, so each edit gets its own modifiedTime
    return backend


FACTORIES: dict[str, Callable[[Path], Backend]] = {"memory": _memory, "local": _local, "google": _google}


@pytest.fixture(params=sorted(FACTORIES))
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    return FACTORIES[request.param](tmp_path)
