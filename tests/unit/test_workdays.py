"""Working-day calendar: weekends, holidays and cuti bersama are skipped."""

from __future__ import annotations

from datetime import date

import pytest

from sheets_sync.core.workdays import Calendar

NYEPI = date(2025, 3, 28)  # a Friday (cuti bersama in 2025)
IDUL_FITRI = frozenset({date(2025, 3, 31), date(2025, 4, 1)})  # Monday, Tuesday
CAL = Calendar(holidays=frozenset({NYEPI}) | IDUL_FITRI)


@pytest.mark.parametrize(
    ("d", "expected"),
    [(date(2025, 2, 24), True), (date(2025, 3, 1), False), (date(2025, 3, 2), False), (NYEPI, False),
     (date(2025, 3, 31), False), (date(2025, 4, 2), True)],
)
def test_a_workday_is_neither_weekend_nor_holiday(d: date, expected: bool) -> None:
    assert CAL.is_workday(d) is expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 2, 24), 0, date(2025, 2, 24)),
        (date(2025, 2, 24), 3, date(2025, 2, 27)),
        (date(2025, 2, 28), 1, date(2025, 3, 3)),
        (date(2025, 3, 27), 1, date(2025, 4, 2)),
        (date(2025, 3, 24), 5, date(2025, 4, 3)),
        (date(2025, 4, 2), -1, date(2025, 3, 27)),
        (date(2025, 3, 3), -1, date(2025, 2, 28)),
        (date(2025, 3, 1), 0, date(2025, 3, 1)),
        (date(2025, 3, 1), 1, date(2025, 3, 3)),
    ],
)
def test_add_workdays_skips_weekends_and_holidays_in_both_directions(
    start: date, n: int, expected: date
) -> None:
    assert CAL.add_workdays(start, n) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (date(2025, 2, 24), date(2025, 2, 24), 0),
        (date(2025, 2, 24), date(2025, 2, 28), 4),
        (date(2025, 2, 28), date(2025, 3, 3), 1),
        (date(2025, 3, 27), date(2025, 4, 2), 1),
        (date(2025, 4, 2), date(2025, 3, 27), -1),
        (date(2025, 1, 1), date(2025, 12, 31), 260 - 3),  # 1 Jan excluded
        (date(2025, 3, 29), date(2025, 3, 27), -1),
    ],
)
def test_workdays_between_counts_the_half_open_interval(a: date, b: date, expected: int) -> None:
    assert CAL.workdays_between(a, b) == expected


@pytest.mark.parametrize("n", [-15, -7, -1, 0, 1, 2, 5, 10, 30])
def test_workdays_between_is_the_inverse_of_add_workdays(n: int) -> None:
    for start in (date(2025, 3, 20), date(2025, 3, 29), NYEPI):
        assert CAL.workdays_between(start, CAL.add_workdays(start, n)) == n


def test_next_previous_and_roll_forward_around_a_long_weekend() -> None:
    assert CAL.next_workday(date(2025, 3, 27)) == date(2025, 4, 2)
    assert CAL.next_workday(date(2025, 4, 2)) == date(2025, 4, 3)
    assert CAL.previous_workday(date(2025, 4, 2)) == date(2025, 3, 27)
    assert CAL.roll_forward(NYEPI) == date(2025, 4, 2)
    assert CAL.roll_forward(date(2025, 4, 2)) == date(2025, 4, 2)


def test_a_six_day_week_office_works_on_saturday() -> None:
    cal = Calendar.of(weekend=[6])
    assert cal.is_workday(date(2025, 3, 1))
    assert cal.add_workdays(date(2025, 2, 28), 1) == date(2025, 3, 1)
    assert cal.workdays_between(date(2025, 2, 24), date(2025, 3, 3)) == 6


def test_default_calendar_has_saturday_and_sunday_off_and_no_holidays() -> None:
    cal = Calendar()
    assert cal.weekend == frozenset({5, 6})
    assert cal.holidays == frozenset()
    assert not cal.is_workday(date(2025, 3, 1))


@pytest.mark.parametrize("weekend", [frozenset(range(7)), frozenset({7})])
def test_a_calendar_without_working_days_or_with_bad_weekdays_is_refused(weekend: frozenset[int]) -> None:
    with pytest.raises(ValueError):
        Calendar(weekend=weekend)
