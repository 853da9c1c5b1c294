"""``sheets-sync demo``: the whole SOP on the embedded default, run by the real service on a
simulated calendar.

It writes a sample BKPSDM office into DIR (config, control workbook, forms, SQLite store, outbox),
then lets the scheduler run the same jobs as ``sheets-sync run`` (:func:`sheets_sync.runtime.jobs.make_runner`)
for a week on an injected clock while :func:`sheets_sync.service.demo.script` plays the office's people.
It lives in ``runtime`` because it drives the scheduler, which sits above the service.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from sheets_sync.config import load
from sheets_sync.core.clock import ManualClock
from sheets_sync.core.fmt import bulat
from sheets_sync.runtime.jobs import make_runner
from sheets_sync.service.app import App
from sheets_sync.service.demo import PERIOD, POLL_MINUTES, WIB, day_at, fresh_demo_office, script
from sheets_sync.service.poll import history, statuses
from sheets_sync.service.status_view import render_table


def run_demo(folder: Path, out: TextIO) -> int:
    cfg = fresh_demo_office(folder, out)
    if cfg is None:
        return 2
    clock = ManualClock(day_at(8, 7, 0))
    app = App.from_settings(load(cfg), clock=clock)
    runner = make_runner(app, sleep=clock.sleep, poll_minutes=POLL_MINUTES)
    step = timedelta(minutes=30)
    out.write("Layanan sheets-sync berjalan dengan jam simulasi (poll tiap 3 jam, pengingat 08.00, "
              "rekap harian 07.30).\n")

    def run_until(until: datetime) -> None:
        ticks = runner.simulate(until, step)
        polls = sum(1 for _, codes in ticks if "poll" in codes)
        if polls:
            out.write(f"   (layanan: {polls} kali poll sampai {until:%d-%m %H.%M})\n")

    for when, title, action in script():
        run_until(when - step)
        clock.set(when)
        out.write(f"== {when:%d-%m-%Y %H.%M}: {title}\n")
        action(app)
        if when == day_at(11, 9):
            run_until(day_at(11, 12))
            out.write("\n" + render_table(app, PERIOD, statuses(app, PERIOD)) + "\n")
            mp = history(app, PERIOD, "MP", "2.2")
            out.write(f"Riwayat MP 2.2 (sel yang dikosongkan tetap tersimpan): {len(mp)} versi\n")
            for e in mp:
                out.write(f"  {e.first_read_at.astimezone(WIB):%d-%m-%Y %H:%M}: "
                          f"pembilang {_typed(e.values.get('pembilang'))}\n")
    run_until(day_at(15, 12))
    out.write("\n" + render_table(app, PERIOD, statuses(app, PERIOD)))
    _print_outputs(app, out)
    out.write(
        f"\nSemua ada di {folder.resolve()}:\n"
        f"  config        {cfg}\n  kendali       {app.settings.control}\n  form bidang   {app.settings.forms_folder}\n"
        f"  database      {app.settings.store_url}\n  outbox e-mail {app.settings.notify.outbox}\n"
        f"  dokumen       {app.settings.documents.output}\n"
        f"Coba: sheets-sync -c {cfg} status --period {PERIOD}\n"
        f"      sheets-sync -c {cfg} history --period {PERIOD} MP 2.2\n"
        f"      sheets-sync -c {cfg} summary --period {PERIOD}\n"
    )
    app.store.close()
    return 0


def _typed(v: object) -> str:
    """A value as the office reads it: "(kosong)" for an empty cell, numbers the Indonesian way,
    never a Python word or repr quotes."""
    if v is None or v == "":
        return "(kosong)"
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int | float):
        return bulat(v)
    return str(v)


def _print_outputs(app: Any, out: TextIO) -> None:
    """The e-mails the service sent (outbox).  The documents it made are listed once, by the status
    table above (each with its status in ``Dokumen`` and its path), not again here."""
    sent = [m for m in app.store.messages() if m.status == "sent"]
    out.write(f"\nE-mail terkirim ke outbox ({len(sent)}):\n")
    for m in sent:
        cc = f" cc {', '.join(m.cc_addrs)}" if m.cc_addrs else ""
        when = m.sent_at.astimezone(WIB) if m.sent_at else None
        out.write(f"  {when:%d-%m %H.%M}  {m.kind:8} {', '.join(m.to_addrs)}{cc}\n      {m.subject}\n")
