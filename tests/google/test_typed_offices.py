"""The Google mode on spreadsheets as people make and type them: a control spreadsheet made in the
browser (1000 × 26 tabs, locale id_ID) and typed cell by cell, forms typed the same way, forms that
disappear, editors without a Google account.  Nothing here is written through the product's own RAW
writers except what the product itself writes."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fakegoogle import FakeGoogle, make_fake_backend

from sheets_sync.config import load
from sheets_sync.core.a1 import cell
from sheets_sync.core.form import INPUT_COLS, read_range
from sheets_sync.service.app import App
from sheets_sync.service.demo import PERIOD
from sheets_sync.service.documents import write_dokumen_tab
from sheets_sync.service.office import example_tabs, init_office
from sheets_sync.service.poll import poll
from sheets_sync.service.provision import provision
from sheets_sync.store import Store

CONTROL_TABS = ("Bidang", "Indikator", "Jadwal", "Persetujuan", "Rekap", "Dokumen")


def typed(v: Any) -> str:
    """A value as a person types it in Sheets with locale id_ID."""
    return "" if v is None else str(v)


def type_control(fake: FakeGoogle, sid: str, *, jadwal: list[list[str]] | None = None) -> None:
    """Type the sample office's PPKP tabs into a browser-made control spreadsheet."""
    for w in example_tabs("bkpsdm"):
        tab = w.range.split("!")[0]
        if tab not in CONTROL_TABS:
            continue
        rows = [[typed(v) for v in row] for row in w.values]
        if tab == "Jadwal" and jadwal is not None:
            rows = [rows[0], *jadwal]
        fake.type(sid, f"{tab}!A1", rows)
    fake.type(sid, "Dokumen!A1", [["Periode", "Jenis", "Versi", "Draft/Final", "Nomor Surat", "Tautan", "SHA-256",
                                   "Snapshot", "Dibuat", "Status"]])


@pytest.fixture
def office(tmp_path: Path) -> Any:
    return make_office(tmp_path)


def make_office(tmp_path: Path, *, jadwal: list[list[str]] | None = None, **settings: Any) -> tuple[App, FakeGoogle]:
    backend, fake = make_fake_backend(office_timezone="Asia/Jakarta", **settings)
    sid = fake.browser_spreadsheet("Kendali Data Kinerja — BKPSDM — 2025", CONTROL_TABS)
    type_control(fake, sid, jadwal=jadwal)
    cfg = load(init_office(tmp_path / "kantor", "bkpsdm"))
    cfg = dataclasses.replace(cfg, backend="google", control=sid)
    backend.settings = dataclasses.replace(backend.settings, control_spreadsheet=sid)
    return App(cfg, backend, Store.open(":memory:"), clock=fake.clock.now), fake


def input_cell(app: App, unit: str, code: str, field: str) -> str:
    form_id = app.store.forms(2025)[unit][0]
    rows = app.backend.read(form_id, [read_range(PERIOD)])[read_range(PERIOD)]
    row = next(i for i, r in enumerate(rows, start=1) if len(r) > 1 and r[1] == code)
    return f"{PERIOD.tab}!{cell(row, INPUT_COLS[field])}"


def status_of(report: Any, unit: str) -> Any:
    return next(s for s in report.statuses if s.unit == unit)


def test_a_browser_made_control_spreadsheet_of_1000_row_tabs_provisions_and_polls(office: Any) -> None:
    app, fake = office
    report = provision(app, PERIOD)
    assert sorted(report.created) == ["MP", "PKA", "PKAP", "PPIK", "SEK"]
    assert not [f for f in report.findings if f.code == "provision_gagal"]
    assert not [c for c in fake.log if c.status == 400], "no range past a tab's grid was ever asked for"
    polled = poll(app, PERIOD)
    assert set(polled.read) == {"MP", "PKA", "PKAP", "PPIK", "SEK"}


def test_percentages_and_indonesian_numbers_typed_in_a_form_are_read_as_typed(office: Any) -> None:
    app, fake = office
    provision(app, PERIOD)
    pka = app.store.forms(2025)["PKA"][0]
    fake.type(pka, input_cell(app, "PKA", "1.2", "realisasi"), [["89,5%"]])
    fake.type(pka, input_cell(app, "PKA", "1.3", "realisasi"), [["1.234,5"]])
    assert fake.books[pka].by_title("TW1").formats  # Sheets gave the percent cell a PERCENT format
    fake.clock.advance(minutes=30)
    poll(app, PERIOD)
    rows = app.store.latest_snapshot("PKA", str(PERIOD)).payload["rows"]
    assert rows["1.2"]["realisasi"] == 89.5
    assert rows["1.3"]["realisasi"] == 1234.5


