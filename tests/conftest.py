"""Fixtures in the flaskr style: an empty app per test, and one demo conference per run.

The apps, databases and counters the fixtures use are plain helpers in tests/helpers/.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.apps import database_url, drop_created_schemas, make_app
from tests.helpers.clocks import Clock
from tests.helpers.queries import count_queries
from wuzhen_events import clock as wuzhen_clock
from wuzhen_events.extensions import db


@pytest.fixture(scope="session", autouse=True)
def drop_test_schemas() -> Iterator[None]:
    """Leave the PostgreSQL database as the run found it; torn down after every other fixture."""
    yield
    drop_created_schemas()


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


@pytest.fixture
def query_counter():
    return count_queries


@pytest.fixture
def ttl_clock(app, monkeypatch) -> Clock:
    """Feeds and schedule files checked at most every 5 s, on a clock the test moves."""
    clock = Clock()
    monkeypatch.setattr(wuzhen_clock, "monotonic", clock)
    app.config["CALENDAR_VERSION_TTL"] = 5
    return clock
