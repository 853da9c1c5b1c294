"""The imperative shell: provision forms, poll them, keep what was read, compute statuses and write
the ``Rekap`` tab.  The only module that wires the backend, the store and the pure core together.

* :func:`provision` — one form per bidang (found again by title after a crash, adopted when the
  ``Bidang`` tab gives a link), a tab per period, shared only with the bidang's configured editors.
* :func:`poll` — read the forms the backend lists as changed since the watermark (the backend adds
  its own overlap and periodic full sweep; a bidang never read for the period is always read), store
  each read append-only, evaluate every bidang from its latest
  stored read, write ``Rekap``.  One broken form becomes a finding for that bidang; the rest go on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sheets_sync.core.capaian import Rules
from sheets_sync.core.checks import Plausibility, evaluate, shown
from sheets_sync.core.form import DONE_CELL, read_form, read_range
from sheets_sync.core.parse import parse_number
from sheets_sync.core.progress import Progress, steps
from sheets_sync.core.wording import joined, moment_text, typed_text
from sheets_sync.errors import AccessDenied, BackendError, FormNotFound, FormUnreadable, FormWrongFormat
from sheets_sync.model import Control, Finding, FormRead, Period, RowRead, Unit, UnitStatus
from sheets_sync.service.app import App
from sheets_sync.service.approvals import RETRY_NEXT_CYCLE, apply_date_locks, change_findings_for, pending_tab_findings
from sheets_sync.service.control_io import control_fingerprint, load_control, loaded_control_key, write_unit_links
from sheets_sync.service.poll_reuse import Reuse
from sheets_sync.service.provision import provisioned_units
from sheets_sync.service.rekap import rekap_extra_rows, write_rekap
from sheets_sync.store import SnapshotRow, StoreReading
from sheets_sync.texts import Text

log = logging.getLogger("sheets_sync.service.poll")


def rules_of(app: App) -> Rules:
    rules: Rules = app.settings.rules.to_rules()
    return rules


def plausibility_of(app: App) -> Plausibility:
    r = app.settings.rules
    band = r.capaian_band
    return Plausibility(band[0] if band else None, band[1] if band else None, r.jump_factor)


def previous_quarter(app: App, unit: str, period: Period) -> dict[str, float]:
    """The realisasi numbers of the bidang's last read of the quarter before (for ``lonjakan_nilai``)."""
    if period.quarter == 1:
        return {}
    snap = app.store.latest_snapshot(unit, str(Period(period.year, period.quarter - 1)))
    if snap is None:
        return {}
    out = {}
    for code, row in snap.payload.get("rows", {}).items():
        parsed = parse_number(row.get("realisasi"))
        if parsed.kind == "number" and parsed.value is not None:
            out[code] = parsed.value
    return out


# -- reading -----------------------------------------------------------------------------------------------
def payload_of(read: FormRead) -> dict[str, Any]:
    """What is stored for one read (see :data:`sheets_sync.model.SNAPSHOT_PAYLOAD_DOC`)."""
    return {
        "unit": read.unit, "period": str(read.period), "sheet": read.sheet, "form_id": read.form_id,
        "link": read.link, "done": read.done, "ok": read.ok,
        "rows": {r.code: {"row": r.row, **{k: v for k, v in r.cells.items()}, "cells": dict(r.addresses)}
                 for r in read.rows},
        "findings": [f.as_dict() for f in read.findings],
    }


def read_of(payload: dict[str, Any], read_at: datetime) -> FormRead:
    """Rebuild a :class:`FormRead` from a stored payload."""
    rows = tuple(
        RowRead(code, int(r["row"]), {k: v for k, v in r.items() if k not in ("row", "cells")}, dict(r["cells"]))
        for code, r in payload["rows"].items()
    )
    findings = tuple(Finding.from_dict(f) for f in payload.get("findings", []))
    return FormRead(payload["unit"], Period.parse(payload["period"]), payload["sheet"], payload["form_id"],
                    payload.get("link", ""), read_at, rows, bool(payload.get("done")), None, findings,
                    bool(payload.get("ok", True)))


def _read_one(app: App, unit: Unit, control: Control, period: Period, form_id: str, link: str) -> FormRead:
    rng = read_range(period)
    try:
        values = app.backend.read(form_id, [rng])[rng]
    except FormNotFound as exc:
        try:
            tabs = app.backend.list_tabs(form_id)
        except (FormNotFound, AccessDenied):
            raise  # not a missing tab: the spreadsheet itself is gone or closed to us
        except BackendError:
            tabs = []
        missing = (Text("Tab {tab} pada form {unit} tidak ditemukan ({error}). Tab yang ada: {tabs}.",
                        tab=period.tab, unit=unit.code, error=exc.text, tabs=", ".join(tabs)) if tabs
                   else Text("Tab {tab} pada form {unit} tidak ditemukan ({error}).", tab=period.tab, unit=unit.code,
                             error=exc.text))
        f = Finding.worded(unit.code, period.tab, "", "tab_hilang", missing,
                           Text("Kembalikan nama tab menjadi {tab} (jangan diganti nama) lalu tunggu siklus "
                                "berikutnya.", tab=period.tab))
        return FormRead(unit.code, period, period.tab, form_id, link, app.now(), findings=(f,), ok=False)
    fr = read_form(values, unit, control.indicators_of(unit.code), period, form_id=form_id, link=link,
                   read_at=app.now())
    notes = formula_notes(fr, getattr(app.backend, "last_formulas", {}).get(rng, {}))
    return replace(fr, findings=fr.findings + notes) if notes else fr


