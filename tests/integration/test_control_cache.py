"""The control workbook is opened only when it changed: the parsed, validated control is kept with the
backend's fingerprint of the file (in the process and in the store), and Rekap/Dokumen writes touch only
their companion workbook, and there only the rows that changed."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from sheets_sync.config import load
from sheets_sync.core import control_codec
from sheets_sync.core.clock import ManualClock
from sheets_sync.core.plan import ReminderSettings
from sheets_sync.core.values import RangeWrite
from sheets_sync.core.workdays import Calendar
from sheets_sync.model import Control, DayOverride, Period
from sheets_sync.service.app import App
from sheets_sync.service.control_io import base_calendar, load_budget, load_control, office_calendar, read_control
from sheets_sync.service.demo import type_into
from sheets_sync.service.poll import poll
from sheets_sync.service.provision import provision
from sheets_sync.service.rekap import changed_blocks

PERIOD = Period(2025, 1)
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def reads(app: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every spreadsheet the backend reads, in order."""
    seen: list[str] = []
    real = app.backend.read

    def spy(form_id: str, ranges: Any) -> Any:
        seen.append(form_id)
        return real(form_id, ranges)

    monkeypatch.setattr(app.backend, "read", spy)
    yield seen


def test_the_cached_control_is_exactly_the_parsed_one(app: Any) -> None:
    parsed = read_control(app.backend, app.settings.control, app.settings.office.timezone)
    assert control_codec.loads(control_codec.dumps(parsed), app.settings.office.timezone) == parsed
    again = control_codec.loads(control_codec.dumps(parsed), app.settings.office.timezone)
    assert again is not None and again.schedules[0].deadline.tzinfo == parsed.schedules[0].deadline.tzinfo
    assert control_codec.loads('{"format": "control-cache/0"}', "Asia/Jakarta") is None
    assert control_codec.loads("not json", "Asia/Jakarta") is None


def test_an_unchanged_control_workbook_is_not_opened_again_not_even_by_a_new_process(
        app: Any, reads: list[str], office: Path, clock: ManualClock) -> None:
    control = app.settings.control
    first = load_control(app)
    assert reads.count(control) == 1
    assert load_control(app) is first and reads.count(control) == 1
    fresh = App.from_settings(load(office), clock=clock, store=app.store)  # e.g. the next `sheets-sync poll`
    fresh.backend = app.backend
    assert load_control(fresh) == first and reads.count(control) == 1
    wb = load_workbook(control)  # the PPKP renames a bidang in Excel
    ws = wb["Bidang"]
    ws["B2"] = "Bidang Mutasi, Promosi dan Karier"
    wb.save(control)
    assert load_control(app).units[0].name == "Bidang Mutasi, Promosi dan Karier"
    assert reads.count(control) == 2


