"""Organizer commands until the dashboard exists: `flask --app wuzhen_events expo ...`."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from wuzhen_events.audit.actors import Actor
from wuzhen_events.errors import DomainError
from wuzhen_events.expo.applications import services as applications
from wuzhen_events.expo.enums import ApplicationStatus
from wuzhen_events.expo.models import ExhibitorApplication
from wuzhen_events.extensions import db
from wuzhen_events.text import escaped

expo_cli = AppGroup("expo", help="Exhibitor applications.")
# Ids fit PostgreSQL's integer column; a larger number is refused before any query.
APPLICATION_ID = click.IntRange(1, 2**31 - 1)
STATUS = click.Choice([status.value for status in ApplicationStatus])


def application_or_exit(application_id: int) -> ExhibitorApplication:
    application = db.session.get(ExhibitorApplication, application_id)
    if application is None:
        raise click.ClickException(f"No exhibitor application has the ID {application_id}.")
    return application


@expo_cli.command("applications")
@click.option("--status", type=STATUS, default=None, help="Only applications in this state.")
def applications_command(status: str | None) -> None:
    """List exhibitor applications, oldest first: ID, status, company, contact e-mail."""
    query = sa.select(ExhibitorApplication).order_by(ExhibitorApplication.id)
    if status is not None:
        query = query.where(ExhibitorApplication.status == ApplicationStatus(status))
    found = db.session.scalars(query).all()
    if not found:
        click.echo(f"No {status} application." if status else "No exhibitor application yet.")
    for application in found:
        click.echo(
            f"{application.id}\t{application.status.value}\t{escaped(application.company)}"
            f"\t{escaped(application.contact_email)}"
        )


@expo_cli.command("approve")
@click.argument("application_id", metavar="ID", type=APPLICATION_ID)
def approve_command(application_id: int) -> None:
    """Approve an application that is waiting for review."""
    application = application_or_exit(application_id)
    try:
        applications.approve_application(application, actor=Actor.cli())
    except DomainError as refusal:
        raise click.ClickException(refusal.message) from refusal
    click.echo(f"Approved application {application.id} ({escaped(application.company)}).")


@expo_cli.command("reject")
@click.argument("application_id", metavar="ID", type=APPLICATION_ID)
@click.option("--reason", default="", help="Why, kept with the application (500 characters).")
def reject_command(application_id: int, reason: str) -> None:
    """Reject an application that is waiting for review."""
    application = application_or_exit(application_id)
    try:
        applications.reject_application(application, reason, actor=Actor.cli())
    except DomainError as refusal:
        raise click.ClickException(refusal.message) from refusal
    click.echo(f"Rejected application {application.id} ({escaped(application.company)}).")
