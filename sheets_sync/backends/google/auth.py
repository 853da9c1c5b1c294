"""Identity modes of the Google backend and ``sheets-sync auth login``.

=================  ==========================================================================
``mode``           credentials
=================  ==========================================================================
service_account    ``credentials_file`` = a service-account key (JSON).  Forms live in a folder
                   on a **shared drive** where the account is *Content manager* (a service
                   account has no My Drive storage: 403 ``storageQuotaExceeded``).
oauth              ``credentials_file`` = OAuth client secrets ("Desktop app");
                   ``sheets-sync auth login`` runs the installed-app flow once and stores the
                   token in ``token_file`` (mode 0600).  The consent screen must be
                   **In production**, or Google expires refresh tokens after 7 days.
delegation         ``credentials_file`` = a service-account key with domain-wide delegation;
                   ``subject`` = the Workspace user the service acts as.
=================  ==========================================================================

Adopting spreadsheets created by people works in every mode: share them with the identity.
Nothing here logs or returns a token or key.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from google.auth.credentials import Credentials

from sheets_sync.config.google import GoogleSettings
from sheets_sync.errors import AccessDenied, ConfigError
from sheets_sync.texts import Text

log = logging.getLogger(__name__)

SCOPES: tuple[str, ...] = (
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive",
)
PRODUCTION_WARNING = (
    "The OAuth consent screen of this client must be published ('In production'); while it is in "
    "'Testing', Google expires the refresh token after 7 days and sheets-sync stops with invalid_grant. "
    "/ Status OAuth consent screen harus 'In production'; dalam status 'Testing' token kedaluwarsa "
    "setelah 7 hari."
)


def _read_json(path: Path, key: str, settings: GoogleSettings) -> dict[str, Any]:
    where = _where(settings)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            Text("{where}: google.{key}: berkas '{path}' tidak ada", where=where, key=key, path=str(path)),
            fix=Text('letakkan berkasnya di sana atau perbaiki google.{key} (contoh: {key} = "{example}")', key=key,
                     example="/etc/sheets-sync/sa.json"),
        ) from None
    except PermissionError:
        raise ConfigError(
            Text("{where}: google.{key}: berkas '{path}' tidak dapat dibaca oleh pengguna ini", where=where, key=key,
                 path=str(path)),
            fix=Text("jalankan `chmod 600 {path}` dan jadikan berkas itu milik pengguna yang menjalankan sheets-sync",
                     path=str(path)),
        ) from None
    except ValueError:
        raise ConfigError(
            Text("{where}: google.{key}: berkas '{path}' bukan JSON", where=where, key=key, path=str(path)),
            fix=Text("unduh lagi berkas kunci/klien ({console})",
                     console="Google Cloud Console → APIs & Services → Credentials"),
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(Text("{where}: google.{key}: '{path}' bukan objek JSON", where=where, key=key,
                               path=str(path)))
    return data


def _where(settings: GoogleSettings) -> str | Text:
    """The config file the settings came from, for the start of a message."""
    return str(settings.source) if settings.source else Text("konfigurasi")


def service_account_info(settings: GoogleSettings) -> dict[str, Any]:
    """The service-account key JSON, checked to be one (not OAuth client secrets)."""
    info = _read_json(settings.credentials_file, "credentials_file", settings)
    if info.get("type") != "service_account":
        is_client = "installed" in info or "web" in info
        found = (Text("berkas ini {kind}", kind="OAuth client secrets") if is_client
                 else Text("berkas ini bukan kunci service account"))
        raise ConfigError(
            Text('{where}: google.credentials_file: {found} (mode = "{mode}" memerlukan kunci service account)',
                 where=_where(settings), found=found, mode=settings.mode),
            fix=Text("pakai berkas JSON kunci service account, atau setel {oauth} untuk {kind}",
                     oauth='mode = "oauth"', kind="OAuth client secrets"),
        )
    return info


def identity_email(settings: GoogleSettings) -> str:
    """Who the backend acts as, without any network call ("" for oauth: known after login)."""
    if settings.mode == "delegation":
        return settings.subject
    if settings.mode == "service_account":
        return str(service_account_info(settings).get("client_email", ""))
    return ""


def load_credentials(settings: GoogleSettings) -> Credentials:
    """Build google-auth credentials for ``settings.mode`` (reads files, no network)."""
    if settings.mode in ("service_account", "delegation"):
        from google.oauth2 import service_account

        sa = service_account.Credentials.from_service_account_info(service_account_info(settings), scopes=list(SCOPES))
        return sa.with_subject(settings.subject) if settings.mode == "delegation" else sa
    from google.oauth2.credentials import Credentials as UserCredentials

    if not settings.token_file.exists():
        raise AccessDenied(
            f'no OAuth token at {settings.token_file} (mode = "oauth")',
            fix="run `sheets-sync auth login` once on a machine with a browser, then copy the token file",
        )
    info = _read_json(settings.token_file, "token_file", settings)
    creds: Credentials = UserCredentials.from_authorized_user_info(info, list(SCOPES))
    return creds


def token_expiry(settings: GoogleSettings) -> datetime | None:
    """Expiry of the stored OAuth access token (aware UTC), None when unknown or not oauth."""
    if settings.mode != "oauth" or not settings.token_file.exists():
        return None
    try:
        info = json.loads(settings.token_file.read_text(encoding="utf-8"))
        raw = info.get("expiry")
        if not raw:
            return None
        stamp = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except (OSError, ValueError, AttributeError):
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by the owner only (0600; parent folder 0700 if created)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)
    os.chmod(path, 0o600)


@dataclass(frozen=True)
class LoginResult:
    """Outcome of :func:`auth_login`: where the token went and what the operator must know."""

    token_file: Path
    warnings: tuple[str, ...] = field(default_factory=tuple)


FlowFactory = Callable[[Path, list[str]], Any]


def _default_flow(client_secrets: Path, scopes: list[str]) -> Any:
    from google_auth_oauthlib.flow import InstalledAppFlow

    return InstalledAppFlow.from_client_secrets_file(str(client_secrets), scopes=scopes)


def auth_login(
    settings: GoogleSettings,
    *,
    flow_factory: FlowFactory | None = None,
    open_browser: bool = True,
    port: int = 0,
) -> LoginResult:
    """Run the installed-app OAuth flow and store the token in ``settings.token_file`` (0600).

    Only for ``mode = "oauth"``.  Returns warnings to print (always the "In production" reminder;
    also when Google returned no refresh token).  The token itself is never printed or logged.
    """
    if settings.mode != "oauth":
        raise ConfigError(
            Text('{where}: google.mode: `auth login` memerlukan {oauth} (sekarang mode = "{mode}")',
                 where=_where(settings), oauth='mode = "oauth"', mode=settings.mode),
            fix=Text('setel {oauth} dan `credentials_file` = berkas JSON {kind} ("Desktop app")',
                     oauth='mode = "oauth"', kind="OAuth client secrets"),
        )
    secrets = _read_json(settings.credentials_file, "credentials_file", settings)
    if "installed" not in secrets and "web" not in secrets:
        raise ConfigError(
            Text("{where}: google.credentials_file: berkas ini bukan {kind}", where=_where(settings),
                 kind="OAuth client secrets"),
            fix=Text("buat OAuth client berjenis {app} di Google Cloud Console lalu unduh berkas JSON-nya",
                     app="'Desktop app'"),
        )
    flow = (flow_factory or _default_flow)(settings.credentials_file, list(SCOPES))
    creds = flow.run_local_server(port=port, open_browser=open_browser)
    write_private(settings.token_file, creds.to_json())
    warnings = [PRODUCTION_WARNING]
    if not getattr(creds, "refresh_token", None):
        warnings.append(
            "Google returned no refresh token: remove sheets-sync's access at "
            "https://myaccount.google.com/permissions and run `sheets-sync auth login` again."
        )
    for w in warnings:
        log.warning("%s", w)
    log.info("OAuth token stored in %s (mode 0600)", settings.token_file)
    return LoginResult(settings.token_file, tuple(warnings))
