"""The Narasi / Analisis tabs and review notes (pure)."""

from __future__ import annotations

from sheets_sync.core.narasi import (
    SECTIONS,
    SasaranRef,
    parse_analisis,
    parse_narasi,
    parse_narrative,
    parse_review_notes,
    placeholder,
    sasaran_of,
)
from sheets_sync.model import Indicator

SASARAN = [SasaranRef("1", "Meningkatnya profesionalitas ASN"),
           SasaranRef("2", "Meningkatnya penerapan sistem merit dalam manajemen ASN")]


def _full_narasi() -> list[list[object]]:
    rows: list[list[object]] = [["Kode Bagian", "Teks"]]
    rows += [[s.code, f"Teks {s.title} & <uji> \"kutip\""] for s in SECTIONS]
    return rows


def test_sections_join_rows_and_lines_verbatim() -> None:
    values = [["Teks", "Kode Bagian"],  # columns found by header, any order
              ["Paragraf satu.\nParagraf dua.", "Latar Belakang"],
              ["Paragraf tiga & <b>", "latar_belakang"],
              ["", ""],
              ["Sesuai Perbup 12/2021", "tugas-fungsi"]]
    sections, findings = parse_narasi(values)
    assert sections["latar_belakang"] == ("Paragraf satu.", "Paragraf dua.", "Paragraf tiga & <b>")
    assert sections["tugas_fungsi"] == ("Sesuai Perbup 12/2021",)
    assert findings == []


def test_unknown_code_and_text_without_code_name_the_cell() -> None:
    values = [["Kode Bagian", "Teks"], ["pendahuluan", "x"], [None, "teks tanpa kode"], ["kesimpulan", 2025.0]]
    sections, findings = parse_narasi(values)
    assert sections == {"kesimpulan": ("2025",)}
    assert [(f.sheet, f.cell, f.code) for f in findings] == [("Narasi", "A2", "bagian_tidak_dikenal"),
                                                             ("Narasi", "A3", "kode_kosong")]
    assert "latar_belakang" in findings[0].fix


def test_missing_tab_and_column() -> None:
    _, findings = parse_narasi(None)
    assert findings[0].code == "tab_hilang" and findings[0].sheet == "Narasi"
    _, findings = parse_narasi([["Kode Bagian"], ["kesimpulan"]])
    assert [(f.code, f.cell) for f in findings] == [("kolom_hilang", "1")]


def test_analisis_by_number_or_name_and_hambatan_without_solusi() -> None:
    values = [["Kode Sasaran", "Keberhasilan", "Hambatan", "Solusi"],
              ["1", "Diklat daring", "Anggaran terbatas", "Kerja sama BPSDM"],
              ["meningkatnya penerapan sistem merit dalam manajemen asn", "", "Data SIASN belum mutakhir", ""],
              ["9", "x", "", ""]]
    analyses, findings = parse_analisis(values, SASARAN)
    assert analyses["1"].solusi == ("Kerja sama BPSDM",)
    assert analyses["2"].hambatan == ("Data SIASN belum mutakhir",)
    codes = [(f.code, f.cell, f.severity) for f in findings]
    assert ("solusi_kosong", "D3", "warning") in codes
    assert ("sasaran_tidak_dikenal", "A4", "error") in codes


def test_complete_narrative_has_nothing_missing() -> None:
    analisis = [["Kode Sasaran", "Keberhasilan", "Hambatan", "Solusi"], ["1", "a", "", ""], ["2", "", "b", "c"]]
    n = parse_narrative(_full_narasi(), analisis, SASARAN)
    assert n.complete and n.findings == ()


def test_empty_required_sections_are_missing_with_findings() -> None:
    narasi = [["Kode Bagian", "Teks"], ["kata_pengantar", "Puji syukur"], ["latar_belakang", "   "]]
    n = parse_narrative(narasi, [["Kode Sasaran", "Keberhasilan", "Hambatan", "Solusi"], ["1", "ok", "", ""]],
                        SASARAN)
    assert not n.complete
    required = [s.code for s in SECTIONS if s.required and s.code != "kata_pengantar"]
    assert list(n.missing) == [*required, "analisis:2"]
    empty = [f for f in n.findings if f.code == "narasi_kosong"]
    assert len(empty) == len(required) and all(f.sheet == "Narasi" for f in empty)
    assert any("latar_belakang" in f.fix for f in empty)
    assert [f.sheet for f in n.findings if f.code == "analisis_kosong"] == ["Analisis"]


def test_sasaran_of_numbers_in_order_and_skips_lower_levels() -> None:
    def ind(code: str, sasaran: str) -> Indicator:
        return Indicator(code, "MP", sasaran, "x", "%", "positif", "jumlah", "per_triwulan", "4", ("1", "1", "1", "1"))
    refs = sasaran_of([ind("1.1", "A"), ind("2.1", "B"), ind("1.2", "A")])
    assert refs == [SasaranRef("1", "A"), SasaranRef("2", "B")]


def test_review_notes() -> None:
    notes = parse_review_notes("Latar Belakang: tambahkan data pegawai; analisis 2: jelaskan hambatan\n"
                               "angka: realisasi 1.3 belum sesuai\nperbaiki ejaan")
    assert [(n.section, n.note) for n in notes] == [
        ("latar_belakang", "tambahkan data pegawai"), ("analisis:2", "jelaskan hambatan"),
        ("angka", "realisasi 1.3 belum sesuai"), ("umum", "perbaiki ejaan")]
    assert notes[0].title == "Latar Belakang (Bab I)" and notes[1].title == "Analisis sasaran 2"


def test_placeholder_is_visible() -> None:
    assert placeholder("Latar Belakang") == "[Diisi oleh Tim SAKIP: Latar Belakang]"


def test_narrative_findings_read_in_english_with_lang_en_and_stay_indonesian() -> None:
    from sheets_sync.i18n import english
    from sheets_sync.i18n.catalog import indonesian_words

    narasi = [["Kode Bagian"], ["pendahuluan"], [None]]
    analisis = [["Kode Sasaran", "Keberhasilan", "Hambatan", "Solusi"], ["9", "x", "", ""], ["1", "", "Anggaran", ""]]
    findings = [*parse_narrative(narasi, analisis, SASARAN).findings, *parse_narrative(None, None, SASARAN).findings,
                *parse_analisis(analisis, [])[1]]
    codes = {f.code for f in findings}
    assert codes == {"kolom_hilang", "bagian_tidak_dikenal", "narasi_kosong", "sasaran_tidak_dikenal",
                     "solusi_kosong", "analisis_kosong", "tab_hilang"}, codes
    messages = {f.message for f in findings}
    assert "Bagian Latar Belakang (Bab I, kode latar_belakang) Laporan Kinerja belum diisi." in messages
    assert "Kolom 'Teks' tidak ditemukan di tab Narasi." in messages
    for f in findings:
        assert f.text is not None and f.fix_text is not None
        for line in (f.message_in(english), f.fix_in(english)):
            for ref in SASARAN:  # the office's names of its sasaran are data, not a sentence
                line = line.replace(ref.nama, "")
            assert not indonesian_words(line), line
