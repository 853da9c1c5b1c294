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

Plausibility (:class:`Plausibility`, warnings that name the cell and ask the bidang to confirm in
Keterangan; a row with a keterangan is confirmed and no longer flagged; the raw value is always kept):
``nilai_negatif`` (a negative number where the satuan cannot be negative — every satuan except changes
such as *pertumbuhan*), ``persen_lebih_100`` (over 100 for a share: satuan ``%`` and a *persentase* /
*proporsi* / rasio indicator), ``rasio_tanpa_rincian`` (a rasio realisasi typed without pembilang and
penyebut), ``capaian_di_luar_batas`` (capaian outside the band, default 0–300 %) and ``lonjakan_nilai``
(more than ``jump_factor`` times, or less than 1/``jump_factor`` of, the previous quarter).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sheets_sync.core.capaian import Capaian, Rules, quarter_capaian
from sheets_sync.core.fmt import bulat, persen
from sheets_sync.core.parse import Parsed, parse_link, parse_number
from sheets_sync.findings import FindingCode
from sheets_sync.model import Finding, FormRead, Indicator, Period, RowRead, Schedule, Severity, UnitStatus
from sheets_sync.texts import Text

CONFIRM_FIX = Text("Periksa kembali angkanya; bila memang benar, tulis penjelasannya di kolom Keterangan.")
_SIGNED = ("pertumbuhan", "perubahan", "selisih", "laju", "kenaikan", "penurunan", "inflasi", "deviasi")
_SHARE = ("persentase", "proporsi", "rasio", "tingkat", "cakupan")


@dataclass(frozen=True)
class Plausibility:
    """Bounds of the plausibility warnings (``[rules] capaian_band``, ``jump_factor``); None turns one
    off."""

    capaian_min: float | None = 0.0
    capaian_max: float | None = 300.0
    jump_factor: float | None = 10.0


FIELD_NAMES = {"realisasi": Text("Realisasi"), "pembilang": Text("Pembilang"), "penyebut": Text("Penyebut")}
"""A number field as the first word of a finding (the column's name in the form)."""

DASH_HELP = Text('Isi realisasi berupa angka, atau "-" disertai keterangan bila tidak diukur triwulan ini.')


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


def shown(text: str) -> str:
    """Typed text as a person sees it in the cell: no ``repr`` quotes or escapes; non-breaking, thin
    and zero-width spaces as plain spaces, new lines as spaces, and very long text shortened (in Indonesian;
    :func:`shown_text` gives the shortened form as a :class:`Text`)."""
    return str(shown_text(text))


def shown_text(text: str) -> str | Text:
    """:func:`shown`, with a shortened text's length worded where the finding is shown."""
    plain = " ".join(text.translate(_INVISIBLE).split())
    return plain if len(plain) <= 60 else Text("{start}… ({n} karakter)", start=plain[:40], n=len(plain))


_INVISIBLE = str.maketrans({c: " " for c in "\u00a0\u202f\u2007\u2009\u200a\u200b\ufeff"})


def _text(v: object) -> str:
    return "" if v is None else str(v).strip()


@dataclass(frozen=True)
class _Inputs:
    """What the bidang typed in one row, parsed: the three numbers, the keterangan and whether anything
    at all was typed."""

    realisasi: Parsed
    pembilang: Parsed
    penyebut: Parsed
    keterangan: str
    typed: bool

    @classmethod
    def of(cls, row: RowRead) -> _Inputs:
        return cls(parse_number(row.cells.get("realisasi")), parse_number(row.cells.get("pembilang")),
                   parse_number(row.cells.get("penyebut")), _text(row.cells.get("keterangan")),
                   any(_text(v) for v in row.cells.values()))

    @property
    def not_measured(self) -> bool:
        """Realisasi is ``-`` (or N/A): the bidang says the indicator was not measured."""
        return self.realisasi.kind == "not_measured"


