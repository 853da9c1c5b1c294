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
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sheets_sync.core.control import decision_findings
from sheets_sync.core.fmt import tanggal, tanggal_jam
from sheets_sync.core.form import build_setup, read_range
from sheets_sync.core.values import Protection
from sheets_sync.errors import BackendError
from sheets_sync.model import ApprovedChange, Control, Decision, Finding, Period
from sheets_sync.notify import queue_notice
from sheets_sync.service.app import App
from sheets_sync.service.control_io import load_control
from sheets_sync.store.rows import SnapshotRow


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


def _protect(app: App, control: Control, period: Period, unit_code: str, *, locked: bool) -> None:
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
            period.tab, "sheets-sync: terkunci — data sudah disetujui rapat pembahasan",
            app.settings.notify.coordinator),))
    app.backend.setup(form.form_id, setup)


def apply_approvals(app: App, period: Period, control: Control | None = None) -> ApprovalReport:
    """Apply new decisions of ``period``, then every lock/unlock still pending (see module docstring)."""
    control = control or load_control(app)
    report = ApprovalReport(findings=decision_findings(control, period))
    now = app.now()
    for code, d in _decisions(control, period).items():
        unit = control.unit(code)
        if unit is None:
            report.findings.append(Finding("KENDALI", "Persetujuan", "", "bidang_tidak_dikenal",
                                           f"Persetujuan {period} memakai kode bidang {code!r} yang tidak dikenal.",
                                           "Gunakan kode dari tab Bidang."))
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
            snap = app.store.latest_snapshot(code, str(period)) if d.status == "Disetujui" else None
            if d.status == "Disetujui" and snap is None:
                report.findings.append(Finding(code, period.tab, "", "belum_ada_data",
                                               f"{code} disetujui tetapi belum ada data yang terbaca.",
                                               "Jalankan `sheets-sync poll` dahulu, lalu setujui lagi."))
                continue
            rec = app.store.record_approval(code, str(period), d.status, d.catatan, decided_on,
                                            snap.id if snap else None, snap.sha256 if snap else None, now,
                                            action="lock" if d.status == "Disetujui" else "unlock")
            if rec is None:
                when = tanggal(d.tanggal) if d.tanggal else "tanpa tanggal"
                report.findings.append(Finding(
                    code, "Persetujuan", "", "keputusan_berulang",
                    f"Keputusan {d.status} ({when}) untuk {code} {period} sudah pernah dicatat sebelumnya.",
                    "Keputusan baru memerlukan baris baru dengan tanggal rapat yang baru.", "warning"))
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
    why = f"usang: keputusan {status} {decided_on or ''} dicatat sebelum e-mail terkirim".replace("  ", " ")
    dropped = app.store.drop_messages("returned", unit, str(period), why)
    if dropped:
        app.store.add_event("notice_dropped", now, unit=unit, period=str(period),
                            detail={"keys": dropped, "status": status})


def apply_tab_actions(app: App, period: Period, control: Control, report: ApprovalReport) -> None:
    """Lock (approved) or unlock (returned) the tab of every bidang whose decision the backend has not
    confirmed yet.  A failure stays pending — retried every cycle — and shows as a finding until then."""
    for action in app.store.pending_tab_actions(str(period)):
        code = action["unit"]
        try:
            _protect(app, control, period, code, locked=action["action"] == "lock")
        except BackendError as exc:
            app.store.tab_action_failed(action["id"], exc.message)
            report.findings.append(tab_action_finding(period, code, action["action"], exc.message,
                                                      exc.fix or "sheets-sync mencoba lagi pada siklus berikutnya."))
            continue
        app.store.tab_action_done(action["id"], app.now())
        report.confirmed.append(code)


def tab_action_finding(period: Period, unit: str, action: str, error: str, fix: str) -> Finding:
    verb = "dikunci" if action == "lock" else "dibuka"
    why = f": {error}" if error else " (belum dikonfirmasi)"
    return Finding(unit, period.tab, "", "kunci_gagal", f"Tab {period.tab} milik {unit} belum {verb}{why}", fix,
                   "warning")


def pending_tab_findings(app: App, period: Period, unit: str) -> list[Finding]:
    """The lock/unlock of this bidang's tab that is still pending, as a finding (shown until confirmed)."""
    return [tab_action_finding(period, unit, a["action"], a["last_error"],
                               "sheets-sync mencoba lagi pada siklus berikutnya.")
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


def changes_after_approval(app: App, period: Period, unit: str) -> list[ApprovedChange]:
    """Cells whose latest read differs from the approved (frozen) read, by indicator and field."""
    frozen = approved_snapshot(app, unit, period)
    latest = app.store.latest_snapshot(unit, str(period))
    if frozen is None or latest is None or latest.sha256 == frozen.sha256:
        return []
    old_rows, new_rows = frozen.payload["rows"], latest.payload["rows"]
    out = []
    for code in sorted(set(old_rows) | set(new_rows)):
        old, new = old_rows.get(code, {}), new_rows.get(code, {})
        for f in sorted((set(old) | set(new)) - {"row", "cells"}):
            if old.get(f) != new.get(f):
                where = (new.get("cells") or old.get("cells") or {}).get(f, "")
                out.append(ApprovedChange(
                    unit, f"{period.tab}!{where}" if where else period.tab,
                    "" if old.get(f) is None else str(old.get(f)), "" if new.get(f) is None else str(new.get(f)),
                    latest.first_read_at, indicator=code, field=f))
    return out


def change_findings_for(app: App, period: Period, unit: str) -> list[Finding]:
    """Changes after approval as findings (shown by ``status`` and counted in ``Rekap``)."""
    out = []
    for c in changes_after_approval(app, period, unit):
        when = f" (terbaca {tanggal_jam(c.when.astimezone(app.tz))})" if c.when else ""
        out.append(Finding(unit, period.tab, c.cell.split("!", 1)[-1], "berubah_setelah_disetujui",
                           f"{c.field.capitalize()} indikator {c.indicator} berubah setelah disetujui: "
                           f"{c.old or '(kosong)'} → {c.new or '(kosong)'}{when}.",
                           "Nilai baru tidak dipakai di dokumen final sampai rapat menyetujui lagi "
                           "(isi baris baru di tab Persetujuan dengan tanggal baru).", "warning", c.indicator))
    return out