def formula_notes(read: FormRead, formulas: Mapping[str, str]) -> tuple[Finding, ...]:
    """``rumus_di_sel_isian`` (info) for each input cell holding a formula whose value Excel,
    LibreOffice or Google calculated: the value is used as read, and the bidang is asked to type the
    number (a formula's value moves when the cells it points at move, so an approved number could
    change without anyone typing in that cell).  A formula never calculated reads as its own text
    and is already ``nilai_tidak_valid``; no note is added for it."""
    out: list[Finding] = []
    for row in read.rows:
        for name, address in row.addresses.items():
            text = formulas.get(address)
            value = row.cells.get(name)
            if text is None or isinstance(value, bool) or not isinstance(value, int | float):
                continue
            out.append(Finding.worded(
                read.unit, read.sheet, address, "rumus_di_sel_isian",
                Text("{field} indikator {code} ({cell}) berisi rumus {formula}; sheets-sync memakai nilai hasil "
                     "hitungannya ({value}).", field=name.capitalize(), code=row.code, cell=address,
                     formula=shown(text), value=typed_text(value)),
                Text("Ketik angkanya langsung di {cell} (tanpa tanda =), agar nilai yang dilaporkan tidak berubah "
                     "sendiri bila sel lain berubah.", cell=address), "info", row.code))
    return tuple(out)


@dataclass
class PollReport:
    period: Period
    statuses: list[UnitStatus]
    read: list[str]
    failed: list[str]

    @property
    def findings(self) -> list[Finding]:
        return [f for s in self.statuses for f in s.findings if f.severity != "info"]

    @property
    def exit_code(self) -> int:
        return 1 if self.findings or self.failed else 0


@dataclass
class _Changes:
    """What the backend's listing says this cycle (see :func:`poll`)."""

    app: App
    period: Period
    mark: str | None
    fingerprinted: bool
    full: bool
    changed: dict[str, datetime] = field(default_factory=dict)
    prints: dict[str, str] = field(default_factory=dict)
    lost: dict[str, BackendError] = field(default_factory=dict)
    copies: dict[str, list[str]] = field(default_factory=dict)
    read_prints: dict[str, str] = field(default_factory=dict)  # "fp:<period>:<unit>" → fingerprint of its last read
    cycle: int | None = None
    renamed: dict[str, Finding] = field(default_factory=dict)  # unit → its form_berganti_nama finding
    listing_failed: bool = False

    def due(self, unit_code: str, form_id: str) -> bool:
        """Listed as changed since the watermark; for fingerprinted backends: a fingerprint other than
        the one of the bidang's last read (an older file time counts as a change)."""
        if not self.fingerprinted:
            return form_id in self.changed
        return self.prints.get(form_id, "") != self.read_prints.get(f"fp:{self.period}:{unit_code}", "")


def _list_changes(app: App, period: Period, forms: dict[str, Any], sweep: bool, folder: Any) -> _Changes:
    """``folder``: the backend's :meth:`~sheets_sync.backends.local.LocalBackend.listing` taken at the
    start of the poll (None when it has none): the changes are the ones of that listing, so the poll
    that keeps it for the next idle cycle (see :class:`_Idle`) decided on exactly what it keeps."""
    mark = app.store.get_meta("watermark")
    fingerprinted = bool(getattr(app.backend, "fingerprints", False))
    cycle: int | None = None
    if fingerprinted:
        cycle = int(app.store.get_meta(f"cycle:{period}") or 0) + 1
        sweep = sweep or cycle % app.settings.local.full_sweep_every == 0
    seen = _Changes(app, period, mark, fingerprinted, mark is None or (fingerprinted and sweep))
    seen.cycle = cycle  # counted when the poll ends (with its other marks)
    if fingerprinted:
        seen.read_prints = app.store.metas(f"fp:{period}:")  # one query, not one per bidang
    verify = getattr(app.backend, "verify_fingerprints", None)
    if seen.full and verify is not None:  # kept digests (local) are checked against the bytes again
        verify()
    try:
        # The backend applies its own overlap (Drive lags) and periodic full sweep.
        since = None if mark is None or fingerprinted else datetime.fromisoformat(mark)
        changes_in = getattr(app.backend, "changes_in", None)
        listing = (changes_in(folder, since) if folder is not None and changes_in is not None
                   else app.backend.changed_since(since))
        seen.changed = {c.form_id: c.modified for c in listing}
        seen.prints = {c.form_id: c.fingerprint for c in listing if c.fingerprint}
        seen.lost = app.backend.missing([f.form_id for f in forms.values()])  # deleted, trashed, unshared
        if seen.lost:
            _relocate(app, period, forms, seen)
        duplicates = getattr(app.backend, "duplicates", None)
        seen.copies = duplicates([f.form_id for f in forms.values()]) if duplicates is not None else {}
    except BackendError as exc:
        log.warning("listing changed forms failed, reading all: %s", exc)
        seen.full = True
        seen.listing_failed = True
    return seen


