"""``sheets-sync demo``: the whole SOP on the embedded default, with a simulated calendar.

It writes a sample BKPSDM office into DIR (config, control workbook, forms, SQLite store, outbox),
provisions TW I, then plays the week of the filling window with an injected clock: bidang "type" into
their .xlsx forms exactly as Excel or LibreOffice would save them (openpyxl), and the service polls
between the edits.  Whether a bidang is on time or late is decided by the checks from the clock and
the Jadwal deadline — nothing is hard-coded.

Cast (sample BKPSDM, TW I 2025, deadline Thu 10 April 16:00 WIB):
* PKA fills everything on day 1 — Lengkap.
* SEK marks its two annual indicators "-" with a keterangan — Lengkap.
* PPIK types Indonesian numbers (``1.234``, ``98,5``) but leaves Keterangan empty under 100%.
* MP types ``delapan puluh`` into a number cell, and clears a pembilang after the first poll
  (``history`` still shows the old value).
* PKAP fills after the deadline — Terlambat.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from .model import Period, Raw

PERIOD = Period(2025, 1)
MARK = ".sheets-sync-demo"


@dataclass
class FakeClock:
    """A settable clock (aware datetimes)."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def set(self, when: datetime) -> None:
        self.now = when


def type_into(app: Any, unit: str, edits: dict[str, Raw]) -> None:
    """Open the bidang's .xlsx like a person would, set cells by indicator code + column, save."""
    from openpyxl import load_workbook

    from .layout import INPUT_COLS, locate

    _form_id, link, _ = app.store.forms(PERIOD.year)[unit]
    wb = load_workbook(link)
    ws = wb[PERIOD.tab]
    values = [list(r) for r in ws.iter_rows(min_row=1, max_row=60, max_col=16, values_only=True)]
    found = locate(values)
    assert found is not None, "demo form lost its header"
    for key, value in edits.items():
        if key == "selesai":
            ws["C3"] = value
            continue
        code, field = key.rsplit(":", 1)
        ws.cell(row=found.rows[code], column=INPUT_COLS[field]).value = value
    wb.save(link)


Step = Callable[[Any, FakeClock, TextIO], None]
EXTRA_STEPS: list[tuple[str, Step]] = []  # later features (approval, documents, reminders) append here


def run_demo(folder: Path, out: TextIO) -> int:
    from .app import App
    from .config import load
    from .service import poll, provision
    from .setup import init_office
    from .status_view import render_table

    if folder.exists() and any(folder.iterdir()):
        if not (folder / MARK).exists():
            out.write(f"{folder} exists and is not a demo folder; choose another DIR\n")
            return 2
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / MARK).write_text("created by sheets-sync demo; safe to delete\n")
    cfg = init_office(folder, "bkpsdm")
    wib = ZoneInfo("Asia/Jakarta")
    clock = FakeClock(datetime(2025, 4, 8, 8, 5, tzinfo=wib))
    app = App.from_settings(load(cfg), clock=clock)

    def at(day: int, hour: int, minute: int = 0) -> None:
        clock.set(datetime(2025, 4, day, hour, minute, tzinfo=wib))

    out.write("== Selasa 8 April 2025 08.05 WIB: periode TW I dibuka, form disiapkan\n")
    report = provision(app, PERIOD)
    out.write(f"   {len(report.created)} form dibuat di {app.settings.forms_folder}\n")

    at(8, 14)
    type_into(app, "PKA", {"1.1:realisasi": "-", "1.1:keterangan": "IP ASN diukur BKN setiap akhir tahun",
                           "1.2:realisasi": "16,5", "1.3:realisasi": 52, "selesai": "Selesai"})
    type_into(app, "SEK", {"3.1:realisasi": "-", "3.1:keterangan": "Survei IKM dilakukan per semester",
                           "3.5:realisasi": "-", "3.5:keterangan": "Evaluasi AKIP oleh Inspektorat tahunan"})
    type_into(app, "PPIK", {"3.2:pembilang": "1.234", "3.2:penyebut": "1.250", "3.4:realisasi": "89,5"})
    type_into(app, "MP", {"2.1:realisasi": "-", "2.1:keterangan": "Penilaian KASN tahunan",
                          "2.2:pembilang": 45, "2.2:penyebut": 48, "3.3:realisasi": "delapan puluh"})
    at(8, 15)
    out.write("== Selasa 8 April 15.00: poll pertama\n")
    poll(app, PERIOD)

    at(9, 10)
    type_into(app, "MP", {"2.2:pembilang": None})
    at(9, 10, 15)
    out.write("== Rabu 9 April 10.15: MP mengosongkan satu sel; poll\n")
    poll(app, PERIOD)

    at(11, 9)
    type_into(app, "PKAP", {"2.3:pembilang": 3, "2.3:penyebut": "4.512",
                            "2.3:keterangan": "Tiga ASN dijatuhi hukuman disiplin sedang"})
    at(11, 9, 30)
    out.write("== Jumat 11 April 09.30 (lewat batas Kamis 16.00): PKAP baru mengisi; poll\n")
    result = poll(app, PERIOD)

    out.write("\n")
    out.write(render_table(app, PERIOD, result.statuses))
    from .service import history

    mp = history(app, PERIOD, "MP", "2.2")
    out.write(f"\nRiwayat MP 2.2 (sel yang dikosongkan tetap tersimpan): {len(mp)} versi\n")
    for e in mp:
        when = e["first_read_at"].astimezone(wib)
        out.write(f"  {when:%d-%m-%Y %H:%M}: pembilang={e['values'].get('pembilang')!r}\n")
    out.write(
        "\n"
    )
    meeting(app, clock, out)
    for title, step in EXTRA_STEPS:
        out.write(f"== {title}\n")
        step(app, clock, out)
    out.write(
        f"\nSemua ada di {folder.resolve()}:\n"
        f"  config        {cfg}\n  kendali       {app.settings.control}\n  form bidang   {app.settings.forms_folder}\n"
        f"  database      {app.settings.store_url}\n  outbox e-mail {app.settings.notify.outbox}\n"
        f"  dokumen       {app.settings.documents.output}\n"
        f"Coba: sheets-sync -c {cfg} status --period {PERIOD}\n"
        f"      sheets-sync -c {cfg} history --period {PERIOD} MP 2.2\n"
    )
    return 0


