"""The Laporan Kinerja Instansi Pemerintah (LKjIP, PermenPAN-RB 53/2014) and the Laporan Kinerja
Semester, rendered from an editable template like the other documents.

Structure of ``laporan_kinerja.docx``: cover; Kata Pengantar; Ikhtisar Eksekutif (capaian organisasi,
sasaran tercapai / belum tercapai, realisasi anggaran); Bab I Pendahuluan (latar belakang, tugas dan
fungsi, struktur organisasi, isu strategis, sistematika); Bab II Perencanaan Kinerja (tujuan/sasaran
Renstra, the year's Perjanjian Kinerja table); Bab III Akuntabilitas Kinerja — A. per sasaran: target,
realisasi, capaian, predikat, the comparison with last year and with the Renstra end target, a chart
and the analysis (keberhasilan, hambatan, solusi); B. realisasi anggaran per program with its
efficiency; Bab IV Penutup; Lampiran I Perjanjian Kinerja, II Pengukuran Kinerja tahunan, III Rencana
Aksi (targets per triwulan).  ``laporan_kinerja_semester.docx`` is the same reduced to Bab III and the
rolled-up tables of the two quarters.

Every number comes from the Pengukuran Kinerja context of the same data
(:func:`sheets_sync.reports.context.pengukuran`), so Bab III and the lampiran print exactly what the
annual (or semester) Pengukuran Kinerja prints.  The words come from the ``Narasi`` and ``Analisis``
tabs (:mod:`sheets_sync.core.narasi`), verbatim and escaped; a section left empty prints the visible
placeholder ``[Diisi oleh Tim SAKIP: …]`` (the service keeps such a report in draft).  Extra columns of
the cascading model (comparisons, efficiency per program, one Perjanjian Kinerja table per level) are
used when the Pengukuran Kinerja context provides them and are empty lists otherwise.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sheets_sync.core.capaian import parse_target
from sheets_sync.core.fmt import roman
from sheets_sync.core.narasi import SECTIONS, Narrative, ReviewNote, SasaranRef, placeholder
from sheets_sync.errors import RenderError
from sheets_sync.reports.context import clean, common, pengukuran, surat
from sheets_sync.reports.render import chart_image, fill_template, open_template, write_atomic
from sheets_sync.reports.request import Rendered, RenderRequest

ReportKind = Literal["laporan_kinerja", "laporan_kinerja_semester"]
"""The two reports (the cover letter is rendered from the same request)."""
LkjipKind = Literal["laporan_kinerja", "laporan_kinerja_semester", "surat_pengantar_lkjip"]
LKJIP_KINDS: tuple[str, ...] = ("laporan_kinerja", "laporan_kinerja_semester", "surat_pengantar_lkjip")

TEMPLATE_FILES: dict[str, str] = {
    "laporan_kinerja": "laporan_kinerja.docx",
    "laporan_kinerja_semester": "laporan_kinerja_semester.docx",
    "surat_pengantar_lkjip": "surat_pengantar.docx",
}
"""Template file of each kind; the LKjIP's cover letter reuses the Surat Pengantar template."""

CHART_WIDTH_MM = 150.0


@dataclass(frozen=True)
class LkjipRequest:
    """One Laporan Kinerja: ``base`` is the Pengukuran Kinerja request it is made from (edition
    ``tahunan`` for the LKjIP, ``semester`` for the Laporan Kinerja Semester; ``base.draft`` decides the
    DRAFT marks), ``narrative`` what the Tim SAKIP wrote, ``sasaran`` the sasaran strategis as numbered,
    ``version`` the draft/final version number printed on the cover and ``changes`` the summary of what
    changed since the previous version (printed in a draft)."""

    base: RenderRequest
    narrative: Narrative
    sasaran: tuple[SasaranRef, ...] = ()
    version: int = 1
    changes: tuple[str, ...] = ()
    kind: ReportKind = "laporan_kinerja"
    extra: Mapping[str, Any] = field(default_factory=dict)


def title_words(req: LkjipRequest) -> str:
    """``Tahun 2025`` or ``Semester I Tahun 2025``."""
    p = req.base.period
    if req.kind == "laporan_kinerja_semester":
        return f"Semester {roman(p.quarter // 2)} Tahun {p.year}"
    return f"Tahun {p.year}"


def file_name(kind: str, req: LkjipRequest) -> str:
    """``Laporan Kinerja Tahun 2025 v2 (DRAFT).docx``, ``Laporan Kinerja Semester I Tahun 2025 v1.docx``,
    ``Surat Pengantar Laporan Kinerja Tahun 2025 v1.docx`` — every version keeps its own file."""
    draft = " (DRAFT)" if req.base.draft else ""
    name = {"laporan_kinerja": "Laporan Kinerja", "laporan_kinerja_semester": "Laporan Kinerja",
            "surat_pengantar_lkjip": "Surat Pengantar Laporan Kinerja"}[kind]
    return f"{name} {title_words(req)} v{req.version}{draft}.docx"


