"""Commands of the data-collection cycle: ``init``, ``provision``, ``poll``, ``demo``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from sheets_sync.cli.common import command, deliver_now, make_app, period_arg, progress_to, terminal_width
from sheets_sync.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from sheets_sync.model import Finding


def _init_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", type=Path, metavar=_("FOLDER"), help=_("folder kantor yang dibuat"))
    p.add_argument("--example", choices=("bkpsdm", "kecamatan"), default="bkpsdm",
                   help=_("contoh kantor (bawaan: bkpsdm)"))
    p.add_argument("--force", action="store_true", help=_("timpa konfigurasi/buku kerja kendali yang sudah ada"))


def _period_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", type=period_arg, metavar=_("PERIODE"), required=True, help=_("periode, mis. 2025-TW1"))


def _demo_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", type=Path, nargs="?", default=Path("sheets-sync-demo"), metavar=_("FOLDER"),
                   help=_("folder demo (bawaan: sheets-sync-demo)"))
    p.add_argument("--tahun", action="store_true",
                   help=_("mainkan satu tahun penuh (TW I–IV disetujui) sampai Laporan Kinerja (LKjIP) final"))


@command("init", N_("tulis konfigurasi dan buku kerja kendali untuk contoh kantor"), _init_args)
def cmd_init(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.service.office import init_office

    cfg = init_office(args.dir, args.example, force=args.force)
    out.write(_("Konfigurasi ditulis: {config}\nBuku kerja kendali: {control}\n"
                "Berikutnya: sheets-sync -c {config} provision --period 2025-TW1\n").format(
        config=cfg, control=args.dir / "Kendali Data Kinerja.xlsx"))
    return 0


def _provision_args(p: argparse.ArgumentParser) -> None:
    _period_args(p)
    p.add_argument("--notify", action="store_true",
                   help=_("kirim e-mail tautan walaupun batas periode sudah lewat (periode lampau)"))


@command("provision", N_("buat/perbarui satu formulir per bidang dengan tab periodenya"), _provision_args)
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
        out.write(_("  ! KENDALI: daftar pilihan di spreadsheet kendali belum dipasang: {error} — {fix}\n").format(
            error=exc.message, fix=exc.fix or _("jalankan provision lagi")))
    report = provision(app, args.period, progress=progress_to(sys.stderr, _("menyiapkan formulir"), _("bidang")),
                       control=control, notify=args.notify)
    out.write(_("Formulir {period}: {created} dibuat, {adopted} diambil alih, {updated} diperbarui\n").format(
        period=args.period, created=len(report.created), adopted=len(report.adopted), updated=len(report.updated)))
    for code, link in sorted(report.links.items()):
        out.write(f"  {code:8} {link}\n")
    if report.silent:
        out.write(_("Batas pengisian {period} sudah lewat: tautan tidak dikirim lewat e-mail ke {units} "
                    "(tambahkan --notify untuk tetap mengirim).\n").format(period=args.period,
                                                                          units=", ".join(report.silent)))
    for f in report.findings:
        out.write(f"  ! {f.unit} {f.location}: {f.message_in(_)} — {f.fix_in(_)}\n")
    deliver_now(app, out)
    return 1 if report.findings else 0


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", type=period_arg, metavar=_("PERIODE"), required=True,
                   help=_("periode yang sudah lewat, mis. 2026-TW1"))
    p.add_argument("file", type=Path, nargs="?", metavar=_("BERKAS"),
                   help=_("berkas .xlsx yang sudah diisi (formulir, atau tabel milik kantor sendiri)"))
    p.add_argument("--tidak-tersedia", dest="unavailable", action="store_true",
                   help=_("nyatakan data periode itu tidak tersedia, alih-alih mengimpor berkas"))
    p.add_argument("--alasan", default="", help=_("bersama --tidak-tersedia: alasannya (dicetak di catatan)"))
    p.add_argument("--replace", action="store_true",
                   help=_("ganti apa yang dicatat impor sebelumnya untuk periode itu"))
    p.add_argument("--paksa", "--force", dest="force", action="store_true",
                   help=_("impor walaupun pemeriksaan menemukan galat (temuan tetap dicetak)"))


@command("import",
         N_("masukkan periode terdahulu sekali dari spreadsheet yang sudah diisi, atau tandai tidak tersedia"),
         _import_args)
def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.errors import UsageError
    from sheets_sync.service.importer import declare_unavailable, import_period

    if args.unavailable == (args.file is not None):
        raise UsageError(_("sebutkan satu berkas .xlsx, atau --tidak-tersedia tanpa berkas"),
                         fix=f"sheets-sync import --period {args.period} DATA.xlsx")
    app = make_app(args)
    if args.unavailable:
        report = declare_unavailable(app, args.period, replace=args.replace, reason=args.alasan)
        text = (_("{period} sudah dinyatakan tidak tersedia sebelumnya; tidak ada yang diubah.\n")
                if report.unchanged else _("{period} dinyatakan tidak tersedia.\n"))
        out.write(text.format(period=args.period))
        return 0
    report = import_period(app, args.period, args.file, replace=args.replace, force=args.force,
                           progress=progress_to(sys.stderr, _("mengimpor"), _("bidang")))
    if report.unchanged:
        out.write(_("Berkas {file} (SHA-256 {sha}…) sudah diimpor untuk {period}; tidak ada yang diubah.\n").format(
            file=report.file, sha=report.sha256[:12], period=args.period))
        return 0
    if report.refused:
        out.write(_("{period} tidak diimpor dari {file}: pemeriksaan menemukan {n} galat.\n").format(
            period=args.period, file=report.file, n=len(report.errors)))
    else:
        verb = _("menggantikan impor sebelumnya") if report.replaced else _("dicatat disetujui melalui impor")
        out.write(_("{period} diimpor dari {file} (SHA-256 {sha}…), {verb}:\n").format(
            period=args.period, file=report.file, sha=report.sha256[:12], verb=verb))
        for code, n in sorted(report.units.items()):
            out.write(_("  {code:8} {n} indikator\n").format(code=code, n=n))
    for code in report.missing:
        out.write(_("  ! {code}: tidak ada baris di berkas — belum disetujui untuk {period}\n").format(
            code=code, period=args.period))
    for row in report.unknown:
        out.write(_("  ! {row}: kode tidak ada di tab Indikator — diabaikan\n").format(row=row))
    _print_findings(report.findings, out)
    if report.refused:
        out.write(_("Perbaiki berkasnya lalu impor lagi, atau impor apa adanya dengan --paksa.\n"))
        return 1
    problems = report.missing or report.unknown or any(f.severity != "info" for f in report.findings)
    return 1 if problems else 0


def _print_findings(findings: Sequence[Finding], out: TextIO) -> None:
    """Each finding on its line with its cell, then its fix — as ``status`` prints them."""
    from sheets_sync.service.status_view import severity_text

    if findings:
        out.write(_("Temuan ({n}):\n").format(n=len(findings)))
    for f in findings:
        out.write(f"- [{severity_text(f.severity)}] {f.unit} {f.location} ({f.code}): {f.message}\n")
        out.write(_("    Perbaikan: {fix}\n").format(fix=f.fix))


@command("poll", N_("baca formulir, periksa, simpan setiap nilai, tulis Rekap"), _period_args)
def cmd_poll(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.service.poll import poll
    from sheets_sync.service.status_view import render_table

    app = make_app(args)
    report = poll(app, args.period, sweep=True,  # a poll by hand re-checks every form
                  progress=progress_to(sys.stderr, _("membaca formulir"), _("bidang")))
    out.write(ngettext("{read} formulir dibaca; {failed} gagal; {findings} temuan\n",
                       "{read} formulir dibaca; {failed} gagal; {findings} temuan\n", len(report.read)).format(
        read=len(report.read), failed=len(report.failed), findings=len(report.findings)))
    out.write(render_table(app, args.period, report.statuses, width=terminal_width()))
    return report.exit_code


@command("demo", N_("jalankan seluruh siklus pada contoh kantor dengan kalender simulasi"), _demo_args)
def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.runtime.demo import run_demo

    if args.tahun:
        from sheets_sync.service.demo_year import run_year_demo

        return run_year_demo(args.dir, out)
    return run_demo(args.dir, out)
