"""Signing in and out: one answer for every wrong address or password, a new session at
sign-in, only local `next` targets, limits on guessing, cookies a script or a third-party page
cannot use, and CSRF on the form."""

from __future__ import annotations

import re
import uuid

import pytest
import sqlalchemy as sa

from tests.helpers.accounts import PASSWORD, make_account
from tests.helpers.apps import make_app
from wuzhen_events.accounts.enums import Role
from wuzhen_events.accounts.models import Account
from wuzhen_events.audit.actors import ActorKind
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.extensions import db

WRONG = "The e-mail address or the password is not right."


@pytest.fixture
def organizer(app):
    return make_account(Role.ORGANIZER, email="li.wei@organizers.example")


def sign_in(client, email="li.wei@organizers.example", password=PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra}, **{})


def test_a_right_password_signs_in_and_records_the_sign_in(client, organizer):
    response = sign_in(client, email="  LI.WEI@organizers.example ")

    assert response.status_code == 303
    assert response.location == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    db.session.expire_all()
    assert db.session.get(Account, organizer.id).last_login_at is not None
    (entry,) = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "record_login"))
    assert (entry.actor_kind, entry.actor_id, entry.fields) == (
        ActorKind.ORGANIZER,
        str(organizer.id),
        ["last_login_at"],
    )


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(client, organizer):
    wrong_password = sign_in(client, password="not the password at all")
    unknown = sign_in(client, email="nobody@organizers.example")

    assert wrong_password.status_code == unknown.status_code == 422
    assert WRONG in wrong_password.get_data(as_text=True)
    assert WRONG in unknown.get_data(as_text=True)
    message = re.compile(r'<ul class="field-errors"[^>]*>.*?</ul>', re.S)
    assert message.findall(wrong_password.get_data(as_text=True)) == message.findall(
        unknown.get_data(as_text=True)
    )
    assert client.get("/dashboard/").status_code == 302


def test_a_disabled_account_cannot_sign_in(client, organizer):
    from wuzhen_events.accounts.services import disable_account
    from wuzhen_events.audit.actors import Actor

    disable_account(organizer, actor=Actor.cli("tests"))

    response = sign_in(client)

    assert response.status_code == 422
    assert WRONG in response.get_data(as_text=True)
    assert client.get("/dashboard/").status_code == 302


def test_next_leads_to_a_local_page(client, organizer):
    response = client.post(
        "/login?next=/dashboard/account/",
        data={"email": organizer.email, "password": PASSWORD, "next": "/dashboard/account/"},
    )

    assert response.location == "/dashboard/account/"


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_next_elsewhere_is_refused(client, organizer, target):
    response = sign_in(client, next=target)

    assert response.status_code == 303
    assert response.location == "/dashboard/"


def test_the_session_is_renewed_at_sign_in(client, organizer):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"

    sign_in(client)

    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{organizer.id}.{organizer.login_epoch}"


def test_signing_out_needs_a_post(client, organizer):
    sign_in(client)

    page = client.get("/logout")
    assert page.status_code == 200
    assert '<form method="post" action="/logout"' in page.get_data(as_text=True)
    assert client.get("/dashboard/").status_code == 200

    response = client.post("/logout")
    assert (response.status_code, response.location) == (303, "/login")
    assert client.get("/dashboard/").status_code == 302


def test_a_signed_in_visitor_opening_the_form_goes_to_the_dashboard(client, organizer):
    sign_in(client)

    response = client.get("/login")

    assert (response.status_code, response.location) == (303, "/dashboard/")


@pytest.mark.parametrize(
    "data", [{}, {"email": "", "password": ""}, {"email": "x" * 300, "password": "y"}]
)
def test_an_empty_or_huge_form_is_refused_clearly(client, data):
    response = client.post("/login", data=data)

    assert response.status_code == 422
    assert client.get("/dashboard/").status_code == 302


# --- limits -------------------------------------------------------------------------------------


@pytest.fixture
def limited(app, empty_database_url):
    """Made after `app`: the limiter is one object, set up by the last app made."""
    return make_app(
        empty_database_url,
        RATELIMIT_ENABLED=True,
        RATELIMIT_LOGIN="4 per 15 minutes",
        RATELIMIT_LOGIN_PER_ACCOUNT="2 per 15 minutes",
    )


def from_address(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def test_failed_attempts_on_one_account_are_limited_from_any_address(limited, app):
    email = f"{uuid.uuid4().hex}@organizers.example"
    with limited.app_context():
        make_account(Role.ORGANIZER, email=email)
        client = limited.test_client()
        answers = [
            client.post(
                "/login",
                data={"email": email, "password": "wrong guess"},
                **from_address(f"10.1.0.{n}"),
            ).status_code
            for n in range(3)
        ]
        right = client.post(
            "/login", data={"email": email, "password": PASSWORD}, **from_address("10.1.0.9")
        )

    assert answers == [422, 422, 429]
    assert right.status_code == 429


def test_failed_attempts_from_one_address_are_limited_whatever_the_account(limited, app):
    address = f"10.2.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    with limited.app_context():
        client = limited.test_client()
        answers = [
            client.post(
                "/login",
                data={"email": f"{uuid.uuid4().hex}@organizers.example", "password": "guess"},
                **from_address(address),
            ).status_code
            for _ in range(5)
        ]

    assert answers == [422, 422, 422, 422, 429]


def test_successful_sign_ins_do_not_count_against_the_limit(limited, app):
    email = f"{uuid.uuid4().hex}@organizers.example"
    with limited.app_context():
        make_account(Role.ORGANIZER, email=email)
        answers = [
            limited.test_client()
            .post("/login", data={"email": email, "password": PASSWORD}, **from_address("10.3.0.1"))
            .status_code
            for _ in range(4)
        ]

    assert answers == [303, 303, 303, 303]


# --- cookies and CSRF ---------------------------------------------------------------------------


def session_cookie_header(response) -> str:
    (header,) = [
        value for value in response.headers.getlist("Set-Cookie") if value.startswith("session=")
    ]
    return header


def test_the_session_cookie_is_httponly_and_lax(client, organizer):
    header = session_cookie_header(sign_in(client))

    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header  # served over plain HTTP in this app


def test_the_session_cookie_is_secure_when_the_site_is_served_over_https(app, empty_database_url):
    secure = make_app(empty_database_url, PUBLIC_BASE_URL="https://wic.example")
    with secure.app_context():
        make_account(Role.ORGANIZER, email="secure@organizers.example")
        response = secure.test_client().post(
            "/login",
            data={"email": "secure@organizers.example", "password": PASSWORD},
            base_url="https://wic.example",
        )

    assert secure.config["SESSION_COOKIE_SECURE"] is True
    header = session_cookie_header(response)
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header


def test_the_sign_in_form_needs_its_csrf_token(app, empty_database_url):
    guarded = make_app(empty_database_url, WTF_CSRF_ENABLED=True)
    with guarded.app_context():
        make_account(Role.ORGANIZER, email="csrf@organizers.example")
        client = guarded.test_client()
        refused = client.post(
            "/login", data={"email": "csrf@organizers.example", "password": PASSWORD}
        )
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
        accepted = client.post(
            "/login",
            data={"email": "csrf@organizers.example", "password": PASSWORD, "csrf_token": token},
        )

    assert refused.status_code in (400, 422)
    assert accepted.status_code == 303
