"""Documents as an office reads them, checked on the .docx read back: a Satuan word never breaks inside
itself, the keterangan of several quarters stay apart, dates are written the Indonesian way."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from docx.oxml.ns import qn
from report_data import INDICATORS, MakeRequest

from sheets_sync.model import Period, UnitStatus
from sheets_sync.reports import render

LONG_UNITS = {"1.3": "rekomendasi", "3.3": "kejadian", "1.1": "dokumen"}
LIBERATION = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
MARGINS_MM = 2.0  # the templates' table cell margins: 1 mm left and right


def with_units(units: dict[str, str]) -> tuple:  # type: ignore[type-arg]
    return tuple(replace(i, satuan=units.get(i.code, i.satuan)) for i in INDICATORS)


def satuan_columns(path: Path) -> list[tuple[float, list[str]]]:
    """Per table with a Satuan header: that column's grid width in mm and the words in its cells."""
    out = []
    for table in Document(str(path)).tables:
        header = [c.text.strip() for c in table.rows[0].cells]
        if "Satuan" not in header:
            continue
        col = header.index("Satuan")
        grid = table._tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))
        width_mm = int(grid[col].get(qn("w:w"))) / 56.6929
        words = [w for row in table.rows[2:] if len({id(c._tc) for c in row.cells}) == len(row.cells)
                 for w in row.cells[col].text.split()]
        out.append((width_mm, words))
    return out


def table_widths(path: Path) -> list[int]:
    return [sum(int(g.get(qn("w:w"))) for g in t._tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol")))
            for t in Document(str(path)).tables]


@pytest.mark.parametrize("edition", ["triwulan", "tahunan"])
def test_the_satuan_column_fits_its_longest_word_and_the_table_keeps_its_width(
        make_request: MakeRequest, tmp_path: Path, edition: str) -> None:
    period = Period(2025, 4 if edition == "tahunan" else 1)
    plain = render("pengukuran_kinerja", make_request(period, edition), tmp_path / "plain")
    long = render("pengukuran_kinerja", make_request(period, edition, indicators=with_units(LONG_UNITS)),
                  tmp_path / "long")
    assert table_widths(long.path) == table_widths(plain.path)  # the width came from a text column
    columns = satuan_columns(long.path)
    assert columns and all("rekomendasi" in words for _, words in columns)
    for width_mm, _ in columns:
        # Helvetica/Arial/Liberation Sans advance widths (AFM): "rekomendasi" = 5724/1000 em; at 8.5 pt
        # that is 48.65 pt = 17.16 mm of text, plus the cell margins.
        assert width_mm - MARGINS_MM >= 17.16


@pytest.mark.skipif(not LIBERATION.is_file(), reason="needs fonts-liberation (installed by .ci/run and the Dockerfile)")
def test_every_satuan_word_fits_as_measured_with_the_font_libreoffice_prints_with(
        make_request: MakeRequest, tmp_path: Path) -> None:
    from PIL import ImageFont

    font = ImageFont.truetype(str(LIBERATION), 850)  # 100× 8.5 pt: getlength is in points × 100
    words = {"rekomendasi", "kejadian", "dokumen", "persentase", "kunjungan"}
    units = dict(zip(("1.1", "1.2", "1.3", "3.1", "3.3"), sorted(words), strict=True))
    done = render("pengukuran_kinerja", make_request(Period(2025, 1), indicators=with_units(units)), tmp_path)
    for width_mm, cell_words in satuan_columns(done.path):
        for word in cell_words:
            printed_mm = font.getlength(word) / 100 * 25.4 / 72
            assert printed_mm <= width_mm - MARGINS_MM, (word, printed_mm, width_mm)


def keterangan_cells(path: Path, code: str) -> list[str]:
    out = []
    for table in Document(str(path)).tables:
        header = [c.text.strip() for c in table.rows[0].cells]
        if "Keterangan" not in header or "Indikator Kinerja" not in header:
            continue
        for row in table.rows:
            cells = [c.text for c in row.cells]
            if any(INDICATORS_BY_CODE[code] == c for c in cells):
                out.append(cells[header.index("Keterangan")])
    return out


INDICATORS_BY_CODE = {i.code: i.name for i in INDICATORS}


def test_keterangan_of_several_quarters_are_labelled_and_separated(make_request: MakeRequest, tmp_path: Path) -> None:
    req = make_request(Period(2025, 2), "semester", keterangan={"1.3": "Data dari SIAK."})
    done = render("pengukuran_kinerja", req, tmp_path)
    cells = keterangan_cells(done.path, "1.3")
    assert cells and all("TW I: Data dari SIAK; TW II: Data dari SIAK." in c for c in cells), cells
    assert not any(re.search(r"SIAK\.? TW", c) for c in cells), cells


def test_the_rekap_kelengkapan_writes_every_time_the_indonesian_way(make_request: MakeRequest, tmp_path: Path) -> None:
    statuses = (UnitStatus("PKA", Period(2025, 1), "Lengkap", 3, 3,
                           completed_at=datetime(2025, 4, 14, 9, 0, tzinfo=ZoneInfo("UTC"))),)
    done = render("rekap_kelengkapan", make_request(statuses=statuses), tmp_path)
    doc = Document(str(done.path))
    texts = [c.text for t in doc.tables for r in t.rows for c in r.cells] + [p.text for p in doc.paragraphs]
    assert "14 April 2025 pukul 16.00 WIB" in texts  # 09.00 UTC is 16.00 in the office's time zone
    assert not [t for t in texts if re.search(r"\d{4}-\d{2}-\d{2}|T\d{2}:\d{2}|[+-]\d{2}:\d{2}\b", t)]
