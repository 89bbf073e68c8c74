"""Logs without secrets: the private links' tokens are masked in the app's logs and in the
development server's access log; tracebacks too; every module logger of the app is covered."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.client import HTTPConnection
from types import SimpleNamespace
from urllib.parse import quote, urlencode

import pytest
import sqlalchemy as sa
from gunicorn.config import Config
from werkzeug.serving import make_server

import wuzhen_events
from tests import factories
from tests.factories import OPERATOR, reload, utc
from tests.helpers.smtp import SMTP_PASSWORD, SMTP_USER, SmtpServer
from wuzhen_events.extensions import db
from wuzhen_events.gunicorn_conf import MaskingLogger
from wuzhen_events.logs import APP_LOGGERS, SECRET_MASKING_FILTER, mask_secrets
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.mail.sender import deliver_pending
from wuzhen_events.registration import rotation, services, tokens
from wuzhen_events.registration.enums import DelegateCategory
from wuzhen_events.registration.models import Delegate, Invitation
from wuzhen_events.registration.tokens import Secret

TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde"  # token-shaped: 43 URL-safe characters
TOKEN_HASH = "0123456789abcdef" * 4


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        (f'"GET /me/{TOKEN}/badge HTTP/1.1" 200 -', '"GET /me/***/badge HTTP/1.1" 200 -'),
        (f"/calendar/me/{TOKEN}.ics?lang=zh", "/calendar/me/***.ics?lang=zh"),
        (f"/language/zh?next=/me/{TOKEN}/", "/language/zh?next=/me/***/"),
        (f"/language/zh?next=%2Fme%2F{TOKEN}%2Fbadge", "/language/zh?next=%2Fme%2F***%2Fbadge"),
        ("POST /me/not.quite-a-token/erase", "POST /me/***/erase"),
        (
            "GET /register/?code=ABCD-EFGH-JKLM&subforum=fintech",
            "GET /register/?code=***&subforum=fintech",
        ),
        (f"[parameters: ('{TOKEN_HASH}', 1)]", "[parameters: ('***', 1)]"),
        (f"feed {TOKEN} renewed", "feed *** renewed"),
        ("GET /me/erased HTTP/1.1", "GET /me/erased HTTP/1.1"),
        (
            "GET /program/?day=2018-11-08&q=cyber HTTP/1.1",
            "GET /program/?day=2018-11-08&q=cyber HTTP/1.1",
        ),
        ("GET /media/names/ HTTP/1.1", "GET /media/names/ HTTP/1.1"),
    ],
    ids=[
        "manage page",
        "personal feed",
        "next parameter",
        "percent-encoded",
        "malformed token",
        "invitation code",
        "token hash",
        "bare token",
        "erased page",
        "public page",
        "other me",
    ],
)
def test_mask_secrets(line, masked):
    assert mask_secrets(line) == masked


@contextmanager
def serving(app) -> Iterator[int]:
    """The development server (werkzeug's, as `flask run` starts it) on a loopback port."""
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server.port
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def get(port: int, path: str) -> int:
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_development_servers_access_log_masks_the_private_links(app, caplog):
    caplog.set_level(logging.INFO)

    with serving(app) as port:
        statuses = [get(port, f"/me/{TOKEN}/badge"), get(port, f"/calendar/me/{TOKEN}.ics")]

    lines = [r.getMessage().split("] ", 1)[1] for r in caplog.records if r.name == "werkzeug"]
    assert statuses == [404, 404]
    assert [line.replace("\x1b[33m", "").replace("\x1b[0m", "") for line in lines] == [
        '"GET /me/***/badge HTTP/1.1" 404 -',
        '"GET /calendar/me/***.ics HTTP/1.1" 404 -',
    ]


def test_app_records_and_their_tracebacks_are_masked(app, caplog):
    caplog.set_level(logging.INFO)

    try:
        raise LookupError(f"no delegate for {TOKEN_HASH}")
    except LookupError:
        app.logger.exception("Exception on /me/%s/ [GET]", TOKEN)
    logging.getLogger("wuzhen_events.mail").warning("E-mail to /me/%s/", TOKEN)

    assert [(r.name, r.getMessage()) for r in caplog.records] == [
        ("wuzhen_events", "Exception on /me/***/ [GET]"),
        ("wuzhen_events.mail", "E-mail to /me/***/"),
    ]
    assert "LookupError: no delegate for ***" in caplog.text
    assert TOKEN not in caplog.text and TOKEN_HASH not in caplog.text


def test_a_record_marked_unmasked_is_left_alone(app, caplog):
    caplog.set_level(logging.INFO)

    logging.getLogger("wuzhen_events.mail").info("/me/%s/", TOKEN, extra={"unmasked": True})

    assert [r.getMessage() for r in caplog.records] == [f"/me/{TOKEN}/"]


def test_every_module_logger_of_the_app_is_masked(app):
    for module in pkgutil.walk_packages(wuzhen_events.__path__, "wuzhen_events."):
        if not module.name.startswith("wuzhen_events.migrations"):  # Alembic's, run by Alembic
            importlib.import_module(module.name)

    app_loggers = sorted(
        name
        for name in logging.root.manager.loggerDict
        if name == "wuzhen_events" or name.startswith("wuzhen_events.")
    )
    assert set(app_loggers) <= {"wuzhen_events", *APP_LOGGERS}
    assert all(SECRET_MASKING_FILTER in logging.getLogger(name).filters for name in app_loggers)


# --- the log test: a whole run at INFO level, then not one secret in any log line -------------


class Browser:
    """A visitor on the development server: form posts, the session cookie and the referrer
    (the page before, as a browser sends it); redirects are not followed."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""
        self.referrer = "/"
        self.requests = 0

    def get(self, path: str) -> tuple[int, str]:
        return self.send("GET", path)

    def post(self, path: str, form: dict | None = None) -> tuple[int, str]:
        return self.send("POST", path, urlencode(form or {}, doseq=True))

    def send(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        db.session.rollback()  # the test's own reads end before the server writes
        headers = {
            "User-Agent": "log-test",
            "Referer": f"http://127.0.0.1:{self.port}{self.referrer}",
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookie:
            headers["Cookie"] = self.cookie
        connection = HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        self.requests += 1
        self.referrer = path
        for value in response.headers.get_all("Set-Cookie") or ():
            if value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        return response.status, response.headers.get("Location", "")


class RecordedRequests:
    """WSGI middleware that keeps each request's environ and answer, for gunicorn's logger."""

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app
        self.exchanges: list[tuple[dict, str, list, int]] = []

    def __call__(self, environ, start_response):
        answer = {}

        def recording_start_response(status, headers, exc_info=None):
            answer.update(status=status, headers=list(headers))
            return start_response(status, headers, exc_info)

        iterable = self.wsgi_app(environ, recording_start_response)
        try:
            body = b"".join(iterable)
        finally:
            getattr(iterable, "close", lambda: None)()
        self.exchanges.append((dict(environ), answer["status"], answer["headers"], len(body)))
        return [body]


def gunicorn_access_lines(exchanges, log_file) -> list[str]:
    """gunicorn's access log, written by the logger class of `wuzhen_events.gunicorn_conf`."""
    config = Config()
    config.set("accesslog", str(log_file))
    logger = MaskingLogger(config)
    try:
        for environ, status, headers, size in exchanges:
            request = SimpleNamespace(
                headers=[
                    (name[5:].replace("_", "-"), value)
                    for name, value in environ.items()
                    if name.startswith("HTTP_")
                ]
            )
            response = SimpleNamespace(status=status, headers=headers, sent=size)
            logger.access(response, request, environ, timedelta(milliseconds=2))
    finally:
        for log in (logger.access_log, logger.error_log):
            for handler in list(log.handlers):
                log.removeHandler(handler)
                handler.close()
    return log_file.read_text().splitlines()


def registration_form(email: str, category: str, subforum_ids=(), **fields) -> dict:
    return {
        "name": "Li Wei",
        "email": email,
        "organisation": "Demo Networks",
        "country": "CN",
        "category": category,
        "locale": "en",
        "subforums": [str(subforum_id) for subforum_id in subforum_ids],
        "consent": "y",
        "submission_id": secrets.token_urlsafe(24),
        **fields,
    }


def every_secret(delegates, invitation_code: str) -> dict[str, str]:
    """Everything that opens a registration, or is stored in its place, for each delegate."""
    found = {
        "invitation code": invitation_code,
        "invitation code, as typed": tokens.normalise_invitation_code(invitation_code),
        "invitation hash": db.session.scalar(sa.select(Invitation.code_hash)),
        "SMTP password": SMTP_PASSWORD,
        "SMTP password, quoted": quote(SMTP_PASSWORD, safe=""),
    }
    for delegate in delegates:
        row = reload(delegate)
        for purpose in Secret:
            secret = rotation.secret_of(row, purpose)
            found[f"{row.email} {purpose.value} secret"] = secret
            found[f"{row.email} {purpose.value} hash"] = tokens.fingerprint(secret)
            found[f"{row.email} {purpose.value} seed"] = getattr(row, f"{purpose.value}_seed")
        found[f"{row.email} submission key"] = row.submission_key
    return found


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_whole_run_leaves_no_secret_in_any_log_line(app, caplog, tmp_path):
    caplog.set_level(logging.INFO)
    conference = factories.make_conference()
    fintech = factories.make_subforum(conference, slug="fintech", title="Fintech", capacity=5)
    economy = factories.make_subforum(conference, slug="economy", title="Economy", capacity=5)
    factories.make_session(conference, subforum=fintech, starts_at=utc(8, 0), ends_at=utc(8, 2))
    factories.make_session(conference, subforum=economy, starts_at=utc(8, 6), ends_at=utc(8, 8))
    _invitation, code = services.create_invitation(
        conference, email="gov@example.com", category=DelegateCategory.GOVERNMENT, actor=OPERATOR
    )
    recorder = RecordedRequests(app.wsgi_app)
    app.wsgi_app = recorder

    with serving(app) as port:
        browser = Browser(port)
        # An invited delegate: the form opens their page at once.
        browser.get("/register/")
        invited = browser.post(
            "/register/", registration_form("gov@example.com", "government", invitation_code=code)
        )
        browser.get(invited[1])
        # A delegate who proves the address by opening the e-mailed link.
        browser.post("/register/", registration_form("li@example.com", "enterprise", [fintech.id]))
        logged = deliver_pending()
        emailed = db.session.scalar(
            sa.select(OutboxMessage.text_body).where(OutboxMessage.recipient == "li@example.com")
        )
        manage = re.search(r"/me/[A-Za-z0-9_-]{43}/", emailed)[0]
        browser.get(manage)
        browser.post("/register/resend-link", {"resend-email": "li@example.com"})
        browser.post(manage + "seats", {"subforum": economy.id})
        browser.post(manage + f"seats/{fintech.id}/drop")
        browser.get(manage + "badge")
        li = db.session.scalar(sa.select(Delegate).where(Delegate.email == "li@example.com"))
        browser.get(f"/calendar/me/{rotation.secret_of(li, Secret.FEED)}.ics")
        browser.get(f"/language/zh?next={manage}")
        browser.post(manage + "cancel")
    logged_too = deliver_pending()
    server = SmtpServer(require_login=True)
    server.start()
    try:
        password = quote(SMTP_PASSWORD, safe="")
        app.config["MAIL_URL"] = f"smtp://{SMTP_USER}:{password}@127.0.0.1:{server.port}"
        services.send_manage_link(conference, "gov@example.com")
        mailed = deliver_pending()
    finally:
        server.stop()

    records = [record.getMessage() for record in caplog.records]
    access_log = gunicorn_access_lines(recorder.exchanges, tmp_path / "access.log")
    lines = [*records, *caplog.text.splitlines(), *access_log]
    delegates = db.session.scalars(sa.select(Delegate).order_by(Delegate.id)).all()
    secrets_of_the_run = {
        "manage link opened by the form": invited[1].split("/")[2],
        "manage link e-mailed": manage.split("/")[2],
        **every_secret(delegates, code),
    }
    assert [
        name for name, secret in secrets_of_the_run.items() if any(secret in line for line in lines)
    ] == []
    # The run was logged: every request in both access logs, every e-mail, masked links.
    assert sum(record.name == "werkzeug" for record in caplog.records) == browser.requests == 12
    assert len(access_log) == 12
    assert (logged.sent + logged_too.sent, mailed.sent, len(server.messages)) == (4, 1, 1)
    assert sum(line.startswith("E-mail not sent (no MAIL_URL is set): <") for line in records) == 4
    assert '"GET /me/***/badge HTTP/1.1" 200 -' in "\n".join(records)
    badge_line = access_log[8].split("] ", 1)[1]
    assert badge_line.startswith('"GET /me/***/badge HTTP/1.1" 200 ')
    assert badge_line.endswith(
        f'"http://127.0.0.1:{port}/me/***/seats/{fintech.id}/drop" "log-test"'
    )
