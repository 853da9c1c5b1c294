"""Provisioning on Google: one batchUpdate per setup, protections, validation, marker, sharing, adoption."""

from __future__ import annotations

import pytest
from fakegoogle import FakeGoogle, make_fake_backend
from fakegoogle.sheets_model import Sheet

from sheets_sync.backends.google.backend import GoogleBackend
from sheets_sync.core.values import Protection, RangeWrite, TabSetup, Validation
from sheets_sync.errors import FormNotFound, FormUnreadable

PPKP = "ppkp@bkpsdm.sukamajukab.go.id"
SETUP = TabSetup(
    tab="TW1",
    writes=(
        RangeWrite("TW1!A1", [["No", "Kode", "Target", "Realisasi", "Bukti", "Status", "Selesai"]]),
        RangeWrite("TW1!A2", [[1, "1.1", 72.5, None, None, None, None]]),
    ),
    protections=(Protection("TW1!C2:C40", "sheets-sync: target", (PPKP,)), Protection("TW1!A1:G1", "kepala kolom")),
    validations=(
        Validation("TW1!D2:D40", "number", "Isi angka ≥ 0", strict=False),
        Validation("TW1!E2:E40", "url", "Tempel tautan bukti dukung"),
        Validation("TW1!F2:F40", "list", "Pilih status", values=("Belum", "Sudah")),
        Validation("TW1!G2", "checkbox", "Centang jika selesai", strict=True),
    ),
    marker={"form": "2", "unit": "MUT", "period": "2025-TW1"},
    hidden_columns=(8,),
    frozen_rows=1,
    column_widths={3: 40},
)


def tw1(fake: FakeGoogle, form_id: str) -> Sheet:
    """The form's TW1 tab in the fake (the test fails when it is not there)."""
    tab = fake.books[form_id].by_title("TW1")
    assert tab is not None
    return tab


def set_up(gb: tuple[GoogleBackend, FakeGoogle], title: str) -> tuple[str, Sheet]:
    """A new form titled ``title`` set up with :data:`SETUP`: its id and its TW1 tab in the fake."""
    backend, fake = gb
    ref = backend.create_form(title)
    backend.setup(ref.id, SETUP)
    return ref.id, tw1(fake, ref.id)



def test_setup_of_a_new_form_is_one_batch_update_with_locale_and_time_zone(
    gb: tuple[GoogleBackend, FakeGoogle],
) -> None:
    backend, fake = gb
    ref = backend.create_form("Data Kinerja 2025 — MUT — BKPSDM")
    start = len(fake.log)
    backend.setup(ref.id, SETUP)
    sheets_calls = [c.method_id for c in fake.log[start:] if c.method_id.startswith("sheets")]
    assert sheets_calls == ["sheets.spreadsheets.batchUpdate"], "a new form's tabs are known: nothing read back"
    book = fake.books[ref.id]
    assert (book.locale, book.time_zone) == ("id_ID", "Asia/Makassar")
    tab = book.by_title("TW1")
    assert tab is not None and tab.frozen_rows == 1 and tab.columns[7] == {"hiddenByUser": True}


def test_protections_let_only_the_coordinator_and_the_service_edit_targets(
    gb: tuple[GoogleBackend, FakeGoogle],
) -> None:
    _, fake = gb
    _, tab = set_up(gb, "Form P")
    target = next(p for p in tab.protected if p["description"] == "sheets-sync: target")
    assert set(target["editors"]["users"]) == {PPKP, fake.identity}
    assert target["range"] == {
        "sheetId": tab.sheet_id,
        "startRowIndex": 1,
        "endRowIndex": 40,
        "startColumnIndex": 2,
        "endColumnIndex": 3,
    }
    assert {p["description"] for p in tab.protected} == {"sheets-sync: target", "sheets-sync: kepala kolom"}


def test_validations_use_the_sheets_condition_for_each_kind(gb: tuple[GoogleBackend, FakeGoogle]) -> None:
    _, tab = set_up(gb, "Form V")
    number, url, choice, box = (tab.validation[(1, c)] for c in (3, 4, 5, 6))
    assert number["condition"] == {"type": "NUMBER_GREATER_THAN_EQ", "values": [{"userEnteredValue": "0"}]}
    assert number["strict"] is False and number["inputMessage"] == "Isi angka ≥ 0"
    assert url["condition"]["type"] == "TEXT_IS_URL"
    assert choice["condition"]["values"] == [{"userEnteredValue": "Belum"}, {"userEnteredValue": "Sudah"}]
    assert choice["showCustomUi"] is True
    assert box["condition"] == {"type": "BOOLEAN"} and box["strict"] is True


