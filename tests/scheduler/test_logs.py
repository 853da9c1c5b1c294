"""Logging: plain text by default, JSON lines as an option, secrets redacted everywhere."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from sheets_sync.runtime.logs import redact, register_secret, reset_logging, setup_logging


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    buf = io.StringIO()
    yield buf
    reset_logging()


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("login with password=hunter2-long", "hunter2-long"),
        ('{"client_secret": "GOCSPX-abc123", "x": 1}', "GOCSPX-abc123"),
        ("headers={'Authorization': 'Bearer ya29.a0AfH6SMBx'}", "ya29.a0AfH6SMBx"),
        ("Authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
        ("send: 'AUTH PLAIN AHBwa3AAcmFoYXNpYQ=='", "AHBwa3AAcmFoYXNpYQ=="),
        ("refresh_token=1//0gAbCdEf&grant_type=refresh_token", "1//0gAbCdEf"),
        ("connecting to smtp://ppkp:s3cr3t@mail.example:587", "s3cr3t"),
        ("api_key: AIzaSyD-123", "AIzaSyD-123"),
    ],
)
def test_things_that_look_like_secrets_are_redacted(line: str, secret: str) -> None:
    out = redact(line)
    assert secret not in out and "[REDACTED]" in out


def test_ordinary_lines_are_left_alone() -> None:
    line = "job poll finished ok (exit 0) in 0.4 s; 12 forms, token bucket at 40/60"
    assert redact(line) == line


def test_a_registered_secret_is_redacted_wherever_it_appears(stream: io.StringIO) -> None:
    register_secret("Sukamaju#2025!")
    setup_logging("INFO", "text", stream)
    logging.getLogger("sheets_sync.notify").error("server said: 535 bad credentials Sukamaju#2025!")
    assert "Sukamaju#2025!" not in stream.getvalue() and "[REDACTED]" in stream.getvalue()


def test_text_format_is_one_readable_line(stream: io.StringIO) -> None:
    setup_logging("INFO", "text", stream)
    logging.getLogger("sheets_sync.runtime.scheduler").info("job %s finished", "poll")
    logging.getLogger("sheets_sync.runtime.scheduler").debug("not shown at INFO")
    [line] = stream.getvalue().splitlines()
    assert line.endswith("INFO sheets_sync.runtime.scheduler: job poll finished")


def test_json_format_has_fields_extras_and_redacted_tracebacks(stream: io.StringIO) -> None:
    setup_logging("DEBUG", "json", stream)
    log = logging.getLogger("sheets_sync.runtime.scheduler")
    log.info("job %s finished", "poll", extra={"job": "poll", "exit_code": 0})
    try:
        raise RuntimeError("token=abcdef123456 rejected")
    except RuntimeError:
        log.exception("job failed")
    first, second = (json.loads(x) for x in stream.getvalue().splitlines())
    assert first["level"] == "INFO" and first["logger"] == "sheets_sync.runtime.scheduler"
    assert first["message"] == "job poll finished" and first["job"] == "poll" and first["exit_code"] == 0
    assert "T" in first["time"] and ("+" in first["time"] or "-" in first["time"][10:])
    assert "RuntimeError" in second["exc"] and "abcdef123456" not in second["exc"]


def test_setting_up_twice_does_not_duplicate_lines(stream: io.StringIO) -> None:
    setup_logging("INFO", "text", stream)
    setup_logging("INFO", "text", stream)
    logging.getLogger("sheets_sync").warning("once")
    assert stream.getvalue().count("once") == 1


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError):
        setup_logging("INFO", "xml")


class Collect(logging.Handler):
    """A handler someone else attached (e.g. ``logging.basicConfig`` or a log shipper): what it writes."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


