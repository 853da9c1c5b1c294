"""Coordinator digest: per-bidang state, completeness, changes since the last digest, late bidang."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.core.summary import build_digest, digest_rows, digest_state, digest_text
from sheets_sync.model import ApprovedChange, Finding, Period, Schedule, Unit, UnitStatus

WIB = ZoneInfo("Asia/Jakarta")
P = Period(2025, 1)
SCHED = Schedule(P, opens=datetime(2025, 4, 1, 8, tzinfo=WIB), deadline=datetime(2025, 4, 10, 23, 59, tzinfo=WIB))
UNITS = (
    Unit("SEK", "Sekretariat", "Dra. Siti", "sek@kab.example"),
    Unit("MP", "Bidang Mutasi dan Promosi", "Yohanes", "mp@kab.example", form_link="https://docs.example/mp"),
    Unit("PKA", "Bidang Pengembangan Kompetensi Aparatur"),
)
MISSING = (Finding("MP", "TW1", "H7", "missing", "Realisasi belum diisi"),
           Finding("MP", "TW1", "K7", "short", "Keterangan pendek", severity="warning"))


def st(unit: str, state: str, filled: int, required: int = 8, **kw: object) -> UnitStatus:
    return UnitStatus(unit, P, state, filled, required, **kw)  # type: ignore[arg-type]


def statuses() -> dict[str, UnitStatus]:
    return {
        "SEK": st("SEK", "Lengkap", 6, 6, done_flag=True),
        "MP": st("MP", "Sebagian", 5, findings=MISSING, last_change=datetime(2025, 4, 9, 14, 5, tzinfo=WIB)),
    }


def test_a_first_digest_reports_states_and_completeness_without_changes() -> None:
    d = build_digest(datetime(2025, 4, 9, 7, 30, tzinfo=WIB), P, UNITS, statuses(), schedule=SCHED)
    assert d.first and d.changed == ()
    by = {r.unit: r for r in d.rows}
    assert by["MP"].percent == pytest.approx(62.5) and by["MP"].problems == 1
    assert by["PKA"].state == "Belum mengisi" and by["PKA"].required == 0
    assert (d.filled, d.required) == (11, 14)
    assert d.counts["Lengkap"] == 1 and d.counts["Sebagian"] == 1 and d.counts["Tidak mengisi"] == 0
    assert d.late == () and not d.complete
    assert by["MP"].link == "https://docs.example/mp"


def test_changes_since_the_previous_digest_are_reported() -> None:
    previous = {"SEK": {"state": "Sebagian", "filled": 4, "required": 6}, "MP": {"state": "Sebagian", "filled": 2}}
    d = build_digest(datetime(2025, 4, 10, 7, 30, tzinfo=WIB), P, UNITS, statuses(), schedule=SCHED,
                     previous=previous)
    by = {r.unit: r.change for r in d.rows}
    assert by == {"SEK": "Sebagian → Lengkap", "MP": "+3 sel", "PKA": "baru"}
    again = build_digest(datetime(2025, 4, 11, 7, 30, tzinfo=WIB), P, UNITS, statuses(), schedule=SCHED,
                         previous=digest_state(d))
    assert again.changed == ()


def test_late_bidang_are_those_past_the_deadline_and_not_complete_or_completed_late() -> None:
    sts = {"SEK": st("SEK", "Terlambat", 6, 6), "MP": st("MP", "Tidak mengisi", 5), "PKA": st("PKA", "Lengkap", 8)}
    d = build_digest(datetime(2025, 4, 14, 7, 30, tzinfo=WIB), P, UNITS, sts, schedule=SCHED)
    assert [r.unit for r in d.late] == ["SEK", "MP"]
    # before the poller has re-classified, an incomplete bidang after the deadline still counts as late
    d2 = build_digest(datetime(2025, 4, 11, 7, 30, tzinfo=WIB), P, UNITS, statuses(), schedule=SCHED)
    assert {r.unit for r in d2.late} == {"MP", "PKA"}


def test_changes_after_approval_are_listed() -> None:
    changes = [ApprovedChange("MP", "TW1!H7", "81,5", "85", datetime(2025, 4, 20, 10, tzinfo=WIB), "1.1", "realisasi")]
    d = build_digest(datetime(2025, 4, 21, 7, 30, tzinfo=WIB), P, UNITS, statuses(), approved_changes=changes)
    [c] = d.approved_changes
    assert (c.unit, c.cell, c.old, c.new) == ("MP", "TW1!H7", "81,5", "85")
    assert c.when == datetime(2025, 4, 20, 10, tzinfo=WIB)
    rows = digest_rows(d)
    assert ["Perubahan setelah disetujui"] in rows
    assert rows[-1][:4] == ["MP", "TW1!H7", "81,5", "85"]
    assert rows[-1][4] == "20 April 2025 pukul 10.00 WIB"


def test_digest_rows_are_strings_with_indonesian_numbers() -> None:
    d = build_digest(datetime(2025, 4, 9, 7, 30, tzinfo=WIB), P, UNITS, statuses(), schedule=SCHED)
    rows = digest_rows(d)
    assert rows[0] == ["Rekap Triwulan I Tahun 2025", "per 9 April 2025 pukul 07.30 WIB"]
    assert rows[1][0] == "Kode" and rows[1][5] == "Kelengkapan"
    mp = next(r for r in rows if r[0] == "MP")
    assert mp[2:8] == ["Sebagian", "5", "8", "62,50%", "1", "Tidak"]
    assert mp[9] == "9 April 2025 pukul 14.05 WIB"
    sek = next(r for r in rows if r[0] == "SEK")
    assert sek[2] == "Lengkap (Selesai)"
    total = next(r for r in rows if r[1] == "Jumlah")
    assert total[3:6] == ["11", "14", "78,57%"]
    assert all(isinstance(c, str) for r in rows for c in r)


def test_digest_text_is_a_readable_indonesian_summary() -> None:
    d = build_digest(datetime(2025, 4, 11, 7, 30, tzinfo=WIB), P, UNITS, statuses(), schedule=SCHED)
    text = digest_text(d)
    assert "Rekap Triwulan I Tahun 2025 — 11 April 2025 pukul 07.30 WIB" in text
    assert "Kelengkapan keseluruhan: 11/14 sel (78,57%)" in text
    assert "Terlambat: MP, PKA" in text


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError):
        build_digest(datetime(2025, 4, 9), P, UNITS, {})
