"""Reminder policy: *who* gets a reminder for a period and *when*.  Pure: no clock, no I/O.

:func:`plan_reminders` is called on every poll with the current time and the freshly computed
:class:`~sheets_sync.model.UnitStatus` of each bidang.  It returns the reminders that are due *now*;
the caller queues them with their :attr:`Reminder.key` (``reminder:2025-TW1:MP:H-1``).  The message
queue refuses a key it has seen before, so calling this every 15 minutes — or after a restart — never
sends a reminder twice: the enqueue *is* the decision record.

Slots
    ``ReminderSettings.offsets`` (``H-3``, ``H-1``, ``H``, ``H+1``) are counted in **working days**
    from the local date of the on-time deadline (weekends and ``holidays`` skipped, see
    :class:`~sheets_sync.core.workdays.Calendar`).  After the largest offset a reminder repeats every
    ``repeat_every_workdays`` working days (``H+3``, ``H+5`` …; 0 switches repeats off) until the lock
    date, if the period has one.  Each slot fires at ``send_time`` local time.  A slot whose date is
    not a working day (``H`` on a Sunday deadline) moves to the previous working day.  Slots before the
    period opens are dropped.

Only the latest slot
    Of all slots that are due, only the latest one is planned.  After downtime the service sends one
    reminder (the current one), never a burst of the missed ones.

When nothing is planned
    * ``now`` is on a weekend or holiday, before ``send_time``, or inside the quiet hours
      (``quiet_start``–``quiet_end``, which may wrap midnight);
    * the bidang's state is ``Lengkap`` or ``Terlambat`` (complete, late or not), its status is
      ``stale`` (the form could not be read, so its real state is unknown) or there is no status for
      it yet.  "Selesai" (``UnitStatus.done_flag``) chosen while required cells are missing does *not*
      stop reminders: the reminder says the choice is not valid yet (``Reminder.done_not_valid``,
      state ``Sebagian — Selesai belum berlaku``);
    * the bidang has no configured e-mail address.

Recipients (only configured addresses, never anything read from a sheet)
    ``to`` is the bidang operator (``Unit.operator_email``), or the head when there is no operator.
    From ``escalate_kepala_after`` working days after the deadline the Kepala Bidang (``head_email``)
    and the coordinator (Kasubbag PPKP) are copied; from ``escalate_sekretaris_after`` working days the
    Sekretaris is copied too.  (Deviation from "to = Unit.editors": copying the head *as an
    escalation* only means something when the head was not on the earlier reminders.)

Preview
    :func:`reminder_preview` lays out every slot of a period with its escalation and each bidang's
    recipients, and :func:`digest_times` the coordinator's daily summaries — what ``sheets-sync jadwal``
    prints.  Both use the same functions as :func:`plan_reminders` (:func:`reminder_slots`,
    :func:`escalation_of`, :func:`recipients`), so the preview is the plan the service follows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

from sheets_sync.core.workdays import Calendar
from sheets_sync.model import INCOMPLETE_STATES, Period, Schedule, Unit, UnitStatus

__all__ = [
    "REMIND_STATES",
    "Escalation",
    "MissingCell",
    "PlannedSlot",
    "Recipients",
    "Reminder",
    "ReminderSettings",
    "Slot",
    "UnitRecipients",
    "digest_times",
    "escalation_of",
    "in_quiet_hours",
    "offset_days",
    "plan_reminders",
    "recipients",
    "reminder_preview",
    "reminder_slots",
]


@dataclass(frozen=True)
class ReminderSettings:
    """The office's reminder policy (``[reminders]`` in the config): offsets in working days from the
    deadline, repeats after it, escalation, send time and quiet hours, extra holidays."""

    offsets: tuple[str, ...] = ("H-3", "H-1", "H", "H+1")
    repeat_every_workdays: int = 2
    escalate_kepala_after: int = 1  # working days after the deadline: copy the Kepala Bidang
    escalate_sekretaris_after: int = 3  # ...then the Sekretaris
    send_time: time = time(8, 0)
    quiet_start: time = time(18, 0)
    quiet_end: time = time(7, 0)
    holidays: tuple[date, ...] = ()  # the office's extra days off (added to the national calendar)
    working_days: tuple[date, ...] = ()  # days the office works although nationally a holiday/cuti bersama
    national_holidays: bool = True  # Indonesia's public holidays from the ``holidays`` package
    cuti_bersama: bool = True  # ...and its cuti bersama (the package's "government" category)


REMIND_STATES = INCOMPLETE_STATES
"""States that still miss required cells.  ``Lengkap`` and ``Terlambat`` (completed late) do not."""

_OFFSET = re.compile(r"^\s*H\s*(?:([+-])\s*(\d+))?\s*$", re.IGNORECASE)


def offset_days(label: str) -> int:
    """``H-3`` → -3, ``H`` → 0, ``H+1`` → 1; anything else → ValueError."""
    m = _OFFSET.match(label)
    if not m:
        raise ValueError(f"reminder offset {label!r} is not like H-3, H or H+1")
    if not m.group(1):
        return 0
    n = int(m.group(2))
    return -n if m.group(1) == "-" else n


def _label(days: int) -> str:
    return "H" if days == 0 else f"H{days:+d}"


@dataclass(frozen=True)
class Slot:
    """One moment a reminder may go out: ``label`` (``H-1``), working-day offset and local time."""

    label: str
    days: int
    at: datetime


@dataclass(frozen=True)
class MissingCell:
    """One required cell that is empty or invalid: ``TW1!H7`` and the checker's message."""

    cell: str
    message: str
    fix: str = ""


