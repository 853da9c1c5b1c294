"""Attachments of queued messages: sent with the registered bytes, never with other bytes."""

from __future__ import annotations

import email
import hashlib
from datetime import datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

from sheets_sync.notify import deliver_due
from sheets_sync.store import MIGRATIONS, Store

NOW = datetime(2026, 1, 28, 13, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
SENDER = "Subbag PPKP <ppkp.bkpsdm@sukamaju.example>"


class Capture:
    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, msg: EmailMessage) -> None:
        self.sent.append(email.message_from_bytes(msg.as_bytes(), policy=policy.default))  # type: ignore[arg-type]


def _queue(store: Store, path: Path, sha: str) -> None:
    with store.transaction():
        assert store.enqueue_message("distribusi:1", "distribusi", ["inspektorat@sukamaju.example"], "LKjIP",
                                     "teks", NOW, html="<p>teks</p>")
        store.attach("distribusi:1", path.name, str(path), sha)
        store.attach("distribusi:1", path.name, str(path), sha)  # once per file name


def test_the_registered_file_is_attached_and_sent_once(tmp_path: Path) -> None:
    store = Store.open(":memory:")
    assert "message_attachments" in [name for name, _ in MIGRATIONS]
    path = tmp_path / "Laporan Kinerja Tahun 2025 v1.docx"
    path.write_bytes(b"PK\x03\x04 isi dokumen")
    _queue(store, path, hashlib.sha256(path.read_bytes()).hexdigest())
    notifier = Capture()
    assert deliver_due(store, notifier, NOW, sender=SENDER).sent == ["distribusi:1"]
    assert deliver_due(store, notifier, NOW, sender=SENDER).sent == []
    (msg,) = notifier.sent
    (part,) = list(msg.iter_attachments())
    assert part.get_filename() == path.name
    assert part.get_content_type() == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert part.get_content() == path.read_bytes()
    assert msg.get_body(("plain",)) is not None and msg.get_body(("html",)) is not None


def test_a_file_changed_after_registration_is_never_sent(tmp_path: Path) -> None:
    store = Store.open(":memory:")
    path = tmp_path / "Laporan.docx"
    path.write_bytes(b"asli")
    _queue(store, path, hashlib.sha256(b"asli").hexdigest())
    path.write_bytes(b"diubah di Word")
    notifier = Capture()
    report = deliver_due(store, notifier, NOW, sender=SENDER)
    assert report.failed == ["distribusi:1"] and notifier.sent == []
    assert "berubah setelah didaftarkan" in report.errors["distribusi:1"]
    assert store.messages(kind="distribusi")[0].status == "failed"
