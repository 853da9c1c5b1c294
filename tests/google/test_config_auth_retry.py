"""Settings validation, identity modes / auth login, and the limiter + retry building blocks."""

from __future__ import annotations

import json
import random
import stat
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sheets_sync.backends.google.auth import PRODUCTION_WARNING, auth_login, load_credentials, token_expiry
from sheets_sync.backends.google.retry import (
    RateLimiter,
    RetriesExhausted,
    Retryable,
    RetryPolicy,
    call_with_retry,
)
from sheets_sync.config.google import GoogleSettings, google_settings_from_toml
from sheets_sync.core.clock import ManualClock
from sheets_sync.errors import AccessDenied, ConfigError
from sheets_sync.i18n import english

GOOD = {
    "mode": "service_account",
    "credentials_file": "/etc/sheets-sync/sa.json",
    "folder_id": "https://drive.google.com/drive/folders/0ABcdEfGhIjKlUk9PVA?usp=sharing",
    "control_spreadsheet": "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOp/edit#gid=0",
    "coordinator_email": "ppkp@bkpsdm.sukamajukab.go.id",
}


def test_a_valid_table_gives_settings_with_ids_extracted_and_defaults() -> None:
    s = google_settings_from_toml(GOOD, source="sheets-sync.toml")
    assert (s.folder_id, s.control_spreadsheet) == ("0ABcdEfGhIjKlUk9PVA", "1AbCdEfGhIjKlMnOp")
    assert (s.full_sweep_every, s.overlap_minutes, s.reads_per_minute, s.writes_per_minute) == (12, 5, 55, 55)
    assert (s.timeout_seconds, s.max_retries, s.documents_folder) == (30.0, 5, "0ABcdEfGhIjKlUk9PVA")
    assert s.token_file.name == "token.json" and "~" not in str(s.token_file)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("mode", "robot"),
        ("mode", None),
        ("credentials_file", 7),
        ("folder_id", "lihat WA"),
        ("coordinator_email", "ppkp"),
        ("reads_per_minute", 100),
        ("overlap_minutes", -1),
        ("timeout_seconds", "30"),
        ("max_retries", True),
        ("subject", "kepala@x.go.id"),
        ("control_spreadsheet", "bukan link"),
    ],
)
def test_every_bad_key_names_the_file_the_key_and_a_valid_example(key: str, value: Any) -> None:
    table = {**GOOD, key: value}
    if value is None:
        del table[key]
    with pytest.raises(ConfigError) as err:
        google_settings_from_toml(table, source="/etc/sheets-sync.toml")
    assert "/etc/sheets-sync.toml" in err.value.message and f"google.{key}" in err.value.message
    assert "contoh" in err.value.fix and key in err.value.fix


def test_an_unknown_key_lists_the_valid_ones() -> None:
    with pytest.raises(ConfigError) as err:
        google_settings_from_toml({**GOOD, "folder": "x"}, source="a.toml")
    assert "google.folder" in err.value.message and "folder_id" in err.value.fix


def test_delegation_requires_a_subject() -> None:
    with pytest.raises(ConfigError, match=r"google\.subject"):
        google_settings_from_toml({**GOOD, "mode": "delegation"}, source="a.toml")
    s = google_settings_from_toml({**GOOD, "mode": "delegation", "subject": "ppkp@x.go.id"}, source="a.toml")
    assert s.subject == "ppkp@x.go.id"


def _settings(tmp_path: Path, **kw: Any) -> GoogleSettings:
    base: dict[str, Any] = {
        "mode": "oauth",
        "credentials_file": tmp_path / "client.json",
        "folder_id": "0AFolder123",
        "token_file": tmp_path / "cfg" / "token.json",
        "source": "t.toml",
    }
    base.update(kw)
    return GoogleSettings(**base)


class _Creds:
    refresh_token = "1//refresh-secret"

    def to_json(self) -> str:
        return json.dumps(
            {
                "token": "ya29.secret",
                "refresh_token": self.refresh_token,
                "client_id": "c",
                "client_secret": "s",
                "expiry": "2025-04-07T02:00:00Z",
            }
        )


