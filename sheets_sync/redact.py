"""Secret redaction for every log line: patterns of credentials and the exact secrets registered at
run time.  A leaf module (no sheets-sync imports) so any room — the SMTP notifier, the Google auth, the
logging set-up — can register a secret without depending on the runtime."""

from __future__ import annotations

import logging
import re

from sheets_sync.texts import Text

__all__ = ["REDACTED", "RedactFilter", "redact", "register_secret"]

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


def redact_text(text: Text) -> Text:
    """``text`` with :func:`redact` applied to every string field (nested texts too); the msgid is ours."""
    fields = {k: redact_text(v) if isinstance(v, Text) else redact(v) if isinstance(v, str) else v
              for k, v in text.fields.items()}
    return Text(text.msgid, **fields) if text.fields else Text(redact(text.msgid))


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
