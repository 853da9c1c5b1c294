"""``sheets-sync doctor`` for the Google backend: what is wrong with the setup, and how to fix it.

:func:`doctor` runs every check even when earlier ones fail and returns a list of
:class:`CheckResult` (Indonesian message + fix; the ``name`` is an English identifier for logs).
Checks: configuration, credentials file, OAuth token (refresh token, expiry, file mode), access to
the forms folder (on a shared drive for a service account), the documents folder and the control
spreadsheet, and for each form: sharing limited to the configured addresses, and sheets-sync's
protections editable only by the service identity and the coordinator.  No check changes anything.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Literal

from sheets_sync.backends.google.auth import service_account_info, token_expiry
from sheets_sync.backends.google.errors import QUOTA_FIX
from sheets_sync.backends.google.requests import FOLDER_MIME, PREFIX
from sheets_sync.backends.google.transport import DRIVE
from sheets_sync.config.google import GoogleSettings
from sheets_sync.errors import SheetsSyncError
from sheets_sync.texts import Text

if TYPE_CHECKING:
    from sheets_sync.backends.google.backend import GoogleBackend

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class CheckResult:
    """One doctor check: ``ok`` or not, what was found (``message``) and what to do (``fix``)."""

    name: str
    ok: bool
    message: str | Text
    fix: str | Text = ""
    severity: Severity = "error"


@dataclass(frozen=True)
class FormToCheck:
    """A bidang form and the addresses that may edit it (head, operator)."""

    unit: str
    form_id: str
    editors: tuple[str, ...] = ()


LOGIN = Text("Jalankan `sheets-sync auth login`.")
LOGIN_AGAIN = Text("Jalankan `sheets-sync auth login` lagi.")


def _guard(name: str, check: Callable[[], list[CheckResult]]) -> list[CheckResult]:
    try:
        return check()
    except SheetsSyncError as exc:
        return [CheckResult(name, False, exc.text, exc.fix_text)]


def _config(s: GoogleSettings) -> list[CheckResult]:
    out = [CheckResult("config", True, f"mode = {s.mode!r}, folder_id = {s.folder_id}", severity="info")]
    if not s.coordinator_email:
        out.append(
            CheckResult(
                "config.coordinator_email",
                False,
                Text("google.coordinator_email kosong: hanya identitas layanan yang bisa mengubah target yang "
                     "diproteksi."),
                Text('Isi coordinator_email = "ppkp@…" di [google].'),
                "warning",
            )
        )
    if not s.documents_folder_id:
        out.append(
            CheckResult(
                "config.documents_folder_id",
                False,
                Text("Dokumen akan diunggah ke folder formulir."),
                Text("Isi google.documents_folder_id dengan folder dokumen tersendiri."),
                "warning",
            )
        )
    if not s.control_spreadsheet:
        out.append(
            CheckResult(
                "config.control_spreadsheet",
                False,
                Text("google.control_spreadsheet kosong."),
                Text("Isi dengan tautan spreadsheet Kendali Data Kinerja."),
                "warning",
            )
        )
    return out


def _credentials(s: GoogleSettings, now: datetime) -> list[CheckResult]:
    if s.mode in ("service_account", "delegation"):
        info = service_account_info(s)
        who = s.subject if s.mode == "delegation" else info.get("client_email", "?")
        return [
            CheckResult(
                "credentials", True, Text("Kunci service account terbaca; bertindak sebagai {who}.", who=who),
                severity="info",
            )
        ]
    out: list[CheckResult] = []
    if not s.credentials_file.is_file():
        out.append(
            CheckResult(
                "credentials",
                False,
                Text("Client secrets OAuth tidak ada di {file}.", file=str(s.credentials_file)),
                Text("Unduh client OAuth tipe 'Desktop app' (hanya perlu untuk `sheets-sync auth login`)."),
                "warning",
            )
        )
    if not s.token_file.is_file():
        out.append(
            CheckResult(
                "token", False, Text("Token OAuth belum ada di {file}.", file=str(s.token_file)), LOGIN
            )
        )
        return out
    mode = stat.S_IMODE(s.token_file.stat().st_mode)
    if mode & 0o077:
        out.append(
            CheckResult(
                "token.permissions",
                False,
                Text("Berkas token bisa dibaca pengguna lain ({mode}).", mode=oct(mode)),
                f"chmod 600 {s.token_file}",
            )
        )
    try:
        info = json.loads(s.token_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [*out, CheckResult("token", False, Text("Berkas token rusak."), LOGIN_AGAIN)]
    if not info.get("refresh_token"):
        out.append(
            CheckResult(
                "token",
                False,
                Text("Token tidak punya refresh token: akses berhenti setelah 1 jam."),
                LOGIN_AGAIN,
            )
        )
        return out
    expiry = token_expiry(s)
    if expiry is None:
        found = Text("Token OAuth ada dengan refresh token.")
    elif expiry < now:
        found = Text("Token OAuth ada dengan refresh token; access token berlaku s.d. {expiry} UTC (sudah lewat; "
                     "akan diperbarui otomatis).", expiry=expiry.strftime("%Y-%m-%d %H:%M"))
    else:
        found = Text("Token OAuth ada dengan refresh token; access token berlaku s.d. {expiry} UTC.",
                     expiry=expiry.strftime("%Y-%m-%d %H:%M"))
    out.append(
        CheckResult(
            "token",
            True,
            found,
            Text("Pastikan OAuth consent screen berstatus 'In production' (status 'Testing' membuat "
                 "refresh token kedaluwarsa setelah 7 hari)."),
            "info",
        )
    )
    return out


def _folder(b: GoogleBackend, key: str, folder_id: str, *, need_shared: bool) -> list[CheckResult]:
    params = {"supportsAllDrives": "true", "fields": "id,name,mimeType,driveId,trashed"}
    meta = b.transport.drive("get", f"{DRIVE}/files/{folder_id}", Text("memeriksa folder google.{key}", key=key),
                               params=params)
    if meta.get("mimeType") != FOLDER_MIME or meta.get("trashed"):
        return [
            CheckResult(
                key,
                False,
                Text("google.{key} ({folder}) bukan folder aktif.", key=key, folder=folder_id),
                Text("Isi dengan ID/tautan folder Google Drive yang benar."),
            )
        ]
    if need_shared and not meta.get("driveId"):
        return [CheckResult(key, False, Text("Folder “{name}” ada di My Drive, bukan Shared drive.",
                                             name=str(meta.get("name", ""))), QUOTA_FIX)]
    return [CheckResult(key, True, Text("Folder “{name}” dapat diakses.", name=str(meta.get("name", ""))),
                        severity="info")]


def _form(b: GoogleBackend, form: FormToCheck) -> list[CheckResult]:
    from sheets_sync.backends.google.drive import is_inherited, list_permissions

    out: list[CheckResult] = []
    allowed = {e.lower() for e in form.editors} | {b.identity(), b.settings.coordinator_email.lower()}
    extra = sorted(
        str(p.get("emailAddress", p.get("type")))
        for p in list_permissions(b.transport, form.form_id)
        if p.get("role") != "owner" and not is_inherited(p) and str(p.get("emailAddress", "")).lower() not in allowed
    )
    if extra:
        out.append(
            CheckResult(
                f"sharing.{form.unit}",
                False,
                Text("Formulir {unit} juga dibagikan ke: {addresses}.", unit=form.unit, addresses=", ".join(extra)),
                Text("Hapus akses itu (Share), atau tambahkan alamatnya di tab Bidang jika memang editor."),
                "warning",
            )
        )
    else:
        out.append(
            CheckResult(f"sharing.{form.unit}", True,
                        Text("Akses ke formulir {unit} sesuai dengan tab Bidang.", unit=form.unit), severity="info")
        )
    fields = "sheets(properties(title),protectedRanges(description,editors))"
    meta = b.transport.call(
        "read",
        Text("memeriksa proteksi {unit}", unit=form.unit),
        lambda h: h.spreadsheets_get(form.form_id, {"fields": fields}),
        form_id=form.form_id,
    )
    ours = [
        (s["properties"]["title"], p)
        for s in meta.get("sheets", [])
        for p in s.get("protectedRanges", [])
        if str(p.get("description", "")).startswith(PREFIX)
    ]
    if not ours:
        out.append(
            CheckResult(
                f"protection.{form.unit}",
                False,
                Text("Formulir {unit} belum punya proteksi target.", unit=form.unit),
                Text("Jalankan `sheets-sync provision` untuk periode berjalan."),
                "warning",
            )
        )
    loose = sorted(
        {
            f"{tab}: {u}"
            for tab, p in ours
            for u in p.get("editors", {}).get("users", [])
            if u.lower() not in {b.identity(), b.settings.coordinator_email.lower()} | {e.lower() for e in form.editors}
        }
    )
    if loose:
        out.append(
            CheckResult(
                f"protection.{form.unit}",
                False,
                Text("Rentang target {unit} bisa diubah oleh: {editors}.", unit=form.unit, editors=", ".join(loose)),
                Text("Jalankan `sheets-sync provision` lagi untuk memulihkan proteksi."),
            )
        )
    elif ours:
        out.append(CheckResult(f"protection.{form.unit}", True, Text("Proteksi target {unit} utuh.", unit=form.unit),
                               severity="info"))
    return out


def doctor(
    settings: GoogleSettings,
    *,
    backend: GoogleBackend | None = None,
    forms: Sequence[FormToCheck] = (),
    now: datetime | None = None,
) -> list[CheckResult]:
    """Run every check (nothing is changed) and return the results in order."""
    moment = now or datetime.now(UTC)
    results = _config(settings) + _guard("credentials", lambda: _credentials(settings, moment))
    if any(not r.ok and r.severity == "error" for r in results):
        return results
    if backend is None:
        from sheets_sync.backends.google.backend import GoogleBackend

        backend = GoogleBackend(settings)
    b = backend
    need_shared = settings.mode == "service_account"
    results += _guard(
        "identity",
        lambda: [CheckResult("identity", True, Text("Terhubung sebagai {who}.", who=b.identity()), severity="info")],
    )
    results += _guard("folder_id", lambda: _folder(b, "folder_id", settings.folder_id, need_shared=need_shared))
    if settings.documents_folder_id:
        results += _guard(
            "documents_folder_id",
            lambda: _folder(b, "documents_folder_id", settings.documents_folder_id, need_shared=need_shared),
        )
    if settings.control_spreadsheet:
        results += _guard(
            "control_spreadsheet",
            lambda: [
                CheckResult(
                    "control_spreadsheet",
                    True,
                    Text("Spreadsheet kendali “{title}” dapat dibuka.",
                         title=b.open_form(settings.control_spreadsheet).title),
                    severity="info",
                )
            ],
        )
    for form in forms:
        results += _guard(f"form.{form.unit}", partial(_form, b, form))
    return results
