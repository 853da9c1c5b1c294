"""Working-day calendar for deadlines and reminders.  Pure: no clock, no I/O.

A :class:`Calendar` knows which weekdays are weekend (``date.weekday()`` numbers, Monday = 0; default
Saturday and Sunday) and a set of holidays (libur nasional and cuti bersama, a per-office *setting*).

* :meth:`Calendar.is_workday` — not a weekend day and not a holiday.
* :meth:`Calendar.add_workdays` — move ``n`` working days from ``d`` (``n`` may be negative; ``d`` itself
  is not counted, ``n == 0`` returns ``d`` unchanged even on a holiday).  Friday + 1 → Monday.
* :meth:`Calendar.workdays_between` — working days in the half-open interval ``(a, b]``; when ``b < a``
  minus the working days in ``[b, a)``; so ``workdays_between(a, add_workdays(a, n)) == n`` for every
  ``n`` and every start date (also a weekend or holiday).
* :meth:`Calendar.next_workday` — first working day strictly after ``d``;
  :meth:`Calendar.previous_workday` — last working day strictly before ``d``;
  :meth:`Calendar.roll_forward` — ``d`` itself when it is a working day, else the next one (moves a
  deadline that falls on a holiday).
* :meth:`Calendar.with_overrides` — the office's own days: a *libur* day added, a *masuk* day (the
  office works although the national calendar has a holiday or cuti bersama) removed; a later override
  of the same day wins.
* :meth:`Calendar.days_off` — every non-working day of a year (weekends and holidays) in order.

The national holidays themselves come from outside core (``sheets_sync.config.holidays``, the
``holidays`` package): a Calendar arrives here as a value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sheets_sync.model import DayOverride

__all__ = ["Calendar"]

_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Calendar:
    """Weekend weekdays (Monday = 0), holiday dates and weekend dates worked; at least one weekday must be
    a working day."""

    holidays: frozenset[date] = frozenset()
    weekend: frozenset[int] = field(default_factory=lambda: frozenset({5, 6}))
    workdays: frozenset[date] = frozenset()  # weekend dates the office works (a *masuk* Saturday)

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "weekend", frozenset(self.weekend))
        object.__setattr__(self, "workdays", frozenset(self.workdays) - self.holidays)
        if not self.weekend <= set(range(7)):
            raise ValueError(f"weekend days must be 0 (Monday) … 6 (Sunday), got {sorted(self.weekend)}")
        if len(self.weekend) == 7:
            raise ValueError("a calendar needs at least one working weekday")

    @classmethod
    def of(cls, holidays: Iterable[date] = (), weekend: Iterable[int] = (5, 6)) -> Calendar:
        """Build from any iterables (e.g. a list of holiday dates read from configuration)."""
        return cls(frozenset(holidays), frozenset(weekend))

    def with_overrides(self, overrides: Iterable[DayOverride]) -> Calendar:
        """This calendar with the office's overrides applied in order (see the module docstring)."""
        days, extra = set(self.holidays), set(self.workdays)
        for o in overrides:
            if o.off:
                days.add(o.day)
                extra.discard(o.day)
            else:
                days.discard(o.day)
                if o.day.weekday() in self.weekend:
                    extra.add(o.day)
        return Calendar(frozenset(days), self.weekend, frozenset(extra))

    def days_off(self, year: int) -> list[date]:
        """Every non-working day of ``year`` (weekend days and holidays), in date order."""
        d, out = date(year, 1, 1), []
        while d.year == year:
            if not self.is_workday(d):
                out.append(d)
            d += _DAY
        return out

    def is_workday(self, d: date) -> bool:
        """True when ``d`` is neither a weekend day nor a holiday."""
        if d in self.workdays:
            return True
        return d.weekday() not in self.weekend and d not in self.holidays

    def next_workday(self, d: date) -> date:
        """First working day strictly after ``d``."""
        d += _DAY
        while not self.is_workday(d):
            d += _DAY
        return d

    def previous_workday(self, d: date) -> date:
        """Last working day strictly before ``d``."""
        d -= _DAY
        while not self.is_workday(d):
            d -= _DAY
        return d

    def roll_forward(self, d: date) -> date:
        """``d`` when it is a working day, else the next working day."""
        return d if self.is_workday(d) else self.next_workday(d)

    def add_workdays(self, d: date, n: int) -> date:
        """The date ``n`` working days after ``d`` (before, when ``n`` < 0); ``d`` itself is not counted."""
        step = self.next_workday if n >= 0 else self.previous_workday
        for _ in range(abs(n)):
            d = step(d)
        return d

    def workdays_between(self, a: date, b: date) -> int:
        """Working days in ``(a, b]``; when ``b < a``, minus the working days in ``[b, a)``."""
        if b < a:
            return -self.workdays_between(b - _DAY, a - _DAY)
        full_weeks, rest = divmod((b - a).days, 7)
        per_week = 7 - len(self.weekend)
        count = full_weeks * per_week
        d = a + timedelta(days=full_weeks * 7)
        for _ in range(rest):
            d += _DAY
            if d.weekday() not in self.weekend:
                count += 1
        count -= sum(1 for h in self.holidays if a < h <= b and h.weekday() not in self.weekend)
        count += sum(1 for w in self.workdays if a < w <= b and w.weekday() in self.weekend)
        return count
