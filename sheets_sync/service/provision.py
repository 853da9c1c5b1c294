"""Provisioning: one form per bidang and a tab per period, shared only with the bidang's configured
editors.  A form is found again after a crash (store, then the ``Bidang`` link, then its title) so a
crash never makes a second one; typed input is never touched; each bidang gets its link e-mail once
per period.

Provisioning converges: a bidang counts as provisioned for a period only once its form and tab were
set up, and that record is written in the same transaction as its link e-mail
(:func:`provisioned_units`).  The service re-runs :func:`provision` every cycle for the bidang not yet
provisioned (a form that could not be prepared when the period opened, a bidang added later, a crash
half-way), so a crash anywhere still ends with every link e-mail queued exactly once.  A tab that was
provisioned and later renamed is *not* recreated: a new empty tab would hide what the bidang typed
into the renamed one; the ``tab_hilang`` finding asks for the name back instead."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sheets_sync.core.form import build_setup, form_title, input_columns, join_words, read_range
from sheets_sync.core.progress import Progress, steps
from sheets_sync.errors import FormNotFound, SheetsSyncError
from sheets_sync.model import Control, Finding, Period, Unit
from sheets_sync.notify import queue_notice
from sheets_sync.service.app import App
from sheets_sync.service.control_io import load_control, write_unit_links
from sheets_sync.texts import Text


@dataclass
class ProvisionReport:
    created: list[str] = field(default_factory=list)
    adopted: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    silent: list[str] = field(default_factory=list)  # bidang whose link e-mail was not queued: deadline passed


def _form_for(app: App, unit: Unit, report: ProvisionReport) -> tuple[str, str]:
    """Find this bidang's form (store, adopted link, title) or create it; recorded immediately so a
    crash after creation finds it again by title instead of creating a second one."""
    year = app.settings.office.tahun
    known = app.store.forms(year).get(unit.code)
    if known:
        return known.form_id, known.link
    if unit.form_link:
        ref = app.backend.open_form(unit.form_link)
        report.adopted.append(unit.code)
    else:
        title = form_title(unit, app.settings.office)
        found = app.backend.find_form(title)
        if found is None:
            ref = app.backend.create_form(title)
            report.created.append(unit.code)
        else:
            ref = found
            report.adopted.append(unit.code)
    app.store.record_form(unit.code, year, ref.id, ref.link, ref.title, app.now())
    return ref.id, ref.link


def _meta_key(period: Period) -> str:
    return f"provisioned:{period}"


def provisioned_units(app: App, period: Period) -> set[str]:
    """The bidang whose form and tab for ``period`` were set up (and link e-mail queued)."""
    text = app.store.get_meta(_meta_key(period))
    return set(json.loads(text)) if text else set()


def units_to_provision(app: App, period: Period, control: Control) -> list[str]:
    """Bidang of the control spreadsheet not provisioned yet for ``period``."""
    done = provisioned_units(app, period)
    return [u.code for u in control.units if u.code not in done]


def provision(app: App, period: Period, progress: Progress | None = None, *,
              units: Sequence[str] | None = None, control: Control | None = None,
              notify: bool = False) -> ProvisionReport:
    """Create/update every bidang's form (or only ``units``) and the period tab.  Idempotent; never
    touches typed input.  A past period (its deadline passed: an office starting mid-year sets up
    earlier quarters) queues no link e-mail — it would ask for data by a date long gone — unless
    ``notify``; those bidang are in ``report.silent``."""
    app.check_period(period)
    control = control or load_control(app)
    report = ProvisionReport(findings=list(control.findings))
    schedule = control.schedule(period)
    chosen = [u for u in control.units if units is None or u.code in units]
    for unit in steps(chosen, progress, lambda u: u.code):
        try:
            form_id, link = _form_for(app, unit, report)
            try:
                tabs = app.backend.list_tabs(form_id)
            except FormNotFound:
                if unit.code in provisioned_units(app, period):
                    raise  # a prepared form that vanished: a finding, never a silent new empty form
                # recorded, but its first setup never finished (a crash, a busy file): make it again
                ref = app.backend.create_form(form_title(unit, app.settings.office))
                app.store.record_form(unit.code, app.settings.office.tahun, ref.id, ref.link, ref.title, app.now())
                form_id, link, tabs = ref.id, ref.link, []
                report.created.append(unit.code)
            existing = app.backend.read(form_id, [read_range(period)])[read_range(period)] if period.tab in tabs \
                else None
            setup = build_setup(unit, control.indicators_of(unit.code), period, app.settings.office, schedule,
                                existing, app.settings.notify.coordinator)
            app.backend.setup(form_id, setup)
            if existing is not None and unit.code not in report.created:
                report.updated.append(unit.code)
            report.links[unit.code] = link
            _record_provisioned(app, period, control, unit, link, notify=notify, report=report)
        except SheetsSyncError as exc:
            report.findings.append(Finding.worded(
                unit.code, period.tab, "", "provision_gagal",
                Text("Form {unit} gagal disiapkan: {error}", unit=unit.code, error=exc.text),
                exc.fix_text if exc.fix else Text("sheets-sync mencoba lagi pada siklus berikutnya.")))
            continue
        _share(app, unit, form_id, period, report)
    if report.links:
        write_unit_links(app.backend, app.settings.control, {u.code: u.form_link or report.links.get(u.code, "")
                                                            for u in control.units if u.code in report.links})
    app.store.add_event("provision", app.now(), period=str(period),
                        detail={"created": report.created, "adopted": report.adopted,
                                "failed": [f.unit for f in report.findings if f.code == "provision_gagal"]})
    return report


def _share(app: App, unit: Unit, form_id: str, period: Period, report: ProvisionReport) -> None:
    """Share the form with the bidang's editors — only when they differ from what was shared last time
    (recorded in the store), so re-running provision costs no sharing calls.  A failure is a finding
    and never undoes the setup or the link e-mail."""
    wanted = ",".join(sorted(e.strip().lower() for e in unit.editors if e.strip()))
    key = f"shared:{form_id}"
    if app.store.get_meta(key) == wanted:
        return
    try:
        app.backend.share(form_id, unit.editors)
    except SheetsSyncError as exc:
        report.findings.append(Finding.worded(
            unit.code, period.tab, "", "berbagi_gagal",
            Text("Form {unit} sudah disiapkan, tetapi belum dibagikan: {error}", unit=unit.code, error=exc.text),
            exc.fix_text if exc.fix else Text("Periksa alamat e-mail di tab Bidang lalu jalankan provision lagi.")))
        return
    app.store.set_meta(key, wanted)


def _record_provisioned(app: App, period: Period, control: Control, unit: Unit, link: str, *, notify: bool,
                        report: ProvisionReport) -> None:
    """Mark the bidang provisioned and queue its link e-mail (once per period), in one transaction."""
    sched = control.schedule(period)
    deadline = sched.deadline if sched else None
    past = deadline is not None and deadline <= app.now()
    with app.store.transaction():
        done = provisioned_units(app, period) | {unit.code}
        app.store.set_meta(_meta_key(period), json.dumps(sorted(done)))
        if past and not notify:
            report.silent.append(unit.code)
        elif link and unit.editors:
            context = {"office": app.settings.office, "unit": unit, "period": period, "link": link,
                       "deadline": deadline, "kolom": join_words(input_columns(control.indicators_of(unit.code)))}
            queue_notice(app.store, "link", f"link:{period}:{unit.code}", list(unit.editors), context, app.now(),
                         cc=list(app.settings.notify.coordinator), unit=unit.code, period=str(period),
                         templates=app.settings.notify.templates)


