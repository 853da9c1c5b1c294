"""Commands for the IT operator: ``run`` (the service), ``doctor``, ``auth``."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from sheets_sync.cli.common import command, make_app, progress_to
from sheets_sync.i18n import N_, _, current_language
from sheets_sync.texts import as_text


def _run_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--once", action="store_true", help=_("jalankan setiap tugas sekali lalu keluar (untuk cron)"))
    p.add_argument("--new-store", action="store_true", default=argparse.SUPPRESS,
                   help=_("sengaja mulai dengan basis data baru yang kosong (bila yang lama hilang)"))


def _auth_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("login",), help=_("login: jalankan alur OAuth dan simpan tokennya"))
    p.add_argument("--no-browser", action="store_true", help=_("cetak URL-nya, jangan membuka peramban"))


@command("run", N_("layanan yang terus berjalan: poll, pengingat, ringkasan, pengiriman sesuai jadwal"), _run_args)
def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    import time

    from sheets_sync.runtime.jobs import make_runner
    from sheets_sync.runtime.logs import setup_logging
    from sheets_sync.store.lock import FileLock, Holder, lock_paths

    app = make_app(args)
    setup_logging("DEBUG" if args.debug else app.settings.schedule.log_level, app.settings.schedule.log_format,
                  tz=app.tz)
    # run --once is a command someone may watch: its full sweep shows progress; the service logs instead
    progress = progress_to(sys.stderr, _("membaca formulir"), _("bidang")) if args.once else None
    runner = make_runner(app, sleep=time.sleep, once=args.once, progress=progress)
    paths = lock_paths(app.settings.store_url)
    if paths is None:
        return int(runner.run_once(due_only=True) if args.once else runner.run_forever())

    def busy(holder: Holder | None) -> str:
        who = holder.describe_text().render(_) if holder else _("proses lain")
        return _("sheets-sync run sedang berjalan untuk basis data {store} ({who})").format(
            store=app.settings.store_url, who=who)

    fix = _("satu basis data dilayani satu `sheets-sync run` saja: hentikan proses itu dulu "
            "(mis. `systemctl stop sheets-sync`) atau tunggu `run --once` itu selesai")
    with FileLock(paths[1]).hold("sheets-sync run" + (" --once" if args.once else ""), busy=busy, fix=fix):
        return int(runner.run_once(due_only=True) if args.once else runner.run_forever())


@command("doctor", N_("periksa konfigurasi, kredensial, folder, spreadsheet kendali, berbagi, proteksi"))
def cmd_doctor(args: argparse.Namespace, out: TextIO) -> int:
    """Check what can be checked for the configured backend; print each problem with its fix."""
    from sheets_sync.config import load
    from sheets_sync.errors import SheetsSyncError

    settings = load(args.config)
    results: list[tuple[bool, str, str, str]] = []
    kendali, formulir, dokumen = _("kendali"), _("formulir"), _("dokumen")  # the check's name, as a label
    app = make_app(args)
    try:
        from sheets_sync.service.control_io import load_control

        control = load_control(app)
        results.append((True, kendali, _("spreadsheet kendali terbaca: {units} bidang, {indicators} indikator")
                        .format(units=len(control.units), indicators=len(control.indicators)), ""))
        for f in control.findings:
            results.append((False, kendali, f"{f.location}: {f.message_in(_)}", f.fix_in(_)))
    except Exception as exc:  # doctor reports, it does not stop
        control = None
        shown = exc.shown(_) if isinstance(exc, SheetsSyncError) else None
        results.append((False, kendali, _("spreadsheet kendali tidak terbaca: {error}").format(
            error=shown.message if shown else exc), shown.fix if shown else ""))
    if settings.backend == "google" and settings.google is not None:
        from sheets_sync.backends.google.doctor import FormToCheck, doctor

        forms = app.store.forms(settings.office.tahun)
        to_check = [FormToCheck(u.code, forms[u.code].form_id, u.editors) for u in (control.units if control else ())
                    if u.code in forms]
        for r in doctor(settings.google, backend=app.backend, forms=to_check):
            results.append((r.ok, r.name, as_text(r.message).render(_), as_text(r.fix).render(_)))
    else:
        folder = settings.forms_folder
        results.append((folder.is_dir(), formulir, _("folder formulir {folder}").format(folder=folder),
                        "" if folder.is_dir() else
                        _("jalankan `sheets-sync provision` (perintah itu membuat foldernya)")))
    if settings.notify.kind == "smtp":
        import os

        from sheets_sync.notify import problem_text

        smtp = settings.notify.smtp
        has = bool(os.environ.get(smtp.password_env)) or not smtp.username
        results.append((has, "smtp", _("variabel kata sandi SMTP {name}").format(name=smtp.password_env),
                        "" if has else f"export {smtp.password_env}=…"))
        if smtp.security == "none" and smtp.username:
            results.append((False, "smtp", _("security = \"none\" dengan username {user}: kata sandi melintasi "
                                             "jaringan tanpa enkripsi").format(user=smtp.username),
                            _('[smtp] security = "starttls" (port 587) atau "ssl" (port 465)')))
        stopped = problem_text(app.store, app.tz)
        if stopped is not None:
            results.append((False, "smtp", stopped.render(_),
                            _("perbaiki penyebabnya, lalu `sheets-sync outbox retry` mengirim yang menunggu")))
    from sheets_sync.service.documents import check_documents

    for d, problem in check_documents(app):
        results.append((False, dokumen, _("final {kind} {period} v{version} {problem}: {path}").format(
                            kind=d.kind, period=d.period, version=d.version, problem=problem, path=d.path),
                        _("`sheets-sync render --period {period}` memulihkannya dari salinan di basis data").format(
                            period=d.period)))
    if not settings.notify.coordinator:
        results.append((False, "notify", _("tidak ada alamat koordinator: ringkasan tidak terkirim ke siapa pun"),
                        _('isi [notify] coordinator = ["kasubbag.ppkp@…"]')))
    for ok, name, message, fix in results:
        mark = _("ok") if ok else _("MASALAH")
        out.write(f"[{mark}] {name}: {message}\n")
        if not ok and fix:
            out.write(_("        perbaikan: {fix}\n").format(fix=fix))
    out.write(_pdf_line())
    _days_off(settings, control, out)
    return 0 if all(r[0] for r in results) else 1


def _pdf_line() -> str:
    """Whether ``render --pdf`` can convert here — information, not a problem (PDFs are optional)."""
    from sheets_sync.reports.pdf import find_soffice

    exe = find_soffice()
    if exe is not None:
        return _("[ok] pdf: konversi PDF tersedia (LibreOffice {exe}); `render --pdf` membuat PDF\n").format(exe=exe)
    return _("[info] pdf: konversi PDF tidak tersedia — LibreOffice (soffice) tidak terpasang; `render --pdf` hanya "
             "membuat dokumen Word\n        perbaikan: pasang libreoffice-writer-nogui fonts-liberation "
             "fonts-crosextra-carlito (Debian/Ubuntu), atau jalankan image Docker sheets-sync\n")


def _days_off(settings: Any, control: Any, out: TextIO) -> None:
    """The office year's non-working days other than Saturdays and Sundays (national holidays, cuti
    bersama, the config's and the ``Libur`` tab's days), so the PPKP can check them before deadlines.  A
    holiday that falls on a weekend costs no working day, so it is not listed (nor counted)."""
    from sheets_sync.config.holidays import non_working_days
    from sheets_sync.core.fmt import hari, tanggal

    year = settings.office.tahun
    days = [d for d in non_working_days(settings.reminders, year, control.libur if control else ())
            if d.day.weekday() < 5]
    out.write(_("[ok] kalender: {n} hari libur kerja {year} selain Sabtu dan Minggu "
                "(libur nasional, cuti bersama, [reminders] dan tab Libur):\n").format(n=len(days), year=year))
    for d in days:
        out.write(f"        {hari(d.day, current_language())}, {tanggal(d.day, current_language())} — {d.why}\n")


@command("auth", N_("login pengguna Google OAuth (alur aplikasi terpasang)"), _auth_args)
def cmd_auth(args: argparse.Namespace, out: TextIO) -> int:
    from sheets_sync.config import load
    from sheets_sync.errors import UsageError

    settings = load(args.config)
    if settings.google is None:
        raise UsageError(_("auth login memerlukan bagian [google]"),
                         fix=_('tambahkan [google] mode = "oauth" ke konfigurasi'))
    from sheets_sync.backends.google.auth import auth_login

    result = auth_login(settings.google, open_browser=not args.no_browser)
    out.write(_("Token disimpan di {path} (izin 0600)\n").format(path=result.token_file))
    for w in result.warnings:
        out.write(_("peringatan: {warning}\n").format(warning=w))
    return 0
