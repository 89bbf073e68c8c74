"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, or refuses."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.helpers.servers import free_port

PUBLIC_BASE_URL = "https://events.example"
SENDER_ADDRESS = "no-reply@wuzhen-events.example"
SMTP_USER = "wuzhen"
SMTP_PASSWORD = "s3cret pass/word"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Mailbox:
    """The server's handler: keeps every accepted message, or answers with a refusal."""

    received: list[Received] = field(default_factory=list)
    # Every recipient offered (RCPT TO), accepted or not: how many messages the sender tried.
    tried: list[str] = field(default_factory=list)
    # Recipient address to the reply that refuses it, e.g. "550 5.1.1 No such mailbox here".
    refusals: dict[str, str] = field(default_factory=dict)
    refuse_data: str | None = None  # e.g. "451 4.3.0 Try again later"
    delay_seconds: float = 0.0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.tried.append(address)
        if address in self.refusals:
            return self.refusals[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_data:
            return self.refuse_data
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on 127.0.0.1 and a port of its own; it can be stopped and started again."""

    def __init__(self, *, require_login: bool = False, smtputf8: bool = False) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self.require_login = require_login
        self.smtputf8 = smtputf8
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[EmailMessage]:
        return [received.message for received in self.mailbox.received]

    def start(self) -> None:
        options: dict[str, object] = {"enable_SMTPUTF8": self.smtputf8}
        if self.require_login:
            options |= {
                "authenticator": check_login,
                "auth_required": True,
                "auth_require_tls": False,
            }
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, **options)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def check_login(server, session, envelope, mechanism, auth_data) -> AuthResult:
    good = isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode(),
        auth_data.password.decode(),
    ) == (SMTP_USER, SMTP_PASSWORD)
    return AuthResult(success=good, handled=False)
