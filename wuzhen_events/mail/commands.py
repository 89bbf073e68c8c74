"""Organizer commands for the outbox: `flask --app wuzhen_events mail ...`."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import AppGroup

from wuzhen_events.audit.actors import Actor
from wuzhen_events.mail.queries import failed_messages
from wuzhen_events.mail.services import requeue_failed_messages

mail_cli = AppGroup("mail", help="The e-mail outbox: what could not be delivered.")

# What `mail failed` prints, so a time can be copied from its listing into --since.
SINCE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M")


@mail_cli.command("failed")
def failed_command() -> None:
    """List the e-mails given up on: id, when queued and failed, recipient, kind, attempts and
    the server's last answer."""
    messages = failed_messages()
    if not messages:
        click.echo("No failed e-mails.")
        return
    click.echo("id\tqueued (UTC)\tfailed (UTC)\trecipient\tkind\tattempts\tlast error")
    for message in messages:
        failed = f"{message.failed_at:%Y-%m-%d %H:%M}" if message.failed_at else "-"
        click.echo(
            f"{message.id}\t{message.created_at:%Y-%m-%d %H:%M}\t{failed}\t{message.recipient}\t"
            f"{message.kind}\t{message.attempts}\t{message.last_error}"
        )


@mail_cli.command("requeue")
@click.argument("ids", nargs=-1, type=click.IntRange(1, 2**31 - 1))
@click.option(
    "--since",
    type=click.DateTime(formats=SINCE_FORMATS),
    help="Only e-mails that failed at or after this time (UTC), e.g. 2018-11-07 or "
    "'2018-11-07 14:30'.",
)
@click.option("--all", "every", is_flag=True, help="Every failed e-mail.")
def requeue_command(ids: tuple[int, ...], since: datetime | None, every: bool) -> None:
    """Send failed e-mails again (by IDS from `mail failed`, --since, or --all): due at once,
    with a new retry window. Sent and superseded e-mails are never re-sent."""
    if every and (ids or since):
        raise click.UsageError("--all re-queues every failed e-mail: give it alone.")
    if not (every or ids or since):
        raise click.UsageError("Name the e-mails to re-queue: IDS, --since DATE or --all.")
    count = requeue_failed_messages(
        actor=Actor.cli(),
        message_ids=ids or None,
        failed_since=since.replace(tzinfo=UTC) if since else None,
    )
    if not count:
        click.echo("No failed e-mail matched; nothing was re-queued.")
        return
    noun = "e-mail" if count == 1 else "e-mails"
    click.echo(f"Re-queued {count} failed {noun}; the next `send-emails` run sends them.")
