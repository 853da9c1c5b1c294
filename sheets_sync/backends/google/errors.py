"""Google API failures → the sheets-sync exception tree, with actionable messages.

:class:`HttpFailure` is a library-neutral view of a failed HTTP exchange (status, Google's
``status``/``reason``, message, ``Retry-After``), built from a ``requests.Response``.
:func:`is_transient` decides what :mod:`google_retry` may retry; :func:`to_error` builds the
:mod:`sheets_sync.errors` exception the caller sees.  Messages are Indonesian (they may reach the
office) with the fix spelled out; they never contain credentials or tokens (:func:`redact`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import requests

from sheets_sync.errors import AccessDenied, BackendError, FormNotFound, SheetsSyncError, TransientError
from sheets_sync.texts import Text

TRANSIENT_STATUS = frozenset({408, 429, 500, 502, 503, 504})
TRANSIENT_REASONS = frozenset({"userRateLimitExceeded", "rateLimitExceeded", "backendError", "internalError"})
QUOTA_REASONS = frozenset({"userRateLimitExceeded", "rateLimitExceeded"})
_SECRET = re.compile(r"(Bearer\s+|access_token[\"'=:\s]+|refresh_token[\"'=:\s]+|ya29\.)[A-Za-z0-9._\-/+]+")

QUOTA_FIX = Text(
    "Service account tidak punya kuota Google Drive (akun yang dibuat sejak 15 April 2025 tidak punya "
    "penyimpanan), jadi tidak bisa membuat berkas di My Drive. Pilih salah satu: "
    "(1) pindahkan folder formulir ke Shared drive, jadikan service account 'Content manager', dan isi "
    "google.folder_id dengan folder itu; "
    '(2) pakai mode = "oauth" (akun pengguna kantor) lalu jalankan `sheets-sync auth login`; '
    '(3) pakai mode = "delegation" dengan subject = akun pengguna Google Workspace (domain-wide '
    "delegation). Alternatif: buat spreadsheet sendiri, bagikan ke service account, dan cantumkan "
    "tautannya di tab Bidang (adopsi)."
)
"""Why a service account cannot create files in My Drive, and the three ways out."""
QUOTA_429_FIX = Text(
    "Kuota Google Sheets dihitung per menit per identitas (60 baca dan 60 tulis per menit per pengguna). "
    "Biasanya kuota dihabiskan oleh proses lain yang memakai identitas yang sama: sheets-sync kedua "
    "(mis. `run` dan `poll` bersamaan), skrip Apps Script/Python, atau add-on. Hentikan pemakai lain atau "
    "beri mereka service account sendiri, atau turunkan google.reads_per_minute / google.writes_per_minute. "
    "Formulir yang gagal dibaca ditandai usang dan dibaca lebih dulu pada siklus berikutnya."
)
GRANT_FIX = Text(
    "Jalankan `sheets-sync auth login` lagi untuk masuk ulang. Jika ini terjadi tiap 7 hari, ubah status "
    "OAuth consent screen di Google Cloud Console menjadi 'In production' (status 'Testing' membuat "
    "refresh token kedaluwarsa setelah 7 hari). Untuk service account: periksa bahwa kuncinya belum dihapus "
    "dan jam server benar."
)


def redact(text: str) -> str:
    """Remove anything that looks like a bearer/access/refresh token from ``text``."""
    return _SECRET.sub(lambda m: m.group(1) + "[disembunyikan]", text)


@dataclass(eq=False)
class HttpFailure(Exception):
    """A failed Google API exchange, independent of the client library (raised internally)."""

    status: int
    api_status: str = ""
    reason: str = ""
    message: str = ""
    retry_after: float | None = None

    @classmethod
    def from_response(cls, response: requests.Response) -> HttpFailure:
        """Parse Google's error envelope ``{"error": {"code", "message", "status", "errors"}}``."""
        api_status = reason = ""
        message = response.reason or ""
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            err = body.get("error")
            if isinstance(err, dict):
                message = str(err.get("message", message))
                api_status = str(err.get("status", ""))
                errors = err.get("errors")
                if isinstance(errors, list) and errors and isinstance(errors[0], dict):
                    reason = str(errors[0].get("reason", ""))
                for detail in err.get("details", []) or []:
                    if isinstance(detail, dict) and detail.get("reason") and not reason:
                        reason = str(detail["reason"])
            elif isinstance(err, str):  # OAuth token endpoint: {"error": "invalid_grant"}
                reason = err
                message = str(body.get("error_description", err))
        retry_after: float | None = None
        header = response.headers.get("Retry-After")
        if header:
            try:
                retry_after = float(header)
            except ValueError:
                retry_after = None
        return cls(response.status_code, api_status, reason, redact(message), retry_after)

    def __str__(self) -> str:
        bits = [f"HTTP {self.status}"]
        if self.reason or self.api_status:
            bits.append(self.reason or self.api_status)
        if self.message:
            bits.append(self.message)
        return " ".join(bits)


def is_transient(f: HttpFailure) -> bool:
    """429, 5xx, 408 and Drive's 403 rate-limit reasons are worth retrying; everything else is not."""
    return f.status in TRANSIENT_STATUS or (f.status == 403 and f.reason in TRANSIENT_REASONS)


