"""Maintainer commands, run as `flask --app wuzhen_events <command>`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_migrate import upgrade


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the schema, or upgrade it to the newest migration."""
    upgrade()
    click.echo("Database schema is at the newest migration.")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the WIC 2018 demo conference; a second run adds nothing."""
    from wuzhen_events.seed.loader import load_demo_conference

    report = load_demo_conference()
    click.echo(report.summary())


commands = [init_db_command, seed_demo_command]
