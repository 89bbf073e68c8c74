"""Home page, health probe, language switch, error pages and security headers."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests import factories
from tests.conftest import make_app
from wuzhen_events.expo.enums import Sector
from wuzhen_events.program.enums import SessionKind


@pytest.fixture
def conference(app):
    conference = factories.make_conference()
    hall = factories.make_venue(slug="wuzhen-hall", hall="Wuzhen Hall")
    factories.make_subforum(conference, slug="ai", title="AI subforum")
    factories.make_session(
        conference,
        kind=SessionKind.CEREMONY,
        title="Opening ceremony",
        starts_at=datetime(2018, 11, 7, 2, 30, tzinfo=UTC),
        ends_at=datetime(2018, 11, 7, 3, 30, tzinfo=UTC),
        venue=hall,
    )
    factories.make_session(
        conference,
        kind=SessionKind.PLENARY,
        title="Plenary",
        starts_at=datetime(2018, 11, 7, 6, 0, tzinfo=UTC),
        ends_at=datetime(2018, 11, 7, 8, 0, tzinfo=UTC),
        venue=hall,
    )
    exhibitor = factories.make_exhibitor(conference, sector=Sector.TELECOM_5G)
    factories.make_exhibitor(conference)
    factories.make_launch(exhibitor, conference)
    return conference


def figures(html: str) -> list[tuple[str, str]]:
    return re.findall(r"<strong>([\d,+]+)</strong> ([^<]+?)</", html)


def test_home_shows_theme_dates_and_headline_figures(client, conference):
    html = client.get("/").get_data(as_text=True)

    assert '<h1 id="conference-name">Fifth World Internet Conference</h1>' in html
    assert "Creating a Digital World for Mutual Trust and Collective Governance" in html
    assert "Wednesday, November 7, 2018 – Friday, November 9, 2018" in html
    assert figures(html) == [
        ("1", "subforums"),
        ("2", "program sessions"),
        ("2", "exhibitors"),
        ("1", "product launches"),
        ("1,500+", "invited delegates"),
        ("76", "countries and regions"),
    ]


def test_home_before_the_conference_lists_what_comes_first(app, client, conference):
    app.config["FROZEN_NOW"] = datetime(2018, 11, 1, tzinfo=UTC)

    html = client.get("/").get_data(as_text=True)

    assert "The conference has not started yet. First up:" in html
    assert re.findall(r'session-\d+-title"><a [^>]+>([^<]+)<', html) == [
        "Opening ceremony",
        "Plenary",
    ]


def test_home_during_a_session_shows_it_as_now_and_the_rest_as_next(app, client, conference):
    app.config["FROZEN_NOW"] = datetime(2018, 11, 7, 3, 0, tzinfo=UTC)  # 11:00 in Wuzhen

    html = client.get("/").get_data(as_text=True)

    now_part, next_part = html.split("<h3>Next</h3>")
    assert re.findall(r'session-\d+-title"><a [^>]+>([^<]+)<', now_part) == ["Opening ceremony"]
    assert re.findall(r'session-\d+-title"><a [^>]+>([^<]+)<', next_part) == ["Plenary"]
    assert "Conference time now: <time" in html
    assert ">Wed 7 Nov 2018, 11:00</time>" in html


def test_home_shows_the_year_of_the_conference_time_now(app, client, conference):
    app.config["FROZEN_NOW"] = datetime(2026, 12, 3, 2, 31, tzinfo=UTC)

    html = client.get("/").get_data(as_text=True)

    assert (
        '<p class="meta">Conference time now: '
        '<time datetime="2026-12-03T10:31:00+08:00">Thu 3 Dec 2026, 10:31</time></p>'
    ) in html


def test_home_after_the_conference_says_it_has_ended(client, conference):
    html = client.get("/").get_data(as_text=True)

    assert "The conference has ended." in html
    assert "<h3>Now</h3>" not in html


def test_home_on_an_empty_database_explains_how_to_load_the_demo(client):
    response = client.get("/")

    assert response.status_code == 503
    assert "flask --app wuzhen_events seed-demo" in response.get_data(as_text=True)


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    broken = make_app(f"sqlite:///{tmp_path}/missing-dir/x/db.sqlite3")

    response = broken.test_client().get("/healthz")

    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unreachable"}


def test_language_switch_is_remembered_and_returns_to_the_page(client, conference):
    response = client.get("/language/zh?next=/program/%3Fday%3D2018-11-07")

    assert response.status_code == 303
    assert response.headers["Location"] == "/program/?day=2018-11-07"
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-Hans">' in html
    assert '<strong lang="zh" aria-current="true">中文</strong>' in html
    assert client.get("/language/en?next=/").status_code == 303
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", ""],
    ids=["absolute", "scheme-relative", "backslash", "javascript", "empty"],
)
def test_language_switch_never_redirects_off_site(client, target):
    response = client.get("/language/zh", query_string={"next": target})

    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_unknown_language_is_404(client):
    assert client.get("/language/fr").status_code == 404


def test_browser_preference_picks_chinese_until_a_choice_is_made(client, conference):
    html = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(as_text=True)

    assert '<html lang="zh-Hans">' in html


SECURITY_HEADER_NAMES = [
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Permissions-Policy",
]


def test_every_page_carries_security_headers(client, conference):
    for url in ["/", "/program/", "/nope", "/healthz"]:
        headers = client.get(url).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["Content-Security-Policy"].startswith("default-src 'self';")
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
        for name in SECURITY_HEADER_NAMES:
            assert len(headers.getlist(name)) == 1, (url, name)


def test_404_page_is_a_real_page(client):
    response = client.get("/no/such/page")

    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html
    assert '<a href="/program/">Browse the program</a>' in html


def test_method_not_allowed_gets_an_error_page(client):
    response = client.post("/healthz")

    assert response.status_code == 405
    html = response.get_data(as_text=True)
    assert "<h1>405 Method not allowed</h1>" in html
    assert "This address does not accept that kind of request." in html


def test_unexpected_error_renders_the_500_page_and_rolls_back(app, client, conference):
    @app.get("/boom")
    def boom():
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("database went away"))

    response = client.get("/boom")

    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200


def test_error_pages_speak_the_visitors_language(client):
    client.get("/language/zh")

    html = client.post("/healthz").get_data(as_text=True)

    assert "<h1>405 不支持的请求方式</h1>" in html
    assert "此网址不接受这种请求。" in html


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-US,zh;q=0.5", "en"),
        ("zh-CN,en;q=0.8", "zh-Hans"),
        ("fr-FR,zh-TW;q=0.7,en;q=0.3", "zh-Hans"),
        ("fr-FR", "en"),
    ],
    ids=["english-first", "chinese-first", "chinese-before-english", "neither"],
)
def test_browser_preference_is_read_in_its_own_order(client, conference, header, expected):
    html = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)

    assert f'<html lang="{expected}">' in html
