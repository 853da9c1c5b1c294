"""What a local poll costs in file opens (issue 14): an idle poll opens no file at all — no form, not
the control workbook (its fingerprint is a ``stat`` while the file's identity did not move), not the
companion Rekap workbook — and the optimizations never hide a change: the control workbook edited
behind a kept file time is still read, and a full sweep hashes it again.

Opens are counted with a Python audit hook (``open`` events: ``open()``, ``Path.read_bytes``,
``zipfile``), so every way the process could open a file is seen, not only the backend's own calls."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typed_xlsx import type_cells

from sheets_sync.backends.local import LocalBackend
from sheets_sync.core.clock import ManualClock
from sheets_sync.service.control_io import load_control
from sheets_sync.service.demo import PERIOD
from sheets_sync.service.poll import poll
from sheets_sync.service.provision import provision

_WATCH: list[list[Path]] = []  # the open-lists of the tests running now (audit hooks cannot be removed)


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _WATCH and isinstance(args[0], str | bytes | os.PathLike):
        for seen in _WATCH:
            seen.append(Path(os.fsdecode(args[0])))


sys.addaudithook(_audit)


class Opens:
    """Files under one folder opened since :meth:`clear`."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.seen: list[Path] = []

    def clear(self) -> None:
        self.seen.clear()

    def files(self) -> list[Path]:
        return [p.resolve() for p in self.seen if p.resolve().is_relative_to(self.root)]


@pytest.fixture
def opened(office: Path) -> Iterator[Opens]:
    watch = Opens(office.parent)
    _WATCH.append(watch.seen)
    yield watch
    _WATCH.remove(watch.seen)


def later(clock: ManualClock, minutes: int = 15) -> None:
    clock.set(clock() + timedelta(minutes=minutes))


def test_an_idle_poll_opens_no_file_at_all(app: Any, clock: ManualClock, opened: Opens) -> None:
    provision(app, PERIOD)
    poll(app, PERIOD)
    later(clock)
    poll(app, PERIOD)  # settles: the first poll wrote the Rekap companion after hashing the control
    later(clock)
    opened.clear()
    report = poll(app, PERIOD)
    assert report.read == []
    assert opened.files() == [], "an idle poll is a stat per file"


def test_a_control_edit_behind_a_kept_file_time_and_size_is_read_without_a_sweep(
        app: Any, clock: ManualClock, opened: Opens) -> None:
    control = Path(app.settings.control)
    name = {u.code: u.name for u in load_control(app).units}["MP"]
    st = control.stat()
    type_cells(str(control), "Bidang", {_bidang_name_cell(control, "MP"): "Z" * len(name)})
    os.utime(control, ns=(st.st_atime_ns, st.st_mtime_ns))  # cp -p / a restored backup keeps the time
    opened.clear()
    after = load_control(app)
    assert {u.code: u.name for u in after.units}["MP"] == "Z" * len(name)
    assert control.resolve() in opened.files()


def test_a_full_sweep_hashes_the_control_workbook_again_and_an_idle_poll_does_not(
        app: Any, clock: ManualClock, opened: Opens) -> None:
    control = Path(app.settings.control).resolve()
    provision(app, PERIOD)
    poll(app, PERIOD)
    later(clock)
    poll(app, PERIOD)
    later(clock)
    opened.clear()
    poll(app, PERIOD)
    assert control not in opened.files()
    later(clock)
    poll(app, PERIOD, sweep=True)
    assert opened.files().count(control) == 1, "hashed once, not parsed again"


def test_the_local_fingerprint_moves_with_the_bytes_even_when_size_and_time_are_kept(tmp_path: Path) -> None:
    backend = LocalBackend(tmp_path)
    path = tmp_path / "Kendali.xlsx"
    path.write_bytes(b"A" * 64)
    st = path.stat()
    first = backend.fingerprint(str(path))
    assert backend.fingerprint(str(path)) == first
    path.write_bytes(b"B" * 64)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    second = backend.fingerprint(str(path))
    assert second != first  # the ctime moved: hashed again
    backend.verify_fingerprints()
    assert backend.fingerprint(str(path)) == second


