"""A live server on loopback with the demo conference, and Debian's Chromium driven by Playwright.

No browser is ever downloaded: the tests use /usr/bin/chromium. Without it they skip with a
reason on a developer machine and fail under CI=true, where .ci/run installs it.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from tests.conftest import TEST_DATABASE_URL, database_url, make_app
from tests.factories import OPERATOR
from wuzhen_events.config import normalise_database_url
from wuzhen_events.extensions import db

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root
    "--disable-gpu",
    "--disable-background-networking",  # the machine is offline: no update or sync traffic
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def require_chromium() -> None:
    if os.path.exists(CHROMIUM):
        return
    message = f"Chromium not found at {CHROMIUM}; install Debian's package 'chromium'"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def make_live_app(url: str) -> Flask:
    """The app as a live server runs it: forms carry CSRF tokens as in production."""
    return make_app(
        url,
        WTF_CSRF_ENABLED=True,
        # Every page loads from one loopback address: the limiter has tests of its own.
        RATELIMIT_ENABLED=False,
    )


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve `app` on a free loopback port while the block runs; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory) -> Flask:
    """The demo conference the live server serves; tests may add rows to it through services."""
    from wuzhen_events.seed.loader import load_demo_conference

    app = make_live_app(database_url("e2e", tmp_path_factory.mktemp("e2e")))
    with app.app_context():
        db.create_all()
        load_demo_conference()
        db.session.remove()
    return app


@pytest.fixture(scope="session")
def live_server(live_app) -> Iterator[str]:
    with serving(live_app) as url:
        yield url


@pytest.fixture(scope="session")
def outage_server(tmp_path_factory) -> Iterator[str]:
    """A second live server whose database is out of reach, as while it is stopped: every page
    that needs it gets the 503 page, as a visitor sees it then."""
    if not TEST_DATABASE_URL:
        # Every connection fails with "unable to open database file", SQLite's outage code.
        missing = tmp_path_factory.mktemp("outage") / "no-such-directory" / "events.sqlite3"
        with serving(make_live_app(f"sqlite:///{missing}")) as url:
            yield url
        return
    # A loopback port bound but never listening refuses every connection, as a stopped server's
    # does; holding it keeps another process from taking the port meanwhile.
    with socket.socket() as closed_port:
        closed_port.bind(("127.0.0.1", 0))
        stopped = make_url(normalise_database_url(TEST_DATABASE_URL)).set(
            host="127.0.0.1", port=closed_port.getsockname()[1]
        )
        with serving(make_live_app(stopped.render_as_string(hide_password=False))) as url:
            yield url


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def emailed_link(app, email: str) -> str:
    """The private link of the registration made with `email`, as its e-mail carries it."""
    import sqlalchemy as sa

    from wuzhen_events.registration import tokens
    from wuzhen_events.registration.models import Delegate

    with app.app_context():
        delegate = db.session.scalar(sa.select(Delegate).where(Delegate.email == email))
        link = f"/me/{tokens.derive(tokens.Secret.MANAGE, delegate.manage_seed)}/"
        db.session.remove()
    return link


def register_delegate_in(app: Flask, email: str) -> str:
    """A delegate with a Fintech seat, made through the service in the live server's database
    (not through the form, whose steps may change); answers their manage token."""
    import sqlalchemy as sa

    from wuzhen_events.program.models import Subforum
    from wuzhen_events.program.queries import current_conference
    from wuzhen_events.registration.enums import DelegateCategory
    from wuzhen_events.registration.services import DelegateDetails, register_delegate

    with app.test_request_context():
        fintech = db.session.scalar(sa.select(Subforum).filter_by(slug="fintech-credit-society"))
        registration = register_delegate(
            current_conference(),
            DelegateDetails(
                name="Zhang Min",
                name_zh="张敏",
                email=email,
                organisation="Hangzhou Demo Networks",
                job_title="Engineer",
                country="CN",
                category=DelegateCategory.ENTERPRISE,
            ),
            subforums=[fintech],
            email_verified=True,  # as after opening the e-mailed link
            actor=OPERATOR,
        )
        db.session.remove()
    return registration.manage_token
