"""Sending e-mail: the queue in the store, notifiers that deliver, and the delivery loop.

Flow
    1. A decision queues a message: :func:`queue_reminders`, :func:`queue_digest`, :func:`queue_notice`
       render the templates (:func:`sheets_sync.notify.compose.compose`) and call ``store.enqueue_message`` with a
       deterministic key.  The store refuses a key it has seen, so the enqueue *is* the decision record:
       re-planning after a restart never queues (and so never sends) the same reminder twice.
    2. :func:`deliver_due` drains ``store.due_messages(now)``: claims each message (``sending`` with a
       lease, so a second process never sends it too), builds the MIME message, sends it over one
       connection per batch, and marks it ``sent`` — or records the failure with an exponential
       back-off (``backoff · 2^attempts``, capped at ``max_backoff``) until ``max_attempts``, after
       which the message is ``failed`` and shows up in ``sheets-sync status``.

Failures by kind (:attr:`DeliveryError.scope`)
    * ``message`` — this message cannot go (a recipient refused with 5xx, no valid address): only it
      fails (or retries, for 4xx); the batch goes on.
    * ``server`` — the login was refused, the password variable is empty, TLS could not be set up:
      no message is to blame, so the batch stops at once, **every message stays queued with its
      attempts untouched**, and the problem is kept in the store (:func:`server_problem`) with its own
      back-off: until then delivery does not even connect (no login storm that locks the account).
      ``status``, the digest and ``doctor`` show it; ``sheets-sync outbox retry`` (after fixing the
      password) clears it and sends.
    * ``connection`` — the server is unreachable or dropped the line: the message in hand is retried
      later (attempt counted), the rest of the batch waits for the next cycle.
    A batch also stops when its time budget (``[smtp] batch_seconds``) is spent or the service was
    asked to stop: the stop request is checked before every SMTP command, so SIGTERM ends delivery
    within one SMTP reply.

Exactly once?  A sent message is never picked up again, and a claimed one is skipped by every other
process.  The one window left is a crash *between* the SMTP server accepting a message and
``mark_sent``: the claim goes stale (its process is gone, or its lease ran out) and the message is
re-sent once, with the same ``Message-ID`` (derived from the key), which mail clients display once.
The outbox notifier has no such window: its file name derives from the key, so a re-send overwrites
the same file.

Notifiers (``[notify] kind``)
    * :class:`OutboxNotifier` (the embedded default) writes each message as an ``.eml`` file into a
      folder (atomic: temp file + ``os.replace``).  Open them with any mail client, or let another
      tool pick them up.
    * :class:`SMTPNotifier` speaks SMTP with ``security = "starttls" | "ssl" | "none"``, optional login
      (the password comes from the environment variable named by ``password_env``, never from the
      config file, never logged) and a socket timeout.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import smtplib
import ssl
import tempfile
import time as _time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol

from sheets_sync import redact
from sheets_sync.config import NotifySettings, SMTPSettings
from sheets_sync.core.plan import Reminder
from sheets_sync.core.summary import Digest, digest_state
from sheets_sync.core.wording import moment_text
from sheets_sync.errors import NotifyError, SheetsSyncError
from sheets_sync.i18n import english
from sheets_sync.model import Office
from sheets_sync.notify.compose import build_message, compose
from sheets_sync.store import AttachmentRow, Store
from sheets_sync.texts import Text, from_stored, to_stored

__all__ = [
    "DeliveryError",
    "DeliveryReport",
    "DeliveryStopped",
    "Notifier",
    "OutboxNotifier",
    "SMTPNotifier",
    "attach_files",
    "deliver_due",
    "make_notifier",
    "previous_digest",
    "problem_text",
    "queue_digest",
    "queue_notice",
    "queue_reminders",
    "server_problem",
]

log = logging.getLogger(__name__)

MAX_MISSING_LISTED = 25


class DeliveryError(NotifyError):
    """A send failed.  ``retryable`` says whether the same message may succeed later; ``scope`` whether
    the message (``message``), the server's login/TLS (``server``) or the line (``connection``) is to
    blame (see the module docstring)."""

    def __init__(self, message: str | Text, *, retryable: bool, fix: str | Text = "", scope: str = "message") -> None:
        super().__init__(message, fix=fix)
        self.retryable = retryable
        self.scope = scope


STAYS_QUEUED = Text("pesan tetap di antrean dan dicoba lagi")
"""The fix of a delivery that failed on the line: nothing to do, it is retried."""


def _failure(exc: BaseException) -> Text:
    """What is stored and shown of a failed delivery: the exception's type and its message (ours as a
    translatable text, anyone else's as it is), secrets redacted."""
    said: str | Text = exc.text if isinstance(exc, SheetsSyncError) else str(exc)
    if isinstance(exc, SheetsSyncError) and exc.fix:
        said = Text("{message} — {fix}", message=exc.text, fix=exc.fix_text)
    return redact.redact_text(Text("{kind}: {error}", kind=type(exc).__name__, error=said))


