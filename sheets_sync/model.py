"""Plain data shared by every layer: the office, its bidang and indicators, periods, what was read
from a form, and findings.

These are frozen dataclasses with no I/O.  Raw cell content is kept as :data:`Raw` (exactly what the
backend returned: text, a number, a bool or ``None`` for an empty cell) so that nothing a person typed
is lost before :mod:`sheets_sync.core.parse` interprets it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, cast

from sheets_sync.findings import FindingCode
from sheets_sync.texts import Text, Translate, untranslated

Raw = str | float | int | bool | None
"""A cell exactly as read: unformatted value from Sheets/openpyxl, or None when empty."""

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

POLARITAS = ("positif", "negatif")
KONSOLIDASI = ("jumlah", "nilai_akhir", "rata_rata", "rasio")
KONVENSI_TARGET = ("per_triwulan", "kumulatif")
TINGKAT = ("tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan")
"""Levels of the Renstra cascading, top → bottom (an indicator's ``tingkat``)."""
NOT_MEASURED_MARKS = frozenset({"-", "–", "—", "n/a", "na", "n.a.", "n.a"})


@dataclass(frozen=True, order=True)
class Period:
    """One triwulan of one year, written ``2025-TW1`` on the command line and ``TW1`` as a tab."""

    year: int
    quarter: int

    def __post_init__(self) -> None:
        if self.quarter not in (1, 2, 3, 4):
            raise ValueError(f"triwulan harus 1–4, bukan {self.quarter}")

    _RE = re.compile(r"^\s*(\d{4})\s*[-/ ]\s*TW\s*([1-4]|I{1,3}|IV)\s*$", re.IGNORECASE)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``2025-TW1`` (also ``2025-TWI``, ``2025/TW 4``); raise ValueError otherwise."""
        m = cls._RE.match(text)
        if not m:
            raise ValueError(f"periode {text!r} tidak dikenal; contoh yang benar: 2025-TW1")
        q = m.group(2).upper()
        quarter = int(q) if q.isdigit() else {"I": 1, "II": 2, "III": 3, "IV": 4}[q]
        return cls(int(m.group(1)), quarter)

    def __str__(self) -> str:
        return f"{self.year}-TW{self.quarter}"

    @property
    def tab(self) -> str:
        """Tab title in the bidang form."""
        return f"TW{self.quarter}"

    @property
    def label(self) -> str:
        """Office-facing name, e.g. ``Triwulan I Tahun 2025`` (what sheets, e-mails and documents print)."""
        return self.label_in()

    def label_in(self, translate: Translate = untranslated) -> str:
        """The period's name in ``translate``'s language: ``Triwulan I Tahun 2025``, ``Quarter I 2025`` in
        English (a CLI heading under ``--lang en``)."""
        return Text("Triwulan {roman} Tahun {year}", roman=ROMAN[self.quarter], year=self.year).render(translate)


DEFAULT_UNIT_PENGIRIM = "Subbagian Perencanaan, Keuangan, dan Kinerja"
DEFAULT_JABATAN_KOORDINATOR = "Kepala Subbagian Perencanaan, Keuangan, dan Kinerja"


@dataclass(frozen=True)
class Office:
    """Identity of the office, printed in the kop surat and used for titles."""

    pemerintah: str  # "PEMERINTAH KABUPATEN SUKAMAJU"
    instansi: str  # "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"
    singkatan: str  # "BKPSDM"
    kota: str  # "Sukamaju"
    alamat: str
    timezone: str = "Asia/Jakarta"
    tahun: int = 2025
    telepon: str = ""
    email: str = ""
    laman: str = ""
    # The office's own words: who signs the e-mails and to whom the coordinator's digest is addressed.
    unit_pengirim: str = DEFAULT_UNIT_PENGIRIM
    jabatan_koordinator: str = DEFAULT_JABATAN_KOORDINATOR


@dataclass(frozen=True)
class Unit:
    """A bidang / seksi / sekretariat that fills one form."""

    code: str
    name: str
    head: str = ""
    head_email: str = ""
    operator_email: str = ""
    form_link: str = ""  # written by the service; for the google backend a pre-made sheet may be adopted

    @property
    def editors(self) -> tuple[str, ...]:
        """E-mail addresses that may edit the form (only these are ever shared with)."""
        return tuple(e for e in (self.head_email, self.operator_email) if e)


@dataclass(frozen=True)
class Indicator:
    """One row of the Perjanjian Kinerja master.  Targets stay as typed (``"72,50"``, ``"80–90"``,
    ``"BB"``, ``"-"``); :mod:`sheets_sync.core.capaian` interprets them.

    Cascading: ``tingkat`` (one of :data:`TINGKAT`), ``kode_induk`` (the code of the indicator one level
    up that this one supports), ``iku`` (an Indikator Kinerja Utama), ``penanggung_jawab`` (the jabatan whose
    Perjanjian Kinerja holds it); ``sasaran`` is the name of the level's element (sasaran, program,
    kegiatan…).  ``rumus_negatif`` (``A``/``B``/``tren``, empty = office default), ``realisasi_tahun_lalu``,
    ``target_renstra`` (the Renstra end target), ``periode_renstra`` (``2021–2026``) and
    ``target_tahun_lalu`` (last year's annual target: last year's capaian is computed from it) stay as typed."""

    code: str
    unit: str
    sasaran: str
    name: str
    satuan: str
    polaritas: str
    konsolidasi: str
    konvensi_target: str
    target_tahunan: str
    targets: tuple[str, str, str, str]
    cara_pengukuran: str = ""
    tingkat: str = "sasaran"
    kode_induk: str = ""
    iku: bool = False
    penanggung_jawab: str = ""
    rumus_negatif: str = ""
    realisasi_tahun_lalu: str = ""
    target_renstra: str = ""
    target_tahun_lalu: str = ""
    periode_renstra: str = ""

    def target_for(self, quarter: int) -> str:
        return self.targets[quarter - 1]

    def measured_in(self, quarter: int) -> bool:
        """An indicator is expected in a quarter unless its target there is ``-``/empty."""
        t = self.target_for(quarter).strip().lower()
        return bool(t) and t not in NOT_MEASURED_MARKS

    @property
    def is_ratio(self) -> bool:
        return self.konsolidasi == "rasio"


@dataclass(frozen=True)
class Schedule:
    """The ``Jadwal`` row of one period.  ``deadline`` is the on-time rule; ``lock`` is separate."""

    period: Period
    opens: datetime
    deadline: datetime
    lock: datetime | None = None
    meeting: date | None = None


ApprovalStatus = Literal["Belum dibahas", "Disetujui", "Perlu perbaikan"]
APPROVAL_STATUSES: tuple[str, ...] = ("Belum dibahas", "Disetujui", "Perlu perbaikan")


@dataclass(frozen=True)
class Decision:
    """One ``Persetujuan`` row as the meeting typed it."""

    period: Period
    unit: str
    status: str
    catatan: str = ""
    tanggal: date | None = None


Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    """Something a person must look at, in plain Indonesian, naming where and how to fix it.

    ``unit`` is the bidang code, ``sheet`` the tab (or file for file-level problems), ``cell`` an A1
    address (``H7``) or empty, ``code`` a stable machine code (see :mod:`sheets_sync.core.checks`).

    ``message`` and ``fix`` are Indonesian: what sheets, e-mails and documents print.  A finding made with
    :meth:`worded` also keeps them as :class:`~sheets_sync.texts.Text` (msgid and fields) in ``text`` and
    ``fix_text``, so the CLI can word it in the operator's language (:meth:`message_in`); they are kept
    through :meth:`as_dict`/:meth:`from_dict` (as optional keys: a finding stored without them still loads,
    and shows its Indonesian text) and take no part in equality.
    """

    unit: str
    sheet: str
    cell: str
    code: FindingCode
    message: str
    fix: str = ""
    severity: Severity = "error"
    indicator: str = ""
    text: Text | None = field(default=None, compare=False, repr=False)
    fix_text: Text | None = field(default=None, compare=False, repr=False)

    @classmethod
    def worded(cls, unit: str, sheet: str, cell: str, code: FindingCode, message: Text, fix: Text,
               severity: Severity = "error", indicator: str = "") -> Finding:
        """A finding whose message and fix are translatable texts (Indonesian ``message``/``fix`` from them)."""
        return cls(unit, sheet, cell, code, message.render(), fix.render(), severity, indicator, message, fix)

    def message_in(self, translate: Translate = untranslated) -> str:
        """The message in ``translate``'s language (the Indonesian ``message`` when it has no text)."""
        return self.text.render(translate) if self.text is not None else self.message

    def fix_in(self, translate: Translate = untranslated) -> str:
        """The fix in ``translate``'s language (the Indonesian ``fix`` when it has no text)."""
        return self.fix_text.render(translate) if self.fix_text is not None else self.fix

    @property
    def location(self) -> str:
        if self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Finding:
        """Inverse of :meth:`as_dict` (``cell`` there is the full ``sheet!cell`` location)."""
        cell = d["cell"].split("!", 1)[1] if "!" in d["cell"] else ""
        text, fix_text = d.get("text"), d.get("fix_text")
        return cls(d["unit"], d["sheet"], cell, cast(FindingCode, d["code"]), d["message"], d.get("fix", ""),
                   cast(Severity, d.get("severity", "error")), d.get("indicator", ""),
                   Text.from_dict(text) if isinstance(text, Mapping) else None,
                   Text.from_dict(fix_text) if isinstance(fix_text, Mapping) else None)

    def as_dict(self) -> dict[str, Any]:
        """The finding as JSON: the eight text keys, plus ``text``/``fix_text`` when it was :meth:`worded`."""
        out: dict[str, Any] = {
            "unit": self.unit,
            "sheet": self.sheet,
            "cell": self.location,
            "code": self.code,
            "message": self.message,
            "fix": self.fix,
            "severity": self.severity,
            "indicator": self.indicator,
        }
        if self.text is not None:
            out["text"] = self.text.as_dict()
        if self.fix_text is not None:
            out["fix_text"] = self.fix_text.as_dict()
        return out


