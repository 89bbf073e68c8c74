"""A live server on loopback with the demo conference, and Debian's Chromium driven by Playwright
(the server and browser helpers are in tests/helpers/live.py).

No browser is ever downloaded: the tests use /usr/bin/chromium. Without it they skip with a
reason on a developer machine and fail under CI=true, where .ci/run installs it.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy.engine import make_url

from tests.helpers.apps import TEST_DATABASE_URL, database_url
from tests.helpers.live import CHROMIUM, CHROMIUM_ARGS, make_live_app, require_chromium, serving
from wuzhen_events.config import normalise_database_url
from wuzhen_events.extensions import db


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
