"""Commands for the IT operator: ``run`` (the service), ``doctor``, ``auth``."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from sheets_sync.cli.common import command, make_app


def _run_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--once", action="store_true", help="run every job once and exit (for cron)")
    p.add_argument("--new-store", action="store_true", default=argparse.SUPPRESS,
                   help="start with a new, empty store on purpose (when the old one is lost)")


def _auth_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("login",), help="login: run the OAuth flow and store the token")
    p.add_argument("--no-browser", action="store_true", help="print the URL instead of opening a browser")


@command("run", "the long-running service: poll, remind, summarise, deliver on a schedule", _run_args)
def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    import time

    from sheets_sync.runtime.jobs import make_runner
    from sheets_sync.runtime.logs import setup_logging
    from sheets_sync.store.lock import FileLock, Holder, lock_paths

    app = make_app(args)
    setup_logging("DEBUG" if args.debug else app.settings.schedule.log_level, app.settings.schedule.log_format,
                  tz=app.tz)
    runner = make_runner(app, sleep=time.sleep, once=args.once)
    paths = lock_paths(app.settings.store_url)
    if paths is None:
        return int(runner.run_once(due_only=True) if args.once else runner.run_forever())

    def busy(holder: Holder | None) -> str:
        who = holder.describe() if holder else "proses lain"
        return f"sheets-sync run sedang berjalan untuk basis data {app.settings.store_url} ({who})"

    fix = ("satu basis data dilayani satu `sheets-sync run` saja: hentikan proses itu dulu "
           "(mis. `systemctl stop sheets-sync`) atau tunggu `run --once` itu selesai")
    with FileLock(paths[1]).hold("sheets-sync run" + (" --once" if args.once else ""), busy=busy, fix=fix):
        return int(runner.run_once(due_only=True) if args.once else runner.run_forever())


@command("doctor", "check config, credentials, folders, control spreadsheet, sharing, protection")
def cmd_doctor(args: argparse.Namespace, out: TextIO) -> int:
    """Check what can be checked for the configured backend; print each problem with its fix."""
    from sheets_sync.config import load

    settings = load(args.config)
    results: list[tuple[bool, str, str, str]] = []
    app = make_app(args)
    try:
        from sheets_sync.service.control_io import load_control

        control = load_control(app)
        results.append((True, "kendali", f"control spreadsheet readable: {len(control.units)} bidang, "
                        f"{len(control.indicators)} indikator", ""))
        for f in control.findings:
            results.append((False, "kendali", f"{f.location}: {f.message}", f.fix))
    except Exception as exc:  # doctor reports, it does not stop
        control = None
        results.append((False, "kendali", f"control spreadsheet not readable: {exc}", getattr(exc, "fix", "")))
    if settings.backend == "google" and settings.google is not None:
        from sheets_sync.backends.google.doctor import FormToCheck, doctor

        forms = app.store.forms(settings.office.tahun)
        to_check = [FormToCheck(u.code, forms[u.code].form_id, u.editors) for u in (control.units if control else ())
                    if u.code in forms]
        for r in doctor(settings.google, backend=app.backend, forms=to_check):
            results.append((r.ok, r.name, r.message, r.fix))
    else:
        folder = settings.forms_folder
        results.append((folder.is_dir(), "forms", f"forms folder {folder}",
                        "" if folder.is_dir() else "run `sheets-sync provision` (it creates the folder)"))
    if settings.notify.kind == "smtp":
        import os

        from sheets_sync.notify import problem_text

        smtp = settings.notify.smtp
        has = bool(os.environ.get(smtp.password_env)) or not smtp.username
        results.append((has, "smtp", f"SMTP password variable {smtp.password_env}",
                        "" if has else f"export {smtp.password_env}=…"))
        if smtp.security == "none" and smtp.username:
            results.append((False, "smtp", f"security = \"none\" with username {smtp.username}: the password "
                            "crosses the network in clear text",
                            '[smtp] security = "starttls" (port 587) or "ssl" (port 465)'))
        problem = problem_text(app.store)
        if problem:
            results.append((False, "smtp", problem,
                            "fix the cause, then `sheets-sync outbox retry` sends what waits"))
    from sheets_sync.service.documents import check_documents

    for d, problem in check_documents(app):
        results.append((False, "dokumen", f"final {d.kind} {d.period} v{d.version} {problem}: {d.path}",
                        f"`sheets-sync render --period {d.period}` memulihkannya dari salinan di basis data"))
    if not settings.notify.coordinator:
        results.append((False, "notify", "no coordinator address: summaries go nowhere",
                        'set [notify] coordinator = ["kasubbag.ppkp@…"]'))
    for ok, name, message, fix in results:
        out.write(f"[{'ok' if ok else 'MASALAH'}] {name}: {message}\n")
        if not ok and fix:
            out.write(f"        fix: {fix}\n")
    out.write(_pdf_line())
    _days_off(settings, control, out)
    return 0 if all(r[0] for r in results) else 1


def _pdf_line() -> str:
    """Whether ``render --pdf`` can convert here — information, not a problem (PDFs are optional)."""
    from sheets_sync.reports.pdf import find_soffice

    exe = find_soffice()
    if exe is not None:
        return f"[ok] pdf: konversi PDF tersedia (LibreOffice {exe}); `render --pdf` membuat PDF\n"
    return ("[info] pdf: konversi PDF tidak tersedia — LibreOffice (soffice) tidak terpasang; `render --pdf` hanya "
            "membuat dokumen Word\n        fix: pasang libreoffice-writer-nogui fonts-liberation "
            "fonts-crosextra-carlito (Debian/Ubuntu), atau jalankan image Docker sheets-sync\n")


def _days_off(settings: Any, control: Any, out: TextIO) -> None:
    """The office year's non-working days other than Saturdays and Sundays (national holidays, cuti
    bersama, the config's and the ``Libur`` tab's days), so the PPKP can check them before deadlines."""
    from sheets_sync.config.holidays import non_working_days
    from sheets_sync.core.fmt import hari, tanggal

    year = settings.office.tahun
    days = [d for d in non_working_days(settings.reminders, year, control.libur if control else ())
            if d.why not in ("Sabtu", "Minggu")]
    out.write(f"[ok] kalender: {len(days)} hari libur kerja {year} selain Sabtu dan Minggu "
              "(libur nasional, cuti bersama, [reminders] dan tab Libur):\n")
    for d in days:
        out.write(f"        {hari(d.day)}, {tanggal(d.day)} — {d.why}\n")


@command("auth", "Google OAuth user login (installed-app flow)", _auth_args)
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
