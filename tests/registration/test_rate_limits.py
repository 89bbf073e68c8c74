"""Rate limits on the public POSTs: the one past the limit answers 429 and changes nothing."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
import redis
import sqlalchemy as sa

from tests.factories import OPERATOR, count_rows, reload
from tests.helpers.apps import make_app
from tests.helpers.registration import details
from wuzhen_events.db import utcnow
from wuzhen_events.extensions import db
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.program.models import Conference
from wuzhen_events.registration import services
from wuzhen_events.registration.models import Bookmark, Delegate

from .test_concurrency import run_together
from .test_views import form_data

REDIS_URL = "redis://127.0.0.1:6379/15"
LIMITS = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_REGISTRATION": "2 per hour",
    "RATELIMIT_RESEND_LINK": "3 per hour",
    "RATELIMIT_RESEND_LINK_PER_ADDRESS": "1 per hour",
    "RATELIMIT_STARS": "1 per hour",
    "RATELIMIT_DELEGATE_CHANGES": "2 per hour",
}
PAGES = {
    "en": (
        "<h1>429 Too many requests</h1>",
        "<p>Too many requests came from your connection, so this one was not carried out and "
        "nothing was saved. Please try again in 60 minutes.</p>",
    ),
    "zh": (
        "<h1>429 请求过于频繁</h1>",
        "<p>来自您的网络连接的请求过多，因此本次请求未被执行，也没有保存任何内容。"
        "请在 60 分钟后重试。</p>",
    ),
}


@pytest.fixture
def limited(empty_database_url, setting):
    """A client of an app with small limits on the same database as `setting`."""
    return make_app(empty_database_url, **LIMITS).test_client()


def assert_rate_limited_page(response, locale: str) -> None:
    html = response.get_data(as_text=True)
    heading, text = PAGES[locale]
    assert response.status_code == 429
    assert 3540 < int(response.headers["Retry-After"]) <= 3601
    assert re.search(r"<h1>.*?</h1>", html).group(0) == heading
    assert re.search(r"<h1>.*?</h1>\s*(<p>.*?</p>)", html, re.S).group(1) == text


def manage_token(setting, email: str) -> str:
    return services.register_delegate(
        setting.conference, details(email), subforums=[], actor=OPERATOR
    ).manage_token


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_the_registration_past_the_limit_answers_429_in_the_visitors_language(
    limited, setting, locale
):
    headers = {"Accept-Language": locale}
    for number in (1, 2):
        data = form_data(setting, email=f"li{number}@example.com", subforums=[])
        assert limited.post("/register/", data=data, headers=headers).status_code == 303
    before = (count_rows(Delegate), count_rows(OutboxMessage))

    refused = limited.post(
        "/register/", data=form_data(setting, email="li3@example.com"), headers=headers
    )

    assert_rate_limited_page(refused, locale)
    assert (count_rows(Delegate), count_rows(OutboxMessage)) == before
    assert limited.get("/register/").status_code == 200  # showing the form is not limited


def test_an_api_client_gets_the_429_in_the_json_error_shape(limited, setting):
    for number in (1, 2):
        limited.post("/register/", data=form_data(setting, email=f"li{number}@example.com"))

    refused = limited.post(
        "/register/", data=form_data(setting), headers={"Accept": "application/json"}
    )

    assert refused.status_code == 429
    assert 3540 < int(refused.headers["Retry-After"]) <= 3601
    assert refused.get_json() == {
        "error": {
            "status": 429,
            "code": "too_many_requests",
            "message": "Too many requests from this client; try again after the Retry-After delay.",
            "field": None,
        }
    }


def resend_statuses(client, *emails) -> list[int]:
    return [
        client.post("/register/resend-link", data={"resend-email": e}).status_code for e in emails
    ]


def test_resend_link_is_limited_per_requested_address(limited, setting):
    assert resend_statuses(limited, "li@example.com", " LI@example.com ") == [200, 429]


def test_resend_link_is_limited_per_client_whatever_the_address(limited, setting):
    emails = ["li@example.com", "wang@example.com", "zhao@example.com", "chen@example.com"]

    assert resend_statuses(limited, *emails) == [200, 200, 200, 429]


def test_resend_link_past_the_limit_sends_nothing(limited, setting):
    manage_token(setting, "li@example.com")
    limited.post("/register/resend-link", data={"resend-email": "li@example.com"})
    before = count_rows(OutboxMessage)

    refused = limited.post("/register/resend-link", data={"resend-email": "li@example.com"})

    assert_rate_limited_page(refused, "en")
    assert count_rows(OutboxMessage) == before


def test_starring_past_the_limit_changes_nothing(limited, setting):
    token = manage_token(setting, "li@example.com")
    session_ids = [s.id for s in setting.fintech.sessions + setting.economy.sessions]

    first = limited.post(f"/me/{token}/stars/{session_ids[0]}")
    refused = limited.post(f"/me/{token}/stars/{session_ids[1]}")

    assert first.status_code == 303
    assert_rate_limited_page(refused, "en")
    db.session.rollback()  # see what the requests committed
    assert db.session.scalars(sa.select(Bookmark.session_id)).all() == [session_ids[0]]


def test_every_change_from_the_private_page_counts_against_one_limit(limited, setting):
    token = manage_token(setting, "li@example.com")
    delegate = db.session.scalar(sa.select(Delegate))
    feed_seed = delegate.feed_seed

    statuses = [
        limited.post(f"/me/{token}/seats", data={"subforum": str(setting.fintech.id)}).status_code,
        limited.post(f"/me/{token}/seats/{setting.fintech.id}/drop").status_code,
        limited.post(f"/me/{token}/feed").status_code,
        limited.post(f"/me/{token}/cancel").status_code,
    ]

    assert statuses == [303, 303, 429, 429]
    db.session.rollback()
    assert reload(delegate).feed_seed == feed_seed
    assert limited.get(f"/me/{token}/cancel").status_code == 200


def test_limits_are_kept_in_redis_when_redis_url_is_set(empty_database_url, setting):
    store = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        store.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis is not answering on 127.0.0.1:6379")
    prefix = f"wuzhen-test-{uuid.uuid4().hex}"
    app = make_app(empty_database_url, REDIS_URL=REDIS_URL, RATELIMIT_REDIS_PREFIX=prefix, **LIMITS)
    client = app.test_client()
    try:
        statuses = [
            client.post(
                "/register/resend-link", data={"resend-email": "li@example.com"}
            ).status_code
            for _ in range(2)
        ]
        keys = sorted(key.decode() for key in store.scan_iter(f"{prefix}:*"))
        counts = [int(store.get(key)) for key in keys]
    finally:
        for key in store.scan_iter(f"{prefix}:*"):
            store.delete(key)

    assert statuses == [200, 429]
    assert app.config["RATELIMIT_STORAGE_URI"] == REDIS_URL
    assert keys == [
        f"{prefix}:LIMITER/127.0.0.1/registration.resend_link/3/1/hour",
        f"{prefix}:LIMITER/resend:li@example.com/registration.resend_link/1/1/hour",
    ]
    assert counts == [1, 2]  # the address's limit stopped the second request first


def test_retry_after_names_the_wait_of_the_limit_that_was_broken(empty_database_url, setting):
    client = make_app(
        empty_database_url, **{**LIMITS, "RATELIMIT_RESEND_LINK_PER_ADDRESS": "1 per day"}
    ).test_client()

    statuses = resend_statuses(client, "li@example.com")
    refused = client.post("/register/resend-link", data={"resend-email": "li@example.com"})

    assert statuses == [200]
    assert refused.status_code == 429
    assert 86340 < int(refused.headers["Retry-After"]) <= 86401
    assert "Please try again in 24 hours." in refused.get_data(as_text=True)


# --- behind a reverse proxy --------------------------------------------------------------------

PROXY = {"REMOTE_ADDR": "10.0.0.2"}  # every request reaches the app from the proxy's address


def resend_from(client, forwarded_for: str) -> int:
    return client.post(
        "/register/resend-link",
        data={"resend-email": f"{uuid.uuid4().hex}@example.com"},  # a new address each time
        headers={"X-Forwarded-For": forwarded_for},
        environ_base=PROXY,
    ).status_code


def test_behind_a_proxy_each_client_has_its_own_bucket(empty_database_url, setting):
    client = make_app(
        empty_database_url, PROXY_FIX=1, **{**LIMITS, "RATELIMIT_RESEND_LINK": "1 per hour"}
    ).test_client()

    statuses = [
        resend_from(client, "203.0.113.1"),
        resend_from(client, "203.0.113.2"),
        resend_from(client, "203.0.113.1"),
    ]

    assert statuses == [200, 200, 429]


def test_without_proxy_fix_a_forged_forwarded_for_gets_no_new_bucket(empty_database_url, setting):
    client = make_app(
        empty_database_url, **{**LIMITS, "RATELIMIT_RESEND_LINK": "1 per hour"}
    ).test_client()

    assert [resend_from(client, "203.0.113.1"), resend_from(client, "203.0.113.2")] == [200, 429]


def test_behind_a_proxy_only_the_address_the_proxy_added_counts(empty_database_url, setting):
    """A client may send its own X-Forwarded-For; the proxy appends the address it saw."""
    client = make_app(
        empty_database_url, PROXY_FIX=1, **{**LIMITS, "RATELIMIT_RESEND_LINK": "1 per hour"}
    ).test_client()

    statuses = [
        resend_from(client, "198.51.100.1, 203.0.113.1"),
        resend_from(client, "198.51.100.2, 203.0.113.1"),  # the same client, a forged prefix
        resend_from(client, "198.51.100.1, 203.0.113.2"),  # another client, the same prefix
    ]

    assert statuses == [200, 429, 200]


# --- the per-address limit of "send me my link again", across workers ---------------------------


def test_the_address_limit_holds_across_workers_without_redis(empty_database_url, setting):
    """Each worker process counts its own requests in memory; the e-mails are counted in the
    database, so the fourth within the hour goes nowhere, whichever worker takes it."""
    manage_token(setting, "li@example.com")  # its confirmation e-mail is queued too
    settings = {**LIMITS, "RATELIMIT_RESEND_LINK_PER_ADDRESS": "3 per hour"}
    statuses = []
    for _worker in range(2):
        # A second app starts its limiter afresh, as a second worker's memory is its own.
        worker = make_app(empty_database_url, **settings).test_client()
        statuses += resend_statuses(worker, "li@example.com", "li@example.com")

    kinds = db.session.scalars(sa.select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert statuses == [200, 200, 200, 200]
    assert kinds == ["confirmation", "manage_link", "manage_link", "manage_link"]


def test_past_the_address_limit_the_answer_is_the_one_an_unknown_address_gets(
    empty_database_url, setting
):
    manage_token(setting, "li@example.com")
    settings = {**LIMITS, "RATELIMIT_RESEND_LINK": "20 per hour"}
    answers = []
    for email in ["li@example.com", "nobody@example.com"]:
        # A worker of its own for each request, so only the database's count can stop it.
        for _request in range(2):
            worker = make_app(empty_database_url, **settings).test_client()
            answers.append(worker.post("/register/resend-link", data={"resend-email": email}))

    kinds = db.session.scalars(sa.select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds == ["confirmation", "manage_link"]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 200]
    assert len({answer.get_data(as_text=True) for answer in answers}) == 1


def test_registering_a_known_address_counts_against_the_same_limit(empty_database_url, setting):
    """Both e-mail the owner their link again: alternating them must not double the e-mails."""
    manage_token(setting, "li@example.com")
    settings = {**LIMITS, "RATELIMIT_RESEND_LINK_PER_ADDRESS": "3 per hour"}
    statuses = []
    for number in range(4):
        worker = make_app(empty_database_url, **settings).test_client()
        if number % 2:
            statuses += resend_statuses(worker, "li@example.com")
        else:
            data = form_data(setting, email="li@example.com", subforums=[])
            statuses.append(worker.post("/register/", data=data).status_code)

    db.session.rollback()  # end the read form_data began, to see what the requests committed
    kinds = db.session.scalars(sa.select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert statuses == [303, 200, 303, 200]
    assert kinds == ["confirmation", "registration_attempt", "manage_link", "registration_attempt"]


def test_an_hour_later_the_address_gets_its_link_again(empty_database_url, setting):
    manage_token(setting, "li@example.com")
    settings = {**LIMITS, "RATELIMIT_RESEND_LINK_PER_ADDRESS": "1 per hour"}
    first = make_app(empty_database_url, **settings).test_client()
    resend_statuses(first, "li@example.com")
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.kind == "manage_link")
        .values(created_at=utcnow() - timedelta(minutes=61))
    )
    db.session.commit()

    later = make_app(empty_database_url, **settings).test_client()
    resend_statuses(later, "li@example.com")

    kinds = db.session.scalars(sa.select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds == ["confirmation", "manage_link", "manage_link"]


@pytest.mark.parametrize("requests", [4, 12])
def test_simultaneous_requests_for_one_address_queue_at_most_the_limit(app, setting, requests):
    """Requests from several workers at the same instant count in turn (the delegate's row is
    locked while its e-mails are counted), on SQLite and PostgreSQL alike."""
    manage_token(setting, "li@example.com")
    app.config["RATELIMIT_ENABLED"] = True  # the services read it; the 3 per hour default
    conference_id = setting.conference.id

    def resend():
        services.send_manage_link(db.session.get(Conference, conference_id), "li@example.com")

    errors = run_together(app, [resend] * requests)

    db.session.rollback()  # see what the workers committed
    kinds = db.session.scalars(sa.select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert errors == []
    assert kinds == ["confirmation", "manage_link", "manage_link", "manage_link"]