TOKEN = "ya29.a0AfH6SMBxRealLookingToken_123"
PASSWORD = "Sukamaju-Rahasia-77"
# What the libraries really log at DEBUG: google-auth's transport logs the request it makes, urllib3 the
# connection, smtplib's AUTH exchange when a program routes its debug output to logging.
LIBRARY_RECORDS = [
    ("google.auth.transport.requests", "Making request: POST https://oauth2.googleapis.com/token "
                                       "headers={'Authorization': 'Bearer " + TOKEN + "'}"),
    ("google.auth._default", "refresh_token=1//0gSecretRefresh&client_secret=GOCSPX-abcdef"),
    ("urllib3.connectionpool", "https://sheets.googleapis.com:443 \"GET /v4/spreadsheets?access_token="
                               + TOKEN + " HTTP/1.1\" 200 None"),
    ("smtplib", "send: 'AUTH PLAIN AHBwa3AAU3VrYW1hanUtUmFoYXNpYS03Nw=='"),
    ("smtplib", f"login ppkp with password={PASSWORD}"),
    ("sheets_sync.notify", f"server said 535 for {PASSWORD}"),
    ("", f"root logger: Authorization: Bearer {TOKEN}"),
]


@pytest.fixture
def library_loggers() -> Iterator[None]:
    """The libraries' loggers as they are in a fresh process (another test may have quietened one)."""
    names = {".".join(name.split(".")[:n]) for name, _ in LIBRARY_RECORDS if name
             for n in range(1, name.count(".") + 2)}  # each logger and its parents (levels inherit)
    loggers = [logging.getLogger(name) for name in sorted(names)]
    saved = [(lg.level, lg.disabled, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.NOTSET)
        lg.disabled, lg.propagate = False, True
    yield
    for lg, (level, disabled, propagate) in zip(loggers, saved, strict=True):
        lg.setLevel(level)
        lg.disabled, lg.propagate = disabled, propagate


def test_no_token_or_password_reaches_any_handler_from_any_logger(stream: io.StringIO, library_loggers: None) -> None:
    other = Collect()
    root = logging.getLogger()
    root.addHandler(other)
    try:
        register_secret(PASSWORD)
        setup_logging("DEBUG", "text", stream)  # `run --debug`: the libraries' DEBUG records are shown
        for name, line in LIBRARY_RECORDS:
            logging.getLogger(name).debug(line)
    finally:
        root.removeHandler(other)
    ours = stream.getvalue()
    assert len(ours.splitlines()) == len(LIBRARY_RECORDS) == len(other.lines)  # every record reached both
    for written in (ours, "\n".join(other.lines)):
        for secret in (TOKEN, PASSWORD, "1//0gSecretRefresh", "GOCSPX-abcdef", "AHBwa3AAU3VrYW1hanUtUmFoYXNpYS03Nw=="):
            assert secret not in written
        assert written.count("[REDACTED]") >= len(LIBRARY_RECORDS)


def test_without_debug_libraries_log_warnings_only(stream: io.StringIO, library_loggers: None) -> None:
    setup_logging("INFO", "text", stream)
    logging.getLogger("urllib3.connectionpool").info("Starting new HTTPS connection")
    logging.getLogger("google.auth.transport.requests").warning(f"token {TOKEN} refused")
    logging.getLogger("sheets_sync.service.poll").info("poll finished")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2 and TOKEN not in stream.getvalue()
    assert lines[0].endswith("google.auth.transport.requests: token [REDACTED] refused")


def test_reset_undoes_everything_setup_changed() -> None:
    root, ours = logging.getLogger(), logging.getLogger("sheets_sync")
    other = Collect()
    root.addHandler(other)
    try:
        before = (root.level, list(root.handlers), ours.level, ours.propagate, list(other.filters))
        setup_logging("DEBUG", "json", io.StringIO())
        assert len(root.handlers) == len(before[1]) + 1 and other.filters != before[4]
        reset_logging()
        assert (root.level, list(root.handlers), ours.level, ours.propagate, list(other.filters)) == before
    finally:
        root.removeHandler(other)