def poll(app: App, period: Period, *, sweep: bool = False, progress: Progress | None = None) -> PollReport:
    """One poll cycle for ``period`` (see module docstring).

    Backends whose listing carries fingerprints (local: size + modification time of each file, one
    ``stat`` each) are not trusted to have monotonic file times — Syncthing and OneDrive keep the
    sender's time, ``cp -p`` and restored backups older ones: a form is read when its fingerprint
    differs from the one of its last read, older time or not, and every form is read again on a full
    sweep, every ``[backend] full_sweep_every`` polls and whenever ``sweep`` is given (``run --once``).
    ``progress`` (:mod:`sheets_sync.core.progress`) hears of each bidang as it is done.

    The store's writes share one transaction between two form reads (:meth:`~sheets_sync.store.Store.batch`,
    flushed before each read and before the Rekap's file is written, so the write lock is never held
    while a file is read): a crash loses at most the bookkeeping of the last form read, which the next
    poll reads again, and never half of it."""
    app.check_period(period)
    with app.store.batch() as flush:
        reading = app.store.changes_seen()  # before anything is read: a write by another process from now
        # on makes the next idle check fail
        folder = _folder_listing(app)
        answer = _idle_answer(app, period, sweep, reading, folder)
        return answer if answer is not None else _poll(app, period, sweep, flush, reading, folder, progress)


def _poll(app: App, period: Period, sweep: bool, flush: Callable[[], None], reading: StoreReading,
          folder: Any, progress: Progress | None) -> PollReport:
    """:func:`poll` when the idle answer does not hold: list, read what is due, evaluate, write Rekap."""
    forms = app.store.forms(period.year)
    retry = set((app.store.get_meta(f"failed:{period}") or "").split())  # failed last cycle: read again
    seen = _list_changes(app, period, forms, sweep, folder)
    if seen.renamed:
        forms = app.store.forms(period.year)  # a renamed form is read from its new name this cycle
    full, lost, due = seen.full, seen.lost, seen.due
    control_print = control_fingerprint(app)  # kept for the next idle check: taken before the load, so a
    # change made during it is seen then
    control = load_control(app)  # after the listing: its fingerprint (Google: modifiedTime) is this cycle's
    apply_date_locks(app, period, control, app.now())  # the Tanggal Kunci, with this cycle's control (no re-read)
    ready = provisioned_units(app, period)
    statuses: list[UnitStatus] = []
    kept_reads: dict[str, SnapshotRow] = {}  # unit → its latest read as kept in this poll (decoded once)
    read_units: list[str] = []
    failed: list[str] = []
    now = app.now()
    rules = rules_of(app)
    schedule = control.schedule(period)
    ids = app.store.latest_ids(str(period))  # which bidang have a stored read (no payload decoded)
    control_key = loaded_control_key(app, control)
    reuse = Reuse.start(app, period, control_key, schedule, now, ids)
    # Forms that failed last cycle (e.g. a quota storm) are read first, before the quota runs out again.
    first_retried = sorted(control.units, key=lambda u: u.code not in retry)
    for unit in steps(first_retried, progress, lambda u: u.code):  # a full sweep reads every form: say how far
        form = forms.get(unit.code)
        extra: list[Finding] = []
        if form is not None and unit.code not in ready:
            extra.append(Finding.worded(
                unit.code, period.tab, "", "form_belum_siap",
                Text("Form {unit} untuk {period} belum selesai disiapkan; pengingat ke bidang ini ditahan sampai "
                     "form siap.", unit=unit.code, period=str(period)),
                Text("sheets-sync menyiapkannya lagi tiap siklus; periksa temuan provision_gagal.")))
        if form is None:
            extra.append(Finding.worded(unit.code, period.tab, "", "form_belum_ada",
                                        Text("Form untuk {unit} belum dibuat.", unit=unit.code),
                                        Text("Jalankan `sheets-sync provision --period {period}`.",
                                             period=str(period))))
        elif form.form_id in lost:
            failed.append(unit.code)
            extra.append(lost_finding(unit.code, form.title, form.link, lost[form.form_id]))
        elif (full or due(unit.code, form.form_id) or unit.code in retry
              or ids.get(unit.code, (None, None))[0] is None):
            try:
                flush()
                fr = _read_one(app, unit, control, period, form.form_id, form.link)
                older = _older_copy(app, period, unit.code, form.link, fr, seen.changed.get(form.form_id))
                if older is not None:  # the newer read stays the latest; this one equals a kept read
                    failed.append(unit.code)
                    extra.append(older)
                    raise _Skip
                snap, new = app.store.save_snapshot(unit.code, str(period), form.form_id, payload_of(fr), now)
                kept_reads[unit.code] = snap
                if new:  # a re-read of the same content leaves the status as it was
                    reuse.stored(unit.code, snap.id)
                read_units.append(unit.code)
                if form.form_id in seen.prints:  # the listing's: a save during the read is read next cycle
                    app.store.set_meta(f"fp:{period}:{unit.code}", seen.prints[form.form_id])
                if form.form_id in seen.changed:
                    app.store.set_meta(f"mtime:{period}:{unit.code}", seen.changed[form.form_id].isoformat())
            except _Skip:
                pass
            except (FormNotFound, AccessDenied) as exc:
                failed.append(unit.code)
                extra.append(lost_finding(unit.code, form.title, form.link, exc))
            except FormUnreadable as exc:
                failed.append(unit.code)
                extra.append(Finding.worded(unit.code, form.title, "", "form_tidak_terbaca",
                                            Text("Form {unit} tidak dapat dibaca: {error}", unit=unit.code,
                                                 error=exc.text), exc.fix_text))
            except BackendError as exc:
                failed.append(unit.code)
                extra.append(Finding.worded(unit.code, form.title, "", "form_gagal_dibaca",
                                            Text("Form {unit} gagal dibaca siklus ini: {error}", unit=unit.code,
                                                 error=exc.text),
                                            exc.fix_text if exc.fix else RETRY_NEXT_CYCLE))
        if unit.code in seen.renamed:
            extra.append(seen.renamed[unit.code])
        if form is not None:
            extra.extend(_folder_findings(app, unit, control, period, form.form_id, form.link, seen,
                                          read=unit.code in read_units))
        kept = None if extra or unit.code in retry else reuse.kept(unit.code)
        if kept is not None:  # nothing it depends on moved: the stored status stands
            statuses.append(kept)
            continue
        extra.extend(change_findings_of(app, period, unit.code, schedule))
        extra.extend(pending_tab_findings(app, period, unit.code))
        status = _evaluate_unit(app, unit, control, period, schedule, now, rules, extra, stale=unit.code in failed,
                                latest=kept_reads.get(unit.code, _UNKNOWN))
        statuses.append(status)
        if unit.code not in failed and unit.code not in seen.renamed:  # a stale status (or a one-cycle
            # notice) is never kept: the next poll recomputes it
            reuse.computed(unit.code, status)
    _mark_cycle(app, period, seen, now, failed, retry, reuse)
    order = {u.code: n for n, u in enumerate(control.units)}
    statuses.sort(key=lambda st: order[st.unit])
    report = PollReport(period, statuses, read_units, failed)
    flush()
    rekap_done = _write_rekap_if_moved(app, period, control, statuses, forms, reuse)
    # Kept for the next cycle only when repeating this one with nothing moved would give the same report
    # and write nothing: no failure (read again next cycle), no one-cycle notice, every status keyed,
    # the Rekap written, and a listing of the forms to compare with.
    _keep_idle(app, period, folder, reading, control_print, schedule, now, report,
               repeatable=_repeatable(seen, failed, control_key, reuse, len(statuses), rekap_written=rekap_done),
               cycle=seen.cycle)
    return PollReport(period, list(statuses), list(read_units), list(failed))


