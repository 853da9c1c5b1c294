"""The embedded default as offices really use it (issue 10): a folder of .xlsx forms typed in Excel and
LibreOffice, shared, synced and copied by people — older file times, lost, moved, renamed, duplicated and
re-saved forms, absurd numbers, file permissions, and people saving while the service writes."""

from __future__ import annotations

import grp
import os
import shutil
import stat
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from typed_xlsx import (
    copy_as,
    date_cell,
    formula,
    keep_saving,
    percent,
    save_as_format,
    save_as_person,
    set_mtime,
    type_cells,
)

from sheets_sync.core.clock import ManualClock
from sheets_sync.core.form import INPUT_COLS, MARKER_COL, locate
from sheets_sync.service.demo import PERIOD
from sheets_sync.service.poll import history, poll
from sheets_sync.service.provision import provision

WIB = ZoneInfo("Asia/Jakarta")


def form_path(app: Any, unit: str) -> Path:
    return Path(app.store.forms(2025)[unit].link)


def cell_of(app: Any, unit: str, code: str, field: str) -> str:
    ws = load_workbook(form_path(app, unit), read_only=True)["TW1"]
    found = locate([list(r) for r in ws.iter_rows(min_row=1, max_row=60, max_col=16, values_only=True)])
    assert found is not None
    from sheets_sync.core.a1 import cell

    return cell(found.rows[code], INPUT_COLS[field])


def person_types(app: Any, unit: str, edits: dict[str, Any], **kw: Any) -> None:
    """A person types ``{"1.2:realisasi": percent(47.5)}`` into the bidang's form in Excel and saves."""
    cells = {cell_of(app, unit, *key.split(":")): v for key, v in edits.items()}
    save_as_person(form_path(app, unit), {"TW1": cells}, **kw)


def status_of(report: Any, unit: str) -> Any:
    return next(s for s in report.statuses if s.unit == unit)


def codes_of(report: Any, unit: str) -> set[str]:
    return {f.code for f in status_of(report, unit).findings}


def later(clock: ManualClock, minutes: int = 15) -> None:
    clock.set(clock() + timedelta(minutes=minutes))


# -- cells as typed ------------------------------------------------------------------------------------------
def test_a_percent_typed_in_excel_is_read_as_the_percentage_through_the_whole_poll(app: Any) -> None:
    provision(app, PERIOD)
    person_types(app, "PKA", {"1.2:realisasi": percent(16.5)})  # target TW I 15,00 %
    report = poll(app, PERIOD)
    snap = app.store.latest_snapshot("PKA", str(PERIOD))
    assert snap.payload["rows"]["1.2"]["realisasi"] == pytest.approx(16.5)
    assert not [f for f in status_of(report, "PKA").findings if f.indicator == "1.2" and f.severity == "error"]


def test_a_jadwal_deadline_typed_as_a_date_cell_does_not_make_the_deadline_day_late(app: Any, clock: ManualClock
                                                                                    ) -> None:
    type_cells(app.settings.control, "Jadwal", {"C2": date_cell(datetime(2025, 4, 10))})
    provision(app, PERIOD)
    person_types(app, "PKA", {"1.1:realisasi": "-", "1.1:keterangan": "tahunan", "1.2:realisasi": "16,5",
                              "1.3:realisasi": 52})
    clock.set(datetime(2025, 4, 10, 18, 0, tzinfo=WIB))  # on the deadline day, after office hours
    report = poll(app, PERIOD)
    assert status_of(report, "PKA").state == "Lengkap"


