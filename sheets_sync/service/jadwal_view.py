"""What ``sheets-sync jadwal`` prints: a period's dates and the reminders and summaries the service
will send, to whom and when — a preview of the plan, not a second implementation of it.

The reminder slots, their escalation and every bidang's recipients come from
:func:`sheets_sync.core.plan.reminder_preview` (the functions :func:`~sheets_sync.core.plan.plan_reminders`
uses on every poll) with the office's working days (:func:`~sheets_sync.service.control_io.office_calendar`:
national holidays, the config and the ``Libur`` tab), so a ``Libur`` row moves a slot here exactly as it
moves the reminder.  The coordinator's summaries follow the ``digest`` job's rule (every working day at
``[schedule] digest_time``).  Dates are printed in the office's time zone and in the language of the
CLI (``Selasa, 8 April 2025 pukul 08.00 WIB``; ``Tuesday, 8 April 2025 at 08:00 WIB``), as ``status`` prints
them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from sheets_sync.core.fmt import hari, tanggal, tanggal_jam
from sheets_sync.core.plan import PlannedSlot, digest_times, reminder_preview
from sheets_sync.core.workdays import Calendar
from sheets_sync.i18n import _, current_language
from sheets_sync.model import Control, Schedule
from sheets_sync.service.app import App
from sheets_sync.service.control_io import office_calendar
from sheets_sync.service.status_view import wrap


def coming_schedules(control: Control, now: datetime) -> list[Schedule]:
    """The periods whose last date (deadline, lock or meeting) is not past yet, earliest first."""

    def last(s: Schedule) -> datetime:
        moments = [s.deadline] + ([s.lock] if s.lock else [])
        if s.meeting:
            moments.append(datetime.combine(s.meeting, datetime.max.time(), tzinfo=s.deadline.tzinfo))
        return max(moments)

    return sorted((s for s in control.schedules if last(s) >= now), key=lambda s: s.opens)


def _clock(t: time) -> str:
    """A time of day as the CLI's language writes it: ``08.00`` in Indonesian, ``08:00`` in English."""
    return t.strftime("%H:%M" if current_language() == "en" else "%H.%M")


def _when(dt: datetime) -> str:
    lang = current_language()
    return f"{hari(dt, lang)}, {tanggal_jam(dt, lang)}"


def _day(d: date) -> str:
    lang = current_language()
    return f"{hari(d, lang)}, {tanggal(d, lang)}"


def _dates(app: App, s: Schedule, width: int | None) -> list[str]:
    rows = [(_("Dibuka"), _when(s.opens.astimezone(app.tz))),
            (_("Batas pengisian"), _when(s.deadline.astimezone(app.tz))),
            (_("Tanggal Kunci"), _when(s.lock.astimezone(app.tz)) if s.lock else _("(tidak ada)")),
            (_("Tanggal Rapat"), _day(s.meeting) if s.meeting else _("(tidak ada)"))]
    label = max(len(k) for k, _v in rows)
    return [wrap(f"  {k.ljust(label)}  {v}", width, " " * (label + 2)) for k, v in rows]  # under the value


def _copies(level: str) -> str:
    if level == "sekretaris":
        return _("; tembusan: Kepala Bidang, koordinator, Sekretaris")
    if level == "kepala":
        return _("; tembusan: Kepala Bidang, koordinator")
    return ""


def _slots(app: App, planned: Sequence[PlannedSlot], now: datetime, width: int | None) -> list[str]:
    out = [wrap(_("Pengingat (hanya ke bidang yang isian wajibnya belum lengkap, pukul {time}):").format(
        time=_clock(app.settings.reminders.send_time)), width)]
    if not planned:
        out.append(wrap(_("  (tidak ada: semua waktu pengingat jatuh di luar masa pengisian)"), width))
    for p in planned:
        past = _(" (sudah lewat)") if p.slot.at <= now else ""
        out.append(wrap(f"  {p.slot.label:<5} {_when(p.slot.at)}{past}", width, " " * 6))
        out.append(wrap("        " + _("kepada operator bidang") + _copies(p.escalation.level), width, "  "))
    return out


def _addresses(app: App, control: Control, planned: Sequence[PlannedSlot], width: int | None) -> list[str]:
    if not planned:
        return []
    out = ["\n", wrap(_("Alamat penerima per bidang:"), width)]
    for u in planned[-1].units:
        unit = control.unit(u.unit)
        head = _("; Kepala Bidang {to}").format(to=unit.head_email) if unit and unit.head_email else ""
        out.append(wrap(f"  {u.unit:<6} " + _("kepada {to}").format(to=", ".join(u.to)) + head, width, " " * 7))
    notify = app.settings.notify
    if notify.coordinator:
        out.append(wrap("  " + _("koordinator: {to}").format(to=", ".join(notify.coordinator)), width, "  "))
    if notify.sekretaris:
        out.append(wrap("  " + _("Sekretaris: {to}").format(to=", ".join(notify.sekretaris)), width, "  "))
    return out


def _digests(app: App, s: Schedule, calendar: Calendar, now: datetime, width: int | None) -> list[str]:
    notify = app.settings.notify
    at = app.settings.schedule.digest_time
    to = ", ".join(notify.coordinator) or _("(belum ada alamat koordinator di [notify] coordinator)")
    until: date = s.meeting or (s.lock or s.deadline).astimezone(app.tz).date()
    times = digest_times(s.opens, until, at, calendar, app.tz)
    out = ["\n", wrap(_("Rekap harian untuk koordinator ({to}), tiap hari kerja pukul {time}:").format(
        to=to, time=_clock(at)), width)]
    past = _(" (sudah lewat)")
    out += [wrap(f"  {_when(t)}{past if t <= now else ''}", width, "  ") for t in times]
    out.append(wrap(_("  lalu tiap hari kerja sampai dokumen final dibuat (satu rekap penutup)."), width, "  "))
    return out


def jadwal_text(app: App, control: Control, schedules: Sequence[Schedule], now: datetime,
                width: int | None = None) -> str:
    """The dates of every schedule in ``schedules`` and, for the first, the reminder plan (each slot,
    its escalation, the recipients per bidang) and the coordinator's daily summaries.  ``width``: the
    terminal's columns (None: nothing is wrapped)."""
    calendar = office_calendar(app, control)
    out: list[str] = []
    for n, s in enumerate(schedules):
        if n:
            out.append("\n")
        out.append(wrap(_("Jadwal {period} — {office}").format(period=s.period.label_in(_),
                                                             office=app.settings.office.singkatan), width))
        out.extend(_dates(app, s, width))
        if n:
            continue
        if s.lock is not None:  # what the service does at the lock date (service/approvals.py)
            out.append(wrap(_("  Pada Tanggal Kunci tab {tab} di formulir setiap bidang dikunci; nilai yang masih "
                              "berubah sesudahnya menjadi temuan `diisi_setelah_kunci` dan tidak dipakai sampai "
                              "rapat menyetujuinya lagi.").format(tab=s.period.tab), width, "  "))
        planned = reminder_preview(s, control.units, app.settings.reminders, calendar, app.tz,
                                   coordinator=app.settings.notify.coordinator,
                                   sekretaris=app.settings.notify.sekretaris)
        out.append("\n")
        out.extend(_slots(app, planned, now, width))
        out.extend(_addresses(app, control, planned, width))
        out.extend(_digests(app, s, calendar, now, width))
    return "".join(out)
