"""The control spreadsheet ("Kendali Data Kinerja"): its tabs, reading them into a validated
:class:`~sheets_sync.model.Control`, and building one from the shipped sample offices.

The PPKP edits ``Bidang``, ``Indikator``, ``Jadwal`` and ``Persetujuan``; the service writes the form
links into ``Bidang``, and owns ``Rekap`` and ``Dokumen``.  Columns are located by header text, so the
PPKP may reorder or add columns.  A bad row becomes a finding naming the tab and cell; it never stops
the other rows from being read.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sheets_sync.core.a1 import cell, col_letter
from sheets_sync.core.capaian import Target, parse_target, rumus_of, validate_targets
from sheets_sync.core.capaian.levels import cascade_problems, tingkat_of, yes_no
from sheets_sync.core.cells import cell_text as _text
from sheets_sync.core.parse import parse_number
from sheets_sync.core.values import RangeWrite, Values
from sheets_sync.core.workdays import Calendar
from sheets_sync.findings import FindingCode
from sheets_sync.model import (
    APPROVAL_STATUSES,
    KONSOLIDASI,
    KONVENSI_TARGET,
    POLARITAS,
    ROMAN,
    TINGKAT,
    Control,
    DayOverride,
    Decision,
    Finding,
    Indicator,
    Period,
    Raw,
    Schedule,
    Severity,
    Unit,
)
from sheets_sync.texts import Text

TABS = ("Bidang", "Indikator", "Jadwal", "Persetujuan", "Rekap", "Dokumen")

BIDANG_HEADERS = ("Kode", "Nama Bidang", "Kepala Bidang", "Email Kepala", "Email Operator", "Tautan Form")
INDIKATOR_HEADERS = (
    "Kode", "Kode Bidang", "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Polaritas", "Konsolidasi",
    "Konvensi Target", "Target Tahunan", "Target TW I", "Target TW II", "Target TW III", "Target TW IV",
    "Cara Pengukuran",
)
INDIKATOR_OPTIONAL = ("Tingkat", "Kode Induk", "IKU", "Penanggung Jawab", "Rumus Negatif", "Realisasi Tahun Lalu",
                      "Target Akhir Renstra", "Periode Renstra", "Target Tahun Lalu")
"""Optional Indikator columns (cascading, per-indicator formula, last year, Renstra); absent = defaults."""
BLOCKS_FINAL = frozenset({"target_tidak_konsisten", "tingkat_tidak_dikenal", "iku_tidak_dikenal",
                          "rumus_tidak_dikenal", "induk_tidak_ada", "induk_melingkar", "tingkat_induk_salah",
                          "target_renstra_tidak_valid", "target_tahun_lalu_tidak_valid"})
"""Master findings of rows that stay on the forms but keep the period's documents in draft until fixed."""
JADWAL_HEADERS = ("Periode", "Dibuka", "Batas Pengisian", "Tanggal Kunci", "Tanggal Rapat")
PERSETUJUAN_HEADERS = ("Periode", "Kode Bidang", "Status", "Catatan", "Tanggal")
LIBUR_HEADERS = ("Tanggal", "Keterangan", "Jenis")
LIBUR_KINDS = ("libur", "masuk")
"""``Libur`` (optional tab): the office's own days off (*libur*) and days it works although the national
calendar is off (*masuk*); an empty Jenis is *libur*."""


def _table(values: Values, headers: Sequence[str], tab: str) -> tuple[list[tuple[int, dict[str, Raw]]], list[str]]:
    """Rows as (sheet row number, header → raw) located by header; returns missing headers too."""
    if not values:
        return [], list(headers)
    found = {_text(h).lower(): i for i, h in enumerate(values[0]) if _text(h)}
    missing = [h for h in headers if h.lower() not in found]
    rows = []
    for n, row in enumerate(values[1:], start=2):
        rec = {h: (row[found[h.lower()]] if h.lower() in found and found[h.lower()] < len(row) else None)
               for h in headers}
        if any(_text(v) for v in rec.values()):
            rows.append((n, rec))
    return rows, missing


