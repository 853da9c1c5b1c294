"""The Laporan Kinerja templates (``laporan_kinerja.docx``, ``laporan_kinerja_semester.docx``), built by
``build_templates.py`` with its helpers.  Structure: PermenPAN-RB 53/2014 (see
``sheets_sync/reports/lkjip.py`` for the variables).  Office staff may edit them in Word like the
others; keep the ``{{ … }}`` / ``{%p … %}`` / ``{%tr … %}`` tags and run ``sheets-sync templates check``."""

from __future__ import annotations

from typing import Any

import build_templates as bt
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Mm, Pt

C, L, J = bt.C, bt.L, bt.J
Doc = Any


def heading(doc: Doc, text: str, *, new_page: bool = False, size: float = 12, align: Any = None) -> Any:
    p = bt.paragraph(doc, text, "Judul Dokumen" if align is None else "Normal", bold=True,
                     align=align if align is not None else C)
    p.runs[0].font.size = Pt(size)
    p.paragraph_format.page_break_before = new_page
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.space_after = Pt(6)
    return p


def sub(doc: Doc, text: str) -> None:
    heading(doc, text, size=11, align=L)


def loop_text(doc: Doc, expr: str, style: str = "Normal", *, indent: bool = True) -> None:
    """Paragraphs of a list: ``{%p for t in expr %}`` ``{{ t }}`` ``{%p endfor %}`` (justified)."""
    bt.paragraph(doc, f"{{%p for t in {expr} %}}")
    p = bt.paragraph(doc, "{{ t }}", style, align=J)
    p.paragraph_format.space_after = Pt(6)
    p.paragraph_format.line_spacing = 1.15
    if indent:
        p.paragraph_format.first_line_indent = Mm(10)
    bt.paragraph(doc, "{%p endfor %}")


def section_text(doc: Doc, code: str, number: str = "") -> None:
    sub(doc, f"{number}{{{{ narasi.{code}.judul }}}}")
    loop_text(doc, f"narasi.{code}.paragraf")


def grid(doc: Doc, widths: tuple[float, ...], labels: tuple[str, ...], loop: str, cells: Any,
         *, extra_rows: int = 0) -> Any:
    t = doc.add_table(rows=5 + extra_rows, cols=len(widths))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    bt.set_widths(t, widths)
    bt.header_rows(t, labels)
    bt.tag_row(t, 2, f"{{%tr for {loop} %}}")
    bt.data_row(t, 3, cells)
    bt.tag_row(t, 4, "{%tr endfor %}")
    return t


def cover(doc: Doc, semester: bool) -> None:
    for _ in range(6):
        bt.paragraph(doc, "")
    heading(doc, "{{ judul }}", size=20)
    if not semester:
        heading(doc, "(LKjIP)", size=16)
    heading(doc, "{{ subjudul }}", size=18)
    for _ in range(8):
        bt.paragraph(doc, "")
    heading(doc, "{{ instansi|upper }}", size=14)
    heading(doc, "{{ kop.pemerintah }}", size=14)
    heading(doc, "{{ tahun_terbit }}" if not semester else "{{ tahun }}", size=14)
    bt.paragraph(doc, "{{ versi }}", "Catatan", align=C)
    bt.paragraph(doc, "{%p if perubahan %}", "Catatan")
    p = bt.paragraph(doc, "Perubahan dibanding versi sebelumnya:", "Catatan", bold=True)
    p.paragraph_format.space_before = Pt(12)
    bt.paragraph(doc, "{%p for c in perubahan %}", "Catatan")
    bt.paragraph(doc, "– {{ c }}", "Catatan")
    bt.paragraph(doc, "{%p endfor %}", "Catatan")
    bt.paragraph(doc, "{%p endif %}", "Catatan")
    bt.paragraph(doc, "{%p if kurang %}", "Catatan")
    bt.paragraph(doc, "Bagian yang belum diisi Tim SAKIP: {{ kurang|join(', ') }}", "Catatan", italic=True)
    bt.paragraph(doc, "{%p endif %}", "Catatan")


