"""Commands that look after what the store holds: ``outbox`` (the e-mail queue) and ``backup``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from sheets_sync.cli.common import command, make_app
from sheets_sync.i18n import N_, _, current_language, ngettext


def _outbox_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("list", "retry"), help=_("list: apa yang menunggu; retry: kirim sekarang"))
    p.add_argument("--failed", action="store_true",
                   help=_("list: hanya pesan yang sudah menyerah; "
                          "retry: antrekan ulang juga pesan yang sudah menyerah"))


def _backup_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", nargs="?", type=Path, metavar=_("BERKAS"),
                   help=_("tempat menulis salinan (bawaan: berkas bertanggal di [store] backup_dir)"))


@command("outbox", N_("antrean e-mail: daftar yang menunggu, atau coba kirim ulang sekarang (setelah SMTP dibetulkan)"),
         _outbox_args)
def cmd_outbox(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.core.fmt import tanggal_jam
    from sheets_sync.notify import clear_server_problem, problem_text
    from sheets_sync.notify.labels import kind_name, state_name
    from sheets_sync.runtime.jobs import deliver_job
    from sheets_sync.texts import from_stored

    app = make_app(args)
    if args.action == "list":
        wanted = ("failed",) if args.failed else ("queued", "sending", "failed")
        rows = [m for m in app.store.messages() if m.status in wanted]
        problem = problem_text(app.store, app.tz)
        if problem is not None:
            said = problem.render(_)
            out.write(f"! {said}\n")
        out.write((ngettext("{n} pesan gagal\n", "{n} pesan gagal\n", len(rows)) if args.failed else
                   ngettext("{n} pesan belum terkirim\n", "{n} pesan belum terkirim\n", len(rows))).format(n=len(rows)))
        for m in rows:
            out.write(f"- #{m.id} [{state_name(m.status).render(_)}] {kind_name(m.kind).render(_)} → "
                      f"{', '.join(m.to_addrs)}: {m.subject}\n"
                      + _("    percobaan {attempts}, berikutnya {when}").format(
                          attempts=m.attempts,
                          when=tanggal_jam(m.next_attempt_at.astimezone(app.tz), current_language()))
                      + (_("; galat terakhir: {error}").format(error=from_stored(m.last_error).render(_))
                         if m.last_error else "") + "\n")
        return 0
    now = app.now()
    with app.store.transaction():
        count = app.store.requeue_messages(now, failed=args.failed)
        clear_server_problem(app.store)
    out.write(_("{n} pesan dijadwalkan ulang sekarang; mengirim…\n").format(n=count))
    code = deliver_job(app, now)
    left = [m for m in app.store.messages() if m.status not in ("sent", "dropped")]
    problem = problem_text(app.store, app.tz)
    out.write(_("Terkirim; {n} pesan belum terkirim.\n").format(n=len(left)) if problem is None
              else "! " + problem.render(_) + "\n")
    return code


@command("backup", N_("salinan basis data yang utuh (aman selagi layanan berjalan)"), _backup_args)
def cmd_backup(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.service.backup import backup_store

    app = make_app(args)
    target = backup_store(app, args.file)
    out.write(_("Cadangan basis data: {path}\n").format(path=target))
    return 0
