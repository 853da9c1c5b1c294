"""Nothing is sent twice across a restart: a process killed mid-cycle, then a fresh Store on the same file."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# One poll cycle as the service runs it: plan → queue → deliver.  ``CRASH`` picks where the process dies
# (os._exit: no cleanup, no commit of anything not yet committed).
CYCLE = textwrap.dedent(
    """
    import os, sys
    from datetime import datetime
    from zoneinfo import ZoneInfo
    from sheets_sync.core.plan import ReminderSettings
    from sheets_sync.model import Office, Period, Schedule, Unit, UnitStatus
    from sheets_sync.notify import OutboxNotifier, deliver_due, queue_reminders
    from sheets_sync.core.plan import plan_reminders
    from sheets_sync.store import Store
    from sheets_sync.core.workdays import Calendar

    db, outbox, crash, day = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    WIB = ZoneInfo("Asia/Jakarta")
    now = datetime(2025, 4, day, 9, 0, tzinfo=WIB)
    p = Period(2025, 1)
    sched = Schedule(p, datetime(2025, 4, 1, 8, tzinfo=WIB), datetime(2025, 4, 10, 23, 59, tzinfo=WIB))
    units = [Unit("MP", "Bidang Mutasi dan Promosi", "Yohanes", "mp@kab.example", "op.mp@kab.example"),
             Unit("PKA", "Bidang PKA", "Ni Made", "pka@kab.example", "op.pka@kab.example")]
    statuses = {u.code: UnitStatus(u.code, p, "Sebagian", 2, 8) for u in units}
    office = Office("PEMERINTAH KABUPATEN SUKAMAJU", "BKPSDM", "BKPSDM", "Sukamaju", "")
    store = Store.open(db)
    reminders = plan_reminders(now, p, sched, units, statuses, ReminderSettings(), Calendar(), {}, tz=WIB)
    queued = queue_reminders(store, reminders, now, office=office)
    print("queued", len(queued), flush=True)
    if crash == "after-enqueue":
        os._exit(9)
    if crash == "after-send":
        store.mark_sent = lambda *a, **k: os._exit(9)
    report = deliver_due(store, OutboxNotifier(outbox), now, sender="PPKP <ppkp@kab.example>")
    print("sent", len(report.sent), flush=True)
    """
)


def cycle(tmp_path: Path, crash: str = "none", day: int = 9) -> tuple[int, str]:
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, "-c", CYCLE, str(tmp_path / "state.sqlite3"), str(tmp_path / "outbox"), crash, str(day)],
        capture_output=True, text=True, timeout=60, cwd=root, env={"PYTHONPATH": str(root), "PATH": ""},
    )
    assert proc.returncode in (0, 9), proc.stderr
    return proc.returncode, proc.stdout


def emls(tmp_path: Path) -> list[str]:
    folder = tmp_path / "outbox"
    return sorted(p.name for p in folder.glob("*.eml")) if folder.exists() else []


@pytest.mark.slow
def test_a_crash_after_enqueue_before_delivery_sends_each_reminder_exactly_once(tmp_path: Path) -> None:
    code, out = cycle(tmp_path, "after-enqueue")
    assert code == 9 and "queued 2" in out and emls(tmp_path) == []
    code, out = cycle(tmp_path)  # restart: same slot planned again, nothing new queued, the queue drains
    assert code == 0 and "queued 0" in out and "sent 2" in out
    code, out = cycle(tmp_path)  # and again: nothing
    assert "queued 0" in out and "sent 0" in out
    assert emls(tmp_path) == ["20250409-090000_reminder_2025-TW1_MP_H-1.eml",
                              "20250409-090000_reminder_2025-TW1_PKA_H-1.eml"]
    code, out = cycle(tmp_path, day=10)  # the next slot is a new decision
    assert "queued 2" in out and "sent 2" in out and len(emls(tmp_path)) == 4


@pytest.mark.slow
def test_a_crash_between_sending_and_recording_rewrites_the_same_outbox_file(tmp_path: Path) -> None:
    code, _ = cycle(tmp_path, "after-send")
    assert code == 9 and len(emls(tmp_path)) == 1  # died right after the first file was written
    code, out = cycle(tmp_path)
    assert "sent 2" in out
    assert len(emls(tmp_path)) == 2  # the first one re-sent under the same name, not duplicated
