"""The store is precious: a lost store next to a running office is refused (naming the last backup),
``--new-store`` starts over on purpose, and ``backup`` while ``run`` polls gives a sound copy."""

from __future__ import annotations

import signal
import sqlite3

from crash.office import Office, at, wait_for


def test_a_deleted_store_is_refused_with_the_backup_name_in_either_language_and_new_store_starts_fresh(
        prepared: Office) -> None:
    office = prepared
    made = office.cli("backup", now=at(9, 12))
    assert made.code == 0 and "Cadangan basis data:" in made.out, made
    backup = made.out.split("Cadangan basis data:", 1)[1].strip()

    db = office.store_path
    for suffix in ("", "-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    refused = office.cli("run", "--once", now=at(9, 13))
    assert refused.code == 3, refused
    assert "hilang atau kosong" in refused.err and backup in refused.err and "--new-store" in refused.err
    assert "5 tautan form di tab Bidang" in refused.err
    english = office.cli("--lang", "en", "run", "--once", now=at(9, 13))
    assert english.code == 3 and "is missing or empty" in english.err
    assert "5 form link(s) in the Bidang tab" in english.err
    assert "hilang" not in english.err and "cadangan" not in english.err.lower() and backup in english.err, english
    assert not db.exists()  # nothing was created

    db.write_bytes(b"")  # a 0-byte file (disk full, a bad sync) is the same
    assert office.cli("poll", "--period", "2025-TW1", now=at(9, 13)).code == 3

    fresh = office.cli("run", "--once", "--new-store", now=at(9, 14))
    assert fresh.code in (0, 1), fresh
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT COUNT(*) FROM events WHERE kind='new_store'").fetchone() == (1,)
    finally:
        conn.close()
    assert office.cli("status", "--period", "2025-TW1", now=at(9, 15)).code in (0, 1)  # no longer refused


def test_backup_while_run_polls_passes_the_integrity_check(prepared: Office) -> None:
    office = prepared
    office.set("schedule", poll_minutes=1)
    service = office.spawn("run", now=at(10, 9))
    try:
        db = office.store_path

        def polling() -> bool:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                return conn.execute("SELECT COUNT(*) FROM job_runs WHERE job='poll' AND started_at>'2025-04-10'"
                                    " AND finished_at IS NULL").fetchone()[0] > 0
            finally:
                conn.close()

        wait_for(polling, timeout=30, what="the service in the middle of a poll")
        target = office.root / "salinan.sqlite3"
        made = office.cli("backup", str(target), now=at(10, 9))
        assert made.code == 0, made
    finally:
        service.send_signal(signal.SIGTERM)
        service.communicate(timeout=30)
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT COUNT(*) FROM forms").fetchone() == (5,)
    finally:
        conn.close()
