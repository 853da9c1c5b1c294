"""Regenerate the shipped .docx templates of sheets-sync with python-docx.

    python report_templates/build_templates.py [--out DIR]

Writes ``pengukuran_kinerja.docx`` (triwulan and semester editions), ``pengukuran_kinerja_tahunan.docx``,
``rekap_kelengkapan.docx``, ``surat_pengantar.docx`` and the Laporan Kinerja ``laporan_kinerja.docx`` /
``laporan_kinerja_semester.docx`` (built in ``build_lkjip.py``).  They are ordinary Word documents holding
docxtpl/Jinja tags; office staff may open them in Word and change wording, fonts, widths, margins or
add a logo to the kop surat — keep the ``{{ … }}`` / ``{%tr … %}`` / ``{%p … %}`` tags intact and run
``sheets-sync templates check`` afterwards.  Writing into this folder also refreshes the copies in
``sheets_sync/reports/templates/`` that ship inside the installed package (a test keeps them equal).
Paper size (A4/F4) and the body font are applied at render
time from ``[documents]`` in the config, so they need not be edited here.

Tag forms used (docxtpl): ``{{ x }}`` prints escaped text; ``{%tr … %}`` alone in a table row repeats or
hides the row; ``{%p … %}`` alone in a paragraph repeats or hides paragraphs (and tables between them).
The variables each template may use are listed in ``sheets_sync/reports/context.py``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
C, L, R, J = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY
Doc = Any


# ---- document, styles, page -----------------------------------------------------------------------

def new_document(landscape: bool) -> Doc:
    doc = Document()
    sec = doc.sections[0]
    w, h = Mm(210), Mm(297)
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = (h, w) if landscape else (w, h)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.left_margin, sec.right_margin = (Mm(20), Mm(20)) if landscape else (Mm(30), Mm(20))
    sec.header_distance = sec.footer_distance = Mm(10)
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(11)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    def para_style(name: str, size: float, *, bold: bool = False, align: Any = None) -> None:
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        st.font.size, st.font.bold = Pt(size), bold
        if align is not None:
            st.paragraph_format.alignment = align

    para_style("Kop Pemerintah", 14, bold=True, align=C)
    para_style("Kop Instansi", 15, bold=True, align=C)
    para_style("Kop Alamat", 9, align=C)
    para_style("Judul Dokumen", 12, bold=True, align=C)
    para_style("Isi Tabel", 8.5)
    para_style("Kepala Tabel", 8.5, bold=True, align=C)
    para_style("Catatan", 9)
    para_style("Kecil", 7.5)
    para_style("Tanda Tangan", 11)
    return doc


def _border(el: Any, tag: str, edges: Sequence[str], val: str, size: int, space: int = 0) -> None:
    box = el.find(qn(tag))
    if box is None:
        box = OxmlElement(tag)
        el.append(box)
    for edge in edges:
        b = OxmlElement(f"w:{edge}")
        b.set(qn("w:val"), val)
        b.set(qn("w:sz"), str(size))
        b.set(qn("w:space"), str(space))
        b.set(qn("w:color"), "000000")
        box.append(b)


def paragraph(target: Any, text: str = "", style: str = "Normal", *, bold: bool = False,
              align: Any = None, underline: bool = False, italic: bool = False) -> Any:
    p = target.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        run.underline = underline or None
        run.italic = italic or None
    if align is not None:
        p.alignment = align
    return p


def kop(doc: Doc, size: float = 14) -> None:
    """Kop surat: government, office, address line, and the thick-thin rule under it."""
    for text, style, pt in (("{{ kop.pemerintah }}", "Kop Pemerintah", size),
                            ("{{ kop.instansi }}", "Kop Instansi", size + 1)):
        p = paragraph(doc, text, style)
        p.runs[0].font.size = Pt(pt)
    p = paragraph(doc, "{{ kop.alamat }}", "Kop Alamat")
    p.paragraph_format.space_after = Pt(10)
    _border(p._p.get_or_add_pPr(), "w:pBdr", ["bottom"], "thickThinSmallGap", 24, 4)


def header_footer(doc: Doc) -> None:
    """Header: the DRAFT mark (empty when final) on every page.  Footer: data source and page x of y."""
    sec = doc.sections[0]
    hp = sec.header.paragraphs[0]
    hp.alignment = R
    run = hp.add_run("{{ draft_label }}")
    run.bold, run.font.size, run.font.color.rgb = True, Pt(10), RGBColor(0xC0, 0x00, 0x00)
    fp = sec.footer.paragraphs[0]
    fp.style = doc.styles["Kecil"]
    fp.add_run("{{ sumber_data }}")
    pn = sec.footer.add_paragraph(style="Kecil")
    pn.alignment = R
    pn.add_run("Halaman ")
    _field(pn, "PAGE")
    pn.add_run(" dari ")
    _field(pn, "NUMPAGES")


def _field(p: Any, instr: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    p._p.append(fld)


# ---- tables -------------------------------------------------------------------------------------

def _tr_flag(row: Any, tag: str) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    trpr.append(el)


def set_widths(table: Any, widths_mm: Sequence[float]) -> None:
    table.autofit = False
    tbl = table._tbl
    grid = tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(w).twips)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl.tblPr.append(layout)


def cell_text(cell: Any, text: str, style: str = "Isi Tabel", *, bold: bool = False, align: Any = None,
              shade: str = "") -> None:
    p = cell.paragraphs[0]
    p.style = style
    if text:
        run = p.add_run(text)
        run.bold = bold or None
    if align is not None:
        p.alignment = align
    if shade:
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), shade)
        cell._tc.get_or_add_tcPr().append(shd)


def header_rows(table: Any, labels: Sequence[str]) -> None:
    """Row 0: column titles; row 1: column numbers; both repeat on every page."""
    for i, label in enumerate(labels):
        cell_text(table.rows[0].cells[i], label, "Kepala Tabel", shade="D9D9D9")
        cell_text(table.rows[1].cells[i], f"({i + 1})", "Kecil", align=C, shade="F2F2F2")
    for row in table.rows[:2]:
        _tr_flag(row, "w:tblHeader")
        _tr_flag(row, "w:cantSplit")


def tag_row(table: Any, index: int, tag: str) -> None:
    """A control row holding one ``{%tr … %}`` tag (merged across the table so staff see it)."""
    row = table.rows[index]
    merged = row.cells[0].merge(row.cells[-1])
    cell_text(merged, tag, "Kecil")


def data_row(table: Any, index: int, cells: Sequence[tuple[str, Any]]) -> None:
    row = table.rows[index]
    _tr_flag(row, "w:cantSplit")
    for cell, (text, align) in zip(row.cells, cells, strict=True):
        cell_text(cell, text, align=align)


def summary_row(table: Any, index: int, span: int, label: str, rest: Sequence[tuple[str, Any]]) -> None:
    """A bold row: ``label`` over the first ``span`` columns, then ``rest`` one per column."""
    row = table.rows[index]
    _tr_flag(row, "w:cantSplit")
    merged = row.cells[0].merge(row.cells[span - 1])
    cell_text(merged, label, bold=True, align=R, shade="F2F2F2")
    for cell, (text, align) in zip(row.cells[span:], rest, strict=True):
        cell_text(cell, text, bold=True, align=align, shade="F2F2F2")


def borderless(table: Any) -> None:
    tblpr = table._tbl.tblPr
    _border(tblpr, "w:tblBorders", ["top", "left", "bottom", "right", "insideH", "insideV"], "nil", 0)


def signature(doc: Doc, widths_mm: Sequence[float], *, place_date: bool = True) -> None:
    """Right-hand signature block in a borderless one-row table (kept on one page)."""
    t = doc.add_table(rows=1, cols=2)
    borderless(t)
    set_widths(t, widths_mm)
    _tr_flag(t.rows[0], "w:cantSplit")
    cell = t.rows[0].cells[1]
    first = cell.paragraphs[0]
    first.style = doc.styles["Tanda Tangan"]
    if place_date:
        first.add_run("{{ tempat_tanggal }}")
        paragraph(cell, "{%p if ttd.atas_nama %}", "Tanda Tangan")
    else:
        first.add_run("{%p if ttd.atas_nama %}")
    paragraph(cell, "{{ ttd.atas_nama }}", "Tanda Tangan")
    paragraph(cell, "{%p endif %}", "Tanda Tangan")
    paragraph(cell, "{{ ttd.jabatan }}", "Tanda Tangan")
    for _ in range(4):
        paragraph(cell, "", "Tanda Tangan")
    paragraph(cell, "{{ ttd.nama }}", "Tanda Tangan", bold=True, underline=True)
    paragraph(cell, "{{ ttd.pangkat }}", "Tanda Tangan")
    paragraph(cell, "{{ ttd.nip }}", "Tanda Tangan")


def title(doc: Doc, *lines: str) -> None:
    for i, line in enumerate(lines):
        p = paragraph(doc, line, "Judul Dokumen")
        if i == len(lines) - 1:
            p.paragraph_format.space_after = Pt(8)


# ---- the documents ------------------------------------------------------------------------------

PK_WIDTHS = (8, 26, 33, 14, 15, 14, 16, 17, 15, 16, 17, 17, 16, 33)
PK_LABELS = ("No", "{{ t.kolom }}", "Indikator Kinerja", "Satuan", "Target Tahunan",
             "Target {{ kolom.periode }}", "Realisasi {{ kolom.periode }}", "Capaian {{ kolom.periode }}",
             "Target {{ kolom.sd }}", "Realisasi {{ kolom.sd }}", "Capaian {{ kolom.sd }} thd Target {{ kolom.sd }}",
             "Capaian {{ kolom.sd }} thd Target Tahunan", "Predikat", "Keterangan")
PK_CELLS = (("{{ r.no }}", C), ("{{ r.sasaran }}", L), ("{{ r.indikator }}", L), ("{{ r.satuan }}", C),
            ("{{ r.target_tahunan }}", C), ("{{ r.target }}", C), ("{{ r.realisasi }}", C),
            ("{{ r.capaian }}", C), ("{{ r.target_sd }}", C), ("{{ r.realisasi_sd }}", C),
            ("{{ r.capaian_sd_target }}", C), ("{{ r.capaian_sd }}", C), ("{{ r.predikat }}", C),
            ("{{ r.keterangan }}", L))
TH_WIDTHS = (8, 40, 60, 16, 18, 18, 18, 20, 59)
TH_LABELS = ("No", "{{ t.kolom }}", "Indikator Kinerja", "Satuan", "Target", "Realisasi",
             "Capaian", "Predikat", "Keterangan")
TH_CELLS = (("{{ r.no }}", C), ("{{ r.sasaran }}", L), ("{{ r.indikator }}", L), ("{{ r.satuan }}", C),
            ("{{ r.target }}", C), ("{{ r.realisasi }}", C), ("{{ r.capaian }}", C), ("{{ r.predikat }}", C),
            ("{{ r.keterangan }}", L))
EF_WIDTHS = (12, 75, 32, 32, 22, 22, 22, 40)
EF_LABELS = ("No", "Program / Kegiatan", "Pagu Anggaran", "Realisasi Anggaran", "% Realisasi Anggaran",
             "Capaian Kinerja", "Tingkat Efisiensi", "Keterangan")
CMP_WIDTHS = (8, 44, 13, 17, 17, 15, 16, 28, 17, 17, 25, 20, 20)
CMP_LABELS = ("No", "Indikator Kinerja", "Satuan", "Realisasi {{ tahun_lalu }}", "Realisasi {{ periode.label }}",
              "Selisih", "Perubahan", "Kenaikan / Penurunan", "Capaian {{ tahun_lalu }}",
              "Capaian {{ periode.label }}", "Kenaikan / Penurunan Capaian", "Target Akhir Renstra",
              "Capaian thd Target Renstra")


def _table(doc: Doc, widths: Sequence[float], rows: int) -> Any:
    """A grid table with narrow cell margins (1 mm left/right) so "Realisasi" and "108,00%" fit."""
    t = doc.add_table(rows=rows, cols=len(widths))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(t, widths)
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(int(Mm(1).twips)))
        m.set(qn("w:type"), "dxa")
        mar.append(m)
    t._tbl.tblPr.append(mar)
    return t


def heading(doc: Doc, text: str) -> None:
    """A bold heading kept with the table under it."""
    p = paragraph(doc, text, "Catatan", bold=True)
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.space_before = Pt(6)


def level_table(doc: Doc, tahunan: bool) -> None:
    """One table per level of the cascading (``{%p for t in tingkat %}``); the organisation row only
    under the level capaian organisasi is measured on."""
    paragraph(doc, "{%p for t in tingkat %}", "Catatan")
    paragraph(doc, "{%p if t.judul_tampil %}", "Catatan")
    heading(doc, "{{ t.judul }}")
    paragraph(doc, "{%p endif %}", "Catatan")
    paragraph(doc, "{%p if t.penanggung_jawab %}", "Catatan")
    paragraph(doc, "Penanggung jawab (Perjanjian Kinerja): {{ t.penanggung_jawab }}",
              "Catatan").paragraph_format.keep_with_next = True
    paragraph(doc, "{%p endif %}", "Catatan")
    widths, labels, cells = (TH_WIDTHS, TH_LABELS, TH_CELLS) if tahunan else (PK_WIDTHS, PK_LABELS, PK_CELLS)
    t = _table(doc, widths, 11)
    header_rows(t, labels)
    tag_row(t, 2, "{%tr for s in t.sasaran %}")
    tag_row(t, 3, "{%tr for r in s.indikator %}")
    data_row(t, 4, cells)
    tag_row(t, 5, "{%tr endfor %}")
    if tahunan:
        rest: list[tuple[str, Any]] = [("{{ s.capaian }}", C), ("{{ s.predikat }}", C), ("", L)]
        org: list[tuple[str, Any]] = [("{{ organisasi.capaian }}", C), ("{{ organisasi.predikat }}", C), ("", L)]
        span = 6
    else:
        rest = [("{{ s.capaian }}", C), ("", C), ("", C), ("", C), ("{{ s.capaian_tahunan }}", C),
                ("{{ s.predikat }}", C), ("", L)]
        org = [("{{ organisasi.capaian }}", C), ("", C), ("", C), ("", C), ("{{ organisasi.capaian_tahunan }}", C),
               ("{{ organisasi.predikat }}", C), ("", L)]
        span = 7
    summary_row(t, 6, span, "Capaian {{ s.tingkat }} {{ s.no }}", rest)
    tag_row(t, 7, "{%tr endfor %}")
    tag_row(t, 8, "{%tr if t.utama %}")
    summary_row(t, 9, span, "Capaian Kinerja Organisasi", org)
    tag_row(t, 10, "{%tr endif %}")
    paragraph(doc, "{%p endfor %}", "Catatan")


def loop_table(doc: Doc, title: str, widths: Sequence[float], rows: int, labels: Any, loop: str,
               cells: Any) -> Any:
    """A headed table whose row 3 repeats ``for {loop}`` (rows 2 and 4 carry the docxtpl loop tags)."""
    heading(doc, title)
    t = _table(doc, widths, rows)
    header_rows(t, labels)
    tag_row(t, 2, f"{{%tr for {loop} %}}")
    data_row(t, 3, cells)
    tag_row(t, 4, "{%tr endfor %}")
    return t


def budget_and_comparison(doc: Doc) -> None:
    """The office total, the budget per program/kegiatan with its efficiency, and the comparison with last
    year and the Renstra end target (each only when the data exist)."""
    paragraph(doc, "{%p if efisiensi %}", "Catatan")
    t = loop_table(doc, "Anggaran dan Tingkat Efisiensi per Program/Kegiatan", EF_WIDTHS, 6, EF_LABELS,
                   "e in efisiensi", (("{{ e.no }}", C), ("{{ e.uraian }}", L), ("{{ e.pagu }}", R),
                                      ("{{ e.realisasi }}", R), ("{{ e.persen }}", C), ("{{ e.capaian }}", C),
                                      ("{{ e.efisiensi }}", C), ("{{ e.keterangan }}", L)))
    summary_row(t, 5, 2, "Jumlah", [("{{ efisiensi_total.pagu_program }}", R),
                                    ("{{ efisiensi_total.realisasi_program }}", R),
                                    ("{{ efisiensi_total.persen_program }}", C), ("", C),
                                    ("{{ efisiensi_total.efisiensi }}", C), ("", L)])
    paragraph(doc, "{%p endif %}", "Catatan")
    paragraph(doc, "")
    paragraph(doc, "{%p if anggaran %}", "Catatan")
    paragraph(doc, "Anggaran", "Catatan", bold=True).paragraph_format.keep_with_next = True
    paragraph(doc, "Pagu anggaran: {{ anggaran.pagu }}; realisasi anggaran: {{ anggaran.realisasi }} "
                   "({{ anggaran.persen }} dari pagu).", "Catatan")
    paragraph(doc, "{%p endif %}", "Catatan")
    paragraph(doc, "{%p if perbandingan %}", "Catatan")
    loop_table(doc, "Perbandingan dengan Tahun {{ tahun_lalu }} dan dengan Target Akhir Renstra", CMP_WIDTHS, 5,
               CMP_LABELS, "c in perbandingan",
               (("{{ c.no }}", C), ("{{ c.indikator }}", L), ("{{ c.satuan }}", C),
                ("{{ c.realisasi_lalu }}", C), ("{{ c.realisasi }}", C), ("{{ c.selisih }}", C),
                ("{{ c.perubahan }}", C), ("{{ c.arah }}", C), ("{{ c.capaian_lalu }}", C),
                ("{{ c.capaian_kini }}", C), ("{{ c.banding_capaian }}", C),
                ("{{ c.target_renstra }}{% if c.periode_renstra %} ({{ c.periode_renstra }}){% endif %}", C),
                ("{{ c.capaian_renstra }}", C)))
    paragraph(doc, "{%p endif %}", "Catatan")


def pengukuran(tahunan: bool) -> Doc:
    doc = new_document(landscape=True)
    header_footer(doc)
    kop(doc)
    title(doc, "{{ judul }} {{ subjudul }}", "{{ instansi_daerah|upper }}")
    level_table(doc, tahunan)
    paragraph(doc, "")
    budget_and_comparison(doc)
    paragraph(doc, "Catatan", "Catatan", bold=True).paragraph_format.keep_with_next = True
    paragraph(doc, "{%p for c in catatan %}", "Catatan")
    paragraph(doc, "{{ loop.index }}. {{ c }}", "Catatan")
    paragraph(doc, "{%p endfor %}", "Catatan")
    paragraph(doc, "{%p if rumus_negatif %}", "Catatan")
    paragraph(doc, "Rumus indikator berpolaritas negatif (semakin rendah semakin baik):",
              "Catatan").paragraph_format.keep_with_next = True
    paragraph(doc, "{%p for f in rumus_negatif %}", "Catatan")
    paragraph(doc, "– {{ f }}", "Catatan")
    paragraph(doc, "{%p endfor %}", "Catatan")
    paragraph(doc, "{%p endif %}", "Catatan")
    paragraph(doc, "")
    signature(doc, (157, 100))
    paragraph(doc, "{%p if grafik %}", "Catatan")
    p = paragraph(doc, "Lampiran: {{ grafik_judul }}", "Catatan", bold=True, align=C)
    p.paragraph_format.page_break_before = True
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.space_after = Pt(6)
    paragraph(doc, "{{ grafik }}", align=C)
    paragraph(doc, "{%p endif %}", "Catatan")
    return doc


def rekap() -> Doc:
    doc = new_document(landscape=False)
    header_footer(doc)
    kop(doc, 11)
    title(doc, "{{ judul }}", "{{ subjudul }}", "{{ instansi_daerah|upper }}")
    paragraph(doc, "Bahan rapat pembahasan capaian kinerja. {{ ringkasan.kalimat }}", align=J)
    paragraph(doc, "")
    paragraph(doc, "A. Kelengkapan Data per Bidang", bold=True)
    widths = (8, 38, 19, 16, 20, 25, 27, 17)
    t = doc.add_table(rows=6, cols=len(widths))
    t.style = doc.styles["Table Grid"]
    set_widths(t, widths)
    header_rows(t, ("No", "Bidang", "Status", "Terisi / Wajib", "Persentase", "Ketepatan Waktu",
                    "Selesai Diisi", "Jumlah Temuan"))
    tag_row(t, 2, "{%tr for b in bidang %}")
    data_row(t, 3, (("{{ b.no }}", C), ("{{ b.nama }}", L), ("{{ b.status }}", C), ("{{ b.terisi }}", C),
                    ("{{ b.persen }}", C), ("{{ b.ketepatan }}", C), ("{{ b.selesai }}", C),
                    ("{{ b.jumlah_temuan }}", C)))
    tag_row(t, 4, "{%tr endfor %}")
    summary_row(t, 5, 3, "Jumlah", [("{{ ringkasan.terisi }}", C), ("{{ ringkasan.persen }}", C),
                                    ("{{ ringkasan.lengkap }} dari {{ ringkasan.jumlah_bidang }} bidang lengkap", C),
                                    ("", C), ("", C)])
    paragraph(doc, "")
    paragraph(doc, "B. Temuan yang Perlu Ditindaklanjuti", bold=True)
    paragraph(doc, "{%p if temuan %}")
    widths = (8, 38, 24, 100)
    t = doc.add_table(rows=5, cols=len(widths))
    t.style = doc.styles["Table Grid"]
    set_widths(t, widths)
    header_rows(t, ("No", "Bidang", "Sel", "Uraian"))
    tag_row(t, 2, "{%tr for f in temuan %}")
    data_row(t, 3, (("{{ f.no }}", C), ("{{ f.bidang }}", L), ("{{ f.sel }}", C), ("{{ f.uraian }}", L)))
    tag_row(t, 4, "{%tr endfor %}")
    paragraph(doc, "{%p else %}")
    paragraph(doc, "Tidak ada temuan.")
    paragraph(doc, "{%p endif %}")
    paragraph(doc, "")
    paragraph(doc, "C. Perubahan Data setelah Persetujuan", bold=True)
    paragraph(doc, "{%p if perubahan %}")
    widths = (8, 36, 20, 36, 36, 34)
    t = doc.add_table(rows=5, cols=len(widths))
    t.style = doc.styles["Table Grid"]
    set_widths(t, widths)
    header_rows(t, ("No", "Bidang", "Sel", "Nilai Semula", "Nilai Baru", "Waktu Perubahan"))
    tag_row(t, 2, "{%tr for c in perubahan %}")
    data_row(t, 3, (("{{ c.no }}", C), ("{{ c.bidang }}", L), ("{{ c.sel }}", C), ("{{ c.lama }}", L),
                    ("{{ c.baru }}", L), ("{{ c.waktu }}", C)))
    tag_row(t, 4, "{%tr endfor %}")
    paragraph(doc, "{%p else %}")
    paragraph(doc, "Tidak ada perubahan data setelah persetujuan.")
    paragraph(doc, "{%p endif %}")
    paragraph(doc, "")
    signature(doc, (75, 85))
    return doc


def surat() -> Doc:
    doc = new_document(landscape=False)
    header_footer(doc)
    kop(doc, 11)
    paragraph(doc, "{{ tempat_tanggal }}", align=R).paragraph_format.space_after = Pt(8)
    t = doc.add_table(rows=1, cols=2)
    borderless(t)
    set_widths(t, (95, 65))
    left, right = t.rows[0].cells
    for i, (label, var) in enumerate((("Nomor", "nomor"), ("Sifat", "sifat"), ("Lampiran", "lampiran"),
                                      ("Hal", "hal"))):
        p = left.paragraphs[0] if i == 0 else left.add_paragraph()
        p.add_run(f"{label}\t: {{{{ {var} }}}}")
        pf = p.paragraph_format
        pf.tab_stops.add_tab_stop(Mm(22))
        pf.left_indent, pf.first_line_indent = Mm(25), Mm(-25)
    right.paragraphs[0].add_run("Yth. {{ yth }}")
    paragraph(right, "di")
    paragraph(right, "{{ di }}").paragraph_format.left_indent = Mm(8)
    paragraph(doc, "")
    body = (
        "Dalam rangka pelaksanaan Peraturan Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas "
        "Kinerja Instansi Pemerintah, bersama ini kami sampaikan Pengukuran Kinerja {{ instansi_daerah }} "
        "{{ periode.label }} sebagaimana terlampir.",
        "{{ capaian }} Data yang digunakan adalah data yang telah dibahas dan disetujui dalam rapat "
        "pembahasan capaian kinerja.",
        "Demikian disampaikan, atas perhatian Bapak/Ibu diucapkan terima kasih.",
    )
    for text in body:
        p = paragraph(doc, text, align=J)
        p.paragraph_format.first_line_indent = Mm(12.5)
        p.paragraph_format.left_indent = Mm(25)
        p.paragraph_format.space_after = Pt(6)
        p.paragraph_format.line_spacing = 1.15
    paragraph(doc, "")
    signature(doc, (80, 80), place_date=False)
    return doc


def _fixed_core(doc: Doc) -> None:
    cp = doc.core_properties
    cp.author = cp.last_modified_by = "sheets-sync"
    cp.title = "Templat sheets-sync"
    cp.created = cp.modified = datetime(2025, 1, 1, tzinfo=UTC)
    cp.revision = 1


PACKAGED = HERE.parent / "sheets_sync" / "reports" / "templates"
"""Copies shipped inside the installed package (package data of ``sheets_sync.reports``)."""


def build(out: Path) -> list[Path]:
    """Write every template into ``out``; byte-identical on every run."""
    out.mkdir(parents=True, exist_ok=True)
    docs = {
        "pengukuran_kinerja.docx": pengukuran(tahunan=False),
        "pengukuran_kinerja_tahunan.docx": pengukuran(tahunan=True),
        "rekap_kelengkapan.docx": rekap(),
        "surat_pengantar.docx": surat(),
    }
    from build_lkjip import laporan, laporan_semester  # the Laporan Kinerja (needs this module's helpers)

    docs.update({"laporan_kinerja.docx": laporan(), "laporan_kinerja_semester.docx": laporan_semester()})
    written = []
    for name, doc in docs.items():
        _fixed_core(doc)
        path = out / name
        doc.save(str(path))
        _stable_zip(path)
        written.append(path)
    return written


def _stable_zip(path: Path) -> None:
    try:
        from sheets_sync.reports.normalize import stable_zip
    except ImportError:  # building without the package installed: leave the zip as python-docx wrote it
        return
    path.write_bytes(stable_zip(path.read_bytes()))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE, help="folder to write the templates into")
    args = ap.parse_args(argv)
    for p in build(args.out):
        print(p)
        if args.out.resolve() == HERE and PACKAGED.parent.is_dir():
            PACKAGED.mkdir(exist_ok=True)
            (PACKAGED / p.name).write_bytes(p.read_bytes())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
