"""Working days from Indonesia's national calendar (the ``holidays`` package), the config and the
control workbook's ``Libur`` tab; ``N hari kerja`` deadlines in ``Jadwal`` count them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typed_xlsx import date_cell, type_cells

from sheets_sync.backends.local import LocalBackend
from sheets_sync.config.holidays import calendar_of, national_holidays, non_working_days
from sheets_sync.core.control import parse_libur
from sheets_sync.core.plan import ReminderSettings, reminder_slots
from sheets_sync.core.workdays import Calendar
from sheets_sync.model import DayOverride, Period
from sheets_sync.service.control_io import read_control
from sheets_sync.service.office import example_tabs

WIB = ZoneInfo("Asia/Jakarta")
TW1 = Period(2025, 1)
NOTHING_CONFIGURED = ReminderSettings()  # holidays = [], working_days = []


@pytest.mark.parametrize("day", [date(2025, 3, 31), date(2025, 4, 18), date(2025, 4, 1), date(2025, 5, 29),
                                 date(2025, 6, 6), date(2025, 9, 5), date(2025, 8, 18)])
def test_with_no_holidays_configured_the_national_holidays_are_not_working_days(day: date) -> None:
    assert day.weekday() < 5
    assert not calendar_of(NOTHING_CONFIGURED, 2025).is_workday(day)


def test_cuti_bersama_are_off_unless_switched_off_and_public_holidays_stay_off() -> None:
    cuti = date(2025, 4, 2)  # Cuti Bersama Hari Raya Idul Fitri
    assert "Cuti Bersama" in national_holidays([2025])[cuti]
    assert not calendar_of(NOTHING_CONFIGURED, 2025).is_workday(cuti)
    public_only = ReminderSettings(cuti_bersama=False)
    assert calendar_of(public_only, 2025).is_workday(cuti)
    assert not calendar_of(public_only, 2025).is_workday(date(2025, 3, 31))
    assert calendar_of(ReminderSettings(national_holidays=False), 2025).is_workday(date(2025, 3, 31))


def test_every_year_around_the_office_year_is_covered() -> None:
    cal = calendar_of(NOTHING_CONFIGURED, 2025)
    assert not cal.is_workday(date(2026, 1, 1))  # TW IV's deadline falls in January of the next year
    assert not cal.is_workday(date(2024, 12, 25))
    assert len([d for d in national_holidays([2025]) if d.year == 2025]) == 28


def test_the_config_and_the_libur_tab_add_and_remove_days_and_the_tab_wins() -> None:
    settings = ReminderSettings(holidays=(date(2025, 10, 20),), working_days=(date(2025, 4, 7),))
    cal = calendar_of(settings, 2025)
    assert not cal.is_workday(date(2025, 10, 20)) and cal.is_workday(date(2025, 4, 7))
    libur = (DayOverride(date(2025, 10, 20), False, "batal"), DayOverride(date(2025, 4, 12), False, "Sabtu masuk"))
    cal = calendar_of(settings, 2025, libur)
    assert cal.is_workday(date(2025, 10, 20)) and cal.is_workday(date(2025, 4, 12))  # a Saturday worked


def test_doctor_lists_the_non_working_days_of_the_year_with_why() -> None:
    libur = (DayOverride(date(2025, 10, 20), True, "Hari Jadi Kabupaten"),)
    days = {d.day: d.why for d in non_working_days(NOTHING_CONFIGURED, 2025, libur)}
    assert days[date(2025, 3, 31)] == "Hari Raya Idul Fitri"
    assert days[date(2025, 10, 20)] == "Hari Jadi Kabupaten"
    assert days[date(2025, 1, 4)] == "Sabtu"
    assert all(d.year == 2025 for d in days)
    assert date(2025, 4, 8) not in days


_CAL = Calendar(frozenset({date(2025, 3, 31), date(2025, 4, 1)}), workdays=frozenset({date(2025, 4, 5)}))


@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 12, 31)), st.integers(-40, 40))
def test_workdays_between_inverts_add_workdays_also_with_a_worked_saturday(start: date, n: int) -> None:
    assert _CAL.workdays_between(start, _CAL.add_workdays(start, n)) == n
    end = start + timedelta(days=abs(n))
    brute = sum(1 for k in range(1, abs(n) + 1) if _CAL.is_workday(start + timedelta(days=k)))
    assert _CAL.workdays_between(start, end) == brute


def test_a_libur_tab_as_typed_with_date_cells_text_dates_and_bad_rows() -> None:
    values = [["Tanggal", "Keterangan", "Jenis", "Petunjuk"],
              [datetime(2025, 10, 20), "Hari Jadi", "libur", "…"],
              ["07/04/2025", "Kantor masuk", "Masuk"],
              ["2025-13-01", "salah", ""],
              ["2025-05-02", "", "cuti"]]
    days, findings = parse_libur(values, "Asia/Jakarta")
    assert days == (DayOverride(date(2025, 10, 20), True, "Hari Jadi"), DayOverride(date(2025, 4, 7), False,
                                                                                    "Kantor masuk"))
    assert [(f.sheet, f.cell, f.code) for f in findings] == [("Libur", "A4", "tanggal_tidak_valid"),
                                                            ("Libur", "C5", "jenis_libur_tidak_dikenal")]
    assert all(f.fix for f in findings)


def test_a_libur_row_moves_a_deadline_counted_in_working_days(kendali: tuple[LocalBackend, Path]) -> None:
    backend, path = kendali
    base = calendar_of(NOTHING_CONFIGURED, 2025)
    # TW I opens Tuesday 8 April; "3 hari kerja" = 8, 9, 10 April (the opening day counts).
    type_cells(path, "Jadwal", {"B2": date_cell(date(2025, 4, 8)), "C2": "3 hari kerja", "D2": "5 hari kerja"})
    sched = read_control(backend, str(path), "Asia/Jakarta", base).schedule(TW1)
    assert sched is not None and sched.deadline == datetime(2025, 4, 10, 23, 59, 59, tzinfo=WIB)
    assert sched.lock == datetime(2025, 4, 17, 23, 59, 59, tzinfo=WIB)  # 18 April is Wafat Yesus Kristus
    type_cells(path, "Libur", {"A3": date_cell(date(2025, 4, 9)), "B3": "Hari Jadi Kabupaten", "C3": "libur"})
    control = read_control(backend, str(path), "Asia/Jakarta", base)
    moved = control.schedule(TW1)
    assert moved is not None and moved.deadline == datetime(2025, 4, 11, 23, 59, 59, tzinfo=WIB)
    assert moved.lock == datetime(2025, 4, 21, 23, 59, 59, tzinfo=WIB)  # 14–17 April, then Monday 21
    assert DayOverride(date(2025, 4, 9), True, "Hari Jadi Kabupaten") in control.libur
    # ...and the reminders of the same calendar move with it: H-1 is the day before the new deadline.
    cal = base.with_overrides(control.libur)
    slots = {s.label: s.at.date() for s in reminder_slots(moved, ReminderSettings(), cal, WIB)}
    assert slots["H"] == date(2025, 4, 11) and slots["H-1"] == date(2025, 4, 10)


def test_a_workbook_without_a_libur_tab_reads_as_before(tmp_path: Path) -> None:
    backend = LocalBackend(tmp_path / "forms")
    path = tmp_path / "kendali.xlsx"
    backend.write(str(path), [w for w in example_tabs("bkpsdm") if not w.range.startswith("Libur")])
    control = read_control(backend, str(path), "Asia/Jakarta")
    assert control.libur == () and not [f for f in control.findings if f.sheet == "Libur"]
    assert control.schedule(TW1) is not None
