"""The review meeting (*rapat pembahasan*): decisions typed into ``Persetujuan`` take effect here.

* **Disetujui** freezes the bidang's latest stored read (its snapshot id and SHA-256 are recorded) and
  locks its tab (the whole tab protected; only the service and the coordinator may edit).
* **Perlu perbaikan** with a catatan unlocks the tab and queues an e-mail to the bidang with the reason.
* A change after approval (the form was edited anyway, e.g. by the coordinator or after the sheet
  protection was removed) is detected by comparing the latest read with the frozen one; it is listed
  as a diff (cell, old → new, when) in ``status`` and ``Rekap`` and is never used in final documents
  until the meeting approves again — a new row/date in ``Persetujuan`` — which records a new version.

A decision is recorded once: it is identified by (bidang, period, status, tanggal) — unique in the
store's schema, and checked inside the write transaction that records it, so three `approve` run at
once record one row and send one e-mail.  A corrected catatan on the same row updates the note.

Applied until confirmed: the decision and a pending *lock*/*unlock* of the tab are recorded in one
transaction; every cycle (``approve``, ``render``, the service's poll) re-applies each pending action
until the backend accepts it.  A crash between the two, or a write that fails because the form is
open, leaves the action pending and shown as a ``kunci_gagal`` finding — which disappears only once
the tab really is locked.

The Tanggal Kunci (``Jadwal``): from the lock date on, every bidang's period tab is locked the same way,
with its own reason in the protection's description ("terkunci — Tanggal Kunci 21 April 2025
terlewati").  The lock is claimed in the store (:meth:`~sheets_sync.store.Store.claim_date_lock`, a
``lock_date`` tab action) before the backend is asked, once per bidang and period — a restart or a second
process never locks twice or skips one — and then retried like any pending lock (``kunci_gagal`` until
it lands).  A bidang already approved is already locked: its claim is recorded as done, no backend call.
A "Perlu perbaikan" decided after the lock unlocks the tab again (the meeting decides); the date never
locks it a second time.

A value that still changes after the lock date (a backend that cannot enforce the protection, or the
protection removed) is ``diisi_setelah_kunci`` (:func:`late_changes`): every value stays stored, but the
read the meeting's *Disetujui* freezes is the last read taken before the lock — or, for a decision dated
after the lock, the last read before that day (:func:`read_to_approve`) — so the late value stays out of
the approved and final data until a decision dated after the change approves it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from sheets_sync.core.control import decision_findings
from sheets_sync.core.fmt import tanggal
from sheets_sync.core.form import build_setup, read_range
from sheets_sync.core.values import Protection
from sheets_sync.core.wording import EMPTY, date_text, moment_text
from sheets_sync.errors import BackendError
from sheets_sync.model import ApprovedChange, Control, Decision, Finding, Period, Schedule
from sheets_sync.notify import queue_notice
from sheets_sync.service.app import App
from sheets_sync.service.control_io import load_control
from sheets_sync.store.rows import SnapshotRow
from sheets_sync.texts import Text, as_text, from_stored, to_stored


@dataclass(frozen=True)
class Applied:
    """A decision recorded by this run: bidang, status, the meeting date used and whether that date was
    the day the row was read (the row had no readable date)."""

    unit: str
    status: str
    decided_on: str
    date_from_read: bool = False


@dataclass
class ApprovalReport:
    applied: list[Applied] = field(default_factory=list)
    approved: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)  # bidang whose lock/unlock the backend applied now


def _decisions(control: Control, period: Period) -> dict[str, Decision]:
    """The last decision row per bidang for ``period`` (later rows win)."""
    out: dict[str, Decision] = {}
    for d in control.decisions:
        if d.period == period:
            out[d.unit] = d
    return out


APPROVED_REASON = "terkunci — data sudah disetujui rapat pembahasan"
DATE_LOCK = "lock_date"  # the tab action of the Tanggal Kunci (decisions queue "lock" and "unlock")


def date_lock_reason(app: App, schedule: Schedule | None) -> str:
    """The protection's reason for the Tanggal Kunci: ``terkunci — Tanggal Kunci 21 April 2025 terlewati``."""
    when = tanggal(schedule.lock.astimezone(app.tz)) if schedule is not None and schedule.lock else "?"
    return f"terkunci — Tanggal Kunci {when} terlewati"


