"""API-call budget of a poll cycle, as exact call counts: an idle cycle is 1 Drive ``files.list`` for any
number of forms; k changed forms cost k ``spreadsheets.get`` (value + format of every cell) + 1 write."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fakegoogle import Quota, make_fake_backend
from helpers import calls_between, seed_forms

from sheets_sync.core.values import RangeWrite

RANGES = ["TW1!A1:F60", "TW1!Z1"]


def poll_cycle(backend, fake, since, control_id):  # type: ignore[no-untyped-def]
    """What the service does each cycle: list changes, read each changed form, write the Rekap."""
    start = len(fake.log)
    changes = backend.changed_since(since)
    for change in changes:
        backend.read(change.form_id, RANGES)
    backend.write(control_id, [RangeWrite("Rekap!A1", [["Bidang", "Terisi"], ["B0000", len(changes)]])])
    return changes, calls_between(fake, start)


@pytest.mark.parametrize(("n", "k"), [(1, 1), (10, 3), (200, 7)])
def test_a_cycle_with_k_changed_forms_makes_one_list_k_reads_and_one_write(n: int, k: int) -> None:
    backend, fake = make_fake_backend()
    ids = seed_forms(fake, n)
    control = fake.add_spreadsheet("Kendali Data Kinerja — BKPSDM — 2025", parents=[], tabs=("Rekap",))
    fake.clock.advance(minutes=30)
    first, _ = poll_cycle(backend, fake, None, control)
    assert len(first) == n
    watermark = fake.clock()
    fake.clock.advance(minutes=2)
    for sid in ids[:k]:
        fake.human_edit(sid, "TW1!E2", "81,5")
    fake.clock.advance(minutes=3)
    changes, calls = poll_cycle(backend, fake, watermark, control)
    assert {c.form_id for c in changes} == set(ids[:k])
    assert calls == {"drive.files.list": 1, "sheets.spreadsheets.get": k, "sheets.spreadsheets.values.batchUpdate": 1}


@pytest.mark.parametrize("n", [10, 200, 1000])
def test_an_idle_cycle_is_exactly_one_api_call_for_any_number_of_forms(n: int) -> None:
    backend, fake = make_fake_backend()
    seed_forms(fake, n)
    fake.clock.advance(minutes=30)
    backend.changed_since(None)  # the first listing of a process is a full sweep
    watermark = fake.clock()
    for _ in range(3):
        fake.clock.advance(minutes=5)
        start = len(fake.log)
        assert backend.changed_since(watermark) == []
        assert calls_between(fake, start) == {"drive.files.list": 1}


def test_edits_the_drive_index_shows_late_are_still_caught_by_the_overlap() -> None:
    backend, fake = make_fake_backend()
    ids = seed_forms(fake, 5)
    fake.index_lag = timedelta(minutes=3)
    fake.clock.advance(minutes=30)
    backend.changed_since(None)
    fake.clock.advance(minutes=1)
    fake.human_edit(ids[2], "TW1!E2", 90)  # edited at t, visible in listings only from t + 3 min
    fake.clock.advance(seconds=30)
    watermark = fake.clock()  # the previous cycle ran here and did not see the edit yet
    assert backend.changed_since(watermark - timedelta(minutes=1)) == []
    fake.clock.advance(minutes=5)
    assert [c.form_id for c in backend.changed_since(watermark)] == [ids[2]]


def test_listing_follows_every_page_and_counts_one_list_per_page() -> None:
    backend, fake = make_fake_backend()
    seed_forms(fake, 120)
    fake.page_cap = 50
    start = len(fake.log)
    assert len(backend.changed_since(None)) == 120
    assert calls_between(fake, start) == {"drive.files.list": 3}


def test_with_more_forms_than_a_page_the_first_and_every_kth_cycle_is_a_full_sweep() -> None:
    backend, fake = make_fake_backend(full_sweep_every=3)
    seed_forms(fake, 3)
    fake.page_cap = 2  # a full listing needs two pages: sweeps are no longer free
    since = fake.clock()
    queries = []
    for _ in range(7):
        start = len(fake.log)
        backend.changed_since(since)
        listing = next(c for c in fake.log[start:] if c.method_id == "drive.files.list")
        queries.append(listing.params["q"][0])
    timed = ["modifiedTime" in q for q in queries]
    assert timed == [False, True, True, False, True, True, False]
    assert all(q.startswith("trashed = false") for q in queries)


def test_a_200_form_full_sweep_under_a_60_per_minute_quota_never_sees_a_429() -> None:
    backend, fake = make_fake_backend()
    ids = seed_forms(fake, 200)
    fake.quota = Quota(reads=60, writes=60)
    t0 = fake.clock()
    changes = backend.changed_since(None)
    got = {c.form_id: backend.read(c.form_id, RANGES) for c in changes}
    assert len(got) == 200 and set(got) == set(ids)
    assert fake.quota.rejected == 0
    assert not [c for c in fake.log if c.status == 429]
    assert backend.retries == 0
    minutes = (fake.clock() - t0).total_seconds() / 60
    assert 200 / 55 - 1 < minutes < 200 / 55 + 1, minutes
    assert got[ids[0]]["TW1!A1:F60"][1][:4] == [1, "0.1", "Indeks", 72.5]
