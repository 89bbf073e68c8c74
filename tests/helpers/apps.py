"""The app as the tests build it, on a database of its own: a SQLite file, or a PostgreSQL schema.

The suite runs on a SQLite file by default and on PostgreSQL when TEST_DATABASE_URL is set;
each PostgreSQL database gets its own schema so the empty and the demo database never meet.
"""

from __future__ import annotations

import os
from urllib.parse import quote

import flask_babel
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient

from wuzhen_events import create_app
from wuzhen_events.config import normalise_database_url

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
# The PostgreSQL schemas this run made, dropped when it ends (conftest's drop_test_schemas).
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


def drop_created_schemas() -> None:
    """Leave the PostgreSQL database as the run found it."""
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
    """Tests keep one app context open across requests; a real request would choose anew
    (its language, and its signed-in account: Flask-Login keeps that in `g`)."""

    def open(self, *args, **kwargs):
        if has_app_context():
            flask_babel.refresh()
            g.pop("_login_user", None)
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
        # Organizer passwords hashed cheaply: scrypt costs tens of milliseconds per account.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = LocaleRefreshingClient
    return app
