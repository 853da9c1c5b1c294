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
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any, TypeVar

from sheets_sync.config.google import GoogleSettings, google_settings_from_toml
from sheets_sync.config.laporan import LaporanSettings
from sheets_sync.config.schema import REQUIRED, SECTION_NAMES, SECTIONS, Section, relative_path
from sheets_sync.core.capaian.rules import NegatifVariant, RealisasiNol
from sheets_sync.core.plan import ReminderSettings
from sheets_sync.errors import ConfigError
from sheets_sync.model import Office
from sheets_sync.texts import Text

DEFAULT_NAME = "sheets-sync.toml"
T = TypeVar("T")


class _Table:
    """One TOML table being read; remembers which keys were used so leftovers are reported."""

    def __init__(self, data: Mapping[str, Any], section: str, source: str) -> None:
        if not isinstance(data, Mapping):
            raise ConfigError(Text("{source}: [{section}] harus berupa tabel", source=source, section=section),
                              fix=Text("tulis sebagai bagian [{section}]", section=section))
        self.data, self.section, self.source = data, section, source
        self.used: set[str] = set()

    def fail(self, key: str, problem: str | Text, example: str) -> ConfigError:
        return ConfigError(Text("{source}: [{section}] {key}: {problem}", source=self.source, section=self.section,
                                key=key, problem=problem),
                           fix=Text("contoh: {example}", example=example))

    def get(self, key: str, kind: type[T] | tuple[type, ...], default: Any, example: str,
            choices: Sequence[Any] = ()) -> Any:
        self.used.add(key)
        if key not in self.data:
            if default is REQUIRED:
                raise self.fail(key, Text("belum diisi (wajib)"), example)
            return default
        value = self.data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            raise self.fail(key, Text("jenis nilai {value} salah", value=repr(value)), example)
        if not isinstance(value, kinds):
            if float in kinds and isinstance(value, int):
                value = float(value)
            else:
                raise self.fail(key, Text("jenis nilai {value} salah", value=repr(value)), example)
        if choices and value not in choices:
            raise self.fail(key, Text("{value} bukan salah satu dari {choices}", value=repr(value),
                                      choices=", ".join(map(repr, choices))), example)
        return value

    def done(self) -> None:
        extra = sorted(set(self.data) - self.used)
        if extra:
            near = difflib.get_close_matches(extra[0], sorted(self.used), n=1) or sorted(self.used)[:1]
            fix = Text("hapus kunci itu atau periksa ejaannya pada config/sheets-sync.example.toml")
            if near:
                fix = Text("hapus kunci itu atau periksa ejaannya pada config/sheets-sync.example.toml, "
                           "contoh: [{section}] {near} = ...", section=self.section, near=near[0])
            raise ConfigError(Text("{source}: [{section}] kunci {key} tidak dikenal", source=self.source,
                                   section=self.section, key=repr(extra[0])), fix=fix)


@dataclass(frozen=True)
class Signatory:
    """Who signs documents: ``prefix`` is "", "a.n.", "Plt." or "Plh."."""

    jabatan: str = "Kepala Badan"
    nama: str = ""
    pangkat: str = ""
    nip: str = ""
    prefix: str = ""
    atas_nama: str = ""  # with prefix "a.n.": the office head's jabatan signed on behalf of
    tempat: str = ""  # the place before the date above the signature; "" = [office] kota


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
    recipient_town: str = ""  # the surat pengantar's "di ..." line; "" = [office] kota
    tingkat: tuple[str, ...] = ()  # levels whose tables the Pengukuran Kinerja prints; () = every level present


