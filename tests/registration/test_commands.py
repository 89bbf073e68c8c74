"""Organizer commands: invitations, approvals, categories, with their exact output."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.helpers.registration import register
from wuzhen_events.extensions import db
from wuzhen_events.registration.enums import DelegateCategory, DelegateStatus
from wuzhen_events.registration.models import ClosedCategory, Delegate, Invitation


def test_invite_prints_a_code_once_and_stores_only_its_hash(runner, setting):
    result = runner.invoke(
        args=[
            "registration",
            "invite",
            "Envoy@Example.org",
            "--category",
            "government",
            "--expires-in-days",
            "30",
        ]
    )

    assert result.exit_code == 0
    match = re.fullmatch(
        r"Invitation for envoy@example\.org \(government, expires \d{4}-\d\d-\d\d \d\d:\d\d UTC\): "
        r"([A-Z2-9]{4}(?:-[A-Z2-9]{1,4}){6})\n",
        result.output,
    )
    assert match is not None
    invitation = db.session.scalar(sa.select(Invitation))
    assert match.group(1) not in invitation.code_hash
    delegate = register(
        setting,
        "envoy@example.org",
        category=DelegateCategory.GOVERNMENT,
        invitation_code=match.group(1),
    )
    assert delegate.status is DelegateStatus.CONFIRMED


def test_invite_refuses_an_unknown_category(runner, setting):
    result = runner.invoke(args=["registration", "invite", "a@example.org", "--category", "king"])

    assert result.exit_code == 2
    assert "Invalid value for '--category'" in result.output


def test_pending_lists_then_approve_confirms(runner, setting):
    register(setting, "gov@example.gov", category=DelegateCategory.GOVERNMENT, name="Minister")

    listed = runner.invoke(args=["registration", "pending"])
    approved = runner.invoke(args=["registration", "approve", "GOV@example.gov"])
    again = runner.invoke(args=["registration", "approve", "gov@example.gov"])
    empty = runner.invoke(args=["registration", "pending"])

    assert listed.output == "gov@example.gov\tgovernment\tMinister\tDemo Networks\n"
    assert approved.output == "Approved gov@example.gov.\n"
    assert again.exit_code == 1
    assert "Only a registration waiting for approval can be approved." in again.output
    assert empty.output == "No registration is waiting for approval.\n"


def test_pending_prints_each_registration_on_one_line_whatever_was_stored(runner, setting):
    """A row written before line breaks were refused cannot forge a row or a column."""
    register(setting, "gov@example.gov", category=DelegateCategory.GOVERNMENT, name="Minister")
    db.session.execute(
        sa.update(Delegate).values(
            name="Minister\nfake@example.com\tgovernment\tFake\tOrg",
            organisation="Demo\u202eskrowteN",
        )
    )
    db.session.commit()

    listed = runner.invoke(args=["registration", "pending"])

    assert listed.output == (
        "gov@example.gov\tgovernment\t"
        "Minister\\nfake@example.com\\tgovernment\\tFake\\tOrg\tDemo\\u202eskrowteN\n"
    )


def test_approve_an_unknown_address_fails_clearly(runner, setting):
    result = runner.invoke(args=["registration", "approve", "nobody@example.com"])

    assert result.exit_code == 1
    assert "No registration for nobody@example.com." in result.output


def test_close_and_open_a_category(runner, setting):
    closed = runner.invoke(args=["registration", "close", "media"])
    stored = db.session.scalars(sa.select(ClosedCategory.category)).all()
    opened = runner.invoke(args=["registration", "open", "media"])

    assert closed.output == "Registration is closed for media.\n"
    assert stored == [DelegateCategory.MEDIA]
    assert opened.output == "Registration is open for media.\n"
    assert db.session.scalars(sa.select(ClosedCategory)).all() == []


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not-an-address", "Please enter a valid e-mail address."),
        (
            "李伟@example.com",
            "Our mail server cannot deliver to addresses with letters other than a–z before "
            "the @. Please enter another address.",
        ),
    ],
    ids=["invalid", "non-ascii-local-part"],
)
def test_invite_refuses_an_address_mail_cannot_reach_and_creates_nothing(
    runner, setting, email, message
):
    result = runner.invoke(args=["registration", "invite", email, "--category", "government"])

    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Error: Invalid value for EMAIL: {message}"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
