"""The whole data-collection cycle on the local .xlsx backend, edited as Excel/LibreOffice would."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from sheets_sync.core.clock import ManualClock
from sheets_sync.service.demo import PERIOD, type_into
from sheets_sync.service.poll import history, poll
from sheets_sync.service.provision import provision

WIB = ZoneInfo("Asia/Jakarta")


def _state(report: Any, unit: str) -> Any:
    return next(s for s in report.statuses if s.unit == unit)


def test_provision_twice_leaves_one_form_per_bidang_and_keeps_typed_values(app: Any) -> None:
    provision(app, PERIOD)
    type_into(app, "PKA", {"1.2:realisasi": "16,5"})
    again = provision(app, PERIOD)
    files = sorted(p.name for p in app.settings.forms_folder.glob("*.xlsx"))
    assert len(files) == 5
    assert again.created == []
    link = app.store.forms(2025)["PKA"].link
    ws = load_workbook(link)["TW1"]
    assert "16,5" in [c.value for row in ws.iter_rows() for c in row]


def test_a_new_indicator_in_the_master_is_appended_without_disturbing_input(app: Any) -> None:
    provision(app, PERIOD)
    type_into(app, "PKA", {"1.3:realisasi": 52})
    control = load_workbook(app.settings.control)
    ws = control["Indikator"]
    ws.append(["1.4", "PKA", "Meningkatnya profesionalitas ASN", "Jumlah ASN ikut pelatihan", "orang", "positif",
               "jumlah", "per_triwulan", "100", "25", "25", "25", "25", "Jumlah peserta"])
    control.save(app.settings.control)
    provision(app, PERIOD)
    values = [[c.value for c in row] for row in load_workbook(app.store.forms(2025)["PKA"].link)["TW1"].iter_rows()]
    codes = [r[1] for r in values[5:] if r[1]]
    assert codes == ["1.1", "1.2", "1.3", "1.4"]
    assert values[7][7] == 52


def test_polling_picks_up_what_a_person_saved_and_history_keeps_a_cleared_cell(app: Any, clock: ManualClock) -> None:
    provision(app, PERIOD)
    type_into(app, "MP", {"2.2:pembilang": 45, "2.2:penyebut": 48})
    clock.set(datetime(2025, 4, 8, 10, tzinfo=WIB))
    poll(app, PERIOD)
    type_into(app, "MP", {"2.2:pembilang": None})
    clock.set(datetime(2025, 4, 8, 11, tzinfo=WIB))
    report = poll(app, PERIOD)
    assert "MP" in report.read
    entries = history(app, PERIOD, "MP", "2.2")
    assert [e.values["pembilang"] for e in entries] == [None, 45, None][-len(entries):]
    assert any(e.values["pembilang"] == 45 for e in entries)
    assert entries[-1].values["pembilang"] is None


def test_on_time_and_late_come_from_the_clock_and_the_deadline(app: Any, clock: ManualClock) -> None:
    provision(app, PERIOD)
    type_into(app, "PKA", {"1.1:realisasi": "-", "1.1:keterangan": "tahunan", "1.2:realisasi": "16,5",
                           "1.3:realisasi": 52})
    clock.set(datetime(2025, 4, 9, 9, tzinfo=WIB))
    poll(app, PERIOD)
    type_into(app, "PKAP", {"2.3:pembilang": 1, "2.3:penyebut": "4.512"})
    clock.set(datetime(2025, 4, 11, 9, tzinfo=WIB))
    report = poll(app, PERIOD)
    assert _state(report, "PKA").state == "Lengkap"
    assert _state(report, "PKAP").state == "Terlambat"
    assert _state(report, "MP").state == "Tidak mengisi"
    assert report.exit_code == 1


def test_a_truncated_workbook_is_a_finding_for_that_bidang_and_the_rest_are_polled(app: Any) -> None:
    provision(app, PERIOD)
    type_into(app, "PKA", {"1.2:realisasi": "16,5"})
    path = Path(app.store.forms(2025)["MP"].link)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    report = poll(app, PERIOD)
    mp = _state(report, "MP")
    assert mp.stale and any(f.code == "form_tidak_terbaca" and f.unit == "MP" for f in mp.findings)
    assert "PKA" in report.read and _state(report, "PKA").filled == 1
    assert report.exit_code == 1


def test_a_renamed_tab_names_the_bidang_and_the_tab(app: Any) -> None:
    provision(app, PERIOD)
    link = app.store.forms(2025)["PPIK"].link
    wb = load_workbook(link)
    wb["TW1"].title = "Triwulan 1"
    wb.save(link)
    report = poll(app, PERIOD)
    finding = next(f for f in _state(report, "PPIK").findings if f.code == "tab_hilang")
    assert "TW1" in finding.message and "Triwulan 1" in finding.message and finding.unit == "PPIK"


def test_a_deleted_row_and_swapped_columns_are_reported_and_values_still_read(app: Any) -> None:
    provision(app, PERIOD)
    link = app.store.forms(2025)["MP"].link
    wb = load_workbook(link)
    ws = wb["TW1"]
    ws.delete_rows(7)  # 2.2's row
    for r in range(5, 9):  # swap Realisasi (H) and Keterangan (K)
        h, k = ws.cell(r, 8).value, ws.cell(r, 11).value
        ws.cell(r, 8).value, ws.cell(r, 11).value = k, h
    ws.cell(7, 11).value = 9  # 3.3 realisasi, now under the moved Realisasi header in column K
    wb.save(link)
    report = poll(app, PERIOD)
    mp = _state(report, "MP")
    codes = {f.code for f in mp.findings}
    assert {"baris_hilang", "kolom_dipindah"} <= codes
    missing = next(f for f in mp.findings if f.code == "baris_hilang")
    assert missing.indicator == "2.2" and missing.unit == "MP"
    snap = app.store.latest_snapshot("MP", str(PERIOD))
    assert snap.payload["rows"]["3.3"]["realisasi"] == 9
    assert snap.payload["rows"]["3.3"]["cells"]["realisasi"] == "K7"


def test_rekap_is_written_as_raw_text_even_when_a_name_looks_like_a_formula(app: Any) -> None:
    control = load_workbook(app.settings.control)
    control["Bidang"]["B2"] = '=IMPORTXML("http://evil.example","//a")'
    control["Bidang"]["B2"].data_type = "s"  # typed as text (e.g. with a leading apostrophe)
    control.save(app.settings.control)
    provision(app, PERIOD)
    poll(app, PERIOD)
    ws = load_workbook(app.backend.report_sheet(app.settings.control))["Rekap"]
    cells = [c for row in ws.iter_rows() for c in row if c.value and str(c.value).startswith("=IMPORTXML")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_every_read_is_kept_and_identical_reads_are_deduplicated(app: Any, clock: ManualClock) -> None:
    provision(app, PERIOD)
    for hour in (9, 10, 11):
        clock.set(datetime(2025, 4, 8, hour, tzinfo=WIB))
        poll(app, PERIOD)
    assert len(app.store.snapshots("PKA", str(PERIOD))) == 1
    type_into(app, "PKA", {"1.3:realisasi": 10})
    clock.set(datetime(2025, 4, 8, 12, tzinfo=WIB))
    poll(app, PERIOD)
    assert len(app.store.snapshots("PKA", str(PERIOD))) == 2


def test_an_idle_poll_writes_nothing_and_a_changed_poll_never_rewrites_the_control_workbook(
        app: Any, clock: ManualClock) -> None:
    provision(app, PERIOD)
    poll(app, PERIOD)
    control = Path(app.settings.control)
    report = Path(app.backend.report_sheet(app.settings.control))
    before, report_before = control.stat().st_mtime_ns, report.stat().st_mtime_ns
    clock.set(datetime(2025, 4, 8, 9, 30, tzinfo=WIB))
    poll(app, PERIOD)
    assert (control.stat().st_mtime_ns, report.stat().st_mtime_ns) == (before, report_before)
    type_into(app, "PKA", {"1.3:realisasi": 52})
    poll(app, PERIOD)
    assert control.stat().st_mtime_ns == before, "Rekap goes to the companion workbook, never the master"
    assert report.stat().st_mtime_ns != report_before
    rows = list(load_workbook(report, read_only=True)["Rekap"].iter_rows(values_only=True))
    assert next(r for r in rows if r[1] == "PKA")[3] == 1  # Terisi


def test_the_coordinator_digest_stays_under_the_rekap_table_after_later_polls(app: Any, clock: ManualClock) -> None:
    from sheets_sync.runtime.jobs import digest_job

    provision(app, PERIOD)
    poll(app, PERIOD)
    clock.set(datetime(2025, 4, 9, 7, 30, tzinfo=WIB))
    digest_job(app, clock())
    type_into(app, "PKA", {"1.3:realisasi": 52})
    clock.set(datetime(2025, 4, 9, 9, 0, tzinfo=WIB))
    poll(app, PERIOD)
    report = app.backend.report_sheet(app.settings.control)
    grid = list(load_workbook(report)["Rekap"].iter_rows(values_only=True))
    cells = [c for row in grid for c in row]
    assert "Ringkasan Triwulan I Tahun 2025 (dari status yang sama dengan tabel di atas)" in cells
    assert len(app.store.messages(kind="digest")) == 1
    # Every block from the same statuses: the summary agrees with the table after the later poll.
    table = {r[1]: (r[3], r[4], r[5], r[6]) for r in grid if r[0] == "2025-TW1"}
    summary = {r[0]: (int(r[3]), int(r[4]), r[5], r[2].split(" (")[0]) for r in grid
               if r[0] in table and r[1] != table[r[0]]}
    assert summary == table and table["PKA"][0] >= 1
    assert all(isinstance(v[2], (int, float)) for v in table.values())  # percentages are numbers, not text


def test_a_form_that_failed_is_read_again_next_cycle_even_if_unchanged(app: Any, clock: ManualClock) -> None:
    provision(app, PERIOD)
    poll(app, PERIOD)  # MP read fine once
    path = Path(app.store.forms(2025)["MP"].link)
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])
    type_into(app, "PKA", {"1.3:realisasi": 52})
    pka = Path(app.store.forms(2025)["PKA"].link)
    newer = path.stat().st_mtime_ns + 1_000_000_000
    os.utime(pka, ns=(newer, newer))  # saved after MP's truncation: the watermark moves past MP
    first = poll(app, PERIOD)
    assert "MP" in first.failed
    stamp = path.stat().st_mtime_ns
    path.write_bytes(good)
    os.utime(path, ns=(stamp, stamp))  # restored with its old modification time: "unchanged"
    clock.set(datetime(2025, 4, 8, 9, 0, tzinfo=WIB))
    second = poll(app, PERIOD)
    assert "MP" in second.read and second.failed == []
