"""Command line: a thin layer over :mod:`sheets_sync.service.poll`.

Every command loads the config, builds an :class:`~sheets_sync.service.app.App`, calls the library and
prints.  One error funnel turns :class:`~sheets_sync.errors.SheetsSyncError` into one actionable line
and an exit code: 0 all fine, 1 ran with findings, 2 usage/config error, 3 could not run.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from sheets_sync import __version__
from sheets_sync.errors import SheetsSyncError, UsageError

Handler = Callable[[argparse.Namespace, TextIO], int]
COMMANDS: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        COMMANDS[name] = fn
        return fn

    return register


def _period(text: str) -> Any:
    from sheets_sync.model import Period

    try:
        return Period.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="sheets-sync",
        description="Runs the SOP Pengumpulan Data Kinerja (SAKIP) on Google Sheets or local .xlsx forms.",
    )
    p.add_argument("--version", action="version", version=f"sheets-sync {__version__}")
    p.add_argument("-c", "--config", help="config file (default: $SHEETS_SYNC_CONFIG or ./sheets-sync.toml)")
    p.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("init", help="write a config and a control workbook for a sample office")
    s.add_argument("dir", type=Path)
    s.add_argument("--example", choices=("bkpsdm", "kecamatan"), default="bkpsdm")
    s.add_argument("--force", action="store_true", help="overwrite an existing config/control workbook")

    s = sub.add_parser("provision", help="create/update one form per bidang with the period's tab")
    s.add_argument("--period", type=_period, required=True, help="e.g. 2025-TW1")

    s = sub.add_parser("poll", help="read the forms, check them, keep every value, write Rekap")
    s.add_argument("--period", type=_period, required=True)

    s = sub.add_parser("status", help="completeness per bidang and the findings")
    s.add_argument("--period", type=_period, required=True)
    fmt = s.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="stable JSON (see README)")
    fmt.add_argument("--csv", action="store_true", help="the Rekap table as CSV")

    s = sub.add_parser("history", help="every value ever read for one indicator of one bidang")
    s.add_argument("--period", type=_period, required=True)
    s.add_argument("unit", metavar="BIDANG")
    s.add_argument("code", metavar="KODE")

    s = sub.add_parser("demo", help="run the whole cycle on a sample office with a simulated calendar")
    s.add_argument("dir", type=Path, nargs="?", default=Path("sheets-sync-demo"))

    for extra in EXTRA_PARSERS:
        extra(sub)
    return p


EXTRA_PARSERS: list[Callable[[Any], None]] = []


def _app(args: argparse.Namespace) -> Any:
    from sheets_sync.config import load
    from sheets_sync.service.app import App

    return App.from_settings(load(args.config))


def _progress(out: TextIO) -> Callable[[int, int, str], None]:
    def show(n: int, total: int, what: str) -> None:
        out.write(f"\r[{n}/{total}] {what}    ")
        if n == total:
            out.write("\n")
        out.flush()

    return show


@command("init")
def cmd_init(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.service.office import init_office

    cfg = init_office(args.dir, args.example, force=args.force)
    out.write(f"Config written: {cfg}\nControl workbook: {args.dir / 'Kendali Data Kinerja.xlsx'}\n"
              f"Next: sheets-sync -c {cfg} provision --period 2025-TW1\n")
    return 0


@command("provision")
def cmd_provision(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.service.poll import provision

    app = _app(args)
    report = provision(app, args.period, progress=_progress(sys.stderr))
    out.write(f"Forms for {args.period}: created {len(report.created)}, adopted {len(report.adopted)}, "
              f"updated {len(report.updated)}\n")
    for code, link in sorted(report.links.items()):
        out.write(f"  {code:8} {link}\n")
    for f in report.findings:
        out.write(f"  ! {f.unit} {f.location}: {f.message} — {f.fix}\n")
    return 1 if report.findings else 0


@command("poll")
def cmd_poll(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.service.poll import poll
    from sheets_sync.service.status_view import render_table

    app = _app(args)
    report = poll(app, args.period)
    out.write(f"Read {len(report.read)} form(s); {len(report.failed)} failed; "
              f"{len(report.findings)} finding(s)\n")
    out.write(render_table(app, args.period, report.statuses))
    return report.exit_code


@command("status")
def cmd_status(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.service.poll import load_control, statuses
    from sheets_sync.service.rekap import rekap_frame
    from sheets_sync.service.status_view import render_table, status_json

    app = _app(args)
    control = load_control(app)
    sts = statuses(app, args.period, control)
    if args.json:
        out.write(json.dumps(status_json(app, args.period, control, sts), ensure_ascii=False, indent=2) + "\n")
    elif args.csv:
        out.write(rekap_frame(app, args.period, control, sts).to_csv(index=False))
    else:
        out.write(render_table(app, args.period, sts, control))
    return 1 if any(f.severity != "info" for s in sts for f in s.findings) else 0


@command("history")
def cmd_history(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.core.fmt import tanggal_jam
    from sheets_sync.service.poll import history

    app = _app(args)
    entries = history(app, args.period, args.unit, args.code)
    if not entries:
        raise UsageError(f"nothing was ever read for {args.unit} {args.code} in {args.period}",
                         fix="check the bidang code and indicator code, and run `sheets-sync poll` first")
    out.write(f"History of {args.unit} {args.code} ({args.period}): {len(entries)} version(s)\n")
    for e in entries:
        when = tanggal_jam(e["first_read_at"].astimezone(app.tz))
        if not e["present"]:
            out.write(f"- {when}: row missing from the form\n")
            continue
        cells = e["cells"]
        shown = ", ".join(f"{k} ({cells.get(k, '?')})={v!r}" for k, v in e["values"].items())
        out.write(f"- {when}: {shown}\n")
    return 0


@command("demo")
def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.service.demo import run_demo

    return run_demo(args.dir, out)


def _register_extras() -> None:
    """Commands that live in their own modules register themselves here (kept lazy)."""
    from sheets_sync.cli import extra as cli_extra

    cli_extra.register(EXTRA_PARSERS, COMMANDS)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if not EXTRA_PARSERS:
        _register_extras()
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not args.command:
        parser.print_help(out)
        return 2
    try:
        return COMMANDS[args.command](args, out)
    except SheetsSyncError as exc:
        sys.stderr.write(f"sheets-sync: error: {exc.message}\n")
        if exc.fix:
            sys.stderr.write(f"  fix: {exc.fix}\n")
        if args.debug:
            raise
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("sheets-sync: interrupted\n")
        return 3
