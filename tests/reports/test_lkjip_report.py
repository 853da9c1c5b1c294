"""The Laporan Kinerja context and document (pure context, then .docx read back)."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

from docx import Document

from sheets_sync.core.narasi import SECTIONS, parse_narrative, sasaran_of
from sheets_sync.model import Period
from sheets_sync.reports import build_context, check_templates
from sheets_sync.reports.lkjip import LkjipRequest, build_lkjip_context, capaian_summary, render_lkjip
from sheets_sync.reports.sample import sample_office, sample_request

ANALISIS = [["Kode Sasaran", "Keberhasilan", "Hambatan", "Solusi"], ["1", "a & b", "", ""],
            ["2", "<script>alert(1)</script>", "x", "y"], ["3", "z", "", ""]]


def _request(narasi: list[list[object]], *, draft: bool = True, semester: bool = False) -> LkjipRequest:
    inds, _ = sample_office()
    period = Period(2025, 2 if semester else 4)
    base = sample_request(period, "semester" if semester else "tahunan", draft=draft)
    refs = tuple(sasaran_of(inds))
    return LkjipRequest(base, parse_narrative(narasi, ANALISIS, refs), refs, 2, ("Capaian indikator 1.2: a → b",),
                        kind="laporan_kinerja_semester" if semester else "laporan_kinerja")


def _full() -> list[list[object]]:
    return [["Kode Bagian", "Teks"]] + [[s.code, f"Teks {s.code} — PT \"Maju\" & <Sejahtera>"] for s in SECTIONS]


def test_bab3_numbers_are_the_pengukuran_kinerja_context() -> None:
    req = _request(_full(), draft=False)
    ctx = build_lkjip_context(req)
    pk = build_context("pengukuran_kinerja", req.base)
    assert ctx["sasaran"] == pk["sasaran"] and ctx["organisasi"] == pk["organisasi"]
    assert [b["indikator"] for b in ctx["bab3"]] == [s["indikator"] for s in pk["sasaran"]]
    assert ctx["ikhtisar"]["tercapai"] == str(sum(1 for s in pk["sasaran"] if s["capaian_nilai"] >= 100))
    assert capaian_summary(ctx)["organisasi"] == pk["organisasi"]["capaian"]
    assert ctx["rencana_aksi"][2]["tw"] == ["50", "150", "150", "50"]


def test_empty_sections_print_placeholders_and_are_listed_by_title() -> None:
    ctx = build_lkjip_context(_request([["Kode Bagian", "Teks"], ["kata_pengantar", "Puji syukur"]]))
    assert ctx["narasi"]["kata_pengantar"]["paragraf"] == ["Puji syukur"]
    assert ctx["narasi"]["latar_belakang"] == {
        "judul": "Latar Belakang", "kosong": True,
        "paragraf": ["[Diisi oleh Tim SAKIP: Latar Belakang — tab Narasi, Kode Bagian latar_belakang]"]}
    assert ctx["narasi"]["sistematika"]["paragraf"] == []  # optional: simply left out
    assert "Latar Belakang (Bab I)" in ctx["kurang"]


def test_the_rendered_report_escapes_what_people_typed_and_is_reproducible(tmp_path: Path) -> None:
    req = _request(_full())
    a = render_lkjip("laporan_kinerja", req, tmp_path / "a")
    b = render_lkjip("laporan_kinerja", req, tmp_path / "b")
    assert a.sha256 == b.sha256 and a.path.name == "Laporan Kinerja Tahun 2025 v2 (DRAFT).docx"
    doc = Document(str(a.path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert 'Teks latar_belakang — PT "Maju" & <Sejahtera>' in text
    assert "<script>alert(1)</script>" in text  # printed as text, not markup
    with zipfile.ZipFile(a.path) as z:
        xml = z.read("word/document.xml").decode()
        assert "&lt;script&gt;" in xml and xml.count("<w:drawing>") == 3  # one chart per sasaran
    assert "– Capaian indikator 1.2: a → b" in text
    landscape = [s for s in doc.sections if s.page_width > s.page_height]
    assert len(landscape) == 1  # the lampiran


def test_the_semester_report_is_bab3_and_the_rolled_up_table(tmp_path: Path) -> None:
    req = _request(_full(), semester=True)
    done = render_lkjip("laporan_kinerja_semester", req, tmp_path)
    assert done.path.name == "Laporan Kinerja Semester I Tahun 2025 v2 (DRAFT).docx"
    text = "\n".join(p.text for p in Document(str(done.path)).paragraphs)
    assert "LAPORAN KINERJA SEMESTER" in text and "SEMESTER I TAHUN 2025" in text
    assert "BAB III" in text and "BAB I\n" not in text and "KATA PENGANTAR" not in text
    pk = build_context("pengukuran_kinerja", req.base)
    rows = {r["indikator"]: r for s in pk["sasaran"] for r in s["indikator"]}
    table = next(t for t in Document(str(done.path)).tables if t.rows[0].cells[1].text == "Sasaran Strategis")
    body = [[c.text for c in r.cells] for r in table.rows[2:] if r.cells[0].text.isdigit()]
    assert len(body) == len(rows)
    for r in body:
        assert [r[4], r[5], r[6], r[7]] == [rows[r[2]][k] for k in ("target", "realisasi", "capaian", "predikat")]


def test_the_cover_letter_has_its_own_number_and_subject(tmp_path: Path) -> None:
    req = _request(_full(), draft=False)
    req = replace(req, version=1)
    done = render_lkjip("surat_pengantar_lkjip", req, tmp_path, letter_number="000.8.3.3/7/BKPSDM/2025")
    assert done.path.name == "Surat Pengantar Laporan Kinerja Tahun 2025 v1.docx"
    doc = Document(str(done.path))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "000.8.3.3/7/BKPSDM/2025" in text and "Penyampaian Laporan Kinerja Instansi Pemerintah Tahun 2025" in text


def test_templates_check_covers_the_laporan_kinerja_templates(tmp_path: Path) -> None:
    assert check_templates() == []
    folder = tmp_path / "tpl"
    folder.mkdir()
    doc = Document(str(Path(__file__).resolve().parents[2] / "report_templates" / "laporan_kinerja.docx"))
    doc.add_paragraph("{{ nama_bupati }}")
    doc.save(str(folder / "laporan_kinerja.docx"))
    problems = check_templates(folder)
    assert any(p.startswith("error: laporan_kinerja.docx: uses {{ nama_bupati }}") for p in problems)
    assert "info: laporan_kinerja_semester.docx: not in" in "\n".join(problems)
