"""The template context (pure): every number the Pengukuran Kinerja, the Rekap Kelengkapan and the
Surat Pengantar print, checked against hand-computed SAKIP values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from report_data import INDICATORS, MakeRequest

from sheets_sync.config import DocumentSettings, RuleSettings, Signatory
from sheets_sync.errors import RenderError
from sheets_sync.model import ApprovedChange, Finding, Indicator, Period, UnitStatus
from sheets_sync.reports import build_context, file_name
from sheets_sync.reports.context import signature


def rows(ctx: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {r["kode"]: r for s in ctx["sasaran"] for r in s["indikator"]}


COLS = ("target", "realisasi", "capaian", "realisasi_sd", "capaian_sd", "predikat")


def test_triwulan_i_rows_hold_target_realisasi_capaian_and_predikat_per_sakip_rules(
        make_request: MakeRequest) -> None:
    ctx = build_context("pengukuran_kinerja", make_request())
    got = {code: tuple(r[c] for c in COLS) for code, r in rows(ctx).items()}
    assert got == {
        "1.1": ("–", "–", "–", "–", "–", "–"),  # "-" typed in TW I: not measured, not "belum diisi"
        "1.2": ("15", "16,2", "108,00%", "16,2", "20,25%", "Sangat Tinggi"),  # decimals as typed
        "1.3": ("50", "60", "120,00%", "60", "15,00%", "Sangat Tinggi"),
        "2.2": ("90", "90", "100,00%", "90", "100,00%", "Sangat Tinggi"),
        "2.3": ("0,05", "0,0417", "116,67%", "0,0417", "179,17%", "Sangat Tinggi"),  # 1 / 2.400 × 100
        "3.1": ("–", "–", "–", "–", "–", "–"),
        "3.2": ("95", "94,12", "99,07%", "94,12", "99,07%", "Sangat Tinggi"),
        "3.3": ("10", "12", "80,00%", "12", "80,00%", "Tinggi"),
    }
    assert [r["target_tahunan"] for r in rows(ctx).values()] == ["72,5", "80", "400", "90", "0,2", "85",
                                                                   "95", "10"]
    assert "R = pembilang / penyebut × 100 = 1 / 2.400 × 100" in rows(ctx)["2.3"]["keterangan"]
    assert ctx["kolom"] == {"periode": "TW I", "sd": "s.d. TW I"}
    assert ctx["judul"] + " " + ctx["subjudul"] == "PENGUKURAN KINERJA TRIWULAN I TAHUN 2025"


def test_sasaran_and_organisation_capaian_are_means_of_capped_values(make_request: MakeRequest) -> None:
    ctx = build_context("pengukuran_kinerja", make_request())
    # SS1: 108 and 120 (exactly the cap); SS2: 100 and 116,67; SS3: 99,07 and 80 (N/A rows skipped)
    assert [(s["capaian"], s["predikat"]) for s in ctx["sasaran"]] == [
        ("114,00%", "Sangat Tinggi"), ("108,33%", "Sangat Tinggi"), ("89,54%", "Tinggi")]
    assert ctx["organisasi"]["capaian"] == "103,96%"
    assert ctx["organisasi"]["predikat"] == "Sangat Tinggi"
    assert [s["indikator"][0]["sasaran"] for s in ctx["sasaran"]] == [i.sasaran for i in INDICATORS[::3]]
    assert all(r["sasaran"] == "" for s in ctx["sasaran"] for r in s["indikator"][1:])


def test_cap_limits_means_but_never_the_printed_raw_capaian(make_request: MakeRequest) -> None:
    values = {"1.3": {1: 90}, "1.2": {1: "15,00"}}
    ctx = build_context("pengukuran_kinerja", make_request(values=values, indicators=INDICATORS[1:3]))
    assert rows(ctx)["1.3"]["capaian"] == "180,00%"
    assert ctx["sasaran"][0]["capaian"] == "110,00%"  # (100 + 120 capped) / 2
    uncapped = build_context("pengukuran_kinerja", make_request(values=values, indicators=INDICATORS[1:3],
                                                                rules=RuleSettings(cap=None)))
    assert uncapped["sasaran"][0]["capaian"] == "140,00%"


def test_semester_i_rolls_up_jumlah_by_sum_rata_rata_by_mean_and_rasio_by_sums(make_request: MakeRequest) -> None:
    ctx = build_context("pengukuran_kinerja", make_request(Period(2025, 2), "semester"))
    r = rows(ctx)
    assert ctx["subjudul"] == "SEMESTER I TAHUN 2025"
    assert ctx["kolom"] == {"periode": "Sem. I", "sd": "s.d. Sem. I"}
    assert (r["1.3"]["target"], r["1.3"]["realisasi"], r["1.3"]["capaian"]) == ("200", "200", "100,00%")
    assert r["1.3"]["capaian_sd"] == "50,00%"  # 200 of the annual 400
    assert (r["3.3"]["realisasi"], r["3.3"]["capaian"]) == ("10,5", "95,00%")  # (12 + 9) / 2, negatif A
    # Σ pembilang / Σ penyebut: 206 / 217 = 94,93 → 99,93% (the mean of 94,12 and 95,65 would be wrong)
    assert (r["3.2"]["realisasi"], r["3.2"]["capaian"]) == ("94,93", "99,93%")
    assert (r["2.2"]["realisasi"], r["2.2"]["capaian"]) == ("92,22", "102,47%")  # 83 / 90
    assert (r["1.2"]["target"], r["1.2"]["realisasi"], r["1.2"]["capaian"]) == ("40", "38,5", "96,25%")
    assert (r["3.1"]["realisasi"], r["3.1"]["capaian"]) == ("83,4", "98,12%")


def test_semester_ii_uses_tw_iii_and_iv_and_compares_the_year_with_the_annual_target(
        make_request: MakeRequest) -> None:
    ctx = build_context("pengukuran_kinerja", make_request(Period(2025, 4), "semester"))
    r = rows(ctx)
    assert ctx["subjudul"] == "SEMESTER II TAHUN 2025"
    assert (r["1.3"]["target"], r["1.3"]["realisasi"], r["1.3"]["capaian"]) == ("200", "200", "100,00%")
    assert (r["1.3"]["realisasi_sd"], r["1.3"]["capaian_sd"]) == ("400", "100,00%")
    # (0 + 120) / (0 + 124) = 96,7742; TW III's 0/0 adds nothing.  96,77 would recompute to 101,86%, so the
    # third decimal is printed: 96,774 / 95 = 101,87%, the printed capaian.
    assert (r["3.2"]["realisasi"], r["3.2"]["capaian"]) == ("96,774", "101,87%")


def test_tahunan_edition_consolidates_all_four_quarters(make_request: MakeRequest) -> None:
    ctx = build_context("pengukuran_kinerja", make_request(Period(2025, 4), "tahunan"))
    r = rows(ctx)
    assert ctx["subjudul"] == "TAHUN 2025"
    assert (r["1.3"]["realisasi"], r["1.3"]["capaian"]) == ("400", "100,00%")
    assert (r["3.1"]["realisasi"], r["3.1"]["capaian"]) == ("84,8", "99,76%")  # domain.md vector
    assert (r["3.2"]["realisasi"], r["3.2"]["capaian"]) == ("95,6", "100,63%")  # 326 / 341
    assert (r["2.2"]["realisasi"], r["2.2"]["capaian"]) == ("91,667", "101,85%")  # 165 / 180 (91,67 would give 101,86%)
    assert (r["3.3"]["realisasi"], r["3.3"]["capaian"]) == ("10", "100,00%")
    assert (r["1.1"]["realisasi"], r["1.1"]["capaian"], r["1.1"]["predikat"]) == ("74,1", "102,21%",
                                                                                 "Sangat Tinggi")


def test_negative_jumlah_indicator_over_the_year_follows_the_configured_variant(
        make_request: MakeRequest) -> None:
    ind = Indicator("9.1", "MP", "Menurunnya pelanggaran", "Jumlah pengaduan layanan", "kasus", "negatif",
                    "jumlah", "per_triwulan", "12", ("3", "3", "3", "3"))
    values = {"9.1": {1: 2, 2: 4, 3: 1, 4: 3}}
    a = build_context("pengukuran_kinerja", make_request(Period(2025, 4), "tahunan", values=values,
                                                         indicators=(ind,)))
    b = build_context("pengukuran_kinerja", make_request(Period(2025, 4), "tahunan", values=values,
                                                         indicators=(ind,),
                                                         rules=RuleSettings(negatif_variant="B")))
    assert rows(a)["9.1"]["capaian"] == "116,67%"
    assert rows(b)["9.1"]["capaian"] == "120,00%"
    assert any("(2T − R) / T × 100" in f for f in a["rumus_negatif"])
    assert any("T / R × 100" in f for f in b["rumus_negatif"])


def test_na_is_printed_with_its_reason_in_keterangan(make_request: MakeRequest) -> None:
    ctx = build_context("pengukuran_kinerja", make_request(Period(2025, 3), keterangan={"3.2": "Tidak ada usulan"}))
    r = rows(ctx)
    assert r["3.2"]["capaian"] == "N/A"
    assert "penyebut TW III bernilai 0" in r["3.2"]["keterangan"]
    assert "Tidak ada usulan" in r["3.2"]["keterangan"]
    assert r["3.1"]["capaian"] == "–" and "Tidak diukur pada TW III" in r["3.1"]["keterangan"]
    empty = build_context("pengukuran_kinerja", make_request(values={}))
    # nothing typed: "belum diisi" (N/A) where TW I has a target, "–" where its target is "-"
    assert {k: (r["capaian"], r["keterangan"]) for k, r in rows(empty).items() if k in ("1.1", "1.2", "3.2")} == {
        "1.1": ("–", "Tidak diukur pada TW I (tidak ada target periode ini)."),
        "1.2": ("N/A", "Realisasi TW I belum diisi."), "3.2": ("N/A", "Realisasi TW I belum diisi.")}
    assert empty["organisasi"]["capaian"] == "N/A"


def test_notes_state_the_rules_used_and_each_negative_indicator_formula(make_request: MakeRequest) -> None:
    ctx = build_context("pengukuran_kinerja", make_request(rules=RuleSettings(cap=110, predikat_scale="baik")))
    text = " ".join(ctx["catatan"])
    assert "(2T − R) / T × 100" in text and "dibatasi 110%" in text and "Sangat Baik" in text
    assert "Σ pembilang / Σ penyebut" in text
    assert [f.split(":")[0] for f in ctx["rumus_negatif"]] == [
        "2.3 Persentase ASN yang dijatuhi hukuman disiplin", "3.3 Rata-rata waktu penyelesaian layanan mutasi"]
    assert rows(ctx)["3.3"]["predikat"] == "Baik"


def test_anggaran_lines_print_rupiah_and_percentage_only_when_provided(make_request: MakeRequest) -> None:
    assert build_context("pengukuran_kinerja", make_request())["anggaran"] is None
    ctx = build_context("pengukuran_kinerja", make_request(anggaran={"pagu": 1_234_567_890.0,
                                                                     "realisasi": 617_283_945.0}))
    assert ctx["anggaran"]["pagu"] == "Rp1.234.567.890"
    assert ctx["anggaran"]["realisasi"] == "Rp617.283.945"
    assert ctx["anggaran"]["persen"] == "50,00%"


def test_common_part_has_kop_place_date_signature_and_data_source(make_request: MakeRequest) -> None:
    ctx = build_context("pengukuran_kinerja", make_request())
    assert ctx["kop"]["pemerintah"] == "PEMERINTAH KABUPATEN SUKAMAJU"
    assert ctx["kop"]["instansi"] == "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA"
    assert ctx["tempat_tanggal"] == "Sukamaju, 24 Februari 2025"
    assert ctx["ttd"]["nip"] == "NIP. 19690103 200312 1 005"
    assert ctx["ttd"]["jabatan"] == "Kepala Badan,"
    assert ctx["sumber_data"] == "Sumber data: snapshot sha256 0123abcd"
    assert ctx["draft_label"].startswith("DRAFT")
    assert build_context("pengukuran_kinerja", make_request(draft=False))["draft_label"] == ""


@pytest.mark.parametrize(("prefix", "atas_nama", "expected"), [
    ("", "", ("", "Sekretaris,")),
    ("a.n.", "Kepala Badan", ("a.n. Kepala Badan,", "Sekretaris,")),
    ("Plt.", "", ("", "Plt. Sekretaris,")),
    ("Plh.", "", ("", "Plh. Sekretaris,")),
])
def test_signature_prefix_a_n_plt_plh(prefix: str, atas_nama: str, expected: tuple[str, str]) -> None:
    s = signature(Signatory(jabatan="Sekretaris", nama="Dra. Siti Rahmawati, M.Si.", pangkat="Pembina (IV/a)",
                            nip="197205121998032004", prefix=prefix, atas_nama=atas_nama))
    assert (s["atas_nama"], s["jabatan"]) == expected
    assert s["nip"] == "NIP. 19720512 199803 2 004"


def test_rekap_lists_state_completeness_timeliness_findings_and_changes(make_request: MakeRequest) -> None:
    wib = timezone(timedelta(hours=7))
    p = Period(2025, 1)
    statuses = (
        UnitStatus("SEK", p, "Lengkap", 2, 2, completed_at=datetime(2025, 4, 9, 15, 20, tzinfo=wib)),
        UnitStatus("MP", p, "Sebagian", 1, 2, findings=(Finding("MP", "TW1", "H9", "invalid_number",
                                                                 'Teks "delapan" bukan angka.', "Tulis 8."),)),
        UnitStatus("PKAP", p, "Terlambat", 1, 1),
    )
    changes = (ApprovedChange("MP", "TW1!H9", "8", "", datetime(2025, 4, 10, 2, 12, tzinfo=UTC)),)
    ctx = build_context("rekap_kelengkapan", make_request(statuses=statuses, changes=changes))
    by = {b["kode"]: b for b in ctx["bidang"]}
    assert [b["kode"] for b in ctx["bidang"]] == ["SEK", "PPIK", "MP", "PKA", "PKAP"]
    assert (by["SEK"]["status"], by["SEK"]["terisi"], by["SEK"]["persen"], by["SEK"]["ketepatan"]) == (
        "Lengkap", "2/2", "100,00%", "Tepat waktu")
    assert by["SEK"]["selesai"] == "9 April 2025 pukul 15.20 WIB"
    assert (by["MP"]["status"], by["MP"]["persen"], by["MP"]["ketepatan"]) == ("Sebagian", "50,00%",
                                                                             "Belum lengkap")
    assert (by["PKAP"]["ketepatan"], by["PPIK"]["status"], by["PPIK"]["terisi"]) == ("Terlambat", "Belum mengisi",
                                                                                     "0/1")
    assert ctx["temuan"] == [{"no": "1", "bidang": "Bidang Mutasi dan Promosi", "sel": "TW1!H9",
                              "uraian": 'Teks "delapan" bukan angka. Perbaikan: Tulis 8.', "tingkat": "Galat"}]
    assert ctx["perubahan"][0] == {"no": "1", "bidang": "Bidang Mutasi dan Promosi", "sel": "TW1!H9",
                                   "lama": "8", "baru": "(kosong)", "waktu": "10 April 2025 pukul 09.12 WIB"}
    assert ctx["ringkasan"]["kalimat"].startswith("2 dari 5 bidang telah lengkap")


def test_surat_pengantar_takes_the_register_number_and_states_the_organisation_capaian(
        make_request: MakeRequest) -> None:
    ctx = build_context("surat_pengantar", make_request(letter_number="000.8.3.3/15/BKPSDM/2025", draft=False))
    assert ctx["nomor"] == "000.8.3.3/15/BKPSDM/2025"
    assert ctx["hal"] == "Penyampaian Pengukuran Kinerja Triwulan I Tahun 2025"
    assert ctx["yth"] == "Bupati Sukamaju"
    assert ctx["capaian"] == ("Capaian kinerja organisasi Triwulan I Tahun 2025 sebesar 103,96% dengan predikat "
                              "Sangat Tinggi.")
    draft = build_context("surat_pengantar", make_request())
    assert draft["nomor"] == "000.8.3.3/……/BKPSDM/2025"


def test_file_names_are_stable_and_say_draft(make_request: MakeRequest) -> None:
    assert file_name("pengukuran_kinerja", make_request()) == "Pengukuran Kinerja 2025-TW1 (DRAFT).docx"
    assert file_name("pengukuran_kinerja", make_request(Period(2025, 2), "semester", draft=False)) == (
        "Pengukuran Kinerja Semester I 2025.docx")
    assert file_name("pengukuran_kinerja", make_request(Period(2025, 4), "tahunan", draft=False)) == (
        "Pengukuran Kinerja Tahun 2025.docx")
    assert file_name("rekap_kelengkapan", make_request(Period(2025, 2), "semester")) == (
        "Rekap Kelengkapan 2025-TW2 (DRAFT).docx")
    assert file_name("surat_pengantar", make_request(draft=False)) == (
        "Surat Pengantar Pengukuran Kinerja 2025-TW1.docx")


@pytest.mark.parametrize(("kind", "quarter", "edition"), [
    ("pengukuran_kinerja", 1, "semester"), ("pengukuran_kinerja", 3, "tahunan"), ("lkjip", 1, "triwulan"),
    ("pengukuran_kinerja", 1, "bulanan")])
def test_impossible_kind_or_edition_is_a_render_error(make_request: MakeRequest, kind: str, quarter: int,
                                                      edition: str) -> None:
    with pytest.raises(RenderError):
        build_context(kind, make_request(Period(2025, quarter), edition))


def test_control_characters_are_removed_so_the_xml_stays_valid(make_request: MakeRequest) -> None:
    ctx = build_context("pengukuran_kinerja", make_request(keterangan={"1.2": "naik\x0b turun\x00 🙂"}))
    assert rows(ctx)["1.2"]["keterangan"] == "naik turun 🙂"


def test_document_settings_recipient_is_used(make_request: MakeRequest, tmp_path: Any) -> None:
    docs = DocumentSettings(output=tmp_path, recipient="Gubernur Kalimantan Utara")
    assert build_context("surat_pengantar", make_request(documents=docs))["yth"] == "Gubernur Kalimantan Utara"
    surat = build_context("surat_pengantar", make_request(documents=docs))
    assert surat["di"] == "Sukamaju" and surat["tempat_tanggal"].startswith("Sukamaju, ")  # default: the office's town


def test_the_addressee_town_and_the_signature_place_are_the_office_settings(make_request: MakeRequest,
                                                                            tmp_path: Any) -> None:
    docs = DocumentSettings(output=tmp_path, recipient="Gubernur Kalimantan Utara", recipient_town="Tanjung Selor",
                            signatory=Signatory(jabatan="Camat", tempat="Malinau Kota"))
    surat = build_context("surat_pengantar", make_request(documents=docs))
    assert (surat["yth"], surat["di"]) == ("Gubernur Kalimantan Utara", "Tanjung Selor")
    assert surat["tempat_tanggal"].startswith("Malinau Kota, ")
    pk = build_context("pengukuran_kinerja", make_request(documents=docs))
    assert pk["tempat_tanggal"].startswith("Malinau Kota, ") and "Sukamaju" not in pk["tempat_tanggal"]


@pytest.mark.parametrize(("n", "title", "bars", "percent"), [
    (8, "Capaian Kinerja per Indikator", 8, True),
    (300, "Capaian Kinerja per Sasaran Strategis", 30, True),
    (1000, "Jumlah Indikator menurut Predikat", 5, False),
])
def test_chart_is_per_indicator_then_per_sasaran_then_per_predikat_band(n: int, title: str, bars: int,
                                                                         percent: bool) -> None:
    from sheets_sync.reports.sample import synthetic_request

    ctx = build_context("pengukuran_kinerja", synthetic_request(n, period=Period(2025, 1), edition="triwulan"))
    assert ctx["grafik_judul"].startswith(title)
    assert len(ctx["grafik_data"]) == bars and ctx["grafik_persen"] is percent
    if not percent:
        assert sum(v for _, v in ctx["grafik_data"]) == n


@pytest.mark.parametrize(("quarter", "edition"), [(2, "triwulan"), (2, "semester"), (4, "semester"),
                                                  (4, "tahunan")])
def test_not_measured_empty_and_zero_denominator_keep_their_own_mark_and_note_in_every_column(
        make_request: MakeRequest, quarter: int, edition: str) -> None:
    def ind(code: str, konsolidasi: str) -> Indicator:
        return Indicator(code, "SEK", "Sasaran uji", f"Indikator {code}", "%", "positif", konsolidasi, "kumulatif",
                         "90", ("90", "90", "90", "90"))

    inds = (ind("8.1", "nilai_akhir"), ind("8.2", "nilai_akhir"), ind("8.3", "rasio"))
    values = {"8.1": {q: "-" for q in range(1, 5)}, "8.3": {q: (0, 0) for q in range(1, 5)}}
    r = rows(build_context("pengukuran_kinerja", make_request(Period(2025, quarter), edition, indicators=inds,
                                                              values=values)))
    cells = ("capaian", "capaian_sd_target", "capaian_sd")
    assert [r["8.1"][c] for c in cells] == ["–", "–", "–"]  # "-" typed: not measured
    assert [r["8.2"][c] for c in cells] == ["N/A", "N/A", "N/A"]  # nothing typed
    assert [r["8.3"][c] for c in cells] == ["N/A", "N/A", "N/A"]  # 0/0
    assert "Tidak diukur pada" in r["8.1"]["keterangan"] and "belum diisi" not in r["8.1"]["keterangan"]
    assert "belum diisi" in r["8.2"]["keterangan"] and "Tidak diukur" not in r["8.2"]["keterangan"]
    assert "penyebut" in r["8.3"]["keterangan"] and "bernilai 0" in r["8.3"]["keterangan"]
    assert "belum diisi" not in r["8.3"]["keterangan"]
