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


@click.command("send-emails")
@click.option(
    "--limit",
    default=100,
    show_default=True,
    type=click.IntRange(min=1),
    help="Send at most this many messages in this run.",
)
@with_appcontext
def send_emails_command(limit: int) -> None:
    """Deliver the due e-mails of the outbox once; run it from a timer or cron."""
    from wuzhen_events.mail.sender import MailConfigurationError, deliver_pending
    from wuzhen_events.registration.commands import held_seats_summary
    from wuzhen_events.registration.services import release_expired_holds

    released = release_expired_holds()
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


commands = [init_db_command, seed_demo_command, send_emails_command, export_ics_command]
