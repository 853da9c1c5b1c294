"""Commands of the review meeting and its documents: ``approve``, ``render``, ``templates``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from sheets_sync.cli.common import command, deliver_now, make_app, period_arg, progress_to
from sheets_sync.i18n import N_, _, current_language, ngettext


def _approve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", type=period_arg, metavar=_("PERIODE"), required=True, help=_("periode, mis. 2025-TW1"))


def _render_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", type=period_arg, metavar=_("PERIODE"), required=True, help=_("periode, mis. 2025-TW1"))
    p.add_argument("--draft", action="store_true", help=_("buat draft walaupun semua sudah disetujui"))
    p.add_argument("--pdf", action="store_true",
                   help=_("juga ubah ke PDF dengan LibreOffice (juga dokumen terdahulu yang belum ber-PDF)"))
    p.add_argument("--reissue", action="store_true",
                   help=_("final yang dikoreksi memakai lagi nomor surat Surat Pengantar sebelumnya"))


def _templates_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("check",), help=_("check: bandingkan templat dengan isian yang disediakan"))
    p.add_argument("--dir", type=Path, metavar=_("FOLDER"),
                   help=_("folder templat (bawaan: [documents] templates atau templat bawaan paket)"))


@command("approve", N_("terapkan keputusan rapat pembahasan yang diketik di tab Persetujuan"), _approve_args)
def cmd_approve(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.core.fmt import tanggal
    from sheets_sync.service.approvals import apply_approvals

    app = make_app(args)
    report = apply_approvals(app, args.period)
    # Everything at once: each decision applied, then each row ignored or not applied with why and the fix.
    out.write(_("Keputusan rapat {period} yang diterapkan: {n}\n").format(
        period=args.period, n=len(report.applied) or _("tidak ada yang baru")))
    undated = _(" (tanpa tanggal: dicatat dengan tanggal saat dibaca)")
    for a in report.applied:
        when = date.fromisoformat(a.decided_on)
        note = undated if a.date_from_read else ""
        effect = _("tab dikunci") if a.status == "Disetujui" else _("tab dibuka, e-mail ke bidang diantrekan")
        status = _(a.status)  # Disetujui / Perlu perbaikan, marked in service.status_view.STATE_WORDS
        out.write(f"  {a.unit:8} {status}, {tanggal(when, current_language())}{note} — {effect}\n")
    if report.findings:
        out.write(_("Baris yang diabaikan atau belum berlaku: {n}\n").format(n=len(report.findings)))
    for f in report.findings:
        out.write(f"  ! {f.location}: {f.message_in(_)} — {f.fix_in(_)}\n")
    deliver_now(app, out)
    return 1 if report.findings else 0


@command("render", N_("buat dokumen Word (final hanya bila setiap bidang sudah disetujui)"), _render_args)
def cmd_render(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.service.approvals import apply_approvals
    from sheets_sync.service.control_io import load_control
    from sheets_sync.service.documents import render_period

    app = make_app(args)
    control = load_control(app)  # once for the approvals and the documents
    apply_approvals(app, args.period, control)
    report = render_period(app, args.period, draft=args.draft, pdf=args.pdf, control=control,
                           reissue=args.reissue, progress=progress_to(sys.stderr, _("membuat dokumen"), _("dokumen")))
    for line in report.restored:
        out.write(f"! {line}\n")
    heading = _("Dokumen FINAL {period}:\n") if report.final else _("Dokumen DRAFT {period}:\n")
    out.write(heading.format(period=args.period))
    for d in report.documents:
        mark = _("baru") if d["new"] else _("tetap")
        number = _("  Nomor {number}").format(number=d["letter_number"]) if d.get("letter_number") else ""
        out.write(f"  {d['kind']:34} {mark:9} {d['path']}{number}\n")
    for pdf in report.pdfs:
        out.write(_("  PDF dibuat: {path}\n").format(path=pdf))
    if not report.final and report.reasons:
        out.write(_("Masih draft karena: {reasons}\n").format(reasons="; ".join(r.render(_) for r in report.reasons)))
    elif report.reasons:
        out.write(_("Catatan: {notes}\n").format(notes="; ".join(r.render(_) for r in report.reasons)))
    return 1 if report.restored or report.pdf_failed else 0


@command("templates", N_("periksa templat .docx yang diubah terhadap isian yang disediakan"), _templates_args)
def cmd_templates(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.reports import check_templates

    folder = args.dir
    if folder is None and args.config:
        from sheets_sync.config import load

        folder = load(args.config).documents.templates
    problems = check_templates(folder)
    for p in problems:
        out.write(f"- {p}\n")
    errors = [p for p in problems if p.startswith("error:")]
    out.write(_("templat baik\n") if not errors else
              ngettext("{n} kesalahan\n", "{n} kesalahan\n", len(errors)).format(n=len(errors)))
    return 1 if errors else 0
