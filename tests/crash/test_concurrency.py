"""Commands run next to the service, each in its own process on the same SQLite file: nothing is
done twice, and a second service is refused."""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

from crash.office import TW1, Office, at, wait_for
from crash.smtp_server import Server


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


def test_summary_approve_and_a_second_run_next_to_run_do_nothing_twice(prepared: Office, smtp_server: Server) -> None:
    office = prepared
    office.use_smtp(smtp_server.port)
    office.decide([[str(TW1), code, "Disetujui", "", "2025-04-14"] for code in ("SEK", "PKA", "PKAP", "PPIK")]
                  + [[str(TW1), "MP", "Perlu perbaikan", "Lengkapi bukti dukung 2.2", "2025-04-14"]])
    db = office.store_path
    now = at(14, 10, 30)

    service = office.spawn("run", now=now)
    try:
        wait_for(lambda: bool(_rows(db, "SELECT 1 FROM job_runs WHERE job='poll' AND started_at>'2025-04-14'")),
                 timeout=20, what="the service's first poll")
        others = [office.spawn("run", now=now),
                  office.spawn("summary", "--period", str(TW1), "--send", now=now),
                  *[office.spawn("approve", "--period", str(TW1), now=now) for _ in range(3)]]
        results = [(p.args, *p.communicate(timeout=60), p.returncode) for p in others]
        second_run = results[0]
        assert second_run[3] == 3, second_run
        assert "sedang berjalan" in second_run[2] and f"PID {service.pid}" in second_run[2], second_run[2]
        for args, out, err, code in results[1:]:
            assert code in (0, 1), (args, out, err)

        def drained() -> bool:
            return not _rows(db, "SELECT 1 FROM messages WHERE status!='sent'") and bool(
                _rows(db, "SELECT 1 FROM job_runs WHERE job='deliver' AND finished_at IS NOT NULL"))

        wait_for(drained, timeout=30,
                 what=lambda: f"delivery: {_rows(db, 'SELECT dedupe_key, status, last_error FROM messages')}")
    finally:
        service.send_signal(signal.SIGTERM)
        out, err = service.communicate(timeout=30)
    assert service.returncode == 0, err

    sent = _rows(db, "SELECT dedupe_key, attempts FROM messages")
    assert smtp_server.duplicates() == {}
    assert sorted(smtp_server.by_key()) == sorted(k for k, _ in sent)
    assert any(k.startswith("digest:2025-TW1:manual") for k, _ in sent)
    assert [k for k, _ in sent if k.startswith("returned:")] == [k for k in smtp_server.by_key()
                                                                if k.startswith("returned:")]
    decisions = _rows(db, "SELECT unit, status FROM approvals WHERE unit='MP'")
    assert decisions == [("MP", "Perlu perbaikan")]
    assert len(_rows(db, "SELECT 1 FROM approvals")) == 5