INPUT_FIELDS = ("realisasi", "pembilang", "penyebut", "keterangan", "bukti")


@dataclass(frozen=True)
class RowRead:
    """What one indicator row of a form held when read.  ``cells`` maps input field → raw value and
    ``addresses`` maps input field → A1 cell (``H7``) where it was found."""

    code: str
    row: int
    cells: Mapping[str, Raw]
    addresses: Mapping[str, str]


@dataclass(frozen=True)
class FormRead:
    """One read of one bidang's tab for one period, already located by header and code."""

    unit: str
    period: Period
    sheet: str
    form_id: str
    link: str
    read_at: datetime
    rows: tuple[RowRead, ...] = ()
    done: bool = False
    modified: datetime | None = None
    findings: tuple[Finding, ...] = ()  # layout problems: moved/deleted/extra rows, marker mismatch
    ok: bool = True  # False when the form could not be read at all (findings say why)

    def row(self, code: str) -> RowRead | None:
        for r in self.rows:
            if r.code == code:
                return r
        return None


UnitState = Literal["Belum mengisi", "Sebagian", "Lengkap", "Terlambat", "Tidak mengisi"]


@dataclass(frozen=True)
class ApprovedChange:
    """A cell whose latest read differs from the read the meeting approved (never merged silently):
    ``cell`` is ``TAB!A1`` (or the tab when the row is gone), ``old``/``new`` the values as text
    (``""`` = empty), ``when`` when the new value was first read."""

    unit: str
    cell: str
    old: str
    new: str
    when: datetime | None
    indicator: str = ""
    field: str = ""


