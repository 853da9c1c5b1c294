"""The configuration's fields as one table: section, key, type, default, example, check.

:data:`SECTIONS` lists every key sheets-sync reads from the TOML file (except ``[google]``, whose
table lives beside :class:`~sheets_sync.config.google.GoogleSettings`), in the order they are read.
Each :class:`Field` says which TOML types it accepts, its default (:data:`REQUIRED` when it has none),
the example shown when it is wrong, the values it may take, a check of what a type cannot say
(a known time zone, an 18-digit NIP) and how the value becomes a setting (a path relative to the
file, a time of day, a tuple).  The loader (:func:`sheets_sync.config.parse`) walks this table; the
docs tests walk it too, so a key cannot be missing from the example config or the README.

Pure: no I/O, no imports outside the standard library.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sheets_sync.model import DEFAULT_JABATAN_KOORDINATOR, DEFAULT_UNIT_PENGIRIM
from sheets_sync.texts import Text


class _Required:
    """The default of a key that must be in the file."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()

Check = Callable[[Any], Text | None]
"""What is wrong with a value the file gave (None = nothing), as an Indonesian msgid with its fields."""

Convert = Callable[[Any, Path], Any]
"""A value (from the file or the default) → the setting, given the config file's folder."""


@dataclass(frozen=True)
class Field:
    """One key of a section.  ``check_example`` replaces ``example`` in the error of a failed check."""

    key: str
    kind: type | tuple[type, ...]
    default: Any
    example: str
    choices: tuple[Any, ...] = ()
    check: Check | None = None
    check_example: str = ""
    convert: Convert | None = None

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


@dataclass(frozen=True)
class Section:
    """One ``[table]`` of the file.  ``forbidden`` keys are refused with (problem, example) — a key
    somebody will try (``password``) gets a better answer than "unknown key"."""

    name: str
    fields: tuple[Field, ...]
    forbidden: Mapping[str, tuple[Text, str]] = field(default_factory=dict)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)


def relative_path(base: Path, value: str) -> Path:
    """``~`` expanded; a relative path is relative to the config file's folder."""
    p = Path(os.path.expanduser(value))
    return p if p.is_absolute() else base / p


def _path(value: str, base: Path) -> Path:
    return relative_path(base, value)


def _optional_path(value: str | None, base: Path) -> Path | None:
    return relative_path(base, value) if value else None