def _col(headers: Sequence[str], name: str) -> str:
    return col_letter(headers.index(name) + 1)


def _found_cols(values: Values, headers: Sequence[str]) -> dict[str, str]:
    """Header → column letter where the PPKP actually put it (falls back to the documented order)."""
    found = {_text(h).lower(): i for i, h in enumerate(values[0]) if _text(h)} if values else {}
    return {h: col_letter(found[h.lower()] + 1) if h.lower() in found else _col(headers, h)
            for h in headers if h.lower() in found or h in headers[:len(INDIKATOR_HEADERS)]}


_TARGET_FIELDS = (("Target TW IV", "Target TW IV"), ("Target TW III", "Target TW III"),
                  ("Target TW II", "Target TW II"), ("Target TW I", "Target TW I"),
                  ("Target tahunan", "Target Tahunan"), ("Polaritas", "Polaritas"),
                  ("Jenis konsolidasi", "Konsolidasi"), ("Konvensi target", "Konvensi Target"))


def _target_header(problem: str, ind: Indicator) -> str:
    """The master column a target problem is about (the exact wrong cell, not always Target Tahunan)."""
    for prefix, header in _TARGET_FIELDS:
        if problem.startswith(prefix + ":") or problem.startswith(prefix + " "):
            return header
    defined = [(q, t) for q in range(1, 5) if (t := parse_target(ind.target_for(q))).kind != "none"]
    if problem.startswith(("Target kumulatif triwulan terakhir", "Target triwulan terakhir")) and defined:
        return f"Target TW {ROMAN[defined[-1][0]]}"
    if problem.startswith("Target kumulatif (s.d. triwulan)"):
        def level(t: Target) -> float:
            return (t.value if t.value is not None else t.low) or 0.0
        falling = ind.polaritas == "negatif" and len(defined) > 1 and level(defined[1][1]) < level(defined[0][1])
        for (_, a), (q, b) in itertools.pairwise(defined):
            if (level(b) > level(a)) if falling else (level(b) < level(a)):
                return f"Target TW {ROMAN[q]}"
    return "Target Tahunan"


def parse_when(v: Raw, tz: ZoneInfo, *, end_of_day: bool) -> datetime | None:
    """A date/time cell as the PPKP typed it: ISO ``2025-04-10`` / ``2025-04-10 16:00`` or
    ``10/04/2025``.  A bare date means the end of that day (deadlines) or its start (openings)."""
    s = _text(v)
    if not s:
        return None
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
                "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M"):
        try:
            return datetime.strptime(s, fmt).replace(tzinfo=tz)
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            d = datetime.strptime(s, fmt).date()
        except ValueError:
            continue
        return datetime.combine(d, time(23, 59, 59) if end_of_day else time(0, 0), tz)
    raise ValueError(s)


# Whole tabs, open-ended: no silent row cap (a Pemkab running every OPD has tens of thousands of
# indicator rows).  Columns stop at Z: headers are found by name within A–Z.
BIDANG_RANGE, INDIKATOR_RANGE, JADWAL_RANGE, PERSETUJUAN_RANGE = (
    "Bidang!A:Z", "Indikator!A:Z", "Jadwal!A:Z", "Persetujuan!A:Z")
CONTROL_RANGES = (BIDANG_RANGE, INDIKATOR_RANGE, JADWAL_RANGE, PERSETUJUAN_RANGE)
LIBUR_RANGE = "Libur!A:Z"
OPTIONAL_RANGES = (LIBUR_RANGE,)
"""Read with the control when the tab exists; no finding when it does not."""


