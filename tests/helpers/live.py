"""A live server on loopback and Debian's Chromium for the browser tests (tests/e2e/) and the
screenshots (docs/take_screenshots.py), and what those tests read from its database."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask

from tests.factories import OPERATOR
from tests.helpers.apps import make_app
from tests.helpers.servers import serving as serving_port
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
    with serving_port(app) as port:
        yield f"http://127.0.0.1:{port}"


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