def _form(title: str | None, form_id: str | None) -> Text:
    if title and form_id:
        return Text("formulir '{title}' (id {id})", title=title, id=form_id)
    if title:
        return Text("formulir '{title}'", title=title)
    if form_id:
        return Text("spreadsheet/berkas id {id}", id=form_id)
    return Text("berkas Google")


def to_error(
    f: HttpFailure,
    *,
    what: str | Text,
    title: str | None = None,
    form_id: str | None = None,
    identity: str = "",
) -> SheetsSyncError:
    """The sheets-sync exception for a permanent failure ``f`` while doing ``what``."""
    who: str | Text = identity or Text("identitas layanan (service account/akun yang dikonfigurasi)")
    target = _form(title, form_id)
    failure = str(f)
    if f.reason == "storageQuotaExceeded":
        return AccessDenied(Text("Gagal {what}: Google Drive menolak (403 storageQuotaExceeded).", what=what),
                            fix=QUOTA_FIX)
    if f.reason == "invalid_grant" or (f.status == 401 and "invalid_grant" in f.message):
        return AccessDenied(Text("Gagal {what}: kredensial Google ditolak ({reason}: {detail}).", what=what,
                                 reason="invalid_grant", detail=f.message), fix=GRANT_FIX)
    if f.status == 404:
        return FormNotFound(
            Text("Gagal {what}: {target} tidak ditemukan di Google (404).", what=what, target=target),
            fix=Text(
                "Periksa tautan formulir di tab Bidang. Jika berkas terhapus, pulihkan dari Sampah "
                "(Trash) atau kosongkan tautannya lalu jalankan provision lagi. Jika berkas ada, "
                "bagikan ke {who} sebagai Editor.", who=who
            ),
        )
    if f.status == 400 and "Unable to parse range" in f.message:
        return FormNotFound(
            Text("Gagal {what}: tab yang diminta tidak ada di {target} ({detail}).", what=what, target=target,
                 detail=f.message),
            fix=Text("Kembalikan nama tab seperti semula (mis. TW1) atau jalankan provision lagi untuk periode ini."),
        )
    if f.status in (401, 403):
        return AccessDenied(
            Text("Gagal {what}: akses ke {target} ditolak ({failure}).", what=what, target=target, failure=failure),
            fix=Text(
                "Bagikan berkas/folder itu ke {who} sebagai Editor (Share → Editor), atau jadikan "
                "identitas itu 'Content manager' di Shared drive. Periksa juga google.mode dan "
                "google.credentials_file.", who=who
            ),
        )
    if f.status == 400:
        return BackendError(
            Text("Gagal {what}: Google menolak permintaan ({failure}).", what=what, failure=failure),
            fix=Text("Ini kemungkinan bug sheets-sync atau rentang/tab yang tidak sah; laporkan pesan ini ke "
                     "operator."),
        )
    if f.status == 429 or f.reason in QUOTA_REASONS:
        return TransientError(Text("Gagal {what}: kuota Google untuk identitas ini habis ({failure}).", what=what,
                                   failure=failure), fix=QUOTA_429_FIX)
    if is_transient(f):
        return TransientError(
            Text("Gagal {what}: Google sedang sibuk atau gangguan sementara ({failure}).", what=what,
                 failure=failure),
            fix=Text("Tidak perlu tindakan: siklus berikutnya akan mencoba lagi. Jika terus berulang, kurangi "
                     "google.reads_per_minute atau periksa status Google Workspace."),
        )
    return BackendError(Text("Gagal {what}: {failure}.", what=what, failure=failure),
                        fix=Text("Periksa koneksi dan konfigurasi [google], lalu coba lagi."))


def transport_error(what: str | Text, cause: BaseException, attempts: int) -> TransientError:
    """A timeout/connection failure (or a transient HTTP failure) that survived every retry."""
    detail = str(cause) if isinstance(cause, HttpFailure | TransientError) else type(cause).__name__
    quota = isinstance(cause, HttpFailure) and (cause.status == 429 or cause.reason in QUOTA_REASONS)
    if quota:
        return TransientError(
            Text("Gagal {what} setelah {attempts} percobaan: kuota Google habis ({detail}).", what=what,
                 attempts=attempts, detail=redact(detail)), fix=QUOTA_429_FIX
        )
    return TransientError(
        Text("Gagal {what} setelah {attempts} percobaan: {detail}.", what=what, attempts=attempts,
             detail=redact(detail)),
        fix=Text("Tidak perlu tindakan: siklus berikutnya akan mencoba lagi. Jika terus berulang, periksa koneksi "
                 "internet/proxy atau naikkan google.timeout_seconds."),
    )


def refresh_failure(what: str | Text, message: str) -> SheetsSyncError:
    """A google-auth ``RefreshError`` (token endpoint refused) as a sheets-sync error."""
    text = redact(message)
    if "invalid_grant" in text or "expired" in text.lower() or "revoked" in text.lower():
        return AccessDenied(Text("Gagal {what}: token Google ditolak ({detail}).", what=what, detail=text),
                            fix=GRANT_FIX)
    return AccessDenied(
        Text("Gagal {what}: tidak bisa memperoleh token Google ({detail}).", what=what, detail=text),
        fix=Text("Periksa google.credentials_file (kunci service account masih aktif?) dan jalankan "
                 "`sheets-sync doctor`."),
    )
