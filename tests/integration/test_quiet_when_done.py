"""Quiet when done: no daily digest for a finished period (one closing digest), ``run --once`` sends
only what is due, and the log speaks office time."""

from __future__ import annotations

import io
import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sheets_sync.core.clock import ManualClock
from sheets_sync.runtime.jobs import digest_job, make_runner, poll_job
from sheets_sync.runtime.logs import reset_logging, setup_logging

WIB = ZoneInfo("Asia/Jakarta")


def test_after_the_final_documents_one_closing_digest_then_none(app: Any, clock: ManualClock) -> None:
    clock.set(datetime(2025, 4, 9, 7, 30, tzinfo=WIB))
    poll_job(app, clock())
    digest_job(app, clock())
    app.store.record_document("2025-TW1", "pengukuran_kinerja:triwulan", False, "/d/pk v1.docx", "a" * 64, "r",
                              clock())
    for day in (10, 11, 14, 15):
        clock.set(datetime(2025, 4, day, 7, 30, tzinfo=WIB))
        digest_job(app, clock())
    keys = [m.dedupe_key for m in app.store.messages(kind="digest")]
    assert keys == ["digest:2025-TW1:2025-04-09", "digest:2025-TW1:penutup"]


def test_run_once_at_night_does_not_send_the_morning_digest(app: Any, clock: ManualClock) -> None:
    clock.set(datetime(2025, 4, 9, 1, 52, tzinfo=WIB))
    runner = make_runner(app, sleep=clock.sleep)
    runner.run_once(due_only=True)
    ran = {r["job"] for r in app.store.job_runs()}
    assert "digest" not in ran and "reminders" not in ran and {"poll", "deliver"} <= ran
    clock.set(datetime(2025, 4, 9, 7, 45, tzinfo=WIB))
    runner.run_once(due_only=True)
    assert "digest" in {r["job"] for r in app.store.job_runs()}


def test_log_lines_carry_the_office_time_and_offset() -> None:
    out = io.StringIO()
    setup_logging("INFO", "text", stream=out, tz=ZoneInfo("Asia/Makassar"))
    try:
        logging.getLogger("sheets_sync.test").info("halo")
    finally:
        reset_logging()
    assert "+0800 INFO sheets_sync.test: halo" in out.getvalue()