class _Report:
    """The findings of one read of the control tabs, all with unit ``KENDALI``."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def find(self, tab: str, c: str, code: FindingCode, msg: Text, fix: Text, severity: Severity = "error") -> None:
        self.findings.append(Finding.worded("KENDALI", tab, c, code, msg, fix, severity))

    def missing_columns(self, tab: str, missing: Sequence[str]) -> None:
        for h in missing:
            self.find(tab, "1", "kolom_hilang", Text("Kolom {header} tidak ditemukan di tab {tab}.", header=repr(h),
                                                     tab=tab),
                      Text("Tambahkan judul kolom {header}.", header=repr(h)))

    def period_of(self, tab: str, n: int, r: Mapping[str, Raw]) -> Period | None:
        """The row's Periode, or None (and a finding) when it is not a period."""
        try:
            return Period.parse(_text(r["Periode"]))
        except ValueError:
            self.find(tab, cell(n, 1), "periode_tidak_dikenal",
                      Text("Periode {typed} tidak dikenal.", typed=repr(_text(r["Periode"]))),
                      Text("Tulis seperti 2025-TW1."))
            return None


def _missing_tabs(tabs: set[str], report: _Report) -> None:
    for wanted in CONTROL_RANGES:
        tab_name = wanted.split("!")[0]
        if tab_name not in tabs:
            report.find(tab_name, "", "tab_hilang", Text("Tab {tab} tidak ada di spreadsheet kendali.", tab=tab_name),
                        Text("Tambahkan kembali tab tersebut (lihat contoh dari `sheets-sync init`)."))


def _units(values: Values, report: _Report) -> list[Unit]:
    """The Bidang rows with a unique code; the form link column is optional (the service writes it)."""
    rows, missing = _table(values, BIDANG_HEADERS[:5], "Bidang")
    report.missing_columns("Bidang", missing)
    full_rows, _ = _table(values, BIDANG_HEADERS, "Bidang")
    links = {_text(r["Kode"]): _text(r["Tautan Form"]) for _, r in full_rows}
    units: list[Unit] = []
    seen: set[str] = set()  # linear: a set lookup per row, never a scan of the rows before it
    for n, r in rows:
        code = _text(r["Kode"])
        if not code:
            report.find("Bidang", cell(n, 1), "kode_kosong", Text("Baris {n} tab Bidang tidak punya kode.", n=n),
                        Text("Isi kolom Kode."))
        elif code in seen:
            report.find("Bidang", cell(n, 1), "kode_ganda", Text("Kode bidang {code} muncul dua kali.", code=code),
                        Text("Gunakan kode unik."))
        else:
            seen.add(code)
            units.append(Unit(code, _text(r["Nama Bidang"]), _text(r["Kepala Bidang"]), _text(r["Email Kepala"]),
                              _text(r["Email Operator"]), links.get(code, "")))
    return units


def _indicator_of(r: Mapping[str, Raw]) -> Indicator:
    return Indicator(
        code=_text(r["Kode"]), unit=_text(r["Kode Bidang"]), sasaran=_text(r["Sasaran Strategis"]),
        name=_text(r["Indikator Kinerja"]), satuan=_text(r["Satuan"]), polaritas=_text(r["Polaritas"]).lower(),
        konsolidasi=_text(r["Konsolidasi"]).lower(), konvensi_target=_text(r["Konvensi Target"]).lower(),
        target_tahunan=_text(r["Target Tahunan"]),
        targets=(_text(r["Target TW I"]), _text(r["Target TW II"]), _text(r["Target TW III"]),
                 _text(r["Target TW IV"])),
        cara_pengukuran=_text(r["Cara Pengukuran"]),
    )


def _codes_hint(codes: set[str], limit: int = 12) -> str | Text:
    """The bidang codes to suggest in a fix: all of them when few, else the first ``limit`` and a count."""
    ordered = sorted(codes)
    if len(ordered) <= limit:
        return ", ".join(ordered)
    return Text("{codes}, … ({n} kode di tab Bidang)", codes=", ".join(ordered[:limit]), n=len(ordered))



def _row(n: int, code: str | Text) -> Text:
    """Where an Indikator row is, in a message: ``baris 7 (1.2)``."""
    return Text("baris {n} ({code})", n=n, code=code)