def _own_changes_now(app: App, reading: StoreReading) -> StoreReading:
    """``reading`` (taken when the poll started: another process's commit since then must still be seen)
    with this connection's own changes as they are now, after the poll's own writes."""
    return reading._replace(own_changes=app.store.changes_seen().own_changes)


def _keep_idle(app: App, period: Period, folder: Any, reading: StoreReading, control_print: str | None,
               schedule: Any, now: datetime, report: PollReport, *, repeatable: bool, cycle: int | None) -> None:
    """Keep ``report`` for the next idle cycle (:class:`_Idle`) when repeating this poll with nothing
    moved would give it again (``repeatable``) and this backend lets that be checked: a folder listing,
    a control fingerprint and a counted cycle.  Otherwise forget the one kept before."""
    app.memo.pop(_idle_meta(period), None)
    if not repeatable or folder is None or control_print is None or cycle is None:
        return
    app.memo[_idle_meta(period)] = _Idle(app.settings, app.backend, folder, _own_changes_now(app, reading),
                                         control_print, schedule.deadline if schedule is not None else None,
                                         _deadline_passed(schedule, now),
                                         schedule.lock if schedule is not None else None, cycle, report)


def _folder_listing(app: App) -> Any:
    """The backend's listing of the forms folder (local), None for a backend that has none."""
    listing = getattr(app.backend, "listing", None)
    return listing() if listing is not None else None


def _repeatable(seen: _Changes, failed: list[str], control_key: str | None, reuse: Reuse, count: int, *,
                rekap_written: bool) -> bool:
    """Whether this poll, repeated with nothing moved, would give the same report and write nothing
    (see :class:`_Idle`): the Rekap written, no failure, no one-cycle notice, a listing that worked, a
    keyed control and every status computed or kept under its key."""
    return (rekap_written and not failed and not seen.renamed and not seen.listing_failed and control_key is not None
            and reuse.context is not None and len(reuse.keys) == count)


def _idle_meta(period: Period) -> str:
    return f"poll_idle:{period}"


def _deadline_passed(schedule: Any, now: datetime) -> bool:
    return schedule is not None and now > schedule.deadline


