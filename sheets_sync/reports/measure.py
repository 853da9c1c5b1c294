"""The Pengukuran Kinerja table as data: per sasaran strategis, per indicator, the period and
"s.d." figures computed by :mod:`sheets_sync.core.capaian`, with every N/A explained.  Pure (no docx).

Columns by edition (``P`` = the reported period, ``S`` = from TW I through the end of ``P``):

==========  ======================  ====================
edition     P                       S
==========  ======================  ====================
triwulan    TW n                    TW I … TW n
semester    TW2 → TW I–II (Sem. I)  TW I–II
            TW4 → TW III–IV (Sem.   TW I–IV
            II)
tahunan     TW I–IV                 TW I–IV
==========  ======================  ====================

``P`` is consolidated by the indicator's jenis konsolidasi (jumlah sums, nilai_akhir takes the last
value, rata_rata averages the quarters that have one, rasio is Σ pembilang / Σ penyebut × 100) and
compared with the target of ``P`` (:func:`sheets_sync.core.capaian.target_for_quarters`); ``S`` is compared
with the annual target.  The predikat is that of the ``P`` capaian (capped); capaian sasaran is the
mean of its indicators' ``P`` capaian and capaian organisasi the mean of the sasaran.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sheets_sync.config import RuleSettings
from sheets_sync.core.capaian import (
    F_NEG_A,
    F_NEG_B,
    PeriodResult,
    QuarterInput,
    Rules,
    capaian_sasaran,
    mean_capaian,
    parse_target,
    period_result,
    predikat,
)
from sheets_sync.core.fmt import bulat, persen, roman
from sheets_sync.core.parse import parse_number
from sheets_sync.model import Indicator
from sheets_sync.reports.request import RenderRequest

NA = "N/A"
DASH = "–"


def rules_of(settings: RuleSettings) -> Rules:
    """The capaian rules an office configured (raises ConfigError for impossible values)."""
    rules: Rules = settings.to_rules()
    return rules


@dataclass(frozen=True)
class Columns:
    """Quarters and labels of the ``P`` and ``S`` columns."""

    period: tuple[int, ...]
    upto: tuple[int, ...]
    label: str  # "TW I", "Semester I", "Tahun 2025"
    label_sd: str  # "s.d. TW I", "s.d. Semester I", "Tahun 2025"


def columns(req: RenderRequest) -> Columns:
    q = req.period.quarter
    if req.edition == "tahunan":
        return Columns((1, 2, 3, 4), (1, 2, 3, 4), f"Tahun {req.period.year}", f"Tahun {req.period.year}")
    if req.edition == "semester":
        label = f"Semester {roman(q // 2)}"
        return Columns((q - 1, q), tuple(range(1, q + 1)), label, f"s.d. {label}")
    return Columns((q,), tuple(range(1, q + 1)), f"TW {roman(q)}", f"s.d. TW {roman(q)}")


def _number(raw: Any) -> float | None:
    p = parse_number(raw)
    return p.value if p.kind == "number" else None


def _row(req: RenderRequest, quarter: int, ind: Indicator) -> Mapping[str, Any] | None:
    payload = req.data.get(quarter, {}).get(ind.unit)
    if not payload:
        return None
    row = (payload.get("rows") or {}).get(ind.code)
    return row if isinstance(row, Mapping) else None


def quarter_inputs(req: RenderRequest, ind: Indicator) -> dict[int, QuarterInput]:
    """What the approved snapshots hold for ``ind``, per quarter (raw realisasi kept for parsing)."""
    out: dict[int, QuarterInput] = {}
    for q in range(1, 5):
        row = _row(req, q, ind)
        if row is None:
            continue
        raw = row.get("realisasi")
        real: float | str | None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            real = None
        elif isinstance(raw, bool):
            real = str(raw)
        elif isinstance(raw, int | float):
            real = float(raw)
        else:
            real = str(raw)
        out[q] = QuarterInput(real, _number(row.get("pembilang")), _number(row.get("penyebut")))
    return out


def show(value: float | str | None) -> str:
    """A realisasi for the table: ``2.400``, ``81,50``, a category, or ``–``."""
    if value is None:
        return DASH
    return value if isinstance(value, str) else bulat(value)


@dataclass(frozen=True)
class Line:
    """One indicator of the table with both results and the explanation for the Keterangan column."""

    ind: Indicator
    period: PeriodResult
    upto: PeriodResult
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    no: int
    sasaran: str
    lines: tuple[Line, ...]
    capaian: float | None
    capaian_tahunan: float | None


@dataclass(frozen=True)
class Measurement:
    cols: Columns
    rules: Rules
    groups: tuple[Group, ...]
    organisasi: float | None
    organisasi_tahunan: float | None

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for g in self.groups for line in g.lines)


def _ratio_zero(ind: Indicator, qv: Mapping[int, QuarterInput], quarters: tuple[int, ...]) -> bool:
    pairs = [(qv[q].pembilang, qv[q].penyebut) for q in quarters if q in qv]
    pairs = [(p, d) for p, d in pairs if p is not None and d is not None]
    return ind.is_ratio and bool(pairs) and sum(d for _, d in pairs if d is not None) == 0


def _notes(ind: Indicator, qv: Mapping[int, QuarterInput], cols: Columns, p: PeriodResult,
           s: PeriodResult, rules: Rules, keterangan: list[str]) -> tuple[str, ...]:
    notes: list[str] = []
    if not any(ind.measured_in(q) for q in cols.period) and p.realisasi is None:
        notes.append(f"Tidak diukur pada {cols.label} (tidak ada target periode ini).")
    elif _ratio_zero(ind, qv, cols.period):
        notes.append(f"N/A: penyebut {cols.label} bernilai 0, rasio tidak terdefinisi.")
    elif p.capaian.status != "ok":
        if ind.is_ratio and p.realisasi is None and any(q in qv and qv[q].realisasi is not None
                                                         for q in cols.period):
            notes.append("N/A: pembilang dan penyebut belum lengkap; persentase triwulan tidak "
                         "dirata-ratakan.")
        else:
            notes.append(f"N/A: {p.capaian.note}" if p.capaian.note else "N/A.")
    elif p.capaian.note:
        notes.append(p.capaian.note)
    if p.realisasi is not None and p.missing:
        notes.append("Realisasi " + ", ".join(f"TW {roman(q)}" for q in p.missing) + " belum diisi.")
    if s.capaian_tahunan.status != "ok" and cols.upto != cols.period and s.realisasi is not None:
        notes.append(f"Capaian {cols.label_sd}: {s.capaian_tahunan.note}")
    if p.qualitative and not rules.include_qualitative:
        notes.append("Indikator kualitatif: tidak dihitung dalam rata-rata capaian.")
    notes.extend(keterangan)
    return tuple(dict.fromkeys(n for n in notes if n))


def _keterangan(req: RenderRequest, ind: Indicator, quarters: tuple[int, ...]) -> list[str]:
    texts = []
    for q in quarters:
        row = _row(req, q, ind)
        text = str((row or {}).get("keterangan") or "").strip()
        if text:
            texts.append(f"TW {roman(q)}: {text}" if len(quarters) > 1 else text)
    return texts


def _counted(r: PeriodResult, rules: Rules, annual: bool = False) -> float | None:
    c = r.capaian_tahunan if annual else r.capaian
    if c.status != "ok" or (r.qualitative and not rules.include_qualitative):
        return None
    return c.value


def measure(req: RenderRequest) -> Measurement:
    """Compute every indicator's row, the sasaran means and the organisation mean."""
    rules = rules_of(req.rules)
    cols = columns(req)
    order: dict[str, list[Line]] = {}
    for ind in req.indicators:
        qv = quarter_inputs(req, ind)
        p = period_result(ind, qv, cols.period, rules)
        s = p if cols.upto == cols.period else period_result(ind, qv, cols.upto, rules)
        notes = _notes(ind, qv, cols, p, s, rules, _keterangan(req, ind, cols.period))
        order.setdefault(ind.sasaran, []).append(Line(ind, p, s, notes))
    groups = []
    for no, (sasaran, lines) in enumerate(order.items(), 1):
        cap = capaian_sasaran([line.period for line in lines], rules)
        cap_y = mean_capaian([_counted(line.upto, rules, annual=True) for line in lines], rules)
        groups.append(Group(no, sasaran, tuple(lines), cap, cap_y))
    org = mean_capaian([g.capaian for g in groups], rules)
    org_y = mean_capaian([g.capaian_tahunan for g in groups], rules)
    return Measurement(cols, rules, tuple(groups), org, org_y)


