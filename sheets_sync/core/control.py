"""The control spreadsheet ("Kendali Data Kinerja"): its tabs, reading them into a validated
:class:`~sheets_sync.model.Control`, and building one from the shipped sample offices.

The PPKP edits ``Bidang``, ``Indikator``, ``Jadwal`` and ``Persetujuan``; the service writes the form
links into ``Bidang``, and owns ``Rekap`` and ``Dokumen``.  Columns are located by header text, so the
PPKP may reorder or add columns.  A bad row becomes a finding naming the tab and cell; it never stops
the other rows from being read.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sheets_sync.core.a1 import cell, col_letter
from sheets_sync.core.capaian import validate_targets
from sheets_sync.core.parse import parse_number
from sheets_sync.core.values import RangeWrite, Values
from sheets_sync.model import (
    APPROVAL_STATUSES,
    KONSOLIDASI,
    KONVENSI_TARGET,
    POLARITAS,
    Control,
    Decision,
    Finding,
    Indicator,
    Period,
    Raw,
    Schedule,
    Unit,
)

TABS = ("Bidang", "Indikator", "Jadwal", "Persetujuan", "Rekap", "Dokumen")

BIDANG_HEADERS = ("Kode", "Nama Bidang", "Kepala Bidang", "Email Kepala", "Email Operator", "Tautan Form")
INDIKATOR_HEADERS = (
    "Kode", "Kode Bidang", "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Polaritas", "Konsolidasi",
    "Konvensi Target", "Target Tahunan", "Target TW I", "Target TW II", "Target TW III", "Target TW IV",
    "Cara Pengukuran",
)
JADWAL_HEADERS = ("Periode", "Dibuka", "Batas Pengisian", "Tanggal Kunci", "Tanggal Rapat")
PERSETUJUAN_HEADERS = ("Periode", "Kode Bidang", "Status", "Catatan", "Tanggal")


def _text(v: Raw) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


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


class _Report:
    """The findings of one read of the control tabs, all with unit ``KENDALI``."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def find(self, tab: str, c: str, code: str, msg: str, fix: str) -> None:
        self.findings.append(Finding("KENDALI", tab, c, code, msg, fix))

    def missing_columns(self, tab: str, missing: Sequence[str]) -> None:
        for h in missing:
            self.find(tab, "1", "kolom_hilang", f"Kolom {h!r} tidak ditemukan di tab {tab}.",
                      f"Tambahkan judul kolom {h!r}.")

    def period_of(self, tab: str, n: int, r: Mapping[str, Raw]) -> Period | None:
        """The row's Periode, or None (and a finding) when it is not a period."""
        try:
            return Period.parse(_text(r["Periode"]))
        except ValueError:
            self.find(tab, cell(n, 1), "periode_tidak_dikenal", f"Periode {_text(r['Periode'])!r} tidak dikenal.",
                      "Tulis seperti 2025-TW1.")
            return None


def _missing_tabs(tabs: set[str], report: _Report) -> None:
    for wanted in CONTROL_RANGES:
        tab_name = wanted.split("!")[0]
        if tab_name not in tabs:
            report.find(tab_name, "", "tab_hilang", f"Tab {tab_name} tidak ada di spreadsheet kendali.",
                        "Tambahkan kembali tab tersebut (lihat contoh dari `sheets-sync init`).")


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
            report.find("Bidang", cell(n, 1), "kode_kosong", f"Baris {n} tab Bidang tidak punya kode.",
                        "Isi kolom Kode.")
        elif code in seen:
            report.find("Bidang", cell(n, 1), "kode_ganda", f"Kode bidang {code} muncul dua kali.",
                        "Gunakan kode unik.")
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


def _codes_hint(codes: set[str], limit: int = 12) -> str:
    """The bidang codes to suggest in a fix: all of them when few, else the first ``limit`` and a count."""
    ordered = sorted(codes)
    if len(ordered) <= limit:
        return ", ".join(ordered)
    return f"{', '.join(ordered[:limit])}, … ({len(ordered)} kode di tab Bidang)"


