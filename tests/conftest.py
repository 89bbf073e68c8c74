"""Fixtures in the flaskr style: an empty app per test, and one demo conference per run.

The suite runs on a SQLite file by default and on PostgreSQL when TEST_DATABASE_URL is set;
each PostgreSQL database gets its own schema so the empty and the demo database never meet.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import quote

import flask_babel
import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import event

from wuzhen_events import clock as wuzhen_clock
from wuzhen_events import create_app
from wuzhen_events.config import normalise_database_url
from wuzhen_events.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
# The PostgreSQL schemas this run made, dropped when it ends (drop_test_schemas).
CREATED_SCHEMAS: list[str] = []


def database_url(name: str, tmp_dir) -> str:
    """A database of its own for `name`: a SQLite file, or a PostgreSQL schema.

    The schema's name carries the process id, so two runs on one database never share one.
    """
    if not TEST_DATABASE_URL:
        return f"sqlite:///{tmp_dir / (name + '.sqlite3')}"
    base = normalise_database_url(TEST_DATABASE_URL)
    schema = f"wz_{name}_{os.getpid()}"
    engine = sa.create_engine(base)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine.dispose()
    if schema not in CREATED_SCHEMAS:
        CREATED_SCHEMAS.append(schema)
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(scope="session", autouse=True)
def drop_test_schemas() -> Iterator[None]:
    """Leave the PostgreSQL database as the run found it; torn down after every other fixture."""
    yield
    if not CREATED_SCHEMAS:
        return
    engine = sa.create_engine(normalise_database_url(TEST_DATABASE_URL))
    with engine.begin() as connection:
        # A connection left inside a transaction would make DROP wait forever; fail instead.
        connection.exec_driver_sql("SET LOCAL lock_timeout = '30s'")
        for schema in CREATED_SCHEMAS:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    engine.dispose()
    CREATED_SCHEMAS.clear()


class LocaleRefreshingClient(FlaskClient):
    """Tests keep one app context open across requests; a real request would choose anew."""

    def open(self, *args, **kwargs):
        if has_app_context():
            flask_babel.refresh()
        return super().open(*args, **kwargs)


def make_app(url: str, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "CALENDAR_VERSION_TTL": 0,  # every feed request sees the database as it is
        # Tests post many forms from one address; tests/test_rate_limits.py turns limits on.
        "RATELIMIT_ENABLED": False,
    }
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = LocaleRefreshingClient
    return app


@pytest.fixture(scope="session")
def empty_database_url(tmp_path_factory) -> str:
    url = database_url("test", tmp_path_factory.mktemp("db"))
    app = make_app(url)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return url


@pytest.fixture
def app(empty_database_url) -> Iterator:
    """An app on an empty schema; every row a test wrote is deleted afterwards."""
    app = make_app(empty_database_url)
    with app.app_context():
        yield app
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory):
    """The WIC 2018 demo conference, loaded once; tests using it must only read."""
    from wuzhen_events.seed.loader import load_demo_conference

    url = database_url("demo", tmp_path_factory.mktemp("demo"))
    app = make_app(url)
    with app.app_context():
        db.create_all()
        load_demo_conference()
        db.session.remove()
    return app


@pytest.fixture
def demo_client(demo_app):
    with demo_app.app_context():
        yield demo_app.test_client()
        db.session.remove()


@dataclass
class QueryLog:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries(engine: sa.Engine) -> Iterator[QueryLog]:
    """Record every statement the engine runs, to assert a page's query count."""
    log = QueryLog()

    def record(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            log.statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def query_counter():
    return count_queries


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ttl_clock(app, monkeypatch) -> Clock:
    """Feeds and schedule files checked at most every 5 s, on a clock the test moves."""
    clock = Clock()
    monkeypatch.setattr(wuzhen_clock, "monotonic", clock)
    app.config["CALENDAR_VERSION_TTL"] = 5
    return clock