def _protect(app: App, control: Control, period: Period, unit_code: str, *, locked: bool,
             reason: str = APPROVED_REASON) -> None:
    unit = control.unit(unit_code)
    form = app.store.forms(period.year).get(unit_code)
    if unit is None or form is None:
        return
    rng = read_range(period)
    existing = app.backend.read(form.form_id, [rng])[rng]
    setup = build_setup(unit, control.indicators_of(unit_code), period, app.settings.office,
                        control.schedule(period), existing, app.settings.notify.coordinator)
    setup = replace(setup, writes=())
    if locked:
        setup = replace(setup, protections=(Protection(
            period.tab, f"sheets-sync: {reason}", app.settings.notify.coordinator),))
    app.backend.setup(form.form_id, setup)


def apply_approvals(app: App, period: Period, control: Control | None = None) -> ApprovalReport:
    """Apply new decisions of ``period``, then every lock/unlock still pending (see module docstring)."""
    control = control or load_control(app)
    report = ApprovalReport(findings=decision_findings(control, period))
    now = app.now()
    for code, d in _decisions(control, period).items():
        unit = control.unit(code)
        if unit is None:
            report.findings.append(Finding.worded(
                "KENDALI", "Persetujuan", "", "bidang_tidak_dikenal",
                Text("Persetujuan {period} memakai kode bidang '{code}' yang tidak dikenal.", period=str(period),
                     code=code),
                Text("Gunakan kode dari tab Bidang.")))
            continue
        if d.status == "Belum dibahas":
            continue
        # A row without a (readable) date takes the day it was read; the same undated row read again
        # is the decision already recorded, whatever day it is now.
        decided_on = d.tanggal.isoformat() if d.tanggal else now.astimezone(app.tz).date().isoformat()
        # The check and the record share one write transaction: two `approve` at once record it once.
        with app.store.transaction():
            current = app.store.current_approval(code, str(period))
            if current and current.status == d.status and (d.tanggal is None or current.decided_on == decided_on):
                if current.catatan != d.catatan:
                    app.store.update_catatan(current.id, d.catatan)
                continue
            snap = (read_to_approve(app, code, period, control.schedule(period), decided_on)
                    if d.status == "Disetujui" else None)
            if d.status == "Disetujui" and snap is None:
                report.findings.append(Finding.worded(
                    code, period.tab, "", "belum_ada_data",
                    Text("{code} disetujui tetapi belum ada data yang terbaca.", code=code),
                    Text("Jalankan `sheets-sync poll` dahulu, lalu setujui lagi.")))
                continue
            rec = app.store.record_approval(code, str(period), d.status, d.catatan, decided_on,
                                            snap.id if snap else None, snap.sha256 if snap else None, now,
                                            action="lock" if d.status == "Disetujui" else "unlock")
            if rec is None:
                when = date_text(d.tanggal) if d.tanggal else Text("tanpa tanggal")
                report.findings.append(Finding.worded(
                    code, "Persetujuan", "", "keputusan_berulang",
                    Text("Keputusan {status} ({when}) untuk {code} {period} sudah pernah dicatat sebelumnya.",
                         status=d.status, when=when, code=code, period=str(period)),
                    Text("Keputusan baru memerlukan baris baru dengan tanggal rapat yang baru."), "warning"))
                continue
            report.applied.append(Applied(code, d.status, decided_on, d.tanggal is None))
            _drop_obsolete(app, code, period, d.status, decided_on, now)
            if snap is not None:
                app.store.add_event("approved", now, unit=code, period=str(period),
                                    detail={"snapshot": snap.id, "sha256": snap.sha256})
                report.approved.append(code)
            else:
                _queue_returned(app, control, unit, period, d, rec.id)
                report.returned.append(code)
    apply_tab_actions(app, period, control, report)
    return report