@dataclass(frozen=True)
class Reminder:
    """One reminder to one bidang for one slot.  ``key`` is the dedupe key of the queued message."""

    key: str
    unit: str
    unit_name: str
    head: str
    period: Period
    offset: str
    slot: datetime
    deadline: datetime
    to: tuple[str, ...]
    cc: tuple[str, ...]
    state: str
    filled: int
    required: int
    missing: tuple[MissingCell, ...]
    link: str
    workdays_late: int = 0  # working days after the deadline (0 on or before it)
    escalation: str = ""  # "", "kepala" or "sekretaris"
    done_not_valid: bool = False  # the bidang chose "Selesai" with required cells still missing

    @property
    def before_deadline(self) -> bool:
        return self.slot <= self.deadline

    @property
    def percent(self) -> float:
        return 100.0 * self.filled / self.required if self.required else 100.0


def in_quiet_hours(t: time, start: time, end: time) -> bool:
    """True when local time ``t`` is in ``[start, end)``; the window may wrap midnight (18:00–07:00).
    ``start == end`` means no quiet hours."""
    if start == end:
        return False
    if start < end:
        return start <= t < end
    return t >= start or t < end


def _at(d: date, t: time, tz: tzinfo) -> datetime:
    return datetime.combine(d, t.replace(tzinfo=None), tzinfo=tz)


def reminder_slots(
    schedule: Schedule, settings: ReminderSettings, calendar: Calendar, tz: tzinfo, *, horizon: int = 60
) -> list[Slot]:
    """All reminder slots of a period in time order (repeats stop at the lock date or after ``horizon``
    working days past the deadline)."""
    deadline_day = schedule.deadline.astimezone(tz).date()
    opens = schedule.opens.astimezone(tz)
    lock = schedule.lock.astimezone(tz) if schedule.lock else None
    days = sorted({offset_days(o) for o in settings.offsets})
    if days and settings.repeat_every_workdays > 0:
        step = settings.repeat_every_workdays
        last = days[-1]
        days += list(range(last + step, max(last, 0) + horizon + 1, step))
    slots: dict[datetime, Slot] = {}
    for n in days:
        day = calendar.add_workdays(deadline_day, n)
        if not calendar.is_workday(day):  # only n == 0 can land here: H on a weekend/holiday deadline
            day = calendar.previous_workday(day)
        at = _at(day, settings.send_time, tz)
        if at < opens or (lock is not None and at >= lock):
            continue
        slots[at] = Slot(_label(n), n, at)  # two labels on one date: the later label wins
    return [slots[k] for k in sorted(slots)]


@dataclass(frozen=True)
class Escalation:
    """Who is copied on a slot's reminders: ``level`` is ``""`` (nobody), ``"kepala"`` (the Kepala
    Bidang and the coordinator) or ``"sekretaris"`` (the Sekretaris too); ``workdays_late`` counts the
    working days after the deadline (0 on or before it)."""

    level: str
    workdays_late: int


def escalation_of(slot: Slot, deadline: date, settings: ReminderSettings, calendar: Calendar) -> Escalation:
    """The escalation of ``slot`` for a period whose on-time deadline falls on local date ``deadline``."""
    late = max(0, calendar.workdays_between(deadline, slot.at.date()))
    level = ""
    if slot.days > 0 and late >= settings.escalate_kepala_after:
        level = "kepala"
    if slot.days > 0 and late >= settings.escalate_sekretaris_after:
        level = "sekretaris"
    return Escalation(level, late if slot.days > 0 else 0)


@dataclass(frozen=True)
class Recipients:
    """The addresses of one reminder: ``to`` (the bidang) and ``cc`` (the escalation's copies)."""

    to: tuple[str, ...]
    cc: tuple[str, ...]


def recipients(unit: Unit, escalation: str, coordinator: Sequence[str], sekretaris: Sequence[str]) -> Recipients:
    """Who gets ``unit``'s reminder at escalation level ``escalation`` (see the module docstring);
    an address is never listed twice, whatever its case."""
    to = (unit.operator_email,) if unit.operator_email else ((unit.head_email,) if unit.head_email else ())
    cc: list[str] = []
    if escalation:
        cc += [unit.head_email, *coordinator]
    if escalation == "sekretaris":
        cc += list(sekretaris)
    seen = {a.lower() for a in to}
    out = []
    for a in cc:
        if a and a.lower() not in seen:
            seen.add(a.lower())
            out.append(a)
    return Recipients(to, tuple(out))