def test_a_deadline_typed_as_a_date_closes_at_the_end_of_that_day_and_late_filling_is_terlambat(
    tmp_path: Path,
) -> None:
    jadwal = [["2025-TW1", "08/04/2025 08:00", "10/04/2025", "21/04/2025", "14/04/2025"]]
    app, fake = make_office(tmp_path, jadwal=jadwal)
    provision(app, PERIOD)
    from sheets_sync.service.control_io import load_control

    control = load_control(app)
    sched = control.schedule(PERIOD)
    assert sched is not None
    assert (sched.deadline.hour, sched.deadline.minute, sched.deadline.second) == (23, 59, 59)
    assert sched.deadline.date().isoformat() == "2025-04-10"
    assert sched.opens.hour == 8
    fake.clock.t = sched.deadline.astimezone(fake.clock.t.tzinfo) + timedelta(hours=2)  # 11 April 01:59 WIB
    sek = app.store.forms(2025)["SEK"][0]
    for ind in control.indicators_of("SEK"):
        fake.type(sek, input_cell(app, "SEK", ind.code, "realisasi"), [["-"]])
        fake.type(sek, input_cell(app, "SEK", ind.code, "keterangan"), [["tidak diukur triwulan ini"]])
    fake.clock.advance(minutes=30)
    assert status_of(poll(app, PERIOD), "SEK").state == "Terlambat"


def test_the_dokumen_status_typed_by_the_office_survives_and_a_failed_read_never_rewrites_the_tab(
    office: Any,
) -> None:
    app, fake = office
    control = app.settings.control
    from datetime import UTC, datetime

    app.store.record_document(str(PERIOD), "pengukuran", False, "pk.docx", "a" * 64, "b" * 64,
                              datetime(2025, 4, 15, tzinfo=UTC), link="https://drive.google.com/file/d/x/view")
    write_dokumen_tab(app)
    fake.type(control, "Dokumen!J2", [["Ditandatangani"]])
    write_dokumen_tab(app)
    assert fake.books[control].by_title("Dokumen").cells[(1, 9)] == "Ditandatangani"
    fake.fail(lambda m, u: control in u and m == "sheets.spreadsheets.get", 503, times=100)
    before = len(fake.calls("sheets.spreadsheets.values.batchUpdate"))
    write_dokumen_tab(app)
    assert len(fake.calls("sheets.spreadsheets.values.batchUpdate")) == before, "unread tab not written"
    assert fake.books[control].by_title("Dokumen").cells[(1, 9)] == "Ditandatangani"


@pytest.mark.parametrize(
    ("lose", "code"),
    [
        ("trash", "form_hilang"),
        ("delete_forever", "form_hilang"),
        ("unshare", "form_tidak_dapat_diakses"),
        ("leave_drive", "form_tidak_dapat_diakses"),
    ],
)
def test_a_lost_form_is_a_finding_with_its_link_and_fix_and_the_last_good_read_is_kept(
    office: Any, lose: str, code: str
) -> None:
    app, fake = office
    provision(app, PERIOD)
    mp, link = app.store.forms(2025)["MP"][:2]
    fake.type(mp, input_cell(app, "MP", "2.1", "realisasi"), [["281"]])
    fake.clock.advance(minutes=30)
    poll(app, PERIOD)
    if lose == "leave_drive":
        fake.leave_drive(fake.files[mp].drive_id or "")
    else:
        getattr(fake, lose)(mp)
    fake.clock.advance(minutes=30)
    report = poll(app, PERIOD)
    mp_status = status_of(report, "MP")
    found = [f for f in mp_status.findings if f.code == code]
    assert found, [f.code for f in mp_status.findings]
    assert link in found[0].message and found[0].fix
    assert mp_status.stale
    assert app.store.latest_snapshot("MP", str(PERIOD)).payload["rows"]["2.1"]["realisasi"] == 281
    if lose != "leave_drive":  # the other forms (same shared drive) stay readable
        assert {"PKA", "SEK"} <= {s.unit for s in report.statuses if not s.stale}


def test_an_editor_without_a_google_account_is_invited_with_notification_and_the_form_is_complete(
    office: Any,
) -> None:
    app, fake = office
    from sheets_sync.service.control_io import load_control

    unit = next(u for u in load_control(app).units if u.code == "MP")
    outsider = unit.editors[0].lower()
    fake.without_google_account.add(outsider)
    report = provision(app, PERIOD)
    assert not [f for f in report.findings if f.unit == "MP"]
    mp = app.store.forms(2025)["MP"][0]
    assert fake.books[mp].by_title("TW1") is not None and fake.books[mp].by_title("TW1").protected
    assert outsider in {p["emailAddress"] for p in fake.files[mp].permissions}
    assert any(e == outsider and "Data Kinerja" in m for e, m in fake.notification_messages)
    assert "MP" in report.links
