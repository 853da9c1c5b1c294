"""The service's jobs (``sheets-sync run``): what runs every poll, every morning and after each.

Each job takes the current time and returns an exit code (0 ok, 1 findings), as
:class:`~sheets_sync.runtime.scheduler.Runner` expects:

* ``poll`` — for the *current period* (the latest ``Jadwal`` row that has opened): provision it once
  when it opens (forms, tab, link e-mails), poll, apply the meeting's decisions, and render when the
  meeting has decided anything (drafts until every bidang is approved, then the final documents);
* ``reminders`` — plan reminders (:mod:`sheets_sync.core.plan`) from the statuses of the last poll and queue
  them; a key queued once is never queued again, so restarts never double-send;
* ``digest`` — the Kasubbag PPKP's daily summary: queued as e-mail and written below the ``Rekap`` table;
  once the period's final documents exist, one closing digest and then none;
* ``dokumen`` — record the document statuses the office typed in ``Dokumen`` (time-stamped, with
  history), e-mail a Laporan Kinerja returned *Dikoreksi*, queue final documents for the distribution
  list (:func:`sheets_sync.service.review.sync_statuses`);
* ``deliver`` — send what is queued (outbox or SMTP), with retries and back-off.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sheets_sync.core.progress import Progress
from sheets_sync.model import Control, Period, Schedule
from sheets_sync.service.app import App
from sheets_sync.service.control_io import load_control
from sheets_sync.service.poll import poll, statuses
from sheets_sync.service.provision import provision, provisioned_units, units_to_provision
from sheets_sync.service.rekap import rekap_extra_rows, write_rekap

log = logging.getLogger("sheets_sync.runtime.jobs")


def current_schedule(control: Control, now: datetime) -> Schedule | None:
    """The period that has opened most recently (None before the first opens)."""
    opened = [s for s in control.schedules if s.opens <= now]
    return max(opened, key=lambda s: s.opens) if opened else None


def _calendar(app: App, control: Control | None = None) -> Any:
    """The office's working days (national holidays, config, the ``Libur`` tab)."""
    from sheets_sync.service.control_io import office_calendar

    return office_calendar(app, control if control is not None else load_control(app))


def poll_job(app: App, now: datetime, *, sweep: bool = False, progress: Progress | None = None) -> int:
    """Poll the current period; ``sweep``: re-read every form (``run --once``: a cron run is rare
    enough that it can check everything, whatever the file times say); ``progress`` hears of each
    bidang of that poll (the later refresh after decisions is quick and silent)."""
    control = load_control(app)
    sched = current_schedule(control, now)
    if sched is None or sched.period.year != app.settings.office.tahun:
        log.info("no open period at %s", now.isoformat())
        return 0
    period = sched.period
    missing = units_to_provision(app, period, control)
    if missing:  # converges: a bidang that could not be prepared (or a crash half-way) is retried each cycle
        provision(app, period, units=missing, control=control)
    report = poll(app, period, sweep=sweep, progress=progress)
    code = report.exit_code
    # a pending Tanggal Kunci is retried by the poll itself; only the meeting's decisions render documents
    if any(d.period == period for d in control.decisions) or any(
            a["action"] != "lock_date" for a in app.store.pending_tab_actions(str(period))):
        from sheets_sync.service.approvals import apply_approvals
        from sheets_sync.service.documents import render_period

        decided = apply_approvals(app, period, control)
        if decided.approved or decided.returned or decided.confirmed:
            poll(app, period)  # refresh statuses/Rekap with the decisions and the confirmed locks
        render_period(app, period)
    return code


def reminder_job(app: App, now: datetime) -> int:
    from sheets_sync.core.plan import plan_reminders
    from sheets_sync.notify import queue_reminders

    control = load_control(app)
    sched = current_schedule(control, now)
    if sched is None:
        return 0
    ready = provisioned_units(app, sched.period)  # never remind with a link to a form not set up
    sts = {s.unit: s for s in statuses(app, sched.period, control, polled_only=True) if s.unit in ready}
    links = {u: f.link for u, f in app.store.forms(sched.period.year).items() if u in ready}
    reminders = plan_reminders(now, sched.period, sched, control.units, sts, app.settings.reminders,
                               _calendar(app, control),
                               links, tz=app.tz, coordinator=app.settings.notify.coordinator,
                               sekretaris=app.settings.notify.sekretaris)
    queued = queue_reminders(app.store, reminders, now, office=app.settings.office,
                             templates=app.settings.notify.templates)
    if queued:
        log.info("queued %d reminder(s): %s", len(queued), ", ".join(queued))
    return 0


