"""Organizer commands until the dashboard exists: `flask --app wuzhen_events registration ...`."""

from __future__ import annotations

from datetime import timedelta

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from wuzhen_events import clock
from wuzhen_events.audit.actors import HOLD_EXPIRY, Actor
from wuzhen_events.errors import DomainError
from wuzhen_events.extensions import db
from wuzhen_events.forms import email_problem
from wuzhen_events.program.queries import current_conference
from wuzhen_events.registration import services
from wuzhen_events.registration.enums import DelegateCategory, DelegateStatus
from wuzhen_events.registration.models import Delegate
from wuzhen_events.text import escaped, normalise_email

registration_cli = AppGroup("registration", help="Invitations, approvals and categories.")
CATEGORY = click.Choice([category.value for category in DelegateCategory])


def conference_or_exit():
    conference = current_conference()
    if conference is None:
        raise click.ClickException("No conference yet: run `flask --app wuzhen_events seed-demo`.")
    return conference


@registration_cli.command("invite")
@click.argument("email")
@click.option("--category", type=CATEGORY, required=True)
@click.option("--expires-in-days", type=click.IntRange(1, 365), default=None)
def invite_command(email: str, category: str, expires_in_days: int | None) -> None:
    """Create a single-use invitation code for EMAIL; the code is shown once, here."""
    problem = email_problem(email)
    if problem is not None:
        raise click.BadParameter(problem, param_hint="EMAIL")
    expires_at = clock.now() + timedelta(days=expires_in_days) if expires_in_days else None
    try:
        invitation, code = services.create_invitation(
            conference_or_exit(),
            email=email,
            category=DelegateCategory(category),
            expires_at=expires_at,
            actor=Actor.cli(),
        )
    except DomainError as refusal:
        raise click.ClickException(refusal.message) from refusal
    expiry = f", expires {invitation.expires_at:%Y-%m-%d %H:%M} UTC" if expires_at else ""
    click.echo(f"Invitation for {invitation.email} ({category}{expiry}): {code}")


@registration_cli.command("pending")
def pending_command() -> None:
    """List registrations waiting for approval, oldest first."""
    waiting = db.session.scalars(
        sa.select(Delegate)
        .where(Delegate.status == DelegateStatus.PENDING)
        .order_by(Delegate.created_at, Delegate.id)
    ).all()
    if not waiting:
        click.echo("No registration is waiting for approval.")
    for delegate in waiting:
        # Escaped: a line break or a tab stored before the services refused them cannot forge a
        # row or a column here.
        columns = (delegate.email, delegate.category.value, delegate.name, delegate.organisation)
        click.echo("\t".join(escaped(column) for column in columns))


@registration_cli.command("approve")
@click.argument("email")
def approve_command(email: str) -> None:
    """Approve a pending registration; its subforum requests become seats or waitlist places."""
    conference = conference_or_exit()
    delegate = db.session.scalar(
        sa.select(Delegate).where(
            Delegate.conference_id == conference.id,
            Delegate.email == normalise_email(email),
        )
    )
    if delegate is None:
        raise click.ClickException(f"No registration for {email}.")
    try:
        services.approve_delegate(delegate, actor=Actor.cli())
    except DomainError as refusal:
        raise click.ClickException(refusal.message) from refusal
    click.echo(f"Approved {delegate.email}.")


@registration_cli.command("close")
@click.argument("category", type=CATEGORY)
def close_command(category: str) -> None:
    """Refuse new registrations in CATEGORY."""
    services.close_category(conference_or_exit(), DelegateCategory(category), actor=Actor.cli())
    click.echo(f"Registration is closed for {category}.")


@registration_cli.command("open")
@click.argument("category", type=CATEGORY)
def open_command(category: str) -> None:
    """Accept new registrations in CATEGORY again."""
    services.open_category(conference_or_exit(), DelegateCategory(category), actor=Actor.cli())
    click.echo(f"Registration is open for {category}.")


@registration_cli.command("release-holds")
def release_holds_command() -> None:
    """Give the seats of registrations whose address was not confirmed in time to the waitlist;
    `send-emails` runs it too, so a mail timer is enough."""
    click.echo(held_seats_summary(services.release_expired_holds(actor=HOLD_EXPIRY)))


def held_seats_summary(released: int) -> str:
    return f"Released {released} held seat{'s' if released != 1 else ''} to the waitlists."
