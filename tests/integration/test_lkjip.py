"""The Laporan Kinerja over a whole sample year: TW I–IV typed into .xlsx forms and approved, the
Narasi/Analisis tabs typed in the control workbook, the review loop in Dokumen, and the final
report and its distribution (SMTP against aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.table import _Cell
from openpyxl import load_workbook
from smtp_inbox import Inbox, free_port, start

from sheets_sync.config import SMTPSettings, load
from sheets_sync.core.clock import ManualClock
from sheets_sync.model import Period
from sheets_sync.notify import SMTPNotifier, deliver_due
from sheets_sync.service.app import App
from sheets_sync.service.demo_year import JADWAL_OPENS, play_quarters, play_report
from sheets_sync.service.documents import render_period
from sheets_sync.service.office import init_office
from sheets_sync.service.review import recorded, sync_statuses

DISTRIBUSI = ["inspektorat@sukamaju.example", "bappeda@sukamaju.example"]


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    """The sample office after its year and the report loop (see service/demo_year.py)."""
    folder = tmp_path_factory.mktemp("lkjip") / "kantor"
    cfg = init_office(folder, "bkpsdm")
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(
        "distribusi = []", "distribusi = [" + ", ".join(f'"{a}"' for a in DISTRIBUSI) + "]"), encoding="utf-8")
    clock = ManualClock(JADWAL_OPENS[1])
    app = App.from_settings(load(cfg), clock=clock)
    play_quarters(app, clock)
    final = play_report(app, clock)
    yield app, final
    app.store.close()


def _docs(app: Any, kind: str = "laporan_kinerja:tahunan") -> list[Any]:
    return [d for d in app.store.documents("2025-TW4") if d.kind == kind]


def _cells(table: Any) -> list[list[str]]:
    return [[_Cell(tc, table).text for tc in row._tr.tc_lst] for row in table.rows]


def _tables(path: Path) -> list[list[list[str]]]:
    return [_cells(t) for t in Document(str(path)).tables]


def _level_rows(path: Path) -> dict[tuple[str, str], list[str]]:
    """(level column title, indicator name) → its row, from every level table of the annual Pengukuran
    Kinerja layout (No | Sasaran Strategis/Program… | Indikator Kinerja | … | Keterangan)."""
    out: dict[tuple[str, str], list[str]] = {}
    for rows in _tables(path):
        if rows and len(rows[0]) == 9 and rows[0][2] == "Indikator Kinerja" and rows[0][-1] == "Keterangan":
            out.update({(rows[0][1], r[2]): r for r in rows[2:] if r[0].isdigit()})
    return out


def _indicator_rows(path: Path) -> dict[str, list[str]]:
    """Indicator name → its row, from the level tables of the sasaran strategis."""
    return {name: r for (level, name), r in _level_rows(path).items() if level == "Sasaran Strategis"}


def _table_after(path: Path, header: list[str]) -> list[list[str]]:
    """The data rows (after the header and the column-number row) of every table with this header."""
    return [r for rows in _tables(path) if rows and rows[0] == header for r in rows[2:]]


def _text(path: Path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_final_lkjip_prints_exactly_the_annual_pengukuran_kinerja(year: tuple[Any, Any]) -> None:
    app, final = year
    assert final.final, final.reasons
    lkjip = Path(next(d.path for d in _docs(app) if not d.draft))
    assert lkjip.name == "Laporan Kinerja Tahun 2025 v1.docx"
    pk_report = render_period(app, Period(2025, 4))
    assert pk_report.final
    pk = Path(next(d["path"] for d in pk_report.documents if d["kind"] == "pengukuran_kinerja:tahunan"))
    annual = _indicator_rows(pk)
    assert len(annual) == 11
    assert _level_rows(lkjip) == _level_rows(pk)  # Lampiran II: every level, every row, every column
    assert len(_level_rows(pk)) == 14  # 11 sasaran indicators and the 3 programs of the sample year
    # Bab III A: one table per sasaran with No, Indikator, Satuan, Target, Realisasi, Capaian, Predikat
    bab3: dict[str, list[str]] = {}
    for t in Document(str(lkjip)).tables:
        rows = _cells(t)
        if rows and rows[0] == ["No", "Indikator Kinerja", "Satuan", "Target", "Realisasi", "Capaian", "Predikat"]:
            bab3.update({r[1]: r for r in rows[2:]})
    assert bab3 == {name: [r[0], r[2], r[3], r[4], r[5], r[6], r[7]] for name, r in annual.items()}
    pk_rows = [r for rows in _tables(pk) for r in rows]
    org = next(r for r in pk_rows if r[0] == "Capaian Kinerja Organisasi")
    text = _text(lkjip)
    assert f"Capaian kinerja organisasi tahun 2025 sebesar {org[1]} dengan predikat {org[2]}." in text
    for r in _tables(pk)[0]:
        if r[0].startswith("Capaian Sasaran Strategis "):
            no = r[0].rsplit(" ", 1)[1]
            assert f"Capaian sasaran strategis {no}: {r[1]} ({r[2]})." in text
    assert "DRAFT" not in text and "[Diisi oleh Tim SAKIP" not in text
    assert "Diklat daring bersama BPSDM Provinsi" in text  # the analysis, verbatim
    assert "Pagu anggaran Rp4.250.000.000; realisasi Rp3.987.450.000 (93,82% dari pagu)." in text


def test_bab_iii_compares_with_last_year_and_renstra_and_prints_the_efficiency_per_program(
        year: tuple[Any, Any]) -> None:
    """Issue 13: Bab III A's comparison tables and B's efficiency table print exactly the annual
    Pengukuran Kinerja's comparison and efficiency rows (both .docx read back, every row)."""
    app, _ = year
    lkjip = Path(next(d.path for d in _docs(app) if not d.draft))
    pk_report = render_period(app, Period(2025, 4))
    pk = Path(next(d["path"] for d in pk_report.documents if d["kind"] == "pengukuran_kinerja:tahunan"))
    pk_cmp = _table_after(pk, ["No", "Indikator Kinerja", "Satuan", "Realisasi 2024", "Realisasi Tahun 2025",
                               "Selisih", "Perubahan", "Kenaikan / Penurunan", "Capaian 2024", "Capaian Tahun 2025",
                               "Kenaikan / Penurunan Capaian", "Target Akhir Renstra", "Capaian thd Target Renstra"])
    assert [r[1] for r in pk_cmp] == ["Indeks Profesionalitas ASN",
                                      "Persentase ASN yang memenuhi pengembangan kompetensi minimal 20 JP",
                                      "Nilai Indeks Sistem Merit", "Indeks Kepuasan Masyarakat layanan kepegawaian",
                                      "Rata-rata waktu penyelesaian layanan mutasi", "Nilai SAKIP BKPSDM"]
    lk_cmp = _table_after(lkjip, ["No", "Indikator Kinerja", "R 2024", "R 2025", "Δ R", "C 2024", "C 2025", "Δ C",
                                  "Target Renstra", "C thd Renstra"])
    expected = [[r[0], r[1], r[3], r[4], f"{r[5]} ({r[6]}) {r[7]}", r[8], r[9], r[10],
                 r[11].replace(" (", " ").rstrip(")"), r[12]] for r in pk_cmp]
    assert lk_cmp == expected
    assert lk_cmp[4][4] == "−2 (−16,67%) penurunan (membaik)"  # a negative indicator: fewer days is better
    # capaian against last year's (R 2024 against Target Tahun Lalu): realisasi 1.2 rose, its capaian fell
    lalu = {r[1]: r for r in lk_cmp}["Persentase ASN yang memenuhi pengembangan kompetensi minimal 20 JP"]
    assert lalu[4].endswith("kenaikan (membaik)")
    assert lalu[5:8] == ["101,87%", "101,62%", "penurunan 0,25 poin (−0,25%)"]
    # every printed capaian comparison can be recomputed from the printed capaian
    for r in lk_cmp:
        c0, c = (float(x.rstrip("%").replace(",", ".")) for x in r[5:7])
        words = "tetap" if round(c - c0, 2) == 0 else f"{'kenaikan' if c > c0 else 'penurunan'} "
        assert r[7].startswith(words), r
    header = ["No", "Program / Kegiatan", "Pagu Anggaran", "Realisasi Anggaran", "% Realisasi Anggaran",
              "Capaian Kinerja", "Tingkat Efisiensi", "Keterangan"]
    pk_eff = _table_after(pk, header)
    programs = [r for r in pk_eff if r[0] != "Jumlah"]
    assert [r[1] for r in programs] == ["Program Pengembangan Sumber Daya Manusia", "Program Kepegawaian Daerah",
                                        "Program Sistem Informasi Kepegawaian"]
    lk_eff = _table_after(lkjip, ["No", "Program / Kegiatan", "Pagu", "Realisasi", "% Anggaran", "Capaian Kinerja",
                                  "Tingkat Efisiensi"])
    assert lk_eff == [[r[0], r[1], r[2], r[3], r[4], r[5], f"{r[6]} {r[7]}"] for r in programs]
    assert programs[0][2:7] == ["Rp1.200.000.000", "Rp1.134.500.000", "94,54%", "99,17%", "4,66%"]
    total = next(r for r in pk_eff if r[0] == "Jumlah")
    assert (f"Jumlah program: pagu {total[1]}, realisasi {total[2]} ({total[3]}); tingkat efisiensi {total[5]}."
            in _text(lkjip))
    # the program capaian in the efficiency table is the Program level's own capaian (never summed up)
    levels = _level_rows(pk)
    assert levels[("Program", "Jumlah ASN yang mengikuti pelatihan teknis")][6] == programs[0][5]


