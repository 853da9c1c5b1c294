"""Rendered .docx files read back with python-docx: the table holds exactly the computed values, drafts
are marked, text is escaped, output is byte-for-byte reproducible, page settings are applied."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.table import _Cell
from report_data import MakeRequest, Unit

from sheets_sync.config import DocumentSettings, Signatory
from sheets_sync.errors import RenderError
from sheets_sync.model import ApprovedChange, Indicator, Period, UnitStatus
from sheets_sync.reports import render
from sheets_sync.reports.templates import shipped_dir


def table_rows(path: Path, index: int = 0) -> list[list[str]]:
    """Text of each physical cell (a merged cell counts once)."""
    table = Document(str(path)).tables[index]
    return [[_Cell(tc, table).text for tc in row._tr.tc_lst] for row in table.rows]


def all_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return " ".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/") and n.endswith(".xml"))


def test_triwulan_table_read_back_holds_exactly_the_given_values(make_request: MakeRequest, tmp_path: Path) -> None:
    done = render("pengukuran_kinerja", make_request(), tmp_path)
    assert done.path.name == "Pengukuran Kinerja 2025-TW1 (DRAFT).docx"
    rows = table_rows(done.path)
    assert rows[0][:6] == ["No", "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Target Tahunan",
                           "Target TW I"]
    assert rows[0][8:12] == ["Target s.d. TW I", "Realisasi s.d. TW I", "Capaian s.d. TW I thd Target s.d. TW I",
                             "Capaian s.d. TW I thd Target Tahunan"]
    assert rows[1] == [f"({i})" for i in range(1, 15)]
    body = [r for r in rows[2:]]
    assert body[0] == ["1", "Meningkatnya profesionalitas ASN", "Indeks Profesionalitas ASN", "indeks", "72,5",
                       "–", "–", "–", "–", "–", "–", "–", "–",
                       "Tidak diukur pada TW I (tidak ada target periode ini)."]
    assert body[1][3:13] == ["%", "80", "15", "16,2", "108,00%", "15", "16,2", "108,00%", "20,25%", "Sangat Tinggi"]
    assert body[2][3:13] == ["orang", "400", "50", "60", "120,00%", "50", "60", "120,00%", "15,00%", "Sangat Tinggi"]
    assert body[3][0] == "Capaian Sasaran Strategis 1" and body[3][1:7] == ["114,00%", "", "", "", "17,63%",
                                                                             "Sangat Tinggi"]
    ind_rows = [r for r in body if r[0].isdigit()]
    assert [(r[2][:30], r[7], r[12]) for r in ind_rows] == [
        ("Indeks Profesionalitas ASN", "–", "–"),
        ("Persentase ASN yang memenuhi p", "108,00%", "Sangat Tinggi"),
        ("Jumlah ASN yang mengikuti uji ", "120,00%", "Sangat Tinggi"),
        ("Persentase pengisian jabatan s", "100,00%", "Sangat Tinggi"),
        ("Persentase ASN yang dijatuhi h", "116,67%", "Sangat Tinggi"),
        ("Indeks Kepuasan Masyarakat lay", "–", "–"),
        ("Persentase usulan layanan kepe", "99,07%", "Sangat Tinggi"),
        ("Rata-rata waktu penyelesaian l", "80,00%", "Tinggi"),
    ]
    assert body[-1][:7] == ["Capaian Kinerja Organisasi", "103,96%", "", "", "", "72,39%", "Sangat Tinggi"]
    text = all_text(done.path)
    assert "Sukamaju, 24 Februari 2025" in text and "NIP. 19690103 200312 1 005" in text
    assert "PENGUKURAN KINERJA TRIWULAN I TAHUN 2025" in text
    assert "Sumber data: snapshot sha256 0123abcd" in text
    assert "{{" not in text and "{%" not in text


def test_header_rows_repeat_on_every_page_and_the_page_is_landscape(make_request: MakeRequest,
                                                                     tmp_path: Path) -> None:
    doc = Document(str(render("pengukuran_kinerja", make_request(), tmp_path).path))
    table = doc.tables[0]
    assert [r._tr.trPr.find(qn("w:tblHeader")) is not None for r in table.rows[:3]] == [True, True, False]
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (297, 210)
    assert len(doc.inline_shapes) == 1  # the capaian chart


def test_paper_f4_and_font_come_from_document_settings(make_request: MakeRequest, tmp_path: Path) -> None:
    docs = DocumentSettings(output=tmp_path, paper="F4", font="Bookman Old Style", font_size=12,
                            signatory=Signatory(nama="A", prefix="Plt.", jabatan="Kepala Badan"))
    for kind, size in (("pengukuran_kinerja", (330, 215)), ("surat_pengantar", (215, 330))):
        doc = Document(str(render(kind, make_request(documents=docs), tmp_path).path))
        sec = doc.sections[0]
        assert (round(sec.page_width.mm), round(sec.page_height.mm)) == size
        assert doc.styles["Normal"].font.name == "Bookman Old Style"
        assert doc.styles["Normal"].font.size.pt == 12


def test_tahunan_table_rolls_up_the_year(make_request: MakeRequest, tmp_path: Path) -> None:
    done = render("pengukuran_kinerja", make_request(Period(2025, 4), "tahunan", draft=False), tmp_path)
    assert done.path.name == "Pengukuran Kinerja Tahun 2025.docx"
    rows = {r[2][:20]: r for r in table_rows(done.path)[2:] if r[0].isdigit()}
    assert rows["Jumlah ASN yang meng"][4:8] == ["400", "400", "100,00%", "Sangat Tinggi"]
    assert rows["Indeks Kepuasan Masy"][4:7] == ["85", "84,8", "99,76%"]
    assert rows["Persentase usulan la"][4:7] == ["95", "95,6", "100,63%"]


def test_draft_is_marked_on_every_page_and_final_is_not(make_request: MakeRequest, tmp_path: Path) -> None:
    for kind in ("pengukuran_kinerja", "rekap_kelengkapan", "surat_pengantar"):
        draft = render(kind, make_request(), tmp_path / "d")
        final = render(kind, make_request(draft=False), tmp_path / "f")
        with zipfile.ZipFile(draft.path) as z:
            header = z.read("word/header1.xml").decode()
        assert "DRAFT — BELUM DISETUJUI" in header and 'string="DRAFT"' in header  # text + watermark
        with zipfile.ZipFile(final.path) as z:
            assert "DRAFT" not in z.read("word/header1.xml").decode()
        assert "(DRAFT)" in draft.path.name and "DRAFT" not in final.path.name


def test_user_text_is_escaped_and_long_names_and_emoji_give_a_valid_docx(make_request: MakeRequest,
                                                                          tmp_path: Path) -> None:
    nasty = 'Bidang Pengadaan & Mutasi <ASN> "Khusus"'
    long_name = "Persentase " + "penyelesaian layanan kepegawaian yang sangat panjang " * 12
    ind = Indicator("7.1", "PM", nasty + " 🚀", long_name, "% & <x>", "positif", "jumlah", "per_triwulan",
                    "100", ("25", "25", "25", "25"))
    req = make_request(indicators=(ind,), values={"7.1": {1: 30}},
                       keterangan={"7.1": "Naik <b>tajam</b> & stabil 🎉 {{ draft }} {% if x %}"},
                       units=(Unit("PM", nasty),),
                       statuses=(UnitStatus("PM", Period(2025, 1), "Lengkap", 1, 1),),
                       changes=(ApprovedChange("PM", "TW1!H7", "<1>", "&2", None),))
    for kind in ("pengukuran_kinerja", "rekap_kelengkapan", "surat_pengantar"):
        done = render(kind, req, tmp_path)
        doc = Document(str(done.path))  # parses: the XML is valid
        text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
        if kind == "pengukuran_kinerja":
            assert nasty + " 🚀" in text and long_name.strip() in text and "% & <x>" in text
            assert "Naik <b>tajam</b> & stabil 🎉 {{ draft }} {% if x %}" in text
        if kind == "rekap_kelengkapan":
            assert nasty in text and "<1>" in text and "&2" in text


def test_rendering_twice_gives_the_same_bytes(make_request: MakeRequest, tmp_path: Path) -> None:
    first = {}
    for kind in ("pengukuran_kinerja", "rekap_kelengkapan", "surat_pengantar"):
        a = render(kind, make_request(), tmp_path / "a")
        b = render(kind, make_request(), tmp_path / "b")
        assert a.sha256 == b.sha256 == hashlib.sha256(b.path.read_bytes()).hexdigest()
        first[kind] = a.sha256
    later = make_request(generated_on=make_request().generated_on.replace(day=25))
    assert render("pengukuran_kinerja", later, tmp_path / "c").sha256 != first["pengukuran_kinerja"]


def surat_pengantar_with(folder: Path, paragraph: str) -> Path:
    """An office's template folder ``folder`` holding only the shipped Surat Pengantar with one more
    ``paragraph`` (the office's own line, or a broken tag); returns the folder."""
    folder.mkdir()
    doc = Document(str(shipped_dir() / "surat_pengantar.docx"))
    doc.add_paragraph(paragraph)
    doc.save(str(folder / "surat_pengantar.docx"))
    return folder


def test_an_edited_template_folder_is_used_and_missing_files_fall_back(make_request: MakeRequest,
                                                                        tmp_path: Path) -> None:
    edited = surat_pengantar_with(tmp_path / "tpl", "Tembusan: Inspektur {{ singkatan }}")
    surat = render("surat_pengantar", make_request(), tmp_path / "out", templates=edited)
    assert "Tembusan: Inspektur BKPSDM" in all_text(surat.path)
    pk = render("pengukuran_kinerja", make_request(), tmp_path / "out", templates=edited)
    assert len(Document(str(pk.path)).tables) >= 1  # shipped copy used


def test_a_broken_template_tag_is_a_render_error_naming_the_file(make_request: MakeRequest,
                                                                  tmp_path: Path) -> None:
    edited = surat_pengantar_with(tmp_path / "tpl", "{% if nomor %} tidak ditutup")
    with pytest.raises(RenderError, match=r"surat_pengantar\.docx"):
        render("surat_pengantar", make_request(), tmp_path, templates=edited)
    (edited / "rekap_kelengkapan.docx").write_text("not a docx")
    with pytest.raises(RenderError, match="cannot be opened"):
        render("rekap_kelengkapan", make_request(), tmp_path, templates=edited)