@dataclass(frozen=True)
class RuleSettings:
    negatif_variant: NegatifVariant = "A"  # checked by the schema's choices
    cap: float | None = 120.0
    predikat_scale: str = "permendagri86"
    require_bukti: bool = False
    include_qualitative: bool = False
    skala: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # office scales: name → bands
    kategori: tuple[str, ...] = ()  # qualitative orders high → low ("WTP > WDP > TW > TMP"); () = shipped
    sinonim: Mapping[str, str] = field(default_factory=dict)  # other spellings → category
    realisasi_nol: RealisasiNol = "hitung"  # hitung | tidak_dihitung (R = 0 against T > 0 on a positif indicator)
    capaian_band: tuple[float, float] | None = (0.0, 300.0)  # plausibility: capaian outside is a warning
    jump_factor: float | None = 10.0  # plausibility: realisasi this many times the previous quarter's

    def to_rules(self) -> Any:
        """The :class:`sheets_sync.core.capaian.Rules` these settings describe (raises ConfigError)."""
        from sheets_sync.core.capaian import Rules
        from sheets_sync.core.capaian.rules import DEFAULT_ORDERS, DEFAULT_SYNONYMS, parse_order, scale_from_bands

        orders = tuple(parse_order(k) for k in self.kategori) or DEFAULT_ORDERS
        return Rules(negatif_variant=self.negatif_variant, cap=self.cap,
                     scale=self.predikat_scale, include_qualitative=self.include_qualitative,
                     qualitative_orders=orders, synonyms={**DEFAULT_SYNONYMS, **self.sinonim},
                     scales={name: scale_from_bands(b, f"skala kantor {name!r}") for name, b in self.skala.items()},
                     realisasi_nol=self.realisasi_nol)


@dataclass(frozen=True)
class SMTPSettings:
    host: str = "localhost"
    port: int = 587
    security: str = "starttls"  # starttls | ssl | none
    username: str = ""
    password_env: str = "SHEETS_SYNC_SMTP_PASSWORD"  # the password itself never sits in the file
    timeout: float = 30.0
    max_attempts: int = 8
    batch_seconds: float = 120.0  # one delivery batch stops after this; the rest waits for the next


@dataclass(frozen=True)
class NotifySettings:
    kind: str = "outbox"  # outbox | smtp
    outbox: Path = Path("outbox")
    sender: str = "sheets-sync <sheets-sync@localhost>"
    coordinator: tuple[str, ...] = ()  # Kasubbag PPKP
    sekretaris: tuple[str, ...] = ()  # escalation after the deadline
    templates: Path | None = None
    smtp: SMTPSettings = field(default_factory=SMTPSettings)
    send_from_commands: bool = True  # provision/approve by hand deliver their e-mails at once (False: `run` does)


@dataclass(frozen=True)
class ScheduleSettings:
    poll_minutes: int = 15
    digest_time: time = time(7, 30)
    log_format: str = "text"  # text | json
    log_level: str = "INFO"


@dataclass(frozen=True)
class LocalSettings:
    """``[backend]`` keys of the local backend: a full sweep (every form re-read, whatever its file
    time says) every ``full_sweep_every`` polls and at every ``run --once``; ``file_mode`` for files
    sheets-sync creates (None: what the umask allows; existing files keep theirs); ``link_base``:
    what staff PCs call the forms folder (``\\\\server\\kinerja\\forms\\``), used in links instead of
    the server's own path."""

    full_sweep_every: int = 12
    file_mode: int | None = None
    link_base: str = ""


@dataclass(frozen=True)
class BackupSettings:
    """``[store] backup_dir / backup_keep / backup_time``: the daily automatic copy of the store."""

    folder: Path | None = None  # None: a ``backup`` folder next to the SQLite file
    keep: int = 14  # automatic copies kept (the oldest are removed); 0 turns the daily copy off
    at: time = time(6, 0)


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
    google: GoogleSettings | None = None  # when backend == "google" or the file has a [google] table
    laporan: LaporanSettings = field(default_factory=LaporanSettings)  # [laporan]: review loop, distribution
    local: LocalSettings = field(default_factory=LocalSettings)
    backup: BackupSettings = field(default_factory=BackupSettings)

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
            Text("berkas konfigurasi {file} tidak ditemukan", file=str(file)),
            fix=Text("jalankan `sheets-sync init DIR --example bkpsdm`, atau berikan -c PATH / isi SHEETS_SYNC_CONFIG"),
        )
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(Text("{file}: bukan TOML yang sah ({error})", file=str(file), error=str(exc)),
                          fix=Text('tulis setiap kunci sebagai kunci = "nilai"')) from exc
    return parse(data, file.resolve())