def capaian_text(value: float | None) -> str:
    return NA if value is None else persen(value)


def table(m: Measurement) -> list[dict[str, Any]]:
    """Rows for the template: one dict per sasaran with its ``indikator`` rows (display strings,
    plus ``capaian_nilai`` / ``capaian_sd_nilai`` raw floats for staff-written filters)."""
    out: list[dict[str, Any]] = []
    no = 0
    for g in m.groups:
        rows = []
        for i, line in enumerate(g.lines):
            no += 1
            p, s, ind = line.period, line.upto, line.ind
            rows.append({
                "no": str(no),
                "kode": ind.code,
                "sasaran": g.sasaran if i == 0 else "",
                "indikator": ind.name,
                "satuan": ind.satuan,
                "target_tahunan": parse_target(ind.target_tahunan).display,
                "target": p.target.display,
                "realisasi": show(p.realisasi),
                "capaian": capaian_text(p.capaian.value if p.capaian.status == "ok" else None),
                "realisasi_sd": show(s.realisasi),
                "capaian_sd": capaian_text(s.capaian_tahunan.value
                                           if s.capaian_tahunan.status == "ok" else None),
                "predikat": p.predikat,
                "keterangan": " ".join(line.notes),
                "polaritas": ind.polaritas,
                "konsolidasi": ind.konsolidasi.replace("_", " "),
                "capaian_nilai": p.capaian.value if p.capaian.status == "ok" else None,
                "capaian_sd_nilai": s.capaian_tahunan.value if s.capaian_tahunan.status == "ok" else None,
            })
        out.append({
            "no": str(g.no),
            "nama": g.sasaran,
            "indikator": rows,
            "capaian": capaian_text(g.capaian),
            "capaian_tahunan": capaian_text(g.capaian_tahunan),
            "predikat": predikat(g.capaian, m.rules),
            "capaian_nilai": g.capaian,
        })
    return out


