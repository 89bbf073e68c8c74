"""Database outages: 503 with Retry-After and one log line while the database is stopped,
black-holed or full; full service after it comes back, without restarting the app; nothing an
answer acknowledged is lost or stored twice."""

from __future__ import annotations

import http.client
import itertools
import logging
import sqlite3
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

import psycopg
import pytest
import sqlalchemy as sa

from tests import factories
from tests.helpers.apps import make_app
from tests.helpers.servers import black_hole, own_postgres, run_bounded, serving, wait_until
from wuzhen_events.extensions import db
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.outages import is_database_outage, is_write_conflict
from wuzhen_events.program.models import Topic
from wuzhen_events.registration.models import Delegate
from wuzhen_events.transactions import write

OUTAGE_LOG = "Database unavailable, answered 503: "
CLIENTS = 4  # registration clients posting at once
PER_PHASE = 8  # answers each phase waits for: before the stop, during it, after the restart


def registration_form(email: str, **overrides) -> dict:
    data = {
        "name": "Li Wei",
        "name_zh": "李伟",
        "email": email,
        "organisation": "Demo Networks",
        "job_title": "CTO",
        "country": "CN",
        "category": "enterprise",
        "locale": "en",
        "consent": "y",
    }
    data.update(overrides)
    return data


def outage_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage().startswith(OUTAGE_LOG)]


def assert_logged_in_one_line(caplog) -> None:
    """No traceback and nothing at ERROR: an outage is one warning line per failed request."""
    assert [
        r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR
    ] == []


@dataclass(frozen=True)
class Answer:
    email: str
    sent: float
    answered: float
    status: int
    retry_after: str | None


