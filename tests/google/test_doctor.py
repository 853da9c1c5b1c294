"""``doctor`` reports configuration, credential, access, sharing and protection problems with a fix."""

from __future__ import annotations

import json
from pathlib import Path

from fakegoogle import FakeGoogle, make_fake_backend

from sheets_sync.backends.google.doctor import FormToCheck, doctor
from sheets_sync.core.values import Protection, TabSetup

KABID = "kabid.mutasi@bkpsdm.sukamajukab.go.id"


def _key(tmp_path: Path, email: str) -> Path:
    path = tmp_path / "sa.json"
    path.write_text(json.dumps({"type": "service_account", "client_email": email, "private_key": "(unused)"}))
    return path


def _provisioned(tmp_path: Path, fake: FakeGoogle | None = None):  # type: ignore[no-untyped-def]
    fake = fake or FakeGoogle()
    control = fake.add_spreadsheet("Kendali Data Kinerja — BKPSDM — 2025", parents=[])
    backend, fake = make_fake_backend(
        fake=fake, credentials_file=_key(tmp_path, fake.identity), control_spreadsheet=control
    )
    ref = backend.create_form("Data Kinerja 2025 — MUT — BKPSDM")
    backend.share(ref.id, [KABID])
    backend.setup(ref.id, TabSetup("TW1", protections=(Protection("TW1!F2:G40", "sheets-sync: target"),)))
    return backend, fake, FormToCheck("MUT", ref.id, (KABID,))


def test_a_healthy_setup_passes_every_check(tmp_path: Path) -> None:
    backend, _, form = _provisioned(tmp_path)
    results = doctor(backend.settings, backend=backend, forms=[form])
    assert [r.name for r in results if not r.ok] == []
    names = {r.name for r in results}
    assert {
        "credentials",
        "identity",
        "folder_id",
        "documents_folder_id",
        "control_spreadsheet",
        "sharing.MUT",
        "protection.MUT",
    } <= names


def test_extra_sharing_and_a_loosened_protection_are_reported_with_a_fix(tmp_path: Path) -> None:
    backend, fake, form = _provisioned(tmp_path)
    fake.files[form.form_id].permissions.append(FakeGoogle._perm("tetangga@gmail.com", "writer"))
    tab = fake.books[form.form_id].by_title("TW1")
    assert tab is not None
    tab.protected[0]["editors"]["users"].append("staf@bkpsdm.sukamajukab.go.id")
    bad = {r.name: r for r in doctor(backend.settings, backend=backend, forms=[form]) if not r.ok}
    assert "tetangga@gmail.com" in str(bad["sharing.MUT"].message) and str(bad["sharing.MUT"].fix)
    assert "staf@bkpsdm.sukamajukab.go.id" in str(bad["protection.MUT"].message)
    assert "provision" in str(bad["protection.MUT"].fix)


def test_a_service_account_folder_in_my_drive_is_an_error_explaining_the_shared_drive_fix(tmp_path: Path) -> None:
    fake = FakeGoogle()
    my_drive = fake.add_folder("Formulir", shared_drive=False)
    backend, _ = make_fake_backend(fake=fake, folder_id=my_drive, credentials_file=_key(tmp_path, fake.identity))
    (folder,) = [r for r in doctor(backend.settings, backend=backend) if r.name == "folder_id"]
    assert not folder.ok and "Shared drive" in str(folder.fix)


def test_an_oauth_setup_without_a_token_says_to_run_auth_login_without_calling_google(tmp_path: Path) -> None:
    backend, fake = make_fake_backend(
        mode="oauth", credentials_file=tmp_path / "client.json", token_file=tmp_path / "token.json"
    )
    results = doctor(backend.settings, backend=backend)
    (token,) = [r for r in results if r.name == "token"]
    assert not token.ok and "auth login" in str(token.fix)
    assert fake.log == []


def test_every_check_reads_in_indonesian_and_in_english_with_lang_en(tmp_path: Path) -> None:
    from sheets_sync.i18n import english
    from sheets_sync.i18n.catalog import indonesian_words, looks_english
    from sheets_sync.texts import as_text

    backend, fake, form = _provisioned(tmp_path)
    fake.files[form.form_id].permissions.append(FakeGoogle._perm("tetangga@gmail.com", "writer"))
    results = doctor(backend.settings, backend=backend, forms=[form])
    assert len(results) >= 7
    for r in results:
        for said in (r.message, r.fix):
            text = as_text(said)
            # what is data, not a sentence: the spreadsheet's title and the settings' keys and values
            indonesian = text.render().replace("Kendali Data Kinerja — BKPSDM — 2025", "")
            shown = text.render(english).replace("Kendali Data Kinerja — BKPSDM — 2025", "")
            assert not looks_english(indonesian) or r.name == "config", indonesian
            assert not indonesian_words(shown), shown
    sharing = next(r for r in results if r.name == "sharing.MUT")
    assert as_text(sharing.message).render(english) == "The MUT form is also shared with: tetangga@gmail.com."
