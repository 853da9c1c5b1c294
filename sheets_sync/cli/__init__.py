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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

from sheets_sync import __version__
from sheets_sync.cli import cycle, keep, laporan, meeting, ops, views
from sheets_sync.cli.common import COMMANDS
from sheets_sync.errors import SheetsSyncError
from sheets_sync.runtime.logs import reset_logging, setup_logging

TOPICS = (cycle, views, meeting, laporan, ops, keep)  # imported for their @command registrations, in help order


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="sheets-sync",
        description="Runs the SOP Pengumpulan Data Kinerja (SAKIP) on Google Sheets or local .xlsx forms.",
    )
    p.add_argument("--version", action="version", version=f"sheets-sync {__version__}")
    p.add_argument("-c", "--config", help="config file (default: $SHEETS_SYNC_CONFIG or ./sheets-sync.toml)")
    p.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    p.add_argument("--new-store", action="store_true",
                   help="start with a new, empty store on purpose (when the old one is lost)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for cmd in COMMANDS.values():
        cmd.add_arguments(sub.add_parser(cmd.name, help=cmd.help))
    return p


LOCK_WAIT = 300.0
"""Seconds a state-changing command waits for the store's write lock before giving up (exit 3)."""


def writes_state(args: argparse.Namespace) -> bool:
    """Whether this command changes the store (and so takes its write lock; ``run`` locks per tick)."""
    if args.command in ("provision", "poll", "approve", "render"):
        return True
    if args.command == "summary":
        return bool(getattr(args, "send", False))
    if args.command == "outbox":
        return getattr(args, "action", "") == "retry"
    return False


@contextmanager
def _write_lock(args: argparse.Namespace, argv: Sequence[str]) -> Iterator[None]:
    """Hold the store's write lock around a state-changing command (see :mod:`sheets_sync.store.lock`)."""
    if not writes_state(args):
        yield
        return
    from sheets_sync.config import load
    from sheets_sync.errors import ConfigError
    from sheets_sync.store.lock import FileLock, Holder, lock_paths

    try:
        paths = lock_paths(load(args.config).store_url)
    except ConfigError:
        paths = None  # the command itself reports the config error
    if paths is None:
        yield
        return

    def waiting(holder: Holder | None) -> None:
        who = holder.describe() if holder else "proses lain"
        sys.stderr.write(f"sheets-sync: menunggu giliran — basis data sedang dipakai oleh {who}\n")

    def busy(holder: Holder | None) -> str:
        who = holder.describe() if holder else "proses lain"
        return f"basis data masih dipakai oleh {who} setelah {LOCK_WAIT:.0f} detik menunggu"

    with FileLock(paths[0]).hold("sheets-sync " + " ".join(argv), wait=LOCK_WAIT, waiting=waiting, busy=busy):
        yield


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(out)
        return 2
    # every record of every library passes the secret filter (`run` sets its own level and format)
    setup_logging("DEBUG" if args.debug else "WARNING", "text")
    try:
        with _write_lock(args, argv):
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
