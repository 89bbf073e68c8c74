"""The shipped migrations build exactly the schema the models describe, on either database."""

from __future__ import annotations

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from tests.helpers.apps import database_url, make_app
from wuzhen_events import PACKAGE_DIR
from wuzhen_events.db import made_on
from wuzhen_events.extensions import db


def newest_revision() -> str:
    """The head of the shipped migrations (there is exactly one)."""
    config = flask_migrate.Config()
    config.set_main_option("script_location", str(PACKAGE_DIR / "migrations"))
    (head,) = ScriptDirectory.from_config(config).get_heads()
    return head


def test_the_newest_migration_is_the_accounts_one_or_later():
    assert newest_revision() >= "0010_accounts"


def test_upgrade_from_empty_matches_the_models_and_downgrade_removes_everything(tmp_path):
    app = make_app(database_url("migrations", tmp_path))
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "include_object": made_on(connection.dialect.name)},
            )
            differences = compare_metadata(context, db.metadata)
            tables = set(sa.inspect(connection).get_table_names())

        assert differences == []
        assert tables == {*db.metadata.tables, "alembic_version"}

        flask_migrate.downgrade(revision="base")
        with db.engine.connect() as connection:
            assert sa.inspect(connection).get_table_names() == ["alembic_version"]
        db.engine.dispose()


def test_init_db_command_creates_then_reports_the_schema_current(tmp_path):
    app = make_app(database_url("initdb", tmp_path))
    runner = app.test_cli_runner()

    first = runner.invoke(args=["init-db"])
    second = runner.invoke(args=["init-db"])

    assert first.exit_code == 0
    assert first.stdout == "Database schema is at the newest migration.\n"
    assert second.exit_code == 0
    with app.app_context():
        with db.engine.connect() as connection:
            version = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            assert version.scalar_one() == newest_revision()
        db.engine.dispose()


def test_one_slug_length_widens_the_columns_keeping_their_rows_and_never_cuts_one(tmp_path, caplog):
    app = make_app(database_url("slugs", tmp_path))
    insert = sa.text("INSERT INTO topics (slug, name, name_zh) VALUES (:slug, 'AI', '')")
    with app.app_context():
        flask_migrate.upgrade(revision="0008_audit_trail")
        with db.engine.begin() as connection:
            connection.execute(insert, {"slug": "a" * 80})
        flask_migrate.upgrade()
        with db.engine.begin() as connection:
            connection.execute(insert, {"slug": "b" * 120})

        with db.engine.connect() as connection:
            head = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            head = head.scalar_one()
        # PostgreSQL runs the whole downgrade in one transaction (transactional DDL), so the
        # refusal rolls it all back to the head; SQLite stops at the revision that refused.
        stopped_at = "0009_one_slug_length" if db.engine.dialect.name == "sqlite" else head

        with pytest.raises(SystemExit):  # flask-migrate logs the error and exits, as `flask db`
            flask_migrate.downgrade(revision="0008_audit_trail")

        with db.engine.connect() as connection:
            slugs = connection.execute(sa.text("SELECT slug FROM topics ORDER BY slug")).scalars()
            version = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            assert ([len(slug) for slug in slugs], version.scalar_one()) == ([80, 120], stopped_at)
        db.engine.dispose()
    # The line `flask db downgrade` prints (alembic.ini sends it to stderr in a shell).
    refusal = caplog.records[-1]
    assert (refusal.name, refusal.levelname, refusal.getMessage()) == (
        "flask_migrate",
        "ERROR",
        "Error: topics holds a slug of 120 characters; "
        "the older schema allows 80. Shorten it before downgrading.",
    )
