"""Commands that show what the store knows: ``status``, ``history``, ``summary``."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from sheets_sync.cli.common import command, make_app, period_arg
from sheets_sync.errors import UsageError


def _status_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", type=period_arg, required=True)
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="stable JSON (see README)")
    fmt.add_argument("--csv", action="store_true", help="the Rekap table as CSV")


def _history_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", type=period_arg, required=True)
    p.add_argument("unit", metavar="BIDANG")
    p.add_argument("code", metavar="KODE")


def _summary_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", type=period_arg, help="default: the period open now")
    p.add_argument("--send", action="store_true", help="also queue the e-mail to the coordinator and deliver")


@command("status", "completeness per bidang and the findings", _status_args)
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
        out.write(render_table(app, args.period, sts, control))
    return 1 if any(f.severity != "info" for s in sts for f in s.findings) else 0


@command("history", "every value ever read for one indicator of one bidang", _history_args)
def cmd_history(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.core.fmt import tanggal_jam
    from sheets_sync.service.poll import history

    app = make_app(args)
    entries = history(app, args.period, args.unit, args.code)
    if not entries:
        raise UsageError(f"nothing was ever read for {args.unit} {args.code} in {args.period}",
                         fix="check the bidang code and indicator code, and run `sheets-sync poll` first")
    out.write(f"History of {args.unit} {args.code} ({args.period}): {len(entries)} version(s)\n")
    for e in entries:
        when = tanggal_jam(e.first_read_at.astimezone(app.tz))
        if not e.present:
            out.write(f"- {when}: row missing from the form\n")
            continue
        shown = ", ".join(f"{k} ({e.cells.get(k, '?')})={v!r}" for k, v in e.values.items())
        out.write(f"- {when}: {shown}\n")
    return 0


@command("summary", "the coordinator's digest now (printed; --send queues the e-mail)", _summary_args)
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
            raise UsageError("no period has opened yet", fix="pass --period 2025-TW1")
        period = sched.period
    out.write(digest_text(build_summary(app, period, control, now)) + "\n")
    if args.send:
        digest_job(app, now, period, key=f"digest:{period}:manual:{now.isoformat(timespec='seconds')}")
        return deliver_job(app, now)
    return 0