def ikhtisar(doc: Doc) -> None:
    heading(doc, "IKHTISAR EKSEKUTIF", new_page=True)
    loop_text(doc, "narasi.ikhtisar.paragraf")
    loop_text(doc, "ikhtisar.kalimat")
    widths = (10, 110, 40)
    t = doc.add_table(rows=4, cols=3)
    t.style = doc.styles["Table Grid"]
    bt.set_widths(t, widths)
    for i, (label, value) in enumerate((("Capaian kinerja organisasi", "{{ ikhtisar.capaian }} "
                                         "({{ ikhtisar.predikat }})"),
                                        ("Sasaran strategis tercapai", "{{ ikhtisar.tercapai }} dari "
                                         "{{ ikhtisar.jumlah_sasaran }}"),
                                        ("Sasaran strategis belum tercapai", "{{ ikhtisar.belum_tercapai }}"),
                                        ("Realisasi anggaran", "{% if anggaran %}{{ anggaran.realisasi }} "
                                         "({{ anggaran.persen }} dari pagu {{ anggaran.pagu }}){% else %}–"
                                         "{% endif %}"))):
        row = t.rows[i]
        bt.cell_text(row.cells[0], str(i + 1), align=C)
        bt.cell_text(row.cells[1], label)
        bt.cell_text(row.cells[2], value, align=C)


def bab3(doc: Doc, *, new_page: bool = True) -> None:
    heading(doc, "BAB III", new_page=new_page)
    heading(doc, "AKUNTABILITAS KINERJA")
    sub(doc, "A. Capaian Kinerja Organisasi")
    bt.paragraph(doc, "Capaian kinerja organisasi {{ subjudul|lower }} sebesar {{ organisasi.capaian }} dengan "
                      "predikat {{ organisasi.predikat }}. Uraian capaian per sasaran strategis:", align=J)
    bt.paragraph(doc, "{%p for s in bab3 %}")
    sub(doc, "Sasaran Strategis {{ s.no }}: {{ s.nama }}")
    grid(doc, (8, 52, 16, 18, 18, 18, 30), ("No", "Indikator Kinerja", "Satuan", "Target", "Realisasi", "Capaian",
                                            "Predikat"), "r in s.indikator",
         (("{{ r.no }}", C), ("{{ r.indikator }}", L), ("{{ r.satuan }}", C), ("{{ r.target }}", C),
          ("{{ r.realisasi }}", C), ("{{ r.capaian }}", C), ("{{ r.predikat }}", C)))
    bt.paragraph(doc, "Capaian sasaran strategis {{ s.no }}: {{ s.capaian }} ({{ s.predikat }}).", "Catatan")
    bt.paragraph(doc, "{%p if s.perbandingan %}")
    bt.paragraph(doc, "Perbandingan dengan tahun {{ tahun_lalu }} dan dengan target akhir Renstra (R = realisasi, "
                      "C = capaian, Δ = perubahan):", "Catatan", bold=True).paragraph_format.keep_with_next = True
    grid(doc, (6, 34, 13, 13, 20, 15, 15, 18, 14, 12),
         ("No", "Indikator Kinerja", "R {{ tahun_lalu }}", "R {{ tahun }}", "Δ R", "C {{ tahun_lalu }}",
          "C {{ tahun }}", "Δ C", "Target Renstra", "C thd Renstra"), "c in s.perbandingan",
         (("{{ c.no }}", C), ("{{ c.indikator }}", L), ("{{ c.realisasi_lalu }}", C), ("{{ c.realisasi }}", C),
          ("{{ c.selisih }} ({{ c.perubahan }}) {{ c.arah }}", C), ("{{ c.capaian_lalu }}", C),
          ("{{ c.capaian_kini }}", C), ("{{ c.banding_capaian }}", C),
          ("{{ c.target_renstra }} {{ c.periode_renstra }}", C), ("{{ c.capaian_renstra }}", C)))
    bt.paragraph(doc, "{%p endif %}")
    bt.paragraph(doc, "{%p if s.grafik %}")
    bt.paragraph(doc, "{{ s.grafik }}", align=C).paragraph_format.keep_with_next = True
    bt.paragraph(doc, "Grafik: {{ s.grafik_judul }}", "Catatan", align=C)
    bt.paragraph(doc, "{%p endif %}")
    bt.paragraph(doc, "Analisis keberhasilan / kegagalan:", bold=True).paragraph_format.keep_with_next = True
    loop_text(doc, "s.analisis.keberhasilan")
    bt.paragraph(doc, "{%p if s.analisis.hambatan %}")
    bt.paragraph(doc, "Hambatan:", bold=True).paragraph_format.keep_with_next = True
    loop_text(doc, "s.analisis.hambatan")
    bt.paragraph(doc, "{%p endif %}")
    bt.paragraph(doc, "{%p if s.analisis.solusi %}")
    bt.paragraph(doc, "Solusi / langkah antisipasi:", bold=True).paragraph_format.keep_with_next = True
    loop_text(doc, "s.analisis.solusi")
    bt.paragraph(doc, "{%p endif %}")
    bt.paragraph(doc, "{%p endfor %}")
    sub(doc, "B. Realisasi Anggaran")
    bt.paragraph(doc, "{%p if anggaran %}")
    bt.paragraph(doc, "Pagu anggaran {{ anggaran.pagu }}; realisasi {{ anggaran.realisasi }} ({{ anggaran.persen }} "
                      "dari pagu).", align=J)
    bt.paragraph(doc, "{%p else %}")
    bt.paragraph(doc, "Data anggaran belum diisi pada tab Anggaran.", italic=True)
    bt.paragraph(doc, "{%p endif %}")
    bt.paragraph(doc, "{%p if efisiensi %}")
    bt.paragraph(doc, "Realisasi anggaran per program dan tingkat efisiensi:", "Catatan", bold=True)
    grid(doc, (8, 46, 26, 26, 16, 18, 20), ("No", "Program / Kegiatan", "Pagu", "Realisasi", "% Anggaran",
                                            "Capaian Kinerja", "Tingkat Efisiensi"), "e in efisiensi",
         (("{{ e.no }}", C), ("{{ e.nama }}", L), ("{{ e.pagu }}", C), ("{{ e.realisasi }}", C),
          ("{{ e.persen }}", C), ("{{ e.capaian }}", C), ("{{ e.efisiensi }} {{ e.keterangan }}", C)))
    bt.paragraph(doc, "{%p if efisiensi_total %}", "Catatan")
    bt.paragraph(doc, "Jumlah program: pagu {{ efisiensi_total.pagu_program }}, realisasi "
                      "{{ efisiensi_total.realisasi_program }} ({{ efisiensi_total.persen_program }}); tingkat "
                      "efisiensi {{ efisiensi_total.efisiensi }}.", "Catatan")
    bt.paragraph(doc, "{%p endif %}", "Catatan")
    bt.paragraph(doc, "{%p endif %}")