@dataclass(frozen=True)
class UnitStatus:
    """The PPKP's view of one bidang in one period, as computed by :mod:`sheets_sync.core.checks`."""

    unit: str
    period: Period
    state: str
    filled: int
    required: int
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    last_change: datetime | None = None
    completed_at: datetime | None = None
    done_flag: bool = False
    stale: bool = False

    @property
    def percent(self) -> float:
        return 100.0 * self.filled / self.required if self.required else 100.0

    @property
    def done_not_valid(self) -> bool:
        """The bidang chose "Selesai" while required cells are still missing: the choice does not count
        (reminders go on) and the bidang is told so."""
        return self.done_flag and self.state in INCOMPLETE_STATES

    @property
    def shown_state(self) -> str:
        """The state as people read it: ``Sebagian — Selesai belum berlaku`` when :attr:`done_not_valid`."""
        return f"{self.state} — {SELESAI_BELUM_BERLAKU}" if self.done_not_valid else self.state


INCOMPLETE_STATES = frozenset({"Belum mengisi", "Sebagian", "Tidak mengisi"})
"""States that still miss required cells (``Lengkap`` and ``Terlambat`` do not)."""
SELESAI_BELUM_BERLAKU = "Selesai belum berlaku"


@dataclass(frozen=True)
class DayOverride:
    """One office override of the national working-day calendar (a ``Libur`` row or a config date):
    ``off`` True = the office is closed that day (*libur*), False = it works although the day is a
    national holiday or cuti bersama (*masuk*).  ``note`` is the Keterangan as typed."""

    day: date
    off: bool
    note: str = ""


