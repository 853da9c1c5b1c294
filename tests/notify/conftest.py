"""Shared fixtures for the e-mail tests: an office, a reminder, an in-memory store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.core.plan import MissingCell, Reminder
from sheets_sync.model import Office, Period
from sheets_sync.store import Store

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def office() -> Office:
    return Office("PEMERINTAH KABUPATEN SUKAMAJU", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
                  "BKPSDM", "Sukamaju", "Jl. Merdeka No. 1")


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store.open(":memory:")
    yield s
    s.close()


def make_reminder(offset: str = "H-1", unit: str = "MP", **kw: object) -> Reminder:
    values: dict[str, object] = dict(
        key=f"reminder:2025-TW1:{unit}:{offset}", unit=unit, unit_name="Bidang Mutasi dan Promosi",
        head="Yohanes Paulus Bere, S.H.", period=Period(2025, 1), offset=offset,
        slot=datetime(2025, 4, 9, 8, tzinfo=WIB), deadline=datetime(2025, 4, 10, 23, 59, tzinfo=WIB),
        to=("operator.mp@sukamaju.example",), cc=(), state="Sebagian", filled=5, required=8,
        missing=(MissingCell("TW1!H7", "Realisasi belum diisi", "isi angka realisasi"),
                 MissingCell("TW1!K9", "Keterangan wajib karena capaian < 100%")),
        link="https://docs.example/mp",
    )
    values.update(kw)
    return Reminder(**values)  # type: ignore[arg-type]


@pytest.fixture
def reminder() -> Reminder:
    return make_reminder()


@pytest.fixture
def new_reminder() -> object:
    """Factory: ``new_reminder(offset="H+1", unit="PKA", cc=(...))``."""
    return make_reminder