def _indicator_usable(ind: Indicator, n: int, known: Container[str], codes: set[str], cols: Mapping[str, str],
                      report: _Report, hint: Callable[[], str | Text] | None = None) -> bool:
    """Whether an Indikator row can be used: a unique code, a known bidang and known polaritas /
    konsolidasi / konvensi (its identity; ``known`` holds the codes accepted so far, ``hint`` gives the
    bidang codes to suggest, computed once).  Its targets and cascading columns are checked elsewhere
    and never make it unusable."""
    where = _row(n, ind.code or Text("tanpa kode"))
    bad = False
    if not ind.code:
        report.find("Indikator", cell(n, 1), "kode_kosong", Text("Indikator {where} tidak punya kode.", where=where),
                    Text("Isi kolom Kode."))
        bad = True
    elif ind.code in known:
        report.find("Indikator", cell(n, 1), "kode_ganda",
                    Text("Kode indikator {code} muncul dua kali ({where}).", code=ind.code, where=where),
                    Text("Beri setiap indikator kode yang unik, misalnya 1.4."))
        bad = True
    if ind.unit not in codes:
        report.find("Indikator", f"{cols['Kode Bidang']}{n}", "bidang_tidak_dikenal",
                    Text("Indikator {where} memakai kode bidang {unit} yang tidak ada di tab Bidang.", where=where,
                         unit=repr(ind.unit)),
                    Text("Gunakan salah satu kode: {codes}.", codes=hint() if hint else _codes_hint(codes)))
        bad = True
    unknown: tuple[tuple[str, tuple[str, ...], str, FindingCode], ...] = (
        ("polaritas", POLARITAS, "Polaritas", "polaritas_tidak_dikenal"),
        ("konsolidasi", KONSOLIDASI, "Konsolidasi", "konsolidasi_tidak_dikenal"),
        ("konvensi_target", KONVENSI_TARGET, "Konvensi Target", "konvensi_target_tidak_dikenal"))
    for field, allowed, header, code in unknown:
        if getattr(ind, field) not in allowed:
            report.find("Indikator", f"{cols[header]}{n}", code,
                        Text("{header} {typed} pada indikator {where} tidak dikenal.", header=header,
                             typed=repr(getattr(ind, field)), where=where),
                        Text("Isi salah satu: {allowed}.", allowed=", ".join(allowed)))
            bad = True
    return not bad


def _target_findings(ind: Indicator, n: int, cols: Mapping[str, str], report: _Report) -> None:
    """One finding per target problem, on the exact cell of the wrong target."""
    where = _row(n, ind.code)
    for problem in validate_targets(ind):
        report.find("Indikator", f"{cols[_target_header(str(problem), ind)]}{n}", "target_tidak_konsisten",
                    Text("Indikator {where}: {problem}", where=where, problem=problem),
                    Text("Perbaiki target pada sel ini di tab Indikator."))


def _indicators(values: Values, codes: set[str], report: _Report) -> list[Indicator]:
    """The usable Indikator rows with their optional cascading columns; then the cascading checks
    (orphans, cycles, levels) over all of them."""
    headers = INDIKATOR_HEADERS + INDIKATOR_OPTIONAL
    rows, missing = _table(values, headers, "Indikator")
    report.missing_columns("Indikator", [h for h in missing if h not in INDIKATOR_OPTIONAL])
    cols = _found_cols(values, headers)
    indicators: list[Indicator] = []
    row_of: dict[str, int] = {}  # also the codes accepted so far (a set lookup per row, never a scan)
    hint = functools.cache(lambda: _codes_hint(codes))
    for n, r in rows:
        ind = _indicator_of(r)
        if _indicator_usable(ind, n, row_of.keys(), codes, cols, report, hint):
            ind = _cascading(ind, r, n, _row(n, ind.code), cols, report.find)
            _target_findings(ind, n, cols, report)
            row_of[ind.code] = n
            indicators.append(ind)
    for p in cascade_problems(indicators):
        report.find("Indikator", f"{cols.get('Kode Induk') or cols.get('Tingkat') or 'A'}{row_of[p.code]}",
                    p.finding, p.message,
                    Text("Perbaiki Kode Induk atau Tingkat di tab Indikator (induk satu tingkat di atasnya)."))
    return indicators