def _read(t: _Table, section: Section, base: Path) -> dict[str, Any]:
    """The settings of one section, key → value, each checked and converted as the table says; a
    forbidden or unknown key is an error once the known ones are read."""
    values: dict[str, Any] = {}
    for f in section.fields:
        present = f.key in t.data
        value = t.get(f.key, f.kind, f.default, f.example, f.choices)
        if present and f.check is not None and (problem := f.check(value)) is not None:
            raise t.fail(f.key, problem, f.check_example or f.example)
        values[f.key] = f.convert(value, base) if f.convert is not None else value
    for key, (problem, example) in section.forbidden.items():
        if key in t.data:
            raise t.fail(key, problem, example)
    t.done()
    return values


def _google(data: Mapping[str, Any], kind: str, src: str) -> GoogleSettings | None:
    """The ``[google]`` settings when the Google backend is chosen or the table is present."""
    if kind != "google" and "google" not in data:
        return None
    google = google_settings_from_toml(data.get("google", {}), source=src)
    if kind == "google" and not google.control_spreadsheet:
        # The control spreadsheet of a Google office is named in [google]; [backend] control is
        # the local workbook's path and does not apply.
        raise ConfigError(Text("{source}: [google] control_spreadsheet: belum diisi (wajib)", source=src),
                          fix=Text("contoh: {example}",
                                   example='control_spreadsheet = "https://docs.google.com/spreadsheets/d/…/edit"'))
    return google


def parse(data: Mapping[str, Any], file: Path) -> Settings:
    """Validate parsed TOML ``data`` read from ``file``: the sections of :data:`schema.SECTIONS` in
    order (the first problem found is raised), then ``[google]``."""
    src = str(file)
    base = file.parent
    for key in data:
        if key not in SECTION_NAMES:
            near = difflib.get_close_matches(key, sorted(SECTION_NAMES), n=1) or ["office"]
            raise ConfigError(Text("{source}: bagian [{section}] tidak dikenal", source=src, section=key),
                              fix=Text("pakai salah satu dari: {sections}, contoh: [{near}]",
                                       sections=", ".join(sorted(SECTION_NAMES)), near=near[0]))
    v = {s.name: _read(_Table(data.get(s.name, {}), s.name, src), s, base) for s in SECTIONS}
    kind = v["backend"]["kind"]
    control = str(relative_path(base, v["backend"]["control"])) if kind == "local" else v["backend"]["control"]
    google = _google(data, kind, src)
    if kind == "google" and google is not None:
        control = google.control_spreadsheet
    rules = RuleSettings(**v["rules"])
    try:
        rules.to_rules()
    except ConfigError as exc:
        unknown = exc.message.startswith("skala predikat") and "tidak dikenal" in exc.message
        key = "predikat_scale" if unknown or not rules.skala else "skala"
        raise ConfigError(Text("{source}: [rules] {key}: {problem}", source=src, key=key, problem=exc.text),
                          fix=Text("contoh: {example}",
                                   example='[rules.skala] kantor = ["> 85 Memuaskan", "> 65 Baik", "Kurang"]')
                          ) from exc
    return Settings(
        source=file, office=Office(**v["office"]), backend=kind, forms_folder=v["backend"]["folder"],
        control=control, store_url=v["store"]["url"],
        documents=DocumentSettings(signatory=Signatory(**v["signatory"]), **v["documents"]),
        rules=rules, notify=NotifySettings(smtp=SMTPSettings(**v["smtp"]), **v["notify"]),
        reminders=ReminderSettings(**v["reminders"]), schedule=ScheduleSettings(**v["schedule"]), google=google,
        laporan=LaporanSettings(**v["laporan"]),
        local=LocalSettings(v["backend"]["full_sweep_every"], v["backend"]["file_mode"], v["backend"]["link_base"]),
        backup=BackupSettings(folder=v["store"]["backup_dir"], keep=v["store"]["backup_keep"],
                              at=v["store"]["backup_time"]),
    )