def _indicator_usable(ind: Indicator, n: int, known: set[str], codes: set[str], report: _Report,
                      hint: Callable[[], str] | None = None) -> bool:
    """Whether an Indikator row can be used: a unique code (``known`` holds the codes accepted so far),
    a known bidang and known polaritas / konsolidasi / konvensi.  Only then are its targets checked
    (they never make it unusable).  ``hint`` gives the bidang codes to suggest (computed once)."""
    where = f"baris {n} ({ind.code or 'tanpa kode'})"
    bad = False
    if not ind.code:
        report.find("Indikator", cell(n, 1), "kode_kosong", f"Indikator {where} tidak punya kode.", "Isi kolom Kode.")
        bad = True
    elif ind.code in known:
        report.find("Indikator", cell(n, 1), "kode_ganda", f"Kode indikator {ind.code} muncul dua kali ({where}).",
                    "Beri setiap indikator kode yang unik, misalnya 1.4.")
        bad = True
    if ind.unit not in codes:
        report.find("Indikator", f"{_col(INDIKATOR_HEADERS, 'Kode Bidang')}{n}", "bidang_tidak_dikenal",
                    f"Indikator {where} memakai kode bidang {ind.unit!r} yang tidak ada di tab Bidang.",
                    f"Gunakan salah satu kode: {hint() if hint else _codes_hint(codes)}.")
        bad = True
    for field, allowed, header in (("polaritas", POLARITAS, "Polaritas"),
                                   ("konsolidasi", KONSOLIDASI, "Konsolidasi"),
                                   ("konvensi_target", KONVENSI_TARGET, "Konvensi Target")):
        if getattr(ind, field) not in allowed:
            report.find("Indikator", f"{_col(INDIKATOR_HEADERS, header)}{n}", f"{field}_tidak_dikenal",
                        f"{header} {getattr(ind, field)!r} pada indikator {where} tidak dikenal.",
                        f"Isi salah satu: {', '.join(allowed)}.")
            bad = True
    if bad:
        return False
    for problem in validate_targets(ind):
        report.find("Indikator", f"{_col(INDIKATOR_HEADERS, 'Target Tahunan')}{n}", "target_tidak_konsisten",
                    f"Indikator {where}: {problem}", "Perbaiki target tahunan/triwulan di tab Indikator.")
    return True


def _indicators(values: Values, codes: set[str], report: _Report) -> list[Indicator]:
    rows, missing = _table(values, INDIKATOR_HEADERS, "Indikator")
    report.missing_columns("Indikator", missing)
    indicators: list[Indicator] = []
    known: set[str] = set()
    hint = functools.cache(lambda: _codes_hint(codes))
    for n, r in rows:
        ind = _indicator_of(r)
        if _indicator_usable(ind, n, known, codes, report, hint):
            indicators.append(ind)
            known.add(ind.code)
    return indicators


def _schedule_of(n: int, r: Mapping[str, Raw], period: Period, tz: ZoneInfo, report: _Report) -> Schedule | None:
    """One Jadwal row, or None (and a finding naming the first unreadable or missing date)."""
    header = "Dibuka"
    try:
        opens = parse_when(r[header], tz, end_of_day=False)
        header = "Batas Pengisian"
        deadline = parse_when(r[header], tz, end_of_day=True)
        header = "Tanggal Kunci"
        lock = parse_when(r[header], tz, end_of_day=True)
        header = "Tanggal Rapat"
        meeting = parse_when(r[header], tz, end_of_day=False)
    except ValueError as exc:
        report.find("Jadwal", f"{_col(JADWAL_HEADERS, header)}{n}", "tanggal_tidak_valid",
                    f"Tanggal {exc} pada periode {period} tidak dapat dibaca.",
                    "Tulis tanggal seperti 2025-04-10 atau 2025-04-10 16:00.")
        return None
    if opens is None or deadline is None:
        report.find("Jadwal", f"C{n}", "tanggal_kosong",
                    f"Periode {period} belum punya tanggal dibuka/batas pengisian.",
                    "Isi kolom Dibuka dan Batas Pengisian.")
        return None
    return Schedule(period, opens, deadline, lock, meeting.date() if meeting else None)


