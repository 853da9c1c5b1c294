"""The office's working-day calendar from Indonesia's national holidays (the ``holidays`` package),
the ``[reminders]`` settings and the control workbook's ``Libur`` tab.

This is the only module that imports ``holidays`` (an import-linter contract): core stays pure and gets
a ready :class:`~sheets_sync.core.workdays.Calendar`.

Rule (also in README "Working days"): a day is a working day unless it is a Saturday or Sunday, a
public holiday of Indonesia (``holidays`` category ``public``), a cuti bersama (category
``government``; off with ``cuti_bersama = false``), a date in ``holidays``, or a ``libur`` row of the
``Libur`` tab — and a date in ``working_days`` or a ``masuk`` row makes any day (also a Saturday) a
working day.  The tab is applied after the config, so the PPKP's row wins over the file.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sheets_sync.core.plan import ReminderSettings
from sheets_sync.core.workdays import Calendar
from sheets_sync.model import DayOverride

__all__ = ["DayOff", "calendar_of", "national_holidays", "non_working_days"]

PUBLIC = "public"
CUTI_BERSAMA = "government"  # the package files Indonesia's cuti bersama under this category


@dataclass(frozen=True)
class DayOff:
    """One non-working day of a year as ``doctor`` lists it: the date and why (name of the holiday,
    "Sabtu"/"Minggu", the Libur row's Keterangan)."""

    day: date
    why: str


@functools.lru_cache(maxsize=64)
def _national(year: int, cuti_bersama: bool) -> tuple[tuple[date, str], ...]:
    import holidays

    categories = (PUBLIC, CUTI_BERSAMA) if cuti_bersama else (PUBLIC,)
    found = holidays.country_holidays("ID", years=year, categories=categories, language="id")
    return tuple(sorted(found.items()))


def national_holidays(years: Iterable[int], *, cuti_bersama: bool = True) -> dict[date, str]:
    """Indonesia's public holidays (and cuti bersama) of ``years`` with their Indonesian names."""
    out: dict[date, str] = {}
    for y in sorted(set(years)):
        out.update(_national(y, cuti_bersama))
    return out


def _years(tahun: int) -> range:
    return range(tahun - 1, tahun + 2)  # TW IV's deadline is in January of the next year


def _overrides(settings: ReminderSettings, libur: Sequence[DayOverride]) -> list[DayOverride]:
    return ([DayOverride(d, True, "konfigurasi: holidays") for d in settings.holidays]
            + [DayOverride(d, False, "konfigurasi: working_days") for d in settings.working_days]
            + list(libur))


def calendar_of(settings: ReminderSettings, tahun: int, libur: Sequence[DayOverride] = ()) -> Calendar:
    """The office's calendar for the years around ``tahun`` (see the module docstring)."""
    base = (national_holidays(_years(tahun), cuti_bersama=settings.cuti_bersama)
            if settings.national_holidays else {})
    return Calendar(frozenset(base)).with_overrides(_overrides(settings, libur))


_WEEKDAY = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def non_working_days(settings: ReminderSettings, year: int, libur: Sequence[DayOverride] = ()) -> list[DayOff]:
    """Every non-working day of ``year`` with why (for ``doctor``; weekends named by their day)."""
    calendar = calendar_of(settings, year, libur)
    names = (national_holidays([year], cuti_bersama=settings.cuti_bersama) if settings.national_holidays else {})
    notes = {o.day: o.note or "libur kantor" for o in _overrides(settings, libur) if o.off}
    return [DayOff(d, notes.get(d) or names.get(d) or _WEEKDAY[d.weekday()]) for d in calendar.days_off(year)]