_WORKDAYS = re.compile(r"^\s*(\d{1,3})\s*hari\s*kerja\s*$", re.IGNORECASE)


def _workdays_after(v: Raw, start: datetime | None, calendar: Calendar, tz: ZoneInfo, *,
                    counts_start: bool) -> datetime | None:
    """``3 hari kerja`` typed in a Jadwal date cell: the end of the 3rd working day from ``start``
    (the opening day counts as the first when it is a working day, ``counts_start``; after the
    deadline it does not).  Anything else: None (read as a date)."""
    m = _WORKDAYS.match(_text(v))
    if m is None or start is None:
        return None
    n = int(m.group(1))
    first = calendar.roll_forward(start.date())
    day = calendar.add_workdays(first, n - 1) if counts_start and n > 0 else calendar.add_workdays(start.date(), n)
    return datetime.combine(day, time(23, 59, 59), tz)


def _schedule_of(n: int, r: Mapping[str, Raw], period: Period, tz: ZoneInfo, report: _Report,
                 calendar: Calendar) -> Schedule | None:
    """One Jadwal row, or None (and a finding naming the first unreadable or missing date).  Batas
    Pengisian may be ``N hari kerja`` from Dibuka, Tanggal Kunci ``N hari kerja`` after the deadline
    (working days of ``calendar``: national holidays, config and the Libur tab)."""
    header = "Dibuka"
    try:
        opens = parse_when(r[header], tz, end_of_day=False)
        header = "Batas Pengisian"
        deadline = (_workdays_after(r[header], opens, calendar, tz, counts_start=True)
                    or parse_when(r[header], tz, end_of_day=True))
        header = "Tanggal Kunci"
        lock = (_workdays_after(r[header], deadline, calendar, tz, counts_start=False)
                or parse_when(r[header], tz, end_of_day=True))
        header = "Tanggal Rapat"
        meeting = parse_when(r[header], tz, end_of_day=False)
    except ValueError as exc:
        report.find("Jadwal", f"{_col(JADWAL_HEADERS, header)}{n}", "tanggal_tidak_valid",
                    Text("Tanggal {typed} pada periode {period} tidak dapat dibaca.", typed=str(exc),
                         period=str(period)),
                    Text("Tulis tanggal seperti 2025-04-10 atau 2025-04-10 16:00."))
        return None
    if opens is None or deadline is None:
        report.find("Jadwal", f"C{n}", "tanggal_kosong",
                    Text("Periode {period} belum punya tanggal dibuka/batas pengisian.", period=str(period)),
                    Text("Isi kolom Dibuka dan Batas Pengisian."))
        return None
    return Schedule(period, opens, deadline, lock, meeting.date() if meeting else None)


def _schedules(values: Values, tz: ZoneInfo, report: _Report, calendar: Calendar) -> list[Schedule]:
    rows, _ = _table(values, JADWAL_HEADERS, "Jadwal")
    schedules: list[Schedule] = []
    for n, r in rows:
        if (period := report.period_of("Jadwal", n, r)) is None:
            continue
        if (schedule := _schedule_of(n, r, period, tz, report, calendar)) is not None:
            schedules.append(schedule)
    return schedules


