"""Configuration: one TOML file, validated up front.

Where it comes from, first match wins: ``-c/--config PATH``, the ``SHEETS_SYNC_CONFIG`` environment
variable, ``./sheets-sync.toml``.  Relative paths inside the file are relative to the file's folder.
Every problem is reported as one :class:`~sheets_sync.errors.ConfigError` naming the file, the key
and a valid example; unknown keys are errors too (a typo must not silently fall back to a default).
``config/sheets-sync.example.toml`` documents every key.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sheets_sync.core.plan import ReminderSettings
from sheets_sync.errors import ConfigError
from sheets_sync.model import Office

DEFAULT_NAME = "sheets-sync.toml"
T = TypeVar("T")


class _Table:
    """One TOML table being read; remembers which keys were used so leftovers are reported."""

    def __init__(self, data: Mapping[str, Any], section: str, source: str) -> None:
        if not isinstance(data, Mapping):
            raise ConfigError(f"{source}: [{section}] must be a table", fix=f"write it as a [{section}] section")
        self.data, self.section, self.source = data, section, source
        self.used: set[str] = set()

    def fail(self, key: str, problem: str, example: str) -> ConfigError:
        return ConfigError(f"{self.source}: [{self.section}] {key}: {problem}", fix=f"for example: {example}")

    def get(self, key: str, kind: type[T] | tuple[type, ...], default: Any, example: str,
            choices: Sequence[Any] = ()) -> Any:
        self.used.add(key)
        if key not in self.data:
            if default is _REQUIRED:
                raise self.fail(key, "is missing", example)
            return default
        value = self.data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            raise self.fail(key, f"{value!r} has the wrong type", example)
        if not isinstance(value, kinds):
            if float in kinds and isinstance(value, int):
                value = float(value)
            else:
                raise self.fail(key, f"{value!r} has the wrong type", example)
        if choices and value not in choices:
            raise self.fail(key, f"{value!r} is not one of {', '.join(map(repr, choices))}", example)
        return value

    def done(self) -> None:
        extra = sorted(set(self.data) - self.used)
        if extra:
            near = difflib.get_close_matches(extra[0], sorted(self.used), n=1) or sorted(self.used)[:1]
            raise ConfigError(
                f"{self.source}: [{self.section}] unknown key {extra[0]!r}",
                fix="remove it or check the spelling against config/sheets-sync.example.toml"
                + (f", for example: [{self.section}] {near[0]} = ..." if near else ""),
            )


_REQUIRED = object()


@dataclass(frozen=True)
class Signatory:
    """Who signs documents: ``prefix`` is "", "a.n.", "Plt." or "Plh."."""

    jabatan: str = "Kepala Badan"
    nama: str = ""
    pangkat: str = ""
    nip: str = ""
    prefix: str = ""
    atas_nama: str = ""  # with prefix "a.n.": the office head's jabatan signed on behalf of


@dataclass(frozen=True)
class DocumentSettings:
    output: Path
    paper: str = "A4"
    font: str = "Arial"
    font_size: int = 11
    letter_pattern: str = "000.8.3.3/{nomor}/{singkatan}/{tahun}"
    templates: Path | None = None  # folder of edited templates; None = the shipped ones
    signatory: Signatory = field(default_factory=Signatory)
    recipient: str = "Bupati Sukamaju"  # Yth. ... of the surat pengantar


@dataclass(frozen=True)
class RuleSettings:
    negatif_variant: str = "A"
    cap: float | None = 120.0
    predikat_scale: str = "permendagri86"
    require_bukti: bool = False
    include_qualitative: bool = False


@dataclass(frozen=True)
class SMTPSettings:
    host: str = "localhost"
    port: int = 587
    security: str = "starttls"  # starttls | ssl | none
    username: str = ""
    password_env: str = "SHEETS_SYNC_SMTP_PASSWORD"  # the password itself never sits in the file
    timeout: float = 30.0
    max_attempts: int = 8


@dataclass(frozen=True)
class NotifySettings:
    kind: str = "outbox"  # outbox | smtp
    outbox: Path = Path("outbox")
    sender: str = "sheets-sync <sheets-sync@localhost>"
    coordinator: tuple[str, ...] = ()  # Kasubbag PPKP
    sekretaris: tuple[str, ...] = ()  # escalation after the deadline
    templates: Path | None = None
    smtp: SMTPSettings = field(default_factory=SMTPSettings)


@dataclass(frozen=True)
class ScheduleSettings:
    poll_minutes: int = 15
    digest_time: time = time(7, 30)
    log_format: str = "text"  # text | json
    log_level: str = "INFO"


@dataclass(frozen=True)
class Settings:
    """Everything sheets-sync reads from the config file."""

    source: Path
    office: Office
    backend: str
    forms_folder: Path
    control: str  # local: path of the control workbook; google: spreadsheet id/URL
    store_url: str
    documents: DocumentSettings
    rules: RuleSettings
    notify: NotifySettings
    reminders: ReminderSettings
    schedule: ScheduleSettings
    google: Any = None  # GoogleSettings when backend == "google"

    @property
    def base(self) -> Path:
        return self.source.parent


def find_config(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Resolve which config file to use (see module docstring)."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("SHEETS_SYNC_CONFIG")
    if env:
        return Path(env)
    return Path.cwd() / DEFAULT_NAME


def load(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read and validate a config file; raise ConfigError (exit code 2) on any problem."""
    file = find_config(path)
    if not file.exists():
        raise ConfigError(
            f"config file {file} not found",
            fix="run `sheets-sync init DIR --example bkpsdm` or pass -c PATH / set SHEETS_SYNC_CONFIG",
        )
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: not valid TOML ({exc})", fix='write keys as key = "value"') from exc
    return parse(data, file.resolve())


