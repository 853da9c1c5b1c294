"""The service's real jobs under the runner: outages, restarts and reminders on the office calendar."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.config import load
from sheets_sync.core.clock import ManualClock
from sheets_sync.errors import TransientError
from sheets_sync.runtime.jobs import deliver_job, make_runner, poll_job, reminder_job
from sheets_sync.service.app import App
from sheets_sync.service.demo import type_into

WIB = ZoneInfo("Asia/Jakarta")


def test_the_service_survives_a_backend_outage_and_recovers(app: Any, clock: ManualClock,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    clock.set(datetime(2025, 4, 8, 9, 0, tzinfo=WIB))
    runner = make_runner(app, sleep=clock.sleep)
    real_read = app.backend.read

    def down(*args: Any, **kw: Any) -> Any:
        raise TransientError("backend tidak menjawab")

    monkeypatch.setattr(app.backend, "read", down)
    assert runner.run_once() == 1
    failed = [r for r in app.store.job_runs("poll") if not r["ok"]]
    assert failed and "tidak menjawab" in failed[-1]["error"]
    monkeypatch.setattr(app.backend, "read", real_read)
    clock.sleep(3600)
    runner.run_once()
    assert app.store.job_runs("poll")[-1]["ok"] == 1
    assert len(app.store.forms(2025)) == 5  # the period was provisioned once the backend came back


def test_reminders_are_queued_once_even_across_a_restart(office: Path, clock: ManualClock) -> None:
    clock.set(datetime(2025, 4, 8, 9, 0, tzinfo=WIB))
    first = App.from_settings(load(office), clock=clock)
    poll_job(first, clock())
    type_into(first, "PKA", {"1.1:realisasi": "-", "1.1:keterangan": "tahunan", "1.2:realisasi": "16,5",
                             "1.3:realisasi": 52})
    clock.set(datetime(2025, 4, 9, 8, 15, tzinfo=WIB))  # H-1 (deadline Thursday 10 April)
    poll_job(first, clock())
    reminder_job(first, clock())
    keys = {m.dedupe_key for m in first.store.messages(kind="reminder")}
    assert keys and all(k.endswith(":H-1") for k in keys)
    assert not any(":PKA:" in k for k in keys)  # complete: no reminder
    first.store.close()

    again = App.from_settings(load(office), clock=clock)  # a restart: new process, same store
    reminder_job(again, clock())
    assert {m.dedupe_key for m in again.store.messages(kind="reminder")} == keys
    deliver_job(again, clock())
    deliver_job(again, clock())
    outbox = list(again.settings.notify.outbox.glob("*reminder*.eml"))
    assert len(outbox) == len(keys)


def test_no_reminder_on_a_holiday_or_outside_the_sending_hours(app: Any, clock: ManualClock) -> None:
    clock.set(datetime(2025, 4, 8, 9, 0, tzinfo=WIB))
    poll_job(app, clock())
    clock.set(datetime(2025, 4, 9, 6, 30, tzinfo=WIB))  # before send_time 08:00
    reminder_job(app, clock())
    clock.set(datetime(2025, 4, 12, 9, 0, tzinfo=WIB))  # Saturday
    reminder_job(app, clock())
    assert app.store.messages(kind="reminder") == []


def test_selesai_with_cells_missing_keeps_reminders_going_and_says_so(app: Any, clock: ManualClock) -> None:
    from openpyxl import load_workbook

    from sheets_sync.model import Period
    from sheets_sync.service.control_io import load_control
    from sheets_sync.service.poll import statuses
    from sheets_sync.service.status_view import render_table

    period = Period(2025, 1)
    clock.set(datetime(2025, 4, 8, 9, 0, tzinfo=WIB))
    poll_job(app, clock())
    type_into(app, "PKA", {"1.2:realisasi": "16,5", "selesai": "Selesai"})  # 1 of 3 cells, then "Selesai"
    clock.set(datetime(2025, 4, 9, 8, 15, tzinfo=WIB))  # H-1
    poll_job(app, clock())
    sts = statuses(app, period, load_control(app))
    pka = next(s for s in sts if s.unit == "PKA")
    assert pka.done_flag and pka.shown_state == "Sebagian — Selesai belum berlaku"
    reminder_job(app, clock())
    [msg] = [m for m in app.store.messages(kind="reminder") if ":PKA:" in m.dedupe_key]
    assert 'berstatus "Sebagian — Selesai belum berlaku"' in msg.body_text
    assert "tanda itu belum berlaku" in msg.body_text
    rekap = load_workbook(app.backend.report_sheet(app.settings.control))["Rekap"]
    assert any("PKA" in r and "Sebagian — Selesai belum berlaku" in r for r in rekap.iter_rows(values_only=True))
    assert "Sebagian — Selesai belum berlaku" in render_table(app, period, sts)


def test_run_once_tells_its_progress_of_each_bidang_its_full_sweep_reads(app: Any, clock: ManualClock) -> None:
    """``run --once`` is watched by a person or cron: its poll, a full sweep, reports each bidang through
    the progress port; the service that runs forever is given none."""
    clock.set(datetime(2025, 4, 8, 9, 0, tzinfo=WIB))
    heard: list[tuple[int, int, str]] = []
    runner = make_runner(app, sleep=clock.sleep, once=True,
                         progress=lambda n, total, what: heard.append((n, total, what)))
    runner.run_once(due_only=True)
    codes = ["SEK", "PPIK", "MP", "PKA", "PKAP"]  # the Bidang tab's order
    assert heard == [(n, len(codes), code) for n, code in enumerate(codes, start=1)]
