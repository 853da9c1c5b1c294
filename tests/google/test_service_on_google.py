"""The whole cycle — provision, people typing, poll, approval lock, documents on Drive — through the
Google backend against the fake Sheets/Drive APIs."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from fakegoogle import make_fake_backend

from sheets_sync.config import load
from sheets_sync.core.form import INPUT_COLS, read_range
from sheets_sync.core.values import RangeWrite
from sheets_sync.service.app import App
from sheets_sync.service.demo import PERIOD
from sheets_sync.service.office import example_tabs, init_office
from sheets_sync.service.poll import poll
from sheets_sync.service.provision import provision
from sheets_sync.store import Store


@pytest.fixture
def office(tmp_path: Path) -> Any:
    backend, fake = make_fake_backend(office_timezone="Asia/Jakarta")
    control = backend.create_form("Kendali Data Kinerja — BKPSDM — 2025")
    backend.write(control.id, [*example_tabs("bkpsdm"), RangeWrite("Rekap!A1", [["Periode"]])])
    settings = load(init_office(tmp_path / "kantor", "bkpsdm"))
    settings = dataclasses.replace(settings, backend="google", control=control.id)
    app = App(settings, backend, Store.open(":memory:"), clock=fake.clock)
    return app, fake


def _cell(app: Any, unit: str, code: str, field: str) -> str:
    form_id = app.store.forms(2025)[unit].form_id
    rows = app.backend.read(form_id, [read_range(PERIOD)])[read_range(PERIOD)]
    row = next(i for i, r in enumerate(rows, start=1) if len(r) > 1 and r[1] == code)
    from sheets_sync.core.a1 import cell

    return f"{PERIOD.tab}!{cell(row, INPUT_COLS[field])}"


def test_provision_makes_one_spreadsheet_per_bidang_in_the_folder_shared_without_google_mail(office: Any) -> None:
    app, fake = office
    report = provision(app, PERIOD)
    assert sorted(report.created) == ["MP", "PKA", "PKAP", "PPIK", "SEK"]
    again = provision(app, PERIOD)
    assert again.created == [] and len(app.store.forms(2025)) == 5
    shares = [c for c in fake.calls("drive.permissions.create")]
    assert shares and all(c.params.get("sendNotificationEmail") == ["false"] for c in shares)


def test_people_typing_in_google_sheets_is_polled_checked_and_kept(office: Any) -> None:
    app, fake = office
    provision(app, PERIOD)
    pka = app.store.forms(2025)["PKA"].form_id
    fake.human_edit(pka, _cell(app, "PKA", "1.3", "realisasi"), "52")
    fake.human_edit(pka, _cell(app, "PKA", "1.2", "realisasi"), "delapan puluh")
    fake.clock.advance(minutes=30)
    report = poll(app, PERIOD)
    pka_status = next(s for s in report.statuses if s.unit == "PKA")
    invalid = [f for f in pka_status.findings if f.code == "nilai_tidak_valid"]
    assert invalid and invalid[0].location == _cell(app, "PKA", "1.2", "realisasi")
    assert pka_status.filled == 1
    assert app.store.latest_snapshot("PKA", str(PERIOD)).payload["rows"]["1.3"]["realisasi"] in (52, "52")


def test_a_cycle_without_changes_reads_no_form(office: Any) -> None:
    app, fake = office
    provision(app, PERIOD)
    poll(app, PERIOD)
    fake.clock.advance(minutes=30)
    forms = {f.form_id for f in app.store.forms(2025).values()}
    before = len(fake.log)
    poll(app, PERIOD)
    form_reads = [c for c in fake.log[before:] if "values:batchGet" in c.url and any(f in c.url for f in forms)]
    assert form_reads == []


def test_the_rekap_tab_is_written_raw(office: Any) -> None:
    app, fake = office
    provision(app, PERIOD)
    poll(app, PERIOD)
    writes = [c for c in fake.calls("sheets.spreadsheets.values") if app.settings.control in c.url
              and c.http == "POST" and "batchUpdate" in c.url]
    assert writes and all(c.body.get("valueInputOption") == "RAW" for c in writes)


def test_stale_when_google_fails_for_one_form_and_the_others_are_still_polled(office: Any) -> None:
    app, fake = office
    provision(app, PERIOD)
    mp = app.store.forms(2025)["MP"].form_id
    fake.clock.advance(minutes=10)
    fake.fail(lambda method, url: mp in url and method == "sheets.spreadsheets.get", 404, times=10)
    report = poll(app, PERIOD)
    mp_status = next(s for s in report.statuses if s.unit == "MP")
    assert any(f.code in ("form_hilang", "tab_hilang", "form_gagal_dibaca") for f in mp_status.findings)
    assert {"PKA", "SEK", "PPIK", "PKAP"} <= set(report.read)



def _rekap_percent_formats(fake: Any, control: str) -> list[Any]:
    sheet = fake.books[control].by_title("Rekap")
    header = next(r for (r, c), v in sheet.cells.items() if c == 0 and v == "Periode")
    rows = [r for (r, c), v in sheet.cells.items() if c == 5 and r > header and isinstance(v, (int, float))]
    return [sheet.formats.get((r, 5)) for r in sorted(rows)]


def test_a_rekap_tab_deleted_in_the_browser_comes_back_formatted_in_the_batch_update_that_adds_it(
        office: Any) -> None:
    """The values write meets the missing tab; the one batchUpdate that adds it writes the Rekap RAW and
    formats its percentages — no extra call, and a Rekap tab that is there costs its one values write."""
    app, fake = office
    control = app.settings.control
    provision(app, PERIOD)
    poll(app, PERIOD)
    pka = app.store.forms(2025)["PKA"].form_id
    fake.clock.advance(minutes=30)
    fake.human_edit(pka, _cell(app, "PKA", "1.3", "realisasi"), "52")
    fake.clock.advance(minutes=30)
    start = len(fake.log)
    poll(app, PERIOD)
    writes = [c.method_id for c in fake.log[start:] if control in c.url and c.http == "POST"]
    assert writes == ["sheets.spreadsheets.values.batchUpdate"]

    fake.clock.advance(minutes=30)
    fake.delete_tab(control, "Rekap")
    fake.human_edit(pka, _cell(app, "PKA", "1.2", "realisasi"), "16,5")
    fake.clock.advance(minutes=30)
    start = len(fake.log)
    poll(app, PERIOD)
    writes = [c.method_id for c in fake.log[start:] if control in c.url and c.http == "POST"]
    assert writes == ["sheets.spreadsheets.values.batchUpdate", "sheets.spreadsheets.batchUpdate"]
    formats = _rekap_percent_formats(fake, control)
    assert len(formats) >= 5 and all(f == {"type": "NUMBER", "pattern": "0.00"} for f in formats), formats
