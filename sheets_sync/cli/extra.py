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
    from sheets_sync.cli import _period as parse

    return parse(text)


def _parsers(sub: Any) -> None:
    s = sub.add_parser("approve", help="apply the review meeting's decisions typed into Persetujuan")
    s.add_argument("--period", type=_period, required=True)

    s = sub.add_parser("render", help="make the Word documents (final only when every bidang is approved)")
    s.add_argument("--period", type=_period, required=True)
    s.add_argument("--draft", action="store_true", help="make drafts even if everything is approved")
    s.add_argument("--pdf", action="store_true", help="also convert to PDF with LibreOffice")

    s = sub.add_parser("run", help="the long-running service: poll, remind, summarise, deliver on a schedule")
    s.add_argument("--once", action="store_true", help="run every job once and exit (for cron)")

    s = sub.add_parser("summary", help="the coordinator's digest now (printed; --send queues the e-mail)")
    s.add_argument("--period", type=_period, help="default: the period open now")
    s.add_argument("--send", action="store_true", help="also queue the e-mail to the coordinator and deliver")

    s = sub.add_parser("doctor", help="check config, credentials, folders, control spreadsheet, sharing, protection")

    s = sub.add_parser("auth", help="Google OAuth user login (installed-app flow)")
    s.add_argument("action", choices=("login",))
    s.add_argument("--no-browser", action="store_true", help="print the URL instead of opening a browser")

    s = sub.add_parser("templates", help="check edited .docx templates against what the renderer provides")
    s.add_argument("action", choices=("check",))
    s.add_argument("--dir", type=Path, help="folder of templates (default: documents.templates or shipped)")


def _app(args: argparse.Namespace) -> Any:
    from sheets_sync.cli import _app as make

    return make(args)


def cmd_approve(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.service.approvals import apply_approvals

    app = _app(args)
    report = apply_approvals(app, args.period)
    out.write(f"Approved: {', '.join(report.approved) or '-'}; returned for correction: "
              f"{', '.join(report.returned) or '-'}\n")
    for f in report.findings:
        out.write(f"  ! {f.unit} {f.location}: {f.message} — {f.fix}\n")
    return 1 if report.findings else 0


def cmd_render(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.service.approvals import apply_approvals
    from sheets_sync.service.documents import render_period

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


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    import time

    from sheets_sync.runtime.jobs import make_runner
    from sheets_sync.runtime.logs import setup_logging

    app = _app(args)
    setup_logging("DEBUG" if args.debug else app.settings.schedule.log_level, app.settings.schedule.log_format)
    runner = make_runner(app, sleep=time.sleep)
    return int(runner.run_once() if args.once else runner.run_forever())


def cmd_summary(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.core.summary import digest_text
    from sheets_sync.errors import UsageError
    from sheets_sync.runtime.jobs import build_summary, current_schedule, deliver_job, digest_job
    from sheets_sync.service.poll import load_control

    app = _app(args)
    control = load_control(app)
    now = app.now()
    period = args.period
    if period is None:
        sched = current_schedule(control, now)
        if sched is None:
            raise UsageError("no period has opened yet", fix="pass --period 2025-TW1")
        period = sched.period
    out.write(digest_text(build_summary(app, period, control, now)) + "\n")
    if args.send:
        digest_job(app, now, period, key=f"digest:{period}:manual:{now.isoformat(timespec='seconds')}")
        return deliver_job(app, now)
    return 0


def cmd_doctor(args: argparse.Namespace, out: TextIO) -> int:
    """Check what can be checked for the configured backend; print each problem with its fix."""
    from sheets_sync.config import load

    settings = load(args.config)
    results: list[tuple[bool, str, str, str]] = []
    app = _app(args)
    try:
        from sheets_sync.service.poll import load_control

        control = load_control(app)
        results.append((True, "kendali", f"control spreadsheet readable: {len(control.units)} bidang, "
                        f"{len(control.indicators)} indikator", ""))
        for f in control.findings:
            results.append((False, "kendali", f"{f.location}: {f.message}", f.fix))
    except Exception as exc:  # doctor reports, it does not stop
        control = None
        results.append((False, "kendali", f"control spreadsheet not readable: {exc}", getattr(exc, "fix", "")))
    if settings.backend == "google":
        from sheets_sync.backends.google.doctor import FormToCheck, doctor

        forms = app.store.forms(settings.office.tahun)
        to_check = [FormToCheck(u.code, forms[u.code][0], u.editors) for u in (control.units if control else ())
                    if u.code in forms]
        for r in doctor(settings.google, backend=app.backend, forms=to_check):
            results.append((r.ok, r.name, r.message, r.fix))
    else:
        folder = settings.forms_folder
        results.append((folder.is_dir(), "forms", f"forms folder {folder}",
                        "" if folder.is_dir() else "run `sheets-sync provision` (it creates the folder)"))
    if settings.notify.kind == "smtp":
        import os

        has = bool(os.environ.get(settings.notify.smtp.password_env)) or not settings.notify.smtp.username
        results.append((has, "smtp", f"SMTP password variable {settings.notify.smtp.password_env}",
                        "" if has else f"export {settings.notify.smtp.password_env}=…"))
    if not settings.notify.coordinator:
        results.append((False, "notify", "no coordinator address: summaries go nowhere",
                        'set [notify] coordinator = ["kasubbag.ppkp@…"]'))
    for ok, name, message, fix in results:
        out.write(f"[{'ok' if ok else 'MASALAH'}] {name}: {message}\n")
        if not ok and fix:
            out.write(f"        fix: {fix}\n")
    return 0 if all(r[0] for r in results) else 1


def cmd_auth(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.config import load
    from sheets_sync.errors import UsageError

    settings = load(args.config)
    if settings.google is None:
        raise UsageError("auth login needs a [google] section", fix='add [google] mode = "oauth" to the config')
    from sheets_sync.backends.google.auth import auth_login

    result = auth_login(settings.google, open_browser=not args.no_browser)
    out.write(f"Token saved to {result.token_file} (permissions 0600)\n")
    for w in result.warnings:
        out.write(f"warning: {w}\n")
    return 0


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


def register(parsers: list[Callable[[Any], None]], commands: dict[str, Any]) -> None:
    """Add the extra sub-commands to the CLI."""
    parsers.append(_parsers)
    commands.update({"approve": cmd_approve, "render": cmd_render, "templates": cmd_templates, "run": cmd_run,
                     "summary": cmd_summary, "doctor": cmd_doctor, "auth": cmd_auth})
