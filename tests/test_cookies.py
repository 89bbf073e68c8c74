"""The signed-cookie session: skipped for cookieless clients, intact for browsers."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.helpers.apps import make_app
from wuzhen_events.cookies import CookieSessionInterface
from wuzhen_events.extensions import db


@pytest.fixture
def no_signer(monkeypatch):
    def refuse(self, app):
        raise AssertionError("the cookie signer was built for a request without cookies")

    monkeypatch.setattr(CookieSessionInterface, "get_signing_serializer", refuse)


@pytest.fixture
def conference(app):
    return factories.make_conference()


def test_the_site_uses_the_cookie_session_interface(app):
    assert isinstance(app.session_interface, CookieSessionInterface)


@pytest.mark.usefixtures("no_signer")
@pytest.mark.parametrize("path", ["/healthz", "/calendar/wic2018.ics", "/api/v1/conference"])
def test_a_request_without_cookies_builds_no_signer_and_sets_no_cookie(client, path):
    response = client.get(path)

    assert response.status_code in {200, 404}
    assert "Set-Cookie" not in response.headers


def test_a_browser_keeps_its_language_through_the_signed_cookie(client, conference):
    client.get("/language/zh")

    assert '<html lang="zh-Hans">' in client.get("/program/").get_data(as_text=True)


def test_a_forged_session_cookie_is_ignored(client, conference):
    client.set_cookie("session", "eyJsb2NhbGUiOiJ6aCJ9.forged.signature")

    assert '<html lang="en">' in client.get("/program/").get_data(as_text=True)


def test_a_browser_keeps_its_session_and_open_forms_when_the_key_is_rotated(
    app, empty_database_url, conference
):
    before = make_app(empty_database_url, WTF_CSRF_ENABLED=True)
    after = make_app(
        empty_database_url,
        WTF_CSRF_ENABLED=True,
        SECRET_KEY="a-new-key-for-after-the-rotation",
        SECRET_KEY_FALLBACKS=[before.config["SECRET_KEY"]],
    )
    browser = before.test_client()
    browser.get("/language/zh")
    form_page = browser.get("/register/").get_data(as_text=True)
    form_token = re.search(
        r'id="resend-csrf_token" name="resend-csrf_token" '
        r'type="hidden" value="([^"]+)"',
        form_page,
    )[1]
    rotated = after.test_client()
    rotated.set_cookie("session", browser.get_cookie("session").value)

    sent = rotated.post(
        "/register/resend-link",
        data={"resend-csrf_token": form_token, "resend-email": "nobody@example.com"},
    )

    assert sent.status_code == 200  # not 400 "The form has expired"
    assert '<html lang="zh-Hans">' in sent.get_data(as_text=True)
    for made in (before, after):
        with made.app_context():
            db.engine.dispose()
