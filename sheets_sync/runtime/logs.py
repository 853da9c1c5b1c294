"""Logging setup for the CLI and the service: plain text or JSON lines, secrets redacted.

:func:`setup_logging` installs one handler on the root logger (idempotent: calling it again
replaces it, never stacks a second one; :func:`reset_logging` undoes it)::

    2025-03-24T08:00:01+0700 INFO sheets_sync.runtime.scheduler: job reminders finished ok (exit 0) in 0.4 s

or, with ``[schedule] log_format = "json"`` (one object per line, for journald/Loki/ELK)::

    {"time": "2025-03-24T08:00:01+07:00", "level": "INFO", "logger": "sheets_sync.runtime.scheduler",
     "message": "job reminders finished ok (exit 0) in 0.4 s", "job": "reminders"}

Fields passed with ``extra={...}`` (``job``, ``unit``, ``period``, ``key``…) are included in JSON.

:class:`RedactFilter` runs on that handler and on every other handler that exists when logging is
set up, so it covers every logger (sheets-sync's, google-auth, requests, urllib3, smtplib):
``password=…``, ``token: …``, ``Authorization: Bearer …``, ``AUTH PLAIN …``,
``client_secret``/``refresh_token``/``private_key`` JSON values, credentials in URLs
(``smtp://user:secret@host``) and any exact value registered with :func:`register_secret` (the SMTP
notifier registers its password) become ``[REDACTED]``.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from datetime import datetime, tzinfo
from functools import partial
from typing import IO, Any

from sheets_sync.redact import RedactFilter, redact, register_secret

__all__ = ["JsonFormatter", "RedactFilter", "redact", "register_secret", "reset_logging", "setup_logging"]


_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


class ZonedFormatter(logging.Formatter):
    """Text lines stamped in the office's time zone with its offset (``2025-03-24T08:00:01+0700``),
    whatever zone the machine or container runs in (Docker images run in UTC)."""

    def __init__(self, fmt: str, tz: tzinfo | None = None) -> None:
        super().__init__(fmt)
        self.tz = tz

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        when = datetime.fromtimestamp(record.created, self.tz) if self.tz else \
            datetime.fromtimestamp(record.created).astimezone()
        return when.strftime("%Y-%m-%dT%H:%M:%S%z")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO 8601 with offset, office zone), level, logger, message,
    extras, exc."""

    def __init__(self, tz: tzinfo | None = None) -> None:
        super().__init__()
        self.tz = tz

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, self.tz) if self.tz else \
            datetime.fromtimestamp(record.created).astimezone()
        out: dict[str, Any] = {
            "time": when.isoformat(timespec="seconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_text:
            out["exc"] = record.exc_text
        elif record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class ServiceHandler(logging.StreamHandler):
    """The handler :func:`setup_logging` attaches to the root logger.  It remembers what the set-up
    changed (levels, propagation, filters added to other handlers) so :func:`reset_logging` undoes it."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__(stream)
        self.undo: list[Callable[[], None]] = []


def _handlers_everywhere() -> list[logging.Handler]:
    """Every handler of the root logger and of every logger created so far."""
    loggers = [logging.getLogger(), *(lg for lg in logging.Logger.manager.loggerDict.values()
                                      if isinstance(lg, logging.Logger))]
    return [h for lg in loggers for h in lg.handlers]


def setup_logging(level: str = "INFO", fmt: str = "text", stream: IO[str] | None = None,
                  logger: str = "sheets_sync", tz: tzinfo | None = None) -> logging.Handler:
    """Write log lines to ``stream`` (stderr) in ``fmt`` ``"text"`` or ``"json"``; returns the handler.

    The handler sits on the *root* logger, so records of every library (google-auth, requests,
    urllib3, smtplib) pass through its :class:`RedactFilter` — and every handler that already
    exists anywhere gets one too, so no handler writes a secret.  ``logger`` (``sheets_sync``) logs at
    ``level``; libraries at WARNING, or DEBUG too when ``level`` is DEBUG (``run --debug``).  Calling
    it again replaces the earlier set-up; :func:`reset_logging` undoes it.  Timestamps are in ``tz``
    (the office's zone, with its offset; default the machine's)."""
    if fmt not in ("text", "json"):
        raise ValueError(f"log format {fmt!r} must be 'text' or 'json'")
    reset_logging(logger)
    handler = ServiceHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(tz) if fmt == "json" else ZonedFormatter(TEXT_FORMAT, tz))
    handler.addFilter(RedactFilter())
    for other in _handlers_everywhere():
        if not any(isinstance(f, RedactFilter) for f in other.filters):
            added = RedactFilter()
            other.addFilter(added)
            handler.undo.append(partial(other.removeFilter, added))
    root, target = logging.getLogger(), logging.getLogger(logger)
    root_level, target_level, propagate = root.level, target.level, target.propagate

    def restore() -> None:
        root.setLevel(root_level)
        target.setLevel(target_level)
        target.propagate = propagate

    handler.undo.append(restore)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if level.upper() == "DEBUG" else logging.WARNING)
    target.setLevel(level.upper())
    target.propagate = True
    return handler


def reset_logging(logger: str = "sheets_sync") -> None:
    """Undo :func:`setup_logging`: remove its handler and the filters it added, restore the levels."""
    root = logging.getLogger()
    for h in list(root.handlers):
        if isinstance(h, ServiceHandler):
            root.removeHandler(h)
            for undo in reversed(h.undo):
                undo()
