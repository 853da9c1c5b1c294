"""Logging setup for the CLI and the service: plain text or JSON lines, secrets redacted.

:func:`setup_logging` configures the ``sheets_sync`` logger once (idempotent: calling it again
replaces its own handler, never stacks a second one)::

    2025-03-24T08:00:01+0700 INFO sheets_sync.runtime.scheduler: job reminders finished ok (exit 0) in 0.4 s

or, with ``[schedule] log_format = "json"`` (one object per line, for journald/Loki/ELK)::

    {"time": "2025-03-24T08:00:01+07:00", "level": "INFO", "logger": "sheets_sync.runtime.scheduler",
     "message": "job reminders finished ok (exit 0) in 0.4 s", "job": "reminders"}

Fields passed with ``extra={...}`` (``job``, ``unit``, ``period``, ``key``…) are included in JSON.

:class:`RedactFilter` runs on the handler, so it covers every logger that reaches it (smtplib,
google-auth, requests): ``password=…``, ``token: …``, ``Authorization: Bearer …``, ``AUTH PLAIN …``,
``client_secret``/``refresh_token``/``private_key`` JSON values, credentials in URLs
(``smtp://user:secret@host``) and any exact value registered with :func:`register_secret` (the SMTP
notifier registers its password) become ``[REDACTED]``.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
from typing import IO, Any

from sheets_sync.redact import RedactFilter, redact, register_secret

__all__ = ["JsonFormatter", "RedactFilter", "redact", "register_secret", "reset_logging", "setup_logging"]


_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO 8601 with offset), level, logger, message, extras, exc."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="seconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_text or record.exc_info:
            out["exc"] = record.exc_text or self.formatException(record.exc_info)  # type: ignore[arg-type]
        return json.dumps(out, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class ServiceHandler(logging.StreamHandler):
    """The handler :func:`setup_logging` attaches (so it can find and replace its own)."""


def setup_logging(level: str = "INFO", fmt: str = "text", stream: IO[str] | None = None,
                  logger: str = "sheets_sync") -> logging.Handler:
    """Attach one handler to ``logger`` (default ``sheets_sync``) writing to ``stream`` (stderr) in
    ``fmt`` ``"text"`` or ``"json"``, with :class:`RedactFilter`.  Returns the handler."""
    if fmt not in ("text", "json"):
        raise ValueError(f"log format {fmt!r} must be 'text' or 'json'")
    target = logging.getLogger(logger)
    for h in list(target.handlers):
        if isinstance(h, ServiceHandler):
            target.removeHandler(h)
    handler = ServiceHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT, "%Y-%m-%dT%H:%M:%S%z"))
    handler.addFilter(RedactFilter())
    target.addHandler(handler)
    target.setLevel(level.upper())
    target.propagate = False
    return handler


def reset_logging(logger: str = "sheets_sync") -> None:
    """Undo :func:`setup_logging` (remove its handler, propagate to the root logger again)."""
    target = logging.getLogger(logger)
    for h in list(target.handlers):
        if isinstance(h, ServiceHandler):
            target.removeHandler(h)
    target.setLevel(logging.NOTSET)
    target.propagate = True
