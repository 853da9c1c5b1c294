"""Commands of the data-collection cycle: ``init``, ``provision``, ``poll``, ``demo``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from sheets_sync.cli.common import command, deliver_now, make_app, period_arg, progress_to


def _init_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", type=Path)
    p.add_argument("--example", choices=("bkpsdm", "kecamatan"), default="bkpsdm")
    p.add_argument("--force", action="store_true", help="overwrite an existing config/control workbook")


def _period_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", type=period_arg, required=True, help="e.g. 2025-TW1")


def _demo_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", type=Path, nargs="?", default=Path("sheets-sync-demo"))
    p.add_argument("--tahun", action="store_true",
                   help="play a whole year (TW I–IV approved) ending in the final Laporan Kinerja (LKjIP)")


@command("init", "write a config and a control workbook for a sample office", _init_args)
def cmd_init(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.service.office import init_office

    cfg = init_office(args.dir, args.example, force=args.force)
    out.write(f"Config written: {cfg}\nControl workbook: {args.dir / 'Kendali Data Kinerja.xlsx'}\n"
              f"Next: sheets-sync -c {cfg} provision --period 2025-TW1\n")
    return 0


def _provision_args(p: argparse.ArgumentParser) -> None:
    _period_args(p)
    p.add_argument("--notify", action="store_true",
                   help="e-mail the links even when the period's deadline has passed (a past period)")


@command("provision", "create/update one form per bidang with the period's tab", _provision_args)
def cmd_provision(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.errors import SheetsSyncError
    from sheets_sync.service.control_io import load_control
    from sheets_sync.service.office import guide_workbooks
    from sheets_sync.service.provision import provision

    app = make_app(args)
    control = load_control(app)
    try:  # dropdowns, date checks and tab order of the control spreadsheet; never its values
        guide_workbooks(app.backend, app.settings.control, [u.code for u in control.units])
    except SheetsSyncError as exc:
        out.write(f"  ! KENDALI: daftar pilihan di spreadsheet kendali belum dipasang: {exc.message} — "
                  f"{exc.fix or 'jalankan provision lagi'}\n")
    report = provision(app, args.period, progress=progress_to(sys.stderr), control=control,
                       notify=args.notify)
    out.write(f"Forms for {args.period}: created {len(report.created)}, adopted {len(report.adopted)}, "
              f"updated {len(report.updated)}\n")
    for code, link in sorted(report.links.items()):
        out.write(f"  {code:8} {link}\n")
    if report.silent:
        out.write(f"Batas pengisian {args.period} sudah lewat: tautan tidak dikirim lewat e-mail ke "
                  f"{', '.join(report.silent)} (tambahkan --notify untuk tetap mengirim).\n")
    for f in report.findings:
        out.write(f"  ! {f.unit} {f.location}: {f.message} — {f.fix}\n")
    deliver_now(app, out)
    return 1 if report.findings else 0


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", type=period_arg, required=True, help="an earlier period, e.g. 2026-TW1")
    p.add_argument("file", type=Path, nargs="?", help="the filled .xlsx (a form, or the office's own table)")
    p.add_argument("--tidak-tersedia", dest="unavailable", action="store_true",
                   help="declare the period's data not available instead of importing a file")
    p.add_argument("--alasan", default="", help="with --tidak-tersedia: why (printed in the note)")
    p.add_argument("--replace", action="store_true", help="replace what an earlier import recorded for the period")


@command("import", "bring an earlier period in once from a filled spreadsheet, or mark it tidak tersedia",
         _import_args)
def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.errors import UsageError
    from sheets_sync.service.importer import declare_unavailable, import_period

    if args.unavailable == (args.file is not None):
        raise UsageError("sebutkan satu berkas .xlsx, atau --tidak-tersedia tanpa berkas",
                         fix=f"sheets-sync import --period {args.period} DATA.xlsx")
    app = make_app(args)
    if args.unavailable:
        report = declare_unavailable(app, args.period, replace=args.replace, reason=args.alasan)
        out.write(f"{args.period} sudah dinyatakan tidak tersedia sebelumnya; tidak ada yang diubah.\n"
                  if report.unchanged else f"{args.period} dinyatakan tidak tersedia.\n")
        return 0
    report = import_period(app, args.period, args.file, replace=args.replace)
    if report.unchanged:
        out.write(f"Berkas {report.file} (SHA-256 {report.sha256[:12]}…) sudah diimpor untuk {args.period}; "
                  "tidak ada yang diubah.\n")
        return 0
    verb = "menggantikan impor sebelumnya" if report.replaced else "dicatat disetujui melalui impor"
    out.write(f"{args.period} diimpor dari {report.file} (SHA-256 {report.sha256[:12]}…), {verb}:\n")
    for code, n in sorted(report.units.items()):
        out.write(f"  {code:8} {n} indikator\n")
    for code in report.missing:
        out.write(f"  ! {code}: tidak ada baris di berkas — belum disetujui untuk {args.period}\n")
    for row in report.unknown:
        out.write(f"  ! {row}: kode tidak ada di tab Indikator — diabaikan\n")
    return 1 if report.missing or report.unknown else 0


@command("poll", "read the forms, check them, keep every value, write Rekap", _period_args)
def cmd_poll(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.service.poll import poll
    from sheets_sync.service.status_view import render_table

    app = make_app(args)
    report = poll(app, args.period, sweep=True)  # a poll by hand re-checks every form
    out.write(f"Read {len(report.read)} form(s); {len(report.failed)} failed; "
              f"{len(report.findings)} finding(s)\n")
    out.write(render_table(app, args.period, report.statuses))
    return report.exit_code


@command("demo", "run the whole cycle on a sample office with a simulated calendar", _demo_args)
def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.runtime.demo import run_demo

    if args.tahun:
        from sheets_sync.service.demo_year import run_year_demo

        return run_year_demo(args.dir, out)
    return run_demo(args.dir, out)
