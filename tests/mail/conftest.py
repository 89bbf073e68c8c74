"""The empty app with public links, a real SMTP server that MAIL_URL points at, and a small
program with bookable subforums (tests/worlds.py) whose delegates get the e-mails."""

from __future__ import annotations

import pytest

from tests import worlds
from tests.helpers.smtp import PUBLIC_BASE_URL, SmtpServer


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


@pytest.fixture
def program(mail_app) -> worlds.MailProgram:
    return worlds.mail_program()