def _bidang_name_cell(control: Path, code: str) -> str:
    from openpyxl import load_workbook

    ws = load_workbook(control, read_only=True)["Bidang"]
    for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if row and row[0] == code:
            return f"B{i}"
    raise AssertionError(f"{code} not in Bidang")


def test_an_idle_poll_in_a_new_process_reports_what_the_long_running_one_keeps(
        app: Any, office: Path, clock: ManualClock) -> None:
    from sheets_sync.config import load
    from sheets_sync.service.app import App
    from sheets_sync.service.demo import type_into

    provision(app, PERIOD)
    type_into(app, "MP", {"3.3:realisasi": "sembilan", "2.2:pembilang": 45}, PERIOD)
    poll(app, PERIOD)
    later(clock)
    kept = poll(app, PERIOD)  # statuses kept in this process
    fresh = App.from_settings(load(office), clock=clock, store=app.store)  # e.g. the next `sheets-sync poll`
    later(clock)
    decoded = poll(fresh, PERIOD)  # statuses decoded from the store
    assert kept.read == decoded.read == []
    assert kept.statuses == decoded.statuses
    assert any(f.unit == "MP" for f in decoded.findings)


def test_store_metas_by_prefix(app: Any) -> None:
    for key in ("fp:2025-TW1:MP", "fp:2025-TW1:PKA", "fp:2025-TW10:MP", "fp:2025-TW2:MP", "fq:2025-TW1:MP"):
        app.store.set_meta(key, key[-2:])
    assert app.store.metas("fp:2025-TW1:") == {"fp:2025-TW1:MP": "MP", "fp:2025-TW1:PKA": "KA"}
    before = app.store.changes_seen()
    assert app.store.changes_seen() == before
    app.store.set_meta("fp:2025-TW1:MP", "x")
    assert app.store.changes_seen() != before


def test_a_changed_poll_opens_each_changed_form_once_and_never_the_control_workbook(
        app: Any, clock: ManualClock, opened: Opens) -> None:
    from sheets_sync.service.demo import type_into

    provision(app, PERIOD)
    poll(app, PERIOD)
    later(clock)
    poll(app, PERIOD)
    type_into(app, "MP", {"3.3:realisasi": 9}, PERIOD)
    type_into(app, "PKA", {"1.3:realisasi": 52}, PERIOD)
    later(clock)
    opened.clear()
    report = poll(app, PERIOD)
    assert sorted(report.read) == ["MP", "PKA"]
    files = opened.files()
    for unit in ("MP", "PKA"):  # the read also gives the document-property marker: no second open
        assert files.count(Path(app.store.forms(2025)[unit].link).resolve()) == 1
    assert Path(app.settings.control).resolve() not in files


def test_the_rekap_companion_kept_in_memory_is_dropped_when_a_person_saved_it(
        app: Any, clock: ManualClock) -> None:
    from openpyxl import load_workbook
    from typed_xlsx import save_as_person

    from sheets_sync.service.demo import type_into

    provision(app, PERIOD)
    poll(app, PERIOD)
    companion = Path(app.backend.report_sheet(app.settings.control))
    type_into(app, "MP", {"3.3:realisasi": 9}, PERIOD)
    later(clock)
    poll(app, PERIOD)  # the Rekap write keeps the companion workbook in memory
    save_as_person(companion, {"Catatan": {"A1": "catatan rapat, jangan dihapus"}})
    type_into(app, "MP", {"3.3:realisasi": 10}, PERIOD)
    later(clock)
    poll(app, PERIOD)  # Rekap changes again: written over the person's save, not over the kept copy
    wb = load_workbook(companion, read_only=True)
    assert wb["Catatan"]["A1"].value == "catatan rapat, jangan dihapus"
    rekap = [r for r in wb["Rekap"].iter_rows(values_only=True) if r and r[1] == "MP"]
    assert rekap, "the Rekap row of MP is there"


