"""Commands beyond the data-collection cycle: the review meeting, documents, the service, Google setup.

Each parser is added to the main CLI by :func:`register`; handlers import their modules lazily.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

Handler = Callable[[argparse.Namespace, TextIO], int]


def _period(text: str) -> Any:
    from .cli import _period as parse

    return parse(text)


def _parsers(sub: Any) -> None:
    s = sub.add_parser("approve", help="apply the review meeting's decisions typed into Persetujuan")
    s.add_argument("--period", type=_period, required=True)

    s = sub.add_parser("render", help="make the Word documents (final only when every bidang is approved)")
    s.add_argument("--period", type=_period, required=True)
    s.add_argument("--draft", action="store_true", help="make drafts even if everything is approved")
    s.add_argument("--pdf", action="store_true", help="also convert to PDF with LibreOffice")

    s = sub.add_parser("templates", help="check edited .docx templates against what the renderer provides")
    s.add_argument("action", choices=("check",))
    s.add_argument("--dir", type=Path, help="folder of templates (default: documents.templates or shipped)")


def _app(args: argparse.Namespace) -> Any:
    from .cli import _app as make

    return make(args)


def cmd_approve(args: argparse.Namespace, out: TextIO) -> int:
    from .approvals import apply_approvals

    app = _app(args)
    report = apply_approvals(app, args.period)
    out.write(f"Approved: {', '.join(report.approved) or '-'}; returned for correction: "
              f"{', '.join(report.returned) or '-'}\n")
    for f in report.findings:
        out.write(f"  ! {f.unit} {f.location}: {f.message} — {f.fix}\n")
    return 1 if report.findings else 0


def cmd_render(args: argparse.Namespace, out: TextIO) -> int:
    from .approvals import apply_approvals
    from .documents import render_period

    app = _app(args)
    apply_approvals(app, args.period)
    report = render_period(app, args.period, draft=args.draft, pdf=args.pdf)
    out.write(("FINAL" if report.final else "DRAFT") + f" documents for {args.period}:\n")
    for d in report.documents:
        mark = "new" if d["new"] else "unchanged"
        number = f"  Nomor {d['letter_number']}" if d.get("letter_number") else ""
        out.write(f"  {d['kind']:34} {mark:9} {d['path']}{number}\n")
    if not report.final and report.reasons:
        out.write("Draft because: " + "; ".join(report.reasons) + "\n")
    return 0


def cmd_templates(args: argparse.Namespace, out: TextIO) -> int:
    from .reports import check_templates

    folder = args.dir
    if folder is None and args.config:
        from .config import load

        folder = load(args.config).documents.templates
    problems = check_templates(folder)
    for p in problems:
        out.write(f"- {p}\n")
    out.write("templates OK\n" if not problems else f"{len(problems)} problem(s)\n")
    return 1 if problems else 0


def register(parsers: list[Callable[[Any], None]], commands: dict[str, Any]) -> None:
    """Add the extra sub-commands to the CLI."""
    parsers.append(_parsers)
    commands.update({"approve": cmd_approve, "render": cmd_render, "templates": cmd_templates})
