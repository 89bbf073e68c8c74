"""The Host check before every request, the proxy headers it reads, and the headers and cookie
flags of a site served over HTTPS."""

from __future__ import annotations

import re

import pytest

from tests.helpers.apps import make_app

FOREIGN_HOSTS = ["evil.example", "evil.example:5000", "localhost.evil.example", "LOCALHOST", ""]
FOREIGN_IDS = ["foreign", "foreign-with-port", "loopback-prefix", "capitals", "empty"]


def heading_and_text(response) -> tuple[str, str]:
    html = response.get_data(as_text=True)
    found = re.search(r"<h1>(.*?)</h1>\s*<p>(.*?)</p>", html, re.S)
    return found.group(1), found.group(2)


@pytest.mark.parametrize("host", FOREIGN_HOSTS, ids=FOREIGN_IDS)
def test_a_foreign_host_is_answered_400_with_the_sites_page(client, host):
    response = client.get("/privacy/", headers={"Host": host})

    assert response.status_code == 400
    assert heading_and_text(response) == (
        "400 Bad request",
        "The request could not be understood. Please check the address.",
    )
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_400_page_speaks_the_visitors_language(client):
    response = client.get("/privacy/", headers={"Host": "evil.example", "Accept-Language": "zh-CN"})

    assert response.status_code == 400
    assert heading_and_text(response) == ("400 请求有误", "无法理解此请求，请检查网址。")


@pytest.mark.parametrize(
    "host",
    ["localhost", "localhost:5000", "127.0.0.1", "127.0.0.1:8000", "[::1]", "[::1]:5000"],
)
def test_loopback_hosts_on_any_port_are_trusted_by_default(client, host):
    assert client.get("/privacy/", headers={"Host": host}).status_code == 200


def test_the_400_page_of_a_foreign_host_gets_its_stylesheet(client):
    """The page is served at the refused host, so its stylesheet is asked for there too."""
    stylesheet = re.search(
        r'<link rel="stylesheet" href="([^"]+)"',
        client.get("/privacy/", headers={"Host": "evil.example"}).get_data(as_text=True),
    ).group(1)

    response = client.get(stylesheet, headers={"Host": "evil.example"})

    assert (response.status_code, response.mimetype) == (200, "text/css")


def test_the_health_probe_answers_whatever_the_host(client):
    """Load balancers and orchestrators probe by the server's address; the probe makes no link."""
    assert client.get("/healthz", headers={"Host": "10.0.0.7:8000"}).status_code == 200


@pytest.mark.parametrize(
    ("settings", "host", "status"),
    [
        ({"PUBLIC_BASE_URL": "https://wic.example"}, "wic.example", 200),
        ({"PUBLIC_BASE_URL": "https://wic.example"}, "localhost:8000", 200),
        ({"PUBLIC_BASE_URL": "https://wic.example"}, "www.wic.example", 400),
        ({"TRUSTED_HOSTS": ["wic.example"]}, "wic.example:8443", 200),
        ({"TRUSTED_HOSTS": ["wic.example"]}, "localhost", 400),
        ({"TRUSTED_HOSTS": [".wic.example"]}, "www.wic.example", 200),
        ({"TRUSTED_HOSTS": [".wic.example"]}, "wic.example", 200),
        (
            {"TRUSTED_HOSTS": ["a.example"], "PUBLIC_BASE_URL": "https://wic.example"},
            "a.example",
            200,
        ),
        (
            {"TRUSTED_HOSTS": ["a.example"], "PUBLIC_BASE_URL": "https://wic.example"},
            "wic.example",
            200,
        ),
        (
            {"TRUSTED_HOSTS": ["a.example"], "PUBLIC_BASE_URL": "https://wic.example"},
            "localhost",
            400,
        ),
    ],
    ids=[
        "public-host",
        "public-and-loopback",
        "public-not-its-subdomain",
        "listed-any-port",
        "listed-replaces-loopback",
        "dot-takes-subdomains",
        "dot-takes-the-domain",
        "listed-and-public-listed",
        "listed-and-public-public",
        "listed-and-public-no-loopback",
    ],
)
def test_trusted_hosts_follow_the_settings(empty_database_url, settings, host, status):
    client = make_app(empty_database_url, **settings).test_client()

    assert client.get("/privacy/", headers={"Host": host}).status_code == status


def test_a_foreign_host_is_refused_before_csrf_is_checked(empty_database_url):
    client = make_app(empty_database_url, WTF_CSRF_ENABLED=True).test_client()

    response = client.post("/register/", data={}, headers={"Host": "evil.example"})

    assert response.status_code == 400
    assert heading_and_text(response)[0] == "400 Bad request"


# --- behind a reverse proxy --------------------------------------------------------------------

PROXY = {"REMOTE_ADDR": "10.0.0.2"}


