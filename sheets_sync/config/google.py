"""Settings of the Google backend: the ``[google]`` table of the configuration file.

Every bad key raises :class:`~sheets_sync.errors.ConfigError` naming the file, the key
(``google.mode``) and a valid example, so the operator can fix it without reading code::

    [google]
    mode = "service_account"          # or "oauth", "delegation"
    credentials_file = "/etc/sheets-sync/service-account.json"
    folder_id = "https://drive.google.com/drive/folders/0ABcdEfGhIjKlUk9PVA"
    documents_folder_id = "0ABdokumenXYZUk9PVA"
    control_spreadsheet = "https://docs.google.com/spreadsheets/d/1AbC.../edit"
    coordinator_email = "ppkp@bkpsdm.sukamajukab.go.id"

This module imports neither gspread nor google-auth (it is pure and fast).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from sheets_sync.errors import ConfigError
from sheets_sync.texts import Text

Mode = Literal["service_account", "oauth", "delegation"]
MODES: tuple[Mode, ...] = get_args(Mode)
ShareNonGoogle = Literal["notify", "skip"]
SHARE_NON_GOOGLE: tuple[ShareNonGoogle, ...] = get_args(ShareNonGoogle)
DEFAULT_TOKEN_FILE = "~/.config/sheets-sync/token.json"
_DEFAULT_TOKEN_PATH = Path(DEFAULT_TOKEN_FILE).expanduser()

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ID = re.compile(r"^[A-Za-z0-9_-]{6,}$")
_SHEET_URL = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")
_FOLDER_URL = re.compile(r"/folders/([A-Za-z0-9_-]+)")
_FILE_URL = re.compile(r"/(?:file|document|presentation|spreadsheets)/d/([A-Za-z0-9_-]+)")
_ID_PARAM = re.compile(r"[?&]id=([A-Za-z0-9_-]+)")

EXAMPLES: dict[str, str] = {
    "mode": '"service_account"  (or "oauth", "delegation")',
    "credentials_file": '"/etc/sheets-sync/service-account.json"',
    "token_file": f'"{DEFAULT_TOKEN_FILE}"',
    "subject": '"ppkp@bkpsdm.sukamajukab.go.id"',
    "folder_id": '"https://drive.google.com/drive/folders/0ABcdEfGhIjKlUk9PVA"',
    "documents_folder_id": '"0ABdokumenXYZUk9PVA"',
    "control_spreadsheet": '"https://docs.google.com/spreadsheets/d/1AbCdEf.../edit"',
    "coordinator_email": '"ppkp@bkpsdm.sukamajukab.go.id"',
    "template_spreadsheet": '"https://docs.google.com/spreadsheets/d/1TeMpLaTe.../edit"',
    "full_sweep_every": "12",
    "overlap_minutes": "5",
    "reads_per_minute": "55",
    "writes_per_minute": "55",
    "timeout_seconds": "30",
    "max_retries": "5",
    "share_non_google": '"notify"  (or "skip")',
}


@dataclass(frozen=True)
class GoogleSettings:
    """Validated ``[google]`` settings.  Ids are stored bare (URLs are reduced to their id).

    ``template_spreadsheet`` (optional, an extension of the documented keys): when set, new bidang
    forms are *copied* from it (Drive ``files.copy``, no comments, no permissions) instead of created
    empty.  ``documents_folder_id`` defaults to ``folder_id``.
    """

    mode: Mode
    credentials_file: Path
    folder_id: str
    token_file: Path = _DEFAULT_TOKEN_PATH
    subject: str = ""
    documents_folder_id: str = ""
    control_spreadsheet: str = ""
    coordinator_email: str = ""
    template_spreadsheet: str = ""
    full_sweep_every: int = 12
    overlap_minutes: int = 5
    reads_per_minute: int = 55
    writes_per_minute: int = 55
    timeout_seconds: float = 30.0
    max_retries: int = 5
    share_non_google: ShareNonGoogle = "notify"
    source: str = ""

    @property
    def documents_folder(self) -> str:
        """Folder receiving published documents (``documents_folder_id`` or the forms folder)."""
        return self.documents_folder_id or self.folder_id


def spreadsheet_id_from_ref(ref: str) -> str | None:
    """The spreadsheet id in a Sheets URL or a bare id; None when ``ref`` is neither."""
    ref = ref.strip()
    m = _SHEET_URL.search(ref)
    if m:
        return m.group(1)
    return ref if _ID.match(ref) else None


def file_id_from_ref(ref: str) -> str | None:
    """The Drive file id in a Drive/Docs link (``/file/d/ID``, ``?id=ID``) or a bare id."""
    ref = ref.strip()
    m = _FILE_URL.search(ref) or _ID_PARAM.search(ref)
    if m:
        return m.group(1)
    return ref if _ID.match(ref) else None


def folder_id_from_ref(ref: str) -> str | None:
    """The folder id in a Drive folder URL or a bare id."""
    ref = ref.strip()
    m = _FOLDER_URL.search(ref)
    if m:
        return m.group(1)
    return ref if _ID.match(ref) else None


def google_settings_from_toml(table: Mapping[str, object], *, source: str) -> GoogleSettings:
    """Validate the ``[google]`` table read from ``source`` and return :class:`GoogleSettings`.

    Raises :class:`ConfigError` for unknown keys, missing required keys, wrong types and values
    out of range; the message names ``source`` and ``google.<key>`` and the fix shows an example.
    """

    def bad(key: str, problem: Text) -> ConfigError:
        return ConfigError(
            Text("{source}: google.{key}: {problem}", source=source, key=key, problem=problem),
            fix=Text("contoh di [google]: {key} = {example}", key=key, example=EXAMPLES.get(key, "...")),
        )

    unknown = sorted(set(table) - set(EXAMPLES))
    if unknown:
        raise ConfigError(
            Text("{source}: kunci google.{key} tidak dikenal", source=source, key=unknown[0]),
            fix=Text("kunci yang sah di [google]: {keys}; mis. mode = {example}", keys=", ".join(EXAMPLES),
                     example=EXAMPLES["mode"]),
        )

    def text(key: str, *, required: bool = False) -> str:
        value = table.get(key)
        if value is None or value == "":
            if required:
                raise bad(key, Text("belum diisi (wajib)"))
            return ""
        if not isinstance(value, str):
            raise bad(key, Text("harus teks di antara tanda kutip, tertulis {value}", value=repr(value)))
        return value.strip()

    def number(key: str, default: float, lo: float, hi: float, *, integer: bool = True) -> float:
        value = table.get(key, default)
        ok_types: tuple[type, ...] = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, ok_types):
            raise bad(key, Text("harus bilangan bulat, tertulis {value}", value=repr(value)) if integer
                      else Text("harus angka, tertulis {value}", value=repr(value)))
        assert isinstance(value, int | float)
        if not lo <= value <= hi:
            raise bad(key, Text("harus antara {low} dan {high}, tertulis {value}", low=format(lo, "g"),
                                high=format(hi, "g"), value=repr(value)))
        return value

    typed = text("mode", required=True)
    mode = next((m for m in MODES if m == typed), None)
    if mode is None:
        raise bad("mode", Text("harus salah satu dari {choices}, tertulis {value}", choices=", ".join(MODES),
                               value=repr(typed)))
    credentials = text("credentials_file", required=True)
    subject = text("subject", required=mode == "delegation")
    if subject and mode != "delegation":
        raise bad("subject", Text('hanya berlaku untuk mode = "delegation" (mode tertulis {mode}); hapus kunci ini',
                                  mode=repr(mode)))
    if subject and not _EMAIL.match(subject):
        raise bad("subject", Text("harus alamat e-mail pengguna Workspace yang diwakili, tertulis {value}",
                                  value=repr(subject)))
    coordinator = text("coordinator_email")
    if coordinator and not _EMAIL.match(coordinator):
        raise bad("coordinator_email", Text("harus alamat e-mail, tertulis {value}", value=repr(coordinator)))

    def ref(key: str, *, required: bool = False, sheet: bool = False) -> str:
        raw = text(key, required=required)
        if not raw:
            return ""
        got = spreadsheet_id_from_ref(raw) if sheet else folder_id_from_ref(raw)
        if got is None:
            raise bad(key, Text("harus id atau tautan spreadsheet, tertulis {value}", value=repr(raw)) if sheet
                      else Text("harus id atau tautan folder Drive, tertulis {value}", value=repr(raw)))
        return got

    token = text("token_file") or DEFAULT_TOKEN_FILE
    typed_share = text("share_non_google") or "notify"
    share_non_google = next((v for v in SHARE_NON_GOOGLE if v == typed_share), None)
    if share_non_google is None:
        raise bad("share_non_google", Text("harus salah satu dari {choices}, tertulis {value}",
                                           choices=", ".join(SHARE_NON_GOOGLE), value=repr(typed_share)))
    return GoogleSettings(
        mode=mode,
        credentials_file=Path(credentials).expanduser(),
        token_file=Path(token).expanduser(),
        subject=subject,
        folder_id=ref("folder_id", required=True),
        documents_folder_id=ref("documents_folder_id"),
        control_spreadsheet=ref("control_spreadsheet", sheet=True),
        coordinator_email=coordinator,
        template_spreadsheet=ref("template_spreadsheet", sheet=True),
        full_sweep_every=int(number("full_sweep_every", 12, 1, 10_000)),
        overlap_minutes=int(number("overlap_minutes", 5, 0, 24 * 60)),
        reads_per_minute=int(number("reads_per_minute", 55, 1, 60)),
        writes_per_minute=int(number("writes_per_minute", 55, 1, 60)),
        timeout_seconds=float(number("timeout_seconds", 30, 1, 600, integer=False)),
        max_retries=int(number("max_retries", 5, 0, 10)),
        share_non_google=share_non_google,
        source=source,
    )