def build_summary(app: App, period: Period, control: Control, now: datetime) -> Any:
    """The coordinator digest of ``period`` now (compared with the previous stored one)."""
    from sheets_sync.core.summary import build_digest
    from sheets_sync.notify import previous_digest
    from sheets_sync.service.approvals import changes_after_approval

    sts = {s.unit: s for s in statuses(app, period, control)}
    changes = [c for u in control.units for c in changes_after_approval(app, period, u.code)]
    links = {u: f.link for u, f in app.store.forms(period.year).items()}
    return build_digest(now.astimezone(app.tz), period, control.units, sts, schedule=control.schedule(period),
                        previous=previous_digest(app.store, str(period)), approved_changes=changes, links=links)


def digest_job(app: App, now: datetime, period: Period | None = None, *, key: str | None = None) -> int:
    from sheets_sync.core.summary import digest_rows
    from sheets_sync.notify import queue_digest

    control = load_control(app)
    if period is None:
        if not _calendar(app, control).is_workday(now.astimezone(app.tz).date()):
            return 0  # the office reads its summary on working days only
        sched = current_schedule(control, now)
        if sched is None:
            return 0
        period = sched.period
        if key is None and any(not d.draft for d in app.store.documents(str(period))):
            # Finally approved: one closing digest, then quiet (no daily mail for a finished period).
            key = f"digest:{period}:penutup"
            if any(m.dedupe_key == key for m in app.store.messages(kind="digest", period=str(period))):
                return 0
    digest = build_summary(app, period, control, now)
    queue_digest(app.store, digest, app.settings.notify.coordinator, now, office=app.settings.office, key=key,
                 templates=app.settings.notify.templates)
    app.store.set_meta(f"digest_rows:{period}", json.dumps(digest_rows(digest)))
    sts = statuses(app, period, control)
    write_rekap(app, period, control, sts,
                extra_rows=rekap_extra_rows(app, period, control, sts))
    return 0


def dokumen_job(app: App, now: datetime) -> int:
    """Keep the documents' review flow (see the module docstring); the tab is rewritten only when a
    status changed (its *Status Sejak* column)."""
    from sheets_sync.service.documents import write_dokumen_tab
    from sheets_sync.service.review import sync_statuses

    if not app.store.documents():
        return 0
    report = sync_statuses(app)
    if report.changes:
        write_dokumen_tab(app)
    if report.queued:
        log.info("queued %d document message(s): %s", len(report.queued), ", ".join(report.queued))
    return 1 if report.findings else 0


def deliver_job(app: App, now: datetime, *, should_stop: Callable[[], bool] | None = None) -> int:
    from sheets_sync.notify import deliver_due

    report = deliver_due(app.store, app.mailer(), now, sender=app.settings.notify.sender,
                         max_attempts=app.settings.notify.smtp.max_attempts, should_stop=should_stop,
                         budget=app.settings.notify.smtp.batch_seconds)
    return report.exit_code


def backup_job(app: App, now: datetime) -> int:
    from sheets_sync.service.backup import backup_job as daily_copy

    return daily_copy(app, now)


def make_runner(app: App, *, sleep: Any, poll_minutes: int | None = None, once: bool = False,
                progress: Progress | None = None) -> Any:
    """The :class:`~sheets_sync.runtime.scheduler.Runner` of ``sheets-sync run`` for this office
    (``once``: for ``run --once``, whose poll is a full sweep; ``progress``: told of each bidang it reads)."""
    from sheets_sync.runtime.scheduler import JobSpec, Runner
    from sheets_sync.store.lock import lock_paths

    s = app.settings
    made: list[Runner] = []  # the runner, once built: delivery checks its stop request between SMTP commands

    def stopping() -> bool:
        return bool(made) and made[0].stopping

    jobs: Mapping[str, JobSpec] = {
        "poll": JobSpec(lambda now: poll_job(app, now, sweep=once, progress=progress),
                        every_minutes=poll_minutes or s.schedule.poll_minutes),
        "reminders": JobSpec(lambda now: reminder_job(app, now), at=s.reminders.send_time, after=("poll",)),
        "digest": JobSpec(lambda now: digest_job(app, now), at=s.schedule.digest_time),
        "dokumen": JobSpec(lambda now: dokumen_job(app, now), every_minutes=poll_minutes or s.schedule.poll_minutes,
                           after=("poll",)),
        "backup": JobSpec(lambda now: backup_job(app, now), at=s.backup.at),
        "deliver": JobSpec(lambda now: deliver_job(app, now, should_stop=stopping), every_minutes=5,
                           after=("poll", "reminders", "digest", "dokumen")),
    }
    paths = lock_paths(s.store_url)
    runner = Runner(jobs, app.store, clock=app.now, sleep=sleep, tz=app.tz, lock_path=paths[0] if paths else None,
                    lock_wait=300.0)  # run --once waits for an `approve` or `render` to finish
    made.append(runner)
    return runner

