"""The review meeting and the Word documents, following the demo's calendar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from sheets_sync.config import load
from sheets_sync.service.app import App
from sheets_sync.service.demo import PERIOD
from sheets_sync.service.documents import render_period


@pytest.fixture
def demo(demo_run: tuple[Path, str]) -> Path:
    return demo_run[0]


def _rows(path: Path) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in Document(str(path)).tables[0].rows]


def _row(rows: list[list[str]], indicator_start: str) -> list[str]:
    return next(r for r in rows if r[2].startswith(indicator_start))


def test_the_final_document_holds_the_approved_values_not_the_later_edit(demo: Path) -> None:
    final = demo / "dokumen" / "2025-TW1" / "Pengukuran Kinerja 2025-TW1 v1.docx"
    rows = _rows(final)
    jumlah = _row(rows, "Jumlah ASN yang mengikuti")
    assert jumlah[6] == "52"  # approved; the bidang typed 60 after approval
    assert jumlah[7] == "104,00%" and jumlah[12] == "Sangat Tinggi"
    mutasi = _row(rows, "Rata-rata waktu penyelesaian")
    assert mutasi[6] == "12" and mutasi[7] == "80,00%" and mutasi[12] == "Tinggi"  # negatif, varian A


def test_drafts_are_marked_and_finals_are_not(demo: Path) -> None:
    def text(p: Path) -> str:
        doc = Document(str(p))
        parts = [p.text for s in doc.sections for p in s.header.paragraphs]
        return " ".join(parts + [p.text for p in doc.paragraphs])

    folder = demo / "dokumen" / "2025-TW1"
    drafts = sorted(folder.glob("Pengukuran Kinerja 2025-TW1 v* (DRAFT).docx"))
    assert drafts and all("DRAFT" in text(d) for d in drafts)  # every draft version has its own file
    assert "DRAFT" not in text(folder / "Pengukuran Kinerja 2025-TW1 v1.docx")


def test_rendering_again_on_the_same_snapshots_records_nothing_new(demo: Path) -> None:
    app: Any = App.from_settings(load(demo / "sheets-sync.toml"))
    before = app.store.documents(str(PERIOD))
    report = render_period(app, PERIOD)
    assert report.final
    assert all(not d["new"] for d in report.documents)
    assert len(app.store.documents(str(PERIOD))) == len(before)


def test_the_letter_number_comes_from_the_register_and_the_dokumen_tab_lists_every_document(demo: Path) -> None:
    app: Any = App.from_settings(load(demo / "sheets-sync.toml"))
    docs = app.store.documents(str(PERIOD))
    numbers = [d.letter_number for d in docs if d.letter_number]
    assert numbers == ["000.8.3.3/1/BKPSDM/2025"]
    ws = load_workbook(app.backend.report_sheet(app.settings.control))["Dokumen"]
    listed = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]
    assert len(listed) == len(docs)
    assert {r[3] for r in listed} == {"Draft", "Final"}


def test_returning_a_bidang_queues_one_email_with_the_reason(demo: Path) -> None:
    app: Any = App.from_settings(load(demo / "sheets-sync.toml"))
    returned = app.store.messages(kind="returned")
    assert len(returned) == 1
    assert returned[0].unit == "MP" and "Realisasi 3.3 harus angka" in returned[0].body_text


def test_the_status_the_office_sets_in_dokumen_is_kept_and_shown_by_status(demo: Path) -> None:
    from sheets_sync.service.status_view import documents_of

    app: Any = App.from_settings(load(demo / "sheets-sync.toml"))
    report = app.backend.report_sheet(app.settings.control)
    wb = load_workbook(report)
    ws = wb["Dokumen"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[1].value == "pengukuran_kinerja:triwulan"
               and r[3].value == "Final")
    row[9].value = "Ditandatangani"
    wb.save(report)
    render_period(app, PERIOD)  # rewrites the Dokumen tab
    final = next(d for d in documents_of(app, PERIOD) if d["kind"] == "pengukuran_kinerja:triwulan" and d["final"])
    assert final["status"] == "Ditandatangani"
    ws = load_workbook(app.backend.report_sheet(app.settings.control))["Dokumen"]
    assert "Ditandatangani" in [c.value for r in ws.iter_rows(min_row=2) for c in r]


def test_the_budget_lines_of_the_anggaran_tab_are_printed_under_the_table(demo: Path) -> None:
    doc = Document(str(demo / "dokumen" / "2025-TW1" / "Pengukuran Kinerja 2025-TW1 v1.docx"))
    text = " ".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "Rp4.250.000.000" in text and "Rp812.500.000" in text and "19,12%" in text
