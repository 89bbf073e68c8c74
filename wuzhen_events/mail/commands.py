"""Organizer commands for the outbox: `flask --app wuzhen_events mail ...`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from wuzhen_events.mail.queries import failed_messages

mail_cli = AppGroup("mail", help="The e-mail outbox: what could not be delivered.")


@mail_cli.command("failed")
def failed_command() -> None:
    """List the e-mails given up on: recipient, kind, when queued, and the server's last answer."""
    messages = failed_messages()
    if not messages:
        click.echo("No failed e-mails.")
        return
    click.echo("queued (UTC)\trecipient\tkind\tattempts\tlast error")
    for message in messages:
        click.echo(
            f"{message.created_at:%Y-%m-%d %H:%M}\t{message.recipient}\t{message.kind}\t"
            f"{message.attempts}\t{message.last_error}"
        )