def _store_url(url: str, base: Path) -> str:
    """A SQLite URL or bare file name relative to the config file becomes an absolute SQLite URL;
    other database URLs are kept."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and ":memory:" not in url:
        return "sqlite:///" + str(relative_path(base, url.removeprefix("sqlite:///")))
    if not re.match(r"^[a-z]+://", url) and url != ":memory:":
        return "sqlite:///" + str(relative_path(base, url))
    return url


def _known_zone(tz: str) -> Text | None:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return Text("{value} bukan zona waktu yang dikenal", value=repr(tz))
    return None


def _band(band: list[Any] | bool) -> Text | None:
    if band is False:
        return None
    if band is True or not isinstance(band, list) or len(band) != 2 or not all(
            isinstance(x, int | float) and not isinstance(x, bool) for x in band) or band[0] >= band[1]:
        return Text("{value} bukan [bawah, atas] dalam persen", value=repr(band))
    return None


def _band_value(band: list[Any] | bool, base: Path) -> tuple[float, float] | None:
    return None if isinstance(band, bool) else (float(band[0]), float(band[1]))  # _band refused True


def _jump(factor: float | bool) -> Text | None:
    if factor is False:
        return None
    return None if factor is not True and factor > 1 else Text("{value} bukan faktor di atas 1", value=repr(factor))


def _jump_value(factor: float | bool, base: Path) -> float | None:
    return None if factor is False else float(factor)


def _file_mode(text: str) -> Text | None:
    if text and not re.fullmatch(r"0?[0-7]{3}", text.strip()):
        return Text("{value} bukan mode berkas oktal seperti 0664", value=repr(text))
    return None


def _file_mode_value(text: str, base: Path) -> int | None:
    return int(text.strip(), 8) if text.strip() else None


def _nip(nip: str) -> Text | None:
    if nip and not re.fullmatch(r"\d{18}", nip.replace(" ", "")):
        return Text("{value} bukan NIP 18 digit", value=repr(nip))
    return None


def _letter_pattern(pattern: str) -> Text | None:
    return None if "{nomor}" in pattern else Text("harus memuat {field}", field="{nomor}")


def _cap(cap: float | bool) -> Text | None:
    return Text("true bukan angka") if cap is True else None


def _cap_value(cap: float | bool, base: Path) -> float | None:
    return None if cap is False else float(cap)


def _scales(value: Mapping[str, object]) -> Text | None:
    bad = next((k for k, v in value.items() if not isinstance(v, list) or not all(isinstance(b, str) for b in v)),
               None)
    return None if bad is None else Text("skala {name} bukan daftar rentang", name=repr(bad))


def _orders(value: Sequence[object]) -> Text | None:
    bad = next((k for k in value if not isinstance(k, str) or ">" not in k), None)
    return None if bad is None else Text("{value} bukan urutan yang ditulis tinggi > rendah", value=repr(bad))


def _synonyms(value: Mapping[str, object]) -> Text | None:
    bad = next((k for k, v in value.items() if not isinstance(v, str)), None)
    return None if bad is None else Text("sinonim {name} tidak menyebut satu kategori", name=repr(bad))


def _mapping(value: Mapping[str, Any], base: Path) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in value.items()}


LEVELS = ("iku", "tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan")


def _levels(value: Sequence[object]) -> Text | None:
    bad = next((t for t in value if t not in LEVELS), None)
    return None if bad is None else Text("{value}: pakai hanya {levels}", value=repr(bad), levels=", ".join(LEVELS))


def _not_negative(n: int) -> Text | None:
    return None if n >= 0 else Text("harus 0 (tanpa salinan harian) atau lebih")


def _at_least_one(n: int) -> Text | None:
    return None if n >= 1 else Text("paling sedikit 1")


_EMAIL = re.compile(r"[^@\s,<>]+@[^@\s,<>]+\.[^@\s,<>]+")
_EMAIL_EXAMPLE = '["kasubbag.ppkp@kab.example"]'


def _emails(value: str | Sequence[object]) -> Text | None:
    items = [value] if isinstance(value, str) else value
    bad = next((e for e in items if not isinstance(e, str) or not _EMAIL.fullmatch(e)), None)
    return None if bad is None else Text("{value} bukan alamat e-mail", value=repr(bad))


def _tuple(value: str | Sequence[Any], base: Path) -> tuple[Any, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _offsets(value: Sequence[object]) -> Text | None:
    bad = next((o for o in value if not isinstance(o, str) or not re.fullmatch(r"H([+-]\d+)?", o.strip())), None)
    return None if bad is None else Text("{value} tidak berbentuk seperti H-3, H atau H+1", value=repr(bad))


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _holidays(value: Sequence[object]) -> Text | None:
    bad = next((h for h in value if _as_date(h) is None), None)
    return None if bad is None else Text("{value} bukan tanggal", value=repr(bad))


def _dates(value: Sequence[object], base: Path) -> tuple[date | None, ...]:
    return tuple(_as_date(h) for h in value)


_TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")


def _time_of_day(text: str) -> Text | None:
    return None if _TIME.fullmatch(text.strip()) else Text("{value} bukan jam", value=repr(text))


def _time_value(value: str | time, base: Path) -> time:
    if isinstance(value, time):
        return value
    m = _TIME.fullmatch(value.strip())
    assert m is not None  # checked by _time_of_day
    return time(int(m.group(1)), int(m.group(2)))


def _time_field(key: str, default: time) -> Field:
    return Field(key, str, default, f'{key} = "{default.strftime("%H:%M")}"', check=_time_of_day,
                 check_example=f'{key} = "07:30"', convert=_time_value)


def _emails_field(key: str) -> Field:
    return Field(key, (list, str), (), f"{key} = {_EMAIL_EXAMPLE}", check=_emails, convert=_tuple)


SECTIONS: tuple[Section, ...] = (
    Section("office", (
        Field("timezone", str, "Asia/Jakarta", 'timezone = "Asia/Makassar"  # WIB Asia/Jakarta, WITA, WIT',
              check=_known_zone, check_example='timezone = "Asia/Makassar"'),
        Field("pemerintah", str, REQUIRED, 'pemerintah = "PEMERINTAH KABUPATEN SUKAMAJU"'),
        Field("instansi", str, REQUIRED, 'instansi = "Badan Kepegawaian dan Pengembangan SDM"'),
        Field("singkatan", str, REQUIRED, 'singkatan = "BKPSDM"'),
        Field("kota", str, REQUIRED, 'kota = "Sukamaju"'),
        Field("alamat", str, "", 'alamat = "Jl. Merdeka No. 1, Sukamaju"'),
        Field("tahun", int, 2025, "tahun = 2025"),
        Field("telepon", str, "", 'telepon = "(0556) 21234"'),
        Field("email", str, "", 'email = "bkpsdm@sukamaju.example"'),
        Field("laman", str, "", 'laman = "bkpsdm.sukamaju.example"'),
        Field("unit_pengirim", str, DEFAULT_UNIT_PENGIRIM, f'unit_pengirim = "{DEFAULT_UNIT_PENGIRIM}"'),
        Field("jabatan_koordinator", str, DEFAULT_JABATAN_KOORDINATOR,
              f'jabatan_koordinator = "{DEFAULT_JABATAN_KOORDINATOR}"'),
    )),
    Section("backend", (
        Field("kind", str, "local", 'kind = "local"', ("local", "google", "memory")),
        Field("folder", str, "forms", 'folder = "forms"', convert=_path),
        Field("control", str, "Kendali Data Kinerja.xlsx", 'control = "Kendali Data Kinerja.xlsx"'),
        Field("full_sweep_every", int, 12, "full_sweep_every = 12", check=_at_least_one),
        Field("file_mode", str, "", 'file_mode = "0664"', check=_file_mode, convert=_file_mode_value),
        Field("link_base", str, "", r'link_base = "\\\\server\\kinerja\\forms\\"'),
    )),
    Section("store", (
        Field("url", str, "sqlite:///data/sheets-sync.sqlite3", 'url = "sqlite:///data/sheets-sync.sqlite3"',
              convert=_store_url),
        Field("backup_dir", str, None, 'backup_dir = "data/backup"', convert=_optional_path),
        Field("backup_keep", int, 14, "backup_keep = 14", check=_not_negative),
        _time_field("backup_time", time(6, 0)),
    )),
    Section("signatory", (
        Field("jabatan", str, "Kepala Badan", 'jabatan = "Kepala Badan"'),
        Field("nama", str, "", 'nama = "H. Sura\'i, S.Sos., M.A.P."'),
        Field("pangkat", str, "", 'pangkat = "Pembina Utama Muda (IV/c)"'),
        Field("nip", str, "", 'nip = "196901032003121005"', check=_nip),
        Field("prefix", str, "", 'prefix = "Plt."', ("", "a.n.", "Plt.", "Plh.")),
        Field("atas_nama", str, "", 'atas_nama = "Kepala Badan"'),
        Field("tempat", str, "", 'tempat = "Sukamaju"'),
    )),
    Section("documents", (
        Field("templates", str, None, 'templates = "report_templates"', convert=_optional_path),
        Field("output", str, "dokumen", 'output = "dokumen"', convert=_path),
        Field("paper", str, "A4", 'paper = "F4"', ("A4", "F4")),
        Field("font", str, "Arial", 'font = "Bookman Old Style"'),
        Field("font_size", int, 11, "font_size = 11"),
        Field("letter_pattern", str, "000.8.3.3/{nomor}/{singkatan}/{tahun}",
              'letter_pattern = "800/{nomor}/BKPSDM/{tahun}"', check=_letter_pattern),
        Field("recipient", str, "Bupati Sukamaju", 'recipient = "Bupati Sukamaju"'),
        Field("recipient_town", str, "", 'recipient_town = "Sukamaju"'),
        Field("tingkat", list, (), 'tingkat = ["iku", "sasaran", "program", "kegiatan"]', check=_levels,
              convert=_tuple),
    )),
    Section("rules", (
        Field("cap", (int, float, bool), 120.0, "cap = 120  # or cap = false for no cap", check=_cap,
              check_example="cap = 120", convert=_cap_value),
        Field("negatif_variant", str, "A", 'negatif_variant = "A"', ("A", "B", "tren")),
        # a shipped scale or one of [rules.skala]: checked with the scales (RuleSettings.to_rules)
        Field("predikat_scale", str, "permendagri86", 'predikat_scale = "permendagri86"'),
        Field("require_bukti", bool, False, "require_bukti = true"),
        Field("include_qualitative", bool, False, "include_qualitative = false"),
        Field("skala", dict, {}, '[rules.skala] kantor = ["> 85 Memuaskan", "> 65 Baik", "Kurang"]', check=_scales,
              check_example='kantor = ["> 85 Memuaskan", "> 65 Baik", "Kurang"]', convert=_mapping),
        Field("kategori", list, (), 'kategori = ["WTP > WDP > TW > TMP", "AA > A > BB > B > CC > C > D"]',
              check=_orders, check_example='kategori = ["WTP > WDP > TW > TMP"]', convert=_tuple),
        Field("sinonim", dict, {}, '[rules.sinonim] "Wajar Tanpa Pengecualian" = "WTP"', check=_synonyms,
              check_example='"Wajar Tanpa Pengecualian" = "WTP"', convert=_mapping),
        Field("realisasi_nol", str, "hitung", 'realisasi_nol = "hitung"', ("hitung", "tidak_dihitung")),
        Field("capaian_band", (list, bool), [0, 300], "capaian_band = [0, 300]  # or false: no band warning",
              check=_band, check_example="capaian_band = [0, 300]", convert=_band_value),
        Field("jump_factor", (int, float, bool), 10, "jump_factor = 10  # or false: no jump warning",
              check=_jump, check_example="jump_factor = 10", convert=_jump_value),
    )),
    Section("smtp", (
        Field("host", str, "localhost", 'host = "smtp.sukamaju.example"'),
        Field("port", int, 587, "port = 587"),
        Field("security", str, "starttls", 'security = "starttls"', ("starttls", "ssl", "none")),
        Field("username", str, "", 'username = "sheets-sync@sukamaju.example"'),
        Field("password_env", str, "SHEETS_SYNC_SMTP_PASSWORD", 'password_env = "SHEETS_SYNC_SMTP_PASSWORD"'),
        Field("timeout", float, 30.0, "timeout = 30"),
        Field("max_attempts", int, 8, "max_attempts = 8"),
        Field("batch_seconds", float, 120.0, "batch_seconds = 120"),
    ), forbidden={"password": (Text("kata sandi tidak disimpan di berkas konfigurasi"),
                               'password_env = "SHEETS_SYNC_SMTP_PASSWORD"  # and export that variable')}),
    Section("notify", (
        Field("templates", str, None, 'templates = "email_templates"', convert=_optional_path),
        Field("kind", str, "outbox", 'kind = "outbox"', ("outbox", "smtp")),
        Field("outbox", str, "outbox", 'outbox = "outbox"', convert=_path),
        Field("sender", str, "sheets-sync <sheets-sync@localhost>",
              'sender = "Subbag PPKP BKPSDM <ppkp.bkpsdm@sukamaju.example>"'),
        _emails_field("coordinator"),
        _emails_field("sekretaris"),
        Field("send_from_commands", bool, True, "send_from_commands = true"),
    )),
    Section("reminders", (
        Field("offsets", list, ("H-3", "H-1", "H", "H+1"), 'offsets = ["H-3", "H-1", "H", "H+1"]', check=_offsets,
              convert=_tuple),
        Field("holidays", list, (), "holidays = [2025-03-31, 2025-04-01]", check=_holidays,
              check_example="holidays = [2025-03-31]", convert=_dates),
        Field("working_days", list, (), "working_days = [2025-04-07]", check=_holidays, convert=_dates),
        Field("national_holidays", bool, True, "national_holidays = true"),
        Field("cuti_bersama", bool, True, "cuti_bersama = true"),
        Field("repeat_every_workdays", int, 2, "repeat_every_workdays = 2"),
        Field("escalate_kepala_after", int, 1, "escalate_kepala_after = 1"),
        Field("escalate_sekretaris_after", int, 3, "escalate_sekretaris_after = 3"),
        _time_field("send_time", time(8, 0)),
        _time_field("quiet_start", time(18, 0)),
        _time_field("quiet_end", time(7, 0)),
    )),
    Section("schedule", (
        Field("poll_minutes", int, 15, "poll_minutes = 15", check=_at_least_one),
        _time_field("digest_time", time(7, 30)),
        Field("log_format", str, "text", 'log_format = "json"', ("text", "json")),
        Field("log_level", str, "INFO", 'log_level = "INFO"', ("DEBUG", "INFO", "WARNING", "ERROR")),
    )),
)
"""Every section but ``[google]``, in the order the loader reads (and reports) them."""


def _kinds(value: Sequence[object]) -> Text | None:
    from sheets_sync.config.laporan import DISTRIBUTION_KINDS

    bad = next((k for k in value if k not in DISTRIBUTION_KINDS), None)
    return None if bad is None else Text("{value} bukan salah satu dari {choices}", value=repr(bad),
                                         choices=", ".join(DISTRIBUTION_KINDS))


def _laporan_section() -> Section:
    """``[laporan]``: the Laporan Kinerja's review loop and the distribution of final documents
    (:mod:`sheets_sync.config.laporan`)."""
    from sheets_sync.config.laporan import DOCUMENT_STATUSES, LaporanSettings

    return Section("laporan", (
        _emails_field("tim_sakip"),
        _emails_field("distribusi"),
        Field("distribusi_cara", str, "lampiran", 'distribusi_cara = "lampiran"', ("lampiran", "tautan")),
        Field("distribusi_jenis", list, LaporanSettings.distribusi_jenis,
              'distribusi_jenis = ["pengukuran_kinerja", "laporan_kinerja"]', check=_kinds, convert=_tuple),
        Field("distribusi_setelah", str, "", 'distribusi_setelah = "Ditandatangani"', ("", *DOCUMENT_STATUSES)),
    ))


SECTIONS = (*SECTIONS, _laporan_section())

SECTION_NAMES: tuple[str, ...] = (*(s.name for s in SECTIONS), "google")
"""Every section a config file may have."""