def _section(req: LkjipRequest, code: str) -> dict[str, Any]:
    s = next(x for x in SECTIONS if x.code == code)
    paras = list(req.narrative.sections.get(code, ()))
    empty = not paras
    if empty and s.required:
        paras = [placeholder(f"{s.title} — tab Narasi, Kode Bagian {code}")]
    return {"judul": s.title, "paragraf": paras, "kosong": empty}


def _analysis(req: LkjipRequest, nama: str) -> dict[str, Any]:
    ref = next((s for s in req.sasaran if s.nama == nama), None)
    a = req.narrative.analyses.get(ref.no) if ref else None
    where = f"tab Analisis, Kode Sasaran {ref.no if ref else nama}"
    if a is None or a.empty:
        mark = [placeholder(f"analisis sasaran ({where})")]
        return {"keberhasilan": mark, "hambatan": [], "solusi": [], "kosong": True}
    return {"keberhasilan": list(a.keberhasilan), "hambatan": list(a.hambatan), "solusi": list(a.solusi),
            "kosong": False}


def _main_groups(pk: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The sasaran-level groups of the Pengukuran Kinerja context (its sasaran/IKU level when the
    cascading is printed per level, else every group)."""
    for level in pk.get("tingkat") or ():
        if level.get("kode") in ("sasaran", "iku") and level.get("sasaran"):
            return list(level["sasaran"])
    return list(pk["sasaran"])


def _tercapai(groups: Sequence[Mapping[str, Any]]) -> tuple[int, int, int]:
    hit = sum(1 for g in groups if g.get("capaian_nilai") is not None and g["capaian_nilai"] >= 100)
    measured = sum(1 for g in groups if g.get("capaian_nilai") is not None)
    return hit, measured - hit, len(groups) - measured


def _perjanjian(req: RenderRequest, pk: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The Perjanjian Kinerja per level: each row with the jabatan whose agreement holds it (the
    ``Penanggung Jawab`` column of the Indikator tab; empty when the office does not use it)."""
    levels = pk.get("tingkat") or [{"judul": "Sasaran Strategis", "sasaran": pk["sasaran"]}]
    out = []
    for level in levels:
        rows = [{"no": r["no"], "sasaran": r["sasaran"], "indikator": r["indikator"], "satuan": r["satuan"],
                 "target": r.get("target_tahunan") or r["target"], "penanggung_jawab": r.get("penanggung_jawab", "")}
                for g in level["sasaran"] for r in g["indikator"]]
        out.append({"judul": level.get("judul", "Sasaran Strategis"), "kolom": level.get("kolom", "Sasaran Strategis"),
                    "baris": rows})
    return out


def _rencana_aksi(req: RenderRequest) -> list[dict[str, Any]]:
    return [{"no": str(n), "kode": ind.code, "indikator": ind.name, "satuan": ind.satuan,
             "tahunan": parse_target(ind.target_tahunan).display,
             "tw": [parse_target(t).display for t in ind.targets]}
            for n, ind in enumerate(req.indicators, 1)]


def build_lkjip_context(req: LkjipRequest) -> dict[str, Any]:
    """Every printed value of the report (see the module docstring); pure and deterministic.  Each
    ``bab3`` entry carries ``grafik_data`` (indicator label, capaian) for the renderer's chart."""
    base = req.base
    ctx = common(base, "pengukuran_kinerja")
    pk = pengukuran(base)
    words = title_words(req)
    semester = req.kind == "laporan_kinerja_semester"
    judul = "LAPORAN KINERJA SEMESTER" if semester else "LAPORAN KINERJA INSTANSI PEMERINTAH"
    ctx.update({"judul": judul, "subjudul": words.upper(), "judul_laporan": f"{judul} {words.upper()}",
                "tahun_terbit": str(base.period.year + (0 if semester else 1)),
                "versi": f"Versi {req.version}" + (" (draft)" if base.draft else ""),
                "kolom": pk["kolom"], "tahun_lalu": pk.get("tahun_lalu", str(base.period.year - 1))})
    groups = _main_groups(pk)
    comparisons = {c["kode"]: c for c in pk.get("perbandingan") or ()}
    bab3 = []
    for g in groups:
        rows = list(g["indikator"])
        codes = [r.get("kode", "") for r in rows]
        bab3.append({"no": g["no"], "nama": g["nama"], "capaian": g["capaian"], "predikat": g["predikat"],
                     "indikator": rows, "perbandingan": [comparisons[c] for c in codes if c in comparisons],
                     "analisis": _analysis(req, g["nama"]), "grafik": "",
                     "grafik_judul": f"Capaian Indikator Sasaran {g['no']} — {words}",
                     "grafik_data": [[f"{r.get('kode', '')} {r['indikator']}", r["capaian_nilai"]]
                                     for r in rows if r.get("capaian_nilai") is not None]})
    hit, miss, unmeasured = _tercapai(groups)
    org = pk["organisasi"]
    anggaran = pk["anggaran"]
    kalimat = [f"Capaian kinerja {ctx['instansi_daerah']} {words} sebesar {org['capaian']} dengan predikat "
               f"{org['predikat']}."]
    kalimat.append(f"Dari {len(groups)} sasaran strategis, {hit} sasaran tercapai (capaian ≥ 100%) dan {miss} "
                   "sasaran belum tercapai" + (f"; {unmeasured} sasaran belum dapat diukur." if unmeasured else "."))
    if anggaran:
        kalimat.append(f"Realisasi anggaran sebesar {anggaran['realisasi']} dari pagu {anggaran['pagu']} "
                       f"({anggaran['persen']}).")
    ctx.update({
        "narasi": {s.code: _section(req, s.code) for s in SECTIONS},
        "ikhtisar": {"kalimat": kalimat, "tercapai": str(hit), "belum_tercapai": str(miss),
                     "jumlah_sasaran": str(len(groups)), "capaian": org["capaian"], "predikat": org["predikat"]},
        "bab3": bab3,
        "sasaran": pk["sasaran"],
        "tingkat": pk["tingkat"],  # Lampiran II: one table per level, as the Pengukuran Kinerja prints it
        "organisasi": org,
        "anggaran": anggaran,
        "efisiensi": list(pk.get("efisiensi") or ()),
        "efisiensi_total": pk.get("efisiensi_total"),
        "perjanjian": _perjanjian(base, pk),
        "rencana_aksi": _rencana_aksi(base),
        "catatan": pk["catatan"],
        "rumus_negatif": pk["rumus_negatif"],
        "perubahan": list(req.changes),
        "kurang": [ReviewNote(m, "").title for m in req.narrative.missing],
    })
    ctx.update(req.extra)
    result: dict[str, Any] = clean(ctx)
    return result


def build_cover_letter_context(req: LkjipRequest, letter_number: str) -> dict[str, Any]:
    """The Surat Pengantar of the LKjIP (the shared Surat Pengantar template): its own number from the
    register, Hal ``Penyampaian Laporan Kinerja Instansi Pemerintah Tahun 2025``."""
    from dataclasses import replace

    base = replace(req.base, letter_number=letter_number)
    ctx = common(base, "surat_pengantar")
    ctx.update(surat(base))
    words = title_words(req)
    ctx.update({"judul": "SURAT PENGANTAR LAPORAN KINERJA", "subjudul": words.upper(),
                "periode": {**ctx["periode"], "label": words},
                "hal": f"Penyampaian Laporan Kinerja Instansi Pemerintah {words}",
                "lampiran": "1 (satu) dokumen Laporan Kinerja"})
    result: dict[str, Any] = clean(ctx)
    return result


def template_for(kind: str, folder: Path | None) -> Path:
    """The template of ``kind``: the edited folder's copy if present, else the shipped one."""
    from sheets_sync.reports.templates import shipped_dir

    name = TEMPLATE_FILES[kind]
    if folder is not None and (folder / name).is_file():
        return folder / name
    return shipped_dir() / name


def render_context_bytes(template: Path, ctx: dict[str, Any], base: RenderRequest, title: str) -> bytes:
    """Fill ``template`` with ``ctx`` (charts of ``bab3`` entries inserted), apply paper/font/DRAFT and
    return stable bytes (same input → same bytes)."""
    tpl = open_template(template)
    for entry in ctx.get("bab3") or ():
        if entry.get("grafik_data"):
            entry["grafik"] = chart_image(tpl, entry["grafik_judul"], entry["grafik_data"],
                                          width_mm=CHART_WIDTH_MM, cap=base.rules.cap)
    return fill_template(tpl, ctx, template, base, title)


def render_lkjip(kind: str, req: LkjipRequest, out_dir: Path, *, templates: Path | None = None,
                 letter_number: str = "") -> Rendered:
    """Render the report (``laporan_kinerja`` / ``laporan_kinerja_semester``) or its cover letter
    (``surat_pengantar_lkjip``) into ``out_dir`` under :func:`file_name`."""
    if kind not in LKJIP_KINDS:
        raise RenderError(f"unknown report kind {kind!r}", fix=f"use one of: {', '.join(LKJIP_KINDS)}")
    folder = templates if templates is not None else req.base.documents.templates
    if kind == "surat_pengantar_lkjip":
        ctx = build_cover_letter_context(req, letter_number)
        title = f"Surat Pengantar Laporan Kinerja {title_words(req)}"
    else:
        ctx = build_lkjip_context(req)
        title = f"{ctx['judul_laporan'].title()}"
    data = render_context_bytes(template_for(kind, folder), ctx, req.base, title)
    path = Path(out_dir) / file_name(kind, req)
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror or exc}",
                          fix="check that the output folder is writable and the file is not open in Word") from exc
    return Rendered(kind, req.base.edition, path, hashlib.sha256(data).hexdigest())


def capaian_summary(ctx: Mapping[str, Any]) -> dict[str, str]:
    """Indicator code → capaian text, and ``organisasi`` → the organisation capaian: what a change
    summary compares between two versions."""
    out = {str(r.get("kode") or r["indikator"]): str(r["capaian"]) for g in ctx["sasaran"] for r in g["indikator"]}
    out["organisasi"] = str(ctx["organisasi"]["capaian"])
    return out


__all__ = ["LKJIP_KINDS", "LkjipRequest", "build_cover_letter_context", "build_lkjip_context",
           "capaian_summary", "file_name", "render_lkjip"]
