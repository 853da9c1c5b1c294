"""A decision is applied until the backend confirms it: a crash between recording an approval and
locking the tab, or a lock write that fails, leaves the lock pending — and it is applied next cycle."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from crash.office import TW1, Office, at
from sheets_sync.core.form import INPUT_COLS, locate


def input_locked(office: Office, unit: str) -> bool:
    """Whether a person can no longer type into the first Realisasi cell of the bidang's TW1 tab."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    conn = sqlite3.connect(office.store_path)
    try:
        [(link,)] = conn.execute("SELECT link FROM forms WHERE unit=?", (unit,))
    finally:
        conn.close()
    ws = load_workbook(link)[TW1.tab]
    found = locate([list(r) for r in ws.iter_rows(min_row=1, max_row=60, max_col=16, values_only=True)])
    assert found is not None
    first = min(found.rows.values())
    col = INPUT_COLS["realisasi"]
    cell = ws._cells.get((first, col))
    if cell is not None and cell.has_style:
        locked = cell.protection.locked
    else:  # an unstyled cell takes its column's protection, as Excel and LibreOffice apply it
        locked = ws.column_dimensions[get_column_letter(col)].protection.locked
    return bool(ws.protection.sheet) and bool(locked)


def pending(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.execute("SELECT unit, action, attempts FROM tab_actions WHERE done_at IS NULL"))
    finally:
        conn.close()


def lock_findings(office: Office, unit: str) -> list[str]:
    r = office.cli("status", "--period", str(TW1), "--json", now=at(14, 11))
    [u] = [u for u in json.loads(r.out)["units"] if u["code"] == unit]
    return [f["message"] for f in u["findings"] if f["code"] == "kunci_gagal"]


def test_a_crash_after_the_decision_before_the_lock_locks_the_tab_next_cycle(prepared: Office) -> None:
    office = prepared
    office.decide([[str(TW1), "SEK", "Disetujui", "", "2025-04-14"]])
    crashed = office.cli("approve", "--period", str(TW1), now=at(14, 10),
                         kill="sheets_sync.service.approvals:_protect")
    assert crashed.killed, crashed
    assert not input_locked(office, "SEK")
    assert pending(office.store_path) == [("SEK", "lock", 0)]

    nxt = office.cli("run", "--once", now=at(14, 10, 15))
    assert nxt.code in (0, 1), nxt
    assert input_locked(office, "SEK")
    assert pending(office.store_path) == []
    assert lock_findings(office, "SEK") == []
    conn = sqlite3.connect(office.store_path)
    assert list(conn.execute("SELECT unit, status FROM approvals")) == [("SEK", "Disetujui")]
    conn.close()


def test_a_lock_write_that_fails_is_retried_and_the_finding_clears_only_once_locked(prepared: Office) -> None:
    office = prepared
    office.decide([[str(TW1), "PPIK", "Disetujui", "", "2025-04-14"]])
    busy = "sheets_sync.backends.local:LocalBackend.setup:2"  # the form is open in Excel twice in a row
    first = office.cli("approve", "--period", str(TW1), now=at(14, 10), fail=busy)
    assert first.code == 1 and "belum dikunci" in first.out, first
    assert not input_locked(office, "PPIK")

    second = office.cli("run", "--once", now=at(14, 10, 15), fail=busy)  # fails again: still pending
    assert second.code in (0, 1), second
    assert not input_locked(office, "PPIK")
    assert pending(office.store_path) == [("PPIK", "lock", 2)]
    assert lock_findings(office, "PPIK") and "form sedang dipakai" in lock_findings(office, "PPIK")[0]

    third = office.cli("run", "--once", now=at(14, 10, 30), fail=busy)  # the form is free again
    assert third.code in (0, 1), third
    assert input_locked(office, "PPIK")
    assert pending(office.store_path) == []
    assert lock_findings(office, "PPIK") == []