def _drop_obsolete(app: App, unit: str, period: Period, status: str, decided_on: str | None, now: Any) -> None:
    """A new decision makes a still-queued "Perlu perbaikan" e-mail of an earlier one obsolete (the
    bidang was re-approved, or returned again with a new catatan): it is dropped, not sent."""
    why = (Text("usang: keputusan {status} {date} dicatat sebelum e-mail terkirim", status=status, date=decided_on)
           if decided_on else Text("usang: keputusan {status} dicatat sebelum e-mail terkirim", status=status))
    dropped = app.store.drop_messages("returned", unit, str(period), to_stored(why))
    if dropped:
        app.store.add_event("notice_dropped", now, unit=unit, period=str(period),
                            detail={"keys": dropped, "status": status})


def apply_tab_actions(app: App, period: Period, control: Control, report: ApprovalReport, *,
                      only: str | None = None) -> None:
    """Lock (approved, or the Tanggal Kunci) or unlock (returned) the tab of every bidang whose action the
    backend has not confirmed yet (``only``: actions of that kind).  A failure stays pending — retried every
    cycle — and shows as a finding until then."""
    for action in app.store.pending_tab_actions(str(period)):
        if only is not None and action["action"] != only:
            continue
        code = action["unit"]
        by_date = action["action"] == DATE_LOCK
        try:
            _protect(app, control, period, code, locked=action["action"] != "unlock",
                     reason=date_lock_reason(app, control.schedule(period)) if by_date else APPROVED_REASON)
        except BackendError as exc:
            app.store.tab_action_failed(action["id"], to_stored(exc.text))
            report.findings.append(tab_action_finding(period, code, action["action"], exc.text,
                                                      exc.fix_text if exc.fix else RETRY_NEXT_CYCLE))
            continue
        app.store.tab_action_done(action["id"], app.now())
        if by_date:
            app.store.add_event("date_locked", app.now(), unit=code, period=str(period))
        report.confirmed.append(code)


def apply_date_locks(app: App, period: Period, control: Control, now: datetime) -> ApprovalReport:
    """From the Tanggal Kunci on: claim the lock of every prepared bidang's tab not claimed yet, then
    apply each pending one (see the module docstring).  ``control`` is the one the caller already loaded
    (the poll's: never an extra read of the control spreadsheet).  Before the lock date: nothing, no query
    beyond the schedule."""
    report = ApprovalReport()
    sched = control.schedule(period)
    if sched is None or sched.lock is None or now < sched.lock:
        return report
    from sheets_sync.service.provision import provisioned_units

    claimed = app.store.date_locks(str(period))
    ready = provisioned_units(app, period)
    for unit in control.units:
        if unit.code in claimed or unit.code not in ready:
            continue
        current = app.store.current_approval(unit.code, str(period))
        if app.store.claim_date_lock(unit.code, str(period), now,
                                     done=current is not None and current.status == "Disetujui"):
            app.store.add_event("date_lock_claimed", now, unit=unit.code, period=str(period))
    apply_tab_actions(app, period, control, report, only=DATE_LOCK)
    return report


RETRY_NEXT_CYCLE = Text("sheets-sync mencoba lagi pada siklus berikutnya.")
"""The fix of a failure the service retries by itself."""


def tab_action_finding(period: Period, unit: str, action: str, error: str | Text, fix: str | Text) -> Finding:
    """``kunci_gagal``: the lock (or, for ``unlock``, the opening) of ``unit``'s tab is still pending, with the
    backend's ``error``, or not confirmed yet when there is none."""
    if action == "unlock":
        message = (Text("Tab {tab} milik {unit} belum dibuka: {error}", tab=period.tab, unit=unit, error=error)
                   if error else Text("Tab {tab} milik {unit} belum dibuka (belum dikonfirmasi)", tab=period.tab,
                                      unit=unit))
    else:
        message = (Text("Tab {tab} milik {unit} belum dikunci: {error}", tab=period.tab, unit=unit, error=error)
                   if error else Text("Tab {tab} milik {unit} belum dikunci (belum dikonfirmasi)", tab=period.tab,
                                      unit=unit))
    return Finding.worded(unit, period.tab, "", "kunci_gagal", message, as_text(fix), "warning")


