"""Home page, health probe, language switch, privacy notice, error pages and security headers."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tests import worlds
from tests.helpers.apps import make_app
from wuzhen_events.site.views import months_after


@pytest.fixture
def conference(app):
    return worlds.front_page().conference


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
        # Only a site whose PUBLIC_BASE_URL is https sends it (tests/site/test_security.py).
        assert "Strict-Transport-Security" not in headers


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
        # A fault in the code, not an outage (those answer 503: tests/site/test_errors.py).
        raise sa.exc.ProgrammingError("SELEC 1", {}, Exception("syntax error at or near SELEC"))

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


# --- the privacy notice and the organizers' contact address -----------------------------------

CONTACT_LINK = (
    '<a href="mailto:organizers@wuzhen-events.example">organizers@wuzhen-events.example</a>'
)


def headings(html: str) -> list[str]:
    return re.findall(r"<h[12][^>]*>([^<]+)</h[12]>", html)


def test_privacy_notice_covers_every_question_in_english(client, conference):
    html = client.get("/privacy/").get_data(as_text=True)

    assert headings(html) == [
        "Privacy notice",
        "Who is responsible",
        "What we collect",
        "Why we use it",
        "Who sees it",
        "How long we keep it",
        "Getting a copy of your data",
        "Erasing your registration",
        "Cookies",
        "Questions",
    ]
    assert (
        "<p>Your registration is kept until 6 months after the conference ends, that is until "
        "9 May 2019, and is then erased as described below.</p>"
    ) in html


def test_privacy_notice_covers_every_question_in_chinese(client, conference):
    client.get("/language/zh")

    html = client.get("/privacy/").get_data(as_text=True)

    assert headings(html) == [
        "隐私声明",
        "谁负责处理您的信息",
        "我们收集哪些信息",
        "我们为什么使用这些信息",
        "谁能看到这些信息",
        "我们保存多久",
        "获取您的数据副本",
        "删除您的注册",
        "Cookie",
        "问题咨询",
    ]
    assert "<p>您的注册将保存至大会结束后6个月，即2019年5月9日，之后按下文所述删除。</p>" in html
    assert f"<p>请写信给组委会：{CONTACT_LINK}。</p>" in html


def test_privacy_notice_takes_its_retention_and_contact_from_the_settings(app, client):
    app.config.update(RETENTION_MONTHS=1, CONTACT_EMAIL="privacy@wic.example")

    html = client.get("/privacy/").get_data(as_text=True)

    # Without a conference there is no last day to count from.
    assert (
        "<p>Your registration is kept until 1 month after the conference ends, and is then "
        "erased as described below.</p>"
    ) in html
    assert (
        '<p>Write to the organizers at <a href="mailto:privacy@wic.example">'
        "privacy@wic.example</a>.</p>"
    ) in html


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2018, 11, 9), 6, date(2019, 5, 9)),
        (date(2018, 8, 31), 6, date(2019, 2, 28)),
        (date(2018, 11, 9), 0, date(2018, 11, 9)),
        (date(2018, 11, 9), 14, date(2020, 1, 9)),
    ],
    ids=["same-day", "shorter-month", "none", "over-a-year"],
)
def test_months_after_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert months_after(day, months) == expected


def test_footer_links_the_privacy_notice_and_the_organizers_address(client, conference):
    html = client.get("/").get_data(as_text=True)

    footer = html.split('<footer class="site-footer">')[1]
    assert (
        f'<p><a href="/privacy/">Privacy notice</a> · Contact the organizers: {CONTACT_LINK}</p>'
    ) in footer


@pytest.mark.parametrize(
    ("method", "url", "status", "sentence"),
    [
        (
            "get",
            "/no/such/page",
            404,
            "Looking for something that should be here? Please write to the organizers at "
            f"{CONTACT_LINK}.",
        ),
        (
            "post",
            "/healthz",
            405,
            f"If this keeps happening, please write to the organizers at {CONTACT_LINK}.",
        ),
    ],
    ids=["404", "405"],
)
def test_error_pages_name_the_organizers_address(client, method, url, status, sentence):
    response = getattr(client, method)(url)

    main = response.get_data(as_text=True).split('<main id="main"')[1].split("</main>")[0]
    assert response.status_code == status
    assert f"<p>{sentence}</p>" in main


def test_the_500_page_says_what_happened_and_whom_to_write_to(app, client, conference):
    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    response = client.get("/boom")

    main = response.get_data(as_text=True).split('<main id="main"')[1].split("</main>")[0]
    assert response.status_code == 500
    assert re.findall(r"<p>(.*?)</p>", main) == [
        "An error on our side stopped the server from finishing this request. The error has "
        "been logged so that it can be fixed.",
        "Nothing is ever half-saved: a change is stored completely or not at all. Go back and "
        "reload the page to see where things stand.",
        f"If this keeps happening, please write to the organizers at {CONTACT_LINK} and tell "
        "them what you were doing and when.",
        '<a href="/">Back to the conference home page</a>',
    ]
