"""Commands of the Laporan Kinerja and the documents' review flow: ``laporan``, ``dokumen``."""

from __future__ import annotations

import argparse
from typing import TextIO

from sheets_sync.cli.common import command, make_app, period_arg


def _laporan_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tahun", type=int, help="the year (default: [office] tahun)")
    p.add_argument("--semester", type=int, choices=(1, 2), help="the Laporan Kinerja Semester instead of the LKjIP")
    p.add_argument("--draft", action="store_true", help="make a draft even if everything is ready")


def _dokumen_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", type=period_arg, help="only this period's documents")


@command("laporan", "make the Laporan Kinerja (LKjIP) of the year, or --semester N", _laporan_args)
def cmd_laporan(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.service.lkjip import render_laporan

    app = make_app(args)
    report = render_laporan(app, args.tahun or app.settings.office.tahun, semester=args.semester, draft=args.draft)
    out.write(("FINAL" if report.final else "DRAFT") + " Laporan Kinerja:\n")
    for d in report.documents:
        mark = "new" if d["new"] else "unchanged"
        number = f"  Nomor {d['letter_number']}" if d.get("letter_number") else ""
        out.write(f"  {d['kind']:34} v{d['version']:<3} {mark:9} {d['path']}{number}\n")
    if report.changes:
        out.write("Changes since the previous version:\n" + "".join(f"  - {c}\n" for c in report.changes))
    for f in report.findings:
        out.write(f"  ! {f.location} ({f.code}): {f.message} — {f.fix}\n")
    if not report.final and report.reasons:
        out.write("Draft because: " + "; ".join(report.reasons) + "\n")
    return report.exit_code


@command("dokumen", "every registered document with its status in Dokumen, since when, and its history",
         _dokumen_args)
def cmd_dokumen(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.core.fmt import tanggal_jam
    from sheets_sync.service.review import current_statuses, ident, read_typed, sync_statuses

    app = make_app(args)
    sync = sync_statuses(app)  # record what the office typed since the service last looked
    typed, _ = read_typed(app)
    now = current_statuses(app, typed)
    docs = app.store.documents(str(args.period) if args.period else None)
    for d in docs:
        st = now[ident(d)]
        since = f" sejak {tanggal_jam(st.since)}" if st.since else ""
        out.write(f"{d.period} {d.kind} v{d.version} {'Draft' if d.draft else 'Final'}: {st.status}{since}\n")
        for when, before, after, note in st.history:
            extra = f" — {note}" if note else ""
            out.write(f"    {tanggal_jam(when)}: {before or '(baru)'} → {after}{extra}\n")
    for f in sync.findings:
        out.write(f"  ! {f.location}: {f.message} — {f.fix}\n")
    if not docs:
        out.write("No documents yet.\n")
    return 1 if sync.findings else 0
