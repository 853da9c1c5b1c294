"""Commands of the review meeting and its documents: ``approve``, ``render``, ``templates``."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TextIO

from sheets_sync.cli.common import command, deliver_now, make_app, period_arg


def _approve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", type=period_arg, required=True)


def _render_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", type=period_arg, required=True)
    p.add_argument("--draft", action="store_true", help="make drafts even if everything is approved")
    p.add_argument("--pdf", action="store_true",
                   help="also convert to PDF with LibreOffice (also the documents made earlier without one)")
    p.add_argument("--reissue", action="store_true",
                   help="a corrected final keeps the previous Surat Pengantar's letter number")


def _templates_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("check",), help="check: compare the templates with what the renderer provides")
    p.add_argument("--dir", type=Path, help="folder of templates (default: documents.templates or shipped)")


@command("approve", "apply the review meeting's decisions typed into Persetujuan", _approve_args)
def cmd_approve(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.core.fmt import tanggal
    from sheets_sync.service.approvals import apply_approvals

    app = make_app(args)
    report = apply_approvals(app, args.period)
    # Everything at once: each decision applied, then each row ignored or not applied with why and the fix.
    out.write(f"Keputusan rapat {args.period} yang diterapkan: {len(report.applied) or 'tidak ada yang baru'}\n")
    for a in report.applied:
        when = date.fromisoformat(a.decided_on)
        note = " (tanpa tanggal: dicatat dengan tanggal saat dibaca)" if a.date_from_read else ""
        effect = "tab dikunci" if a.status == "Disetujui" else "tab dibuka, e-mail ke bidang diantrekan"
        out.write(f"  {a.unit:8} {a.status}, {tanggal(when)}{note} — {effect}\n")
    if report.findings:
        out.write(f"Baris yang diabaikan atau belum berlaku: {len(report.findings)}\n")
    for f in report.findings:
        out.write(f"  ! {f.location}: {f.message} — {f.fix}\n")
    deliver_now(app, out)
    return 1 if report.findings else 0


@command("render", "make the Word documents (final only when every bidang is approved)", _render_args)
def cmd_render(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.service.approvals import apply_approvals
    from sheets_sync.service.control_io import load_control
    from sheets_sync.service.documents import render_period

    app = make_app(args)
    control = load_control(app)  # once for the approvals and the documents
    apply_approvals(app, args.period, control)
    report = render_period(app, args.period, draft=args.draft, pdf=args.pdf, control=control,
                           reissue=args.reissue)
    for line in report.restored:
        out.write(f"! {line}\n")
    out.write(("FINAL" if report.final else "DRAFT") + f" documents for {args.period}:\n")
    for d in report.documents:
        mark = "new" if d["new"] else "unchanged"
        number = f"  Nomor {d['letter_number']}" if d.get("letter_number") else ""
        out.write(f"  {d['kind']:34} {mark:9} {d['path']}{number}\n")
    for pdf in report.pdfs:
        out.write(f"  PDF dibuat: {pdf}\n")
    if not report.final and report.reasons:
        out.write("Draft because: " + "; ".join(report.reasons) + "\n")
    elif report.reasons:
        out.write("Catatan: " + "; ".join(report.reasons) + "\n")
    return 1 if report.restored or report.pdf_failed else 0


@command("templates", "check edited .docx templates against what the renderer provides", _templates_args)
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
    out.write("templates OK\n" if not errors else f"{len(errors)} error(s)\n")
    return 1 if errors else 0
