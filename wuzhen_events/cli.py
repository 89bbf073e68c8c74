"""Maintainer commands, run as `flask --app wuzhen_events <command>`."""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO, TypeVar

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy.exc import SQLAlchemyError

from wuzhen_events.extensions import db
from wuzhen_events.outages import describe, is_database_outage, is_write_conflict

try:
    import fcntl
except ImportError:  # Windows: SQLite there serves one developer; no lock is taken
    fcntl = None

Command = TypeVar("Command", bound=Callable[..., object])
# Taken by init-db and seed-demo, so two of them (two deploy scripts, two terminals) run one
# after the other: the second then finds the schema current or the demo loaded.
MAINTENANCE_LOCK_KEY = 0x57555A48454E  # "WUZHEN" in ASCII: a PostgreSQL advisory lock key
MAINTENANCE_LOCK_WAIT = 600  # seconds; a longer wait means the other run is stuck
WAITING = "Waiting for another init-db or seed-demo on this database to finish..."


def database_errors_as_messages(command: Command) -> Command:
    """A database error ends the command with one clear line and exit status 1, no traceback."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except SQLAlchemyError as error:
            if is_write_conflict(error):
                raise click.ClickException(
                    f"Another change was saved at the same moment ({describe(error)}); this "
                    "command's change was not made. Run it again."
                ) from error
            if is_database_outage(error):
                raise click.ClickException(
                    f"The database is out of reach ({describe(error)}). "
                    "Check DATABASE_URL and that the database server is running, then try again."
                ) from error
            raise click.ClickException(
                f"The database refused this command ({describe(error)}). If the schema is "
                "missing or old, run `flask --app wuzhen_events init-db` first."
            ) from error

    return run  # type: ignore[return-value]


@contextmanager
def maintenance_lock() -> Iterator[None]:
    """Hold the database's maintenance lock: an advisory lock on PostgreSQL, a file lock beside
    a SQLite file (its own locks would make the migration's connection wait on ours)."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            # Transaction-scoped settings and lock: they end with this connection's transaction.
            connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{MAINTENANCE_LOCK_WAIT}s'")
            key = {"key": MAINTENANCE_LOCK_KEY}
            if not connection.scalar(sa.text("SELECT pg_try_advisory_xact_lock(:key)"), key):
                click.echo(WAITING, err=True)
                try:
                    connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), key)
                except sa.exc.OperationalError as error:
                    raise lock_wait_exceeded() from error
            yield
            connection.rollback()
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or fcntl is None or database in (None, "", ":memory:"):
        yield
        return
    lock_file = open_lock_file(Path(database + ".lock"))
    if lock_file is None:
        yield
        return
    with lock_file:
        deadline = time.monotonic() + MAINTENANCE_LOCK_WAIT
        waiting = False
        while True:
            try:
                fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise lock_wait_exceeded() from None
                if not waiting:
                    click.echo(WAITING, err=True)
                    waiting = True
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def open_lock_file(path: Path) -> TextIO | None:
    """None when the folder is missing or read-only: SQLite cannot open the database there
    either, and the command ends with its clear message instead of a traceback about the lock."""
    try:
        return path.open("a")
    except OSError:
        return None


def lock_wait_exceeded() -> click.ClickException:
    return click.ClickException(
        f"Another init-db or seed-demo has held this database for {MAINTENANCE_LOCK_WAIT // 60} "
        "minutes; stop it or wait for it, then try again."
    )


@click.command("init-db")
@with_appcontext
@database_errors_as_messages
def init_db_command() -> None:
    """Create the schema, or upgrade it to the newest migration."""
    with maintenance_lock():
        upgrade()
    click.echo("Database schema is at the newest migration.")


@click.command("seed-demo")
@with_appcontext
@database_errors_as_messages
def seed_demo_command() -> None:
    """Load the WIC 2018 demo conference; a second run adds nothing."""
    from wuzhen_events.seed.loader import load_demo_conference

    with maintenance_lock():
        report = load_demo_conference()
    click.echo(report.summary())


@click.command("send-emails")
@click.option(
    "--limit",
    default=100,
    show_default=True,
    type=click.IntRange(min=1),
    help="Send at most this many messages in this run.",
)
@with_appcontext
@database_errors_as_messages
def send_emails_command(limit: int) -> None:
    """Deliver the due e-mails of the outbox once; run it from a timer or cron."""
    from wuzhen_events.audit.actors import HOLD_EXPIRY
    from wuzhen_events.mail.sender import MailConfigurationError, deliver_pending
    from wuzhen_events.registration.commands import held_seats_summary
    from wuzhen_events.registration.services import release_expired_holds

    released = release_expired_holds(actor=HOLD_EXPIRY)
    if released:
        # Before sending: the e-mails of the people promoted into those seats go out in this run.
        click.echo(held_seats_summary(released))
    try:
        report = deliver_pending(limit=limit)
    except MailConfigurationError as error:
        raise click.ClickException(str(error)) from error
    click.echo(report.summary())


