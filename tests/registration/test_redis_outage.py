"""Redis out of reach with REDIS_URL set: the rate limits count in the process's memory, with
one warning in the log, and no request waits on Redis longer than REDIS_TIMEOUT."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from tests.helpers.apps import make_app
from tests.helpers.servers import OwnRedis, black_hole, own_redis, run_bounded
from wuzhen_events.extensions import limiter

from .test_rate_limits import LIMITS
from .test_views import form_data

FALLING_BACK = "Rate limit storage unreachable - falling back to in-memory storage"

pytestmark = pytest.mark.fault


@pytest.fixture(autouse=True)
def limiter_storage_alive() -> Iterator[None]:
    """The limiter is one object for every app of the test run, and it remembers that its
    storage died; the next test's app must start with it alive, as a new process would."""
    yield
    limiter._storage_dead = False


@pytest.fixture
def redis_server() -> Iterator[OwnRedis]:
    with own_redis() as server:
        yield server


def warnings_and_errors(caplog) -> list[tuple]:
    return [
        (record.name, record.levelname, record.getMessage(), record.exc_info)
        for record in caplog.records
        if record.levelno >= logging.WARNING
    ]


def resend(client, email: str) -> int:
    return client.post("/register/resend-link", data={"resend-email": email}).status_code


def test_resend_link_and_registration_answer_as_usual_while_redis_is_stopped(
    empty_database_url, setting, redis_server, caplog
):
    client = make_app(empty_database_url, REDIS_URL=redis_server.url, **LIMITS).test_client()
    before = resend(client, "li@example.com")
    counted_in_redis = sorted(key.decode() for key in redis_server.client().scan_iter())
    redis_server.stop()
    caplog.clear()

    statuses = [
        resend(client, "wang@example.com"),
        client.post("/register/", data=form_data(setting, email="wang@example.com")).status_code,
        resend(client, "wang@example.com"),  # the address's limit (1 per hour), kept in memory
    ]

    assert before == 200
    assert counted_in_redis == [
        "wuzhen-events:LIMITER/127.0.0.1/registration.resend_link/3/1/hour",
        "wuzhen-events:LIMITER/resend:li@example.com/registration.resend_link/1/1/hour",
    ]
    assert statuses == [200, 303, 429]
    assert warnings_and_errors(caplog) == [("flask-limiter", "WARNING", FALLING_BACK, None)]


def test_a_redis_that_never_answers_holds_a_request_no_longer_than_its_timeout(
    empty_database_url, setting, caplog
):
    with black_hole() as port:
        client = make_app(
            empty_database_url, REDIS_URL=f"redis://127.0.0.1:{port}/0", REDIS_TIMEOUT=0.5, **LIMITS
        ).test_client()

        status = run_bounded(lambda: resend(client, "li@example.com"), seconds=10)

    assert status == 200
    assert warnings_and_errors(caplog) == [("flask-limiter", "WARNING", FALLING_BACK, None)]