@dataclass(frozen=True)
class _Idle:
    """The last poll of a period in this process, kept with everything its report depends on: the
    settings and backend it ran with (the same objects), the forms folder's listing, the store's
    :meth:`~sheets_sync.store.Store.changes_seen` (``data_version`` when that poll started, our own
    writes when it ended), the control spreadsheet's fingerprint, whether the deadline had passed, and
    the cycle number it counted.  The deadline is kept with whether it had passed: the schedule
    comes from the control, which the fingerprint pins."""

    settings: Any
    backend: Any
    folder: Any
    store: StoreReading
    control_print: str
    deadline: datetime | None
    passed: bool
    lock: datetime | None
    cycle: int
    report: PollReport


def _idle_answer(app: App, period: Period, sweep: bool, reading: StoreReading, folder: Any) -> PollReport | None:
    """The report of an idle cycle without computing it, or None when anything may have moved.

    When the forms folder lists exactly as it did (name, size and modification time of every form, the
    names of every other file), no one wrote the store since the last poll of this period in this
    process (another process's commit moves SQLite's ``data_version``; our own writes other than the
    scheduler's bookkeeping are counted), the control workbook has the same fingerprint and the
    deadline is on the same side of now, that poll's report is this one's: every form's fingerprint is
    the one of its last read and every status's key is the one it was computed under.  The cycle is
    still counted (a full sweep is due every ``full_sweep_every`` polls and is never skipped) and
    ``polled`` stamped, in one commit.  Cost: one ``stat`` per form and a tuple compare per form."""
    kept = app.memo.get(_idle_meta(period))
    if (not isinstance(kept, _Idle) or sweep or folder is None or kept.settings is not app.settings
            or kept.backend is not app.backend or folder != kept.folder or reading != kept.store):
        return None
    cycle = kept.cycle + 1
    if cycle % app.settings.local.full_sweep_every == 0:
        return None
    # Same settings and fingerprint: load_control would return the control it keeps, unread.
    if control_fingerprint(app) != kept.control_print:
        return None
    now = app.now()
    if (kept.deadline is not None and now > kept.deadline) != kept.passed:
        return None
    if kept.lock is not None and now >= kept.lock:  # from the Tanggal Kunci on, every poll claims and
        # retries the date locks (apply_date_locks): never answered from memory
        return None
    with app.store.transaction():
        app.store.set_meta(f"cycle:{period}", str(cycle))
        app.store.set_meta(f"polled:{period}", now.isoformat())
    app.memo[_idle_meta(period)] = replace(kept, store=_own_changes_now(app, reading), cycle=cycle)
    report = kept.report
    return PollReport(period, list(report.statuses), [], [])


def _mark_cycle(app: App, period: Period, seen: _Changes, now: datetime, failed: list[str], retry: set[str],
                reuse: Reuse) -> None:
    """The cycle's marks (watermark, cycle count, failed forms, when polled, status keys) in one commit."""
    with app.store.transaction():
        if seen.changed and not seen.fingerprinted:
            app.store.set_meta("watermark", max(seen.changed.values()).isoformat())
        elif seen.fingerprinted and seen.mark is None:
            app.store.set_meta("watermark", now.isoformat())  # fingerprinted: only "read once" matters
        if seen.cycle is not None:
            app.store.set_meta(f"cycle:{period}", str(seen.cycle))
        if failed or retry:
            app.store.set_meta(f"failed:{period}", " ".join(failed))
        app.store.set_meta(f"polled:{period}", now.isoformat())
        reuse.finish()


def _write_rekap_if_moved(app: App, period: Period, control: Control, sts: list[UnitStatus],
                          forms: dict[str, Any], reuse: Reuse) -> bool:
    """Write ``Rekap`` unless every status was kept and its other inputs (form links, the digest rows)
    are what the last written Rekap was made from: then not even its table is recomputed.  False when
    the write failed (it is tried again next cycle)."""
    digest = app.store.get_meta(f"digest_rows:{period}") or ""
    links = sorted((u, getattr(f, "link", "")) for u, f in forms.items())
    key = reuse.rekap_key(json.dumps([links, digest])) if len(reuse.reused) == len(sts) else None
    if key is not None and app.store.get_meta(f"rekap_inputs:{period}") == key:
        return True
    written = write_rekap(app, period, control, sts,
                          extra_rows=rekap_extra_rows(app, period, control, sts))
    inputs = reuse.rekap_key(json.dumps([links, digest]))
    if written and inputs is not None:
        app.store.set_meta(f"rekap_inputs:{period}", inputs)
    return written


class _Skip(Exception):
    """The read is not kept (see :func:`_older_copy`)."""


