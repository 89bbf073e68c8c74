"""Rate limits on the public POSTs: the one past the limit answers 429 and changes nothing."""

from __future__ import annotations

import re
import uuid

import pytest
import redis
import sqlalchemy as sa

from tests.conftest import make_app
from tests.factories import count_rows, reload
from wuzhen_events.extensions import db
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.registration import services
from wuzhen_events.registration.models import Bookmark, Delegate

from .conftest import details
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
    return services.register_delegate(setting.conference, details(email), subforums=[]).manage_token


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