class _Findings:
    """The findings of one row, each naming the cell of the field it is about."""

    def __init__(self, unit: str, sheet: str, ind: Indicator, row: RowRead) -> None:
        self.unit, self.sheet, self.ind, self.addresses = unit, sheet, ind, row.addresses
        self.label = Text("indikator {code} ({name})", code=ind.code, name=ind.name)
        self.items: list[Finding] = []

    def add(self, field: str, code: FindingCode, msg: Text, fix: Text, severity: Severity = "error") -> None:
        self.items.append(Finding.worded(self.unit, self.sheet, self.addresses.get(field, ""), code, msg, fix,
                                         severity, self.ind.code))


def _report_invalid_numbers(inputs: _Inputs, found: _Findings) -> None:
    """Every number field that holds something other than a number or ``-`` is a finding."""
    for field, parsed in (("realisasi", inputs.realisasi), ("pembilang", inputs.pembilang),
                          ("penyebut", inputs.penyebut)):
        if parsed.kind == "invalid":
            found.add(field, "nilai_tidak_valid",
                      Text('{field} {label} berisi "{typed}": {problem}', field=FIELD_NAMES[field], label=found.label,
                           typed=shown_text(parsed.text), problem=parsed.problem or ""),
                      Text("Ganti isinya dengan angka yang benar."))


def _ratio_capaian(ind: Indicator, quarter: int, inputs: _Inputs, rules: Rules, found: _Findings) -> Capaian | None:
    """Capaian of a ratio row from pembilang/penyebut (they win over a differing realisasi); None while one
    of the two is still missing."""
    real, pem, pen = inputs.realisasi, inputs.pembilang, inputs.penyebut
    if pem.kind == "number" and pen.kind == "number":
        r, p, q = real.value, pem.value, pen.value
        if real.kind == "number" and r is not None and p is not None and q and abs(r - p / q * 100) > 0.01:
            found.add("realisasi", "rasio_berbeda",
                      Text("Realisasi {label} ({realisasi}) berbeda dengan pembilang/penyebut "
                           "({pembilang}/{penyebut}); yang dipakai adalah pembilang/penyebut.", label=found.label,
                           realisasi=real.text, pembilang=pem.text, penyebut=pen.text),
                      Text("Perbaiki salah satunya agar sama."), "warning")
        return quarter_capaian(ind, quarter, real.value, pem.value, pen.value, rules)
    if pem.ok and pen.ok:
        missing = "penyebut" if pem.kind == "number" else "pembilang"
        found.add(missing, "rasio_tidak_lengkap",
                  Text("{field} {label} belum diisi.", field=FIELD_NAMES[missing], label=found.label),
                  Text("Isi {field} (angka) agar capaian rasio dapat dihitung.", field=missing))
    return None


def _reported_value(ind: Indicator, quarter: int, inputs: _Inputs, rules: Rules,
                    found: _Findings) -> tuple[bool, Capaian | None]:
    """Whether the row reports a value (a number, a complete ratio or ``-``) and its capaian (None for
    ``-`` and for no value)."""
    real = inputs.realisasi
    if inputs.not_measured:
        if not inputs.keterangan:
            found.add("keterangan", "keterangan_wajib",
                      Text('Realisasi {label} diisi "-" tanpa keterangan.', label=found.label),
                      Text("Tulis di Keterangan mengapa indikator ini tidak diukur triwulan ini."))
        return True, None
    if ind.is_ratio and "number" in (inputs.pembilang.kind, inputs.penyebut.kind):
        capaian = _ratio_capaian(ind, quarter, inputs, rules, found)
        return capaian is not None, capaian
    if real.kind == "number":
        return True, quarter_capaian(ind, quarter, real.value, None, None, rules)
    return False, None