def test_setup_again_replaces_only_what_sheets_sync_made(gb: tuple[GoogleBackend, FakeGoogle]) -> None:
    backend, fake = gb
    form_id, tab = set_up(gb, "Form I")
    tab.protected.append({"protectedRangeId": 99, "range": {"sheetId": tab.sheet_id}, "description": "punya kabid"})
    smaller = TabSetup("TW1", validations=(Validation("TW1!D2:D40", "number"),), marker={"form": "3"})
    backend.setup(form_id, smaller)
    tab = tw1(fake, form_id)
    assert [p["description"] for p in tab.protected] == ["punya kabid"]
    assert (1, 4) not in tab.validation and (1, 3) in tab.validation
    assert [m["metadataKey"] for m in tab.metadata].count("sheets-sync:marker") == 1
    assert backend.read_marker(form_id, "TW1") == {"form": "3"}
    assert backend.read(form_id, ["TW1!A2:C2"]) == {"TW1!A2:C2": [[1, "1.1", 72.5]]}


def test_sharing_never_sends_googles_notification_mail_and_keeps_exactly_the_editors(
    gb: tuple[GoogleBackend, FakeGoogle],
) -> None:
    backend, fake = gb
    ref = backend.create_form("Form S")
    backend.share(ref.id, ["kabid@x.go.id", "Operator@x.go.id"])
    backend.share(ref.id, ["kabid@x.go.id"])
    start = len(fake.log)
    backend.share(ref.id, ["kabid@x.go.id"])
    people = {p["emailAddress"]: p["role"] for p in fake.files[ref.id].permissions}
    assert people == {fake.identity: "organizer", "kabid@x.go.id": "writer"}
    assert fake.notifications == []
    creates = fake.calls("drive.permissions.create")
    assert creates and all(c.params["sendNotificationEmail"] == ["false"] for c in creates)
    assert [c.method_id for c in fake.log[start:]] == ["drive.permissions.list"], "idempotent"


def test_a_spreadsheet_made_by_a_person_is_adopted_by_its_link_and_polled(
    gb: tuple[GoogleBackend, FakeGoogle],
) -> None:
    backend, fake = gb
    sid = fake.add_spreadsheet("Form buatan Kabid", parents=["0AElsewhere"], tabs=("TW1",))
    link = f"https://docs.google.com/spreadsheets/d/{sid}/edit#gid=0"
    ref = backend.open_form(link)
    assert (ref.id, ref.title) == (sid, "Form buatan Kabid")
    since = fake.clock()
    fake.clock.advance(minutes=10)
    fake.human_edit(sid, "TW1!A1", "halo")
    assert sid in {c.form_id for c in backend.changed_since(since)}
    backend.share(sid, ["kabid@x.go.id"])
    assert "kabid@bkpsdm.sukamajukab.go.id" in {p["emailAddress"] for p in fake.files[sid].permissions}


def test_opening_a_trashed_a_foreign_or_a_garbled_reference_fails_clearly(
    gb: tuple[GoogleBackend, FakeGoogle],
) -> None:
    backend, fake = gb
    trashed = fake.add_spreadsheet("Lama", parents=[fake.forms_folder])
    fake.files[trashed].trashed = True
    with pytest.raises(FormNotFound, match="Trash"):
        backend.open_form(trashed)
    doc = fake.add_spreadsheet("Laporan.xlsx", parents=[fake.forms_folder])
    fake.files[doc].mime_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    with pytest.raises(FormUnreadable, match="bukan Google Sheets"):
        backend.open_form(doc)
    with pytest.raises(FormNotFound, match="bukan tautan"):
        backend.open_form("lihat grup WA")


def test_forms_are_copied_from_the_template_without_comments_or_permissions() -> None:
    fake = FakeGoogle()
    template = fake.add_spreadsheet("Template Data Kinerja", tabs=("Petunjuk",))
    fake.comments[template] = [{"content": "catatan lama"}]
    backend, _ = make_fake_backend(fake=fake, template_spreadsheet=template)
    ref = backend.create_form("Data Kinerja 2025 — SEK — BKPSDM")
    assert fake.count("drive.files.copy") == 1 and fake.count("drive.comments") == 0
    assert backend.list_tabs(ref.id) == ["Petunjuk"]
    assert fake.files[ref.id].parents == [fake.forms_folder]
    assert {p["emailAddress"] for p in fake.files[ref.id].permissions} == {fake.identity}


def test_the_fake_rejects_a_malformed_batch_update_with_googles_error(gb: tuple[GoogleBackend, FakeGoogle]) -> None:
    backend, _fake = gb
    ref = backend.create_form("Form X")
    session = backend.client.http_client.session
    bad = {"requests": [{"addSheet": {"properties": {"title": "X", "colour": "red"}}}]}
    got = session.post(f"https://sheets.googleapis.com/v4/spreadsheets/{ref.id}:batchUpdate", json=bad, timeout=5)
    assert got.status_code == 400
    error = got.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT" and 'Unknown name "colour"' in error["message"]
