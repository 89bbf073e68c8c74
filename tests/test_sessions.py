"""The signed-cookie session: skipped for cookieless clients, intact for browsers."""

from __future__ import annotations

import pytest

from tests import factories
from wuzhen_events.sessions import CookieSessionInterface


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
