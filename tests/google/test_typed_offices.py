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
from sheets_sync.service.control_io import load_control
from sheets_sync.service.demo import PERIOD
from sheets_sync.service.documents import write_dokumen_tab
from sheets_sync.service.office import example_tabs, init_office
from sheets_sync.service.poll import poll
from sheets_sync.service.provision import provision, provisioned_units
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
    return App(cfg, backend, Store.open(":memory:"), clock=fake.clock), fake


def input_cell(app: App, unit: str, code: str, field: str) -> str:
    form_id = app.store.forms(2025)[unit].form_id
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
    pka = app.store.forms(2025)["PKA"].form_id
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
    fake.clock.set(sched.deadline.astimezone(fake.clock().tzinfo) + timedelta(hours=2))  # 11 April 01:59 WIB
    sek = app.store.forms(2025)["SEK"].form_id
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
    mp, link = app.store.forms(2025)["MP"].form_id, app.store.forms(2025)["MP"].link
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
    words = {"form_hilang": "form hilang", "form_tidak_dapat_diakses": "form tidak dapat diakses"}[code]
    report_sheet = fake.books[app.backend.report_sheet(app.settings.control)].by_title("Rekap")
    assert report_sheet is not None and any(words in str(v) for v in report_sheet.cells.values()), "in Rekap"
    from sheets_sync.core.summary import build_digest, digest_rows

    digest = build_digest(app.now(), PERIOD, load_control(app).units, {s.unit: s for s in report.statuses})
    assert any(words in cell for row in digest_rows(digest) for cell in row), "in the coordinator's digest"
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
    mp = app.store.forms(2025)["MP"].form_id
    assert fake.books[mp].by_title("TW1") is not None and fake.books[mp].by_title("TW1").protected
    assert outsider in {p["emailAddress"] for p in fake.files[mp].permissions}
    assert any(e == outsider and "Data Kinerja" in m for e, m in fake.notification_messages)
    assert "MP" in report.links


def test_an_editor_without_a_google_account_is_reported_by_address_when_the_office_says_skip(tmp_path: Path) -> None:
    """``[google] share_non_google = "skip"``: no Google invitation e-mail; the form is still complete
    (period tab, protection, the other editors, the link e-mail) and the finding names the address."""
    app, fake = make_office(tmp_path, share_non_google="skip")
    from sheets_sync.service.control_io import load_control

    unit = next(u for u in load_control(app).units if u.code == "MP")
    outsider = unit.editors[0].lower()
    fake.without_google_account.add(outsider)
    start = len(fake.log)
    report = provision(app, PERIOD)
    found = [f for f in report.findings if f.unit == "MP"]
    assert [f.code for f in found] == ["berbagi_gagal"], found
    assert outsider in found[0].message and "akun Google" in found[0].message
    assert "share_non_google" in found[0].fix and outsider in found[0].fix
    mp = app.store.forms(2025)["MP"].form_id
    assert fake.books[mp].by_title("TW1") is not None and fake.books[mp].by_title("TW1").protected
    shared = {p["emailAddress"] for p in fake.files[mp].permissions}
    assert outsider not in shared and {e.lower() for e in unit.editors[1:]} <= shared
    assert outsider not in fake.notifications  # Google sent nothing on our behalf
    creates = [c for c in fake.log[start:] if c.method_id == "drive.permissions.create"]
    assert all(c.params.get("sendNotificationEmail") == ["false"] for c in creates)
    assert "MP" in report.links and "MP" in provisioned_units(app, PERIOD)


def test_share_non_google_accepts_only_notify_or_skip() -> None:
    from sheets_sync.config.google import google_settings_from_toml
    from sheets_sync.errors import ConfigError

    table = {"mode": "service_account", "credentials_file": "/x.json", "folder_id": "0ABcdEfGhIjKlUk9PVA"}
    assert google_settings_from_toml(table, source="t.toml").share_non_google == "notify"
    assert google_settings_from_toml({**table, "share_non_google": "skip"}, source="t.toml").share_non_google == "skip"
    with pytest.raises(ConfigError, match="share_non_google"):
        google_settings_from_toml({**table, "share_non_google": "email"}, source="t.toml")


