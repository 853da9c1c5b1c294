"""The service's idle poll answers from what it kept in this process (issue 14): a ``stat`` per form and
one store-wide change check.  These tests run the service's poll in this process and the other writer
in its own process on the same SQLite file and forms folder, as in an office: whatever another process
writes — a decision in the store, a form saved — is in the very next poll.  Store work is counted with
SQLite's trace callback (statements this connection runs), never timed."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from crash.office import ROOT, TW1, Office, at
from sheets_sync.runtime.jobs import poll_job
from sheets_sync.service.app import App
from sheets_sync.service.demo import type_into
from sheets_sync.service.poll import PollReport, load_control, poll


def _in_another_process(office: Office, code: str) -> None:
    """Run ``code`` in a new Python process with ``config`` (the office's config path) and ``TW1`` set."""
    prelude = ("from sheets_sync.config import load\nfrom sheets_sync.model import Period\n"
               f"config = {str(office.config)!r}\nTW1 = Period(2025, 1)\n")
    done = subprocess.run([sys.executable, "-c", prelude + code], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr


@contextmanager
def _statements(app: App) -> Iterator[list[str]]:
    """The SQL statements ``app``'s store connection runs inside the block."""
    seen: list[str] = []
    app.store.conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        app.store.conn.set_trace_callback(None)


def _settled(office: Office) -> App:
    app = office.app(at(14, 10))
    poll(app, TW1)
    office.clock.set(at(14, 10, 15))
    poll(app, TW1)
    return app


def _findings(report: PollReport, unit: str) -> set[str]:
    return {f.code for s in report.statuses if s.unit == unit for f in s.findings}


def test_an_idle_poll_reads_no_snapshot_and_no_status_from_the_store(prepared: Office) -> None:
    app = _settled(prepared)
    try:
        before = poll(app, TW1)
        prepared.clock.set(at(14, 10, 30))
        with _statements(app) as sql:
            again = poll(app, TW1)
        assert again.statuses == before.statuses and again.read == []
        assert not [s for s in sql if "snapshots" in s or "poll_state" in s or "approvals" in s], sql
        assert len(sql) <= 8, sql  # two change checks and one commit of the cycle's marks
    finally:
        app.store.close()


def test_a_decision_another_process_records_in_the_store_is_in_the_next_idle_poll(prepared: Office) -> None:
    app = _settled(prepared)
    try:
        assert "kunci_gagal" not in _findings(poll(app, TW1), "PKA")
        forms = app.backend.listing()  # type: ignore[attr-defined]
        _in_another_process(prepared, """
from datetime import datetime
from zoneinfo import ZoneInfo
from sheets_sync.store import Store
settings = load(config)
store = Store.open(settings.store_url)
snap = store.latest_snapshot("PKA", str(TW1))
store.record_approval("PKA", str(TW1), "Disetujui", "", "2025-04-14", snap.id, snap.sha256,
                      datetime(2025, 4, 14, 10, 20, tzinfo=ZoneInfo("Asia/Jakarta")), action="lock")
store.close()
""")
        assert app.backend.listing() == forms  # type: ignore[attr-defined]  # only the store moved
        prepared.clock.set(at(14, 10, 30))
        report = poll(app, TW1)
        assert "kunci_gagal" in _findings(report, "PKA"), "the pending lock of the new decision is shown"
        assert "kunci_gagal" not in _findings(report, "SEK")
    finally:
        app.store.close()


def test_a_form_another_process_saves_is_read_by_the_next_idle_poll(prepared: Office) -> None:
    app = _settled(prepared)
    try:
        assert poll(app, TW1).read == []
        _in_another_process(prepared, """
from sheets_sync.service.app import App
from sheets_sync.service.demo import type_into
app = App.from_settings(load(config))
type_into(app, "MP", {"3.3:keterangan": "Diperbarui oleh bidang"}, TW1)
app.store.close()
""")
        prepared.clock.set(at(14, 10, 30))
        report = poll(app, TW1)
        assert report.read == ["MP"]
        latest = app.store.latest_snapshot("MP", str(TW1))
        assert latest is not None and latest.payload["rows"]["3.3"]["keterangan"] == "Diperbarui oleh bidang"
    finally:
        app.store.close()


def test_the_schedulers_own_bookkeeping_between_polls_keeps_the_idle_answer(prepared: Office) -> None:
    app = _settled(prepared)
    try:
        run = app.store.job_started("poll", app.now())
        app.store.job_finished(run, app.now(), True)
        prepared.clock.set(at(14, 10, 30))
        with _statements(app) as sql:
            poll(app, TW1)
        assert not [s for s in sql if "snapshots" in s or "poll_state" in s], sql
        app.store.set_meta("digest_rows:2025-TW1", "[]")  # a write a status or the Rekap may depend on
        prepared.clock.set(at(14, 10, 45))
        with _statements(app) as sql:
            poll(app, TW1)
        assert [s for s in sql if "snapshots" in s], "anything else written in between: computed again"
    finally:
        app.store.close()


def test_every_full_sweep_is_still_a_full_read_between_idle_answers(prepared: Office) -> None:
    app = _settled(prepared)
    try:
        every = app.settings.local.full_sweep_every
        reads = []
        for minute in range(every + 1):
            prepared.clock.set(at(14, 11, minute))
            reads.append(len(poll(app, TW1).read))
        assert reads.count(5) == 1 and reads.count(0) == every, reads
        poll_job(app, app.now())  # the service's job on top of it changes nothing read
    finally:
        app.store.close()


def test_a_poll_killed_between_two_reads_keeps_the_reads_before_it_and_the_next_poll_adds_no_duplicate(
        prepared: Office) -> None:
    import sqlite3

    from crash.office import UNITS

    def snapshots() -> dict[str, int]:
        conn = sqlite3.connect(f"file:{prepared.store_path}?mode=ro", uri=True)
        try:
            return dict(conn.execute("SELECT unit, COUNT(*) FROM snapshots WHERE period=? GROUP BY unit",
                                     (str(TW1),)).fetchall())
        finally:
            conn.close()

    before = snapshots()
    app = prepared.app(at(14, 9))
    try:
        for n, unit in enumerate(UNITS):
            code = next(i.code for i in load_control(app).indicators_of(unit))
            type_into(app, unit, {f"{code}:keterangan": f"Revisi {n}"}, TW1)
    finally:
        app.store.close()
    killed = prepared.cli("poll", "--period", str(TW1), now=at(14, 10),
                          kill="sheets_sync.service.poll:_read_one:before:3")
    assert killed.killed, killed
    added = {u: snapshots().get(u, 0) - before.get(u, 0) for u in UNITS}
    assert sorted(added.values()) == [0, 0, 0, 1, 1], "the two reads before the kill are kept, each once"
    again = prepared.cli("poll", "--period", str(TW1), now=at(14, 10, 15))
    assert again.code in (0, 1), again
    assert {u: snapshots()[u] - before.get(u, 0) for u in UNITS} == {u: 1 for u in UNITS}, \
        "each edit kept once: the reads before the kill not again"


def test_from_the_lock_date_on_every_poll_claims_the_date_locks_instead_of_answering_from_memory(
        prepared: Office) -> None:
    app = prepared.app(at(14, 10))
    try:
        sched = load_control(app).schedule(TW1)
        assert sched is not None and sched.lock is not None
        before = sched.lock - (at(14, 10, 15) - at(14, 10))
        prepared.clock.set(before - (at(14, 10, 15) - at(14, 10)))
        poll(app, TW1)
        prepared.clock.set(before)
        poll(app, TW1)  # kept in memory, the lock date not reached
        prepared.clock.set(sched.lock)
        with _statements(app) as sql:
            poll(app, TW1)
        assert [s for s in sql if "lock_date" in s], "the lock step ran on the first poll at the lock date"
    finally:
        app.store.close()
