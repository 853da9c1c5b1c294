"""The script of ``sheets-sync demo``: a sample office's week, and how its people type.  The service
that plays it on a simulated calendar is :func:`sheets_sync.runtime.demo.run_demo`.

It writes a sample BKPSDM office into DIR (config, control workbook, forms, SQLite store, outbox),
then lets the service (:func:`sheets_sync.runtime.jobs.make_runner`, the same jobs as ``sheets-sync run``)
run for a week on an injected clock: the period opens and the forms are provisioned, bidang "type"
into their .xlsx forms exactly as Excel or LibreOffice save them (openpyxl), the service polls,
reminds late bidang, mails the Kasubbag PPKP a daily summary, applies the review meeting's decisions
and renders the documents.  On time and late are decided by the checks from the clock and the
``Jadwal`` deadline — nothing is hard-coded.

Cast (sample BKPSDM, TW I 2025, deadline Thu 10 April 16:00 WIB):
* PKA fills everything on day 1 and marks "Selesai" — Lengkap; after approval it edits a value,
  which is listed as a change and kept out of the final document.
* SEK marks its two annual indicators "-" with a keterangan — Lengkap.
* PPIK types Indonesian numbers (``1.234``, ``89,5``) but leaves Keterangan empty under 100%.
* MP types ``delapan puluh`` into a number cell and clears a pembilang after the first poll
  (``history`` still shows the old value); the meeting returns its data; it corrects them.
* PKAP fills after the deadline — Terlambat.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sheets_sync.i18n import N_, _
from sheets_sync.model import Period, Raw

PERIOD = Period(2025, 1)
MARK = ".sheets-sync-demo"
WIB = ZoneInfo("Asia/Jakarta")
POLL_MINUTES = 180  # the demo polls every 3 hours of simulated time to stay quick; `run` uses the config


def fresh_demo_office(folder: Path, out: TextIO) -> Path | None:
    """Make ``folder`` a new sample BKPSDM office and return its config file.  A folder an earlier demo
    made (it holds :data:`MARK`) is replaced; any other non-empty folder is refused (None, said on
    ``out``) so a demo never deletes someone's files."""
    import shutil

    from sheets_sync.service.office import init_office

    if folder.exists() and any(folder.iterdir()):
        if not (folder / MARK).exists():
            out.write(_("{folder} sudah ada dan bukan folder demo; pilih folder lain").format(folder=folder) + "\n")
            return None
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / MARK).write_text("created by sheets-sync demo; safe to delete\n")
    return init_office(folder, "bkpsdm")


def type_into(app: Any, unit: str, edits: dict[str, Raw], period: Period = PERIOD) -> None:
    """Open the bidang's .xlsx like a person would, set cells by indicator code + column, save.
    Keys are ``"KODE:field"`` (field one of realisasi, pembilang, penyebut, keterangan, bukti) or
    ``"selesai"`` for the C3 status cell."""
    from sheets_sync.backends.local import type_as_person
    from sheets_sync.core.a1 import cell
    from sheets_sync.core.form import DONE_CELL, INPUT_COLS, locate

    link = app.store.forms(period.year)[unit].link
    found = locate(app.backend.read(link, [f"{period.tab}!A1:P60"])[f"{period.tab}!A1:P60"])
    if found is None:
        raise RuntimeError(f"demo form of {unit} lost its header row")
    cells: dict[str, Raw] = {}
    for key, value in edits.items():
        if key == "selesai":
            cells[DONE_CELL] = value
            continue
        code, field = key.rsplit(":", 1)
        cells[cell(found.rows[code], INPUT_COLS[field])] = value
    type_as_person(Path(link), period.tab, cells)


def decide(app: Any, rows: list[list[Any]]) -> None:
    """The PPKP types decisions into the control workbook's Persetujuan tab (as in Excel)."""
    from sheets_sync.backends.local import append_as_person

    append_as_person(Path(app.settings.control), "Persetujuan", rows)


def day_at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 4, day, hour, minute, tzinfo=WIB)


Action = Callable[[Any], None]


def _day_one(app: Any) -> None:
    type_into(app, "PKA", {"1.1:realisasi": "-", "1.1:keterangan": "IP ASN diukur BKN setiap akhir tahun",
                           "1.2:realisasi": "16,5", "1.3:realisasi": 52, "selesai": "Selesai"})
    type_into(app, "SEK", {"3.1:realisasi": "-", "3.1:keterangan": "Survei IKM dilakukan per semester",
                           "3.5:realisasi": "-", "3.5:keterangan": "Evaluasi AKIP oleh Inspektorat tahunan"})
    type_into(app, "PPIK", {"3.2:pembilang": "1.234", "3.2:penyebut": "1.250", "3.4:realisasi": "89,5"})
    type_into(app, "MP", {"2.1:realisasi": "-", "2.1:keterangan": "Penilaian KASN tahunan",
                          "2.2:pembilang": 45, "2.2:penyebut": 48, "3.3:realisasi": "delapan puluh"})


def _mp_clears(app: Any) -> None:
    type_into(app, "MP", {"2.2:pembilang": None})


def _pkap_late(app: Any) -> None:
    type_into(app, "PKAP", {"2.3:pembilang": 3, "2.3:penyebut": "4.512",
                            "2.3:keterangan": "Tiga ASN dijatuhi hukuman disiplin sedang"})


def _ppik_explains(app: Any) -> None:
    type_into(app, "PPIK", {"3.4:keterangan": "Sebagian data pensiun belum dimutakhirkan di SIASN"})


def _meeting(app: Any) -> None:
    decide(app, [[str(PERIOD), code, "Disetujui", "", "2025-04-14"] for code in ("SEK", "PPIK", "PKA", "PKAP")]
           + [[str(PERIOD), "MP", "Perlu perbaikan", "Realisasi 3.3 harus angka (hari kerja); lengkapi pembilang 2.2",
               "2025-04-14"]])


def _corrections(app: Any) -> None:
    type_into(app, "MP", {"2.2:pembilang": 45, "3.3:realisasi": 12,
                          "3.3:keterangan": "Antrean berkas mutasi meningkat menjelang pelantikan"})
    type_into(app, "PKA", {"1.3:realisasi": 60})  # after approval: must not reach the final document


def _second_meeting(app: Any) -> None:
    decide(app, [[str(PERIOD), "MP", "Disetujui", "Sudah diperbaiki", "2025-04-15"]])


def script() -> list[tuple[datetime, str, Action]]:
    """What people do, and when (the service runs in between); each title is a msgid, translated when shown."""
    return [
        (day_at(8, 14), N_("PKA, SEK, PPIK dan MP mengisi formulir"), _day_one),
        (day_at(9, 10), N_("MP mengosongkan sel pembilang 2.2"), _mp_clears),
        (day_at(11, 9), N_("PKAP baru mengisi (lewat batas Kamis pukul 16.00)"), _pkap_late),
        (day_at(14, 8, 30), N_("PPIK melengkapi keterangan"), _ppik_explains),
        (day_at(14, 10), N_("Rapat pembahasan: 4 bidang disetujui, MP dikembalikan"), _meeting),
        (day_at(14, 14), N_("MP memperbaiki data; PKA mengubah angka yang sudah disetujui"), _corrections),
        (day_at(15, 9), N_("Rapat menyetujui data MP"), _second_meeting),
    ]