def test_the_final_lkjip_has_a_numbered_cover_letter_from_the_register(year: tuple[Any, Any]) -> None:
    app, _ = year
    letter = next(d for d in app.store.documents("2025-TW4") if d.kind == "surat_pengantar_lkjip:tahunan")
    assert letter.letter_number == "000.8.3.3/1/BKPSDM/2025"
    text = _text(Path(letter.path))
    assert "Nomor\t: 000.8.3.3/1/BKPSDM/2025" in text
    assert "Penyampaian Laporan Kinerja Instansi Pemerintah Tahun 2025" in text


def test_empty_sections_keep_the_report_in_draft_with_findings_naming_tab_and_section(year: tuple[Any, Any]
                                                                                      ) -> None:
    app, _ = year
    drafts = [d for d in _docs(app) if d.draft]
    assert [d.version for d in drafts] == [1, 2, 3]
    assert all(Path(d.path).is_file() for d in drafts)  # every version keeps its own file
    first = _text(Path(drafts[0].path))
    assert "[Diisi oleh Tim SAKIP: Latar Belakang — tab Narasi, Kode Bagian latar_belakang]" in first
    assert "[Diisi oleh Tim SAKIP: analisis sasaran (tab Analisis, Kode Sasaran 2)]" in first
    second = _text(Path(drafts[1].path))
    assert "[Diisi oleh Tim SAKIP: Isu Strategis — tab Narasi, Kode Bagian isu_strategis]" in second
    assert "Latar Belakang" in second and "[Diisi oleh Tim SAKIP: Latar Belakang" not in second
    events = [e["detail"] for e in app.store.events("laporan_versi", "2025-TW4")]
    assert [e["missing"] for e in events[:2]] == [
        ["kata_pengantar", "latar_belakang", "tugas_fungsi", "struktur_organisasi", "isu_strategis",
         "tujuan_sasaran", "kesimpulan", "langkah_perbaikan", "analisis:1", "analisis:2", "analisis:3"],
        ["isu_strategis"]]


