"""Commands that look after what the store holds: ``outbox`` (the e-mail queue) and ``backup``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from sheets_sync.cli.common import command, make_app


def _outbox_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("list", "retry"), help="list: what is waiting; retry: send it now")
    p.add_argument("--failed", action="store_true",
                   help="list: only the given-up messages; retry: also re-queue the given-up messages")


def _backup_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", nargs="?", type=Path,
                   help="where to write the copy (default: a dated file in [store] backup_dir)")


@command("outbox", "the e-mail queue: list what waits, or retry now (after fixing SMTP)", _outbox_args)
def cmd_outbox(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.notify import clear_server_problem, problem_text
    from sheets_sync.runtime.jobs import deliver_job

    app = make_app(args)
    if args.action == "list":
        wanted = ("failed",) if args.failed else ("queued", "sending", "failed")
        rows = [m for m in app.store.messages() if m.status in wanted]
        problem = problem_text(app.store)
        if problem:
            out.write(f"! {problem}\n")
        out.write(f"{len(rows)} pesan {'gagal' if args.failed else 'belum terkirim'}\n")
        for m in rows:
            out.write(f"- #{m.id} [{m.status}] {m.kind} → {', '.join(m.to_addrs)}: {m.subject}\n"
                      f"    percobaan {m.attempts}, berikutnya {m.next_attempt_at.isoformat(timespec='minutes')}"
                      + (f"; galat terakhir: {m.last_error}" if m.last_error else "") + "\n")
        return 0
    now = app.now()
    with app.store.transaction():
        count = app.store.requeue_messages(now, failed=args.failed)
        clear_server_problem(app.store)
    out.write(f"{count} pesan dijadwalkan ulang sekarang; mengirim…\n")
    code = deliver_job(app, now)
    left = [m for m in app.store.messages() if m.status not in ("sent", "dropped")]
    problem = problem_text(app.store)
    out.write(f"Terkirim; {len(left)} pesan belum terkirim.\n" if not problem else f"! {problem}\n")
    return code


@command("backup", "a consistent copy of the store (safe while the service runs)", _backup_args)
def cmd_backup(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.service.backup import backup_store

    app = make_app(args)
    target = backup_store(app, args.file)
    out.write(f"Cadangan basis data: {target}\n")
    return 0
