"""The fake answers the requests of real Google traffic (gspread's cassettes) with the same status
and the same JSON structure (keys and value types; ids and values may differ)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fakegoogle import EPOCH, FakeGoogle

from sheets_sync.core.clock import ManualClock

# gspread's test cassettes (MIT, see LICENSE-gspread.txt there), copied from ../shared/google-recordings
# so the test never depends on a folder outside the repository.
RECORDINGS = Path(__file__).resolve().parents[1] / "fakegoogle" / "recordings"
CASSETTES = sorted(RECORDINGS.glob("*.json"))


def test_the_recordings_are_shipped_with_the_tests() -> None:
    assert len(CASSETTES) == 19
ID_KEYS = {"id", "spreadsheetId", "sheetId", "protectedRangeId", "metadataId"}


def shape(value: Any) -> Any:
    """Keys and JSON types, not values; list elements collapse into the set of their shapes."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        shapes = {json.dumps(shape(v), sort_keys=True) for v in value}
        return ["list", sorted(shapes)]
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def learn_ids(recorded: Any, fake: Any, mapping: dict[str, str]) -> None:
    if isinstance(recorded, dict) and isinstance(fake, dict):
        for k, v in recorded.items():
            if k in ID_KEYS and k in fake and str(v) != str(fake[k]):
                mapping[str(v)] = str(fake[k])
            elif k in fake:
                learn_ids(v, fake[k], mapping)
    elif isinstance(recorded, list) and isinstance(fake, list):
        for a, b in zip(recorded, fake, strict=False):
            learn_ids(a, b, mapping)


def swap_ids(value: Any, mapping: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {
            k: (
                int(mapping[str(v)])
                if k in ID_KEYS - {"id", "spreadsheetId"} and str(v) in mapping
                else swap_ids(v, mapping)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [swap_ids(v, mapping) for v in value]
    return value


def body_json(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


@pytest.mark.skipif(not CASSETTES, reason="recordings not available")
@pytest.mark.parametrize("cassette", CASSETTES, ids=lambda p: p.stem)
def test_the_fake_answers_recorded_google_requests_with_the_recorded_status_and_json_shape(cassette: Path) -> None:
    fake = FakeGoogle(
        ManualClock(EPOCH), identity="telegram-budgeter@telegram-budgeter.iam.gserviceaccount.com", identity_kind="user"
    )
    gc = fake.client()
    session = gc.http_client.session
    mapping: dict[str, str] = {}
    compared = 0
    for interaction in json.loads(cassette.read_text())["interactions"]:
        req, resp = interaction["request"], interaction["response"]
        uri = req["uri"]
        for old in sorted(mapping, key=len, reverse=True):
            if len(old) > 12:
                uri = uri.replace(old, mapping[old])
        expected_status = resp["status"]["code"]
        if expected_status == 403 and "/spreadsheets/" in uri:
            sid = uri.split("/spreadsheets/")[1].split("?")[0].split("/")[0]
            if sid not in fake.files:
                fake.add_spreadsheet("private", access="none")
                fake.files[sid] = fake.files.popitem()[1]
                fake.books[sid] = fake.books.popitem()[1]
        body = swap_ids(body_json(req.get("body")), mapping)
        got = session.request(req["method"], uri, json=body if body is not None else None, timeout=5)
        assert got.status_code == expected_status, f"{req['method']} {uri}: {got.text[:300]}"
        recorded = body_json(resp["body"]["string"])
        if not isinstance(recorded, dict):
            continue
        mine = got.json()
        learn_ids(recorded, mine, mapping)
        assert shape(mine) == shape(recorded), (
            f"{req['method']} {uri}\n{json.dumps(recorded)[:1500]}\n{json.dumps(mine)[:1500]}"
        )
        compared += 1
    assert compared > 0