def _decision_of(n: int, r: Mapping[str, Raw], tz: ZoneInfo, report: _Report) -> Decision | None:
    """One Persetujuan row (an empty status is ``Belum dibahas``).  A row the meeting cannot mean is
    ignored with a finding that names it and the fix (an unknown status such as ``Setuju``, "Perlu
    perbaikan" without a catatan: the bidang must be told what to fix); an unreadable date keeps the
    decision without its date.  Every such finding starts with ``Persetujuan <periode> <bidang>:`` so
    ``approve`` can show those of its period (:func:`decision_findings`)."""
    status = _text(r["Status"]) or "Belum dibahas"
    normal = {s.lower(): s for s in APPROVAL_STATUSES}.get(status.lower())
    if (period := report.period_of("Persetujuan", n, r)) is None:
        return None
    where = Text("Persetujuan {period} {unit}: baris {n}", period=str(period),
                 unit=_text(r["Kode Bidang"]) or Text("(tanpa kode bidang)"), n=n)
    if normal is None:
        report.find("Persetujuan", cell(n, 3), "status_tidak_dikenal",
                    Text("{where} diabaikan — status {status} tidak dikenal.", where=where, status=repr(status)),
                    Text("Pilih Disetujui atau Perlu perbaikan dari daftar pilihan kolom Status."))
        return None
    if normal == "Perlu perbaikan" and not _text(r["Catatan"]):
        report.find("Persetujuan", cell(n, 4), "catatan_wajib",
                    Text("{where} diabaikan — Perlu perbaikan tanpa Catatan.", where=where),
                    Text("Tulis di kolom Catatan apa yang harus diperbaiki bidang, lalu jalankan approve lagi."))
        return None
    when = None
    try:
        parsed = parse_when(r["Tanggal"], tz, end_of_day=False)
        when = parsed.date() if parsed else None
    except ValueError:
        report.find("Persetujuan", cell(n, 5), "tanggal_tidak_valid",
                    Text("{where}: tanggal {typed} tidak dapat dibaca; keputusan dicatat dengan tanggal saat dibaca.",
                         where=where, typed=repr(_text(r["Tanggal"]))),
                    Text("Tulis tanggal seperti 2025-04-14."), "warning")
    return Decision(period, _text(r["Kode Bidang"]), normal, _text(r["Catatan"]), when)


def decision_findings(control: Control, period: Period) -> list[Finding]:
    """The findings about ``Persetujuan`` rows of ``period`` (and rows whose period is unreadable)."""
    prefix = f"Persetujuan {period} "
    return [f for f in control.findings if f.sheet == "Persetujuan"
            and (f.message.startswith(prefix) or f.code == "periode_tidak_dikenal")]


def _decisions(values: Values, tz: ZoneInfo, report: _Report) -> list[Decision]:
    rows, _ = _table(values, PERSETUJUAN_HEADERS, "Persetujuan")
    return [d for n, r in rows if (d := _decision_of(n, r, tz, report)) is not None]


def _libur_of(n: int, r: Mapping[str, Raw], tz: ZoneInfo, report: _Report) -> DayOverride | None:
    kind = _text(r["Jenis"]).lower() or "libur"
    if kind not in LIBUR_KINDS:
        report.find("Libur", cell(n, 3), "jenis_libur_tidak_dikenal",
                    Text("Jenis {typed} tidak dikenal.", typed=repr(_text(r["Jenis"]))),
                    Text("Isi libur (kantor tutup) atau masuk (kantor buka walau libur nasional)."))
        return None
    try:
        when = parse_when(r["Tanggal"], tz, end_of_day=False)
    except ValueError:
        when = None
    if when is None:
        report.find("Libur", cell(n, 1), "tanggal_tidak_valid",
                    Text("Tanggal {typed} di tab Libur tidak dapat dibaca.", typed=repr(_text(r["Tanggal"]))),
                    Text("Tulis tanggal seperti 2025-10-20."))
        return None
    return DayOverride(when.date(), kind == "libur", _text(r["Keterangan"]))


def parse_libur(values: Values, timezone: str) -> tuple[tuple[DayOverride, ...], list[Finding]]:
    """The ``Libur`` rows in sheet order (a later row of the same date wins) and the problems found."""
    report = _Report()
    rows, missing = _table(values, LIBUR_HEADERS, "Libur")
    if values and "Tanggal" in missing:
        report.missing_columns("Libur", ["Tanggal"])
        return (), report.findings
    tz = ZoneInfo(timezone)
    days = tuple(d for n, r in rows if (d := _libur_of(n, r, tz, report)) is not None)
    return days, report.findings


