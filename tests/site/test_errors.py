"""Error answers in every shape the site speaks: a page in the visitor's language, the API's
JSON error, plain text for calendar and schedule clients."""

from __future__ import annotations

import logging
import re

import pytest

from tests.helpers.apps import make_app

RETRY_LATER = {
    "en": (
        "503 Service unavailable",
        "The site is busy or being maintained. Please try again soon.",
    ),
    "zh": ("503 服务暂不可用", "网站繁忙或正在维护，请稍后再试。"),
}
API_UNAVAILABLE = {
    "error": {
        "status": 503,
        "code": "service_unavailable",
        "message": "The service is briefly unavailable; try again after the Retry-After delay.",
        "field": None,
    }
}


@pytest.fixture
def unreachable(tmp_path):
    """An app whose SQLite file cannot be opened (its folder is missing): the database is out
    of reach for every request."""
    return make_app(f"sqlite:///{tmp_path}/missing/wuzhen_events.sqlite3").test_client()


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_a_page_answers_503_in_the_visitors_language_while_the_database_is_out_of_reach(
    unreachable, caplog, locale
):
    response = unreachable.get("/program/", headers={"Accept-Language": locale})

    html = response.get_data(as_text=True)
    heading, text = RETRY_LATER[locale]
    assert (response.status_code, response.mimetype) == (503, "text/html")
    assert response.headers["Retry-After"] == "5"
    assert re.search(r"<h1>.*?</h1>\s*<p>.*?</p>", html).group(0) == (
        f"<h1>{heading}</h1>\n<p>{text}</p>"
    )
    assert [(r.levelno, r.getMessage(), r.exc_info) for r in caplog.records] == [
        (
            logging.WARNING,
            "Database unavailable, answered 503: OperationalError: unable to open database file",
            None,
        )
    ]


@pytest.mark.parametrize("path", ["/api/v1/sessions", "/schedule.json"])
def test_the_api_and_schedule_json_answer_503_in_the_api_error_shape(unreachable, path):
    response = unreachable.get(path)

    assert (response.status_code, response.get_json()) == (503, API_UNAVAILABLE)
    assert response.headers["Retry-After"] == "5"


@pytest.mark.parametrize(
    ("path", "locale"),
    [("/calendar/wic2018.ics", "en"), ("/schedule.xml", "en"), ("/calendar/wic2018.ics", "zh")],
)
def test_calendar_feeds_and_schedule_xml_answer_503_in_plain_text(unreachable, path, locale):
    response = unreachable.get(path, headers={"Accept-Language": locale})

    heading, text = RETRY_LATER[locale]
    assert (response.status_code, response.mimetype) == (503, "text/plain")
    assert response.get_data(as_text=True) == f"{heading}\n{text}\n"
    assert response.headers["Retry-After"] == "5"


def test_the_retry_after_of_the_503_is_a_setting(tmp_path):
    client = make_app(
        f"sqlite:///{tmp_path}/missing/wuzhen_events.sqlite3", DATABASE_RETRY_AFTER=30
    ).test_client()

    assert client.get("/program/").headers["Retry-After"] == "30"
