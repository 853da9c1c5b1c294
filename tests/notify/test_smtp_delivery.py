"""SMTP delivery against a real local SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import logging
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from smtp_inbox import Inbox, free_port, start

from sheets_sync.config import SMTPSettings
from sheets_sync.core.plan import Reminder
from sheets_sync.model import Office
from sheets_sync.notify import DeliveryError, SMTPNotifier, deliver_due, queue_reminders
from sheets_sync.runtime.logs import reset_logging, setup_logging
from sheets_sync.store import Store

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2025, 4, 9, 8, 0, tzinfo=WIB)
SENDER = "Subbag Perencanaan BKPSDM <ppkp.bkpsdm@sukamaju.example>"
PASSWORD = "rahasia-Sukamaju-2025"


@pytest.fixture
def server() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    c = start(port, inbox)
    yield inbox, port
    c.stop()


def smtp(port: int, **kw: Any) -> SMTPNotifier:
    return SMTPNotifier(SMTPSettings(host="127.0.0.1", port=port, security="none", timeout=5, **kw))


def test_a_reminder_arrives_with_headers_both_parts_and_indonesian_text(
    server: tuple[Inbox, int], store: Store, office: Office, new_reminder: Any
) -> None:
    inbox, port = server
    r: Reminder = new_reminder(offset="H+1", cc=("mp@sukamaju.example",), workdays_late=1, escalation="kepala",
                               head="Dra. Siti Rahmawati, M.Si.", slot=datetime(2025, 4, 11, 8, tzinfo=WIB))
    queue_reminders(store, [r], NOW, office=office)
    report = deliver_due(store, smtp(port), NOW, sender=SENDER)
    assert sorted(report.sent) == [r.key, f"{r.key}:tembusan"]
    assert sorted(tuple(e.rcpt_tos) for e in inbox.envelopes) == [("mp@sukamaju.example",),
                                                                 ("operator.mp@sukamaju.example",)]
    assert {e.mail_from for e in inbox.envelopes} == {"ppkp.bkpsdm@sukamaju.example"}
    by_key = {m["X-Sheets-Sync-Key"]: m for m in inbox.messages()}
    subject = "Data Kinerja Triwulan I Tahun 2025 belum lengkap — Bidang Mutasi dan Promosi (terlambat 1 hari kerja)"
    msg, copy = by_key[r.key], by_key[f"{r.key}:tembusan"]
    # the bidang's operator is the main recipient: no "[Tembusan]"; the kepala's copy says it is one
    assert msg["Subject"] == subject and msg["To"] == "operator.mp@sukamaju.example" and msg["Cc"] is None
    assert copy["Subject"] == "[Tembusan] " + subject and copy["To"] == "mp@sukamaju.example"
    assert msg["From"] == SENDER
    assert msg["X-Sheets-Sync-Key"] == "reminder:2025-TW1:MP:H+1"
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert text.startswith("Yth. Bapak/Ibu Dra. Siti Rahmawati, M.Si.")
    assert "telah terlewati 1 hari kerja" in text and "Hormat kami," in text
    assert "<strong>10 April 2025 pukul 23.59 WIB</strong>" in html


def test_smtp_down_means_queued_retried_with_backoff_and_delivered_exactly_once(
    store: Store, office: Office, reminder: Reminder
) -> None:
    port = free_port()  # nothing listens here yet
    notifier = smtp(port)
    queue_reminders(store, [reminder], NOW, office=office)
    first = deliver_due(store, notifier, NOW, sender=SENDER, backoff=timedelta(minutes=2))
    assert first.retrying == [reminder.key]
    [m] = store.messages()
    assert m.status == "queued" and m.next_attempt_at == NOW + timedelta(minutes=2)
    second = deliver_due(store, notifier, m.next_attempt_at, sender=SENDER, backoff=timedelta(minutes=2))
    assert second.retrying == [reminder.key]
    retry_at = store.messages()[0].next_attempt_at
    assert retry_at == m.next_attempt_at + timedelta(minutes=4)

    inbox = Inbox()
    c = start(port, inbox)  # the server comes back
    try:
        assert deliver_due(store, notifier, retry_at - timedelta(seconds=1), sender=SENDER).sent == []
        assert deliver_due(store, notifier, retry_at, sender=SENDER).sent == [reminder.key]
        assert deliver_due(store, notifier, retry_at + timedelta(hours=1), sender=SENDER).sent == []
    finally:
        c.stop()
    assert len(inbox.envelopes) == 1
    [row] = store.messages()
    assert (row.status, row.attempts) == ("sent", 3)


def test_login_uses_the_password_from_the_environment_and_never_logs_it(
    store: Store, office: Office, reminder: Reminder, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seen: list[tuple[bytes, bytes]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        seen.append((data.login, data.password))
        return AuthResult(success=data.password == PASSWORD.encode(), handled=False)

    inbox, port = Inbox(), free_port()
    c = start(port, inbox, authenticator=authenticator, auth_require_tls=False)
    setup_logging("DEBUG")
    try:
        monkeypatch.setenv("SHEETS_SYNC_SMTP_PASSWORD", PASSWORD)
        queue_reminders(store, [reminder], NOW, office=office)
        assert deliver_due(store, smtp(port, username="ppkp"), NOW, sender=SENDER).sent == [reminder.key]
        assert seen == [(b"ppkp", PASSWORD.encode())]

        monkeypatch.setenv("SHEETS_SYNC_SMTP_PASSWORD", "salah")
        with pytest.raises(DeliveryError) as info:
            smtp(port, username="ppkp").send(EmailMessage())
        assert not info.value.retryable and "menolak login" in str(info.value)
        logging.getLogger("sheets_sync.test").warning("connecting with password=%s", PASSWORD)
    finally:
        c.stop()
        reset_logging()
    err = capsys.readouterr().err
    assert "password=[REDACTED]" in err
    assert PASSWORD not in err and PASSWORD not in store.messages()[0].last_error


def test_a_5xx_reply_is_not_retried(store: Store, office: Office, reminder: Reminder) -> None:
    class Refuse(Inbox):
        async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                              rcpt_options: Any) -> str:
            return "550 5.1.1 mailbox unavailable"

    port = free_port()
    c = start(port, Refuse())
    try:
        queue_reminders(store, [reminder], NOW, office=office)
        report = deliver_due(store, smtp(port), NOW, sender=SENDER)
    finally:
        c.stop()
    assert report.failed == [reminder.key] and "menolak setiap penerima" in report.errors[reminder.key]


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=30)
    return cert, key


def test_starttls_is_used_and_the_certificate_is_verified(
    tls_files: tuple[Path, Path], store: Store, office: Office, reminder: Reminder
) -> None:
    cert, key = tls_files
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)
    inbox, port = Inbox(), free_port()
    c = start(port, inbox, tls_context=server_ctx, require_starttls=True)
    try:
        settings = SMTPSettings(host="127.0.0.1", port=port, security="starttls", timeout=5)
        queue_reminders(store, [reminder], NOW, office=office)
        untrusted = deliver_due(store, SMTPNotifier(settings), NOW, sender=SENDER)
        assert untrusted.retrying == [reminder.key] and "TLS gagal" in untrusted.errors[reminder.key]
        store.enqueue_message("k2", "reminder", ["operator.mp@sukamaju.example"], "Uji TLS", "Isi", NOW)
        trusted = SMTPNotifier(settings, ssl_context=ssl.create_default_context(cafile=str(cert)))
        later = NOW + timedelta(hours=1)
        assert deliver_due(store, trusted, later, sender=SENDER).sent == [reminder.key, "k2"]
    finally:
        c.stop()
    assert [m["Subject"] for m in inbox.messages()][1:] == ["Uji TLS"]
