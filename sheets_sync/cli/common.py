"""What every command module shares: the command registry, argument types and the App factory.

A command is registered with :func:`command`, giving its name, its one-line help and a function that
adds its arguments; the handler receives the parsed arguments and the output stream and returns the
exit code.  Handlers import the library lazily so ``sheets-sync --help`` stays fast.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from sheets_sync.i18n import _, ngettext, yes_no
from sheets_sync.model import Period, Raw

Handler = Callable[[argparse.Namespace, TextIO], int]
AddArguments = Callable[[argparse.ArgumentParser], None]


@dataclass(frozen=True)
class Command:
    """One sub-command: its name, help line, argument set-up and handler."""

    name: str
    help: str
    add_arguments: AddArguments
    handler: Handler


COMMANDS: dict[str, Command] = {}

CLOCK: Callable[[], Any] | None = None
"""The clock every command's App gets (None: the system clock).  Tests that run commands in their
own processes set it to a chosen day."""


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def command(name: str, help: str, arguments: AddArguments = _no_arguments) -> Callable[[Handler], Handler]:
    """Register the decorated handler as sub-command ``name``."""

    def register(fn: Handler) -> Handler:
        COMMANDS[name] = Command(name, help, arguments, fn)
        return fn

    return register


def period_arg(text: str) -> Period:
    """``--period 2025-TW1`` as a :class:`~sheets_sync.model.Period` (argparse reports a bad value)."""
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            _("periode “{text}” tidak dikenal; contoh yang benar: 2025-TW1").format(text=text)) from exc


def make_app(args: argparse.Namespace) -> Any:
    """The configured :class:`~sheets_sync.service.app.App` for ``--config``."""
    from sheets_sync.config import load
    from sheets_sync.service.app import App, system_clock
    from sheets_sync.service.backup import guard_store, mark_new_store

    settings = load(args.config)
    clock = CLOCK or system_clock
    new_store = bool(getattr(args, "new_store", False))
    guard_store(settings, new_store=new_store, clock=clock)
    app = App.from_settings(settings, clock=clock)
    if new_store:
        mark_new_store(app)
    return app


def deliver_now(app: Any, out: TextIO) -> None:
    """After ``provision`` or ``approve`` by hand: deliver what waits in the queue right away (the
    same claim-before-send delivery as ``run``, so a running service never sends it twice), or say
    how many wait when ``[notify] send_from_commands`` is off or delivery is stopped by a problem."""
    from sheets_sync.notify import problem_text
    from sheets_sync.runtime.jobs import deliver_job

    def waiting() -> int:
        return sum(1 for m in app.store.messages() if m.status in ("queued", "sending"))

    before = waiting()
    if not before:
        return
    problem = problem_text(app.store, app.tz)
    if app.settings.notify.send_from_commands and problem is None:
        deliver_job(app, app.now())
    left = waiting()
    if before > left:
        sent = before - left
        out.write(ngettext("{n} e-mail terkirim.\n", "{n} e-mail terkirim.\n", sent).format(n=sent))
    if left:
        out.write(ngettext("{n} e-mail menunggu dikirim oleh `sheets-sync run`.\n",
                           "{n} e-mail menunggu dikirim oleh `sheets-sync run`.\n", left).format(n=left))
        if problem is not None:
            said = problem.render(_)
            out.write(f"  ! {said}\n")


def terminal_width() -> int | None:
    """The columns the output must fit: ``$COLUMNS`` or the terminal's width; None when the output goes to
    a pipe or a file without ``$COLUMNS`` (nothing is cut or wrapped for ``grep`` and friends)."""
    import os
    import shutil
    import sys

    if not os.environ.get("COLUMNS") and not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def progress_to(out: TextIO, what: str, unit: str) -> Callable[[int, int, str], None]:
    """The one progress helper of the CLI (the :mod:`sheets_sync.core.progress` port the services call):
    on ``out`` — stderr, so stdout keeps only the result for a pipe or a file — a tqdm bar when ``out`` is
    a terminal, else one plain line per step that a log file or a pipe keeps readable
    (``[2/5] membaca formulir: MP``).  ``what`` says what the task does, ``unit`` what the bar counts."""
    if not out.isatty():

        def line(n: int, total: int, name: str) -> None:
            out.write(f"[{n}/{total}] {what}: {name}\n")
            out.flush()

        return line
    from tqdm import tqdm

    bar: list[Any] = []

    def show(n: int, total: int, name: str) -> None:
        if not bar:
            bar.append(tqdm(total=total, file=out, desc=what, leave=True, unit=" " + unit, dynamic_ncols=True))
        bar[0].set_postfix_str(name, refresh=False)
        bar[0].update(n - bar[0].n)
        if n >= total:
            bar[0].close()

    return show


def shown_value(value: Raw) -> str:
    """A raw cell value as a person reads it: text as typed, numbers the Indonesian way, an empty cell as
    "(kosong)" — never a Python word (``None``, ``True``) or repr quotes."""
    from sheets_sync.core.fmt import angka

    if value is None or value == "":
        return _("(kosong)")
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, int):
        return angka(value, 0)
    if isinstance(value, float):
        _whole, _dot, frac = repr(value).partition(".")
        exact = len(frac) if frac.isdigit() else 2  # every digit as read; repr with an exponent keeps 2
        return angka(value, min(exact, 12)) if frac.strip("0") else angka(value, 0)
    return str(value)
