"""Sending e-mail: the queue in the store, notifiers that deliver, and the delivery loop.

Flow
    1. A decision queues a message: :func:`queue_reminders`, :func:`queue_digest`, :func:`queue_notice`
       render the templates (:func:`sheets_sync.notify.compose.compose`) and call ``store.enqueue_message`` with a
       deterministic key.  The store refuses a key it has seen, so the enqueue *is* the decision record:
       re-planning after a restart never queues (and so never sends) the same reminder twice.
    2. :func:`deliver_due` drains ``store.due_messages(now)``: builds the MIME message, sends it, and
       marks it ``sent`` — or records the failure with an exponential back-off
       (``backoff · 2^attempts``, capped at ``max_backoff``) until ``max_attempts``, after which the
       message is ``failed`` and shows up in ``sheets-sync status``.  A non-retryable error (bad
       address, authentication refused, 5xx reply) fails the message at once.

Exactly once?  A sent message is never picked up again.  The one window left is a crash *between*
the SMTP server accepting a message and ``mark_sent``: it is re-sent once after the restart, with the
same ``Message-ID`` (derived from the key), which mail clients display once.  The outbox notifier has
no such window: its file name derives from the key, so a re-send overwrites the same file.

Notifiers (``[notify] kind``)
    * :class:`OutboxNotifier` (the embedded default) writes each message as an ``.eml`` file into a
      folder (atomic: temp file + ``os.replace``).  Open them with any mail client, or let another
      tool pick them up.
    * :class:`SMTPNotifier` speaks SMTP with ``security = "starttls" | "ssl" | "none"``, optional login
      (the password comes from the environment variable named by ``password_env``, never from the
      config file, never logged) and a socket timeout.
"""

from __future__ import annotations

import json
import logging
import os
import re
import smtplib
import ssl
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol

from sheets_sync import redact
from sheets_sync.config import NotifySettings, SMTPSettings
from sheets_sync.core.plan import Reminder
from sheets_sync.core.summary import Digest, digest_state
from sheets_sync.errors import NotifyError
from sheets_sync.model import Office
from sheets_sync.notify.compose import build_message, compose
from sheets_sync.store import AttachmentRow, Store

__all__ = [
    "DeliveryError",
    "DeliveryReport",
    "Notifier",
    "OutboxNotifier",
    "SMTPNotifier",
    "attach_files",
    "deliver_due",
    "make_notifier",
    "previous_digest",
    "queue_digest",
    "queue_notice",
    "queue_reminders",
]

log = logging.getLogger(__name__)

MAX_MISSING_LISTED = 25


class DeliveryError(NotifyError):
    """A send failed.  ``retryable`` says whether the same message may succeed later."""

    def __init__(self, message: str, *, retryable: bool, fix: str = "") -> None:
        super().__init__(message, fix=fix)
        self.retryable = retryable


class Notifier(Protocol):
    """Delivers one message or raises :class:`~sheets_sync.errors.NotifyError` (with ``retryable``)."""

    def send(self, msg: EmailMessage) -> None: ...


# -- outbox ----------------------------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")[:120] or "message"


