"""Commands of the Laporan Kinerja and the documents' review flow: ``laporan``, ``dokumen``."""

from __future__ import annotations

import argparse
from typing import TextIO

from sheets_sync.cli.common import command, make_app, period_arg
from sheets_sync.i18n import N_, _, current_language


def _laporan_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tahun", type=int, help=_("tahunnya (bawaan: [office] tahun)"))
    p.add_argument("--semester", type=int, choices=(1, 2), help=_("Laporan Kinerja Semester, bukan LKjIP"))
    p.add_argument("--draft", action="store_true", help=_("buat draft walaupun semuanya sudah siap"))


def _dokumen_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", type=period_arg, metavar=_("PERIODE"), help=_("hanya dokumen periode ini"))


@command("laporan", N_("buat Laporan Kinerja (LKjIP) tahunan, atau --semester N"), _laporan_args)
def cmd_laporan(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.service.lkjip import render_laporan

    app = make_app(args)
    report = render_laporan(app, args.tahun or app.settings.office.tahun, semester=args.semester, draft=args.draft)
    out.write(_("Laporan Kinerja FINAL:\n") if report.final else _("Laporan Kinerja DRAFT:\n"))
    for d in report.documents:
        mark = _("baru") if d["new"] else _("tetap")
        number = _("  Nomor {number}").format(number=d["letter_number"]) if d.get("letter_number") else ""
        out.write(f"  {d['kind']:34} v{d['version']:<3} {mark:9} {d['path']}{number}\n")
    if report.changes:
        out.write(_("Perubahan sejak versi sebelumnya:\n") + "".join(f"  - {c.render(_)}\n" for c in report.changes))
    for f in report.findings:
        out.write(f"  ! {f.location} ({f.code}): {f.message_in(_)} — {f.fix_in(_)}\n")
    if not report.final and report.reasons:
        out.write(_("Masih draft karena: {reasons}\n").format(reasons="; ".join(r.render(_) for r in report.reasons)))
    return report.exit_code


@command("dokumen", N_("setiap dokumen terdaftar dengan statusnya di tab Dokumen, sejak kapan, dan riwayatnya"),
         _dokumen_args)
def cmd_dokumen(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.core.fmt import tanggal_jam
    from sheets_sync.service.review import current_statuses, ident, read_typed, sync_statuses

    app = make_app(args)
    sync = sync_statuses(app)  # record what the office typed since the service last looked
    typed, _findings = read_typed(app)
    now = current_statuses(app, typed)
    docs = app.store.documents(str(args.period) if args.period else None)
    new_mark = _("(baru)")  # a status set for the first time
    for d in docs:
        st = now[ident(d)]
        since = _(" sejak {when}").format(when=tanggal_jam(st.since, current_language())) if st.since else ""
        out.write(f"{d.period} {d.kind} v{d.version} {'Draft' if d.draft else 'Final'}: {st.status}{since}\n")
        for when, before, after, note in st.history:
            extra = f" — {note}" if note else ""
            out.write(f"    {tanggal_jam(when, current_language())}: {before or new_mark} → {after}{extra}\n")
    for f in sync.findings:
        out.write(f"  ! {f.location}: {f.message_in(_)} — {f.fix_in(_)}\n")
    if not docs:
        out.write(_("Belum ada dokumen.\n"))
    return 1 if sync.findings else 0
