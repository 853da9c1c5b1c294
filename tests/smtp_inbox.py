"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the tests that deliver mail: what it received."""

from __future__ import annotations

import email
import socket
from email import policy
from typing import Any

from aiosmtpd.controller import Controller


class Inbox:
    """The aiosmtpd handler: every envelope it accepted, and those envelopes as parsed messages."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(port: int, inbox: Inbox, **kw: Any) -> Controller:
    """A started server on ``port`` delivering into ``inbox`` (stop it with ``.stop()``)."""
    c = Controller(inbox, hostname="127.0.0.1", port=port, **kw)
    c.start()
    return c