def parse_control(got: Mapping[str, Values], tabs: set[str], timezone: str,
                  calendar: Calendar | None = None) -> Control:
    """Validate the PPKP tabs as read (``got`` maps each of :data:`CONTROL_RANGES` to its values;
    ``tabs`` are the tabs that exist).  Problems become findings with unit ``KENDALI``; indicators are
    checked against the bidang codes read first.  ``calendar`` (national holidays and config; default
    weekends only) with the ``Libur`` rows applied counts the ``N hari kerja`` of ``Jadwal``."""
    tz = ZoneInfo(timezone)
    report = _Report()
    _missing_tabs(tabs, report)
    units = _units(got.get(BIDANG_RANGE, []), report)
    indicators = _indicators(got.get(INDIKATOR_RANGE, []), {u.code for u in units}, report)
    libur, libur_findings = parse_libur(got.get(LIBUR_RANGE, []), timezone)
    schedules = _schedules(got.get(JADWAL_RANGE, []), tz, report, (calendar or Calendar()).with_overrides(libur))
    decisions = _decisions(got.get(PERSETUJUAN_RANGE, []), tz, report)
    return Control(tuple(units), tuple(indicators), tuple(schedules), tuple(decisions),
                   (*report.findings, *libur_findings), libur)


def _cascading(ind: Indicator, r: Mapping[str, Raw], n: int, where: Text, cols: Mapping[str, str],
               find: Callable[[str, str, FindingCode, Text, Text], None]) -> Indicator:
    """The optional cascading / formula / year columns of one master row; a bad value is a finding
    naming its cell and falls back to the default (the row stays, the documents stay draft)."""
    def at(header: str) -> str:
        return f"{cols.get(header, 'A')}{n}"

    tingkat = tingkat_of(_text(r.get("Tingkat")))
    if tingkat is None:
        find("Indikator", at("Tingkat"), "tingkat_tidak_dikenal",
             Text("{header} {typed} pada indikator {where} tidak dikenal.", header="Tingkat",
                  typed=repr(_text(r.get("Tingkat"))), where=where),
             Text("Isi salah satu: {allowed}.", allowed=", ".join(TINGKAT)))
    iku = yes_no(_text(r.get("IKU")))
    if iku is None:
        find("Indikator", at("IKU"), "iku_tidak_dikenal",
             Text("{header} {typed} pada indikator {where} tidak dikenal.", header="IKU",
                  typed=repr(_text(r.get("IKU"))), where=where),
             Text("Isi ya atau tidak."))
    rumus = rumus_of(_text(r.get("Rumus Negatif")))
    if rumus is None:
        find("Indikator", at("Rumus Negatif"), "rumus_tidak_dikenal",
             Text("{header} {typed} pada indikator {where} tidak dikenal.", header="Rumus Negatif",
                  typed=repr(_text(r.get("Rumus Negatif"))), where=where),
             Text("Isi {a} ((2T − R)/T), {b} (T/R), tren ((T − R)/T) atau kosongkan (rumus kantor).", a="A", b="B"))
    renstra = _text(r.get("Target Akhir Renstra"))
    if renstra and parse_target(renstra).kind in ("invalid", "none"):
        find("Indikator", at("Target Akhir Renstra"), "target_renstra_tidak_valid",
             Text("{header} {typed} pada indikator {where} tidak dapat dibaca.", header="Target Akhir Renstra",
                  typed=repr(renstra), where=where),
             Text("Tulis angka seperti 94,17 atau kosongkan."))
    lalu = _text(r.get("Target Tahun Lalu"))
    if lalu and parse_target(lalu).kind in ("invalid", "none"):
        find("Indikator", at("Target Tahun Lalu"), "target_tahun_lalu_tidak_valid",
             Text("{header} {typed} pada indikator {where} tidak dapat dibaca.", header="Target Tahun Lalu",
                  typed=repr(lalu), where=where),
             Text("Tulis target tahunan tahun lalu seperti pada Perjanjian Kinerja tahun lalu (misalnya 80,00) atau "
                  "kosongkan."))
        lalu = ""
    return replace(ind, tingkat=tingkat or "sasaran", kode_induk=_text(r.get("Kode Induk")), iku=bool(iku),
                   penanggung_jawab=_text(r.get("Penanggung Jawab")), rumus_negatif=rumus or "",
                   realisasi_tahun_lalu=_text(r.get("Realisasi Tahun Lalu")), target_renstra=renstra,
                   periode_renstra=_text(r.get("Periode Renstra")), target_tahun_lalu=lalu)


