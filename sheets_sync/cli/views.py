"""Commands that show what the store knows: ``status``, ``history``, ``summary``; and what the service will
do: ``jadwal``."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from sheets_sync.cli.common import command, make_app, period_arg, shown_value, terminal_width
from sheets_sync.errors import UsageError
from sheets_sync.i18n import N_, _, current_language, ngettext


def _status_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", type=period_arg, metavar=_("PERIODE"), required=True, help=_("periode, mis. 2025-TW1"))
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help=_("JSON yang stabil (lihat README)"))
    fmt.add_argument("--csv", action="store_true", help=_("tabel Rekap sebagai CSV"))


def _history_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", type=period_arg, metavar=_("PERIODE"), required=True, help=_("periode, mis. 2025-TW1"))
    p.add_argument("unit", metavar="BIDANG", help=_("kode bidang, mis. MP"))
    p.add_argument("code", metavar="KODE", help=_("kode indikator, mis. 2.2"))


def _summary_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", type=period_arg, metavar=_("PERIODE"), help=_("bawaan: periode yang sedang berjalan"))
    p.add_argument("--send", action="store_true", help=_("juga antrekan e-mail ke koordinator dan kirimkan"))


@command("status", N_("kelengkapan per bidang dan temuannya"), _status_args)
def cmd_status(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.service.control_io import load_control
    from sheets_sync.service.poll import statuses
    from sheets_sync.service.rekap import export_csv, rekap_frame
    from sheets_sync.service.status_view import render_table, status_json

    app = make_app(args)
    control = load_control(app)
    sts = statuses(app, args.period, control)
    if args.json:
        out.write(json.dumps(status_json(app, args.period, control, sts), ensure_ascii=False, indent=2) + "\n")
    elif args.csv:
        out.write(export_csv(rekap_frame(app, args.period, control, sts)))
    else:
        out.write(render_table(app, args.period, sts, control, width=terminal_width()))
    return 1 if any(f.severity != "info" for s in sts for f in s.findings) else 0


@command("history", N_("setiap nilai yang pernah dibaca untuk satu indikator satu bidang"), _history_args)
def cmd_history(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.core.fmt import tanggal_jam
    from sheets_sync.service.poll import history

    app = make_app(args)
    entries = history(app, args.period, args.unit, args.code)
    if not entries:
        raise UsageError(_("belum pernah ada nilai yang dibaca untuk {unit} {code} pada {period}").format(
            unit=args.unit, code=args.code, period=args.period),
            fix=_("periksa kode bidang dan kode indikator, dan jalankan `sheets-sync poll` lebih dulu"))
    out.write(ngettext("Riwayat {unit} {code} ({period}): {n} versi\n", "Riwayat {unit} {code} ({period}): {n} versi\n",
                       len(entries)).format(unit=args.unit, code=args.code, period=args.period, n=len(entries)))
    for e in entries:
        when = tanggal_jam(e.first_read_at.astimezone(app.tz), current_language())
        if not e.present:
            out.write(_("- {when}: baris tidak ada di formulir\n").format(when=when))
            continue
        shown = ", ".join(f"{k} ({e.cells.get(k, '?')}) = {shown_value(v)}" for k, v in e.values.items())
        out.write(f"- {when}: {shown}\n")
    return 0


@command("summary", N_("ringkasan koordinator saat ini (dicetak; --send mengantrekan e-mailnya)"), _summary_args)
def cmd_summary(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.core.summary import digest_text
    from sheets_sync.runtime.jobs import build_summary, current_schedule, deliver_job, digest_job
    from sheets_sync.service.control_io import load_control

    app = make_app(args)
    control = load_control(app)
    now = app.now()
    period = args.period
    if period is None:
        sched = current_schedule(control, now)
        if sched is None:
            raise UsageError(_("belum ada periode yang dibuka"), fix=_("berikan --period 2025-TW1"))
        period = sched.period
    out.write(digest_text(build_summary(app, period, control, now)) + "\n")
    if args.send:
        digest_job(app, now, period, key=f"digest:{period}:manual:{now.isoformat(timespec='seconds')}")
        return deliver_job(app, now)
    return 0


def _jadwal_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", type=period_arg, metavar=_("PERIODE"),
                   help=_("bawaan: periode yang sedang berjalan atau berikutnya, lalu tanggal periode sesudahnya"))


@command("jadwal", N_("tanggal batas, kunci dan rapat, serta pengingat dan rekap harian yang akan dikirim: "
                      "kepada siapa dan kapan"), _jadwal_args)
def cmd_jadwal(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.service.control_io import load_control
    from sheets_sync.service.jadwal_view import coming_schedules, jadwal_text

    app = make_app(args)
    control = load_control(app)
    now = app.now()
    if args.period is not None:
        sched = control.schedule(args.period)
        if sched is None:
            raise UsageError(_("periode {period} tidak ada di tab Jadwal").format(period=args.period),
                             fix=_("tambahkan barisnya di tab Jadwal spreadsheet kendali"))
        schedules = [sched]
    else:
        schedules = coming_schedules(control, now)
        if not schedules:
            raise UsageError(_("tidak ada periode yang akan datang di tab Jadwal"),
                             fix=_("berikan --period 2025-TW1, atau tambahkan baris di tab Jadwal"))
    out.write(jadwal_text(app, control, schedules, now, width=terminal_width()))
    return 0