def pending_tab_findings(app: App, period: Period, unit: str) -> list[Finding]:
    """The lock/unlock of this bidang's tab that is still pending, as a finding (shown until confirmed; the
    stored error in the language of whoever reads the finding)."""
    return [tab_action_finding(period, unit, a["action"], from_stored(a["last_error"]) if a["last_error"] else "",
                               RETRY_NEXT_CYCLE)
            for a in app.store.pending_tab_actions(str(period), unit)]


def _queue_returned(app: App, control: Control, unit: Any, period: Period, d: Decision, approval_id: int) -> None:
    """Queue the "returned for completion" e-mail in the decision's transaction (never sent twice)."""
    to = list(unit.editors)
    if not to:
        return
    link = f.link if (f := app.store.forms(period.year).get(unit.code)) else ""
    sched = control.schedule(period)
    context = {"office": app.settings.office, "unit": unit, "period": period, "catatan": d.catatan, "link": link,
               "deadline": sched.lock if sched else None}
    queue_notice(app.store, "returned", f"returned:{period}:{unit.code}:{approval_id}", to, context, app.now(),
                 cc=list(app.settings.notify.coordinator), unit=unit.code, period=str(period),
                 templates=app.settings.notify.templates)


def approved_snapshot(app: App, unit: str, period: Period) -> SnapshotRow | None:
    """The read frozen by the bidang's current decision when it is *Disetujui* (its ``payload`` and
    ``sha256`` are what the documents print and key on); None otherwise."""
    current = app.store.current_approval(unit, str(period))
    if current is None or current.status != "Disetujui" or current.snapshot_id is None:
        return None
    return app.store.snapshot(current.snapshot_id)


def _start_of(day: str, app: App) -> datetime:
    """The start (00.00 office time) of a decision's day: ``decided_on`` is a date from ``Persetujuan``, or
    the time an import was recorded (``2025-10-01T09:00:00+07:00``), whose date part is that day."""
    return datetime.combine(date.fromisoformat(day[:10]), time(0, 0), tzinfo=app.tz)


def read_to_approve(app: App, unit: str, period: Period, schedule: Schedule | None,
                    decided_on: str) -> SnapshotRow | None:
    """The read a *Disetujui* of ``decided_on`` freezes: the latest read — except that after the Tanggal
    Kunci a read taken after the lock, and after the start of the decision's day, is not approved (the
    meeting decided on what it saw); the last read before that stands.  None when nothing was read."""
    latest = app.store.latest_snapshot(unit, str(period))
    if latest is None or schedule is None or schedule.lock is None or latest.first_read_at <= schedule.lock:
        return latest
    cutoff = max(schedule.lock, _start_of(decided_on, app))
    if latest.first_read_at <= cutoff:
        return latest
    kept = [s for s in app.store.snapshots(unit, str(period)) if s.first_read_at <= cutoff]
    return kept[-1] if kept else latest  # read only after the lock: that is all there is to approve


def _diff(unit: str, period: Period, old: SnapshotRow, new: SnapshotRow) -> list[ApprovedChange]:
    """The typed fields that differ between two reads of a bidang, by indicator and field."""
    old_rows, new_rows = old.payload["rows"], new.payload["rows"]
    out = []
    for code in sorted(set(old_rows) | set(new_rows)):
        a, b = old_rows.get(code, {}), new_rows.get(code, {})
        for f in sorted((set(a) | set(b)) - {"row", "cells"}):
            if a.get(f) != b.get(f):
                where = (b.get("cells") or a.get("cells") or {}).get(f, "")
                out.append(ApprovedChange(
                    unit, f"{period.tab}!{where}" if where else period.tab,
                    "" if a.get(f) is None else str(a.get(f)), "" if b.get(f) is None else str(b.get(f)),
                    new.first_read_at, indicator=code, field=f))
    return out


