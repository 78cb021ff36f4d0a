"""A real SMTP server on loopback for the tests (aiosmtpd, in a thread of the test
process): it keeps every message it accepted, and can refuse or defer given addresses.
With ``parse=False`` (the benchmark) it keeps only each message's recipients and
Message-ID, as a mail server's queue would, instead of parsing every message."""

from __future__ import annotations

import re
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from typing import Any, cast

from aiosmtpd.controller import Controller


@dataclass
class Received:
    envelope_to: list[str]
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


@dataclass
class Recorder:
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # 550 for these recipients
    defer: set[str] = field(default_factory=set)  # 451 for these recipients
    lock: threading.Lock = field(default_factory=threading.Lock)
    parse: bool = True

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such user"
        if address in self.defer:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.parse:
            parsed = cast(EmailMessage, message_from_bytes(envelope.content, policy=policy.default))
        else:
            parsed = cast(EmailMessage, _ids_only(envelope.content))
        with self.lock:
            self.received.append(Received(list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def to(self, email: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if email in r.envelope_to]

    def ids(self) -> list[str]:
        with self.lock:
            return [r.message_id for r in self.received]


_MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(<[^>\r\n]*>)", re.IGNORECASE | re.MULTILINE)


def _ids_only(content: bytes) -> Message:
    """A message with only the Message-ID of ``content`` (its header block's)."""
    head = content.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    found = _MESSAGE_ID.search(head)
    message = Message()
    if found:
        message["Message-ID"] = found.group(1).decode("ascii", "replace")
    return message


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpServer:
    def __init__(
        self, port: int | None = None, login: tuple[str, str] | None = None, parse: bool = True
    ) -> None:
        self.port = port or free_port()
        self.recorder = Recorder(parse=parse)
        self.controller: Controller | None = None
        self.login = login

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        extra: dict[str, Any] = {}
        if self.login is not None:
            extra = {
                "authenticator": self._authenticate,
                "auth_required": False,  # offered and checked; aiosmtpd warns on required
                "auth_require_tls": False,  # loopback only, in the tests
            }
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port, **extra)
        self.controller.start()

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        ok = (
            isinstance(data, LoginPassword)
            and self.login is not None
            and (data.login.decode(), data.password.decode()) == self.login
        )
        return AuthResult(success=ok)

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