ANGGARAN_HEADERS = ("Periode", "Pagu", "Realisasi")
ANGGARAN_OPTIONAL = ("Kode",)


ANGGARAN_RANGE = "Anggaran!A:Z"


@dataclass(frozen=True)
class Budget:
    """The ``Anggaran`` rows of one period: ``total`` (pagu, realisasi of the office) and ``lines`` keyed by
    the program/kegiatan indicator code; ``total`` is the row without a Kode, else the sum of the lines."""

    total: dict[str, float] = dc_field(default_factory=dict)
    lines: dict[str, dict[str, float]] = dc_field(default_factory=dict)
    findings: tuple[Finding, ...] = ()


def parse_budget(values: Values, period: Period) -> Budget:
    """Budget rows for the documents from the optional ``Anggaran`` tab (Periode, Kode (optional), Pagu,
    Realisasi s.d. the period, in Rupiah; Indonesian number formats accepted).  No row → no budget."""
    rows, _ = _table(values, ANGGARAN_HEADERS + ANGGARAN_OPTIONAL, "Anggaran")
    found = {_text(h).lower(): i for i, h in enumerate(values[0]) if _text(h)} if values else {}
    total: dict[str, float] = {}
    lines: dict[str, dict[str, float]] = {}
    problems: list[Finding] = []
    for n, r in rows:
        if _text(r["Periode"]).upper() != str(period).upper():
            continue
        out: dict[str, float] = {}
        for header, key in (("Pagu", "pagu"), ("Realisasi", "realisasi")):
            parsed = parse_number(r[header])
            if parsed.kind == "number" and parsed.value is not None:
                out[key] = parsed.value
            elif parsed.kind == "invalid":
                col = col_letter(found[header.lower()] + 1) if header.lower() in found else _col(ANGGARAN_HEADERS,
                                                                                                   header)
                problems.append(Finding.worded(
                    "KENDALI", "Anggaran", f"{col}{n}", "nilai_tidak_valid",
                    Text("{header} anggaran {period}: {problem}", header=header, period=str(period),
                         problem=parsed.problem or ""),
                    Text("Tulis angka Rupiah, misalnya 4.250.000.000.")))
        if "pagu" not in out:
            continue
        code = _text(r.get("Kode"))
        if code:
            lines[code] = out
        elif not total:
            total = out
    if not total and lines:
        total = {"pagu": sum(v["pagu"] for v in lines.values()),
                 "realisasi": sum(v.get("realisasi", 0.0) for v in lines.values())}
    return Budget(total, lines, tuple(problems))


def parse_anggaran(values: Values, period: Period) -> tuple[dict[str, float], list[Finding]]:
    """The office total of :func:`parse_budget` (pagu, realisasi) and the problems found."""
    b = parse_budget(values, period)
    return b.total, list(b.findings)


def unit_link_writes(values: Values, links: Mapping[str, str]) -> list[RangeWrite]:
    """The writes that put each bidang's form link into ``Bidang``'s "Tautan Form" column (found by
    header), given the tab as read; only cells whose link differs."""
    if not values:
        return []
    header = [_text(h) for h in values[0]]
    if "Tautan Form" not in header:
        col = max((i for i, h in enumerate(header, start=1) if h), default=0) + 1  # reads are padded
        writes = [RangeWrite(f"Bidang!{cell(1, col)}", [["Tautan Form"]])]
    else:
        col = header.index("Tautan Form") + 1
        writes = []
    code_col = header.index("Kode") if "Kode" in header else 0
    for n, row in enumerate(values[1:], start=2):
        code = _text(row[code_col]) if code_col < len(row) else ""
        want = links.get(code)
        have = _text(row[col - 1]) if col - 1 < len(row) else ""
        if want and want != have:
            writes.append(RangeWrite(f"Bidang!{cell(n, col)}", [[want]]))
    return writes
