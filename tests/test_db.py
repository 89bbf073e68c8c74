"""Column types and engine settings shared by every model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from tests import factories
from tests.helpers.apps import make_app
from wuzhen_events.extensions import db
from wuzhen_events.program.models import ProgramSession


def test_times_are_stored_in_utc_and_read_back_aware(app):
    conference = factories.make_conference()
    wuzhen = timezone(timedelta(hours=8))
    session = factories.make_session(
        conference, starts_at=datetime(2018, 11, 7, 10, 30, tzinfo=wuzhen)
    )
    db.session.expire_all()

    stored = db.session.execute(
        sa.text("SELECT starts_at FROM program_sessions WHERE id = :id"), {"id": session.id}
    ).scalar_one()
    reloaded = db.session.get(ProgramSession, session.id)

    assert str(stored).startswith("2018-11-07 02:30:00")
    assert reloaded.starts_at == datetime(2018, 11, 7, 2, 30, tzinfo=UTC)
    assert reloaded.starts_at.tzinfo is UTC


def test_naive_datetimes_are_refused(app):
    conference = factories.make_conference()

    with pytest.raises(sa.exc.StatementError, match="naive datetimes are ambiguous"):
        db.session.add(
            ProgramSession(
                conference_id=conference.id,
                kind="panel",
                title="Naive",
                starts_at=datetime(2018, 11, 7, 10, 30),
                ends_at=datetime(2018, 11, 7, 11, 30),
            )
        )
        db.session.flush()
    db.session.rollback()


def test_sqlite_writers_can_ask_for_begin_immediate(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("BEGIN IMMEDIATE is SQLite's; PostgreSQL locks rows instead")
    statements = []
    sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with db.engine.connect() as writer, writer.execution_options(sqlite_immediate=True).begin():
        writer.execute(sa.text("SELECT 1"))
    with db.engine.connect() as reader, reader.begin():
        reader.execute(sa.text("SELECT 1"))

    assert [s for s in statements if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE", "BEGIN"]


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_sqlite_writers_wait_for_a_lock_as_long_as_the_statement_timeout(empty_database_url):
    if not empty_database_url.startswith("sqlite"):
        pytest.skip("SQLite's busy timeout")
    app = make_app(empty_database_url, DATABASE_STATEMENT_TIMEOUT=3)
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 3000
    with app.app_context():
        db.engine.dispose()


def test_postgresql_connections_carry_the_timeouts_and_keep_the_urls_options(empty_database_url):
    if not empty_database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's connection settings")
    app = make_app(empty_database_url, DATABASE_STATEMENT_TIMEOUT=3, DATABASE_CONNECT_TIMEOUT=4)
    with app.app_context():
        with db.engine.connect() as connection:
            timeout = connection.exec_driver_sql("SHOW statement_timeout").scalar()
            # The URL's own options (the test schema's search_path) still apply.
            tables = set(sa.inspect(connection).get_table_names())
        connect_timeout = app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["connect_timeout"]
        db.engine.dispose()

    assert (timeout, connect_timeout) == ("3s", 4)
    assert tables == set(db.metadata.tables)


SEED = "5f0c2a9e7b3d4c1f8a6e0b9d2c7f4a13"  # shaped like a delegate's seed (32 hex)


def failing_statement_error(app) -> str:
    with app.app_context():
        with pytest.raises(sa.exc.DBAPIError) as failed, db.engine.connect() as connection:
            connection.execute(
                sa.text("SELECT seed FROM no_such_table WHERE seed = :seed"), {"seed": SEED}
            )
        db.engine.dispose()
    return str(failed.value)


def test_a_failing_statements_error_does_not_show_its_parameters(empty_database_url):
    error = failing_statement_error(make_app(empty_database_url))

    assert "no_such_table" in error
    assert SEED not in error
    assert "[SQL parameters hidden due to hide_parameters=True]" in error


def test_the_parameters_show_only_when_a_debug_setting_asks_for_them(empty_database_url):
    error = failing_statement_error(make_app(empty_database_url, DATABASE_SHOW_PARAMETERS=True))

    assert SEED in error