def _relocate(app: App, period: Period, forms: dict[str, Any], seen: _Changes) -> None:
    """Forms gone from their name but found again by their document-property marker in another file
    of the forms folder (a person renamed the file): the registry and ``Bidang``'s link follow the new
    name and the bidang gets ``form_berganti_nama`` for this cycle.  Two or more files carrying the
    marker are not guessed between: ``form_hilang`` then names them."""
    find = getattr(app.backend, "find_by_marker", None)
    if find is None:
        return
    registered = [f.form_id for f in forms.values()]
    links: dict[str, str] = {}
    for unit, form in forms.items():
        exc = seen.lost.get(form.form_id)
        if exc is None or isinstance(exc, FormWrongFormat):
            continue
        found = find(unit, registered)
        if len(found) > 1:
            names = ", ".join(r.id for r in found)
            seen.lost[form.form_id] = FormNotFound(
                f"{exc.message}; berkas yang membawa penanda form {unit}: {names}",
                fix=f"Pilih berkas yang benar, beri nama {form.form_id}, lalu pindahkan yang lain dari folder "
                "formulir.")
            continue
        if not found:
            continue
        ref = found[0]
        app.store.record_form(unit, period.year, ref.id, ref.link, form.title, app.now())
        app.store.add_event("form_renamed", app.now(), period=str(period), unit=unit,
                            detail={"from": form.form_id, "to": ref.id})
        del seen.lost[form.form_id]
        links[unit] = ref.link
        seen.renamed[unit] = Finding.worded(
            unit, period.tab, "", "form_berganti_nama",
            Text("Form {unit} berganti nama: {old} kini bernama {new} (dikenali dari penanda di properti "
                 "dokumennya). sheets-sync membaca berkas dengan nama baru dan memperbarui tautan di tab Bidang.",
                 unit=unit, old=form.form_id, new=ref.id),
            Text("Tidak perlu tindakan. Tautan pada e-mail yang sudah terkirim masih menunjuk {old}: beri tahu "
                 "bidang {unit} nama berkas yang baru, atau kembalikan namanya menjadi {old}.", unit=unit,
                 old=form.form_id), "warning")
    if links:
        try:
            write_unit_links(app.backend, app.settings.control, links)
        except BackendError as exc:  # the registry already follows the file; the link is written next time
            log.warning("could not update Bidang links after a rename: %s", exc)


def _older_copy(app: App, period: Period, unit: str, link: str, fr: FormRead,
                modified: datetime | None) -> Finding | None:
    """``form_versi_lama`` when a form was replaced by an older copy of itself (a restored backup, a
    ``cp -p`` of an old file): its file time is older than the one of the last kept read *and* its
    content is exactly an earlier read of this bidang, not the latest.  The read is then not kept as
    the latest — the newer values stay, and the older ones are already in the history, so nothing read
    is lost.  An older file time with new content is a normal edit (Syncthing and OneDrive keep the
    sender's clock); re-saving the file in Excel gives it the current time, which accepts it."""
    before = app.store.get_meta(f"mtime:{period}:{unit}")
    if modified is None or not before or modified >= datetime.fromisoformat(before):
        return None
    snaps = app.store.snapshots(unit, str(period))
    rows = payload_of(fr)["rows"]
    if not snaps or snaps[-1].payload["rows"] == rows:
        return None
    match = next((s for s in reversed(snaps[:-1]) if s.payload["rows"] == rows), None)
    if match is None:
        return None
    diffs = _older_copy_text(differences(snaps[-1].payload["rows"], rows))
    when = moment_text(match.first_read_at.astimezone(app.now().tzinfo))
    name = link.replace("\\", "/").rsplit("/", 1)[-1]
    return Finding.worded(
        unit, period.tab, "", "form_versi_lama",
        Text("Form {unit} ({name}) diganti dengan salinan yang lebih lama: isinya sama dengan yang terbaca pada "
             "{when}, dan waktu berkasnya lebih lama daripada versi yang terakhir terbaca. sheets-sync tetap memakai "
             "data terakhir (ditandai usang). Yang berbeda: {diffs}.", unit=unit, name=name, when=when, diffs=diffs),
        Text("Jika nilai terakhir yang benar, ketik kembali nilai itu di {name} atau pulihkan berkas versi terbaru. "
             "Jika salinan lama memang yang benar, buka berkas itu di Excel/LibreOffice lalu simpan ulang: "
             "sheets-sync membacanya sebagai isian baru.", name=name), "warning")


@dataclass(frozen=True)
class FieldDifference:
    """One typed field of one indicator row (or the form's *Selesai* cell) that differs between two
    parsed reads of a form: ``code`` of the indicator ("" for the form's own cell), ``field``
    (``realisasi``, ``keterangan``…), ``cell`` (A1, "" when neither read knows it), ``before`` and
    ``after`` as read."""

    code: str
    field: str
    cell: str
    before: Any
    after: Any


def differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldDifference]:
    """The fields that differ between two reads' ``rows`` (as :func:`payload_of` stores them), by
    indicator code and field name — what a person typed differently, wherever the rows now are."""
    out: list[FieldDifference] = []
    for code in sorted(set(before) | set(after)):
        a, b = before.get(code, {}), after.get(code, {})
        for key in sorted((set(a) | set(b)) - {"row", "cells"}):
            if a.get(key) != b.get(key):
                where = (a.get("cells") or b.get("cells") or {}).get(key, "")
                out.append(FieldDifference(code, key, where, a.get(key), b.get(key)))
    return out