@click.command("export-ics")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, allow_dash=True))
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Language of titles and descriptions.",
)
@with_appcontext
@database_errors_as_messages
def export_ics_command(path: str, lang: str) -> None:
    """Write the whole-program calendar (the /calendar/wic2018.ics feed) to PATH ("-": stdout)."""
    from wuzhen_events.calendar import feeds

    feed = feeds.EXPORTERS["program"]()
    version = feeds.feed_version(feed)
    if version.conference_id is None:
        raise click.ClickException("No conference is loaded: run init-db and seed-demo first.")
    body = feeds.build_feed(feed, locale=lang, timezone=version.timezone)
    with click.open_file(path, "wb") as output:
        output.write(body)
    if path != "-":
        click.echo(f"Wrote {body.count(b'BEGIN:VEVENT')} events to {path}.")


@click.command("import-schedule")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--dry-run", is_flag=True, help="Show what would change and change nothing.")
@click.option("--conference", "slug", default=None, help="The conference's slug, if several.")
@with_appcontext
@database_errors_as_messages
def import_schedule_command(path: str, dry_run: bool, slug: str | None) -> None:
    """Import a frab schedule.xml or schedule.json (pretalx, frab): preview, then apply."""
    from wuzhen_events.audit.actors import Actor
    from wuzhen_events.errors import DomainError
    from wuzhen_events.program.frab_import import preview, preview_lines
    from wuzhen_events.program.imports import import_schedule
    from wuzhen_events.text import escaped

    limit = current_app.config["IMPORT_MAX_BYTES"]
    capacity = current_app.config["IMPORT_SUBFORUM_CAPACITY"]
    with click.open_file(path, "rb") as source:
        data = source.read(limit + 1)  # one byte more tells a file over the limit
    conference = only_conference(slug)
    try:
        plan = preview(data, conference, max_bytes=limit, capacity=capacity)
        if not dry_run and plan.changes_anything:
            plan = import_schedule(
                data,
                actor=Actor.cli(),
                conference=conference,
                max_bytes=limit,
                subforum_capacity=capacity,
                sha256=plan.sha256,
            )
    except DomainError as refusal:
        raise click.ClickException(refusal.message) from refusal
    for line in preview_lines(plan):
        click.echo(escaped(line))
    if dry_run:
        click.echo("Dry run: nothing changed.")
    elif plan.changes_anything:
        click.echo("Imported.")
    else:
        click.echo("Nothing to change: the program already matches the file.")


def only_conference(slug: str | None):
    """The conference a command acts on: the one loaded, or the one `slug` names."""
    from wuzhen_events.program.models import Conference

    query = sa.select(Conference).order_by(Conference.id)
    if slug is not None:
        query = query.where(Conference.slug == slug)
    found = db.session.scalars(query.limit(2)).all()
    if not found:
        raise click.ClickException(
            f"No conference has the slug {slug!r}."
            if slug is not None
            else "No conference is loaded: run init-db and seed-demo first."
        )
    if len(found) > 1:
        raise click.ClickException("Several conferences are loaded: name one with --conference.")
    return found[0]


ADMIN_PASSWORD_VARIABLE = "WUZHEN_ADMIN_PASSWORD"


@click.command("create-admin")
@click.argument("email")
@click.option("--name", default="", help="The holder's name (default: the address before @).")
@with_appcontext
@database_errors_as_messages
def create_admin_command(email: str, name: str) -> None:
    """Create an administrator account; the password is prompted twice, or read from
    WUZHEN_ADMIN_PASSWORD, never given on the command line (where `ps` and shell history
    would keep it)."""
    from wuzhen_events.accounts.enums import Role
    from wuzhen_events.accounts.services import AccountDetails, create_account
    from wuzhen_events.audit.actors import Actor
    from wuzhen_events.errors import DomainError

    password = os.environ.get(ADMIN_PASSWORD_VARIABLE) or click.prompt(
        "Password", hide_input=True, confirmation_prompt="Password again"
    )
    details = AccountDetails(email=email, name=name or email.partition("@")[0], role=Role.ADMIN)
    try:
        account = create_account(details, password, actor=Actor.cli())
    except DomainError as refusal:
        raise click.ClickException(refusal.message) from refusal
    click.echo(f"Administrator account {account.email} created (id {account.id}).")


commands = [
    init_db_command,
    seed_demo_command,
    send_emails_command,
    export_ics_command,
    import_schedule_command,
    create_admin_command,
]