@pytest.fixture
def calendar_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The year of every holiday calendar built (``config.holidays.calendar_of``), in order."""
    import sheets_sync.config.holidays as holidays

    built: list[int] = []
    real = holidays.calendar_of

    def spy(settings: ReminderSettings, tahun: int, libur: Sequence[DayOverride] = ()) -> Calendar:
        built.append(tahun)
        return real(settings, tahun, libur)

    monkeypatch.setattr(holidays, "calendar_of", spy)
    return built


def test_a_control_load_builds_the_holiday_calendar_once_and_later_loads_not_at_all(
        app: Any, calendar_builds: list[int], office: Path) -> None:
    first = load_control(app)
    assert calendar_builds == [2025]
    load_budget(app, PERIOD)
    office_calendar(app, first)
    wb = load_workbook(app.settings.control)  # the PPKP edits the workbook: read and parsed again
    wb["Bidang"]["B2"] = "Bidang Mutasi, Promosi dan Karier"
    wb.save(app.settings.control)
    assert load_control(app) is not first
    assert calendar_builds == [2025]


def test_a_changed_holiday_setting_builds_the_calendar_again_and_parses_the_control_again(
        app: Any, calendar_builds: list[int]) -> None:
    first = load_control(app)
    extra_day_off = dataclasses.replace(app.settings.reminders, holidays=(date(2025, 4, 14),))
    app.settings = dataclasses.replace(app.settings, reminders=extra_day_off)
    again = load_control(app)
    assert calendar_builds == [2025, 2025]
    assert again is not first
    assert not base_calendar(app).is_workday(date(2025, 4, 14))
    assert calendar_builds == [2025, 2025]


def test_polls_read_the_control_only_after_it_changed_and_rekap_rows_only_when_they_changed(
        app: Any, reads: list[str], clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    provision(app, PERIOD)  # writes the links into Bidang: the control changed
    poll(app, PERIOD)
    control = app.settings.control
    before = reads.count(control)
    written: list[list[RangeWrite]] = []
    real_write = app.backend.write
    monkeypatch.setattr(app.backend, "write", lambda fid, w: (written.append(list(w)), real_write(fid, w))[1])
    clock.set(datetime(2025, 4, 8, 10, 0, tzinfo=WIB))
    type_into(app, "PKA", {"1.3:realisasi": 52})
    poll(app, PERIOD)
    assert reads.count(control) == before, "the control workbook did not change: not read"
    (rekap,) = written
    rows = [w.range for w in rekap]
    grid = list(load_workbook(app.backend.report_sheet(control))["Rekap"].iter_rows(values_only=True))
    pka = next(n for n, r in enumerate(grid, start=1) if r[1] == "PKA")  # the table (Kode in B)
    pka_summary = next(n for n, r in enumerate(grid, start=1) if r[0] == "PKA")  # the summary (Kode in A)
    total = next(n for n, r in enumerate(grid, start=1) if r[1] == "Jumlah")
    assert rows == ["Rekap!A2", f"Rekap!A{pka}", f"Rekap!A{pka_summary}", f"Rekap!A{total}"], \
        "only the time line and the PKA rows (table and summary, and the summary's total) are rewritten"


def test_changed_blocks_writes_runs_of_changed_rows_and_blanks_removed_ones() -> None:
    old = [["a", 1], ["b", 2], ["c", 3], ["d", 4]]
    new = [["a", 1], ["B", 2], ["C", ""], ["d", 4]]
    assert changed_blocks("Rekap", old, new) == [RangeWrite("Rekap!A2", [["B", 2], ["C", ""]])]
    assert changed_blocks("Rekap", old, old[:2]) == [RangeWrite("Rekap!A3", [[None, None], [None, None]])]
    assert changed_blocks("Rekap", [["x", None]], [["x", ""]]) == []


def test_an_idle_poll_keeps_every_status_and_recomputes_them_when_the_deadline_passes(
        app: Any, clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    import sheets_sync.service.poll as poll_module
    import sheets_sync.service.rekap as rekap_module

    provision(app, PERIOD)
    first = poll(app, PERIOD)
    evaluated: list[str] = []
    tables: list[int] = []
    real_evaluate, real_rows = poll_module.evaluate, rekap_module.rekap_rows
    monkeypatch.setattr(poll_module, "evaluate",
                        lambda *a, **k: (evaluated.append(k["unit"]), real_evaluate(*a, **k))[1])
    monkeypatch.setattr(rekap_module, "rekap_rows", lambda *a: (tables.append(1), real_rows(*a))[1])
    clock.set(datetime(2025, 4, 8, 10, 0, tzinfo=WIB))
    idle = poll(app, PERIOD)
    assert evaluated == [] and tables == [], "nothing moved: no status computed, no Rekap table built"
    assert idle.statuses == first.statuses
    type_into(app, "PKA", {"1.3:realisasi": 52})
    clock.set(datetime(2025, 4, 8, 11, 0, tzinfo=WIB))
    poll(app, PERIOD)
    assert evaluated == ["PKA"] and tables == [1]
    evaluated.clear()
    clock.set(datetime(2025, 4, 11, 9, 0, tzinfo=WIB))  # after the deadline (10 April 16:00)
    late = poll(app, PERIOD)
    assert sorted(evaluated) == sorted(u.code for u in load_control(app).units)
    assert {s.state for s in late.statuses} <= {"Tidak mengisi", "Lengkap", "Terlambat"}


def test_the_cache_keeps_the_cascading_formula_and_renstra_columns() -> None:
    from sheets_sync.reports.sample import cascading_request

    inds = cascading_request().indicators
    control = Control((), inds)
    again = control_codec.loads(control_codec.dumps(control), "Asia/Jakarta")
    assert again == control
    assert again is not None and [(i.tingkat, i.kode_induk, i.iku, i.rumus_negatif, i.target_renstra)
                                  for i in again.indicators][3:5] == [("program", "1.1", False, "", ""),
                                                                       ("program", "1.2", False, "", "")]
    old = control_codec.dumps(control).replace('"indicator_fields":', '"indicator_fields_old":')
    assert control_codec.loads(old, "Asia/Jakarta") is None  # a cache of another model is read again