def _older_copy_text(diffs: Sequence[FieldDifference], limit: int = 5) -> str | Text:
    """``3.3 realisasi (H12): 9 → 12`` for each difference (at most ``limit``), for ``form_versi_lama``."""
    out: list[str | Text] = [
        Text("{code} {field} ({cell}): {before} → {after}", code=d.code, field=d.field, cell=d.cell,
             before=typed_text(d.before), after=typed_text(d.after)) if d.cell
        else Text("{code} {field}: {before} → {after}", code=d.code, field=d.field, before=typed_text(d.before),
                  after=typed_text(d.after))
        for d in diffs]
    if not out:
        return Text("tidak ada nilai yang berbeda")
    if len(out) > limit:
        return Text("{differences} dan {n} lainnya", differences=joined(out[:limit]), n=len(out) - limit)
    return joined(out)


def _folder_findings(app: App, owner: Unit, control: Control, period: Period, form_id: str, link: str,
                     seen: _Changes, *, read: bool) -> list[Finding]:
    """Local forms: copies of the form beside it (``form_salinan``: data typed there is never read) and,
    after a read, a removed document-property marker (``penanda_hilang``)."""
    unit = owner.code
    out: list[Finding] = []
    copies = seen.copies.get(form_id, [])
    if copies:
        name = link.replace("\\", "/").rsplit("/", 1)[-1]
        compared = joined([Text("{copy}: {difference}", copy=c,
                                difference=_copy_difference(app, owner, control, form_id, c, period))
                           for c in copies])
        out.append(Finding.worded(
            unit, period.tab, "", "form_salinan",
            Text("Ada salinan form {unit} di folder formulir: {copies}. sheets-sync hanya membaca {name}; isian di "
                 "salinan tidak terbaca. Dibandingkan dengan {name}: {compared}.", unit=unit,
                 copies=", ".join(copies), name=name, compared=compared),
            Text("Pindahkan isian dari salinan ke {name}, lalu hapus atau pindahkan salinannya dari folder "
                 "formulir.", name=name), "warning"))
    if read and seen.fingerprinted:
        try:
            marker = app.backend.read_marker(form_id, period.tab)
        except BackendError:
            marker = {"?": "?"}  # unreadable now: the read itself already reported it
        if not marker:
            out.append(Finding.worded(
                unit, period.tab, "", "penanda_hilang",
                Text("Penanda form {unit} di properti dokumen (sheets-sync:{tab}) terhapus atau diubah; berkas "
                     "mungkin dibuat ulang atau disalin dari berkas lain.", unit=unit, tab=period.tab),
                Text("Jalankan `sheets-sync provision` untuk memulihkan penanda."), "warning"))
    return out


def _copy_difference(app: App, unit: Unit, control: Control, form_id: str, copy: str, period: Period) -> Text:
    """What a copy holds that the form does not, for the ``form_salinan`` finding: "isinya sama",
    the first cells that differ, or why it could not be compared.  Both files are read and parsed as a
    poll reads a form, so a difference is a value typed differently (by indicator, wherever its row
    is), the *Selesai* cell included.  Copies are rare, so opening the form and its copy once per poll
    while the copy is there is the price of telling the bidang whether data typed into the copy would
    be lost."""
    unreadable = Text("tidak dapat dibandingkan (salinan tidak terbaca sebagai .xlsx)")
    try:
        mine = _read_one(app, unit, control, period, form_id, form_id)
        theirs = _read_one(app, unit, control, period, copy, copy)
    except BackendError:
        return unreadable
    if not mine.ok or not theirs.ok:
        return unreadable
    diffs = differences(payload_of(mine)["rows"], payload_of(theirs)["rows"])
    if mine.done != theirs.done:
        done = {True: "Selesai", False: "Belum"}
        diffs.append(FieldDifference("", "selesai", DONE_CELL, done[mine.done], done[theirs.done]))
    differ: list[str | Text] = [Text("{cell} {before} → {after}", cell=d.cell, before=typed_text(d.before),
                                     after=typed_text(d.after)) for d in diffs]
    if not differ:
        return Text("isinya sama")
    cells = joined(differ[:3], ", ")
    if len(differ) > 3:
        return Text("isinya berbeda di {n} sel ({cells} dan {more} sel lainnya)", n=len(differ), cells=cells,
                    more=len(differ) - 3)
    if len(differ) == 1:
        return Text("isinya berbeda di 1 sel ({cells})", cells=cells)
    return Text("isinya berbeda di {n} sel ({cells})", n=len(differ), cells=cells)