def negative_formulas(m: Measurement) -> list[str]:
    """One line per negative-polarity indicator naming the formula used for it."""
    default = F_NEG_A if m.rules.negatif_variant == "A" else F_NEG_B
    out = []
    for line in m.lines:
        if line.ind.polaritas.strip().lower() != "negatif":
            continue
        c = line.period.capaian
        parts = (c.formula if c.status == "ok" and c.formula else default).split("; ")
        parts[-1] = f"capaian = {parts[-1]}"
        out.append(f"{line.ind.code} {line.ind.name}: {'; '.join(parts)}.")
    return out


def notes(m: Measurement) -> list[str]:
    """The rules this document used, in formal Indonesian (printed under the table)."""
    c = m.cols
    out = [m.rules.describe()]
    if c.upto != c.period or c.label != c.label_sd:
        out.append(f"Capaian {c.label_sd} dibandingkan dengan target tahunan; predikat dihitung dari "
                   f"capaian {c.label} terhadap target {c.label}.")
    else:
        out.append(f"Predikat dihitung dari capaian {c.label} terhadap target tahunan.")
    out.append("Realisasi gabungan beberapa triwulan menurut jenis konsolidasi indikator: jumlah = "
               "penjumlahan realisasi triwulan; nilai akhir = realisasi triwulan terakhir yang terisi; "
               "rata-rata = rata-rata triwulan yang terisi; rasio = Σ pembilang / Σ penyebut × 100 "
               "(persentase triwulan tidak dirata-ratakan).")
    qual = "termasuk" if m.rules.include_qualitative else "tidak termasuk"
    out.append(f"Capaian sasaran strategis = rata-rata capaian indikatornya; capaian organisasi = "
               f"rata-rata capaian sasaran strategis (indikator kualitatif {qual}). N/A = capaian tidak "
               f"dapat dihitung; alasannya dimuat pada kolom Keterangan.")
    return out


def chart_data(m: Measurement, limit: int = 40) -> tuple[str, list[tuple[str, float]], bool]:
    """Title, bars and whether the bars are percentages.  Per indicator; per sasaran when there are more
    than ``limit`` indicators; and when there are also more than ``limit`` sasaran, the number of
    indicators in each predikat band (one bar per item would be unreadable)."""
    bars = [(f"{line.ind.code} {line.ind.name}", v) for line in m.lines
            if (v := _counted(line.period, m.rules)) is not None]
    if len(bars) <= limit:
        return f"Capaian Kinerja per Indikator — {m.cols.label}", bars, True
    sas = [(f"SS {g.no} {g.sasaran}", g.capaian) for g in m.groups]
    sas_bars = [(k, v) for k, v in sas if v is not None]
    if len(sas_bars) <= limit:
        return f"Capaian Kinerja per Sasaran Strategis — {m.cols.label}", sas_bars, True
    counts: dict[str, float] = {}
    for _, v in bars:
        label = predikat(v, m.rules)
        counts[label] = counts.get(label, 0.0) + 1
    order = list(m.rules.scale_def.labels)
    return (f"Jumlah Indikator menurut Predikat — {m.cols.label}",
            [(label, counts.get(label, 0.0)) for label in order], False)
