"""The empty registration form: rendered once per seats, language and address, and served to
each visitor with their own CSRF token and form id, byte for byte the page a render would give."""

from __future__ import annotations

import re

import pytest
from flask import g
from markupsafe import escape

from tests.factories import OPERATOR
from tests.helpers.registration import details
from tests.registration.test_views import statement_shapes
from wuzhen_events.extensions import db
from wuzhen_events.registration import services
from wuzhen_events.registration.form_page import (
    CSRF_PLACEHOLDER,
    FORM_PAGES,
    SUBMISSION_ID_PLACEHOLDER,
)

CSRF_INPUT = re.compile(r'<input id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)">')
RESEND_CSRF_INPUT = re.compile(
    r'<input id="resend-csrf_token" name="resend-csrf_token" type="hidden" value="([^"]+)">'
)
SUBMISSION_INPUT = re.compile(
    r'<input id="submission_id" name="submission_id" type="hidden" value="([^"]+)">'
)


@pytest.fixture
def strict(app):
    """CSRF checks on, as in production (the test app turns them off)."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def visit(visitor, path: str = "/register/") -> str:
    """A GET as its own request: the test's app context outlives requests, and with it the
    signed token Flask-WTF keeps in `g`, which a server makes afresh for every request."""
    g.pop("csrf_token", None)
    return visitor.get(path).get_data(as_text=True)


def per_visitor_values(html: str) -> tuple[str, str, str]:
    return (
        CSRF_INPUT.search(html).group(1),
        RESEND_CSRF_INPUT.search(html).group(1),
        SUBMISSION_INPUT.search(html).group(1),
    )


def seats_of(html: str) -> list[str]:
    return re.findall(r'<span class="choice-about" id="subforums-\d-about">([^<]+)</span>', html)


def test_two_visitors_get_one_rendered_page_with_their_own_token_and_form_id(app, strict, setting):
    first_visitor, second_visitor = app.test_client(), app.test_client()

    first = visit(first_visitor)
    second = visit(second_visitor)

    first_token, first_resend_token, first_id = per_visitor_values(first)
    second_token, second_resend_token, second_id = per_visitor_values(second)
    assert len(app.extensions[FORM_PAGES]) == 1
    assert (first_token, second_token) == (first_resend_token, second_resend_token)
    assert first_token != second_token
    assert first_id != second_id
    assert first.replace(first_token, second_token).replace(first_id, second_id) == second
    assert CSRF_PLACEHOLDER not in second
    assert SUBMISSION_ID_PLACEHOLDER not in second


def post_form(visitor, token: str, submission_id: str, email: str):
    g.pop("csrf_token", None)
    g.pop("csrf_valid", None)  # Flask-WTF's note that this request's token was checked
    return visitor.post(
        "/register/",
        data={
            "csrf_token": token,
            "submission_id": submission_id,
            "name": "Li Wei",
            "email": email,
            "organisation": "Demo Networks",
            "country": "CN",
            "category": "enterprise",
            "locale": "en",
            "consent": "y",
        },
    )


def test_each_visitor_registers_with_the_token_of_the_page_they_were_served(app, strict, setting):
    first_visitor, second_visitor = app.test_client(), app.test_client()
    first_token, _resend, first_id = per_visitor_values(visit(first_visitor))
    second_token, _resend, second_id = per_visitor_values(visit(second_visitor))

    swapped = post_form(second_visitor, first_token, second_id, "swapped@example.com")
    first = post_form(first_visitor, first_token, first_id, "first@example.com")
    second = post_form(second_visitor, second_token, second_id, "second@example.com")

    assert swapped.status_code == 400
    assert "The form has expired" in swapped.get_data(as_text=True)
    assert [(a.status_code, a.headers["Location"]) for a in (first, second)] == [
        (303, "/register/check-inbox"),
        (303, "/register/check-inbox"),
    ]


def test_a_seat_taken_shows_on_the_next_get(app, client, setting):
    before = seats_of(client.get("/register/").get_data(as_text=True))
    services.register_delegate(
        setting.conference,
        details("taken@example.com"),
        subforums=[setting.economy],
        invitation_code="",
        submission_key=None,
        email_verified=True,
        actor=OPERATOR,
    )

    after = seats_of(client.get("/register/").get_data(as_text=True))

    assert before == [
        "Thu 8 Nov, 08:30–11:35 · 2 seats left",
        "Thu 8 Nov, 08:30–11:30 · 2 seats left",
        "Thu 8 Nov, 14:30–18:30 · 1 seat left",
    ]
    assert after == [
        "Thu 8 Nov, 08:30–11:35 · 2 seats left",
        "Thu 8 Nov, 08:30–11:30 · 2 seats left",
        "Thu 8 Nov, 14:30–18:30 · full: waitlist",
    ]
    assert len(app.extensions[FORM_PAGES]) == 2


def test_each_language_and_preselected_subforum_is_kept_apart(app, client, setting):
    checked = re.compile(r'<input ([^>]*)checked[^>]* value="(\d+)">')

    english = client.get("/register/").get_data(as_text=True)
    preselected = client.get("/register/?subforum=economy").get_data(as_text=True)
    client.get("/language/zh?next=/register/")
    chinese = client.get("/register/").get_data(as_text=True)

    assert checked.findall(english) == []
    assert [int(value) for _before, value in checked.findall(preselected)] == [setting.economy.id]
    assert '<html lang="en">' in english
    assert '<html lang="zh-Hans">' in chinese
    assert len(app.extensions[FORM_PAGES]) == 3


def test_a_page_carrying_a_flash_message_is_not_kept(app, client, setting):
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Your details are saved.")]

    flashed = client.get("/register/").get_data(as_text=True)
    kept_after = len(app.extensions[FORM_PAGES])
    plain = client.get("/register/").get_data(as_text=True)

    assert '<p class="flash flash-success">Your details are saved.</p>' in flashed
    assert '<p class="flash flash-success">' not in plain
    assert (kept_after, len(app.extensions[FORM_PAGES])) == (0, 1)


def test_the_placeholders_escape_to_themselves_as_tokens_do():
    for placeholder in (CSRF_PLACEHOLDER, SUBMISSION_ID_PLACEHOLDER):
        assert str(escape(placeholder)) == placeholder
        assert re.fullmatch(r"[A-Za-z0-9_-]+", placeholder)


def test_a_kept_form_page_reads_the_conference_and_its_subforums_only(
    client, setting, query_counter
):
    client.get("/register/")  # rendered and kept

    with query_counter(db.engine) as log:
        response = client.get("/register/")

    assert response.status_code == 200
    assert statement_shapes(log.statements) == ["SELECT conferences", "SELECT subforums"]


def test_parameters_the_form_does_not_read_share_its_page_and_stay_out_of_it(app, client, setting):
    client.get("/register/")
    tagged = client.get("/register/?utm_source=mail&x=%3Cscript%3E").get_data(as_text=True)

    assert 'href="/language/zh?next=/register/"' in tagged
    assert "utm_source" not in tagged
    assert "script%3E" not in tagged
    assert len(app.extensions[FORM_PAGES]) == 1


def test_the_form_posts_to_the_address_it_was_reached_under(app, client, setting):
    first = client.get("/register/", base_url="http://localhost/alpha/").get_data(as_text=True)
    second = client.get("/register/", base_url="http://localhost/beta/").get_data(as_text=True)

    assert '<form class="entry-form" method="post" action="/alpha/register/"' in first
    assert '<form class="entry-form" method="post" action="/beta/register/"' in second
    assert len(app.extensions[FORM_PAGES]) == 2
