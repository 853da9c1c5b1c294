"""The delivery loop: back-off, giving up, never sending twice; queueing reminders and digests once."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

from sheets_sync.config import NotifySettings, SMTPSettings
from sheets_sync.core.plan import Reminder
from sheets_sync.core.summary import build_digest
from sheets_sync.errors import NotifyError
from sheets_sync.model import Office, Period, Unit, UnitStatus
from sheets_sync.notify import (
    DeliveryError,
    OutboxNotifier,
    SMTPNotifier,
    deliver_due,
    make_notifier,
    previous_digest,
    queue_digest,
    queue_notice,
    queue_reminders,
)
from sheets_sync.store import Store

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2025, 4, 9, 8, 0, tzinfo=WIB)
SENDER = "Subbag PPKP <ppkp@sukamaju.example>"


class FlakyNotifier:
    """Fails the first ``failures`` sends with a retryable error, then records what it sends."""

    def __init__(self, failures: int = 0, retryable: bool = True) -> None:
        self.failures = failures
        self.retryable = retryable
        self.sent: list[EmailMessage] = []
        self.calls = 0

    def send(self, msg: EmailMessage) -> None:
        self.calls += 1
        if self.failures > 0:
            self.failures -= 1
            raise DeliveryError("SMTP smtp.example:587 unreachable", retryable=self.retryable)
        self.sent.append(msg)


def queue_one(store: Store, key: str = "k1") -> None:
    store.enqueue_message(key, "reminder", ["operator.mp@sukamaju.example"], "Pengingat", "Isi", NOW)


def test_a_due_message_is_sent_once_and_never_again(store: Store) -> None:
    queue_one(store)
    n = FlakyNotifier()
    report = deliver_due(store, n, NOW, sender=SENDER)
    assert report.sent == ["k1"] and report.exit_code == 0
    assert deliver_due(store, n, NOW + timedelta(days=1), sender=SENDER).sent == []
    assert len(n.sent) == 1
    [m] = store.messages()
    assert (m.status, m.attempts, m.sent_at) == ("sent", 1, NOW)


def test_a_failed_send_stays_queued_with_exponential_backoff(store: Store) -> None:
    queue_one(store)
    n = FlakyNotifier(failures=3)
    t = NOW
    waits = []
    for _ in range(3):
        report = deliver_due(store, n, t, sender=SENDER, backoff=timedelta(minutes=2))
        assert report.retrying == ["k1"] and report.exit_code == 1
        [m] = store.messages()
        assert m.status == "queued" and "unreachable" in m.last_error
        waits.append(m.next_attempt_at - t)
        assert deliver_due(store, n, m.next_attempt_at - timedelta(seconds=1), sender=SENDER).sent == []
        t = m.next_attempt_at
    assert waits == [timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=8)]
    assert deliver_due(store, n, t, sender=SENDER).sent == ["k1"]
    assert len(n.sent) == 1 and n.calls == 4


def test_the_backoff_is_capped(store: Store) -> None:
    queue_one(store)
    n = FlakyNotifier(failures=10)
    t = NOW
    for _ in range(6):
        deliver_due(store, n, t, sender=SENDER, max_attempts=20, backoff=timedelta(hours=1),
                    max_backoff=timedelta(hours=6))
        t = store.messages()[0].next_attempt_at
    assert store.messages()[0].next_attempt_at - t <= timedelta(hours=6)
    assert t - NOW == timedelta(hours=1 + 2 + 4 + 6 + 6 + 6)


def test_after_max_attempts_the_message_is_failed_and_left_alone(store: Store) -> None:
    queue_one(store)
    n = FlakyNotifier(failures=99)
    t = NOW
    for _ in range(3):
        deliver_due(store, n, t, sender=SENDER, max_attempts=3)
        t += timedelta(days=1)
    [m] = store.messages()
    assert (m.status, m.attempts) == ("failed", 3)
    assert deliver_due(store, n, t + timedelta(days=30), sender=SENDER, max_attempts=3).failed == []
    assert n.calls == 3


def test_a_non_retryable_error_fails_at_once(store: Store) -> None:
    queue_one(store)
    report = deliver_due(store, FlakyNotifier(failures=1, retryable=False), NOW, sender=SENDER)
    assert report.failed == ["k1"] and store.messages()[0].status == "failed"


def test_a_bad_address_fails_that_message_but_not_the_others(store: Store) -> None:
    store.enqueue_message("bad", "reminder", ["not an address"], "S", "T", NOW)
    queue_one(store, "good")
    n = FlakyNotifier()
    report = deliver_due(store, n, NOW, sender=SENDER)
    assert report.failed == ["bad"] and report.sent == ["good"]
    assert "bukan satu alamat e-mail yang sah" in report.errors["bad"]


def test_an_unexpected_exception_is_retried(store: Store) -> None:
    class Broken:
        def send(self, msg: EmailMessage) -> None:
            raise OSError("disk full")

    queue_one(store)
    assert deliver_due(store, Broken(), NOW, sender=SENDER).retrying == ["k1"]


def test_reminders_are_queued_once_per_key_with_an_audit_event(store: Store, office: Office,
                                                                reminder: Reminder) -> None:
    assert queue_reminders(store, [reminder], NOW, office=office) == [reminder.key]
    assert queue_reminders(store, [reminder], NOW + timedelta(minutes=15), office=office) == []
    [m] = store.messages(kind="reminder")
    assert (m.dedupe_key, m.unit, m.period, m.to_addrs) == (reminder.key, "MP", "2025-TW1",
                                                             ["operator.mp@sukamaju.example"])
    assert m.subject.startswith("Pengingat H-1") and m.body_html.startswith("<!DOCTYPE html>")
    [ev] = store.events("reminder_queued")
    assert ev["detail"]["offset"] == "H-1" and ev["unit"] == "MP"


def test_the_digest_is_queued_once_a_day_and_remembers_its_statuses(store: Store, office: Office) -> None:
    p = Period(2025, 1)
    units = (Unit("MP", "Bidang Mutasi dan Promosi"),)
    sts = {"MP": UnitStatus("MP", p, "Sebagian", 3, 8)}
    assert previous_digest(store, "2025-TW1") is None
    d = build_digest(NOW, p, units, sts)
    assert queue_digest(store, d, ["kasubbag@sukamaju.example"], NOW, office=office)
    assert not queue_digest(store, d, ["kasubbag@sukamaju.example"], NOW, office=office)
    assert previous_digest(store, "2025-TW1") == {"MP": {"state": "Sebagian", "filled": 3, "required": 8}}
    [m] = store.messages(kind="digest")
    assert m.dedupe_key == "digest:2025-TW1:2025-04-09"
    assert "Rekap Pengumpulan Data Kinerja Triwulan I Tahun 2025 — 37,50% lengkap" in m.subject


def test_a_notice_is_queued_once(store: Store, office: Office) -> None:
    unit = Unit("MP", "Bidang Mutasi dan Promosi", "Yohanes", "mp@sukamaju.example")
    ctx = {"office": office, "unit": unit, "period": Period(2025, 1), "link": "https://docs.example/mp",
           "deadline": None, "kolom": "Realisasi, Keterangan, dan Bukti Dukung"}
    assert queue_notice(store, "link", "link:2025-TW1:MP", unit.editors, ctx, NOW, unit="MP", period="2025-TW1")
    assert not queue_notice(store, "link", "link:2025-TW1:MP", unit.editors, ctx, NOW)
    assert store.messages()[0].subject == "Formulir Data Kinerja Triwulan I Tahun 2025 — Bidang Mutasi dan Promosi"


def test_make_notifier_follows_the_settings(tmp_path: Path) -> None:
    assert isinstance(make_notifier(NotifySettings(outbox=tmp_path)), OutboxNotifier)
    assert isinstance(make_notifier(NotifySettings(kind="smtp")), SMTPNotifier)


def test_an_unwritable_outbox_is_a_retryable_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    msg = EmailMessage()
    msg["Subject"] = "x"
    try:
        OutboxNotifier(blocker / "outbox").send(msg)
    except NotifyError as exc:
        assert getattr(exc, "retryable", None) is True
    else:  # pragma: no cover
        raise AssertionError("expected a NotifyError")


def test_smtp_login_without_the_password_variable_is_not_retryable(monkeypatch: object) -> None:
    settings = SMTPSettings(host="127.0.0.1", port=1, username="u", password_env="SHEETS_SYNC_TEST_NO_SUCH_VAR")
    try:
        SMTPNotifier(settings).send(EmailMessage())
    except DeliveryError as exc:
        assert not exc.retryable and "SHEETS_SYNC_TEST_NO_SUCH_VAR" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected a DeliveryError")
