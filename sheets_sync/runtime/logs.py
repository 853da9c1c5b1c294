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
import re
import sys
from datetime import datetime
from typing import IO, Any

__all__ = ["JsonFormatter", "RedactFilter", "redact", "register_secret", "reset_logging", "setup_logging"]

REDACTED = "[REDACTED]"
_SECRETS: set[str] = set()

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Authorization: Bearer xxx / Basic xxx (header or repr)
    (re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(bearer|basic|token)?\s*[^\s'\",}]+"),
     r"\1\2 " + REDACTED),
    # JSON / dict / kwargs style: "password": "x", password=x, token: x, api_key=...
    (re.compile(r"(?i)(['\"]?(?:[a-z_]*pass(?:word|wd)?|[a-z_]*secret|[a-z_]*token|api[_-]?key|private_key)"
                r"['\"]?\s*[:=]\s*)(['\"])(?:\\.|(?!\2).)*\2"), r"\1\2" + REDACTED + r"\2"),
    (re.compile(r"(?i)((?:[a-z_]*pass(?:word|wd)?|[a-z_]*secret|[a-z_]*token|api[_-]?key)\s*[:=]\s*)"
                r"(?!['\"\[])[^\s,;&}]+"), r"\1" + REDACTED),
    # SMTP AUTH lines
    (re.compile(r"(?i)(AUTH\s+(?:PLAIN|LOGIN|XOAUTH2|CRAM-MD5)\s+)\S+"), r"\1" + REDACTED),
    # credentials in URLs
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^:/\s@]+:)[^@\s/]+@"), r"\1" + REDACTED + "@"),
    # Google access tokens
    (re.compile(r"\bya29\.[0-9A-Za-z_-]+"), REDACTED),
)


def register_secret(value: str | None) -> None:
    """Redact this exact value from every log line from now on (ignored when shorter than 4 chars)."""
    if value and len(value) >= 4:
        _SECRETS.add(value)


def redact(text: str) -> str:
    """``text`` with anything that looks like a secret replaced by ``[REDACTED]``."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text


class RedactFilter(logging.Filter):
    """Rewrites each record's message (and exception text) with :func:`redact`; never drops records."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not hide the line
            message = str(record.msg)
        clean = redact(message)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


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


def setup_logging(level: str = "INFO", fmt: str = "text", stream: IO[str] | None = None,
                  logger: str = "sheets_sync") -> logging.Handler:
    """Attach one handler to ``logger`` (default ``sheets_sync``) writing to ``stream`` (stderr) in
    ``fmt`` ``"text"`` or ``"json"``, with :class:`RedactFilter`.  Returns the handler."""
    if fmt not in ("text", "json"):
        raise ValueError(f"log format {fmt!r} must be 'text' or 'json'")
    target = logging.getLogger(logger)
    for h in list(target.handlers):
        if getattr(h, "_sheets_sync", False):
            target.removeHandler(h)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler._sheets_sync = True  # type: ignore[attr-defined]
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
        if getattr(h, "_sheets_sync", False):
            target.removeHandler(h)
    target.setLevel(logging.NOTSET)
    target.propagate = True