def test_behind_a_proxy_the_forwarded_host_and_scheme_make_the_links(empty_database_url):
    client = make_app(empty_database_url, PROXY_FIX=1, TRUSTED_HOSTS=["wic.example"]).test_client()

    response = client.get(
        "/program",  # answered by a redirect to the address with the slash
        headers={
            "Host": "127.0.0.1:8000",
            "X-Forwarded-For": "203.0.113.9",
            "X-Forwarded-Host": "wic.example",
            "X-Forwarded-Proto": "https",
        },
        environ_base=PROXY,
    )

    assert response.status_code == 308
    assert response.headers["Location"] == "https://wic.example/program/"


def test_behind_a_proxy_a_forged_forwarded_host_is_refused(empty_database_url):
    client = make_app(empty_database_url, PROXY_FIX=1, TRUSTED_HOSTS=["wic.example"]).test_client()

    response = client.get(
        "/privacy/",
        headers={"Host": "wic.example", "X-Forwarded-Host": "evil.example"},
        environ_base=PROXY,
    )

    assert response.status_code == 400


def test_without_proxy_fix_forwarded_headers_are_ignored(empty_database_url):
    client = make_app(empty_database_url, TRUSTED_HOSTS=["wic.example"]).test_client()

    response = client.get(
        "/program",
        headers={
            "Host": "wic.example",
            "X-Forwarded-Host": "evil.example",
            "X-Forwarded-Proto": "https",
        },
    )

    assert response.headers["Location"] == "http://wic.example/program/"


# --- HTTPS: the Secure cookie and Strict-Transport-Security ------------------------------------


def cookie_and_hsts(empty_database_url, **settings) -> tuple[str, str | None]:
    """The Set-Cookie of the language switch (which stores the choice in the session) and the
    Strict-Transport-Security of the same answer."""
    response = make_app(empty_database_url, **settings).test_client().get("/language/zh")
    return response.headers["Set-Cookie"], response.headers.get("Strict-Transport-Security")


def cookie_flags(set_cookie: str) -> list[str]:
    return [part.strip().split("=")[0] for part in set_cookie.split(";")[1:]]


def test_an_https_site_sends_a_secure_cookie_and_hsts(empty_database_url):
    cookie, hsts = cookie_and_hsts(empty_database_url, PUBLIC_BASE_URL="https://wic.example")

    assert cookie_flags(cookie) == ["Secure", "HttpOnly", "Path", "SameSite"]
    assert hsts == "max-age=31536000"


@pytest.mark.parametrize(
    "settings",
    [{}, {"PUBLIC_BASE_URL": "http://wic.example"}],
    ids=["no-public-address", "http"],
)
def test_a_site_not_on_https_sends_neither(empty_database_url, settings):
    cookie, hsts = cookie_and_hsts(empty_database_url, **settings)

    assert cookie_flags(cookie) == ["HttpOnly", "Path", "SameSite"]
    assert hsts is None


def test_hsts_and_the_secure_cookie_can_be_set_outright(empty_database_url):
    cookie, hsts = cookie_and_hsts(
        empty_database_url,
        PUBLIC_BASE_URL="https://wic.example",
        SESSION_COOKIE_SECURE=False,
        STRICT_TRANSPORT_SECURITY="max-age=63072000; includeSubDomains; preload",
    )
    plain_cookie, no_hsts = cookie_and_hsts(
        empty_database_url, PUBLIC_BASE_URL="https://wic.example", STRICT_TRANSPORT_SECURITY=""
    )

    assert (cookie_flags(cookie), hsts) == (
        ["HttpOnly", "Path", "SameSite"],
        "max-age=63072000; includeSubDomains; preload",
    )
    assert (cookie_flags(plain_cookie), no_hsts) == (
        ["Secure", "HttpOnly", "Path", "SameSite"],
        None,
    )


def test_hsts_is_on_every_answer_of_an_https_site(empty_database_url):
    client = make_app(empty_database_url, PUBLIC_BASE_URL="https://wic.example").test_client()

    for url in ["/", "/nope", "/healthz", "/calendar/wic2018.ics", "/api/v1/sessions"]:
        headers = client.get(url).headers
        assert headers.getlist("Strict-Transport-Security") == ["max-age=31536000"], url


def test_pages_other_than_the_scanning_page_may_not_use_the_camera_nor_compile_webassembly(
    empty_database_url,
):
    client = make_app(empty_database_url).test_client()

    for url in ["/", "/register/", "/login", "/static/js/checkin.js"]:
        headers = client.get(url).headers
        assert (
            headers.getlist("Permissions-Policy"),
            "wasm-unsafe-eval" in headers["Content-Security-Policy"],
        ) == (["camera=(), microphone=(), geolocation=()"], False), url
