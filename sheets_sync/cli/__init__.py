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
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

from sheets_sync import __version__
from sheets_sync.cli import cycle, keep, laporan, meeting, ops, views
from sheets_sync.cli.common import COMMANDS
from sheets_sync.errors import SheetsSyncError
from sheets_sync.i18n import _, current_language, languages, normalise, set_language
from sheets_sync.runtime.logs import reset_logging, setup_logging

TOPICS = (cycle, views, meeting, laporan, ops, keep)  # imported for their @command registrations, in help order


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help, without the lone ``PERINTAH`` line it prints above the list of commands."""

    def _format_action(self, action: argparse.Action) -> str:
        if action.nargs == argparse.PARSER:
            # argparse writes the metavar as a heading line of its own, then the commands indented under it:
            # the commands take the heading's place instead
            self._dedent()
            lines = "".join(self._format_action(sub) for sub in self._iter_indented_subactions(action))
            self._indent()
            return lines
        return super()._format_action(action)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser in the language in use (call :func:`~sheets_sync.i18n.set_language` first)."""
    p = argparse.ArgumentParser(
        prog="sheets-sync", formatter_class=_HelpFormatter,
        description=_("Menjalankan SOP Pengumpulan Data Kinerja (SAKIP) pada Google Sheets atau formulir .xlsx lokal."),
    )
    p.add_argument("--version", action="version", version=f"sheets-sync {__version__}",
                   help=_("tampilkan versi program lalu keluar"))
    p.add_argument("-c", "--config", metavar=_("BERKAS"),
                   help=_("berkas konfigurasi (bawaan: $SHEETS_SYNC_CONFIG atau ./sheets-sync.toml)"))
    p.add_argument("--lang", choices=languages(),
                   help=_("bahasa keluaran: id (bawaan) atau en; juga lewat $SHEETS_SYNC_LANG"))
    p.add_argument("--debug", action="store_true", help=_("tampilkan traceback dan log debug"))
    p.add_argument("--new-store", action="store_true",
                   help=_("sengaja mulai dengan basis data baru yang kosong (bila yang lama hilang)"))
    sub = p.add_subparsers(dest="command", metavar=_("PERINTAH"), title=_("perintah"))
    for cmd in COMMANDS.values():
        cmd.add_arguments(sub.add_parser(cmd.name, help=_(cmd.help), description=_(cmd.help)))
    return p


def choose_language(argv: Sequence[str]) -> str:
    """Set the language from ``--lang`` in ``argv`` (before the parser exists, so ``--help`` speaks it too),
    else ``$SHEETS_SYNC_LANG``; an unknown ``$SHEETS_SYNC_LANG`` is said once and Indonesian is used."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang")
    known, _rest = pre.parse_known_args(argv)
    chosen = set_language(known.lang)
    asked = os.environ.get("SHEETS_SYNC_LANG", "")
    if not known.lang and asked and chosen != normalise(asked):
        sys.stderr.write(_("sheets-sync: bahasa SHEETS_SYNC_LANG={asked} tidak tersedia; dipakai: {langs}\n")
                         .format(asked=asked, langs=", ".join(languages())))
    return chosen


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
        who = holder.describe_text().render(_) if holder else _("proses lain")
        sys.stderr.write(_("sheets-sync: menunggu giliran — basis data sedang dipakai oleh {who}\n").format(who=who))

    def busy(holder: Holder | None) -> str:
        who = holder.describe_text().render(_) if holder else _("proses lain")
        return _("basis data masih dipakai oleh {who} setelah {seconds} detik menunggu").format(
            who=who, seconds=f"{LOCK_WAIT:.0f}")

    with FileLock(paths[0]).hold("sheets-sync " + " ".join(argv), wait=LOCK_WAIT, waiting=waiting, busy=busy):
        yield


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    argv = list(sys.argv[1:] if argv is None else argv)
    previous = current_language()
    try:
        return _main(argv, out)
    finally:
        set_language(previous)  # a process exits anyway; a test calling main() gets its language back


def _main(argv: list[str], out: TextIO) -> int:
    choose_language(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(out)
        return 2
    # every record of every library passes the secret filter (`run` sets its own level and format)
    setup_logging("DEBUG" if args.debug else "WARNING", "text")
    try:
        with _write_lock(args, argv):
            code = COMMANDS[args.command].handler(args, out)
            out.flush()  # a closed pipe shows here, inside the funnel, not at interpreter exit
            return code
    except BrokenPipeError:
        return _closed_pipe(out)
    except SheetsSyncError as exc:
        shown = exc.shown(_)  # built as Indonesian msgid + fields: worded here, in the language in use
        sys.stderr.write(_("sheets-sync: galat: {message}\n").format(message=shown.message))
        if shown.fix:
            sys.stderr.write(_("  perbaikan: {fix}\n").format(fix=shown.fix))
        if args.debug:
            raise
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(_("sheets-sync: dihentikan\n"))
        return 3
    finally:
        reset_logging()  # a process exits anyway; a test calling main() gets its logging back


CLOSED_PIPE = 141
"""Exit code when the reader of the output went away (``status | head -1``): 128 + SIGPIPE, as a shell tool."""


def _closed_pipe(out: TextIO) -> int:
    """The reader closed the pipe: stop quietly (no traceback, no "Exception ignored" at exit)."""
    if out is sys.stdout:
        # Python's documented recipe: point stdout at devnull so the final flush at exit has nowhere to fail
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return CLOSED_PIPE