def changes_after_approval(app: App, period: Period, unit: str) -> list[ApprovedChange]:
    """Cells whose latest read differs from the approved (frozen) read, by indicator and field."""
    frozen = approved_snapshot(app, unit, period)
    latest = app.store.latest_snapshot(unit, str(period))
    if frozen is None or latest is None or latest.sha256 == frozen.sha256:
        return []
    return _diff(unit, period, frozen, latest)


def late_changes(app: App, period: Period, unit: str, schedule: Schedule | None) -> list[ApprovedChange]:
    """Cells whose latest read, taken after the Tanggal Kunci, differs from the last read before it —
    unless the meeting decided again after the lock (its decision is dated after the lock date): a
    *Disetujui* then freezes its own read (later changes are ``berubah_setelah_disetujui``), a *Perlu
    perbaikan* reopened the tab."""
    if schedule is None or schedule.lock is None:
        return []
    lock = schedule.lock
    latest = app.store.latest_snapshot(unit, str(period))
    if latest is None or latest.first_read_at <= lock:
        return []
    current = app.store.current_approval(unit, str(period))
    if current is not None and current.decided_on and _start_of(current.decided_on, app) > lock:
        return []
    before = [s for s in app.store.snapshots(unit, str(period)) if s.first_read_at <= lock]
    if not before or before[-1].sha256 == latest.sha256:
        return []
    return _diff(unit, period, before[-1], latest)


def _shown(c: ApprovedChange, app: App) -> Text:
    """``52 → 60 (terbaca 14 April 2025 pukul 16.00 WIB)``: the old and new value, and when the new was read."""
    old, new = c.old or EMPTY, c.new or EMPTY
    if c.when:
        return Text("{old} → {new} (terbaca {when})", old=old, new=new, when=moment_text(c.when.astimezone(app.tz)))
    return Text("{old} → {new}", old=old, new=new)


def change_findings_for(app: App, period: Period, unit: str, schedule: Schedule | None = None) -> list[Finding]:
    """Changes after the Tanggal Kunci of ``schedule`` (``diisi_setelah_kunci``) and after approval
    (``berubah_setelah_disetujui``; a cell already named as changed after the lock is not named twice),
    as findings (shown by ``status`` and counted in ``Rekap``)."""
    out = []
    late = late_changes(app, period, unit, schedule)
    if late and schedule is not None and schedule.lock is not None:
        lock = date_text(schedule.lock.astimezone(app.tz))
        for c in late:
            out.append(Finding.worded(
                unit, period.tab, c.cell.split("!", 1)[-1], "diisi_setelah_kunci",
                Text("{unit} {cell}: {field} indikator {code} diubah setelah Tanggal Kunci {lock}: {change}.",
                     unit=unit, cell=c.cell, field=c.field.capitalize(), code=c.indicator, lock=lock,
                     change=_shown(c, app)),
                Text("Nilai diubah setelah Tanggal Kunci {lock}; bahas di rapat pembahasan dan setujui lagi (baris "
                     "baru di tab Persetujuan dengan tanggal sesudah perubahan). Sampai itu yang dipakai adalah data "
                     "terakhir sebelum Tanggal Kunci.", lock=lock), "warning", c.indicator))
    named = {c.cell for c in late}
    for c in changes_after_approval(app, period, unit):
        if c.cell in named:
            continue
        out.append(Finding.worded(
            unit, period.tab, c.cell.split("!", 1)[-1], "berubah_setelah_disetujui",
            Text("{field} indikator {code} berubah setelah disetujui: {change}.", field=c.field.capitalize(),
                 code=c.indicator, change=_shown(c, app)),
            Text("Nilai baru tidak dipakai di dokumen final sampai rapat menyetujui lagi (isi baris baru di tab "
                 "Persetujuan dengan tanggal baru)."), "warning", c.indicator))
    return out