def test_a_formula_excel_calculated_is_used_with_a_note_and_one_never_calculated_is_a_finding(app: Any) -> None:
    provision(app, PERIOD)
    person_types(app, "MP", {"2.2:realisasi": formula("=45/48*100", cached=93.75)})  # opened in Excel
    person_types(app, "PKA", {"1.3:realisasi": formula("=40+12")})  # written by a script, never calculated
    report = poll(app, PERIOD)
    assert app.store.latest_snapshot("MP", str(PERIOD)).payload["rows"]["2.2"]["realisasi"] == pytest.approx(93.75)
    note = next(f for f in status_of(report, "MP").findings if f.code == "rumus_di_sel_isian")
    where = cell_of(app, "MP", "2.2", "realisasi")
    assert note.cell == where and note.indicator == "2.2" and note.severity == "info"
    assert "=45/48*100" in note.message and "93,75" in note.message and where in note.fix
    bad = [f for f in status_of(report, "PKA").findings if f.code == "nilai_tidak_valid" and f.indicator == "1.3"]
    assert bad and bad[0].cell == cell_of(app, "PKA", "1.3", "realisasi") and "rumus" in bad[0].message.lower()
    assert "rumus_di_sel_isian" not in codes_of(report, "PKA")  # the error already says it
    assert {"MP", "PKA"} <= set(report.read)


# -- never miss a change -------------------------------------------------------------------------------------
def test_a_save_with_a_file_time_20_minutes_older_than_the_last_poll_is_read(app: Any, clock: ManualClock) -> None:
    provision(app, PERIOD)
    poll(app, PERIOD)
    polled_at = time.time()
    person_types(app, "MP", {"3.3:realisasi": 9}, mtime=polled_at - 20 * 60)  # Syncthing keeps the sender's time
    later(clock)
    report = poll(app, PERIOD)  # the fingerprint differs: read at once, not only at the next sweep
    assert "MP" in report.read and "form_versi_lama" not in codes_of(report, "MP")  # new content: an edit
    assert app.store.latest_snapshot("MP", str(PERIOD)).payload["rows"]["3.3"]["realisasi"] == 9


def test_an_edit_that_kept_the_old_file_time_is_read_at_the_next_full_sweep(app: Any, clock: ManualClock) -> None:
    provision(app, PERIOD)
    poll(app, PERIOD)
    person_types(app, "MP", {"3.3:keterangan": "x"}, keep_mtime=True)  # cp -p / restored backup
    later(clock)
    poll(app, PERIOD, sweep=True)
    assert app.store.latest_snapshot("MP", str(PERIOD)).payload["rows"]["3.3"]["keterangan"] == "x"


def test_the_periodic_sweep_runs_every_k_cycles_by_itself(app: Any, clock: ManualClock) -> None:
    provision(app, PERIOD)
    poll(app, PERIOD)
    reads = []
    for _ in range(app.settings.local.full_sweep_every):
        later(clock)
        reads.append(len(poll(app, PERIOD).read))
    assert reads.count(0) >= len(reads) - 1  # idle polls read nothing...
    assert max(reads) == 5  # ...and one of them re-checked every form