def test_missing_sections_are_findings_of_the_narasi_tab(year: tuple[Any, Any], tmp_path: Path) -> None:
    from sheets_sync.service.control_io import load_control
    from sheets_sync.service.lkjip import read_narrative

    app, _ = year
    narrative = read_narrative(app, load_control(app))
    assert narrative.complete and narrative.findings == ()
    from sheets_sync.core.narasi import parse_narrative, sasaran_of

    values = app.backend.read(app.settings.control, ["Narasi!A:Z"])["Narasi!A:Z"]
    without = [r for r in values if not (r and r[0] == "kesimpulan")]
    n = parse_narrative(without, None, sasaran_of(load_control(app).indicators))
    kesimpulan = [f for f in n.findings if f.code == "narasi_kosong"]
    assert [(f.sheet, "kesimpulan" in f.fix) for f in kesimpulan] == [("Narasi", True)]


def test_a_return_with_notes_emails_the_right_people_once(year: tuple[Any, Any]) -> None:
    app, _ = year
    returned = app.store.messages(kind="dikoreksi")
    assert len(returned) == 1
    msg = returned[0]
    # Tim SAKIP from [laporan] tim_sakip, and the heads of MP and PKAP, whose indicators make up sasaran 2
    assert msg.to_addrs == ["ppkp.bkpsdm@sukamaju.example", "mp.bkpsdm@sukamaju.example",
                            "pkap.bkpsdm@sukamaju.example"]
    assert "Isu Strategis (Bab I): belum diisi" in msg.body_text
    assert "Analisis sasaran 2: jelaskan hambatan seleksi JPT" in msg.body_text
    assert "versi 2" in msg.subject
    assert sync_statuses(app).queued == [] and len(app.store.messages(kind="dikoreksi")) == 1