def _schedules(values: Values, tz: ZoneInfo, report: _Report) -> list[Schedule]:
    rows, _ = _table(values, JADWAL_HEADERS, "Jadwal")
    schedules: list[Schedule] = []
    for n, r in rows:
        if (period := report.period_of("Jadwal", n, r)) is None:
            continue
        if (schedule := _schedule_of(n, r, period, tz, report)) is not None:
            schedules.append(schedule)
    return schedules


def _decision_of(n: int, r: Mapping[str, Raw], tz: ZoneInfo, report: _Report) -> Decision | None:
    """One Persetujuan row (an empty status is ``Belum dibahas``); an unreadable date keeps the decision
    without its date."""
    status = _text(r["Status"]) or "Belum dibahas"
    normal = {s.lower(): s for s in APPROVAL_STATUSES}.get(status.lower())
    if (period := report.period_of("Persetujuan", n, r)) is None:
        return None
    if normal is None:
        report.find("Persetujuan", cell(n, 3), "status_tidak_dikenal", f"Status {status!r} tidak dikenal.",
                    f"Isi salah satu: {', '.join(APPROVAL_STATUSES)}.")
        return None
    when = None
    try:
        parsed = parse_when(r["Tanggal"], tz, end_of_day=False)
        when = parsed.date() if parsed else None
    except ValueError:
        report.find("Persetujuan", cell(n, 5), "tanggal_tidak_valid",
                    f"Tanggal {_text(r['Tanggal'])!r} tidak dapat dibaca.",
                    "Tulis tanggal seperti 2025-04-14.")
    return Decision(period, _text(r["Kode Bidang"]), normal, _text(r["Catatan"]), when)


def _decisions(values: Values, tz: ZoneInfo, report: _Report) -> list[Decision]:
    rows, _ = _table(values, PERSETUJUAN_HEADERS, "Persetujuan")
    return [d for n, r in rows if (d := _decision_of(n, r, tz, report)) is not None]


def parse_control(got: Mapping[str, Values], tabs: set[str], timezone: str) -> Control:
    """Validate the PPKP tabs as read (``got`` maps each of :data:`CONTROL_RANGES` to its values;
    ``tabs`` are the tabs that exist).  Problems become findings with unit ``KENDALI``; indicators are
    checked against the bidang codes read first."""
    tz = ZoneInfo(timezone)
    report = _Report()
    _missing_tabs(tabs, report)
    units = _units(got.get(BIDANG_RANGE, []), report)
    indicators = _indicators(got.get(INDIKATOR_RANGE, []), {u.code for u in units}, report)
    schedules = _schedules(got.get(JADWAL_RANGE, []), tz, report)
    decisions = _decisions(got.get(PERSETUJUAN_RANGE, []), tz, report)
    return Control(tuple(units), tuple(indicators), tuple(schedules), tuple(decisions), tuple(report.findings))


ANGGARAN_HEADERS = ("Periode", "Pagu", "Realisasi")


ANGGARAN_RANGE = "Anggaran!A:Z"


def parse_anggaran(values: Values, period: Period) -> tuple[dict[str, float], list[Finding]]:
    """Budget lines for the documents from the optional ``Anggaran`` tab (Periode, Pagu, Realisasi s.d.
    the period, in Rupiah; Indonesian number formats accepted).  No row → no budget lines."""
    rows, _ = _table(values, ANGGARAN_HEADERS, "Anggaran")
    for n, r in rows:
        if _text(r["Periode"]).upper() != str(period).upper():
            continue
        out: dict[str, float] = {}
        problems = []
        for header, key in (("Pagu", "pagu"), ("Realisasi", "realisasi")):
            parsed = parse_number(r[header])
            if parsed.kind == "number" and parsed.value is not None:
                out[key] = parsed.value
            elif parsed.kind == "invalid":
                problems.append(Finding("KENDALI", "Anggaran", f"{_col(ANGGARAN_HEADERS, header)}{n}",
                                        "nilai_tidak_valid", f"{header} anggaran {period}: {parsed.problem}",
                                        "Tulis angka Rupiah, misalnya 4.250.000.000."))
        return (out if "pagu" in out else {}), problems
    return {}, []


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
