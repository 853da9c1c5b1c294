"""The Pengukuran Kinerja as display strings: the rows of each level table, the budget and comparison
tables, the notes stating every rule used, each negative indicator's formula and the chart's bars — all
from a :class:`~sheets_sync.reports.measure.Measurement`.  Pure (no docx)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sheets_sync.core.capaian import (
    F_CAPAIAN_TAHUN_LALU,
    F_EFISIENSI,
    F_TAHUN_LALU,
    RUMUS_NEGATIF,
    known_orders,
    number_text,
    parse_target,
    predikat,
    realisasi_text,
    rumus_of,
)
from sheets_sync.core.capaian.compare import YearChange
from sheets_sync.core.capaian.levels import LEVEL_NAMES
from sheets_sync.core.fmt import persen, rupiah
from sheets_sync.reports.measure import DASH, NA, Group, Line, Measurement, counted


def capaian_text(value: float | None) -> str:
    return NA if value is None else persen(value)


def _indicator_cells(m: Measurement, line: Line) -> dict[str, Any]:
    """The cells of ``line``'s row that do not depend on where it is printed (``no`` and ``sasaran`` are
    left empty, in their places, for :meth:`RowCells.row` to fill)."""
    p, s, ind = line.period, line.upto, line.ind
    rules = m.rules
    return {
        "no": "",
        "kode": ind.code,
        "sasaran": "",
        "indikator": ind.name,
        "iku": "IKU" if ind.iku else "",
        "penanggung_jawab": ind.penanggung_jawab,
        "satuan": ind.satuan,
        "target_tahunan": parse_target(ind.target_tahunan).display,
        "target": p.target.display,
        "realisasi": realisasi_text(p, ind, rules),
        "capaian": p.capaian.display,
        "target_sd": s.target.display,
        "realisasi_sd": realisasi_text(s, ind, rules),
        "capaian_sd_target": s.capaian.display,
        "capaian_sd": s.capaian_tahunan.display,
        "predikat": p.predikat,
        "keterangan": " ".join(line.notes),
        "polaritas": ind.polaritas,
        "konsolidasi": ind.konsolidasi.replace("_", " "),
        "capaian_nilai": p.capaian.value if p.capaian.status == "ok" else None,
        "capaian_sd_nilai": s.capaian_tahunan.value if s.capaian_tahunan.status == "ok" else None,
    }


class RowCells:
    """The rows of one :class:`Measurement`'s tables, each built once and shared by every table that
    prints it.  An indicator's cells are formatted once however many tables print it (the level tables,
    the flat ``sasaran`` table, the IKU view); a row with the same number and sasaran cell is the very
    same dict; and an element whose rows are numbered from the same start is the very same element dict —
    so with one printed level the ``tingkat`` table and the ``sasaran`` table hold the same objects.
    The dicts are shared: nothing may change them once built (the renderer and the Laporan Kinerja only
    read them)."""

    def __init__(self, m: Measurement) -> None:
        self.m = m
        self._cells: dict[str, dict[str, Any]] = {}
        self._rows: dict[tuple[int, str, str], dict[str, Any]] = {}
        # keyed by the group's id: the groups belong to self.m, so no id is reused while this lives
        self._groups: dict[tuple[int, int], dict[str, Any]] = {}

    def row(self, no: int, line: Line, sasaran: str) -> dict[str, Any]:
        """The row of ``line`` printed as number ``no`` with ``sasaran`` in its Sasaran cell."""
        key = (no, line.ind.code, sasaran)
        found = self._rows.get(key)
        if found is None:
            cells = self._cells.get(line.ind.code)
            if cells is None:
                cells = self._cells[line.ind.code] = _indicator_cells(self.m, line)
            found = dict(cells)
            found["no"], found["sasaran"] = str(no), sasaran
            self._rows[key] = found
        return found

    def group(self, g: Group, start: int) -> dict[str, Any]:
        """Element ``g`` with its indicator rows numbered from ``start + 1``."""
        key = (id(g), start)
        found = self._groups.get(key)
        if found is None:
            rows = [self.row(start + i, line, g.sasaran if i == 1 else "") for i, line in enumerate(g.lines, 1)]
            found = self._groups[key] = {
                "no": g.no,
                "nama": g.sasaran,
                "tingkat": LEVEL_NAMES.get(g.tingkat, g.tingkat),
                "indikator": rows,
                "capaian": capaian_text(g.capaian),
                "capaian_tahunan": capaian_text(g.capaian_tahunan),
                "predikat": predikat(g.capaian, self.m.rules),
                "capaian_nilai": g.capaian,
            }
        return found

    def groups(self, groups: Sequence[Group]) -> list[dict[str, Any]]:
        """The elements ``groups``, their indicator rows numbered 1, 2, … across them."""
        out: list[dict[str, Any]] = []
        no = 0
        for g in groups:
            out.append(self.group(g, no))
            no += len(g.lines)
        return out


def table(m: Measurement, cells: RowCells | None = None) -> list[dict[str, Any]]:
    """Rows for the template: one dict per element (of every printed level) with its ``indikator`` rows
    (display strings, plus ``capaian_nilai`` / ``capaian_sd_nilai`` raw floats for staff-written filters).
    ``cells``: the rows already built for ``m`` (shared, see :class:`RowCells`)."""
    return (cells or RowCells(m)).groups(m.groups)


def level_tables(m: Measurement, cells: RowCells | None = None) -> list[dict[str, Any]]:
    """One table per printed level: ``kode``, ``nama`` (heading), ``kolom`` (the element column's title),
    ``utama`` (the organisation row belongs to this table), ``judul_tampil`` (print a heading: more than
    one level), ``sasaran`` (rows as :func:`table`), ``penanggung_jawab`` (the jabatan whose Perjanjian
    Kinerja holds the level's indicators, in master order, ``; ``-separated; empty when the master has none).
    ``cells``: as for :func:`table`."""
    many = len(m.levels) > 1
    rows = cells or RowCells(m)
    return [{"kode": lv.tingkat, "nama": lv.label, "kolom": "Sasaran Strategis" if lv.tingkat == "iku" else lv.label,
             "utama": lv.main, "judul_tampil": many,
             "judul": f"Tingkat {lv.label}" if lv.tingkat != "iku" else lv.label,
             "penanggung_jawab": "; ".join(dict.fromkeys(line.ind.penanggung_jawab.strip() for g in lv.groups
                                                         for line in g.lines if line.ind.penanggung_jawab.strip())),
             "sasaran": rows.groups(lv.groups)} for lv in m.levels]


def _signed(x: float) -> str:
    text = number_text(abs(x), 2)
    return f"+{text}" if x > 0 else f"−{text}" if x < 0 else "0"


def change_words(y: YearChange | None, unit: str = "") -> str:
    """``kenaikan 2,25 poin (2,30%)``, ``penurunan 2 (−16,67%)``, ``tetap``; ``–`` without a comparison."""
    if y is None:
        return DASH
    if y.arah == "tetap":
        return "tetap"
    pct = f" ({persen(y.perubahan).replace('-', '−')})" if y.perubahan is not None else ""
    return f"{y.arah} {number_text(abs(y.selisih), 2)}{unit}{pct}"


def comparisons(m: Measurement) -> list[dict[str, str]]:
    """Rows of the comparison table (last year and the Renstra end target), only indicators with data.
    ``capaian_lalu`` / ``capaian_kini`` / ``selisih_capaian`` / ``perubahan_capaian`` / ``arah_capaian`` /
    ``banding_capaian`` compare the capaian with last year's (annual edition, needs Target Tahun Lalu)."""
    out: list[dict[str, str]] = []
    for line in m.lines:
        if line.lalu is None and line.renstra is None:
            continue
        y, r, cy = line.lalu, line.renstra, line.capaian_banding
        out.append({
            "no": str(len(out) + 1), "kode": line.ind.code, "indikator": line.ind.name, "satuan": line.ind.satuan,
            "realisasi_lalu": number_text(y.lalu) if y else DASH,
            "realisasi": realisasi_text(line.period, line.ind, m.rules),
            "selisih": _signed(y.selisih) if y else DASH,
            "perubahan": (persen(y.perubahan).replace("-", "−") if y and y.perubahan is not None else DASH),
            "arah": f"{y.arah} ({y.makna})" if y and y.arah != "tetap" else (y.arah if y else DASH),
            "sumber_lalu": line.lalu_sumber,
            "target_renstra": parse_target(line.ind.target_renstra).display if line.ind.target_renstra else DASH,
            "periode_renstra": line.ind.periode_renstra,
            "capaian_renstra": r.display if r else DASH,
            "capaian_lalu": line.capaian_lalu.display if line.capaian_lalu else DASH,
            "capaian_kini": line.period.capaian.display if line.capaian_lalu else DASH,
            "selisih_capaian": _signed(cy.selisih) if cy else DASH,
            "perubahan_capaian": (persen(cy.perubahan).replace("-", "−") if cy and cy.perubahan is not None
                                  else DASH),
            "arah_capaian": cy.arah if cy else DASH,
            "banding_capaian": change_words(cy, " poin"),
        })
    return out


def efficiency_rows(m: Measurement) -> list[dict[str, str]]:
    """One row per program/kegiatan with a budget: pagu, realisasi, % anggaran, capaian, efisiensi."""
    out: list[dict[str, str]] = []
    for g in m.groups:
        if not g.anggaran or g.efisiensi is None:
            continue
        e = g.efisiensi
        label = LEVEL_NAMES.get(g.tingkat, g.tingkat)
        uraian = g.sasaran if g.sasaran.lower().startswith(label.lower()) else f"{label} {g.sasaran}"
        out.append({"no": g.no, "nama": g.sasaran, "tingkat": label, "uraian": uraian,
                    "pagu": rupiah(e.pagu), "realisasi": rupiah(e.realisasi),
                    "persen": capaian_text(e.persen_anggaran), "capaian": capaian_text(g.capaian),
                    "efisiensi": capaian_text(e.efisiensi),
                    "keterangan": ("efisien" if (e.efisiensi or 0) > 0 else "tidak efisien")
                    if e.efisiensi is not None else "capaian belum dapat dihitung"})
    return out


def negative_formulas(m: Measurement) -> list[str]:
    """One line per negative-polarity indicator naming the formula used for it (its own or the default)."""
    out = []
    for line in m.lines:
        if line.ind.polaritas.strip().lower() != "negatif":
            continue
        own = rumus_of(line.ind.rumus_negatif)
        default = RUMUS_NEGATIF[own or m.rules.negatif_variant]
        c = line.period.capaian
        parts = (c.formula if c.status == "ok" and c.formula else default).split("; ")
        parts[-1] = f"capaian = {parts[-1]}"
        source = " (rumus indikator)" if own else ""
        out.append(f"{line.ind.code} {line.ind.name}: {'; '.join(parts)}{source}.")
    return out


def notes(m: Measurement) -> list[str]:
    """The rules this document used, in formal Indonesian (printed under the table)."""
    c = m.cols
    out = [m.rules.describe()]
    if c.upto != c.period or c.label != c.label_sd:
        out.append(f"Capaian {c.label_sd} dibandingkan dengan target {c.label_sd} dan dengan target tahunan; "
                   f"predikat dihitung dari capaian {c.label} terhadap target {c.label}.")
    else:
        out.append(f"Predikat dihitung dari capaian {c.label} terhadap target tahunan.")
    out.append("Realisasi gabungan beberapa triwulan menurut jenis konsolidasi indikator: jumlah = "
               "penjumlahan realisasi triwulan; nilai akhir = realisasi triwulan terakhir yang terisi; "
               "rata-rata = rata-rata triwulan yang terisi; rasio = Σ pembilang / Σ penyebut × 100 "
               "(persentase triwulan tidak dirata-ratakan).")
    kinds = {parse_target(line.ind.target_tahunan).kind for line in m.lines} | {
        line.period.target.kind for line in m.lines}
    if "range" in kinds:
        out.append("Target rentang: realisasi di dalam rentang = 100%; di bawah rentang dibandingkan dengan "
                   "batas bawah, di atas rentang dengan batas atas.")
    if "threshold" in kinds:
        out.append("Target ambang (≥, min., >, ≤, maks., <): 100% bila ambang terpenuhi; bila tidak, rumus "
                   "polaritas indikator terhadap nilai ambang.")
    if "qualitative" in kinds:
        qual_rule = "termasuk" if m.rules.include_qualitative else "tidak termasuk"
        out.append(f"Indikator kualitatif: 100% bila kategori realisasi sama dengan atau lebih baik dari target, "
                   f"selain itu 0% (urutan: {known_orders(m.rules)}); {qual_rule} dalam rata-rata.")
    if m.rules.realisasi_nol == "tidak_dihitung":
        out.append("Realisasi 0 terhadap target lebih dari 0 pada indikator positif tidak dihitung (–) dan tidak "
                   "masuk rata-rata.")
    qual = "termasuk" if m.rules.include_qualitative else "tidak termasuk"
    many = len(m.levels) > 1
    scope = ("Capaian setiap sasaran, program dan kegiatan diukur dari indikatornya sendiri (tidak dijumlahkan "
             "ke atas); capaian organisasi = rata-rata capaian sasaran strategis" if many else
             "Capaian sasaran strategis = rata-rata capaian indikatornya; capaian organisasi = rata-rata capaian "
             "sasaran strategis")
    out.append(f"{scope} (indikator kualitatif {qual}). N/A = capaian tidak dapat dihitung (belum diisi, penyebut "
               f"0 atau data tidak sah); – = tidak diukur pada periode ini; alasannya dimuat pada kolom Keterangan.")
    if any(line.lalu for line in m.lines):
        out.append(f"Perbandingan dengan tahun lalu: selisih = R − R tahun lalu (poin); {F_TAHUN_LALU}.")
    if any(line.capaian_banding for line in m.lines):
        out.append(f"Perbandingan capaian dengan tahun lalu: {F_CAPAIAN_TAHUN_LALU}; kenaikan capaian berarti "
                   "membaik untuk indikator positif maupun negatif.")
    if any(line.renstra for line in m.lines):
        out.append("Capaian terhadap target akhir Renstra = rumus polaritas indikator dengan T = target akhir "
                   "Renstra dan R = realisasi s.d. periode ini.")
    if m.efisiensi is not None:
        out.append(f"Tingkat efisiensi anggaran: {F_EFISIENSI}; E > 0 berarti efisien.")
    return out


def chart_data(m: Measurement, limit: int = 40) -> tuple[str, list[tuple[str, float]], bool]:
    """Title, bars and whether the bars are percentages.  Per indicator; per element when there are more
    than ``limit`` indicators; and when there are also more than ``limit`` elements, the number of
    indicators in each predikat band (one bar per item would be unreadable)."""
    bars = [(f"{line.ind.code} {line.ind.name}", v) for line in m.lines
            if (v := counted(line.period, m.rules)) is not None]
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