class OutboxNotifier:
    """Writes ``<yyyymmdd-HHMMSS>_<key>.eml`` files into ``folder`` (created when missing).  The name is
    stable for a given message, so sending the same message again replaces its file."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def path_for(self, msg: EmailMessage) -> Path:
        key = str(msg.get("X-Sheets-Sync-Key") or msg.get("Message-ID") or "message")
        try:
            stamp = parsedate_to_datetime(str(msg["Date"])).strftime("%Y%m%d-%H%M%S")
        except (TypeError, ValueError):
            stamp = "00000000-000000"
        return self.folder / f"{stamp}_{_slug(key)}.eml"

    def send(self, msg: EmailMessage) -> None:
        target = self.path_for(msg)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".eml")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(msg.as_bytes())
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise DeliveryError(f"cannot write {target}: {exc}", retryable=True,
                                fix="check that the outbox folder exists and is writable") from exc


# -- SMTP ------------------------------------------------------------------------------------------------


class SMTPNotifier:
    """SMTP delivery.  ``password`` defaults to ``os.environ[settings.password_env]`` (read per send so a
    rotated secret is picked up); ``ssl_context`` defaults to the system trust store."""

    def __init__(self, settings: SMTPSettings, *, password: str | None = None,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self._password = password
        self._ssl = ssl_context

    def _secret(self) -> str:
        pw = self._password if self._password is not None else os.environ.get(self.settings.password_env, "")
        if self.settings.username and not pw:
            raise DeliveryError(
                f"SMTP user {self.settings.username} is set but ${self.settings.password_env} is empty",
                retryable=False, fix=f"export {self.settings.password_env}=… in the service environment",
            )
        redact.register_secret(pw)
        return pw

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        ctx = self._ssl or ssl.create_default_context()
        if s.security == "ssl":
            return smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=ctx)
        client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        if s.security == "starttls":
            client.starttls(context=ctx)
        return client

    def send(self, msg: EmailMessage) -> None:
        s = self.settings
        password = self._secret()
        where = f"SMTP {s.host}:{s.port}"
        try:
            with self._connect() as client:
                if s.username:
                    client.login(s.username, password)
                refused = client.send_message(msg)
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(f"{where} refused the login for {s.username} ({exc.smtp_code})", retryable=False,
                                fix=f"check [smtp] username and ${s.password_env}") from None
        except smtplib.SMTPRecipientsRefused as exc:
            codes = sorted({c for c, _ in exc.recipients.values()})
            raise DeliveryError(f"{where} refused every recipient ({codes})",
                                retryable=all(400 <= c < 500 for c in codes),
                                fix="check the addresses in the Bidang tab") from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(f"{where} replied {exc.smtp_code}: {exc.smtp_error!r}",
                                retryable=not 500 <= exc.smtp_code < 600) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(f"{where}: {exc}", retryable=False,
                                fix='set [smtp] security = "ssl" or "none" to match the server') from None
        except ssl.SSLError as exc:  # retryable: an expired/renewed certificate is fixed without us
            raise DeliveryError(f"{where}: TLS failed ({exc.reason})", retryable=True,
                                fix="check [smtp] security/port and the server certificate") from None
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"{where} unreachable: {exc}", retryable=True,
                                fix="the message stays queued and is retried") from None
        if refused:
            log.warning("SMTP refused some recipients of %s: %s", msg.get("X-Sheets-Sync-Key"), sorted(refused))


def make_notifier(settings: NotifySettings) -> Notifier:
    """The notifier named by ``[notify] kind``."""
    if settings.kind == "smtp":
        return SMTPNotifier(settings.smtp)
    return OutboxNotifier(settings.outbox)


# -- delivery --------------------------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    sent: list[str] = field(default_factory=list)  # dedupe keys
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # given up
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 all sent (or nothing to do), 1 something is retrying or failed."""
        return 1 if self.retrying or self.failed else 0


def deliver_due(
    store: Store, notifier: Notifier, now: datetime, *, sender: str, max_attempts: int = 8,
    backoff: timedelta = timedelta(minutes=2), max_backoff: timedelta = timedelta(hours=6), limit: int = 100,
) -> DeliveryReport:
    """Send every due queued message once (see the module docstring).  ``sender`` is
    ``NotifySettings.sender``; ``max_attempts`` usually ``SMTPSettings.max_attempts``."""
    report = DeliveryReport()
    for row in store.due_messages(now, limit=limit):
        try:
            msg = build_message(row, sender)
            attach_files(msg, store.attachments(row.dedupe_key))
            notifier.send(msg)
        except Exception as exc:
            retryable = bool(getattr(exc, "retryable", not isinstance(exc, NotifyError)))
            attempt = row.attempts + 1
            error = redact.redact(f"{type(exc).__name__}: {exc}")
            report.errors[row.dedupe_key] = error
            if retryable and attempt < max_attempts:
                retry_at = now + min(backoff * (2 ** (attempt - 1)), max_backoff)
                store.mark_failed(row.id, error, retry_at)
                report.retrying.append(row.dedupe_key)
                log.warning("message %s not sent (attempt %d/%d), retry at %s: %s",
                            row.dedupe_key, attempt, max_attempts, retry_at.isoformat(), error)
            else:
                store.mark_failed(row.id, error, None)
                report.failed.append(row.dedupe_key)
                log.error("message %s given up after %d attempt(s): %s", row.dedupe_key, attempt, error)
            continue
        store.mark_sent(row.id, now)
        report.sent.append(row.dedupe_key)
        log.info("message %s sent to %s", row.dedupe_key, ", ".join(row.to_addrs))
    return report


