"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, and a small program
with bookable subforums whose delegates are registered through the registration services."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests import factories
from tests.factories import OPERATOR, utc
from wuzhen_events.program.enums import SessionKind
from wuzhen_events.program.models import Conference, ProgramSession, Subforum
from wuzhen_events.registration import services
from wuzhen_events.registration.enums import DelegateCategory

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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_app(app):
    """The empty app, with links in e-mails pointing at a public address."""
    app.config["PUBLIC_BASE_URL"] = PUBLIC_BASE_URL
    return app


@pytest.fixture
def smtp_server(mail_app):
    """A running server that MAIL_URL points at."""
    server = SmtpServer()
    server.start()
    mail_app.config["MAIL_URL"] = server.url
    yield server
    server.stop()


@dataclass
class Program:
    conference: Conference
    fintech: Subforum  # 8 Nov 08:30-12:00 in two sessions, in Hall 3; 1 seat
    economy: Subforum  # 8 Nov 14:30-16:30, one session; 10 seats
    fintech_sessions: list[ProgramSession]
    economy_session: ProgramSession
    opening: ProgramSession  # a ceremony of no subforum: in nobody's attachment


@pytest.fixture
def program(mail_app) -> Program:
    conference = factories.make_conference()
    hall = factories.make_venue(
        building="WIICEC", building_zh="乌镇互联网国际会展中心", hall="Hall 3", hall_zh="3号厅"
    )
    fintech = factories.make_subforum(
        conference,
        slug="fintech",
        title="Fintech and Cybersecurity",
        title_zh="金融科技与安全",
        capacity=1,
        venue=hall,
    )
    economy = factories.make_subforum(
        conference, slug="economy", title="Digital Economy", title_zh="数字经济", capacity=10
    )
    fintech_sessions = [
        factories.make_session(
            conference,
            subforum=fintech,
            venue=hall,
            title="Fintech: opening",
            title_zh="金融科技：开幕",
            kind=SessionKind.SUBFORUM_SESSION,
            starts_at=utc(8, 0, 30),
            ends_at=utc(8, 2, 0),
        ),
        factories.make_session(
            conference,
            subforum=fintech,
            venue=hall,
            title="Fintech: panel",
            title_zh="金融科技：圆桌",
            kind=SessionKind.SUBFORUM_SESSION,
            starts_at=utc(8, 2, 0),
            ends_at=utc(8, 4, 0),
        ),
    ]
    economy_session = factories.make_session(
        conference,
        subforum=economy,
        title="Digital economy",
        kind=SessionKind.SUBFORUM_SESSION,
        starts_at=utc(8, 6, 30),
        ends_at=utc(8, 8, 30),
    )
    opening = factories.make_session(
        conference, title="Opening ceremony", kind=SessionKind.CEREMONY, starts_at=utc(7, 1, 0)
    )
    return Program(conference, fintech, economy, fintech_sessions, economy_session, opening)


def register(program: Program, email: str, *subforums, email_verified=True, **overrides):
    """A delegate registered through the service, as the registration form does it (with the
    address confirmed unless told otherwise)."""
    code = overrides.pop("invitation_code", "")
    fields = {
        "name": "Ada Lovelace",
        "email": email,
        "organisation": "Analytical Engines Ltd",
        "country": "GB",
        "category": DelegateCategory.ENTERPRISE,
    }
    fields.update(overrides)
    return services.register_delegate(
        program.conference,
        services.DelegateDetails(**fields),
        subforums=subforums,
        invitation_code=code,
        email_verified=email_verified,
        actor=OPERATOR,
    )