def pk_table(doc: Doc) -> None:
    """The Pengukuran Kinerja of the year (or semester) exactly as its own document prints it: one table
    per level of the cascading (the same builder), then the notes."""
    bt.level_table(doc, True)
    bt.paragraph(doc, "{%p for c in catatan %}", "Catatan")
    bt.paragraph(doc, "{{ loop.index }}. {{ c }}", "Catatan")
    bt.paragraph(doc, "{%p endfor %}", "Catatan")
    bt.paragraph(doc, "{%p for f in rumus_negatif %}", "Catatan")
    bt.paragraph(doc, "– {{ f }}", "Catatan")
    bt.paragraph(doc, "{%p endfor %}", "Catatan")


def landscape_section(doc: Doc) -> None:
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    sec.left_margin = sec.right_margin = Mm(20)


def opening(*, semester: bool, title: str, paragraphs: str) -> Doc:
    """A portrait document with the running header and footer, the cover, and its first part on a new
    page: ``title`` and a paragraph per item of the template list ``paragraphs``."""
    doc = bt.new_document(landscape=False)
    bt.header_footer(doc)
    cover(doc, semester=semester)
    heading(doc, title, new_page=True)
    loop_text(doc, paragraphs)
    return doc


def laporan() -> Doc:
    doc = opening(semester=False, title="KATA PENGANTAR", paragraphs="narasi.kata_pengantar.paragraf")
    bt.paragraph(doc, "")
    bt.signature(doc, (75, 85))
    ikhtisar(doc)
    heading(doc, "BAB I", new_page=True)
    heading(doc, "PENDAHULUAN")
    for i, code in enumerate(("latar_belakang", "tugas_fungsi", "struktur_organisasi", "isu_strategis")):
        section_text(doc, code, f"{'ABCD'[i]}. ")
    bt.paragraph(doc, "{%p if narasi.sistematika.paragraf %}")
    section_text(doc, "sistematika", "E. ")
    bt.paragraph(doc, "{%p endif %}")
    heading(doc, "BAB II", new_page=True)
    heading(doc, "PERENCANAAN KINERJA")
    section_text(doc, "tujuan_sasaran", "A. ")
    sub(doc, "B. Perjanjian Kinerja {{ tahun }}")
    loop_text(doc, "narasi.perjanjian_kinerja.paragraf")
    bt.paragraph(doc, "{%p for lv in perjanjian %}")
    bt.paragraph(doc, "{{ lv.judul }}", "Catatan", bold=True)
    grid(doc, (8, 38, 52, 16, 20, 26), ("No", "{{ lv.kolom }}", "Indikator Kinerja", "Satuan", "Target {{ tahun }}",
                                      "Penanggung Jawab"),
         "r in lv.baris", (("{{ r.no }}", C), ("{{ r.sasaran }}", L), ("{{ r.indikator }}", L),
                           ("{{ r.satuan }}", C), ("{{ r.target }}", C), ("{{ r.penanggung_jawab }}", L)))
    bt.paragraph(doc, "{%p endfor %}")
    bab3(doc)
    loop_text(doc, "narasi.realisasi_anggaran.paragraf")
    heading(doc, "BAB IV", new_page=True)
    heading(doc, "PENUTUP")
    section_text(doc, "kesimpulan", "A. ")
    section_text(doc, "langkah_perbaikan", "B. ")
    bt.paragraph(doc, "")
    bt.signature(doc, (75, 85))
    landscape_section(doc)
    heading(doc, "LAMPIRAN I — PERJANJIAN KINERJA {{ tahun }}")
    bt.paragraph(doc, "{%p for lv in perjanjian %}")
    bt.paragraph(doc, "{{ lv.judul }}", "Catatan", bold=True)
    grid(doc, (8, 62, 95, 22, 30, 40), ("No", "{{ lv.kolom }}", "Indikator Kinerja", "Satuan", "Target",
                                      "Penanggung Jawab"), "r in lv.baris",
         (("{{ r.no }}", C), ("{{ r.sasaran }}", L), ("{{ r.indikator }}", L), ("{{ r.satuan }}", C),
          ("{{ r.target }}", C), ("{{ r.penanggung_jawab }}", L)))
    bt.paragraph(doc, "{%p endfor %}")
    heading(doc, "LAMPIRAN II — PENGUKURAN KINERJA {{ subjudul }}", new_page=True)
    pk_table(doc)
    heading(doc, "LAMPIRAN III — RENCANA AKSI (TARGET PER TRIWULAN) {{ tahun }}", new_page=True)
    grid(doc, (8, 18, 105, 22, 24, 20, 20, 20, 20), ("No", "Kode", "Indikator Kinerja", "Satuan", "Target Tahunan",
                                                     "TW I", "TW II", "TW III", "TW IV"), "a in rencana_aksi",
         (("{{ a.no }}", C), ("{{ a.kode }}", C), ("{{ a.indikator }}", L), ("{{ a.satuan }}", C),
          ("{{ a.tahunan }}", C), ("{{ a.tw[0] }}", C), ("{{ a.tw[1] }}", C), ("{{ a.tw[2] }}", C),
          ("{{ a.tw[3] }}", C)))
    return doc


def laporan_semester() -> Doc:
    doc = opening(semester=True, title="RINGKASAN", paragraphs="ikhtisar.kalimat")
    bab3(doc, new_page=False)
    bt.paragraph(doc, "")
    bt.signature(doc, (75, 85))
    landscape_section(doc)
    heading(doc, "LAMPIRAN — PENGUKURAN KINERJA {{ subjudul }} (TRIWULAN DIGABUNG)")
    pk_table(doc)
    return doc
