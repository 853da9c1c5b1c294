"""The Tanggal Kunci on the local .xlsx forms (issue 15 item 3): the period tab of every bidang is
locked once at the lock date, a value typed after it anyway (openpyxl, like any program that ignores
sheet protection) is ``diisi_setelah_kunci`` and stays out of the approved data until the meeting
decides again, and "Perlu perbaikan" after the lock opens the tab again."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from sheets_sync.config import load
from sheets_sync.core.clock import ManualClock
from sheets_sync.core.form import INPUT_COLS, locate
from sheets_sync.errors import TransientError
from sheets_sync.service.app import App
from sheets_sync.service.approvals import apply_approvals, approved_snapshot, pending_tab_findings
from sheets_sync.service.demo import PERIOD, WIB, decide, type_into
from sheets_sync.service.poll import history, poll
from sheets_sync.service.provision import provision
from sheets_sync.texts import Text

AFTER_LOCK = datetime(2025, 4, 22, 9, 0, tzinfo=WIB)  # the sample Jadwal locks TW I at the end of 21 April


def realisasi_cell(app: Any, unit: str, code: str) -> Any:
    """The openpyxl cell of ``code``'s Realisasi in the bidang's form, as saved on disk."""
    ws = load_workbook(app.store.forms(2025)[unit].link)[PERIOD.tab]
    found = locate([list(r) for r in ws.iter_rows(min_row=1, max_row=60, max_col=16, values_only=True)])
    assert found is not None
    return ws.cell(row=found.rows[code], column=INPUT_COLS["realisasi"])


def locked(app: Any, unit: str) -> bool:
    """Whether the bidang's period tab is protected with its input columns locked (the column style Excel
    and LibreOffice apply to every cell of the column; a cell typed by openpyxl has no style of its own)."""
    ws = load_workbook(app.store.forms(2025)[unit].link)[PERIOD.tab]
    return bool(ws.protection.sheet and ws.column_dimensions["H"].protection.locked)  # H: Realisasi


def count_setups(app: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every backend setup call (a lock or unlock of a tab is one), by form."""
    calls: list[str] = []
    real = app.backend.setup

    def counted(form_id: str, tab: Any) -> None:
        calls.append(form_id)
        real(form_id, tab)

    monkeypatch.setattr(app.backend, "setup", counted)
    return calls


def findings(report: Any, unit: str, code: str) -> list[Any]:
    return [f for s in report.statuses if s.unit == unit for f in s.findings if f.code == code]


@pytest.fixture
def filled(app: Any, clock: ManualClock) -> Any:
    """MP typed 9 as Realisasi of 3.3 before the deadline; the service polled it."""
    provision(app, PERIOD)
    type_into(app, "MP", {"3.3:realisasi": 9})
    clock.set(datetime(2025, 4, 10, 9, 0, tzinfo=WIB))
    poll(app, PERIOD)
    return app


