"""``sheets-sync jadwal``: the period's dates and the reminder plan as a preview, through the CLI."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

import sheets_sync.cli.common as cli_common
from sheets_sync.cli import main
from sheets_sync.core.clock import ManualClock

WIB = ZoneInfo("Asia/Jakarta")


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample BKPSDM office on the morning TW I opens (Tuesday 8 April 2025, 07.00 WIB)."""
    monkeypatch.setattr(cli_common, "CLOCK", ManualClock(datetime(2025, 4, 8, 7, 0, tzinfo=WIB)))
    assert run("init", str(tmp_path / "kantor"))[0] == 0
    return tmp_path / "kantor" / "sheets-sync.toml"


def test_jadwal_names_the_dates_every_reminder_slot_and_who_gets_it(config: Path) -> None:
    code, out = run("-c", str(config), "jadwal", "--period", "2025-TW1")
    assert code == 0
    assert "Batas pengisian  Kamis, 10 April 2025 pukul 16.00 WIB" in out
    assert "Tanggal Kunci    Senin, 21 April 2025 pukul 23.59 WIB" in out
    assert "Tanggal Rapat    Senin, 14 April 2025" in out
    assert "Pada Tanggal Kunci tab TW1 di formulir setiap bidang dikunci" in " ".join(out.split())
    assert "H-1   Rabu, 9 April 2025 pukul 08.00 WIB\n        kepada operator bidang\n" in out
    assert "H+1   Jumat, 11 April 2025 pukul 08.00 WIB\n" \
           "        kepada operator bidang; tembusan: Kepala Bidang, koordinator\n" in out
    assert "H-3" not in out  # 7 April is before the period opens: no such reminder
    assert "MP     kepada operator.mp@sukamaju.example; Kepala Bidang mp.bkpsdm@sukamaju.example" in out
    assert "Rekap harian untuk koordinator (ppkp.bkpsdm@sukamaju.example)" in out
    assert "  Rabu, 9 April 2025 pukul 07.30 WIB\n" in out
    assert "8 April 2025 pukul 07.30" not in out  # the period opens at 08.00: its first summary is the next day
    assert "Sabtu" not in out and "Minggu" not in out  # nothing goes out on a weekend


def test_slots_already_past_are_marked(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_common, "CLOCK", ManualClock(datetime(2025, 4, 10, 9, 0, tzinfo=WIB)))
    _code, out = run("-c", str(config), "jadwal", "--period", "2025-TW1")
    assert "H-1   Rabu, 9 April 2025 pukul 08.00 WIB (sudah lewat)" in out
    assert "H     Kamis, 10 April 2025 pukul 08.00 WIB (sudah lewat)" in out
    assert "H+1   Jumat, 11 April 2025 pukul 08.00 WIB\n" in out


def test_a_libur_row_moves_a_reminder_to_the_next_working_day(config: Path) -> None:
    _code, before = run("-c", str(config), "jadwal", "--period", "2025-TW1")
    kendali = config.parent / "Kendali Data Kinerja.xlsx"
    wb = load_workbook(kendali)
    wb["Libur"].append([datetime(2025, 4, 11), "Cuti kantor (hari jadi daerah)", "libur"])  # a native date cell
    wb.save(kendali)
    _code, after = run("-c", str(config), "jadwal", "--period", "2025-TW1")
    assert "H+1   Jumat, 11 April 2025" in before
    assert "11 April 2025" not in after  # no reminder and no summary on the office's day off
    assert "H+1   Senin, 14 April 2025 pukul 08.00 WIB" in after
    assert "  Jumat, 11 April 2025 pukul 07.30 WIB\n" in before


@pytest.mark.parametrize("lang", ["id", "en"])
def test_at_80_columns_no_jadwal_line_is_wider_than_80(config: Path, monkeypatch: pytest.MonkeyPatch,
                                                        lang: str) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    _code, out = run("--lang", lang, "-c", str(config), "jadwal")
    assert [line for line in out.splitlines() if len(line) > 80] == []
    assert "sekretariat.bkpsdm@sukamaju.example" in out  # wrapped, never cut


def test_without_a_period_it_plans_the_current_one_and_lists_the_dates_of_the_next(config: Path) -> None:
    _code, out = run("-c", str(config), "jadwal")
    assert out.index("Jadwal Triwulan I Tahun 2025") < out.index("Pengingat") < out.index(
        "Jadwal Triwulan II Tahun 2025")
    assert "Batas pengisian  Kamis, 3 Juli 2025 pukul 16.00 WIB" in out
    assert out.count("Pengingat") == 1


def test_in_english_the_words_and_the_dates_are_english_as_in_status(config: Path) -> None:
    from sheets_sync.i18n.catalog import indonesian_words

    _code, out = run("--lang", "en", "-c", str(config), "jadwal", "--period", "2025-TW1")
    assert out.startswith("Schedule Quarter I 2025 — ")
    assert "Deadline" in out and "Reminders" in out and "to the bidang's operator" in out
    assert "Thursday, 10 April 2025 at 16:00 WIB" in out and "at 08:00):" in out
    assert "Batas pengisian" not in out and "Kamis" not in out and "pukul" not in out
    prose = [line for line in out.splitlines() if "@" not in line]  # the addresses are the office's data
    assert [line for line in prose if indonesian_words(line)] == []


def test_a_period_missing_from_jadwal_is_a_usage_error(config: Path) -> None:
    code, _out = run("-c", str(config), "jadwal", "--period", "2024-TW1")
    assert code == 2
