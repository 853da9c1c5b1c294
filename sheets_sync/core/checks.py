"""Pure checks: one bidang's read + the master + the schedule + now → its :class:`UnitStatus`.

No I/O.  What counts (domain.md, "Completeness and deadlines"):

* Expected cells: every indicator of the bidang measured this quarter (its Target TW n is not ``-``).
* A row is **filled** when its realisasi is a valid number (for ``rasio`` indicators: pembilang and
  penyebut, or a realisasi), or ``-`` *with* a keterangan (legitimately not measured), and its
  keterangan is present where required (capaian < 100% or realisasi ``-``), and a valid bukti dukung
  link is present when the office requires one.  Empty ≠ 0: ``0`` is a value.
* Invalid input (``delapan puluh``, ``1,234``, ``#REF!``) is never guessed: the row is not filled and a
  finding names the cell, what was typed and the accepted forms.
* States: ``Belum mengisi`` (nothing typed) → ``Sebagian`` → ``Lengkap``; ``Terlambat`` when it became
  complete after the on-time deadline; ``Tidak mengisi`` when still incomplete after the deadline.

Finding codes: ``belum_diisi``, ``nilai_tidak_valid``, ``keterangan_wajib``, ``bukti_wajib``,
``bukti_tidak_valid``, ``capaian_tidak_terhitung``, ``rasio_tidak_lengkap``, ``rasio_berbeda`` plus the
layout codes of :mod:`sheets_sync.core.form` (``baris_hilang``, ``kolom_dipindah``, ``form_tertukar``…).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sheets_sync.core.capaian import Capaian, Rules, quarter_capaian
from sheets_sync.core.fmt import persen
from sheets_sync.core.parse import Parsed, parse_link, parse_number
from sheets_sync.model import Finding, FormRead, Indicator, Period, RowRead, Schedule, UnitStatus

DASH_HELP = 'Isi realisasi berupa angka, atau "-" disertai keterangan bila tidak diukur triwulan ini.'


@dataclass(frozen=True)
class RowCheck:
    """One indicator row, interpreted: parsed inputs, capaian and whether it counts as filled."""

    code: str
    realisasi: Parsed
    pembilang: Parsed
    penyebut: Parsed
    keterangan: str
    capaian: Capaian | None
    filled: bool
    typed: bool


def _text(v: object) -> str:
    return "" if v is None else str(v).strip()


def check_row(
    unit: str, sheet: str, ind: Indicator, row: RowRead, quarter: int, rules: Rules, *, require_bukti: bool
) -> tuple[RowCheck, list[Finding]]:
    """Interpret one row and list what is wrong with it."""
    out: list[Finding] = []
    addr = row.addresses
    label = f"indikator {ind.code} ({ind.name})"

    def add(field: str, code: str, msg: str, fix: str, severity: str = "error") -> None:
        out.append(Finding(unit, sheet, addr.get(field, ""), code, msg, fix, severity, ind.code))  # type: ignore[arg-type]

    real = parse_number(row.cells.get("realisasi"))
    pem = parse_number(row.cells.get("pembilang"))
    pen = parse_number(row.cells.get("penyebut"))
    ket = _text(row.cells.get("keterangan"))
    typed = any(_text(v) for v in row.cells.values())
    for field, parsed in (("realisasi", real), ("pembilang", pem), ("penyebut", pen)):
        if parsed.kind == "invalid":
            add(field, "nilai_tidak_valid", f"{field.capitalize()} {label} berisi {parsed.text!r}: {parsed.problem}",
                "Ganti isinya dengan angka yang benar.")
    measured = ind.measured_in(quarter)
    capaian: Capaian | None = None
    filled = False
    value_ok = False
    if real.kind == "not_measured":
        value_ok = True
        if not ket:
            add("keterangan", "keterangan_wajib", f"Realisasi {label} diisi \"-\" tanpa keterangan.",
                "Tulis di Keterangan mengapa indikator ini tidak diukur triwulan ini.")
    elif ind.is_ratio and (pem.kind == "number" or pen.kind == "number"):
        if pem.kind == "number" and pen.kind == "number":
            value_ok = True
            capaian = quarter_capaian(ind, quarter, real.value, pem.value, pen.value, rules)
            if real.kind == "number" and pen.value and abs(real.value - pem.value / pen.value * 100) > 0.01:  # type: ignore[operator]
                add("realisasi", "rasio_berbeda",
                    f"Realisasi {label} ({real.text}) berbeda dengan pembilang/penyebut "
                    f"({pem.text}/{pen.text}); yang dipakai adalah pembilang/penyebut.",
                    "Perbaiki salah satunya agar sama.", "warning")
        elif pem.ok and pen.ok:
            missing = "penyebut" if pem.kind == "number" else "pembilang"
            add(missing, "rasio_tidak_lengkap", f"{missing.capitalize()} {label} belum diisi.",
                f"Isi {missing} (angka) agar capaian rasio dapat dihitung.")
    elif real.kind == "number":
        value_ok = True
        capaian = quarter_capaian(ind, quarter, real.value, None, None, rules)
    if capaian is not None and capaian.status == "error" and measured:
        add("realisasi", "capaian_tidak_terhitung", f"Capaian {label} tidak dapat dihitung: {capaian.note}",
            "Periksa target di tab Indikator dan realisasi yang diisi.")
    if value_ok and real.kind != "not_measured" and not ket and capaian is not None and capaian.status == "ok" \
            and capaian.value is not None and capaian.value < 100:
        add("keterangan", "keterangan_wajib",
            f"Capaian {label} {persen(capaian.value)} (di bawah 100%) tetapi Keterangan kosong.",
            "Tulis penjelasan/kendala dan upaya tindak lanjut di kolom Keterangan.")
    na_needs_ket = measured and value_ok and real.kind != "not_measured" and capaian is not None \
        and capaian.status == "na"  # e.g. penyebut 0: "N/A" with a keterangan (domain.md)
    if na_needs_ket and not ket and capaian is not None:
        add("keterangan", "keterangan_wajib", f"Capaian {label} N/A ({capaian.note}) tetapi Keterangan kosong.",
            "Tulis di Keterangan mengapa capaian tidak dapat dihitung triwulan ini.")
    link = parse_link(row.cells.get("bukti"))
    bukti_ok = True
    if link.kind == "invalid":
        add("bukti", "bukti_tidak_valid", f"Bukti dukung {label} bukan tautan: {link.problem}",
            "Tempel tautan lengkap yang diawali https://.", "error" if require_bukti else "warning")
        bukti_ok = not require_bukti
    elif require_bukti and link.kind == "empty" and value_ok and real.kind != "not_measured":
        add("bukti", "bukti_wajib", f"Bukti dukung {label} belum diisi.", "Tempel tautan dokumen bukti dukung.")
        bukti_ok = False
    ket_needed = (real.kind == "not_measured") or na_needs_ket or (
        capaian is not None and capaian.status == "ok" and capaian.value is not None and capaian.value < 100
    )
    filled = value_ok and bukti_ok and (bool(ket) or not ket_needed)
    if measured and not value_ok and real.kind == "empty" and not any(f.code != "bukti_tidak_valid" for f in out):
        add("realisasi", "belum_diisi", f"Realisasi {label} belum diisi.", DASH_HELP)
    return RowCheck(ind.code, real, pem, pen, ket, capaian, filled, typed), out


def evaluate(
    read: FormRead | None, indicators: Sequence[Indicator], period: Period, schedule: Schedule | None,
    now: datetime, rules: Rules, *, unit: str, require_bukti: bool = False,
    completed_at: datetime | None = None, last_change: datetime | None = None,
) -> tuple[UnitStatus, list[RowCheck]]:
    """Status of one bidang.  ``completed_at`` is when it first became complete (kept by the caller,
    None when it is not complete or was not before); the returned status carries the updated value."""
    expected = [i for i in indicators if i.unit == unit and i.measured_in(period.quarter)]
    required = len(expected)
    deadline_passed = schedule is not None and now > schedule.deadline
    if read is None or not read.ok:
        findings = tuple(read.findings) if read else ()
        state = "Tidak mengisi" if deadline_passed else "Belum mengisi"
        return UnitStatus(unit, period, state, 0, required, findings, last_change, None, False, read is None), []
    findings_list: list[Finding] = list(read.findings)
    checks: list[RowCheck] = []
    filled = 0
    typed = False
    by_code = {i.code: i for i in indicators}
    for row in read.rows:
        ind = by_code.get(row.code)
        if ind is None:
            continue
        rc, fs = check_row(unit, read.sheet, ind, row, period.quarter, rules, require_bukti=require_bukti)
        checks.append(rc)
        findings_list.extend(fs)
        typed = typed or rc.typed
        if rc.filled and ind.measured_in(period.quarter):
            filled += 1
    complete = filled >= required and not any(
        f.severity == "error" and f.code in ("baris_hilang", "kolom_hilang") for f in findings_list
    )
    if complete:
        completed_at = completed_at or read.read_at
        late = schedule is not None and completed_at > schedule.deadline
        state = "Terlambat" if late else "Lengkap"
    else:
        completed_at = None
        state = "Tidak mengisi" if deadline_passed else "Sebagian" if typed else "Belum mengisi"
    status = UnitStatus(unit, period, state, filled, required, tuple(findings_list), last_change, completed_at,
                        read.done)
    return status, checks