@dataclass(frozen=True)
class UnitRecipients:
    """One bidang's addresses on a planned slot (sent only while the bidang is still incomplete)."""

    unit: str
    to: tuple[str, ...]
    cc: tuple[str, ...]


@dataclass(frozen=True)
class PlannedSlot:
    """A reminder slot of a period as the service will send it: when, how late, who is copied."""

    slot: Slot
    escalation: Escalation
    units: tuple[UnitRecipients, ...]


def reminder_preview(
    schedule: Schedule, units: Sequence[Unit], settings: ReminderSettings, calendar: Calendar, tz: tzinfo, *,
    coordinator: Sequence[str] = (), sekretaris: Sequence[str] = (),
) -> list[PlannedSlot]:
    """Every reminder slot of ``schedule``'s period with its escalation and each bidang's recipients,
    in time order — what :func:`plan_reminders` sends at each slot to a bidang still incomplete.
    A bidang without any address is left out (it never gets a reminder)."""
    deadline = schedule.deadline.astimezone(tz).date()
    out = []
    for slot in reminder_slots(schedule, settings, calendar, tz):
        esc = escalation_of(slot, deadline, settings, calendar)
        shown = []
        for unit in units:
            r = recipients(unit, esc.level, coordinator, sekretaris)
            if r.to:
                shown.append(UnitRecipients(unit.code, r.to, r.cc))
        out.append(PlannedSlot(slot, esc, tuple(shown)))
    return out


def digest_times(start: datetime, until: date, at: time, calendar: Calendar, tz: tzinfo) -> list[datetime]:
    """The coordinator's daily summaries from ``start`` up to and including the local date ``until``:
    every working day at local time ``at`` (the service's ``digest`` job skips non-working days)."""
    local = start.astimezone(tz)
    day = local.date()
    out = []
    while day <= until:
        moment = _at(day, at, tz)
        if calendar.is_workday(day) and moment >= local:
            out.append(moment)
        day = date.fromordinal(day.toordinal() + 1)
    return out


def plan_reminders(
    now: datetime,
    period: Period,
    schedule: Schedule,
    units: Sequence[Unit],
    statuses: Mapping[str, UnitStatus],
    settings: ReminderSettings,
    calendar: Calendar,
    links: Mapping[str, str],
    *,
    tz: tzinfo | None = None,
    coordinator: Sequence[str] = (),
    sekretaris: Sequence[str] = (),
) -> list[Reminder]:
    """The reminders due at ``now`` for ``period`` (see the module docstring for every rule).

    ``tz`` is the office's zone (``ZoneInfo(settings.office.timezone)``; default: ``now``'s own zone),
    ``links`` maps bidang code → form link (falls back to ``Unit.form_link``), ``coordinator`` and
    ``sekretaris`` are ``NotifySettings.coordinator`` / ``.sekretaris``.  ``now`` must be aware.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("plan_reminders needs an aware datetime (never naive)")
    zone: tzinfo = tz if tz is not None else now.tzinfo
    local = now.astimezone(zone)
    if not calendar.is_workday(local.date()):
        return []
    if local.time() < settings.send_time.replace(tzinfo=None):
        return []
    if in_quiet_hours(local.time(), settings.quiet_start, settings.quiet_end):
        return []
    due = [s for s in reminder_slots(schedule, settings, calendar, zone) if s.at <= local]
    if not due:
        return []
    slot = due[-1]
    deadline = schedule.deadline.astimezone(zone)
    esc = escalation_of(slot, deadline.date(), settings, calendar)

    out: list[Reminder] = []
    for unit in units:
        status = statuses.get(unit.code)
        if status is None or status.stale or status.state not in REMIND_STATES:
            continue
        addressed = recipients(unit, esc.level, coordinator, sekretaris)
        if not addressed.to:
            continue
        missing = tuple(
            MissingCell(f.location, f.message, f.fix) for f in status.findings if f.severity == "error"
        )
        out.append(
            Reminder(
                key=f"reminder:{period}:{unit.code}:{slot.label}",
                unit=unit.code,
                unit_name=unit.name,
                head=unit.head,
                period=period,
                offset=slot.label,
                slot=slot.at,
                deadline=deadline,
                to=addressed.to,
                cc=addressed.cc,
                state=status.shown_state,
                done_not_valid=status.done_not_valid,
                filled=status.filled,
                required=status.required,
                missing=missing,
                link=links.get(unit.code) or unit.form_link,
                workdays_late=esc.workdays_late,
                escalation=esc.level,
            )
        )
    return out