def _unreachable(where: str, exc: BaseException) -> Text:
    return Text("{where} tidak dapat dihubungi: {error}", where=where, error=str(exc))


class DeliveryStopped(NotifyError):
    """Delivery was asked to stop (SIGTERM) before the message was handed over."""


class Notifier(Protocol):
    """Delivers one message or raises :class:`~sheets_sync.errors.NotifyError` (with ``retryable``).
    A notifier may also offer ``batch(should_stop)``: a context manager whose value sends many
    messages over one connection (see :class:`SMTPNotifier`)."""

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
            raise DeliveryError(Text("{target} tidak dapat ditulis: {error}", target=str(target), error=str(exc)),
                                retryable=True, fix=Text("periksa bahwa folder outbox ada dan dapat ditulis")) from exc


# -- SMTP ------------------------------------------------------------------------------------------------


def _stop_unless_quit(should_stop: Callable[[], bool], command: Any) -> None:
    """Raise :class:`DeliveryStopped` before an SMTP command when a stop was requested (QUIT still goes)."""
    head = command[:4] if isinstance(command, str | bytes) else b""
    if should_stop() and head.upper() not in ("QUIT", b"QUIT"):
        raise DeliveryStopped(Text("pengiriman dihentikan: layanan sedang berhenti"))


class _StoppableSMTP(smtplib.SMTP):
    """``smtplib.SMTP`` that checks a stop request before every command it sends (QUIT excepted)."""

    should_stop: Callable[[], bool] = staticmethod(lambda: False)

    def send(self, s: Any) -> None:
        _stop_unless_quit(self.should_stop, s)
        super().send(s)


class _StoppableSMTPSSL(smtplib.SMTP_SSL):
    """The same over implicit TLS."""

    should_stop: Callable[[], bool] = staticmethod(lambda: False)

    def send(self, s: Any) -> None:
        _stop_unless_quit(self.should_stop, s)
        super().send(s)


