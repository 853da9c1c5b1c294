"""The bidang form: what a period tab looks like, how to (re)build it without touching what people
typed, and how to read it back by header and indicator code.  Pure: no I/O.

Layout of tab ``TWn`` (row numbers are 1-based)::

    1  title                                                    P1: hidden marker "sheets-sync|v1|MP|2025-TW1"
    2  batas pengisian / petunjuk
    3  "Status pengisian:"  C3 = Belum | Selesai   (the "Selesai" signal that stops reminders)
    5  headers: No | Kode | Sasaran Strategis | Indikator Kinerja | Satuan | Target Tahunan | Target TW n |
                Realisasi TW n | Pembilang | Penyebut | Keterangan | Bukti Dukung (tautan) | Cara Pengukuran
    6… one row per indicator of the bidang, in master order; new indicators are appended below

Everything except the input columns (Realisasi, Pembilang, Penyebut, Keterangan, Bukti Dukung) and C3 is
protected.  Capaian is not a column people could overwrite: the service computes it (status, Rekap,
documents) from the values read, so a typed or broken formula can never disagree with the rules.

Reading never trusts positions: the header row is searched for, columns are found by header text and
rows by the code in the Kode column; moved, deleted, duplicated or extra rows, moved or missing
columns and a marker naming another bidang or period all become findings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sheets_sync.core.a1 import cell, col_letter
from sheets_sync.core.capaian.levels import LEVEL_NAMES, depth
from sheets_sync.core.cells import row_cells
from sheets_sync.core.values import Protection, RangeWrite, TabSetup, Validation, Values
from sheets_sync.findings import FindingCode
from sheets_sync.model import (
    ROMAN,
    Finding,
    FormRead,
    Indicator,
    Office,
    Period,
    Raw,
    RowRead,
    Schedule,
    Severity,
    Unit,
)
from sheets_sync.texts import Text

FORM_VERSION = "1"
HEADER_ROW = 5
FIRST_ROW = HEADER_ROW + 1
DONE_CELL = "C3"
MARKER_COL = 16  # P, hidden
LAST_COL = MARKER_COL
DONE_VALUES = ("Belum", "Selesai")


def headers(period: Period) -> tuple[str, ...]:
    tw = ROMAN[period.quarter]
    return (
        "No", "Kode", "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Target Tahunan", f"Target TW {tw}",
        f"Realisasi TW {tw}", "Pembilang", "Penyebut", "Keterangan", "Bukti Dukung (tautan)", "Cara Pengukuran",
    )


INPUT_COLS = {"realisasi": 8, "pembilang": 9, "penyebut": 10, "keterangan": 11, "bukti": 12}
CODE_COL = 2


def input_columns(indicators: Sequence[Indicator]) -> tuple[str, ...]:
    """The input columns a bidang fills for these indicators, as the link e-mail names them: Realisasi
    for the non-rasio ones, Pembilang and Penyebut when there is a rasio indicator, then Keterangan and
    Bukti Dukung."""
    cols = ["Realisasi"] if any(not i.is_ratio for i in indicators) or not indicators else []
    cols += ["Pembilang", "Penyebut"] if any(i.is_ratio for i in indicators) else []
    return (*cols, "Keterangan", "Bukti Dukung")


def join_words(words: Sequence[str]) -> str:
    """``A``, ``A dan B``, ``A, B, dan C`` (the Indonesian serial list)."""
    if len(words) <= 2:
        return " dan ".join(words)
    return ", ".join(words[:-1]) + ", dan " + words[-1]


def form_title(unit: Unit, office: Office) -> str:
    return f"Data Kinerja {office.tahun} — {unit.code} {unit.name} — {office.singkatan}"


def marker_text(unit: str, period: Period) -> str:
    return f"sheets-sync|v{FORM_VERSION}|{unit}|{period}"


def read_range(period: Period) -> str:
    """The whole period tab, open-ended downwards (no row cap however many indicators a bidang has)."""
    return f"{period.tab}!A1:{col_letter(LAST_COL)}"


def _norm(v: Raw) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return re.sub(r"\s+", " ", str(v)).strip().lower()


def _code(v: Raw) -> str:
    if isinstance(v, float):
        return repr(v)
    return "" if v is None else str(v).strip()


def _field_of(header: str) -> str | None:
    h = _norm(header)
    if h == "kode":
        return "code"
    if h.startswith("realisasi"):
        return "realisasi"
    for f in ("pembilang", "penyebut", "keterangan"):
        if h.startswith(f):
            return f
    if h.startswith("bukti"):
        return "bukti"
    return None


def _static_row(no: int, ind: Indicator, period: Period, levelled: bool = False) -> list[Raw]:
    element = f"{LEVEL_NAMES.get(ind.tingkat, ind.tingkat)}: {ind.sasaran}" if levelled else ind.sasaran
    return [no, ind.code, element, ind.name, ind.satuan, ind.target_tahunan, ind.target_for(period.quarter)]


def by_level(indicators: Sequence[Indicator]) -> tuple[list[Indicator], bool]:
    """A bidang's indicators grouped by cascading level (tujuan first, master order within a level) and
    whether the form shows the level (only when the bidang has indicators of more than one level)."""
    levelled = len({i.tingkat for i in indicators}) > 1
    return (sorted(indicators, key=lambda i: depth(i.tingkat)) if levelled else list(indicators)), levelled


@dataclass(frozen=True)
class Located:
    """Where things are in an existing tab: header row, field → column, code → row."""

    header_row: int
    columns: Mapping[str, int]
    rows: Mapping[str, int]
    last_row: int


def locate(values: Values) -> Located | None:
    """Find the header row (the first of the top 15 rows with a ``Kode`` and a ``Realisasi`` header)."""
    for r, row in enumerate(values[:15], start=1):
        cols: dict[str, int] = {}
        for c, v in enumerate(row, start=1):
            f = _field_of(str(v)) if v is not None else None
            if f and f not in cols:
                cols[f] = c
        if "code" in cols and "realisasi" in cols:
            rows: dict[str, int] = {}
            last = r
            for n, data in enumerate(values[r:], start=r + 1):
                code = _code(data[cols["code"] - 1]) if cols["code"] - 1 < len(data) else ""
                if code and code not in rows:
                    rows[code] = n
                if any(v not in (None, "") for v in data[:LAST_COL - 1]):
                    last = n
            return Located(r, cols, rows, last)
    return None


def build_setup(
    unit: Unit, indicators: Sequence[Indicator], period: Period, office: Office, schedule: Schedule | None,
    existing: Values | None, coordinator: Sequence[str] = (),
) -> TabSetup:
    """The :class:`TabSetup` that brings ``period.tab`` to the wanted state.

    New tab: everything is written.  Existing tab: static columns of known rows are refreshed in
    place (wherever the rows now are), new indicators are appended below the last row, and input
    cells are never written (``None`` = leave as is)."""
    tab = period.tab
    found = locate(existing) if existing else None
    deadline = (
        f"Batas pengisian: {schedule.deadline.strftime('%d-%m-%Y %H:%M')} ({office.timezone})." if schedule else ""
    )
    top: list[list[Raw]] = [
        [f"DATA KINERJA {period.label.upper()} — {unit.name}".upper()],
        [f"{deadline} Isi kolom Realisasi, Pembilang/Penyebut (indikator rasio), Keterangan dan Bukti Dukung. "
         'Tulis "-" dengan keterangan bila indikator tidak diukur triwulan ini.'],
        ["Status pengisian:", None],
        [None],
        list(headers(period)),
    ]
    writes = [RangeWrite(f"{tab}!A1", top),
              RangeWrite(f"{tab}!{cell(1, MARKER_COL)}", [[marker_text(unit.code, period)]])]
    done_now = existing[2][2] if existing and len(existing) > 2 and len(existing[2]) > 2 else None
    if _norm(done_now) == "":
        writes.append(RangeWrite(f"{tab}!{DONE_CELL}", [["Belum"]]))
    next_row = (found.last_row if found else HEADER_ROW) + 1
    last = HEADER_ROW
    ordered, levelled = by_level(indicators)
    for no, ind in enumerate(ordered, start=1):
        if found and ind.code in found.rows:
            row = found.rows[ind.code]
        else:
            row = next_row
            next_row += 1
        writes.append(RangeWrite(f"{tab}!A{row}", [_static_row(no, ind, period, levelled)]))
        writes.append(RangeWrite(f"{tab}!M{row}", [[ind.cara_pengukuran]]))
        last = max(last, row)
    end = max(last, FIRST_ROW)
    editors = tuple(coordinator)
    protections = (
        Protection(f"{tab}!A1:P2", "sheets-sync: judul dan petunjuk", editors),
        Protection(f"{tab}!A3:B3", "sheets-sync: label status", editors),
        Protection(f"{tab}!D3:P3", "sheets-sync: label status", editors),
        Protection(f"{tab}!A4:P5", "sheets-sync: judul kolom", editors),
        Protection(f"{tab}!A{FIRST_ROW}:G{end}", "sheets-sync: indikator dan target", editors),
        Protection(f"{tab}!M{FIRST_ROW}:P{end}", "sheets-sync: cara pengukuran dan penanda", editors),
    )
    validations = (
        Validation(f"{tab}!H{FIRST_ROW}:J{end}", "number",
                   'Isi angka, misalnya 80 atau 72,50; tulis "-" bila tidak diukur (beri keterangan).'),
        Validation(f"{tab}!L{FIRST_ROW}:L{end}", "url", "Tempel tautan bukti dukung (https://…)."),
        Validation(f"{tab}!{DONE_CELL}", "list", 'Pilih "Selesai" bila semua data sudah diisi.', DONE_VALUES, True),
    )
    return TabSetup(
        tab=tab, writes=tuple(writes), protections=protections, validations=validations,
        marker={"form": FORM_VERSION, "unit": unit.code, "period": str(period)},
        hidden_columns=(MARKER_COL,), frozen_rows=HEADER_ROW, index=period.quarter - 1,
        column_widths={1: 5, 2: 8, 3: 30, 4: 45, 5: 10, 6: 12, 7: 12, 8: 14, 9: 12, 10: 12, 11: 35, 12: 30, 13: 35},
    )


def read_form(
    values: Values, unit: Unit, indicators: Sequence[Indicator], period: Period, *, form_id: str, link: str,
    read_at: datetime, modified: datetime | None = None,
) -> FormRead:
    """Interpret the values of ``period.tab`` (see module docstring); layout problems become findings."""
    tab = period.tab
    findings: list[Finding] = []

    def add(c: str, code: FindingCode, msg: Text, fix: Text, severity: Severity = "error", ind: str = "") -> None:
        findings.append(Finding.worded(unit.code, tab, c, code, msg, fix, severity, ind))

    marker = _norm(values[0][MARKER_COL - 1]) if values and len(values[0]) >= MARKER_COL else ""
    want = marker_text(unit.code, period).lower()
    if marker and marker != want:
        parts = marker.split("|")
        other = (Text("bidang {unit} periode {period}", unit=parts[2].upper(), period=parts[3].upper())
                 if len(parts) == 4 else Text("formulir lain"))
        add(cell(1, MARKER_COL), "form_tertukar",
            Text("Tab {tab} pada formulir {unit} ternyata milik {other} (disalin atau tertukar).", tab=tab,
                 unit=unit.code, other=other),
            Text("Gunakan tautan formulir yang dibagikan untuk bidang ini; jangan menyalin tab dari formulir bidang "
                 "lain."))
        return FormRead(unit.code, period, tab, form_id, link, read_at, (), False, modified, tuple(findings), False)
    if not marker and values:
        add(cell(1, MARKER_COL), "penanda_hilang",
            Text("Penanda tersembunyi di sel {cell} tab {tab} formulir {unit} terhapus; sheets-sync tidak dapat lagi "
                 "memastikan tab ini milik bidang dan periode tersebut. Data tetap dibaca menurut judul kolom.",
                 cell=cell(1, MARKER_COL), tab=tab, unit=unit.code),
            Text("Jalankan `sheets-sync provision` untuk memulihkan penanda; jangan menghapus kolom P yang "
                 "tersembunyi."),
            "warning")
    found = locate(values)
    if found is None:
        add(f"A{HEADER_ROW}", "judul_kolom_hilang",
            Text("Baris judul kolom (Kode, Realisasi) tidak ditemukan di tab {tab} formulir {unit}.", tab=tab,
                 unit=unit.code),
            Text("Kembalikan baris judul kolom atau jalankan `sheets-sync provision` untuk memperbaikinya."))
        return FormRead(unit.code, period, tab, form_id, link, read_at, (), False, modified, tuple(findings), False)
    for f, col in INPUT_COLS.items():
        have = found.columns.get(f)
        if have is None:
            add(cell(found.header_row, col), "kolom_hilang",
                Text("Kolom {header} tidak ditemukan di tab {tab}.", header=f.capitalize(), tab=tab),
                Text("Kembalikan kolom tersebut (judul kolom harus tetap sama)."))
        elif have != col:
            add(cell(found.header_row, have), "kolom_dipindah",
                Text("Kolom {header} dipindah dari {old} ke {new}; data tetap dibaca menurut judul kolom.",
                     header=f.capitalize(), old=col_letter(col), new=col_letter(have)),
                Text("Tidak perlu tindakan; sebaiknya kembalikan urutan kolom semula."), "info")
    known = {i.code for i in indicators}
    rows: list[RowRead] = []
    for expected, ind in enumerate(indicators, start=FIRST_ROW):
        r = found.rows.get(ind.code)
        if r is None:
            add(f"B{expected}", "baris_hilang",
                Text("Baris indikator {code} ({name}) tidak ditemukan di tab {tab}; baris mungkin terhapus.",
                     code=ind.code, name=ind.name, tab=tab),
                Text("Jalankan `sheets-sync provision` untuk mengembalikan barisnya, lalu isi kembali datanya."),
                ind=ind.code)
            continue
        if r != expected and found.header_row == HEADER_ROW:
            add(f"B{r}", "baris_dipindah",
                Text("Baris indikator {code} berada di baris {row} (semula {expected}).", code=ind.code, row=r,
                     expected=expected),
                Text("Tidak perlu tindakan; data dibaca menurut kode indikator."), "info", ind.code)
        inputs = row_cells(values[r - 1], r, found.columns, INPUT_COLS)
        rows.append(RowRead(ind.code, r, inputs.cells, inputs.addresses))
    seen: set[str] = set()
    for n, data in enumerate(values[found.header_row:], start=found.header_row + 1):
        code = _code(data[found.columns["code"] - 1]) if found.columns["code"] - 1 < len(data) else ""
        if not code:
            continue
        if code in seen:
            add(f"B{n}", "baris_ganda", Text("Kode indikator {code} muncul lebih dari sekali (baris {n}).", code=code,
                                             n=n),
                Text("Hapus baris duplikat; hanya baris pertama yang dibaca."), ind=code)
        elif code not in known:
            add(f"B{n}", "baris_tambahan",
                Text("Baris {n} berkode {code} tidak ada di daftar indikator; diabaikan.", n=n, code=code),
                Text("Hapus baris tersebut atau minta pengelola spreadsheet kendali menambah indikatornya di tab "
                     "Indikator."), "warning", code)
        seen.add(code)
    done_row = values[2] if len(values) > 2 else []
    done = _norm(done_row[2] if len(done_row) > 2 else None) == "selesai"
    return FormRead(unit.code, period, tab, form_id, link, read_at, tuple(rows), done, modified, tuple(findings))
