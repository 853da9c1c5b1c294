"""No silent caps: a control spreadsheet of 2,000 bidang × 10 indicators (20,000 Indikator rows, far past
the old fixed ranges of 500 bidang and 3,000 indicators) is read whole on every backend, every row
becomes a bidang or an indicator, and every bad row — wherever it sits — becomes its finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheets_sync.backends.base import Backend
from sheets_sync.backends.local import LocalBackend
from sheets_sync.backends.memory import MemoryBackend
from sheets_sync.core.control import BIDANG_HEADERS, INDIKATOR_HEADERS, PERSETUJUAN_HEADERS
from sheets_sync.core.values import RangeWrite
from sheets_sync.model import Raw
from sheets_sync.service.control_io import read_control
from sheets_sync.service.office import example_tabs

UNITS, PER_UNIT = 2000, 10


def big_tabs() -> tuple[list[RangeWrite], dict[tuple[str, str], str]]:
    """The tabs, and the findings planted in them: (tab, cell) → finding code."""
    bidang: list[list[Raw]] = [list(BIDANG_HEADERS)]
    indikator: list[list[Raw]] = [list(INDIKATOR_HEADERS)]
    for b in range(1, UNITS + 1):
        code = f"B{b:04d}"
        bidang.append([code, f"Bidang {b}", f"Kepala {b}", f"kabid{b}@pemkab.example", "", ""])
        for j in range(1, PER_UNIT + 1):
            # as a PPKP types them: text targets with Indonesian decimals
            indikator.append([f"{b}.{j}", code, f"Sasaran {b}", f"Indikator {b}.{j}", "%", "positif", "nilai_akhir",
                              "kumulatif", "80,00", "20,00", "40,00", "60,00", "80,00", "Survei"])
    planted: dict[tuple[str, str], str] = {}
    bidang.append(["B1999", "Bidang ganda", "", "", "", ""])  # row 2,002: long past the old 500-row range
    planted[("Bidang", f"A{len(bidang)}")] = "kode_ganda"
    # Indikator rows (sheet row = list index + 1), all past the old 3,000-row range but one
    indikator[2999][0] = indikator[2][0]  # row 3,000 repeats the code of row 3
    planted[("Indikator", "A3000")] = "kode_ganda"
    indikator[12344][5] = "naik"  # row 12,345
    planted[("Indikator", "F12345")] = "polaritas_tidak_dikenal"
    indikator[19998][1] = "X999"  # row 19,999
    planted[("Indikator", "B19999")] = "bidang_tidak_dikenal"
    indikator[UNITS * PER_UNIT][12] = "70,00"  # the very last row: last quarter ≠ annual
    planted[("Indikator", f"M{UNITS * PER_UNIT + 1}")] = "target_tidak_konsisten"  # the Target TW IV cell
    persetujuan: list[list[Raw]] = [list(PERSETUJUAN_HEADERS)]
    persetujuan += [["2025-TW1", f"B{b:04d}", "Disetujui", "", "2025-04-14"] for b in range(1, UNITS + 1)]
    persetujuan.append(["2025-TW1", "B0001", "Ditunda", "", ""])  # row 2,002
    planted[("Persetujuan", f"C{len(persetujuan)}")] = "status_tidak_dikenal"
    jadwal = next(w for w in example_tabs("bkpsdm") if w.range.startswith("Jadwal"))
    return [RangeWrite("Bidang!A1", bidang), RangeWrite("Indikator!A1", indikator), jadwal,
            RangeWrite("Persetujuan!A1", persetujuan)], planted


@pytest.mark.parametrize("kind", ["memory", "local"])
def test_every_row_of_a_very_large_office_is_read_and_every_planted_problem_found(kind: str,
                                                                                  tmp_path: Path) -> None:
    backend: Backend = MemoryBackend() if kind == "memory" else LocalBackend(tmp_path / "forms")
    ref = backend.create_form("Kendali Data Kinerja — Pemkab — 2025")
    writes, planted = big_tabs()
    backend.write(ref.id, writes)
    control = read_control(backend, ref.id, "Asia/Jakarta")
    assert len(control.units) == UNITS
    assert len(control.indicators) == UNITS * PER_UNIT - 3  # the duplicate, bad polaritas, unknown bidang
    assert control.indicators[-1].code == f"{UNITS}.{PER_UNIT}"
    assert len(control.decisions) == UNITS
    found = {(f.sheet, f.cell): f.code for f in control.findings}
    assert found == planted
    unknown = next(f for f in control.findings if f.code == "bidang_tidak_dikenal")
    assert "X999" in unknown.message and "B0001" in unknown.fix and "(2000 kode di tab Bidang)" in unknown.fix
    assert len(control.indicators_of("B1500")) == PER_UNIT
