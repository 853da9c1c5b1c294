"""The ``Rekap`` tab: the service's table per bidang (also ``status --csv``), then the cells changed
after approval and the last coordinator digest.  Written RAW, only when its content changed (an idle
poll writes nothing), and then only the rows that changed.  It lives in the backend's
:meth:`~sheets_sync.backends.base.Backend.report_sheet`: the control spreadsheet on Google, a small
companion workbook beside the control workbook locally (openpyxl rewrites a workbook whole, and the
control workbook holds every Indikator row)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sheets_sync.core.a1 import col_letter
from sheets_sync.core.fmt import angka, tanggal_jam
from sheets_sync.core.summary import stale_why
from sheets_sync.core.values import NumberFormat, RangeWrite
from sheets_sync.errors import BackendError
from sheets_sync.model import ApprovedChange, Control, Period, UnitStatus
from sheets_sync.service.app import App
from sheets_sync.service.approvals import changes_after_approval
from sheets_sync.store import LatestIds, content_hash

log = logging.getLogger("sheets_sync.service.rekap")


REKAP_HEADERS = ("Periode", "Kode", "Bidang", "Terisi", "Wajib", "Kelengkapan (%)", "Status", "Jumlah Masalah",
                 "Perubahan Terakhir", "Tepat Waktu", "Status Rapat", "Tautan Form")
_PERCENT = col_letter(REKAP_HEADERS.index("Kelengkapan (%)") + 1)
REKAP_FORMATS = (NumberFormat(f"Rekap!{_PERCENT}5:{_PERCENT}", "0.00"),)
"""The Rekap tab's number format: the percentages of the table (from row 5, under the title, the time
line, a blank row and the headers) and of the summary below it, in the same column, shown "100,00" by an
Indonesian Excel or Sheets (format codes are locale-neutral).  ``init``/``provision`` set it through the
control workbook's guide; every whole-tab write sets it again, so a tab sheets-sync recreates (deleted by
a person, or a control workbook made by hand) never shows bare numbers."""


def rekap_rows(app: App, period: Period, control: Control, sts: Sequence[UnitStatus]) -> list[list[Any]]:
    """The Rekap table's rows, one per status of ``sts`` in its order, cells in :data:`REKAP_HEADERS`'s
    order."""
    forms = app.store.forms(period.year)
    decisions = app.store.current_approvals(str(period))
    rows: list[list[Any]] = []
    for s in sts:
        unit = control.unit(s.unit)
        appr = decisions.get(s.unit)
        rows.append([
            str(period), s.unit, unit.name if unit else s.unit,
            s.filled, s.required, angka(s.percent),
            s.shown_state + (f" (data lama: {stale_why(s.findings) or 'form gagal dibaca'})" if s.stale else ""),
            len([f for f in s.findings if f.severity != "info"]),
            tanggal_jam(s.last_change.astimezone(app.tz)) if s.last_change else "",
            {"Lengkap": "Ya", "Terlambat": "Tidak"}.get(s.state, "–"),
            appr.status if appr else "Belum dibahas",
            rec.link if (rec := forms.get(s.unit)) else "",
        ])
    return rows


def rekap_frame(app: App, period: Period, control: Control, sts: Sequence[UnitStatus]) -> Any:
    """The Rekap table (:func:`rekap_rows`) as a pandas DataFrame, for ``status --csv``."""
    import pandas as pd

    return pd.DataFrame(rekap_rows(app, period, control, sts), columns=list(REKAP_HEADERS))


def report_sheet(app: App) -> str:
    """Where ``Rekap`` and ``Dokumen`` are written: the control spreadsheet on Google (and in memory), the
    companion workbook beside it locally (see :meth:`~sheets_sync.backends.base.Backend.report_sheet`)."""
    return app.backend.report_sheet(app.settings.control)


def changed_blocks(tab: str, old: Sequence[Sequence[Any]], new: Sequence[Sequence[Any]]) -> list[RangeWrite]:
    """The writes that turn the grid ``old`` (as last written) into ``new``: one write per run of
    consecutive changed rows, rows that are no longer there written empty.  Both grids are padded to
    the same width by the caller."""
    width = max((len(r) for r in (*old, *new)), default=0)
    blank = [None] * width
    writes: list[RangeWrite] = []
    run: list[list[Any]] = []
    run_start = 0
    def norm(row: Sequence[Any]) -> list[Any]:  # an empty string reads back as an empty cell
        cells = [None if v == "" else v for v in row]
        return cells + [None] * (width - len(cells))

    for i in range(max(len(old), len(new))):
        want = list(new[i]) if i < len(new) else blank
        have = norm(old[i]) if i < len(old) else None
        if have == norm(want):
            if run:
                writes.append(RangeWrite(f"{tab}!A{run_start + 1}", run))
                run = []
            continue
        if not run:
            run_start = i
        run.append(want)
    if run:
        writes.append(RangeWrite(f"{tab}!A{run_start + 1}", run))
    return writes


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A cell for a CSV/xlsx export that spreadsheet programs will show as text, never evaluate: text
    starting with ``= + - @``, tab or CR gets a leading ``'`` (OWASP "CSV injection")."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export_csv(frame: Any) -> str:
    """``status --csv``: the Rekap table as CSV with every text cell made safe (:func:`csv_safe`)."""
    cells = frame.map if hasattr(frame, "map") else frame.applymap  # DataFrame.map is pandas ≥ 2.1
    return str(cells(csv_safe).to_csv(index=False))


def write_rekap(app: App, period: Period, control: Control, sts: Sequence[UnitStatus],
                extra_rows: Sequence[Sequence[Any]] = ()) -> bool:
    """Write the ``Rekap`` tab (RAW) of the :func:`report_sheet`: this period's table, then any extra
    rows; True when the tab holds them afterwards.  Skipped when the content is what was last written,
    so an idle poll writes nothing (the time line says when the content last changed).  Otherwise only
    the rows that differ from the grid last written are sent (on Google one values update of those
    ranges); the whole tab is written when nothing is known about it yet or the report sheet changed
    since (its fingerprint moved: someone edited or replaced it)."""
    import json

    body: list[list[Any]] = [list(REKAP_HEADERS)]  # the rows themselves: a pandas frame built and turned
    # back into lists gave the same cells at several times the cost
    body += [[None if v == "" else v for v in row] for row in rekap_rows(app, period, control, sts)]
    percent = REKAP_HEADERS.index("Kelengkapan (%)")
    for row, s in zip(body[1:], sts, strict=False):  # a number, shown "100,00" by the tab's number format
        row[percent] = round(s.percent, 2)
    body += [list(r) for r in extra_rows]
    body = json.loads(json.dumps(body, default=str))
    digest = content_hash({"period": str(period), "rows": body})
    if app.store.get_meta("rekap_hash") == digest:
        return True
    values: list[list[Any]] = [[f"REKAP PENGUMPULAN DATA KINERJA {period.label.upper()}"],
                               [f"Terakhir berubah {tanggal_jam(app.now())} (ditulis oleh sheets-sync)"], [],
                               *body]
    width = max(len(REKAP_HEADERS), *(len(r) for r in values))
    padded = [list(r) + [None] * (width - len(r)) for r in values]
    target = report_sheet(app)
    old = _last_grid(app, target)
    formats: tuple[NumberFormat, ...] = ()
    if old is None:  # the whole tab; clear what an earlier, longer Rekap left below
        previous = max(len(padded), int(app.store.get_meta("rekap_rows") or 0))
        writes = [RangeWrite("Rekap!A1", padded + [[None] * width] * (previous - len(padded)))]
        formats = REKAP_FORMATS  # the tab may be new or made by hand: with the same write, not a second call
    else:
        writes = changed_blocks("Rekap", old, padded)
    try:
        if writes and formats:
            app.backend.write(target, writes, formats=formats)
        elif writes:
            app.backend.write(target, writes)
        app.store.set_meta("rekap_grid", json.dumps({"sheet": target, "fingerprint": _fingerprint(app, target),
                                                     "rows": padded}, default=str))
        app.store.set_meta("rekap_rows", str(len(padded)))
        app.store.set_meta("rekap_hash", digest)
    except BackendError as exc:
        log.warning("could not write Rekap: %s", exc)
        return False
    return True


def _fingerprint(app: App, sheet: str) -> str | None:
    try:
        return app.backend.fingerprint(sheet)
    except BackendError:
        return None


def _last_grid(app: App, sheet: str) -> list[list[Any]] | None:
    """The Rekap grid as sheets-sync last wrote it, when the report sheet is still as it left it."""
    import json

    text = app.store.get_meta("rekap_grid")
    if not text:
        return None
    last = json.loads(text)
    if last.get("sheet") != sheet:
        return None
    now = _fingerprint(app, sheet)
    if last.get("fingerprint") is not None and now != last["fingerprint"]:
        return None
    rows: list[list[Any]] = last["rows"]
    return rows


def approved_changes(app: App, period: Period, control: Control) -> list[ApprovedChange]:
    """:func:`~sheets_sync.service.approvals.changes_after_approval` of every bidang of ``control``, in
    its order.  Two queries find the bidang that can have any — current decision *Disetujui* with a
    frozen read, and a latest read that is not that read — and only those are compared: asking each
    bidang decoded its latest read (twice per Rekap), most of a poll at thousands of bidang."""
    decisions = app.store.current_approvals(str(period))
    latest = app.store.latest_ids(str(period))
    out: list[ApprovedChange] = []
    for u in control.units:
        d = decisions.get(u.code)
        if d is None or d.status != "Disetujui" or d.snapshot_id is None:
            continue
        if latest.get(u.code, LatestIds()).snapshot == d.snapshot_id:  # the latest read is the approved one
            continue
        out.extend(changes_after_approval(app, period, u.code))
    return out


def summary_rows(app: App, period: Period, control: Control, sts: Sequence[UnitStatus],
                 changes: Sequence[ApprovedChange]) -> list[list[Any]]:
    """The coordinator's summary under the Rekap table, computed from the same statuses ``sts`` as the
    table above it (never a copy kept from the last digest, which could disagree with it); its
    "Perubahan sejak rekap lalu" column compares with the last digest sent.  No time of its own: an
    idle poll leaves the tab as it is.  Percentages are numbers (shown with the tab's number format).
    ``changes``: :func:`approved_changes` of ``control``."""
    from sheets_sync.core.summary import build_digest, digest_rows
    from sheets_sync.notify import previous_digest

    links = {u: f.link for u, f in app.store.forms(period.year).items()}
    digest = build_digest(app.now().astimezone(app.tz), period, control.units, {s.unit: s for s in sts},
                          schedule=control.schedule(period), previous=previous_digest(app.store, str(period)),
                          approved_changes=changes, links=links)
    rows: list[list[Any]] = [list(r) for r in digest_rows(digest)]
    rows[0] = [f"Ringkasan {period.label} (dari status yang sama dengan tabel di atas)"]
    for row, r in zip(rows[2:], digest.rows, strict=False):
        row[5] = round(r.percent, 2)
    rows[2 + len(digest.rows)][5] = round(digest.percent, 2)
    return [[None], *rows]


def change_rows(app: App, changes: Sequence[ApprovedChange]) -> list[list[Any]]:
    """The ``Rekap`` section listing the cells changed after approval, ``changes`` (:func:`approved_changes`;
    empty when there are none)."""
    if not changes:
        return []
    rows: list[list[Any]] = [[None], ["PERUBAHAN SETELAH DISETUJUI (belum dipakai di dokumen final)"],
                             ["Kode", "Sel", "Indikator", "Kolom", "Nilai disetujui", "Nilai baru", "Terbaca"]]
    for c in changes:
        when = tanggal_jam(c.when.astimezone(app.tz)) if c.when else ""
        rows.append([c.unit, c.cell, c.indicator, c.field, c.old, c.new, when])
    return rows


def rekap_extra_rows(app: App, period: Period, control: Control, sts: Sequence[UnitStatus]) -> list[list[Any]]:
    """What the ``Rekap`` tab holds under its table: :func:`change_rows`, then :func:`summary_rows`,
    both from one :func:`approved_changes` (each asked for its own, which compared every approved
    bidang's latest read with its frozen read twice per Rekap)."""
    changes = approved_changes(app, period, control)
    return change_rows(app, changes) + summary_rows(app, period, control, sts, changes)