def lost_finding(unit: str, sheet: str, link: str, exc: BackendError) -> Finding:
    """A form that is gone (``form_hilang``: deleted or in the trash) or closed to sheets-sync
    (``form_tidak_dapat_diakses``: unshared, or the shared drive lost).  The last good read is kept and
    the bidang is marked stale; the coordinator sees it in the status, the digest and ``Rekap``."""
    if isinstance(exc, FormWrongFormat):
        return Finding.worded(unit, sheet, "", "form_format_lain",
                              Text("Form {unit} ({link}): {error}. Data terakhir yang terbaca tetap dipakai dan "
                                   "ditandai usang.", unit=unit, link=link, error=exc.text), exc.fix_text)
    if isinstance(exc, AccessDenied):
        return Finding.worded(unit, sheet, "", "form_tidak_dapat_diakses",
                              Text("Form {unit} ({link}) tidak dapat diakses sheets-sync: {error}. Data terakhir "
                                   "yang terbaca tetap dipakai dan ditandai usang.", unit=unit, link=link,
                                   error=exc.text),
                              exc.fix_text if exc.fix
                              else Text("Bagikan lagi form itu ke identitas sheets-sync sebagai Editor."))
    return Finding.worded(unit, sheet, "", "form_hilang",
                          Text("Form {unit} ({link}) hilang: {error}. Data terakhir yang terbaca tetap dipakai dan "
                               "ditandai usang.", unit=unit, link=link, error=exc.text),
                          exc.fix_text if exc.fix
                          else Text("Pulihkan form dari Sampah, atau kosongkan tautannya di tab Bidang lalu "
                                    "jalankan `sheets-sync provision`."))


def change_findings_of(app: App, period: Period, unit: str, schedule: Any = None) -> list[Finding]:
    """Findings for cells changed after the Tanggal Kunci or after the meeting approved this bidang (see
    :mod:`.approvals`)."""
    return change_findings_for(app, period, unit, schedule)


_UNKNOWN: Any = object()


def _evaluate_unit(app: App, unit: Unit, control: Control, period: Period, schedule: Any, now: datetime,
                   rules: Rules, extra: Sequence[Finding], *, stale: bool, latest: Any = _UNKNOWN) -> UnitStatus:
    """Compute and store the bidang's status from its latest kept read (``latest``: that read when this
    poll just kept it, else taken from the store)."""
    if latest is _UNKNOWN:
        latest = app.store.latest_snapshot(unit.code, str(period))
    before = app.store.poll_state(unit.code, str(period))
    fr = read_of(latest.payload, latest.last_read_at) if latest else None
    # The last change is when the current content was first read — unless that is the untouched form.
    last_change = latest.first_read_at if latest and (_typed(latest.payload) or
                                                      app.store.snapshot_count(unit.code, str(period)) > 1) else None
    status, _ = evaluate(fr, control.indicators_of(unit.code), period, schedule, now, rules, unit=unit.code,
                         require_bukti=app.settings.rules.require_bukti,
                         completed_at=before.completed_at if before else None, last_change=last_change,
                         plausibility=plausibility_of(app), previous=previous_quarter(app, unit.code, period))
    status = UnitStatus(status.unit, period, status.state, status.filled, status.required,
                        tuple(extra) + status.findings, status.last_change, status.completed_at, status.done_flag,
                        stale or status.stale)
    app.store.set_poll_state(unit.code, str(period), {
        "state": status.state, "filled": status.filled, "required": status.required,
        "completed_at": status.completed_at, "last_change": status.last_change, "stale": status.stale,
        "findings": [f.as_dict() for f in status.findings], "done": status.done_flag,
    }, now)
    return status


def _typed(payload: dict[str, Any]) -> bool:
    """Whether anyone typed anything into the tab stored in ``payload``."""
    return any(str(v if v is not None else "").strip() for r in payload["rows"].values()
               for k, v in r.items() if k not in ("row", "cells"))


def statuses(app: App, period: Period, control: Control | None = None, *,
             polled_only: bool = False) -> list[UnitStatus]:
    """The last computed status of every bidang (from the store; no backend read).  A bidang never
    polled counts as *Belum mengisi*, or is left out with ``polled_only``."""
    control = control or load_control(app)
    out = []
    states = app.store.poll_states(str(period))  # one query for every bidang
    for unit in control.units:
        st = states.get(unit.code)
        if st is None and polled_only:
            continue
        if st is None:
            out.append(UnitStatus(unit.code, period, "Belum mengisi", 0,
                                  len([i for i in control.indicators_of(unit.code) if i.measured_in(period.quarter)])))
            continue
        findings = tuple(Finding.from_dict(f) for f in st.findings)
        out.append(UnitStatus(unit.code, period, st.state, st.filled, st.required, findings,
                              st.last_change, st.completed_at, st.done, st.stale))
    return out


# -- history -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HistoryEntry:
    """One version of an indicator row: the values read (field → raw), the cell of each field, and
    when this version was first and last read.  ``present`` is False while the row was missing."""

    first_read_at: datetime
    last_read_at: datetime
    values: dict[str, Any]
    cells: dict[str, str]
    present: bool


def history(app: App, period: Period, unit: str, code: str) -> list[HistoryEntry]:
    """Every distinct value ever read for one indicator row: one entry per change, oldest first."""
    out: list[HistoryEntry] = []
    prev: dict[str, Any] | None = None
    for snap in app.store.snapshots(unit, str(period)):
        row = snap.payload["rows"].get(code)
        values = {k: v for k, v in (row or {}).items() if k not in ("row", "cells")}
        if values != prev:
            out.append(HistoryEntry(snap.first_read_at, snap.last_read_at, values, (row or {}).get("cells", {}),
                                    row is not None))
        elif out:
            out[-1] = replace(out[-1], last_read_at=snap.last_read_at)
        prev = values
    return out if any(e.present for e in out) else []