class SMTPNotifier:
    """SMTP delivery.  ``password`` defaults to ``os.environ[settings.password_env]`` (read per batch so a
    rotated secret is picked up); ``ssl_context`` defaults to the system trust store.  :meth:`send`
    delivers one message on its own connection; :meth:`batch` gives a sender that keeps one connection
    (one login) for a whole batch."""

    def __init__(self, settings: SMTPSettings, *, password: str | None = None,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self._password = password
        self._ssl = ssl_context

    @property
    def where(self) -> str:
        return f"SMTP {self.settings.host}:{self.settings.port}"

    def _secret(self) -> str:
        pw = self._password if self._password is not None else os.environ.get(self.settings.password_env, "")
        if self.settings.username and not pw:
            raise DeliveryError(
                Text("pengguna SMTP {user} diisi tetapi ${variable} kosong", user=self.settings.username,
                     variable=self.settings.password_env),
                retryable=False, scope="server",
                fix=Text("isi `export {variable}=…` di lingkungan layanan", variable=self.settings.password_env),
            )
        redact.register_secret(pw)
        return pw

    def _connect(self, should_stop: Callable[[], bool]) -> smtplib.SMTP:
        s = self.settings
        ctx = self._ssl or ssl.create_default_context()
        client: smtplib.SMTP
        if s.security == "ssl":
            client = _StoppableSMTPSSL(timeout=s.timeout, context=ctx)
        else:
            client = _StoppableSMTP(timeout=s.timeout)
        client.should_stop = should_stop
        setattr(client, "_host", s.host)  # noqa: B010 - what TLS checks the certificate against
        client.connect(s.host, s.port)
        if s.security == "starttls":
            client.starttls(context=ctx)
        return client

    def _open(self, should_stop: Callable[[], bool]) -> smtplib.SMTP:
        """Connect and log in, translating failures into :class:`DeliveryError` (scope server/connection)."""
        s = self.settings
        password = self._secret()
        try:
            client = self._connect(should_stop)
        except DeliveryStopped:
            raise
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(Text("{where}: {error}", where=self.where, error=str(exc)), retryable=True,
                                scope="server",
                                fix=Text('isi [smtp] security = "ssl" atau "none" sesuai server')) from None
        except ssl.SSLError as exc:  # retryable: an expired/renewed certificate is fixed without us
            raise DeliveryError(Text("{where}: TLS gagal ({reason})", where=self.where, reason=str(exc.reason)),
                                retryable=True, scope="server",
                                fix=Text("periksa [smtp] security/port dan sertifikat server")) from None
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(_unreachable(self.where, exc), retryable=True, scope="connection",
                                fix=STAYS_QUEUED) from None
        if s.username:
            try:
                _login_once(client, s.username, password)
            except smtplib.SMTPAuthenticationError as exc:
                _close(client)
                raise DeliveryError(Text("{where} menolak login {user} ({code})", where=self.where, user=s.username,
                                         code=exc.smtp_code),
                                    retryable=False, scope="server",
                                    fix=Text("periksa [smtp] username dan ${variable}, lalu `sheets-sync outbox retry`",
                                             variable=s.password_env)) from None
            except DeliveryStopped:
                _close(client)
                raise
            except (TimeoutError, smtplib.SMTPException, OSError) as exc:
                _close(client)
                raise DeliveryError(Text("{where}: login gagal: {error}", where=self.where, error=str(exc)),
                                    retryable=True, scope="connection", fix=STAYS_QUEUED) from None
        return client

    def _deliver(self, client: smtplib.SMTP, msg: EmailMessage) -> None:
        try:
            refused = client.send_message(msg)
        except DeliveryStopped:
            raise
        except smtplib.SMTPRecipientsRefused as exc:
            codes = sorted({c for c, _ in exc.recipients.values()})
            raise DeliveryError(Text("{where} menolak setiap penerima ({codes})", where=self.where, codes=str(codes)),
                                retryable=all(400 <= c < 500 for c in codes),
                                fix=Text("periksa alamat e-mail di tab Bidang")) from None
        except smtplib.SMTPServerDisconnected as exc:
            raise DeliveryError(_unreachable(self.where, exc), retryable=True, scope="connection",
                                fix=STAYS_QUEUED) from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(Text("{where} menjawab {code}: {reply}", where=self.where, code=exc.smtp_code,
                                     reply=repr(exc.smtp_error)),
                                retryable=not 500 <= exc.smtp_code < 600) from None
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(_unreachable(self.where, exc), retryable=True, scope="connection",
                                fix=STAYS_QUEUED) from None
        if refused:
            log.warning("SMTP refused some recipients of %s: %s", msg.get("X-Sheets-Sync-Key"), sorted(refused))

    def send(self, msg: EmailMessage) -> None:
        with self.batch() as sender:
            sender.send(msg)

    @contextlib.contextmanager
    def batch(self, should_stop: Callable[[], bool] | None = None) -> Iterator[Notifier]:
        """A sender for many messages over one connection, opened at the first message (so an empty
        batch never connects) and reopened after a message that broke the line."""
        notifier = self
        stop = should_stop or (lambda: False)

        class _Batch:
            client: smtplib.SMTP | None = None

            def send(self, msg: EmailMessage) -> None:
                if self.client is None:
                    self.client = notifier._open(stop)
                try:
                    notifier._deliver(self.client, msg)
                except DeliveryError as exc:
                    if exc.scope == "connection":
                        _close(self.client)
                        self.client = None
                    raise

        b = _Batch()
        try:
            yield b
        finally:
            if b.client is not None:
                _close(b.client, quit=True)


def _login_once(client: smtplib.SMTP, user: str, password: str) -> None:
    """Log in with *one* mechanism (``smtplib.SMTP.login`` tries every advertised one in turn, so one
    wrong password counts as two or three refused logins towards an account lockout)."""
    client.ehlo_or_helo_if_needed()
    if not client.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    advertised = client.esmtp_features["auth"].upper().split()
    mechanism = next((m for m in ("PLAIN", "LOGIN", "CRAM-MD5") if m in advertised), None)
    if mechanism is None:
        raise smtplib.SMTPException("No suitable authentication method found.")
    client.user, client.password = user, password
    method = getattr(client, "auth_" + mechanism.lower().replace("-", "_"))
    client.auth(mechanism, method, initial_response_ok=True)


def _close(client: smtplib.SMTP, *, quit: bool = False) -> None:
    try:
        if quit:
            client.quit()
        else:
            client.close()
    except (smtplib.SMTPException, OSError, DeliveryStopped):
        with contextlib.suppress(OSError):
            client.close()


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
    problem: dict[str, Any] | None = None  # the server problem that stopped (or deferred) the batch
    deferred: bool = False  # nothing tried: the server problem's back-off runs
    stopped: str = ""  # "stop" (shutdown requested) or "budget" (time budget spent)

    @property
    def exit_code(self) -> int:
        """0 all sent (or nothing to do), 1 something is retrying, failed or the server refused us."""
        return 1 if self.retrying or self.failed or self.problem else 0


PROBLEM_KEY = "smtp_problem"


def server_problem(store: Store) -> dict[str, Any] | None:
    """The delivery problem no single message is to blame for (login refused, TLS), if any:
    ``{"error", "fix", "since", "failures", "retry_at"}``."""
    text = store.get_meta(PROBLEM_KEY)
    return json.loads(text) if text else None


def problem_text(store: Store, tz: tzinfo | None = None) -> Text | None:
    """One line for ``status``, ``doctor`` and ``outbox`` while a server problem stops delivery (None when
    there is none), worded in the language it is shown in (``render(_)``); the times in ``tz`` (the office's
    zone; None: as stored).  The server's error stays as the server said it."""
    problem = server_problem(store)
    if not problem:
        return None
    waiting = sum(1 for m in store.messages() if m.status in ("queued", "sending"))
    since, retry = (datetime.fromisoformat(problem[key]) for key in ("since", "retry_at"))
    if tz is not None:
        since, retry = since.astimezone(tz), retry.astimezone(tz)
    return Text("Pengiriman e-mail berhenti sejak {since}: {error}. {n} pesan tetap di antrean; dicoba lagi {retry}.",
                since=moment_text(since), error=from_stored(str(problem["error"])), n=waiting,
                retry=moment_text(retry))


def clear_server_problem(store: Store) -> None:
    if store.get_meta(PROBLEM_KEY):
        store.set_meta(PROBLEM_KEY, "")


def _record_problem(store: Store, exc: DeliveryError, error: str, now: datetime, backoff: timedelta,
                    max_backoff: timedelta) -> dict[str, Any]:
    before = server_problem(store) or {}
    failures = int(before.get("failures", 0)) + 1
    retry_at = now + min(backoff * (2 ** (failures - 1)), max_backoff)
    problem = {"error": error, "fix": exc.fix, "since": before.get("since") or now.isoformat(),
               "failures": failures, "retry_at": retry_at.isoformat()}
    with store.transaction():
        store.set_meta(PROBLEM_KEY, json.dumps(problem, sort_keys=True))
        store.add_event("smtp_problem", now, detail=problem)
    return problem


def deliver_due(
    store: Store, notifier: Notifier, now: datetime, *, sender: str, max_attempts: int = 8,
    backoff: timedelta = timedelta(minutes=2), max_backoff: timedelta = timedelta(hours=6), limit: int = 100,
    should_stop: Callable[[], bool] | None = None, budget: float | None = None,
    lease: timedelta = timedelta(minutes=15), owner: str | None = None,
) -> DeliveryReport:
    """Send every due queued message once (see the module docstring).  ``sender`` is
    ``NotifySettings.sender``; ``max_attempts`` usually ``SMTPSettings.max_attempts``; ``budget`` the
    seconds this batch may take; ``should_stop`` the service's stop request."""
    from sheets_sync.store.lock import owner_token

    report = DeliveryReport()
    stop = should_stop or (lambda: False)
    problem = server_problem(store)
    if problem and datetime.fromisoformat(problem["retry_at"]) > now:
        report.problem, report.deferred = problem, True
        return report
    owner = owner or owner_token()
    t0 = _time.monotonic()
    batch = getattr(notifier, "batch", None)
    context = batch(stop) if batch is not None else contextlib.nullcontext(notifier)
    with context as channel:
        for row in store.due_messages(now, limit=limit):
            if stop():
                report.stopped = "stop"
                break
            if budget is not None and _time.monotonic() - t0 >= budget:
                report.stopped = "budget"
                log.warning("delivery time budget of %.0f s spent; the rest stays queued", budget)
                break
            if not store.claim_message(row, owner, now, now + lease):
                continue  # another process has it
            try:
                msg = build_message(row, sender)
                attach_files(msg, store.attachments(row.dedupe_key))
                channel.send(msg)
            except DeliveryStopped:
                store.release_message(row.id)
                report.stopped = "stop"
                break
            except Exception as exc:
                failure = _failure(exc)
                error = to_stored(failure)  # shown later in the language of whoever reads it
                logged = failure.render(english)  # logs stay English
                report.errors[row.dedupe_key] = failure.render()
                scope = getattr(exc, "scope", "message")
                if scope == "server" and isinstance(exc, DeliveryError):
                    store.release_message(row.id)  # not this message's fault: untouched, still queued
                    report.problem = _record_problem(store, exc, error, now, backoff, max_backoff)
                    report.retrying.append(row.dedupe_key)
                    log.error("delivery stopped, every message stays queued (retry at %s): %s",
                              report.problem["retry_at"], logged)
                    break
                retryable = bool(getattr(exc, "retryable", not isinstance(exc, NotifyError)))
                attempt = row.attempts + 1
                if retryable and attempt < max_attempts:
                    retry_at = now + min(backoff * (2 ** (attempt - 1)), max_backoff)
                    store.mark_failed(row.id, error, retry_at)
                    report.retrying.append(row.dedupe_key)
                    log.warning("message %s not sent (attempt %d/%d), retry at %s: %s",
                                row.dedupe_key, attempt, max_attempts, retry_at.isoformat(), logged)
                else:
                    store.mark_failed(row.id, error, None)
                    report.failed.append(row.dedupe_key)
                    log.error("message %s given up after %d attempt(s): %s", row.dedupe_key, attempt, logged)
                if scope == "connection":
                    break  # the server is unreachable: the rest waits for the next cycle
                continue
            store.mark_sent(row.id, now)
            report.sent.append(row.dedupe_key)
            log.info("message %s sent to %s", row.dedupe_key, ", ".join(row.to_addrs))
    if report.sent and problem:
        clear_server_problem(store)
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
            raise DeliveryError(Text("lampiran {path} tidak dapat dibaca: {error}", path=a.path, error=str(exc)),
                                retryable=False, fix=Text("buat dokumennya lagi; versi baru yang dikirim")) from exc
        digest = hashlib.sha256(data).hexdigest()
        if digest != a.sha256:
            raise DeliveryError(Text("lampiran {path} berubah setelah didaftarkan (SHA-256 {now}… ≠ {registered}…)",
                                     path=a.path, now=digest[:12], registered=a.sha256[:12]), retryable=False,
                                fix=Text("buat dokumennya lagi, jangan mengubah berkas yang sudah terdaftar"))
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
    before (by this or an earlier process) is skipped: that is what makes restarts safe.

    An escalated reminder's copies (``r.cc``: the kepala, the coordinator, the sekretaris) go as a
    separate message under ``<key>:tembusan`` whose subject says "[Tembusan]"; the bidang's own
    message does not (one subject cannot say "copy" to one reader and not to another)."""
    queued = []
    for r in reminders:
        context = {"office": office, "r": r, "missing": list(r.missing[:MAX_MISSING_LISTED]),
                   "more": max(0, len(r.missing) - MAX_MISSING_LISTED)}
        subject, text, html = composer("reminder", context, templates)
        copy = composer("reminder", {**context, "tembusan": True}, templates) if r.cc else None
        with store.transaction():
            new = store.enqueue_message(r.key, "reminder", r.to, subject, text, now, html=html,
                                        unit=r.unit, period=str(r.period))
            if copy is not None and new:
                store.enqueue_message(f"{r.key}:tembusan", "reminder", r.cc, copy[0], copy[1], now, html=copy[2],
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
