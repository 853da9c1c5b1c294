"""``sheets-sync import``: an office that starts mid-year brings its earlier periods in once.

* ``import_period`` reads a filled .xlsx — a sheets-sync form or the office's own old table, found by
  headers (:mod:`sheets_sync.core.importfile`) — and, per bidang that has rows in it, keeps the values
  as a read (a snapshot: ``history`` shows them like a poll's) and records them **approved by import**
  (an approval *Disetujui* whose catatan names the file and its SHA-256).  Rows are matched to the
  indicator master by code; a code the master does not know is reported and left out.
* ``declare_unavailable`` records that a period's data is *tidak tersedia*: semester and annual
  documents print that quarter as not available, with a note.
* The values are checked as a poll checks a form's (:func:`sheets_sync.core.checks.evaluate`: numbers,
  keterangan under 100 %, rasio parts, plausibility), before anything is recorded.  An error refuses the
  import (``report.refused``; nothing is written) unless ``force`` is given; the findings are in the
  report either way, and the status each bidang gets is kept as a poll's is, so ``status`` shows it.
* The claim comes first: the period's import record (the store's ``imports`` table: per bidang the
  file, its SHA-256, when and the mode) is written in the same write transaction as the reads and
  approvals, and is checked inside it.  The same file again is a no-op with a message; another file
  (or *tidak tersedia* after an import, or the other way round) is refused unless ``replace`` is given.
* An import sends no e-mail: its deadlines passed long ago.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sheets_sync.core.importfile import ImportRow, find_table, table_rows
from sheets_sync.core.progress import Progress, steps
from sheets_sync.errors import SheetsSyncError, UsageError
from sheets_sync.model import Control, Finding, Period, UnitStatus
from sheets_sync.service.app import App
from sheets_sync.service.control_io import load_control
from sheets_sync.store.imports import ImportRow as ImportRecord

KIND_IMPORT = "impor"
KIND_UNAVAILABLE = "tidak_tersedia"


@dataclass(frozen=True)
class PeriodSource:
    """Where an earlier period's data came from, when it was not the forms: an import or a declaration
    that it is not available."""

    period: str
    kind: str  # KIND_IMPORT | KIND_UNAVAILABLE
    file: str
    sha256: str
    at: str
    units: tuple[str, ...] = ()
    reason: str = ""


@dataclass
class ImportReport:
    period: Period
    kind: str
    sha256: str = ""
    file: str = ""
    unchanged: bool = False  # the same file (or the same declaration) was recorded before: nothing done
    replaced: bool = False
    units: dict[str, int] = field(default_factory=dict)  # bidang → indicator rows kept
    unknown: list[str] = field(default_factory=list)  # "TW1!B9: kode 9.9" rows whose code the master lacks
    missing: list[str] = field(default_factory=list)  # bidang of the master with no row in the file
    tabs: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # the checks of a poll, on the file's cells
    statuses: dict[str, UnitStatus] = field(default_factory=dict)  # bidang → status of its imported rows
    refused: bool = False  # errors among the findings and no ``force``: nothing was recorded

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def period_source(app: App, period: Period) -> PeriodSource | None:
    """The import record of ``period`` (None: its data comes from the forms)."""
    rows = app.store.imports(str(period))
    if not rows:
        return None
    first = rows[0]
    return PeriodSource(first.period, first.mode, first.file, first.sha256,
                        first.imported_at.isoformat(timespec="seconds"),
                        tuple(r.bidang for r in rows if r.bidang), first.reason)


def _tabs_of(backend: Any, file: str, period: Period) -> list[tuple[str, list[list[Any]]]]:
    """The tabs to read: the one named for the period (``TW1``) when there is one, else every tab."""
    tabs = backend.list_tabs(file)
    wanted = [t for t in tabs if t.strip().upper() == period.tab] or tabs
    out = []
    for tab in wanted:
        rng = "'" + tab.replace("'", "''") + "'"
        out.append((tab, backend.read(file, [rng])[rng]))
    return out


def read_import_file(path: Path, period: Period, control: Control) -> tuple[dict[str, dict[str, Any]], ImportReport]:
    """Bidang → snapshot payload of the file's rows (see :data:`sheets_sync.model.SNAPSHOT_PAYLOAD_DOC`),
    and the report of what was found.  Raises :class:`UsageError` naming the file when it has no table."""
    from sheets_sync.backends.local import LocalBackend

    if not path.is_file():
        raise UsageError(f"berkas {path} tidak ditemukan", fix="periksa nama dan folder berkas yang akan diimpor")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    report = ImportReport(period, KIND_IMPORT, digest, path.name)
    backend = LocalBackend(path.parent)
    try:
        tabs = _tabs_of(backend, str(path.resolve()), period)
    except SheetsSyncError as exc:
        raise UsageError(f"berkas {path.name} tidak dapat dibaca: {exc.message}",
                         fix="simpan ulang dari Excel/LibreOffice sebagai .xlsx, lalu impor lagi") from exc
    owner = {i.code: i.unit for i in control.indicators}
    found: dict[str, dict[str, ImportRow]] = {}
    sheet_of: dict[str, str] = {}
    for tab, values in tabs:
        table = find_table(values)
        if table is None:
            continue
        report.tabs.append(tab)
        for row in table_rows(values, table):
            unit = owner.get(row.code)
            if unit is None:
                report.unknown.append(f"{tab}!{row.addresses.get('realisasi', '')}: kode {row.code}")
                continue
            found.setdefault(unit, {}).setdefault(row.code, row)
            sheet_of.setdefault(unit, tab)
    if not report.tabs:
        raise UsageError(
            f"berkas {path.name}: tidak ada tabel dengan kolom Kode dan Realisasi di tab "
            f"{', '.join(t for t, _ in tabs)}",
            fix="beri judul kolom Kode (atau Kode Indikator) dan Realisasi pada satu baris di 15 baris teratas")
    payloads: dict[str, dict[str, Any]] = {}
    form_id = f"impor:{path.name}:{digest[:16]}"
    for unit, rows in found.items():
        payloads[unit] = {
            "unit": unit, "period": str(period), "sheet": sheet_of[unit], "form_id": form_id, "link": "",
            "done": True, "ok": True, "findings": [],
            "rows": {code: {"row": r.row, **dict(r.cells), "cells": dict(r.addresses)} for code, r in rows.items()},
            "import": {"file": path.name, "sha256": digest},
        }
        report.units[unit] = len(rows)
    report.missing = [u.code for u in control.units if control.indicators_of(u.code) and u.code not in payloads]
    return payloads, report


def _same(app: App, period: Period, kind: str, sha256: str, report: ImportReport, *, replace: bool) -> bool:
    """Whether the period's record is already this one (the same file, or the same declaration); another
    record is refused unless ``replace`` (before the file is checked: the refusal is the first news)."""
    current = period_source(app, period)
    report.unchanged = current is not None and (current.kind, current.sha256) == (kind, sha256)
    if current is not None and not report.unchanged and not replace:
        what = (f"sudah diimpor dari {current.file} (SHA-256 {current.sha256[:12]}…)"
                if current.kind == KIND_IMPORT else "sudah dinyatakan tidak tersedia")
        raise UsageError(f"periode {period} {what} pada {current.at}",
                         fix=f"untuk menggantinya jalankan lagi dengan --replace: sheets-sync import --period "
                             f"{period} --replace …")
    return report.unchanged


def _claim(app: App, period: Period, records: list[ImportRecord], report: ImportReport, *, replace: bool) -> bool:
    """Inside the write transaction: False when the same record exists (nothing to do); refuses another."""
    if period_source(app, period) is not None:
        if _same(app, period, records[0].mode, records[0].sha256, report, replace=replace):
            return False
        report.replaced = True
    app.store.replace_imports(str(period), records)
    return True


def check_import(app: App, period: Period, control: Control, payloads: dict[str, dict[str, Any]],
                 now: datetime) -> tuple[list[Finding], dict[str, UnitStatus]]:
    """The checks of a poll on each bidang's imported rows (cells named as in the file): its findings,
    and the status it gets.  Data complete by import is *Lengkap* — an import has no deadline to miss."""
    from dataclasses import replace

    from sheets_sync.core.checks import evaluate
    from sheets_sync.service.poll import plausibility_of, previous_quarter, read_of, rules_of

    findings: list[Finding] = []
    statuses: dict[str, UnitStatus] = {}
    schedule, rules = control.schedule(period), rules_of(app)
    for unit, payload in sorted(payloads.items()):
        status, _ = evaluate(read_of(payload, now), control.indicators_of(unit), period, schedule, now, rules,
                             unit=unit, require_bukti=app.settings.rules.require_bukti,
                             plausibility=plausibility_of(app), previous=previous_quarter(app, unit, period))
        if status.state == "Terlambat":
            status = replace(status, state="Lengkap")
        findings.extend(status.findings)
        statuses[unit] = status
    return findings, statuses


def _check_past(app: App, period: Period, control: Control) -> None:
    """Only earlier periods are imported: a period whose deadline has not passed is filled in the forms."""
    sched = control.schedule(period)
    if sched is not None and sched.deadline > app.now():
        raise UsageError(f"batas pengisian {period} belum lewat; data periode berjalan diisi di form bidang",
                         fix=f"jalankan `sheets-sync provision --period {period}` dan isi formnya")


def import_period(app: App, period: Period, path: Path, *, replace: bool = False, force: bool = False,
                  control: Control | None = None, progress: Progress | None = None) -> ImportReport:
    """Import ``period`` from ``path`` (see the module docstring); ``progress`` hears of each bidang kept."""
    control = control or load_control(app)
    _check_past(app, period, control)
    payloads, report = read_import_file(path, period, control)
    if not payloads:
        raise UsageError(f"berkas {path.name}: tidak ada kode indikator yang dikenal di tab Indikator "
                         f"({len(report.unknown)} baris: {', '.join(report.unknown[:3])})",
                         fix="pakai kode indikator yang sama dengan kolom Kode di tab Indikator")
    if _same(app, period, KIND_IMPORT, report.sha256, report, replace=replace):
        return report
    now = app.now()
    report.findings, report.statuses = check_import(app, period, control, payloads, now)
    if report.errors and not force:
        report.refused = True
        return report
    records = [ImportRecord(str(period), unit, path.name, report.sha256, now, KIND_IMPORT) for unit in sorted(payloads)]
    with app.store.transaction():
        if not _claim(app, period, records, report, replace=replace):
            return report
        catatan = f"Disetujui melalui impor berkas {path.name} (SHA-256 {report.sha256})"
        for unit, payload in steps(sorted(payloads.items()), progress, lambda item: item[0]):
            snap, _ = app.store.save_snapshot(unit, str(period), payload["form_id"], payload, now)
            app.store.record_approval(unit, str(period), "Disetujui", catatan, now.isoformat(timespec="seconds"),
                                      snap.id, snap.sha256, now)
            app.store.add_event("imported", now, unit=unit, period=str(period),
                                detail={"file": path.name, "sha256": report.sha256, "snapshot": snap.id})
            status = report.statuses[unit]
            app.store.set_poll_state(unit, str(period), {
                "state": status.state, "filled": status.filled, "required": status.required,
                "completed_at": status.completed_at, "last_change": now, "stale": False,
                "findings": [f.as_dict() for f in status.findings], "done": True,
            }, now)
    return report


def declare_unavailable(app: App, period: Period, *, replace: bool = False, reason: str = "",
                        control: Control | None = None) -> ImportReport:
    """Record that ``period``'s data is not available (semester and annual documents say so)."""
    control = control or load_control(app)
    _check_past(app, period, control)
    report = ImportReport(period, KIND_UNAVAILABLE)
    now: datetime = app.now()
    records = [ImportRecord(str(period), "", "", "", now, KIND_UNAVAILABLE, reason)]
    with app.store.transaction():
        if _claim(app, period, records, report, replace=replace):
            app.store.add_event("declared_unavailable", now, period=str(period), detail={"reason": reason})
    return report