def _keterangan_needed(capaian: Capaian | None, inputs: _Inputs, measured: bool, found: _Findings) -> bool:
    """Whether the row needs a keterangan: realisasi ``-``, capaian under 100% or capaian N/A (e.g.
    penyebut 0, domain.md).  Reports a capaian that cannot be computed and a missing keterangan."""
    if capaian is not None and capaian.status == "error" and measured:
        found.add("realisasi", "capaian_tidak_terhitung",
                  Text("Capaian {label} tidak dapat dihitung: {note}", label=found.label, note=capaian.worded),
                  Text("Periksa target di tab Indikator dan realisasi yang diisi."))
    below_target = capaian.value if capaian is not None and capaian.status == "ok" \
        and capaian.value is not None and capaian.value < 100 else None
    not_computable = capaian.worded if measured and capaian is not None and capaian.status == "na" else None
    if below_target is not None and not inputs.keterangan:
        found.add("keterangan", "keterangan_wajib",
                  Text("Capaian {label} {capaian} (di bawah 100%) tetapi Keterangan kosong.", label=found.label,
                       capaian=persen(below_target)),
                  Text("Tulis penjelasan/kendala dan upaya tindak lanjut di kolom Keterangan."))
    if not_computable is not None and not inputs.keterangan:
        found.add("keterangan", "keterangan_wajib",
                  Text("Capaian {label} N/A ({note}) tetapi Keterangan kosong.", label=found.label,
                       note=not_computable),
                  Text("Tulis di Keterangan mengapa capaian tidak dapat dihitung triwulan ini."))
    return inputs.not_measured or below_target is not None or not_computable is not None


def _bukti_ok(row: RowRead, has_value: bool, inputs: _Inputs, require_bukti: bool, found: _Findings) -> bool:
    """Whether the bukti dukung cell is acceptable: empty or a link, and a link when the office requires
    one for a measured value.  Not a link is an error only when bukti is required."""
    link = parse_link(row.cells.get("bukti"))
    if link.kind == "invalid":
        found.add("bukti", "bukti_tidak_valid",
                  Text("Bukti dukung {label} bukan tautan: {problem}", label=found.label, problem=link.problem or ""),
                  Text("Tempel tautan lengkap yang diawali https://."), "error" if require_bukti else "warning")
        return not require_bukti
    if require_bukti and link.kind == "empty" and has_value and not inputs.not_measured:
        found.add("bukti", "bukti_wajib", Text("Bukti dukung {label} belum diisi.", label=found.label),
                  Text("Tempel tautan dokumen bukti dukung."))
        return False
    return True


def _negative(ind: Indicator, inputs: _Inputs, found: _Findings) -> None:
    """A negative number where the satuan cannot be negative (anything but a change or growth)."""
    words = f"{ind.satuan} {ind.name}".lower()
    if any(w in words for w in _SIGNED):
        return
    for field, parsed in (("realisasi", inputs.realisasi), ("pembilang", inputs.pembilang),
                          ("penyebut", inputs.penyebut)):
        if parsed.kind == "number" and parsed.value is not None and parsed.value < 0:
            message = Text("{field} {label} bernilai negatif ({value}) padahal satuannya {satuan}.",
                           field=FIELD_NAMES[field], label=found.label, value=bulat(parsed.value),
                           satuan=ind.satuan) if ind.satuan else \
                Text("{field} {label} bernilai negatif ({value}) padahal satuannya tidak dapat negatif.",
                     field=FIELD_NAMES[field], label=found.label, value=bulat(parsed.value))
            found.add(field, "nilai_negatif", message, CONFIRM_FIX, "warning")


def _share_over_100(ind: Indicator, inputs: _Inputs, found: _Findings) -> None:
    """Over 100 for a share (satuan ``%`` and a persentase/proporsi/rasio indicator)."""
    words = f"{ind.satuan} {ind.name}".lower()
    share = ind.satuan.strip() in ("%", "persen") and (ind.is_ratio or any(w in words for w in _SHARE))
    real = inputs.realisasi
    if share and real.kind == "number" and real.value is not None and real.value > 100:
        found.add("realisasi", "persen_lebih_100",
                  Text("Realisasi {label} {value}% melebihi 100%, padahal indikator ini sebuah persentase.",
                       label=found.label, value=bulat(real.value)), CONFIRM_FIX, "warning")
    if ind.is_ratio and real.kind == "number" and inputs.pembilang.kind == inputs.penyebut.kind == "empty":
        found.add("realisasi", "rasio_tanpa_rincian",
                  Text("Realisasi {label} diisi tanpa pembilang dan penyebut.", label=found.label),
                  Text("Isi pembilang dan penyebut agar rasionya dapat diperiksa, atau jelaskan di Keterangan."),
                  "warning")


