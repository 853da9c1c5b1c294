"""Command line: a thin layer over the library (:mod:`sheets_sync.service`, :mod:`sheets_sync.runtime`).

Every command loads the config, builds an :class:`~sheets_sync.service.app.App`, calls the library and
prints.  Commands live in topic modules — :mod:`.cycle` (init, provision, poll, demo), :mod:`.views`
(status, history, summary), :mod:`.meeting` (approve, render, templates), :mod:`.laporan` (laporan,
dokumen), :mod:`.ops` (run, doctor, auth) — registered in :data:`~sheets_sync.cli.common.COMMANDS`.
This module is the one error funnel: it turns :class:`~sheets_sync.errors.SheetsSyncError` into one
actionable line and an exit code: 0 all fine, 1 ran with findings, 2 usage/config error, 3 could not run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from sheets_sync import __version__
from sheets_sync.cli import cycle, laporan, meeting, ops, views
from sheets_sync.cli.common import COMMANDS
from sheets_sync.errors import SheetsSyncError
from sheets_sync.runtime.logs import reset_logging, setup_logging

TOPICS = (cycle, views, meeting, laporan, ops)  # imported for their @command registrations, in help order


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="sheets-sync",
        description="Runs the SOP Pengumpulan Data Kinerja (SAKIP) on Google Sheets or local .xlsx forms.",
    )
    p.add_argument("--version", action="version", version=f"sheets-sync {__version__}")
    p.add_argument("-c", "--config", help="config file (default: $SHEETS_SYNC_CONFIG or ./sheets-sync.toml)")
    p.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for cmd in COMMANDS.values():
        cmd.add_arguments(sub.add_parser(cmd.name, help=cmd.help))
    return p


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(out)
        return 2
    # every record of every library passes the secret filter (`run` sets its own level and format)
    setup_logging("DEBUG" if args.debug else "WARNING", "text")
    try:
        return COMMANDS[args.command].handler(args, out)
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
    finally:
        reset_logging()  # a process exits anyway; a test calling main() gets its logging back
