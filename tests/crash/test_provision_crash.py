"""Provisioning converges: killed anywhere while a period opens, the next cycle finishes the job and
each bidang's link e-mail goes out exactly once; a bidang whose form could not be prepared is retried
every cycle and is not reminded with a link to a form that does not exist."""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest

from crash.office import Office, at


def link_mails(office: Office) -> Counter[str]:
    return Counter(p.name.split("_link_", 1)[1] for p in (office.folder / "outbox").glob("*_link_*.eml"))


@pytest.mark.parametrize("kill", [
    "sheets_sync.service.control_io:write_unit_links:after",  # every form made, before the provision record
    "sheets_sync.service.provision:queue_notice:after:2",  # half-way: two bidang done, three not
])
def test_a_crash_while_the_period_opens_still_sends_each_link_exactly_once(office: Office, kill: str) -> None:
    crashed = office.cli("run", "--once", now=at(8, 9), kill=kill)
    assert crashed.killed, crashed
    again = office.cli("run", "--once", now=at(8, 9, 10))
    assert again.code in (0, 1), again
    once_more = office.cli("run", "--once", now=at(8, 9, 20))
    assert once_more.code in (0, 1), once_more
    assert link_mails(office) == Counter({f"2025-TW1_{u}.eml": 1 for u in ("SEK", "PKA", "PKAP", "PPIK", "MP")})
    conn = sqlite3.connect(office.store_path)
    try:
        assert conn.execute("SELECT COUNT(*) FROM forms").fetchone() == (5,)
    finally:
        conn.close()


def test_a_form_that_could_not_be_prepared_is_retried_each_cycle_and_never_reminded(office: Office) -> None:
    busy = "sheets_sync.backends.local:LocalBackend.setup:2"  # the form of PPIK stays locked for two cycles
    unready = "PPIK"
    env = {"SHEETS_SYNC_TEST_FAIL_MATCH": f"— {unready} "}
    first = office.cli("run", "--once", now=at(8, 9), fail=busy, env=env)
    assert first.code == 1, first
    assert sorted(link_mails(office)) == [f"2025-TW1_{u}.eml" for u in sorted(("SEK", "PKA", "PKAP", "MP"))]
    status = office.cli("status", "--period", "2025-TW1", now=at(8, 9, 5))
    assert "form_belum_siap" in status.out, status.out

    # H-1: reminders go out, the form still fails
    h1 = office.cli("run", "--once", now=at(9, 8, 30), fail=busy, env=env)
    assert h1.code == 1, h1
    reminders = [p.name for p in (office.folder / "outbox").glob("*_reminder_*.eml")]
    assert reminders and not [n for n in reminders if f"_{unready}_" in n]

    later = office.cli("run", "--once", now=at(9, 9, 30), fail=busy, env=env)  # the form is free: prepared now
    assert later.code in (0, 1), later
    assert link_mails(office)[f"2025-TW1_{unready}.eml"] == 1
    assert "form_belum_siap" not in office.cli("status", "--period", "2025-TW1", now=at(9, 9, 35)).out
