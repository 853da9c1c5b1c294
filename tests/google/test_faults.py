"""Failures: transient ones are retried with a bound, permanent ones become actionable sheets-sync errors."""

from __future__ import annotations

import logging

import pytest
from fakegoogle import FakeGoogle, make_fake_backend
from helpers import seed_forms

from sheets_sync.backends.google.backend import GoogleBackend
from sheets_sync.core.values import RangeWrite
from sheets_sync.errors import AccessDenied, BackendError, FormNotFound, TransientError

TITLE = "Data Kinerja 2025 — Bidang Mutasi — BKPSDM"


def _form(gb: tuple[GoogleBackend, FakeGoogle]) -> str:
    backend, _ = gb
    ref = backend.create_form(TITLE)
    backend.write(ref.id, [RangeWrite("TW1!A1", [["Kode", "Realisasi"], ["1.1", 80]])])
    return ref.id


def test_a_429_storm_is_retried_until_it_passes(gb: tuple[GoogleBackend, FakeGoogle]) -> None:
    backend, fake = gb
    fid = _form(gb)
    fake.fail("spreadsheets.get", 429, times=3)
    slept = fake.clock.slept
    assert backend.read(fid, ["TW1!A1:B2"])["TW1!A1:B2"] == [["Kode", "Realisasi"], ["1.1", 80]]
    assert backend.retries == 3
    assert 0 < fake.clock.slept - slept <= 1 + 2 + 4


def test_an_endless_429_storm_gives_up_after_a_full_quota_minute_with_a_quota_fix(
    gb: tuple[GoogleBackend, FakeGoogle],
) -> None:
    backend, fake = gb
    fid = _form(gb)
    fake.fail("spreadsheets.get", 429, times=1000)
    before = fake.count("sheets.spreadsheets.get")
    slept = fake.clock.slept
    with pytest.raises(TransientError) as err:
        backend.read(fid, ["TW1!A1:B2"])
    attempts = fake.count("sheets.spreadsheets.get") - before
    assert attempts > backend.settings.max_retries + 1, "a quota 429 is retried beyond max_retries"
    assert 60 <= fake.clock.slept - slept <= 65 + 32, "the retries span one full quota minute, then stop"
    assert "kuota" in err.value.message and "429" in err.value.message
    assert "reads_per_minute" in err.value.fix and "identitas yang sama" in err.value.fix


def test_retry_after_is_honoured_even_when_longer_than_the_backoff_cap(gb: tuple[GoogleBackend, FakeGoogle]) -> None:
    backend, fake = gb
    fid = _form(gb)
    fake.fail("spreadsheets.get", 429, times=1, retry_after=45)
    slept = fake.clock.slept
    assert backend.read(fid, ["TW1!A1"]) == {"TW1!A1": [["Kode"]]}
    assert fake.clock.slept - slept >= 45


def test_503s_on_a_write_are_retried_and_the_write_lands_once(gb: tuple[GoogleBackend, FakeGoogle]) -> None:
    backend, fake = gb
    fid = _form(gb)
    fake.fail("values.batchUpdate", 503, times=2)
    backend.write(fid, [RangeWrite("TW1!C1", [["Catatan"]])])
    assert backend.read(fid, ["TW1!A1:C1"])["TW1!A1:C1"] == [["Kode", "Realisasi", "Catatan"]]


def test_read_timeouts_are_retried_and_every_call_carries_a_timeout(gb: tuple[GoogleBackend, FakeGoogle]) -> None:
    backend, fake = gb
    fid = _form(gb)
    fake.fail("spreadsheets.get", timeout=True, times=2)
    assert backend.read(fid, ["TW1!A2:B2"]) == {"TW1!A2:B2": [["1.1", 80]]}
    assert [c.status for c in fake.calls("sheets.spreadsheets.get")] == [-1, -1, 200]
    assert {c.timeout for c in fake.log} == {30.0}


def test_drive_user_rate_limit_403_is_treated_as_transient(gb: tuple[GoogleBackend, FakeGoogle]) -> None:
    backend, fake = gb
    seed_forms(fake, 2)
    fake.fail("drive.files.list", 403, reason="userRateLimitExceeded", times=2)
    assert len(backend.changed_since(None)) == 2
    assert backend.retries == 2


def test_500_then_success_on_setup_batch_update_applies_it_once(gb: tuple[GoogleBackend, FakeGoogle]) -> None:
    from sheets_sync.core.values import Protection, TabSetup

    backend, fake = gb
    fid = _form(gb)
    fake.fail("spreadsheets.batchUpdate", 500, times=1)
    backend.setup(fid, TabSetup("TW2", protections=(Protection("TW2!A1:A3", "sheets-sync: target"),)))
    sheet = fake.books[fid].by_title("TW2")
    assert sheet is not None and len(sheet.protected) == 1


def test_a_missing_form_names_the_bidang_and_how_to_fix_it(gb: tuple[GoogleBackend, FakeGoogle]) -> None:
    backend, fake = gb
    fid = _form(gb)
    del fake.files[fid]
    with pytest.raises(FormNotFound) as err:
        backend.read(fid, ["TW1!A1:B2"])
    assert TITLE in err.value.message
    assert "tab Bidang" in err.value.fix and "Trash" in err.value.fix