def test_the_next_draft_is_a_new_version_with_a_change_summary(year: tuple[Any, Any]) -> None:
    app, _ = year
    third = Path(next(d.path for d in _docs(app) if d.draft and d.version == 3))
    assert third.name == "Laporan Kinerja Tahun 2025 v3 (DRAFT).docx"
    text = _text(third)
    assert "Perubahan dibanding versi sebelumnya:" in text and "– Bagian baru diisi: Isu Strategis" in text
    second = _text(Path(next(d.path for d in _docs(app) if d.draft and d.version == 2)))
    assert "– Bagian baru diisi: Kata Pengantar, Latar Belakang" in second


def test_statuses_typed_in_dokumen_survive_every_render_and_keep_their_history(year: tuple[Any, Any]) -> None:
    app, _ = year
    render_period(app, Period(2025, 4))  # rewrites the Dokumen tab once more
    ws = load_workbook(app.backend.report_sheet(app.settings.control))["Dokumen"]
    head = [c.value for c in ws[1]]
    rows = {(r[1], str(r[2]), r[3]): r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    v2 = rows[("laporan_kinerja:tahunan", "2", "Draft")]
    assert v2[head.index("Status")] == "Dikoreksi"
    assert v2[head.index("Catatan")].startswith("isu_strategis: belum diisi")
    assert v2[head.index("Status Sejak")] == "23 Januari 2026 pukul 10.00 WIB"
    assert rows[("laporan_kinerja:tahunan", "3", "Draft")][head.index("Status")] == "Finalisasi"
    assert rows[("laporan_kinerja:tahunan", "1", "Final")][head.index("Status")] == "Finalisasi"
    history = recorded(app)[("2025-TW4", "laporan_kinerja:tahunan", "2", "Draft")].history
    assert [(h.before, h.after) for h in history] == [("", "Draft"), ("Draft", "Dikoreksi")]


def test_final_documents_reach_the_distribution_list_once_with_the_registered_file(year: tuple[Any, Any]
                                                                                    ) -> None:
    app, _ = year
    render_period(app, Period(2025, 4))  # the TW IV Pengukuran Kinerja finals (recorded once)
    inbox, port = Inbox(), free_port()
    server = start(port, inbox)
    try:
        notifier = SMTPNotifier(SMTPSettings(host="127.0.0.1", port=port, security="none", timeout=5))
        first = deliver_due(app.store, notifier, app.now(), sender=app.settings.notify.sender)
        sync_statuses(app)  # the service runs again: nothing is queued twice
        again = deliver_due(app.store, notifier, app.now(), sender=app.settings.notify.sender)
    finally:
        server.stop()
    assert again.sent == []
    assert first.failed == [] and first.retrying == []
    sent = inbox.messages()
    keys = [str(m["X-Sheets-Sync-Key"]) for m in sent if str(m["X-Sheets-Sync-Key"]).startswith("distribusi:")]
    finals = [d for d in app.store.documents() if not d.draft
              and d.kind.split(":")[0] in app.settings.laporan.distribusi_jenis]
    # one e-mail per final document of the distributed kinds (the LKjIP and the TW IV Pengukuran Kinerja
    # editions rendered by the first test), never two
    assert sorted(keys) == sorted(f"distribusi:{d.id}" for d in finals) and len(keys) == 4
    final = next(d for d in _docs(app) if not d.draft)
    m = next(m for m in sent if m["X-Sheets-Sync-Key"] == f"distribusi:{final.id}")
    assert sorted(inbox.envelopes[sent.index(m)].rcpt_tos) == sorted(DISTRIBUSI)
    letter = next(d for d in app.store.documents("2025-TW4") if d.kind == "surat_pengantar_lkjip:tahunan")
    files = {p.get_filename(): p.get_content() for p in m.iter_attachments()}
    assert set(files) == {Path(final.path).name, Path(letter.path).name}
    assert hashlib.sha256(files[Path(final.path).name]).hexdigest() == final.sha256
    assert hashlib.sha256(files[Path(letter.path).name]).hexdigest() == letter.sha256
    assert "000.8.3.3/1/BKPSDM/2025" in str(m["Subject"])


def test_the_semester_report_comes_from_its_two_approved_quarters(year: tuple[Any, Any]) -> None:
    from sheets_sync.service.lkjip import render_laporan

    app, _ = year
    report = render_laporan(app, 2025, semester=1)
    assert report.final, report.reasons
    (doc,) = report.documents
    path = Path(doc["path"])
    assert path.name == "Laporan Kinerja Semester I Tahun 2025 v1.docx"
    assert doc["kind"] == "laporan_kinerja_semester:semester"
    pk_report = render_period(app, Period(2025, 2))
    pk = Path(next(d["path"] for d in pk_report.documents if d["kind"] == "pengukuran_kinerja:semester"))
    semester_rows = {r[2]: r for r in _cells(Document(str(pk)).tables[0])[2:] if r[0].isdigit()}
    lk_rows = _indicator_rows(path)
    assert set(lk_rows) == set(semester_rows)
    for name, r in lk_rows.items():  # Target, Realisasi, Capaian, Predikat of Semester I
        s = semester_rows[name]
        assert [r[4], r[5], r[6], r[7]] == [s[5], s[6], s[7], s[12]]  # Predikat is column 13 of the PK table
    assert render_laporan(app, 2025, semester=1).documents[0]["new"] is False


def test_the_cli_lists_documents_with_status_history_and_reports_an_unknown_status(year: tuple[Any, Any]) -> None:
    import io

    from sheets_sync.cli import main
    from sheets_sync.service.demo_year import set_status

    app, _ = year
    cfg = str(app.settings.source)
    out = io.StringIO()
    assert main(["-c", cfg, "dokumen", "--period", "2025-TW4"], out=out) == 0
    text = out.getvalue()
    assert "2025-TW4 laporan_kinerja:tahunan v2 Draft: Dikoreksi sejak 23 Januari 2026 pukul 10.00 WIB" in text
    assert "Draft → Dikoreksi — isu_strategis: belum diisi; analisis 2: jelaskan hambatan seleksi JPT" in text
    set_status(app, "laporan_kinerja:tahunan", 1, False, "Sudah ditandatangani")
    out = io.StringIO()
    assert main(["-c", cfg, "dokumen"], out=out) == 1
    assert "Dokumen!J" in out.getvalue() and "Status dokumen 'Sudah ditandatangani'" in out.getvalue()
    set_status(app, "laporan_kinerja:tahunan", 1, False, "Ditandatangani")
    out = io.StringIO()
    assert main(["-c", cfg, "laporan"], out=out) == 0
    assert "laporan_kinerja:tahunan" in out.getvalue() and " tetap " in out.getvalue()
    assert recorded(app)[("2025-TW4", "laporan_kinerja:tahunan", "1", "Final")].status == "Ditandatangani"