def _outside_band(capaian: Capaian | None, plaus: Plausibility, found: _Findings) -> None:
    """A capaian outside ``[capaian_min, capaian_max]`` (the raw value is kept and printed)."""
    if capaian is None or capaian.status != "ok" or capaian.value is None:
        return
    # the formula's own value: a capaian below 0 is printed as 0 (docs/sakip-rules.md) but kept in ``raw``
    v = capaian.raw if capaian.raw is not None else capaian.value
    low, high = plaus.capaian_min, plaus.capaian_max
    if (low is not None and v < low) or (high is not None and v > high):
        band = f"{bulat(low) if low is not None else '–'}–{bulat(high) if high is not None else '–'}%"
        found.add("realisasi", "capaian_di_luar_batas",
                  Text("Capaian {label} {capaian} berada di luar batas wajar ({band}); nilai aslinya tetap disimpan.",
                       label=found.label, capaian=persen(v), band=band), CONFIRM_FIX, "warning")


def _jump(inputs: _Inputs, plaus: Plausibility, previous: float | None, found: _Findings) -> None:
    """More than ``jump_factor`` times (or less than its inverse) the previous quarter's realisasi."""
    real, factor = inputs.realisasi, plaus.jump_factor
    if not factor or not previous or previous <= 0 or real.kind != "number" or not real.value or real.value <= 0:
        return
    ratio = real.value / previous
    if ratio > factor or ratio < 1 / factor:
        found.add("realisasi", "lonjakan_nilai",
                  Text("Realisasi {label} {value} berubah lebih dari {factor} kali dibanding triwulan sebelumnya "
                       "({previous}).", label=found.label, value=bulat(real.value), factor=bulat(factor),
                       previous=bulat(previous)), CONFIRM_FIX, "warning")


def _implausible(ind: Indicator, inputs: _Inputs, capaian: Capaian | None, plaus: Plausibility,
                 previous: float | None, found: _Findings) -> None:
    """The plausibility warnings of one row (module docstring); nothing once Keterangan confirms it."""
    if inputs.keterangan:
        return
    _negative(ind, inputs, found)
    _share_over_100(ind, inputs, found)
    _outside_band(capaian, plaus, found)
    _jump(inputs, plaus, previous, found)


def check_row(
    unit: str, sheet: str, ind: Indicator, row: RowRead, quarter: int, rules: Rules, *, require_bukti: bool,
    plausibility: Plausibility | None = None, previous: float | None = None,
) -> tuple[RowCheck, list[Finding]]:
    """Interpret one row and list what is wrong with it.  The row is filled when it reports a value,
    its bukti is acceptable and it has the keterangan it needs; an empty realisasi of a measured
    indicator is ``belum_diisi`` unless another finding already names the row's problem."""
    inputs = _Inputs.of(row)
    found = _Findings(unit, sheet, ind, row)
    measured = ind.measured_in(quarter)
    _report_invalid_numbers(inputs, found)
    has_value, capaian = _reported_value(ind, quarter, inputs, rules, found)
    ket_needed = _keterangan_needed(capaian, inputs, measured, found)
    bukti_ok = _bukti_ok(row, has_value, inputs, require_bukti, found)
    _implausible(ind, inputs, capaian, plausibility or Plausibility(), previous, found)
    filled = has_value and bukti_ok and (bool(inputs.keterangan) or not ket_needed)
    if measured and not has_value and inputs.realisasi.kind == "empty" \
            and not any(f.code != "bukti_tidak_valid" for f in found.items):
        found.add("realisasi", "belum_diisi", Text("Realisasi {label} belum diisi.", label=found.label), DASH_HELP)
    return RowCheck(ind.code, inputs.realisasi, inputs.pembilang, inputs.penyebut, inputs.keterangan, capaian,
                    filled, inputs.typed), found.items


def evaluate(
    read: FormRead | None, indicators: Sequence[Indicator], period: Period, schedule: Schedule | None,
    now: datetime, rules: Rules, *, unit: str, require_bukti: bool = False,
    completed_at: datetime | None = None, last_change: datetime | None = None,
    plausibility: Plausibility | None = None, previous: Mapping[str, float] | None = None,
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
        rc, fs = check_row(unit, read.sheet, ind, row, period.quarter, rules, require_bukti=require_bukti,
                           plausibility=plausibility, previous=(previous or {}).get(row.code))
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