def test_a_marker_removed_after_a_read_is_seen_by_the_next_read(app: Any, clock: ManualClock) -> None:
    from openpyxl import load_workbook

    from sheets_sync.service.demo import type_into

    provision(app, PERIOD)
    poll(app, PERIOD)
    form = Path(app.store.forms(2025)["MP"].link)
    wb = load_workbook(form)
    for prop in list(wb.custom_doc_props):
        wb.custom_doc_props.props.remove(prop)
    wb.save(form)
    type_into(app, "MP", {"3.3:realisasi": 9}, PERIOD)
    later(clock)
    report = poll(app, PERIOD)
    assert "penanda_hilang" in {f.code for s in report.statuses if s.unit == "MP" for f in s.findings}


def test_the_budget_comes_with_the_control_read_and_follows_an_edit_of_the_anggaran_tab(
        app: Any, opened: Opens) -> None:
    from sheets_sync.service.app import App
    from sheets_sync.service.control_io import load_budget, read_budget

    control = Path(app.settings.control).resolve()
    load_control(app)
    opened.clear()
    budget = load_budget(app, PERIOD)
    assert opened.files().count(control) == 0, "no read of its own"
    fresh = App.from_settings(app.settings, clock=app.clock, store=app.store)  # a new process: from the store
    assert load_budget(fresh, PERIOD) == budget
    assert opened.files().count(control) == 1, "the new process hashes the file for its fingerprint, once"
    assert budget.total and budget == read_budget(app.backend, app.settings.control, PERIOD)
    type_cells(str(control), "Anggaran", {"B2": "5.000.000.000"})
    changed = load_budget(app, PERIOD)
    assert changed.total["pagu"] == 5_000_000_000
    assert changed == read_budget(app.backend, app.settings.control, PERIOD)


def test_a_changed_poll_asks_for_each_bidangs_decision_only_when_it_was_read(app: Any, clock: ManualClock) -> None:
    from sheets_sync.service.demo import type_into

    provision(app, PERIOD)
    poll(app, PERIOD)
    later(clock)
    type_into(app, "MP", {"3.3:realisasi": 9}, PERIOD)
    later(clock)
    seen: list[str] = []
    app.store.conn.set_trace_callback(seen.append)
    try:
        report = poll(app, PERIOD)
    finally:
        app.store.conn.set_trace_callback(None)
    assert report.read == ["MP"]
    per_unit = [s for s in seen if "FROM approvals WHERE unit=" in s]
    assert len(per_unit) == 1, "the Rekap takes every bidang's decision in one query, not one per bidang"
    assert len([s for s in seen if "FROM snapshots WHERE unit=" in s and "payload" not in s]) <= 4, seen


def test_a_rekap_compares_an_approved_bidangs_changed_read_once_for_both_its_sections(
        app: Any, clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    import sheets_sync.service.rekap as rekap
    from sheets_sync.service.approvals import apply_approvals
    from sheets_sync.service.demo import decide, type_into

    provision(app, PERIOD)
    poll(app, PERIOD)
    decide(app, [["2025-TW1", "MP", "Disetujui", "", "2025-04-14"]])
    apply_approvals(app, PERIOD)
    later(clock)
    type_into(app, "MP", {"3.3:realisasi": 9}, PERIOD)
    later(clock)
    compared: list[str] = []
    real = rekap.changes_after_approval

    def spy(app_: Any, period: Any, unit: str) -> Any:
        compared.append(unit)
        return real(app_, period, unit)

    monkeypatch.setattr(rekap, "changes_after_approval", spy)
    report = poll(app, PERIOD)
    assert report.read == ["MP"]
    assert compared == ["MP"], "the change rows and the summary share one comparison"
    rows = load_workbook(app.backend.report_sheet(app.settings.control), read_only=True)["Rekap"]
    texts = [str(v) for row in rows.iter_rows(values_only=True) for v in row if v is not None]
    assert "PERUBAHAN SETELAH DISETUJUI (belum dipakai di dokumen final)" in texts
