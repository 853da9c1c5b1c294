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
from sheets_sync.core.fmt import bulat, tanggal_jam, tanggal_ringkas
from sheets_sync.i18n import _, current_language, ngettext
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
    out.write(_("Layanan sheets-sync berjalan dengan jam simulasi (poll tiap 3 jam, pengingat {reminder}, "
                "rekap harian {digest}).").format(reminder=_clock(8, 0), digest=_clock(7, 30)) + "\n")

    def run_until(until: datetime) -> None:
        ticks = runner.simulate(until, step)
        polls = sum(1 for _tick, codes in ticks if "poll" in codes)
        if polls:
            said = ngettext("(layanan: {n} kali poll sampai {until})", "(layanan: {n} kali poll sampai {until})",
                            polls).format(n=polls, until=_when(until))
            out.write(f"   {said}\n")

    for when, title, action in script():
        run_until(when - step)
        clock.set(when)
        scene = _(title)
        out.write(f"== {_when(when)}: {scene}\n")
        action(app)
        if when == day_at(11, 9):
            run_until(day_at(11, 12))
            out.write("\n" + render_table(app, PERIOD, statuses(app, PERIOD)) + "\n")
            mp = history(app, PERIOD, "MP", "2.2")
            out.write(ngettext("Riwayat {unit} {code} (sel yang dikosongkan tetap tersimpan): {n} versi",
                               "Riwayat {unit} {code} (sel yang dikosongkan tetap tersimpan): {n} versi",
                               len(mp)).format(unit="MP", code="2.2", n=len(mp)) + "\n")
            for e in mp:
                out.write(f"  {_when(e.first_read_at)}: pembilang {_typed(e.values.get('pembilang'))}\n")
    run_until(day_at(15, 12))
    out.write("\n" + render_table(app, PERIOD, statuses(app, PERIOD)))
    _print_outputs(app, out)
    _print_where(app, folder, cfg, out)
    app.store.close()
    return 0


def _when(at: datetime) -> str:
    """A moment of the simulated week as the CLI dates it, in the language in use (``8 April 2025 pukul
    14.00 WIB`` / ``8 April 2025 at 14:00 WIB``)."""
    return tanggal_jam(at.astimezone(WIB), current_language())


def _clock(hour: int, minute: int) -> str:
    """A time of day the way the language in use writes it (``08.00`` / ``08:00``)."""
    return f"{hour:02d}:{minute:02d}" if current_language() == "en" else f"{hour:02d}.{minute:02d}"


def _print_where(app: Any, folder: Path, cfg: Path, out: TextIO) -> None:
    """Where every file of the demo office lives, and three commands to try on it."""
    rows = [(_("konfigurasi"), cfg), (_("kendali"), app.settings.control),
            (_("formulir bidang"), app.settings.forms_folder), (_("basis data"), app.settings.store_url),
            (_("outbox e-mail"), app.settings.notify.outbox), (_("dokumen"), app.settings.documents.output)]
    width = max(len(label) for label, _path in rows)
    out.write("\n" + _("Semua ada di {folder}:").format(folder=folder.resolve()) + "\n")
    for label, path in rows:
        out.write(f"  {label:{width}} {path}\n")
    try_ = _("Coba:")
    commands = (f"status --period {PERIOD}", f"history --period {PERIOD} MP 2.2", f"summary --period {PERIOD}")
    for n, command in enumerate(commands):
        out.write(f"{try_ if n == 0 else '':{len(try_)}} sheets-sync -c {cfg} {command}\n")


def _typed(v: object) -> str:
    """A value as the office reads it: "(kosong)" for an empty cell (in the language in use), numbers the
    Indonesian way, never a Python word or repr quotes."""
    if v is None or v == "":
        return _("(kosong)")
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int | float):
        return bulat(v)
    return str(v)


def _print_outputs(app: Any, out: TextIO) -> None:
    """The e-mails the service sent (outbox).  The documents it made are listed once, by the status
    table above (each with its status in ``Dokumen`` and its path), not again here."""
    from sheets_sync.notify.labels import kind_name

    sent = [m for m in app.store.messages() if m.status == "sent"]
    width = max((len(kind_name(m.kind).render(_)) for m in sent), default=0)
    out.write("\n" + ngettext("E-mail terkirim ke outbox ({n}):", "E-mail terkirim ke outbox ({n}):",
                              len(sent)).format(n=len(sent)) + "\n")
    for m in sent:
        cc = f" cc {', '.join(m.cc_addrs)}" if m.cc_addrs else ""
        when = m.sent_at.astimezone(WIB) if m.sent_at else None
        at = tanggal_ringkas(when, current_language(), year=False) if when else "–"
        out.write(f"  {at}  {kind_name(m.kind).render(_):{width}} {', '.join(m.to_addrs)}{cc}\n      {m.subject}\n")