def test_an_idle_poll_opens_no_form(app: Any, clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    provision(app, PERIOD)
    poll(app, PERIOD)
    forms = {form_path(app, u).resolve() for u in app.store.forms(2025)}
    opened: list[Path] = []
    real = zipfile.ZipFile.__init__

    def spy(self: Any, file: Any, *a: Any, **kw: Any) -> None:
        if isinstance(file, str | os.PathLike) and Path(file).resolve() in forms:
            opened.append(Path(file))
        real(self, file, *a, **kw)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", spy)
    later(clock)
    report = poll(app, PERIOD)
    assert report.read == [] and opened == []


# -- every form accounted for --------------------------------------------------------------------------------
def _read_good_values(app: Any) -> None:
    provision(app, PERIOD)
    person_types(app, "MP", {"3.3:realisasi": 9, "2.2:pembilang": 45, "2.2:penyebut": 48})
    poll(app, PERIOD)


def _assert_kept_and_stale(app: Any, report: Any, code: str) -> None:
    mp = status_of(report, "MP")
    assert code in codes_of(report, "MP"), mp.findings
    finding = next(f for f in mp.findings if f.code == code)
    assert finding.unit == "MP" and finding.fix
    assert mp.stale
    assert report.exit_code == 1
    assert history(app, PERIOD, "MP", "3.3")[-1].values["realisasi"] == 9
    assert status_of(report, "PKA").stale is False  # the others are polled as usual


def test_a_deleted_form_is_a_finding_and_the_last_good_read_is_kept(app: Any, clock: ManualClock) -> None:
    _read_good_values(app)
    path = form_path(app, "MP")
    path.unlink()
    later(clock)
    report = poll(app, PERIOD)
    _assert_kept_and_stale(app, report, "form_hilang")
    assert path.name in next(f for f in status_of(report, "MP").findings if f.code == "form_hilang").message


def test_a_form_moved_out_of_the_folder_is_a_finding(app: Any, clock: ManualClock, tmp_path: Path) -> None:
    _read_good_values(app)
    shutil.move(form_path(app, "MP"), tmp_path / "Desktop.xlsx")
    later(clock)
    _assert_kept_and_stale(app, poll(app, PERIOD), "form_hilang")


def test_a_renamed_form_is_found_again_by_its_marker(app: Any, clock: ManualClock) -> None:
    _read_good_values(app)
    old = form_path(app, "MP")
    new = old.with_name("Form MP final.xlsx")
    old.rename(new)
    person_types_at = new
    save_as_person(person_types_at, {"TW1": {cell_of_path(new, "3.3", "realisasi"): 8}})
    later(clock)
    report = poll(app, PERIOD)
    assert "form_berganti_nama" in codes_of(report, "MP")
    f = next(f for f in status_of(report, "MP").findings if f.code == "form_berganti_nama")
    assert old.name in f.message and new.name in f.message and f.severity == "warning"
    assert "form_hilang" not in codes_of(report, "MP") and not status_of(report, "MP").stale
    assert form_path(app, "MP").name == new.name
    assert app.store.latest_snapshot("MP", str(PERIOD)).payload["rows"]["3.3"]["realisasi"] == 8
    bidang = load_workbook(app.settings.control, read_only=True)["Bidang"]
    assert any(str(new) in str(v) for row in bidang.iter_rows(values_only=True) for v in row)  # the link follows
    later(clock)
    assert "form_berganti_nama" not in codes_of(poll(app, PERIOD), "MP")  # told once, in the cycle it happened


def test_two_files_carrying_a_lost_forms_marker_are_named_not_guessed(app: Any, clock: ManualClock) -> None:
    _read_good_values(app)
    old = form_path(app, "MP")
    shutil.copy(old, old.with_name("MP lama.xlsx"))
    old.rename(old.with_name("MP baru.xlsx"))
    later(clock)
    report = poll(app, PERIOD)
    _assert_kept_and_stale(app, report, "form_hilang")
    f = next(f for f in status_of(report, "MP").findings if f.code == "form_hilang")
    assert "MP lama.xlsx" in f.message and "MP baru.xlsx" in f.message and old.name in f.fix
    assert form_path(app, "MP") == old


def cell_of_path(path: Path, code: str, field: str) -> str:
    from sheets_sync.core.a1 import cell

    ws = load_workbook(path, read_only=True)["TW1"]
    found = locate([list(r) for r in ws.iter_rows(min_row=1, max_row=60, max_col=16, values_only=True)])
    assert found is not None
    return cell(found.rows[code], INPUT_COLS[field])


@pytest.mark.parametrize("suffix", [".xlsm", ".ods"])
def test_a_form_saved_as_another_format_is_a_finding_naming_the_file(app: Any, clock: ManualClock,
                                                                     suffix: str) -> None:
    _read_good_values(app)
    target = save_as_format(form_path(app, "MP"), suffix)
    later(clock)
    report = poll(app, PERIOD)
    _assert_kept_and_stale(app, report, "form_format_lain")
    assert target.name in next(f for f in status_of(report, "MP").findings if f.code == "form_format_lain").message


@pytest.mark.parametrize("kind", ["salinan", "numbered", "syncthing", "onedrive"])
def test_a_duplicate_with_other_values_is_reported_with_both_file_names(app: Any, clock: ManualClock, kind: str
                                                                        ) -> None:
    _read_good_values(app)
    copy = copy_as(form_path(app, "MP"), kind)
    save_as_person(copy, {"TW1": {cell_of_path(copy, "3.3", "realisasi"): 7}})
    later(clock)
    report = poll(app, PERIOD)
    assert "form_salinan" in codes_of(report, "MP")
    f = next(f for f in status_of(report, "MP").findings if f.code == "form_salinan")
    assert copy.name in f.message and form_path(app, "MP").name in f.message
    where = cell_of_path(copy, "3.3", "realisasi")
    assert "isinya berbeda di 1 sel" in f.message and f"{where} " in f.message and "→ 7" in f.message
    assert report.exit_code == 1
    assert "form_salinan" not in codes_of(report, "PKA")


def test_a_duplicate_with_the_same_values_is_reported_as_the_same(app: Any, clock: ManualClock) -> None:
    _read_good_values(app)
    copy = copy_as(form_path(app, "MP"), "salinan")
    later(clock)
    report = poll(app, PERIOD)
    f = next(f for f in status_of(report, "MP").findings if f.code == "form_salinan")
    assert f"{copy.name}: isinya sama" in f.message


def test_a_duplicate_marked_selesai_with_another_value_names_both_cells(app: Any, clock: ManualClock) -> None:
    from sheets_sync.core.form import DONE_CELL

    _read_good_values(app)
    copy = copy_as(form_path(app, "MP"), "salinan")
    where = cell_of_path(copy, "2.2", "pembilang")
    save_as_person(copy, {"TW1": {where: 46, DONE_CELL: "Selesai"}})
    later(clock)
    f = next(f for f in status_of(poll(app, PERIOD), "MP").findings if f.code == "form_salinan")
    assert f"{copy.name}: isinya berbeda di 2 sel ({where} 45 → 46, {DONE_CELL} Belum → Selesai)" in f.message


def test_a_form_replaced_by_an_older_copy_keeps_the_newer_read(app: Any, clock: ManualClock, tmp_path: Path) -> None:
    provision(app, PERIOD)
    path = form_path(app, "MP")
    person_types(app, "MP", {"3.3:realisasi": 12})
    poll(app, PERIOD)
    backup = tmp_path / "backup.xlsx"
    shutil.copy2(path, backup)
    later(clock)
    person_types(app, "MP", {"3.3:realisasi": 9})
    poll(app, PERIOD)
    shutil.copy2(backup, path)  # a restored backup over the newer file
    later(clock)
    report = poll(app, PERIOD)
    assert "form_versi_lama" in codes_of(report, "MP")
    f = next(f for f in status_of(report, "MP").findings if f.code == "form_versi_lama")
    assert f"3.3 realisasi ({cell_of(app, 'MP', '3.3', 'realisasi')}): 9 → 12" in f.message, f.message
    assert status_of(report, "MP").stale and report.exit_code == 1
    assert history(app, PERIOD, "MP", "3.3")[-1].values["realisasi"] == 9
    assert [e.values["realisasi"] for e in history(app, PERIOD, "MP", "3.3")][-2:] == [12, 9]  # both kept
    later(clock)
    assert "form_versi_lama" in codes_of(poll(app, PERIOD), "MP")  # until someone decides

    save_as_person(path, {})  # the office decides the old copy is right: opened and saved again in Excel
    later(clock)
    report = poll(app, PERIOD)
    assert "form_versi_lama" not in codes_of(report, "MP") and not status_of(report, "MP").stale
    assert history(app, PERIOD, "MP", "3.3")[-1].values["realisasi"] == 12


def test_a_removed_cell_marker_is_reported(app: Any, clock: ManualClock) -> None:
    _read_good_values(app)
    save_as_person(form_path(app, "MP"), {"TW1": {f"{chr(64 + MARKER_COL)}1": None}})
    later(clock)
    report = poll(app, PERIOD)
    f = next(f for f in status_of(report, "MP").findings if f.code == "penanda_hilang")
    assert f.cell == "P1" and "P1" in f.message
    assert report.exit_code == 1


def test_a_removed_document_property_marker_is_reported(app: Any, clock: ManualClock) -> None:
    _read_good_values(app)
    path = form_path(app, "MP")
    wb = load_workbook(path)
    for prop in list(wb.custom_doc_props):
        wb.custom_doc_props.props.remove(prop)
    wb.save(path)
    later(clock)
    report = poll(app, PERIOD)
    f = next(f for f in status_of(report, "MP").findings if f.code == "penanda_hilang")
    assert "properti" in f.message.lower()


# -- no number stops anything --------------------------------------------------------------------------------
@pytest.mark.parametrize("absurd", [1e25, "1" + "0" * 400, "inf", "nan", "-inf", "10000000000000000000000000"])
def test_an_absurd_number_is_a_finding_and_poll_and_render_complete_for_everyone(app: Any, clock: ManualClock,
                                                                                absurd: Any) -> None:
    from sheets_sync.service.documents import render_period

    provision(app, PERIOD)
    person_types(app, "PKA", {"1.3:realisasi": absurd})
    person_types(app, "MP", {"3.3:realisasi": 9})
    report = poll(app, PERIOD)
    pka = status_of(report, "PKA")
    bad = [f for f in pka.findings if f.code == "nilai_tidak_valid" and f.indicator == "1.3"]
    assert bad and bad[0].cell
    assert "MP" in report.read
    render_period(app, PERIOD, draft=True)


# -- messages for people -------------------------------------------------------------------------------------
def test_finding_texts_show_the_typed_text_as_a_person_sees_it(app: Any) -> None:
    provision(app, PERIOD)
    person_types(app, "PKA", {"1.3:realisasi": "1\u00a0234 orang"})
    report = poll(app, PERIOD)
    f = next(f for f in status_of(report, "PKA").findings if f.code == "nilai_tidak_valid")
    assert "\\xa0" not in f.message and "\xa0" not in f.message and "'" not in f.message.split(":")[0]
    assert "1 234 orang" in f.message


# -- writes that respect people ------------------------------------------------------------------------------
def _shared(path: Path) -> tuple[int, int]:
    os.chmod(path, 0o664)
    os.chown(path, -1, grp.getgrnam("users").gr_gid)
    return 0o664, grp.getgrnam("users").gr_gid


def _mode_group(path: Path) -> tuple[int, int]:
    st = path.stat()
    return stat.S_IMODE(st.st_mode), st.st_gid


def test_a_shared_file_keeps_its_mode_and_group_after_provision_poll_lock_and_render(app: Any) -> None:
    from sheets_sync.service.approvals import apply_approvals
    from sheets_sync.service.demo import decide
    from sheets_sync.service.documents import render_period

    provision(app, PERIOD)
    form, control = form_path(app, "MP"), Path(app.settings.control)
    want = _shared(form)
    _shared(control)
    person_types(app, "MP", {"3.3:realisasi": 9})
    _shared(form)
    provision(app, PERIOD)
    poll(app, PERIOD)
    decide(app, [["2025-TW1", "MP", "Disetujui", "", "2025-04-14"]])
    _shared(control)
    apply_approvals(app, PERIOD)  # locks MP's tab
    render_period(app, PERIOD, draft=True)
    assert _mode_group(form) == want
    assert _mode_group(control) == want


def test_new_files_follow_the_umask_and_the_store_is_private(app: Any) -> None:
    old = os.umask(0o002)
    try:
        provision(app, PERIOD)
    finally:
        os.umask(old)
    assert _mode_group(form_path(app, "MP"))[0] == 0o664
    store = Path(app.settings.store_url.removeprefix("sqlite:///"))
    assert stat.S_IMODE(store.stat().st_mode) == 0o600


def test_orphan_temporary_files_are_cleaned_at_start(office: Path, clock: ManualClock) -> None:
    from sheets_sync.config import load
    from sheets_sync.service.app import App

    settings = load(office)
    settings.forms_folder.mkdir(parents=True, exist_ok=True)
    orphan = settings.forms_folder / ".tmp-abc123.xlsx"
    orphan.write_bytes(b"half a workbook")
    set_mtime(orphan, time.time() - 3600)
    App.from_settings(settings, clock=clock).store.close()
    assert not orphan.exists()


@pytest.mark.slow
def test_saves_made_while_the_service_writes_are_never_reverted(app: Any, clock: ManualClock) -> None:
    """Two people (other processes, as Excel on staff PCs) save a form and the control workbook every
    0.25 s while provision, poll and the approval lock write the same files."""
    import multiprocessing

    from sheets_sync.service.approvals import apply_approvals
    from sheets_sync.service.demo import decide

    provision(app, PERIOD)
    decide(app, [["2025-TW1", "PKA", "Disetujui", "", "2025-04-14"]])  # typed before the savers start
    ctx = multiprocessing.get_context("spawn")
    stop, results = ctx.Event(), ctx.Queue()
    counts = [ctx.Value("i", 0), ctx.Value("i", 0)]
    people = [ctx.Process(target=keep_saving, args=(str(form_path(app, "MP")), "TW1",
                                                     cell_of(app, "MP", "3.3", "keterangan"), stop, results),
                          kwargs={"count": counts[0]}),
              ctx.Process(target=keep_saving, args=(str(app.settings.control), "Persetujuan", "D40", stop, results),
                          kwargs={"count": counts[1]})]
    for p in people:
        p.start()
    time.sleep(1.5)  # both are saving
    try:
        n = 0
        # At least 6 rounds, and on until each person has saved 6 times during them: a loaded machine
        # slows the savers down, and the test must still race them against the service.
        while n < 6 or (min(c.value for c in counts) < 6 and n < 200):
            provision(app, PERIOD)
            person_types(app, "PKA", {"1.3:realisasi": 40 + n})
            later(clock)
            poll(app, PERIOD)
            n += 1
        apply_approvals(app, PERIOD)
    finally:
        stop.set()
        outcome = [results.get(timeout=60) for _ in people]
        for p in people:
            p.join(timeout=60)
    for saves, lost in outcome:
        assert saves > 5
        assert lost == [], f"{len(lost)} of {saves} saves reverted: {lost}"


# -- plausibility ----------------------------------------------------------------------------------------------
def test_the_implausible_numbers_of_the_issue_are_warnings_until_keterangan_confirms_them(app: Any, clock: ManualClock
                                                                                         ) -> None:
    provision(app, PERIOD)
    person_types(app, "PKA", {"1.2:realisasi": -5, "1.3:realisasi": "+62812"})  # % share; orang, target 50
    person_types(app, "MP", {"3.3:realisasi": "85,5"})  # hari kerja, negatif, target 10: capaian -655 %
    person_types(app, "PPIK", {"3.2:realisasi": 580})  # % rasio, target 95, no pembilang/penyebut
    report = poll(app, PERIOD)
    assert {"nilai_negatif"} <= codes_of(report, "PKA") and "capaian_di_luar_batas" in codes_of(report, "PKA")
    assert "capaian_di_luar_batas" in codes_of(report, "MP")
    assert {"persen_lebih_100", "rasio_tanpa_rincian"} <= codes_of(report, "PPIK")
    band = next(f for f in status_of(report, "PKA").findings
                if f.code == "capaian_di_luar_batas" and f.indicator == "1.3")
    assert band.severity == "warning" and band.cell and "125.624" in band.message
    person_types(app, "PKA", {"1.2:keterangan": "benar", "1.3:keterangan": "sudah dicek"})
    person_types(app, "MP", {"3.3:keterangan": "berkas menumpuk"})
    person_types(app, "PPIK", {"3.2:keterangan": "dikonfirmasi"})
    later(clock)
    report = poll(app, PERIOD)
    plaus = {"nilai_negatif", "capaian_di_luar_batas", "persen_lebih_100", "rasio_tanpa_rincian", "lonjakan_nilai"}
    assert not any(codes_of(report, u) & plaus for u in ("PKA", "MP", "PPIK"))