def decide(app: Any, rows: list[list[Any]]) -> None:
    """The PPKP types decisions into the control workbook's Persetujuan tab (as in Excel)."""
    from openpyxl import load_workbook

    wb = load_workbook(app.settings.control)
    for row in rows:
        wb["Persetujuan"].append(row)
    wb.save(app.settings.control)


def meeting(app: Any, clock: FakeClock, out: TextIO) -> None:
    """Rapat pembahasan: approve four bidang, return MP; drafts; MP corrects; approve; final documents.
    PKA edits a value after its approval: the change is listed and kept out of the final document."""
    from .approvals import apply_approvals
    from .documents import render_period
    from .service import poll
    from .status_view import render_table

    wib = ZoneInfo("Asia/Jakarta")
    clock.set(datetime(2025, 4, 14, 8, 30, tzinfo=wib))
    type_into(app, "PPIK", {"3.4:keterangan": "Sebagian data pensiun belum dimutakhirkan di SIASN"})
    poll(app, PERIOD)
    clock.set(datetime(2025, 4, 14, 10, 0, tzinfo=wib))
    out.write("== Senin 14 April 10.00: rapat pembahasan — 4 bidang disetujui, MP dikembalikan\n")
    decide(app, [[str(PERIOD), code, "Disetujui", "", "2025-04-14"] for code in ("SEK", "PPIK", "PKA", "PKAP")]
           + [[str(PERIOD), "MP", "Perlu perbaikan", "Realisasi 3.3 harus angka (hari kerja); lengkapi pembilang 2.2",
               "2025-04-14"]])
    apply_approvals(app, PERIOD)
    draft = render_period(app, PERIOD)
    out.write(f"   render: {'FINAL' if draft.final else 'DRAFT'} ({'; '.join(draft.reasons)})\n")
    for d in draft.documents:
        out.write(f"   {d['path']}\n")

    clock.set(datetime(2025, 4, 14, 14, 0, tzinfo=wib))
    type_into(app, "MP", {"2.2:pembilang": 45, "3.3:realisasi": 12,
                          "3.3:keterangan": "Antrean berkas mutasi meningkat menjelang pelantikan"})
    type_into(app, "PKA", {"1.3:realisasi": 60})  # edited after approval: must not reach the final document
    clock.set(datetime(2025, 4, 14, 14, 15, tzinfo=wib))
    out.write("== Senin 14 April 14.15: MP memperbaiki data; PKA mengubah angka yang sudah disetujui; poll\n")
    report = poll(app, PERIOD)
    clock.set(datetime(2025, 4, 15, 9, 0, tzinfo=wib))
    out.write("== Selasa 15 April 09.00: MP disetujui; render dokumen final\n")
    decide(app, [[str(PERIOD), "MP", "Disetujui", "Sudah diperbaiki", "2025-04-15"]])
    apply_approvals(app, PERIOD)
    final = render_period(app, PERIOD)
    out.write(f"   render: {'FINAL' if final.final else 'DRAFT'}\n")
    for d in final.documents:
        number = f"  (Nomor {d['letter_number']})" if d.get("letter_number") else ""
        out.write(f"   {d['path']}{number}\n")
    out.write("\n" + render_table(app, PERIOD, report.statuses))