def _per_form(fake: FakeGoogle, start: int, form_id: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in fake.log[start:]:
        if form_id in c.url:
            out[c.method_id] = out.get(c.method_id, 0) + 1
    return out


def test_provision_costs_at_most_three_calls_plus_one_per_editor_per_form(office: Any) -> None:
    app, fake = office
    from sheets_sync.service.control_io import load_control

    editors = {u.code: len(u.editors) for u in load_control(app).units}
    start = len(fake.log)
    provision(app, PERIOD)
    run = [c.method_id for c in fake.log[start:]]
    assert run.count("drive.files.list") == 1, "the forms folder is listed once per run, not once per form"
    for unit, form in app.store.forms(2025).items():
        created = {k: v for k, v in _per_form(fake, start, form.form_id).items() if k != "drive.files.create"}
        assert created == {"sheets.spreadsheets.batchUpdate": 1, "drive.permissions.create": editors[unit]}, unit
    assert run.count("drive.files.create") == 5
    assert len(run) <= 5 * 3 + sum(editors.values()) + 5  # + control read, listing, identity, link write

    start = len(fake.log)
    provision(app, PERIOD)  # again: the tab exists, sharing unchanged
    for form_id in (f.form_id for f in app.store.forms(2025).values()):
        assert _per_form(fake, start, form_id) == {"sheets.spreadsheets.get": 2, "sheets.spreadsheets.batchUpdate": 1}

    start = len(fake.log)
    from sheets_sync.model import Period

    provision(app, Period(2025, 2))  # a new period tab on existing forms
    for form_id in (f.form_id for f in app.store.forms(2025).values()):
        assert _per_form(fake, start, form_id) == {"sheets.spreadsheets.get": 1, "sheets.spreadsheets.batchUpdate": 1}


def test_a_create_whose_answer_was_lost_leaves_exactly_one_form_under_two_minutes_of_list_lag() -> None:
    backend, fake = make_fake_backend()
    fake.index_lag = timedelta(minutes=2)
    fake.fail("drive.files.create", timeout=True, after=True)  # created, but the answer never arrives
    ref = backend.create_form("Data Kinerja 2025 — MP Mutasi — BKPSDM")
    sheets = [f for f in fake.files.values() if f.name == "Data Kinerja 2025 — MP Mutasi — BKPSDM"]
    assert len(sheets) == 1 and sheets[0].id == ref.id
    assert fake.count("drive.files.create") == 1, "no second create was sent"
    assert fake.clock.slept >= 110, "the listing was asked again until the lag had passed"


def test_an_upload_whose_answer_was_lost_leaves_exactly_one_document(tmp_path: Path) -> None:
    backend, fake = make_fake_backend()
    fake.index_lag = timedelta(minutes=2)
    doc = tmp_path / "pk.docx"
    doc.write_bytes(b"PK\x03\x04 dokumen")
    fake.fail("drive.files.create", timeout=True, after=True)
    link = backend.publish(doc, "Pengukuran Kinerja TW1.docx")
    docs = [f for f in fake.files.values() if f.name == "Pengukuran Kinerja TW1.docx"]
    assert len(docs) == 1 and docs[0].id in link
    assert fake.count("drive.files.generateIds") == 1


def test_a_90_second_429_storm_on_one_form_lets_the_cycle_finish_and_the_form_is_read_next_cycle(
    office: Any,
) -> None:
    app, fake = office
    provision(app, PERIOD)
    poll(app, PERIOD)
    mp = app.store.forms(2025)["MP"].form_id
    fake.clock.advance(minutes=5)
    for unit in ("MP", "PKA"):
        form_id = app.store.forms(2025)[unit].form_id
        fake.type(form_id, input_cell(app, unit, "2.1" if unit == "MP" else "1.3", "realisasi"), [["12"]])
    fake.clock.advance(minutes=30)
    fake.storm(lambda m, u: mp in u and m == "sheets.spreadsheets.get", 90)
    report = poll(app, PERIOD)  # no exception: the cycle goes on for the others
    assert "PKA" in report.read
    if "MP" not in report.read:  # the retries did not outlast the storm: stale now, read next cycle
        assert "MP" in report.failed and status_of(report, "MP").stale
        assert any("kuota" in f.message for f in status_of(report, "MP").findings)
        fake.clock.advance(minutes=30)
        report = poll(app, PERIOD)
    assert "MP" in report.read and not status_of(report, "MP").stale
    assert app.store.latest_snapshot("MP", str(PERIOD)).payload["rows"]["2.1"]["realisasi"] == 12


def test_the_whole_cycle_on_a_typed_office_keeps_the_dokumen_status_through_every_render(office: Any) -> None:
    """provision → people type (percent, Indonesian numbers, typed dates) → poll → status → approve in a
    typed Persetujuan → render → publish to Drive; the Status the office typed in Dokumen survives."""
    app, fake = office
    from sheets_sync.service.approvals import apply_approvals
    from sheets_sync.service.control_io import load_control
    from sheets_sync.service.documents import document_statuses, render_period

    provision(app, PERIOD)
    control = load_control(app)
    fake.clock.advance(hours=2)
    for unit in control.units:
        form_id = app.store.forms(2025)[unit.code].form_id
        for ind in control.indicators_of(unit.code):
            if not ind.measured_in(PERIOD.quarter):
                continue
            if ind.konsolidasi == "rasio":
                fake.type(form_id, input_cell(app, unit.code, ind.code, "pembilang"), [["1.234"]])
                fake.type(form_id, input_cell(app, unit.code, ind.code, "penyebut"), [["1.500"]])
            value = "89,5%" if ind.satuan == "%" else "1.234,5" if ind.satuan == "orang" else "80"
            fake.type(form_id, input_cell(app, unit.code, ind.code, "realisasi"), [[value]])
            fake.type(form_id, input_cell(app, unit.code, ind.code, "keterangan"), [["sesuai data SIASN"]])
    fake.clock.advance(minutes=30)
    report = poll(app, PERIOD)
    assert set(report.read) == {u.code for u in control.units} and not report.failed
    control_id = app.settings.control
    fake.clock.advance(minutes=5)  # the meeting, later
    fake.type(control_id, "Persetujuan!A2", [[str(PERIOD), u.code, "Disetujui", "", "14/04/2025"]
                                              for u in control.units])
    fake.clock.advance(minutes=30)
    poll(app, PERIOD)
    approved = apply_approvals(app, PERIOD)
    assert not [f for f in approved.findings if f.code == "tanggal_tidak_valid"]
    first = render_period(app, PERIOD)
    assert first.final, first.reasons
    docs = [f for f in fake.files.values() if f.name.endswith(".docx")]
    assert docs, "documents were published to Drive"
    dokumen = fake.books[control_id].by_title("Dokumen")
    assert dokumen is not None
    status_col = 9
    rows = sorted(r for (r, c) in dokumen.cells if c == status_col and r > 0)
    fake.type(control_id, f"Dokumen!J{rows[0] + 1}", [["Ditandatangani"]])
    fake.clock.advance(minutes=30)
    render_period(app, PERIOD)
    render_period(app, PERIOD, draft=True)
    assert dokumen.cells[(rows[0], status_col)] == "Ditandatangani"
    assert "Ditandatangani" in document_statuses(app).values()
    assert len([f for f in fake.files.values() if f.name.endswith(".docx")]) >= len(docs)


def test_an_idle_poll_of_the_service_is_exactly_one_api_call(office: Any) -> None:
    app, fake = office
    provision(app, PERIOD)
    for _ in range(3):  # settle: the forms are read, Rekap written, the control re-read after our own write
        fake.clock.advance(minutes=30)
        poll(app, PERIOD)
    for _ in range(2):
        fake.clock.advance(minutes=30)
        start = len(fake.log)
        poll(app, PERIOD)
        assert [c.method_id for c in fake.log[start:] if c.method_id != "oauth2.token"] == ["drive.files.list"]
    pka = app.store.forms(2025)["PKA"].form_id
    fake.type(pka, input_cell(app, "PKA", "1.3", "realisasi"), [["1.234"]])
    fake.clock.advance(minutes=30)
    start = len(fake.log)
    poll(app, PERIOD)
    calls = [c.method_id for c in fake.log[start:] if c.method_id != "oauth2.token"]
    assert calls == ["drive.files.list", "sheets.spreadsheets.get", "sheets.spreadsheets.values.batchUpdate"]


def test_a_90_second_429_storm_on_the_control_spreadsheet_uses_its_last_good_copy(office: Any) -> None:
    app, fake = office
    from sheets_sync.service.control_io import load_control

    provision(app, PERIOD)
    poll(app, PERIOD)
    control_id = app.settings.control
    fake.clock.advance(minutes=5)
    fake.type(control_id, "Persetujuan!A2", [[str(PERIOD), "MP", "Belum dibahas", "", ""]])  # changed: read again
    pka = app.store.forms(2025)["PKA"].form_id
    fake.type(pka, input_cell(app, "PKA", "1.3", "realisasi"), [["52"]])
    fake.clock.advance(minutes=30)
    fake.storm(lambda m, u: control_id in u and m == "sheets.spreadsheets.get", 90)
    report = poll(app, PERIOD)  # the control cannot be read within the retry budget: no exception
    assert "PKA" in report.read
    stormed = fake.clock()
    fake.storm(lambda m, u: control_id in u and m == "sheets.spreadsheets.get", 90)
    fallback = load_control(app)
    assert [f.code for f in fallback.findings if f.unit == "KENDALI"][-1:] == ["kendali_gagal_dibaca"]
    assert {u.code for u in fallback.units} == {"MP", "PKA", "PKAP", "PPIK", "SEK"}
    fake.clock.set(stormed + timedelta(minutes=30))
    poll(app, PERIOD)  # the storm is over: the control is read again
    assert not [f for f in load_control(app).findings if f.code == "kendali_gagal_dibaca"]


def test_a_period_tab_whose_setup_answer_was_lost_exists_once_with_its_protections(office: Any) -> None:
    app, fake = office
    fake.fail("sheets.spreadsheets.batchUpdate", timeout=True, after=True)  # the first setup lands, unanswered
    report = provision(app, PERIOD)
    assert not [f for f in report.findings if f.code == "provision_gagal"]
    for rec in app.store.forms(2025).values():
        book = fake.books[rec.form_id]
        assert [s.title for s in book.sheets].count("TW1") == 1
        tab = book.by_title("TW1")
        assert tab is not None and tab.protected and tab.metadata
    assert any(c.status == -1 and c.method_id == "sheets.spreadsheets.batchUpdate" for c in fake.log)


# -- the Tanggal Kunci (issue 15 item 3) ---------------------------------------------------------------------
def _after_lock(fake: FakeGoogle) -> None:
    """The fake clock past the end of 21 April 2025 (WIB), the sample Jadwal's Tanggal Kunci of TW I."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    fake.clock.set(datetime(2025, 4, 22, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")))


def test_at_the_lock_date_each_tab_is_protected_with_one_batch_update_and_never_again(office: Any) -> None:
    app, fake = office
    provision(app, PERIOD)
    poll(app, PERIOD)
    _after_lock(fake)
    start = len(fake.log)
    poll(app, PERIOD)
    calls = [c.method_id for c in fake.log[start:] if c.method_id != "oauth2.token"]
    lock = ["sheets.spreadsheets.get", "sheets.spreadsheets.get", "sheets.spreadsheets.batchUpdate"]  # per form
    assert calls == ["drive.files.list", *lock * 5, "sheets.spreadsheets.values.batchUpdate"]  # + Rekap
    for rec in app.store.forms(2025).values():
        tab = fake.books[rec.form_id].by_title(PERIOD.tab)
        assert tab is not None
        assert [p["description"] for p in tab.protected] == [
            "sheets-sync: terkunci — Tanggal Kunci 21 April 2025 terlewati"]
    start = len(fake.log)
    fake.clock.advance(minutes=30)
    # The lock moved each form's modifiedTime, Rekap the control's: read once more, no lock — the control's
    # tabs (metadata) and values, as after any change to it, then the 5 forms.
    poll(app, PERIOD)
    assert [c.method_id for c in fake.log[start:] if c.method_id != "oauth2.token"] == [
        "drive.files.list", *["sheets.spreadsheets.get"] * 7]
    start = len(fake.log)
    fake.clock.advance(minutes=30)
    poll(app, PERIOD)
    assert [c.method_id for c in fake.log[start:] if c.method_id != "oauth2.token"] == ["drive.files.list"]


def test_a_value_typed_after_the_lock_stays_out_of_the_approved_data_on_google(office: Any) -> None:
    from sheets_sync.service.approvals import apply_approvals, approved_snapshot

    app, fake = office
    provision(app, PERIOD)
    mp = app.store.forms(2025)["MP"].form_id
    fake.clock.advance(minutes=5)
    fake.type(mp, input_cell(app, "MP", "2.1", "realisasi"), [["12"]])
    fake.clock.advance(minutes=30)
    poll(app, PERIOD)
    _after_lock(fake)
    poll(app, PERIOD)
    fake.books[mp].by_title(PERIOD.tab).protected.clear()  # the owner removed the protection in the browser
    fake.type(mp, input_cell(app, "MP", "2.1", "realisasi"), [["15"]])
    fake.clock.advance(minutes=30)
    report = poll(app, PERIOD)
    [late] = [f for f in status_of(report, "MP").findings if f.code == "diisi_setelah_kunci"]
    assert "12 → 15" in late.message
    fake.type(app.settings.control, "Persetujuan!A2", [[str(PERIOD), "MP", "Disetujui", "", "14/04/2025"]])
    fake.clock.advance(minutes=30)
    poll(app, PERIOD)
    apply_approvals(app, PERIOD)
    frozen = approved_snapshot(app, "MP", PERIOD)
    assert frozen is not None and frozen.payload["rows"]["2.1"]["realisasi"] == 12
    assert [p["description"] for p in fake.books[mp].by_title(PERIOD.tab).protected] == [
        "sheets-sync: terkunci — data sudah disetujui rapat pembahasan"]


def test_the_lock_during_a_429_storm_on_the_control_spreadsheet_uses_the_polls_control(office: Any) -> None:
    app, fake = office
    provision(app, PERIOD)
    poll(app, PERIOD)
    control_id = app.settings.control
    _after_lock(fake)
    fake.type(control_id, "Persetujuan!A2", [[str(PERIOD), "MP", "Belum dibahas", "", ""]])  # changed: read again
    fake.clock.advance(minutes=30)
    fake.storm(lambda m, u: control_id in u and m == "sheets.spreadsheets.get", 90)
    start = len(fake.log)
    report = poll(app, PERIOD)  # the control's last good copy is this cycle's control, locks included
    control_reads = [c for c in fake.log[start:] if control_id in c.url and c.method_id == "sheets.spreadsheets.get"]
    assert control_reads and all(c.status == 429 for c in control_reads)  # the one load_control's retries only
    assert not [f for s in report.statuses for f in s.findings if f.code == "kunci_gagal"]
    assert fake.count("sheets.spreadsheets.batchUpdate") >= 5
    for rec in app.store.forms(2025).values():
        tab = fake.books[rec.form_id].by_title(PERIOD.tab)
        assert tab is not None and "Tanggal Kunci" in tab.protected[0]["description"]


# -- Google's 10 million cells per spreadsheet ------------------------------------------------------------------
REKAP_ROWS_TO_90_PERCENT = 345_000
"""Rows a person adds at the bottom of the 26-column Rekap so the control holds 9,126,000 cells: the six
browser-made tabs are 6 × 1000 × 26 = 156,000 cells, Rekap grows by 345,000 × 26 = 8,970,000."""


def test_a_control_spreadsheet_near_ten_million_cells_gets_a_warning_naming_its_largest_tab(office: Any) -> None:
    from sheets_sync.i18n import english
    from sheets_sync.i18n.catalog import indonesian_words
    from sheets_sync.service.status_view import render_table

    app, fake = office
    provision(app, PERIOD)
    first = poll(app, PERIOD)
    assert not [f for f in load_control(app).findings if f.code == "kendali_hampir_penuh"]
    fake.clock.advance(minutes=10)
    fake.add_rows(app.settings.control, "Rekap", REKAP_ROWS_TO_90_PERCENT)
    fake.clock.advance(minutes=20)
    polled = poll(app, PERIOD)  # the running service: the tab list it kept is stale since the person's change
    full = [f for f in load_control(app).findings if f.code == "kendali_hampir_penuh"]
    assert len(full) == 1
    warning = full[0]
    assert (warning.unit, warning.sheet, warning.severity) == ("KENDALI", "Rekap", "warning")
    assert "9.126.000 sel" in warning.message and "91,3%" in warning.message and "10.000.000" in warning.message
    assert "tab terbesar Rekap memakai 8.996.000 sel" in warning.message
    assert "Rekap" in warning.fix
    in_english = warning.message_in(english) + " " + warning.fix_in(english)
    assert "cells" in in_english and not indonesian_words(in_english.replace("Rekap", ""))
    shown = render_table(app, PERIOD, polled.statuses, load_control(app))
    assert "(kendali_hampir_penuh)" in shown and "Rekap" in shown
    assert set(first.read) == {"MP", "PKA", "PKAP", "PPIK", "SEK"}


def test_a_write_that_would_pass_ten_million_cells_is_refused_before_it_is_sent(office: Any) -> None:
    from fakegoogle.sheets_model import SheetsError

    from sheets_sync.core.values import RangeWrite
    from sheets_sync.errors import BackendError

    app, fake = office
    control = app.settings.control
    with pytest.raises(SheetsError, match="above the limit of 10000000 cells"):
        fake.add_rows(control, "Rekap", 378_616)  # 130,000 + 379,616 × 26 = 10,000,016: the browser refuses
    assert fake.books[control].by_title("Rekap").rows == 1000
    fake.add_rows(control, "Rekap", 378_000)  # 130,000 + 379,000 × 26 = 9,984,000 cells
    fake.clock.advance(minutes=1)
    start = len(fake.log)
    with pytest.raises(BackendError) as caught:  # 2,000 rows more of 26 columns: 10,036,000
        app.backend.write(control, [RangeWrite("Rekap!A379001", [["satu baris lagi"]] * 2000)])
    message = caught.value.message
    assert "akan membuatnya berisi 10.036.000 sel, melebihi batas Google Sheets 10.000.000 sel" in message
    assert "tab terbesar: Rekap, 9.906.000 sel" in message and "tidak ada yang ditulis" in message
    assert "Rekap" not in caught.value.fix and "spreadsheet lain" in caught.value.fix
    sent = [c.method_id for c in fake.log[start:] if c.method_id != "oauth2.token"]
    assert "sheets.spreadsheets.batchUpdate" not in sent
    assert fake.books[control].by_title("Rekap").rows == 379_000


def test_the_fake_refuses_a_batch_update_that_grows_a_spreadsheet_past_ten_million_cells(office: Any) -> None:
    import random

    from fakegoogle.sheets_batch import apply_batch
    from fakegoogle.sheets_model import SheetsError

    from sheets_sync.backends.google.requests import SheetInfo, grow_requests
    from sheets_sync.core.values import RangeWrite

    app, fake = office
    control = app.settings.control
    fake.add_rows(control, "Rekap", 378_000)
    rekap = fake.books[control].by_title("Rekap")
    sheets = [SheetInfo(s.sheet_id, s.title, s.index, s.rows, s.cols) for s in fake.books[control].sheets]
    growth = grow_requests(sheets, [RangeWrite("Rekap!A379001", [["x"]] * 2000)])
    assert growth.cells["Rekap"] == 381_000 * 26 and sum(growth.cells.values()) == 10_036_000
    with pytest.raises(SheetsError, match="above the limit of 10000000 cells"):
        apply_batch(fake.books[control], growth.requests, "svc@example.iam.gserviceaccount.com", random.Random(0))
    assert rekap.rows == 379_000