@dataclass
class RegistrationLoad:
    """Clients posting new registrations until stopped, each answer recorded with its times."""

    port: int
    answers: list[Answer] = field(default_factory=list)
    numbers: itertools.count = field(default_factory=itertools.count)
    stopping: threading.Event = field(default_factory=threading.Event)

    def client(self) -> None:
        while not self.stopping.is_set():
            email = f"delegate{next(self.numbers)}@example.com"
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            sent = time.monotonic()
            connection.request(
                "POST",
                "/register/",
                body=urlencode(registration_form(email)),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            response = connection.getresponse()
            response.read()
            self.answers.append(
                Answer(
                    email,
                    sent,
                    time.monotonic(),
                    response.status,
                    response.getheader("Retry-After"),
                )
            )
            connection.close()

    def count(self, status: int, *, sent_after: float = 0.0) -> int:
        return sum(1 for a in list(self.answers) if a.status == status and a.sent > sent_after)


def stored_emails() -> Counter:
    db.session.rollback()
    return Counter(db.session.scalars(sa.select(Delegate.email)))


@pytest.mark.fault
def test_registrations_get_503_while_postgresql_is_down_and_full_service_after(caplog):
    caplog.set_level(logging.WARNING)
    with own_postgres() as postgres:
        app = make_app(postgres.url, DATABASE_CONNECT_TIMEOUT=2)
        with app.app_context():
            db.create_all()
            factories.make_conference()
            db.session.remove()
            with serving(app) as port:
                load = RegistrationLoad(port)
                clients = [threading.Thread(target=load.client) for _ in range(CLIENTS)]
                for client in clients:
                    client.start()
                try:
                    wait_until(lambda: load.count(303) >= PER_PHASE, what="registrations")
                    postgres.stop()
                    stopped = time.monotonic()
                    wait_until(lambda: load.count(503, sent_after=stopped) >= PER_PHASE)
                    restarting = time.monotonic()
                    postgres.start()
                    started = time.monotonic()
                    wait_until(lambda: load.count(303, sent_after=started) >= PER_PHASE)
                finally:
                    load.stopping.set()
                    for client in clients:
                        client.join(timeout=60)
            stored = stored_emails()
            db.session.remove()
            db.engine.dispose()

    answers = load.answers
    while_down = [a.status for a in answers if a.sent > stopped and a.answered < restarting]
    after = [a.status for a in answers if a.sent > started]
    acknowledged = {a.email for a in answers if a.status == 303}
    assert not any(client.is_alive() for client in clients)
    assert Counter(a.status for a in answers).keys() <= {303, 503}
    assert {a.retry_after for a in answers if a.status == 503} == {"5"}
    assert set(while_down) == {503}
    assert set(after) == {303}
    # Nothing acknowledged is lost, nothing is stored twice, nothing unasked is stored.
    assert {email: stored[email] for email in acknowledged} == dict.fromkeys(acknowledged, 1)
    assert set(stored) <= {a.email for a in answers}
    assert set(stored.values()) == {1}
    assert len(outage_records(caplog)) == Counter(a.status for a in answers)[503]
    assert_logged_in_one_line(caplog)


@pytest.mark.fault
def test_a_database_host_that_never_answers_gets_503_after_the_connect_timeout(caplog):
    caplog.set_level(logging.WARNING)
    with black_hole() as port:
        app = make_app(f"postgresql://wuzhen@127.0.0.1:{port}/wuzhen", DATABASE_CONNECT_TIMEOUT=2)
        client = app.test_client()

        # psycopg's own default would wait 130 s; the app server would kill the worker first.
        response = run_bounded(lambda: client.get("/program/"), seconds=10)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert [r.getMessage() for r in outage_records(caplog)] == [
        OUTAGE_LOG + "ConnectionTimeout: connection timeout expired"
    ]
    assert_logged_in_one_line(caplog)


def full_sqlite_app(tmp_path):
    """An app on a SQLite file that is full: small pages, and no page may be added, as when the
    disk has no room left for the file to grow."""
    path = tmp_path / "full.sqlite3"
    with sqlite3.connect(path) as setup:  # the page size is fixed when the file is first written
        setup.execute("PRAGMA page_size = 512")
        setup.execute("VACUUM")
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        db.create_all()
        factories.make_conference()
        pages = db.session.scalar(sa.text("PRAGMA page_count"))
        db.session.remove()
        db.engine.dispose()
        sa.event.listen(
            db.engine,
            "connect",
            lambda connection, _record: connection.execute(f"PRAGMA max_page_count = {pages}"),
        )
    return app


@pytest.mark.parametrize(
    ("locale", "heading", "first_paragraph"),
    [
        (
            "en",
            "503 Service unavailable",
            "The site is busy or being maintained. Please try again soon.",
        ),
        ("zh", "503 服务暂不可用", "网站繁忙或正在维护，请稍后再试。"),
    ],
)
def test_a_registration_on_a_full_disk_answers_503_and_stores_nothing(
    tmp_path, caplog, locale, heading, first_paragraph
):
    caplog.set_level(logging.WARNING)
    app = full_sqlite_app(tmp_path)
    with app.app_context():
        response = app.test_client().post(
            "/register/",
            data=registration_form("li.wei@example.com"),
            headers={"Accept-Language": locale},
        )

        html = response.get_data(as_text=True)
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        assert f"<h1>{heading}</h1>\n<p>{first_paragraph}</p>" in html
        assert (
            db.session.scalar(sa.select(sa.func.count(Delegate.id))),
            db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))),
        ) == (0, 0)
    assert [r.getMessage() for r in outage_records(caplog)] == [
        OUTAGE_LOG + "OperationalError: database or disk is full"
    ]
    assert_logged_in_one_line(caplog)


def test_a_connection_that_dies_after_the_view_answered_costs_no_error(empty_database_url):
    """The database went away between the page and the end of the request: the session's
    rollback fails, and that must not turn the page into the WSGI server's bare 500."""
    if not empty_database_url.startswith("postgresql"):
        pytest.skip("a SQLite connection cannot be closed from outside")
    app = make_app(empty_database_url)  # no app context of the test's: each request ends its own

    def view():
        pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
        with db.engine.connect() as other:
            other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        return "answered"

    app.add_url_rule("/dies-after-answering", view_func=view)

    response = app.test_client().get("/dies-after-answering")
    following = app.test_client().get("/healthz")

    assert (response.status_code, response.get_data(as_text=True)) == (200, "answered")
    assert following.get_json() == {"status": "ok", "database": "ok"}


def test_a_statement_past_the_statement_timeout_answers_503(empty_database_url, caplog):
    if not empty_database_url.startswith("postgresql"):
        pytest.skip("SQLite has no statement timeout; its busy timeout is tests/test_db.py's")
    caplog.set_level(logging.WARNING)
    app = make_app(empty_database_url, DATABASE_STATEMENT_TIMEOUT=0.2)
    app.add_url_rule(
        "/slow", view_func=lambda: str(db.session.scalar(sa.text("SELECT pg_sleep(5)")))
    )

    response = app.test_client().get("/slow")

    assert (response.status_code, response.headers["Retry-After"]) == (503, "5")
    assert [r.getMessage() for r in outage_records(caplog)] == [
        OUTAGE_LOG + "QueryCanceled: canceling statement due to statement timeout"
    ]


