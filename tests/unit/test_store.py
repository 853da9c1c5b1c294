"""State store on real SQLite: migrations, append-only snapshots, the message queue, documents and
letter numbers, atomic transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.errors import StoreError
from sheets_sync.store import MIGRATIONS, Store

WIB = ZoneInfo("Asia/Jakarta")
T0 = datetime(2025, 4, 9, 8, 0, tzinfo=WIB)
PAYLOAD = {"unit": "MP", "period": "2025-TW1", "done": False,
           "rows": {"2.1": {"row": 6, "realisasi": 81.5, "keterangan": None}}}


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    url = ":memory:" if request.param == "memory" else f"sqlite:///{tmp_path / 'data' / 'state.sqlite3'}"
    s = Store.open(url)
    yield s
    s.close()


def letter(seq: int) -> str:
    return f"000.8.3.3/{seq}/BKPSDM/2025"


# -- migrations -------------------------------------------------------------------------------------

def test_a_new_store_records_every_migration_once(store: Store) -> None:
    rows = store.conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert [(r[0], r[1]) for r in rows] == [(i, name) for i, (name, _) in enumerate(MIGRATIONS, start=1)]
    assert store.schema_version() == len(MIGRATIONS)


def test_reopening_a_store_applies_nothing_again_and_keeps_the_data(tmp_path: Path) -> None:
    url = tmp_path / "state.sqlite3"
    first = Store.open(url)
    first.set_meta("owner", "PPKP")
    first.close()
    again = Store.open(url)
    try:
        assert again.migrate() == []
        assert again.conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0] == len(MIGRATIONS)
        assert again.get_meta("owner") == "PPKP"
    finally:
        again.close()


def test_a_store_written_by_a_newer_version_is_refused(tmp_path: Path) -> None:
    url = tmp_path / "state.sqlite3"
    s = Store.open(url)
    s.conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (len(MIGRATIONS) + 1, "future"))
    s.close()
    with pytest.raises(StoreError) as info:
        Store.open(url)
    assert "lebih baru" in str(info.value)  # Indonesian by default


def test_a_postgres_url_is_refused_with_a_clear_error() -> None:
    with pytest.raises(StoreError):
        Store.open("postgresql://localhost/sheets")


# -- snapshots --------------------------------------------------------------------------------------

def test_an_identical_reread_only_moves_last_read_at(store: Store) -> None:
    first, new1 = store.save_snapshot("MP", "2025-TW1", "f1", PAYLOAD, T0)
    later = T0 + timedelta(minutes=15)
    again, new2 = store.save_snapshot("MP", "2025-TW1", "f1", dict(reversed(list(PAYLOAD.items()))), later)
    assert (new1, new2) == (True, False)
    assert again.id == first.id
    assert again.first_read_at == T0
    assert again.last_read_at == later
    assert len(store.snapshots("MP", "2025-TW1")) == 1


def test_a_changed_read_is_appended_and_the_old_one_is_kept(store: Store) -> None:
    store.save_snapshot("MP", "2025-TW1", "f1", PAYLOAD, T0)
    cleared = {**PAYLOAD, "rows": {"2.1": {"row": 6, "realisasi": None, "keterangan": None}}}
    row, is_new = store.save_snapshot("MP", "2025-TW1", "f1", cleared, T0 + timedelta(hours=1))
    assert is_new
    history = store.snapshots("MP", "2025-TW1")
    assert [s.payload for s in history] == [PAYLOAD, cleared]
    assert store.latest_snapshot("MP", "2025-TW1") == row


def test_going_back_to_an_earlier_content_is_still_recorded_as_a_change(store: Store) -> None:
    other = {**PAYLOAD, "done": True}
    for i, p in enumerate((PAYLOAD, other, PAYLOAD)):
        store.save_snapshot("MP", "2025-TW1", "f1", p, T0 + timedelta(minutes=i))
    assert [s.payload["done"] for s in store.snapshots("MP", "2025-TW1")] == [False, True, False]


def test_snapshots_of_different_bidang_and_periods_do_not_deduplicate_each_other(store: Store) -> None:
    store.save_snapshot("MP", "2025-TW1", "f1", PAYLOAD, T0)
    _, new_unit = store.save_snapshot("SEK", "2025-TW1", "f2", PAYLOAD, T0)
    _, new_period = store.save_snapshot("MP", "2025-TW2", "f1", PAYLOAD, T0)
    assert new_unit and new_period
    assert store.latest_snapshot("PKA", "2025-TW1") is None


# -- message queue ----------------------------------------------------------------------------------

def test_the_same_dedupe_key_queues_one_message(store: Store) -> None:
    assert store.enqueue_message("reminder:MP:2025-TW1:H-1", "reminder", ["mp@x.example"], "Pengingat", "isi", T0)
    assert not store.enqueue_message("reminder:MP:2025-TW1:H-1", "reminder", ["mp@x.example"], "Lain", "lain",
                                     T0 + timedelta(hours=1))
    msgs = store.messages()
    assert len(msgs) == 1
    assert msgs[0].subject == "Pengingat"
    assert msgs[0].status == "queued"


def test_a_failed_send_with_a_retry_stays_queued_until_the_retry_time(store: Store) -> None:
    store.enqueue_message("k", "reminder", ["mp@x.example"], "S", "T", T0)
    (msg,) = store.due_messages(T0)
    retry = T0 + timedelta(minutes=30)
    store.mark_failed(msg.id, "SMTP 451 coba lagi", retry)
    (after,) = store.messages()
    assert after.status == "queued"
    assert after.attempts == 1
    assert "451" in after.last_error
    assert store.due_messages(T0 + timedelta(minutes=29)) == []
    assert [m.id for m in store.due_messages(retry)] == [msg.id]


def test_a_failed_send_without_retry_gives_up(store: Store) -> None:
    store.enqueue_message("k", "reminder", ["mp@x.example"], "S", "T", T0)
    (msg,) = store.due_messages(T0)
    store.mark_failed(msg.id, "550 mailbox unknown", None)
    (after,) = store.messages()
    assert after.status == "failed"
    assert store.due_messages(T0 + timedelta(days=365)) == []


def test_a_sent_message_is_no_longer_due(store: Store) -> None:
    store.enqueue_message("k", "reminder", ["mp@x.example"], "S", "T", T0)
    (msg,) = store.due_messages(T0)
    store.mark_sent(msg.id, T0 + timedelta(seconds=5))
    assert store.due_messages(T0 + timedelta(days=1)) == []
    assert store.messages()[0].sent_at == T0 + timedelta(seconds=5)


# -- documents and letter numbers -------------------------------------------------------------------

def test_recording_the_same_document_twice_keeps_one_row(store: Store) -> None:
    a = store.record_document("2025-TW1", "pengukuran", False, "/d/a.docx", "h1", "snap:1,2", T0)
    b = store.record_document("2025-TW1", "pengukuran", False, "/d/b.docx", "h2", "snap:1,2", T0 + timedelta(1))
    assert b == a
    assert len(store.documents("2025-TW1")) == 1


def test_a_document_from_new_data_gets_the_next_version(store: Store) -> None:
    v1 = store.record_document("2025-TW1", "pengukuran", False, "/d/v1.docx", "h1", "snap:1,2", T0)
    v2 = store.record_document("2025-TW1", "pengukuran", False, "/d/v2.docx", "h2", "snap:1,3", T0)
    v3 = store.record_document("2025-TW1", "pengukuran", False, "/d/v3.docx", "h3", "snap:4,3", T0)
    assert [v1.version, v2.version, v3.version] == [1, 2, 3]
    other_kind = store.record_document("2025-TW1", "surat_pengantar", False, "/d/s.docx", "h", "snap:4,3", T0)
    assert other_kind.version == 1


def test_the_same_key_always_gets_the_same_letter_number(store: Store) -> None:
    first = store.letter_number(2025, "surat_pengantar:2025-TW1:v1", "pengantar", letter, T0)
    again = store.letter_number(2025, "surat_pengantar:2025-TW1:v1", "pengantar", letter, T0 + timedelta(1))
    assert first == again == letter(1)


def test_letter_numbers_are_never_reused_across_keys(store: Store) -> None:
    keys = ["pengantar:TW1:v1", "pengantar:TW1:v2", "pengantar:TW1:v1", "pengantar:TW2:v1"]
    numbers = [store.letter_number(2025, k, "pengantar", letter, T0) for k in keys]
    assert numbers[0] == numbers[2]
    assert len({numbers[0], numbers[1], numbers[3]}) == 3
    assert numbers[1] == letter(2) and numbers[3] == letter(3)


def test_letter_numbers_survive_reopening_the_store(tmp_path: Path) -> None:
    url = tmp_path / "state.sqlite3"
    s = Store.open(url)
    n1 = s.letter_number(2025, "a", "pengantar", letter, T0)
    s.close()
    s = Store.open(url)
    try:
        assert s.letter_number(2025, "a", "pengantar", letter, T0) == n1
        assert s.letter_number(2025, "b", "pengantar", letter, T0) != n1
    finally:
        s.close()


# -- transactions and time --------------------------------------------------------------------------

def test_an_exception_inside_a_transaction_leaves_nothing_behind(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.enqueue_message("k", "reminder", ["mp@x.example"], "S", "T", T0)
        store.save_snapshot("MP", "2025-TW1", "f1", PAYLOAD, T0)
        store.letter_number(2025, "a", "pengantar", letter, T0)
        raise RuntimeError("crash between decision and effect")
    assert store.messages() == []
    assert store.snapshots("MP", "2025-TW1") == []
    assert store.letter_number(2025, "b", "pengantar", letter, T0) == letter(1)


def test_a_failure_in_a_nested_block_rolls_back_the_outer_one_too(store: Store) -> None:
    with pytest.raises(ValueError), store.transaction():
        store.set_meta("outer", "1")
        with store.transaction():
            store.set_meta("inner", "1")
            raise ValueError("inner")
    assert store.get_meta("outer") is None
    assert store.get_meta("inner") is None
    store.set_meta("after", "ok")  # the connection is usable again
    assert store.get_meta("after") == "ok"


def test_a_completed_transaction_is_committed(tmp_path: Path) -> None:
    url = tmp_path / "state.sqlite3"
    s = Store.open(url)
    with s.transaction():
        s.set_meta("a", "1")
    s.close()
    other = sqlite3.connect(url)
    try:
        assert other.execute("SELECT value FROM meta WHERE key='a'").fetchone() == ("1",)
    finally:
        other.close()


def test_naive_datetimes_are_refused(store: Store) -> None:
    naive = datetime(2025, 4, 9, 8, 0)
    with pytest.raises(StoreError):
        store.save_snapshot("MP", "2025-TW1", "f1", PAYLOAD, naive)
    with pytest.raises(StoreError):
        store.enqueue_message("k", "reminder", ["x@y.example"], "S", "T", naive)
    with pytest.raises(StoreError):
        store.due_messages(naive)
    assert store.snapshots("MP", "2025-TW1") == []
    assert store.messages() == []


def test_aware_datetimes_come_back_as_the_same_instant(store: Store) -> None:
    store.set_poll_state("MP", "2025-TW1", {"state": "Lengkap", "filled": 3, "required": 3,
                                            "completed_at": T0, "findings": []}, T0.astimezone(UTC))
    state = store.poll_state("MP", "2025-TW1")
    assert state is not None
    assert state.completed_at == T0
    assert state.updated_at == T0
    assert state.state == "Lengkap"


def test_the_imports_migration_moves_the_import_records_out_of_meta(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A store written before the ``imports`` table kept each period's record as JSON in ``meta``: the
    migration gives each bidang of an import its row, a *tidak tersedia* declaration one row, and leaves
    no ``import:`` key behind; it is recorded like every migration."""
    import json

    import sheets_sync.store.migrations as migrations

    names = [name for name, _ in MIGRATIONS]
    url = tmp_path / "state.sqlite3"
    monkeypatch.setattr(migrations, "MIGRATIONS", MIGRATIONS[: names.index("imports_table")])
    old = Store.open(url)
    old.set_meta("import:2025-TW1", json.dumps({
        "period": "2025-TW1", "kind": "impor", "file": "capaian-tw1.xlsx", "sha256": "ab" * 32,
        "at": "2025-09-30T10:00:00+07:00", "units": ["MP", "SEK"]}))
    old.set_meta("import:2025-TW2", json.dumps({
        "period": "2025-TW2", "kind": "tidak_tersedia", "file": "", "sha256": "",
        "at": "2025-09-30T10:05:00+07:00", "reason": "arsip hilang"}))
    old.set_meta("rekap_rows", "12")
    old.close()
    monkeypatch.undo()

    s = Store.open(url)
    try:
        assert [(r.bidang, r.file, r.mode) for r in s.imports("2025-TW1")] == [
            ("MP", "capaian-tw1.xlsx", "impor"), ("SEK", "capaian-tw1.xlsx", "impor")]
        assert s.imports("2025-TW1")[0].sha256 == "ab" * 32
        assert s.imports("2025-TW1")[0].imported_at == datetime(2025, 9, 30, 10, 0, tzinfo=WIB)
        (declared,) = s.imports("2025-TW2")
        assert (declared.bidang, declared.mode, declared.reason) == ("", "tidak_tersedia", "arsip hilang")
        assert s.metas("import:") == {} and s.get_meta("rekap_rows") == "12"
        assert s.conn.execute("SELECT name FROM schema_migrations WHERE name='imports_table'").fetchone()
    finally:
        s.close()