@dataclass(frozen=True)
class Control:
    """Everything read from the control spreadsheet's PPKP-edited tabs (already validated)."""

    units: tuple[Unit, ...]
    indicators: tuple[Indicator, ...]
    schedules: tuple[Schedule, ...] = ()
    decisions: tuple[Decision, ...] = ()
    findings: tuple[Finding, ...] = ()  # problems in the master itself (duplicate codes, bad targets...)
    libur: tuple[DayOverride, ...] = ()  # the optional ``Libur`` tab: the office's own days off / days in

    # Indexes built once on first use (a poll asks for every bidang's indicators: a scan per bidang
    # would be quadratic at thousands of bidang).  cached_property writes the instance dict directly,
    # which a frozen dataclass allows.
    @functools.cached_property
    def _units_by_code(self) -> dict[str, Unit]:
        out: dict[str, Unit] = {}
        for u in self.units:
            out.setdefault(u.code, u)
        return out

    @functools.cached_property
    def _indicators_by_unit(self) -> dict[str, tuple[Indicator, ...]]:
        out: dict[str, list[Indicator]] = {}
        for i in self.indicators:
            out.setdefault(i.unit, []).append(i)
        return {k: tuple(v) for k, v in out.items()}

    def unit(self, code: str) -> Unit | None:
        return self._units_by_code.get(code)

    def indicators_of(self, unit: str) -> tuple[Indicator, ...]:
        return self._indicators_by_unit.get(unit, ())

    def schedule(self, period: Period) -> Schedule | None:
        return next((s for s in self.schedules if s.period == period), None)


SNAPSHOT_PAYLOAD_DOC = """Shape of a stored snapshot payload (JSON), one per read of one bidang tab::

    {"unit": "MP", "period": "2025-TW1", "sheet": "TW1", "form_id": "...", "done": false,
     "rows": {"2.1": {"row": 7, "realisasi": 81.5, "pembilang": null, "penyebut": null,
                       "keterangan": "…", "bukti": "https://…",
                       "cells": {"realisasi": "H7", "keterangan": "K7", ...}}}}

Raw values are exactly as read (see :data:`Raw`); parsing happens when they are used.
"""