# --- write conflicts: PostgreSQL rolled one transaction back for another's sake -------------------

CONFLICT_LOG = "Write conflict, nothing saved, answered 409: "
CONFLICT_TEXT = (
    "Another change was being saved at the same moment as yours, so yours was not saved. "
    "Nothing was changed: please go back and send it again."
)


def rolled_back(driver_error: Exception) -> sa.exc.OperationalError:
    """The error SQLAlchemy raises for `driver_error`, as when a statement meets it."""
    return sa.exc.OperationalError("UPDATE topics SET name=%(name)s", {}, driver_error)


@pytest.mark.parametrize(
    ("error", "conflict", "outage"),
    [
        (rolled_back(psycopg.errors.DeadlockDetected("deadlock detected")), True, False),
        (rolled_back(psycopg.errors.SerializationFailure("could not serialize")), True, False),
        (rolled_back(psycopg.OperationalError("connection refused")), False, True),
        (rolled_back(psycopg.errors.QueryCanceled("statement timeout")), False, True),
    ],
    ids=["deadlock", "serialization failure", "connection refused", "statement timeout"],
)
def test_a_deadlock_or_serialization_failure_is_a_write_conflict_not_an_outage(
    error, conflict, outage
):
    assert (is_write_conflict(error), is_database_outage(error)) == (conflict, outage)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/html", CONFLICT_TEXT),
        ("application/json", "A concurrent change was saved first and this one was not"),
    ],
    ids=["page", "json"],
)
def test_a_deadlock_raised_through_the_handler_answers_409_not_503(
    empty_database_url, caplog, accept, expected
):
    caplog.set_level(logging.INFO)
    app = make_app(empty_database_url)

    def view():
        raise rolled_back(psycopg.errors.DeadlockDetected("deadlock detected"))

    app.add_url_rule("/conflicting", view_func=view, methods=["POST"])

    response = app.test_client().post("/conflicting", headers={"Accept": accept})

    assert (response.status_code, response.headers.get("Retry-After")) == (409, None)
    assert expected in response.get_data(as_text=True)
    assert [(r.levelname, r.getMessage()) for r in caplog.records if r.name == app.logger.name] == [
        ("WARNING", CONFLICT_LOG + "DeadlockDetected: deadlock detected")
    ]
    assert outage_records(caplog) == []


def test_a_real_deadlock_answers_409_and_the_other_change_is_saved(empty_database_url, caplog):
    """Two transactions lock two rows in opposite orders; PostgreSQL rolls back the one that
    waited first (the request's), and the other goes on."""
    if not empty_database_url.startswith("postgresql"):
        pytest.skip("SQLite lets one writer in at a time: no deadlock")
    caplog.set_level(logging.WARNING)
    app = make_app(empty_database_url)
    with app.app_context():
        first = factories.make_topic(slug="first").id
        second = factories.make_topic(slug="second").id
        engine = db.engine
        db.session.remove()
    request_holds_first, other_holds_second = threading.Event(), threading.Event()

    def rename(connection_or_session, topic_id: int, name: str) -> None:
        connection_or_session.execute(
            sa.update(Topic).where(Topic.id == topic_id).values(name=name)
        )

    def view():
        with write():
            rename(db.session, first, "renamed by the request")
            request_holds_first.set()
            other_holds_second.wait(10)
            rename(db.session, second, "renamed by the request")  # waits: a deadlock
        return "saved"

    def other_transaction() -> None:
        with engine.begin() as connection:
            rename(connection, second, "renamed by the other")
            other_holds_second.set()
            request_holds_first.wait(10)
            time.sleep(0.3)  # the request waits first, so PostgreSQL picks it to roll back
            rename(connection, first, "renamed by the other")

    app.add_url_rule("/deadlocking", view_func=view, methods=["POST"])
    other = threading.Thread(target=other_transaction)
    other.start()
    response = app.test_client().post("/deadlocking")
    other.join(15)

    with app.app_context():
        names = db.session.scalars(sa.select(Topic.name).order_by(Topic.slug)).all()
        db.session.remove()
        db.engine.dispose()
    assert response.status_code == 409
    assert CONFLICT_TEXT in response.get_data(as_text=True)
    assert names == ["renamed by the other", "renamed by the other"]
    assert [r.getMessage() for r in caplog.records if r.name == "wuzhen_events"] == [
        CONFLICT_LOG + "DeadlockDetected: deadlock detected"
    ]
    assert outage_records(caplog) == []
