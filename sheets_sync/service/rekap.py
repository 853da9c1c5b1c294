"""The ``Rekap`` tab of the control spreadsheet: the service's table per bidang (also ``status --csv``),
then the cells changed after approval and the last coordinator digest.  Written RAW, and only when its
content changed, so an idle poll writes nothing."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sheets_sync.core.fmt import angka, tanggal_jam
from sheets_sync.core.values import RangeWrite
from sheets_sync.errors import BackendError
from sheets_sync.model import Control, Period, UnitStatus
from sheets_sync.service.app import App
from sheets_sync.service.approvals import changes_after_approval
from sheets_sync.store import content_hash

log = logging.getLogger("sheets_sync.service.rekap")


REKAP_HEADERS = ("Periode", "Kode", "Bidang", "Terisi", "Wajib", "Kelengkapan (%)", "Status", "Jumlah Masalah",
                 "Perubahan Terakhir", "Tepat Waktu", "Status Rapat", "Tautan Form")


def rekap_frame(app: App, period: Period, control: Control, sts: Sequence[UnitStatus]) -> Any:
    """The Rekap table as a pandas DataFrame (also used by ``status --csv``)."""
    import pandas as pd

    forms = app.store.forms(period.year)
    rows = []
    for s in sts:
        unit = control.unit(s.unit)
        appr = app.store.current_approval(s.unit, str(period))
        rows.append({
            "Periode": str(period), "Kode": s.unit, "Bidang": unit.name if unit else s.unit,
            "Terisi": s.filled, "Wajib": s.required, "Kelengkapan (%)": angka(s.percent),
            "Status": s.state + (" (data lama: form gagal dibaca)" if s.stale else ""),
            "Jumlah Masalah": len([f for f in s.findings if f.severity != "info"]),
            "Perubahan Terakhir": tanggal_jam(s.last_change.astimezone(app.tz)) if s.last_change else "",
            "Tepat Waktu": {"Lengkap": "Ya", "Terlambat": "Tidak"}.get(s.state, "–"),
            "Status Rapat": appr.status if appr else "Belum dibahas",
            "Tautan Form": (rec.link if (rec := forms.get(s.unit)) else ""),
        })
    return pd.DataFrame(rows, columns=list(REKAP_HEADERS))


def write_rekap(app: App, period: Period, control: Control, sts: Sequence[UnitStatus],
                extra_rows: Sequence[Sequence[Any]] = ()) -> None:
    """Rewrite the ``Rekap`` tab (RAW): this period's table, then any extra rows.  Skipped when the
    content is what was last written, so an idle poll writes nothing (the time line says when the
    content last changed)."""
    import json


    frame = rekap_frame(app, period, control, sts)
    body: list[list[Any]] = [list(REKAP_HEADERS)]
    body += [[None if v == "" else v for v in row] for row in frame.astype(object).values.tolist()]
    body += [list(r) for r in extra_rows]
    digest = content_hash({"period": str(period), "rows": json.loads(json.dumps(body, default=str))})
    if app.store.get_meta("rekap_hash") == digest:
        return
    values: list[list[Any]] = [[f"REKAP PENGUMPULAN DATA KINERJA {period.label.upper()}"],
                               [f"Terakhir berubah {tanggal_jam(app.now())} (ditulis oleh sheets-sync)"], [],
                               *body]
    previous = int(app.store.get_meta("rekap_rows") or 0)
    width = max(len(REKAP_HEADERS), *(len(r) for r in values))
    padded = [list(r) + [None] * (width - len(r)) for r in values]
    padded += [[None] * width for _ in range(max(0, previous - len(padded)))]
    try:
        app.backend.write(app.settings.control, [RangeWrite("Rekap!A1", padded)])
        app.store.set_meta("rekap_rows", str(len(values)))
        app.store.set_meta("rekap_hash", digest)
    except BackendError as exc:
        log.warning("could not write Rekap: %s", exc)



def digest_rows_of(app: App, period: Period) -> list[list[Any]]:
    """The last coordinator digest's table (kept under the Rekap table until the next digest)."""
    import json

    text = app.store.get_meta(f"digest_rows:{period}")
    return [[None], *json.loads(text)] if text else []


def change_rows(app: App, period: Period, control: Control) -> list[list[Any]]:
    """The ``Rekap`` section listing cells changed after approval (empty when there are none)."""

    changes = [c for u in control.units for c in changes_after_approval(app, period, u.code)]
    if not changes:
        return []
    rows: list[list[Any]] = [[None], ["PERUBAHAN SETELAH DISETUJUI (belum dipakai di dokumen final)"],
                             ["Kode", "Sel", "Indikator", "Kolom", "Nilai disetujui", "Nilai baru", "Terbaca"]]
    for c in changes:
        when = tanggal_jam(c.when.astimezone(app.tz)) if c.when else ""
        rows.append([c.unit, c.cell, c.indicator, c.field, c.old, c.new, when])
    return rows


