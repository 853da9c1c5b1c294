"""Reminder policy: offsets in working days, escalation, quiet hours, "Selesai", catch-up once."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.core.plan import ReminderSettings, in_quiet_hours, offset_days, plan_reminders, reminder_slots
from sheets_sync.core.workdays import Calendar
from sheets_sync.model import Finding, Period, Schedule, Unit, UnitStatus

WIB = ZoneInfo("Asia/Jakarta")
P = Period(2025, 1)
# deadline Thursday 10 April 2025 23:59 WIB
SCHED = Schedule(P, opens=datetime(2025, 4, 1, 8, 0, tzinfo=WIB), deadline=datetime(2025, 4, 10, 23, 59, tzinfo=WIB))
MP = Unit("MP", "Bidang Mutasi dan Promosi", "Yohanes Paulus Bere, S.H.", "mp@kab.example", "op.mp@kab.example")
PKA = Unit("PKA", "Bidang Pengembangan Kompetensi Aparatur", "Ni Made Ayu", "pka@kab.example", "op.pka@kab.example")
SETTINGS = ReminderSettings()
CAL = Calendar()
LINKS = {"MP": "https://docs.example/mp", "PKA": "https://docs.example/pka"}


def status(unit: str, state: str = "Sebagian", **kw: object) -> UnitStatus:
    findings = kw.pop("findings", (Finding(unit, "TW1", "H7", "missing", "Realisasi belum diisi", "isi angka"),))
    return UnitStatus(unit, P, state, kw.pop("filled", 3), kw.pop("required", 8),  # type: ignore[arg-type]
                      findings=findings, **kw)  # type: ignore[arg-type]


def at(day: int, hh: int = 9, mm: int = 0, month: int = 4) -> datetime:
    return datetime(2025, month, day, hh, mm, tzinfo=WIB)


def plan(now: datetime, statuses: dict[str, UnitStatus] | None = None, *, settings: ReminderSettings = SETTINGS,
         calendar: Calendar = CAL, units: tuple[Unit, ...] = (MP,), schedule: Schedule = SCHED,
         **kw: object) -> list:
    sts = statuses if statuses is not None else {u.code: status(u.code) for u in units}
    return plan_reminders(now, P, schedule, units, sts, settings, calendar, LINKS, tz=WIB,
                          coordinator=("kasubbag@kab.example",), sekretaris=("sekretaris@kab.example",),
                          **kw)


def test_offset_labels_parse_to_signed_working_days() -> None:
    assert [offset_days(x) for x in ("H-3", "H-1", "H", "H+1", "h + 2")] == [-3, -1, 0, 1, 2]
    with pytest.raises(ValueError):
        offset_days("D-1")


@pytest.mark.parametrize(
    ("day", "label"),
    [(7, "H-3"), (8, "H-2"), (9, "H-1"), (10, "H"), (11, "H+1"), (15, "H+3"), (17, "H+5")],
)
def test_each_offset_fires_on_its_working_day(day: int, label: str) -> None:
    settings = ReminderSettings(offsets=("H-3", "H-2", "H-1", "H", "H+1"))
    [r] = plan(at(day), settings=settings)
    assert r.offset == label
    assert r.key == f"reminder:2025-TW1:MP:{label}"
    assert r.slot == at(day, 8, 0)


def test_the_reminder_carries_recipients_link_and_missing_cells() -> None:
    [r] = plan(at(9, 10))
    assert r.to == ("op.mp@kab.example",)
    assert r.cc == ()
    assert r.link == "https://docs.example/mp"
    assert [(m.cell, m.message) for m in r.missing] == [("TW1!H7", "Realisasi belum diisi")]
    assert (r.filled, r.required, r.state) == (3, 8, "Sebagian")
    assert r.before_deadline and r.workdays_late == 0 and r.escalation == ""


def test_warnings_are_not_listed_as_missing_cells() -> None:
    findings = (Finding("MP", "TW1", "H7", "missing", "Realisasi belum diisi"),
                Finding("MP", "TW1", "K7", "note", "Keterangan pendek", severity="warning"))
    [r] = plan(at(9), {"MP": status("MP", findings=findings)})
    assert [m.cell for m in r.missing] == ["TW1!H7"]


def test_holidays_and_weekends_are_skipped_when_counting_offsets() -> None:
    # Tuesday 8 April is a holiday: H-1 is still Wednesday 9, H-3 moves back to Friday 4 April.
    cal = Calendar.of([date(2025, 4, 8)])
    slots = {s.label: s.at.date() for s in reminder_slots(SCHED, SETTINGS, cal, WIB)}
    assert slots["H-3"] == date(2025, 4, 4)
    assert slots["H-1"] == date(2025, 4, 9)
    assert slots["H+1"] == date(2025, 4, 11)
    assert slots["H+3"] == date(2025, 4, 15)  # Mon 14 is H+2, Tue 15 is H+3
    assert plan(at(8), calendar=cal) == []  # nothing is sent on the holiday itself


def test_a_deadline_on_a_sunday_sends_hari_h_on_friday() -> None:
    sunday = Schedule(P, opens=at(1), deadline=at(13, 23, 59))
    slots = {s.label: s.at.date() for s in reminder_slots(sunday, SETTINGS, CAL, WIB)}
    assert slots["H"] == date(2025, 4, 11)
    assert "H-1" not in slots  # H-1 (also Friday) is replaced by the later label of the same day
    assert slots["H+1"] == date(2025, 4, 14)


def test_nothing_is_planned_before_send_time_or_in_quiet_hours_or_on_weekends() -> None:
    assert plan(at(9, 7, 59)) == []  # before send_time 08:00
    assert plan(at(9, 18, 0)) == []  # quiet hours start
    assert plan(at(9, 23, 30)) == []
    assert plan(at(12, 10, 0)) == []  # Saturday
    assert [r.offset for r in plan(at(9, 17, 59))] == ["H-1"]


def test_quiet_hours_may_wrap_midnight_or_be_switched_off() -> None:
    assert in_quiet_hours(time(23), time(18), time(7))
    assert in_quiet_hours(time(6, 59), time(18), time(7))
    assert not in_quiet_hours(time(7), time(18), time(7))
    assert in_quiet_hours(time(13), time(12), time(14))
    assert not in_quiet_hours(time(3), time(0), time(0))


def test_send_time_and_quiet_hours_are_the_offices_local_time() -> None:
    wita = ZoneInfo("Asia/Makassar")
    utc_now = datetime(2025, 4, 9, 0, 30, tzinfo=UTC)  # 07:30 WIB, 08:30 WITA
    assert plan(utc_now) == []
    rs = plan_reminders(utc_now, P, SCHED, (MP,), {"MP": status("MP")}, SETTINGS, CAL, LINKS, tz=wita)
    # 10 April 23:59 WIB is 11 April 00:59 WITA: the deadline *date* moves, so 9 April is H-2 → H-3 holds
    assert [(r.offset, r.slot.date()) for r in rs] == [("H-3", date(2025, 4, 8))]
    assert rs[0].slot.tzinfo is wita and rs[0].deadline.tzinfo is wita


@pytest.mark.parametrize("state", ["Lengkap", "Terlambat"])
def test_complete_bidang_get_no_reminder(state: str) -> None:
    assert plan(at(9), {"MP": status("MP", state, filled=8, findings=())}) == []


@pytest.mark.parametrize("state", ["Belum mengisi", "Sebagian", "Tidak mengisi"])
def test_incomplete_states_are_reminded(state: str) -> None:
    assert len(plan(at(11), {"MP": status("MP", state)})) == 1


def test_selesai_with_required_cells_missing_does_not_stop_reminders_and_says_why() -> None:
    [before] = plan(at(9), {"MP": status("MP", done_flag=True)})
    assert before.state == "Sebagian — Selesai belum berlaku" and before.done_not_valid
    assert [m.cell for m in before.missing] == ["TW1!H7"]
    [late] = plan(at(15), {"MP": status("MP", "Tidak mengisi", done_flag=True)})
    assert late.state == "Tidak mengisi — Selesai belum berlaku"
    [plain] = plan(at(9), {"MP": status("MP")})
    assert plain.state == "Sebagian" and not plain.done_not_valid


def test_selesai_on_a_complete_form_means_no_reminder() -> None:
    assert plan(at(9), {"MP": status("MP", "Lengkap", filled=8, findings=(), done_flag=True)}) == []


def test_stale_or_unknown_status_and_units_without_address_are_skipped() -> None:
    nobody = Unit("X", "Bidang X")
    assert plan(at(9), {"MP": status("MP", stale=True)}) == []
    assert plan(at(9), {}) == []
    assert plan(at(9), {"X": status("X")}, units=(nobody,)) == []


def test_the_head_is_addressed_when_there_is_no_operator() -> None:
    solo = Unit("SEK", "Sekretariat", "Dra. Siti", "sek@kab.example")
    [r] = plan(at(11), {"SEK": status("SEK")}, units=(solo,))
    assert r.to == ("sek@kab.example",)
    assert "sek@kab.example" not in r.cc  # not copied to the person already addressed


def test_escalation_copies_the_kepala_bidang_then_the_sekretaris() -> None:
    settings = ReminderSettings(escalate_kepala_after=1, escalate_sekretaris_after=3)
    [h1] = plan(at(11), {"MP": status("MP", "Tidak mengisi")}, settings=settings)
    assert (h1.offset, h1.workdays_late, h1.escalation) == ("H+1", 1, "kepala")
    assert h1.cc == ("mp@kab.example", "kasubbag@kab.example")
    [h3] = plan(at(15), {"MP": status("MP", "Tidak mengisi")}, settings=settings)
    assert (h3.offset, h3.workdays_late, h3.escalation) == ("H+3", 3, "sekretaris")
    assert h3.cc == ("mp@kab.example", "kasubbag@kab.example", "sekretaris@kab.example")
    [hari_h] = plan(at(10), settings=settings)
    assert hari_h.cc == () and hari_h.escalation == ""


def test_after_downtime_only_the_latest_due_slot_is_planned() -> None:
    # the service was down from H-3 to H+1 10:00: one reminder (H+1), not four
    rs = plan(at(11, 10), units=(MP, PKA))
    assert [(r.unit, r.offset) for r in rs] == [("MP", "H+1"), ("PKA", "H+1")]
    # and on the afternoon of a day without a slot, the last slot's key comes back (already queued)
    assert [r.key for r in plan(at(14, 15))] == ["reminder:2025-TW1:MP:H+1"]


def test_repeats_follow_the_last_offset_and_stop_at_the_lock_date() -> None:
    locked = Schedule(P, opens=at(1), deadline=at(10, 23, 59), lock=at(17, 0, 0))
    labels = [s.label for s in reminder_slots(locked, SETTINGS, CAL, WIB)]
    assert labels == ["H-3", "H-1", "H", "H+1", "H+3"]  # H+5 would be 17 April 08:00, after the lock
    no_repeat = ReminderSettings(repeat_every_workdays=0)
    assert [s.label for s in reminder_slots(SCHED, no_repeat, CAL, WIB)] == ["H-3", "H-1", "H", "H+1"]


def test_nothing_before_the_period_opens() -> None:
    late_open = Schedule(P, opens=at(9, 12), deadline=at(10, 23, 59))
    assert next(s.label for s in reminder_slots(late_open, SETTINGS, CAL, WIB)) == "H"
    assert plan(at(9, 13), schedule=late_open) == []


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        plan_reminders(datetime(2025, 4, 9, 9), P, SCHED, (MP,), {}, SETTINGS, CAL, LINKS)


def test_planning_is_deterministic() -> None:
    assert plan(at(11, 9)) == plan(at(11, 9))


def test_the_preview_is_what_plan_reminders_sends_at_every_slot() -> None:
    from sheets_sync.core.plan import reminder_preview

    lock = datetime(2025, 4, 24, 23, 59, tzinfo=WIB)
    schedule = Schedule(P, opens=SCHED.opens, deadline=SCHED.deadline, lock=lock)
    preview = reminder_preview(schedule, (MP, PKA), SETTINGS, CAL, WIB, coordinator=("kasubbag@kab.example",),
                               sekretaris=("sekretaris@kab.example",))
    assert [p.slot.label for p in preview] == ["H-3", "H-1", "H", "H+1", "H+3", "H+5", "H+7", "H+9"]
    for planned in preview:
        sent = plan(planned.slot.at, units=(MP, PKA), schedule=schedule)
        assert [(r.unit, r.offset, r.to, r.cc, r.escalation) for r in sent] == [
            (u.unit, planned.slot.label, u.to, u.cc, planned.escalation.level) for u in planned.units]