def test_at_the_lock_date_every_tab_is_locked_once(filled: Any, clock: ManualClock,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    app = filled
    setups = count_setups(app, monkeypatch)
    clock.set(datetime(2025, 4, 21, 16, 0, tzinfo=WIB))
    poll(app, PERIOD)
    assert setups == [] and not locked(app, "MP")  # not yet
    clock.set(AFTER_LOCK)
    report = poll(app, PERIOD)
    assert len(setups) == 5 and not [f for s in report.statuses for f in s.findings if f.code == "kunci_gagal"]
    assert all(locked(app, u) for u in ("MP", "PKA", "PKAP", "PPIK", "SEK"))
    clock.set(datetime(2025, 4, 22, 15, 0, tzinfo=WIB))
    poll(app, PERIOD)
    poll(app, PERIOD)
    assert len(setups) == 5  # the claim is kept: never locked a second time
    rows = app.store.conn.execute("SELECT unit, outcome FROM tab_actions WHERE action='lock_date'").fetchall()
    assert sorted((r[0], r[1]) for r in rows) == [(u, "done") for u in ("MP", "PKA", "PKAP", "PPIK", "SEK")]


def test_a_second_process_on_the_same_store_does_not_lock_again(filled: Any, office: Path, clock: ManualClock,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    other = App.from_settings(load(office), clock=clock)
    try:
        first, second = count_setups(filled, monkeypatch), count_setups(other, monkeypatch)
        clock.set(AFTER_LOCK)
        poll(filled, PERIOD)
        poll(other, PERIOD)
        assert (len(first), len(second)) == (5, 0)
    finally:
        other.store.close()


def test_a_value_typed_after_the_lock_is_a_finding_and_stays_out_of_the_approved_data(
        filled: Any, clock: ManualClock) -> None:
    app = filled
    clock.set(AFTER_LOCK)
    poll(app, PERIOD)
    type_into(app, "MP", {"3.3:realisasi": 12})  # openpyxl does not enforce the sheet protection
    clock.set(datetime(2025, 4, 22, 10, 0, tzinfo=WIB))
    report = poll(app, PERIOD)
    where = realisasi_cell(app, "MP", "3.3").coordinate
    [late] = findings(report, "MP", "diisi_setelah_kunci")
    assert late.location == f"TW1!{where}" and f"MP TW1!{where}" in late.message
    assert "9 → 12" in late.message and "Tanggal Kunci 21 April 2025" in late.message
    assert late.fix.startswith("Nilai diubah setelah Tanggal Kunci 21 April 2025; bahas di rapat pembahasan")
    assert [e.values.get("realisasi") for e in history(app, PERIOD, "MP", "3.3")] == [9, 12]  # both kept

    decide(app, [["2025-TW1", "MP", "Disetujui", "", "2025-04-14"]])  # the meeting's row, typed late
    clock.set(datetime(2025, 4, 22, 11, 0, tzinfo=WIB))
    apply_approvals(app, PERIOD)
    frozen = approved_snapshot(app, "MP", PERIOD)
    assert frozen is not None and frozen.payload["rows"]["3.3"]["realisasi"] == 9
    report = poll(app, PERIOD)
    assert len(findings(report, "MP", "diisi_setelah_kunci")) == 1
    assert findings(report, "MP", "berubah_setelah_disetujui") == []  # the same cell is named once

    decide(app, [["2025-TW1", "MP", "Disetujui", "dibahas lagi: 12 benar", "2025-04-23"]])
    clock.set(datetime(2025, 4, 23, 9, 0, tzinfo=WIB))
    apply_approvals(app, PERIOD)
    frozen = approved_snapshot(app, "MP", PERIOD)
    assert frozen is not None and frozen.payload["rows"]["3.3"]["realisasi"] == 12
    report = poll(app, PERIOD)
    assert findings(report, "MP", "diisi_setelah_kunci") == []


def test_perlu_perbaikan_after_the_lock_opens_the_tab_and_the_date_does_not_lock_it_again(
        filled: Any, clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    app = filled
    clock.set(AFTER_LOCK)
    poll(app, PERIOD)
    assert locked(app, "MP")
    decide(app, [["2025-TW1", "MP", "Perlu perbaikan", "lengkapi bukti dukung", "2025-04-22"]])
    clock.set(datetime(2025, 4, 22, 13, 0, tzinfo=WIB))
    apply_approvals(app, PERIOD)
    assert not locked(app, "MP")
    setups = count_setups(app, monkeypatch)
    type_into(app, "MP", {"3.3:realisasi": 10})  # the correction the meeting asked for
    clock.set(datetime(2025, 4, 23, 9, 0, tzinfo=WIB))
    report = poll(app, PERIOD)
    assert setups == [] and not locked(app, "MP")
    assert findings(report, "MP", "diisi_setelah_kunci") == []


def test_an_approved_bidang_is_already_locked_and_costs_no_setup(filled: Any, clock: ManualClock,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    app = filled
    decide(app, [["2025-TW1", "MP", "Disetujui", "", "2025-04-14"]])
    clock.set(datetime(2025, 4, 14, 10, 0, tzinfo=WIB))
    apply_approvals(app, PERIOD)
    setups = count_setups(app, monkeypatch)
    clock.set(AFTER_LOCK)
    poll(app, PERIOD)
    mp = app.store.forms(2025)["MP"].form_id
    assert len(setups) == 4 and mp not in setups


def test_a_lock_the_backend_refuses_is_kunci_gagal_in_either_language_and_retried_next_cycle(
        filled: Any, clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    app = filled
    real = app.backend.setup
    mp = app.store.forms(2025)["MP"].form_id

    def busy(form_id: str, tab: Any) -> None:
        if form_id == mp:
            raise TransientError(Text("tidak dapat menyimpan {path}: {error}", path="MP.xlsx",
                                      error="Permission denied"))
        real(form_id, tab)

    monkeypatch.setattr(app.backend, "setup", busy)
    clock.set(AFTER_LOCK)
    report = poll(app, PERIOD)
    [failed] = findings(report, "MP", "kunci_gagal")
    assert failed.message == "Tab TW1 milik MP belum dikunci: tidak dapat menyimpan MP.xlsx: Permission denied"
    from sheets_sync.i18n import english
    [stored] = pending_tab_findings(app, PERIOD, "MP")  # read back from the store, as status shows it later
    assert stored.message == failed.message
    assert stored.message_in(english) == failed.message_in(english) == (
        "The TW1 tab of MP is not locked yet: cannot save MP.xlsx: Permission denied")
    monkeypatch.setattr(app.backend, "setup", real)
    clock.set(datetime(2025, 4, 22, 10, 0, tzinfo=WIB))
    report = poll(app, PERIOD)
    assert findings(report, "MP", "kunci_gagal") == [] and locked(app, "MP")
