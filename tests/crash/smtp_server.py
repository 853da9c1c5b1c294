"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the crash tests: counts what arrives by
Message-ID, can require a login, and can answer every command slowly."""

from __future__ import annotations

import asyncio
import email
import socket
from collections import Counter
from email import policy
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``Server(password=…, delay=…)``; ``start()`` / ``stop()``.  ``password`` None accepts anyone;
    ``delay`` seconds are waited before answering EHLO, MAIL, RCPT and DATA."""

    def __init__(self, *, password: str | None = None, delay: float = 0.0, port: int | None = None) -> None:
        self.password = password
        self.delay = delay
        self.port = port or free_port()
        self.messages: list[email.message.EmailMessage] = []
        self.logins = 0
        self.refused_logins = 0
        self.rcpt_refused: set[str] = set()
        self.commands = 0  # EHLO/MAIL/RCPT/DATA received
        self._controller: Controller | None = None

    # aiosmtpd handler hooks
    async def _slow(self) -> None:
        self.commands += 1
        if self.delay:
            await asyncio.sleep(self.delay)

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,
                          responses: list[str]) -> list[str]:
        await self._slow()
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:
        await self._slow()
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:
        await self._slow()
        if address in self.rcpt_refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await self._slow()
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        self.logins += 1
        ok = isinstance(data, LoginPassword) and data.password == (self.password or "").encode()
        if not ok:
            self.refused_logins += 1
        return AuthResult(success=ok, handled=False)

    def start(self) -> Server:
        kw: dict[str, Any] = {}
        if self.password is not None:
            kw = {"authenticator": self._authenticate, "auth_require_tls": False, "auth_required": True}
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, ready_timeout=10, **kw)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    # what arrived
    def ids(self) -> Counter[str]:
        return Counter(str(m["Message-ID"]) for m in self.messages)

    def by_key(self) -> Counter[str]:
        return Counter(str(m["X-Sheets-Sync-Key"]) for m in self.messages)

    def duplicates(self) -> dict[str, int]:
        return {k: n for k, n in self.by_key().items() if n > 1}