class _Flow:
    def __init__(self, secrets: Path, scopes: list[str]) -> None:
        self.scopes = scopes

    def run_local_server(self, port: int, open_browser: bool) -> _Creds:
        return _Creds()


def test_auth_login_stores_the_token_readable_only_by_its_owner_and_warns_about_testing_mode(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "client.json").write_text(json.dumps({"installed": {"client_id": "c", "client_secret": "s"}}))
    settings = _settings(tmp_path)
    result = auth_login(settings, flow_factory=_Flow, open_browser=False)
    mode = stat.S_IMODE(settings.token_file.stat().st_mode)
    assert mode == 0o600
    assert json.loads(settings.token_file.read_text())["refresh_token"] == "1//refresh-secret"
    assert PRODUCTION_WARNING in result.warnings and "7" in PRODUCTION_WARNING
    assert "secret" not in caplog.text and "ya29" not in caplog.text
    assert token_expiry(settings) is not None and token_expiry(settings).tzinfo is not None  # type: ignore[union-attr]
    creds = load_credentials(settings)
    assert creds.__class__.__name__ == "Credentials"


def test_auth_login_refuses_service_account_mode_and_wrong_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"google\.mode"):
        auth_login(_settings(tmp_path, mode="service_account"), flow_factory=_Flow)
    (tmp_path / "client.json").write_text(json.dumps({"type": "service_account"}))
    with pytest.raises(ConfigError, match="bukan OAuth client secrets") as refused:
        auth_login(_settings(tmp_path), flow_factory=_Flow)
    assert "is not OAuth client secrets" in refused.value.shown(english).message


def test_credentials_errors_name_the_key_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"google\.credentials_file.*tidak ada"):
        load_credentials(_settings(tmp_path, mode="service_account"))
    (tmp_path / "client.json").write_text(json.dumps({"installed": {}}))
    with pytest.raises(ConfigError, match="OAuth client secrets"):
        load_credentials(_settings(tmp_path, mode="service_account"))
    with pytest.raises(AccessDenied) as err:
        load_credentials(_settings(tmp_path))
    assert "auth login" in err.value.fix


def test_the_limiter_allows_at_most_n_calls_in_any_minute_across_threads() -> None:
    clock = ManualClock(datetime(2025, 4, 7, 8, 0, tzinfo=UTC))
    limiter = RateLimiter(55, now=clock.monotonic, sleep=clock.sleep)
    stamps: list[float] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(40):
            limiter.acquire()
            with lock:
                stamps.append(clock.monotonic())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stamps.sort()
    assert len(stamps) == 160
    assert max(sum(1 for s in stamps if a <= s < a + 60) for a in stamps) <= 55


def test_full_jitter_stays_within_the_exponential_cap_and_retries_are_bounded() -> None:
    policy = RetryPolicy(max_retries=3, base=1.0, cap=8.0, rng=random.Random(1))
    for n in range(6):
        for _ in range(50):
            assert 0.0 <= policy.delay(n) <= min(8.0, 2**n)
    attempts = []

    def always_busy() -> None:
        attempts.append(1)
        raise Retryable(RuntimeError("503"))

    with pytest.raises(RetriesExhausted) as err:
        call_with_retry(always_busy, policy)
    assert len(attempts) == 4 and err.value.attempts == 4


def test_the_app_gives_the_google_backend_the_injected_clock_and_sleep(tmp_path: Path) -> None:
    import dataclasses

    from sheets_sync.config import load
    from sheets_sync.service.app import make_backend
    from sheets_sync.service.office import init_office

    settings = load(init_office(tmp_path / "kantor", "bkpsdm"))
    google = GoogleSettings(mode="service_account", credentials_file=tmp_path / "sa.json", folder_id="0AfolderXYZ")
    settings = dataclasses.replace(settings, backend="google", google=google)
    slept: list[float] = []
    moment = datetime(2025, 4, 7, tzinfo=UTC)
    backend = make_backend(settings, lambda: moment, slept.append)
    from sheets_sync.backends.google.backend import GoogleBackend

    assert isinstance(backend, GoogleBackend)
    assert backend.transport.clock() == moment
    backend.transport.sleep(1.5)
    assert slept == [1.5]