def _path(base: Path, value: str) -> Path:
    p = Path(os.path.expanduser(value))
    return p if p.is_absolute() else base / p


def _time(t: _Table, key: str, default: time) -> time:
    text = t.get(key, str, None, f'{key} = "{default.strftime("%H:%M")}"')
    if text is None:
        return default
    m = re.fullmatch(r"([01]?\d|2[0-3])[:.]([0-5]\d)", text.strip())
    if not m:
        raise t.fail(key, f"{text!r} is not a time of day", f'{key} = "07:30"')
    return time(int(m.group(1)), int(m.group(2)))


def _emails(t: _Table, key: str) -> tuple[str, ...]:
    value = t.get(key, (list, str), [], f'{key} = ["kasubbag.ppkp@kab.example"]')
    items = [value] if isinstance(value, str) else value
    for e in items:
        if not isinstance(e, str) or not re.fullmatch(r"[^@\s,<>]+@[^@\s,<>]+\.[^@\s,<>]+", e):
            raise t.fail(key, f"{e!r} is not an e-mail address", f'{key} = ["kasubbag.ppkp@kab.example"]')
    return tuple(items)


def parse(data: Mapping[str, Any], file: Path) -> Settings:
    """Validate parsed TOML ``data`` read from ``file``."""
    src = str(file)
    base = file.parent
    sections = {"office", "backend", "store", "documents", "signatory", "rules", "notify", "smtp",
                "reminders", "schedule", "google"}
    for key in data:
        if key not in sections:
            near = difflib.get_close_matches(key, sorted(sections), n=1) or ["office"]
            raise ConfigError(f"{src}: unknown section [{key}]",
                              fix=f"use one of: {', '.join(sorted(sections))}, for example: [{near[0]}]")

    o = _Table(data.get("office", {}), "office", src)
    tz = o.get("timezone", str, "Asia/Jakarta", 'timezone = "Asia/Makassar"  # WIB Asia/Jakarta, WITA, WIT')
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise o.fail("timezone", f"{tz!r} is not a known time zone", 'timezone = "Asia/Makassar"') from exc
    office = Office(
        pemerintah=o.get("pemerintah", str, _REQUIRED, 'pemerintah = "PEMERINTAH KABUPATEN SUKAMAJU"'),
        instansi=o.get("instansi", str, _REQUIRED, 'instansi = "Badan Kepegawaian dan Pengembangan SDM"'),
        singkatan=o.get("singkatan", str, _REQUIRED, 'singkatan = "BKPSDM"'),
        kota=o.get("kota", str, _REQUIRED, 'kota = "Sukamaju"'),
        alamat=o.get("alamat", str, "", 'alamat = "Jl. Merdeka No. 1, Sukamaju"'),
        timezone=tz,
        tahun=o.get("tahun", int, 2025, "tahun = 2025"),
        telepon=o.get("telepon", str, "", 'telepon = "(0556) 21234"'),
        email=o.get("email", str, "", 'email = "bkpsdm@sukamaju.example"'),
        laman=o.get("laman", str, "", 'laman = "bkpsdm.sukamaju.example"'),
    )
    o.done()

    b = _Table(data.get("backend", {}), "backend", src)
    kind = b.get("kind", str, "local", 'kind = "local"', ("local", "google", "memory"))
    forms_folder = _path(base, b.get("folder", str, "forms", 'folder = "forms"'))
    control = b.get("control", str, "Kendali Data Kinerja.xlsx", 'control = "Kendali Data Kinerja.xlsx"')
    b.done()
    if kind == "local":
        control = str(_path(base, control))

    s = _Table(data.get("store", {}), "store", src)
    url = s.get("url", str, "sqlite:///data/sheets-sync.sqlite3", 'url = "sqlite:///data/sheets-sync.sqlite3"')
    s.done()
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and ":memory:" not in url:
        url = "sqlite:///" + str(_path(base, url.removeprefix("sqlite:///")))
    elif not re.match(r"^[a-z]+://", url) and url != ":memory:":
        url = "sqlite:///" + str(_path(base, url))

    sg = _Table(data.get("signatory", {}), "signatory", src)
    signatory = Signatory(
        jabatan=sg.get("jabatan", str, "Kepala Badan", 'jabatan = "Kepala Badan"'),
        nama=sg.get("nama", str, "", 'nama = "H. Sura\'i, S.Sos., M.A.P."'),
        pangkat=sg.get("pangkat", str, "", 'pangkat = "Pembina Utama Muda (IV/c)"'),
        nip=sg.get("nip", str, "", 'nip = "196901032003121005"'),
        prefix=sg.get("prefix", str, "", 'prefix = "Plt."', ("", "a.n.", "Plt.", "Plh.")),
        atas_nama=sg.get("atas_nama", str, "", 'atas_nama = "Kepala Badan"'),
    )
    sg.done()
    if signatory.nip and not re.fullmatch(r"\d{18}", signatory.nip.replace(" ", "")):
        raise sg.fail("nip", f"{signatory.nip!r} is not an 18-digit NIP", 'nip = "196901032003121005"')

    d = _Table(data.get("documents", {}), "documents", src)
    tpl = d.get("templates", str, None, 'templates = "report_templates"')
    documents = DocumentSettings(
        output=_path(base, d.get("output", str, "dokumen", 'output = "dokumen"')),
        paper=d.get("paper", str, "A4", 'paper = "F4"', ("A4", "F4")),
        font=d.get("font", str, "Arial", 'font = "Bookman Old Style"'),
        font_size=d.get("font_size", int, 11, "font_size = 11"),
        letter_pattern=d.get("letter_pattern", str, "000.8.3.3/{nomor}/{singkatan}/{tahun}",
                             'letter_pattern = "800/{nomor}/BKPSDM/{tahun}"'),
        templates=_path(base, tpl) if tpl else None,
        signatory=signatory,
        recipient=d.get("recipient", str, "Bupati Sukamaju", 'recipient = "Bupati Sukamaju"'),
    )
    d.done()
    if "{nomor}" not in documents.letter_pattern:
        raise d.fail("letter_pattern", "must contain {nomor}", 'letter_pattern = "800/{nomor}/BKPSDM/{tahun}"')

    r = _Table(data.get("rules", {}), "rules", src)
    cap = r.get("cap", (int, float, bool), 120.0, "cap = 120  # or cap = false for no cap")
    if cap is True:
        raise r.fail("cap", "true is not a number", "cap = 120")
    rules = RuleSettings(
        negatif_variant=r.get("negatif_variant", str, "A", 'negatif_variant = "A"', ("A", "B")),
        cap=None if cap is False else float(cap),
        predikat_scale=r.get("predikat_scale", str, "permendagri86", 'predikat_scale = "permendagri86"',
                             ("permendagri86", "baik", "berhasil")),
        require_bukti=r.get("require_bukti", bool, False, "require_bukti = true"),
        include_qualitative=r.get("include_qualitative", bool, False, "include_qualitative = false"),
    )
    r.done()

    sm = _Table(data.get("smtp", {}), "smtp", src)
    smtp = SMTPSettings(
        host=sm.get("host", str, "localhost", 'host = "smtp.sukamaju.example"'),
        port=sm.get("port", int, 587, "port = 587"),
        security=sm.get("security", str, "starttls", 'security = "starttls"', ("starttls", "ssl", "none")),
        username=sm.get("username", str, "", 'username = "sheets-sync@sukamaju.example"'),
        password_env=sm.get("password_env", str, "SHEETS_SYNC_SMTP_PASSWORD",
                            'password_env = "SHEETS_SYNC_SMTP_PASSWORD"'),
        timeout=sm.get("timeout", float, 30.0, "timeout = 30"),
        max_attempts=sm.get("max_attempts", int, 8, "max_attempts = 8"),
    )
    if "password" in sm.data:
        raise sm.fail("password", "passwords are not kept in the config file",
                      'password_env = "SHEETS_SYNC_SMTP_PASSWORD"  # and export that variable')
    sm.done()

    n = _Table(data.get("notify", {}), "notify", src)
    ntpl = n.get("templates", str, None, 'templates = "email_templates"')
    notify = NotifySettings(
        kind=n.get("kind", str, "outbox", 'kind = "outbox"', ("outbox", "smtp")),
        outbox=_path(base, n.get("outbox", str, "outbox", 'outbox = "outbox"')),
        sender=n.get("sender", str, "sheets-sync <sheets-sync@localhost>",
                     'sender = "Subbag PPKP BKPSDM <ppkp.bkpsdm@sukamaju.example>"'),
        coordinator=_emails(n, "coordinator"),
        sekretaris=_emails(n, "sekretaris"),
        templates=_path(base, ntpl) if ntpl else None,
        smtp=smtp,
    )
    n.done()

    rm = _Table(data.get("reminders", {}), "reminders", src)
    offsets = tuple(rm.get("offsets", list, ["H-3", "H-1", "H", "H+1"], 'offsets = ["H-3", "H-1", "H", "H+1"]'))
    for off in offsets:
        if not isinstance(off, str) or not re.fullmatch(r"H([+-]\d+)?", off.strip()):
            raise rm.fail("offsets", f"{off!r} is not like H-3, H or H+1", 'offsets = ["H-3", "H-1", "H", "H+1"]')
    holidays = []
    for h in rm.get("holidays", list, [], 'holidays = [2025-03-31, 2025-04-01]'):
        if isinstance(h, date):
            holidays.append(h)
        else:
            try:
                holidays.append(date.fromisoformat(str(h)))
            except ValueError as exc:
                raise rm.fail("holidays", f"{h!r} is not a date", "holidays = [2025-03-31]") from exc
    reminders = ReminderSettings(
        offsets=offsets,
        repeat_every_workdays=rm.get("repeat_every_workdays", int, 2, "repeat_every_workdays = 2"),
        escalate_kepala_after=rm.get("escalate_kepala_after", int, 1, "escalate_kepala_after = 1"),
        escalate_sekretaris_after=rm.get("escalate_sekretaris_after", int, 3, "escalate_sekretaris_after = 3"),
        send_time=_time(rm, "send_time", time(8, 0)),
        quiet_start=_time(rm, "quiet_start", time(18, 0)),
        quiet_end=_time(rm, "quiet_end", time(7, 0)),
        holidays=tuple(holidays),
    )
    rm.done()

    sc = _Table(data.get("schedule", {}), "schedule", src)
    schedule = ScheduleSettings(
        poll_minutes=sc.get("poll_minutes", int, 15, "poll_minutes = 15"),
        digest_time=_time(sc, "digest_time", time(7, 30)),
        log_format=sc.get("log_format", str, "text", 'log_format = "json"', ("text", "json")),
        log_level=sc.get("log_level", str, "INFO", 'log_level = "INFO"', ("DEBUG", "INFO", "WARNING", "ERROR")),
    )
    sc.done()
    if schedule.poll_minutes < 1:
        raise sc.fail("poll_minutes", "must be at least 1", "poll_minutes = 15")

    google = None
    if kind == "google" or "google" in data:
        from sheets_sync.config.google import google_settings_from_toml

        google = google_settings_from_toml(data.get("google", {}), source=src)
        if kind == "google":
            # The control spreadsheet of a Google office is named in [google]; [backend] control is
            # the local workbook's path and does not apply.
            if not google.control_spreadsheet:
                raise ConfigError(f"{src}: [google] control_spreadsheet: is missing",
                                  fix='for example: control_spreadsheet = "https://docs.google.com/spreadsheets/d/…/edit"')
            control = google.control_spreadsheet

    return Settings(
        source=file, office=office, backend=kind, forms_folder=forms_folder, control=control,
        store_url=url, documents=documents, rules=rules, notify=notify, reminders=reminders,
        schedule=schedule, google=google,
    )