def test_permission_denied_names_the_bidang_and_the_identity_to_share_with(
    gb: tuple[GoogleBackend, FakeGoogle],
) -> None:
    backend, fake = gb
    fid = _form(gb)
    backend.identity()
    fake.files[fid].access = "reader"
    with pytest.raises(AccessDenied) as err:
        backend.write(fid, [RangeWrite("TW1!B2", [[81]])])
    assert TITLE in err.value.message
    assert fake.identity in err.value.fix and "Editor" in err.value.fix


def test_a_missing_tab_in_a_read_is_form_not_found(gb: tuple[GoogleBackend, FakeGoogle]) -> None:
    backend, _ = gb
    fid = _form(gb)
    with pytest.raises(FormNotFound) as err:
        backend.read(fid, ["TW4!A1:B2"])
    assert "TW4" in err.value.message


def test_a_plain_service_account_in_my_drive_gets_the_three_fixes() -> None:
    fake = FakeGoogle()
    my_drive = fake.add_folder("Formulir (My Drive)", shared_drive=False)
    backend, _ = make_fake_backend(fake=fake, folder_id=my_drive)
    with pytest.raises(AccessDenied) as err:
        backend.create_form(TITLE)
    text = str(err.value)
    assert "storageQuotaExceeded" in text
    assert "Shared drive" in text and 'mode = "oauth"' in text and 'mode = "delegation"' in text
    assert fake.count("drive.files.create") == 1, "not retried: it is permanent"


def test_an_expired_access_token_is_refreshed_once_and_the_call_succeeds(
    gb: tuple[GoogleBackend, FakeGoogle],
) -> None:
    backend, fake = gb
    fid = _form(gb)
    tokens = fake.token_requests
    fake.expire_tokens()
    assert backend.read(fid, ["TW1!A1"]) == {"TW1!A1": [["Kode"]]}
    assert fake.token_requests == tokens + 1
    assert [c.status for c in fake.calls("sheets.spreadsheets.get")][-2:] == [401, 200]


def test_a_revoked_grant_says_to_log_in_again_and_publish_the_consent_screen(
    gb: tuple[GoogleBackend, FakeGoogle],
) -> None:
    backend, fake = gb
    fid = _form(gb)
    fake.revoked = True
    fake.expire_tokens()
    with pytest.raises(AccessDenied) as err:
        backend.read(fid, ["TW1!A1"])
    assert "invalid_grant" in err.value.message
    assert "auth login" in err.value.fix and "In production" in err.value.fix


def test_a_crash_between_creating_and_recording_a_form_leaves_exactly_one_form() -> None:
    backend, fake = make_fake_backend()
    first = backend.create_form(TITLE)  # ...and the process dies before the store records it
    restarted, _ = make_fake_backend(fake=fake)
    again = restarted.find_form(TITLE) or restarted.create_form(TITLE)
    also = restarted.create_form(TITLE)
    assert first.id == again.id == also.id
    assert [f.name for f in fake.files.values()].count(TITLE) == 1


def test_a_create_whose_response_was_lost_is_not_repeated(gb: tuple[GoogleBackend, FakeGoogle]) -> None:
    backend, fake = gb
    fake.fail("drive.files.create", timeout=True, after=True)
    ref = backend.create_form(TITLE)
    assert [f.id for f in fake.files.values() if f.name == TITLE] == [ref.id]
    assert fake.count("drive.files.create") == 1


def test_no_token_appears_in_logs_or_error_messages(
    gb: tuple[GoogleBackend, FakeGoogle], caplog: pytest.LogCaptureFixture
) -> None:
    backend, fake = gb
    caplog.set_level(logging.DEBUG)
    fid = _form(gb)
    fake.fail("spreadsheets.get", 503, times=1000)
    with pytest.raises(BackendError) as err:
        backend.read(fid, ["TW1!A1"])
    assert "ya29" not in caplog.text and "Bearer" not in caplog.text
    assert "ya29" not in str(err.value)
    assert "retry" in caplog.text


def test_a_google_failure_is_indonesian_for_the_sheets_and_english_under_lang_en() -> None:
    from sheets_sync.backends.google.errors import HttpFailure, to_error
    from sheets_sync.i18n import english
    from sheets_sync.texts import Text

    err = to_error(HttpFailure(404, "NOT_FOUND", "notFound", "File not found"),
                   what=Text("membaca '{title}'", title="Data Kinerja 2025 — MP"), title="Data Kinerja 2025 — MP",
                   form_id="abc")
    assert isinstance(err, FormNotFound)
    assert err.message == ("Gagal membaca 'Data Kinerja 2025 — MP': formulir 'Data Kinerja 2025 — MP' (id abc) "
                           "tidak ditemukan di Google (404).")
    shown = err.shown(english)
    assert shown.message == ("Could not read 'Data Kinerja 2025 — MP': the form 'Data Kinerja 2025 — MP' (id abc) "
                             "was not found at Google (404).")
    assert shown.fix.startswith("Check the form's link in the Bidang tab.")
