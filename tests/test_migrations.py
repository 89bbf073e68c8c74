"""The shipped migrations build exactly the schema the models describe, on either database."""

from __future__ import annotations

import flask_migrate
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.conftest import database_url, make_app
from wuzhen_events.extensions import db


def test_upgrade_from_empty_matches_the_models_and_downgrade_removes_everything(tmp_path):
    app = make_app(database_url("migrations", tmp_path))
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
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
            assert version.scalar_one() == "0009_one_slug_length"
        db.engine.dispose()