def attach_files(msg: EmailMessage, files: Sequence[AttachmentRow]) -> None:
    """Add each registered file to ``msg``; a file that is gone or whose SHA-256 is no longer the one
    registered fails the message for good (sending other bytes than the register's is never right)."""
    import hashlib
    import mimetypes

    for a in files:
        try:
            data = Path(a.path).read_bytes()
        except OSError as exc:
            raise DeliveryError(f"attachment {a.path} cannot be read: {exc}", retryable=False,
                                fix="render the document again; the new version is sent") from exc
        digest = hashlib.sha256(data).hexdigest()
        if digest != a.sha256:
            raise DeliveryError(f"attachment {a.path} changed after it was registered (SHA-256 {digest[:12]}… "
                                f"≠ {a.sha256[:12]}…)", retryable=False,
                                fix="render the document again instead of editing the registered file")
        mime = mimetypes.guess_type(a.filename)[0] or "application/octet-stream"
        main, _, sub = mime.partition("/")
        msg.add_attachment(data, maintype=main, subtype=sub, filename=a.filename)


# -- queueing --------------------------------------------------------------------------------------------

Composer = Callable[[str, Mapping[str, Any], "Path | str | None"], tuple[str, str, str]]


def queue_reminders(
    store: Store, reminders: Iterable[Reminder], now: datetime, *, office: Office,
    templates: Path | str | None = None, composer: Composer = compose,
) -> list[str]:
    """Render and queue each reminder under its key; returns the keys that were new.  A key queued
    before (by this or an earlier process) is skipped: that is what makes restarts safe."""
    queued = []
    for r in reminders:
        context = {"office": office, "r": r, "missing": list(r.missing[:MAX_MISSING_LISTED]),
                   "more": max(0, len(r.missing) - MAX_MISSING_LISTED)}
        subject, text, html = composer("reminder", context, templates)
        with store.transaction():
            new = store.enqueue_message(r.key, "reminder", r.to, subject, text, now, html=html, cc=r.cc,
                                        unit=r.unit, period=str(r.period))
            if new:
                store.add_event("reminder_queued", now, unit=r.unit, period=str(r.period),
                                detail={"key": r.key, "offset": r.offset, "state": r.state,
                                        "escalation": r.escalation, "to": list(r.to), "cc": list(r.cc)})
        if new:
            queued.append(r.key)
    return queued


def _digest_meta_key(period: str) -> str:
    return f"digest_state:{period}"


def previous_digest(store: Store, period: str) -> dict[str, dict[str, Any]] | None:
    """The statuses stored with the last digest of ``period`` (pass as ``build_digest(previous=…)``)."""
    text = store.get_meta(_digest_meta_key(period))
    return json.loads(text) if text else None


def queue_digest(
    store: Store, digest: Digest, to: Sequence[str], now: datetime, *, office: Office, key: str | None = None,
    templates: Path | str | None = None, composer: Composer = compose, remember: bool = True,
) -> bool:
    """Queue the digest e-mail (default key ``digest:<period>:<local date>``: one per day) and, in the
    same transaction, store its statuses for the next comparison.  Returns False when already queued
    or when there is no recipient."""
    period = str(digest.period)
    key = key or f"digest:{period}:{digest.generated_at.date().isoformat()}"
    subject, text, html = composer("digest", {"office": office, "digest": digest}, templates)
    with store.transaction():
        new = bool(to) and store.enqueue_message(key, "digest", to, subject, text, now, html=html, period=period)
        if remember and (new or not to):
            store.set_meta(_digest_meta_key(period), json.dumps(digest_state(digest), sort_keys=True))
    return new


def queue_notice(
    store: Store, kind: str, key: str, to: Sequence[str], context: Mapping[str, Any], now: datetime, *,
    cc: Sequence[str] = (), unit: str | None = None, period: str | None = None,
    templates: Path | str | None = None, composer: Composer = compose,
) -> bool:
    """Queue a one-off notice — ``link`` (key ``link:<period>:<unit>``), ``returned``
    (``returned:<period>:<unit>:<approval id>``), ``period_opened`` (``opened:<period>:<unit>``) — with
    ``context`` as listed at the top of its template.  Returns False when the key was queued before."""
    subject, text, html = composer(kind, context, templates)
    return store.enqueue_message(key, kind, to, subject, text, now, html=html, cc=cc, unit=unit, period=period)
