"""Seats of a public registration are held until its address is proven, then confirmed or,
after the hold, given to the waitlist; a form sent twice finds the registration it made."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import OPERATOR, count_rows, reload
from tests.helpers.registration import register, seats_taken
from tests.helpers.threads import run_together
from wuzhen_events import clock
from wuzhen_events.extensions import db
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.program.models import Subforum
from wuzhen_events.registration import services
from wuzhen_events.registration.enums import DelegateCategory, SeatStatus
from wuzhen_events.registration.models import Delegate, SeatBooking
from wuzhen_events.registration.services import RegistrationError


def places(delegate) -> list[tuple[str, SeatStatus]]:
    return [(booking.subforum.slug, booking.status) for booking in reload(delegate).seats]


def mail_kinds() -> list[tuple[str, str]]:
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(OutboxMessage.recipient, OutboxMessage.kind).order_by(OutboxMessage.id)
    )
    return [tuple(row) for row in rows]


def test_an_unproven_address_holds_its_seats_for_the_hold_period(app, setting):
    app.config["FROZEN_NOW"] = clock.now()

    delegate = register(setting, "li@example.com", setting.economy, email_verified=False)

    booking = reload(delegate).seats[0]
    assert (booking.status, booking.held_until, booking.confirmed_at) == (
        SeatStatus.HELD,
        app.config["FROZEN_NOW"] + timedelta(hours=24),
        None,
    )
    assert reload(delegate).email_verified_at is None
    assert seats_taken(setting.economy) == 1  # a hold counts against capacity


def test_a_held_seat_keeps_a_later_registrant_on_the_waitlist(setting):
    register(setting, "first@example.com", setting.economy, email_verified=False)

    second = register(setting, "second@example.com", setting.economy)

    assert places(second) == [("economy", SeatStatus.WAITLISTED)]


def test_opening_the_link_confirms_the_address_and_the_held_seats_once(app, setting):
    delegate = register(setting, "li@example.com", setting.fintech, email_verified=False)
    app.config["FROZEN_NOW"] = clock.now() + timedelta(hours=1)

    first = services.verify_email(reload(delegate), actor=OPERATOR)
    second = services.verify_email(reload(delegate), actor=OPERATOR)

    booking = reload(delegate).seats[0]
    assert (first, second) == (True, False)
    assert reload(delegate).email_verified_at == app.config["FROZEN_NOW"]
    assert (booking.status, booking.held_until, booking.confirmed_at) == (
        SeatStatus.CONFIRMED,
        None,
        app.config["FROZEN_NOW"],
    )
    assert seats_taken(setting.fintech) == 1


def test_an_expired_hold_goes_to_the_first_on_the_waitlist(app, setting):
    unproven = register(setting, "silent@example.com", setting.economy, email_verified=False)
    waiting = register(setting, "waiting@example.com", setting.economy)
    held_until = reload(unproven).seats[0].held_until

    too_early = services.release_expired_holds(
        now=held_until - timedelta(seconds=1), actor=OPERATOR
    )
    released = services.release_expired_holds(now=held_until, actor=OPERATOR)

    assert (too_early, released) == (0, 1)
    assert places(unproven) == []
    assert places(waiting) == [("economy", SeatStatus.CONFIRMED)]
    assert seats_taken(setting.economy) == 1
    assert mail_kinds()[-1] == ("waiting@example.com", "waitlist_promotion")


def test_an_expired_hold_of_a_proven_address_becomes_its_seat(app, setting):
    delegate = register(setting, "li@example.com", setting.economy, email_verified=False)
    waiting = register(setting, "waiting@example.com", setting.economy)
    # A promotion that gave a hold while the address was being confirmed leaves this behind.
    db.session.execute(
        sa.update(Delegate).where(Delegate.id == delegate.id).values(email_verified_at=clock.now())
    )
    db.session.commit()
    held_until = reload(delegate).seats[0].held_until

    released = services.release_expired_holds(now=held_until, actor=OPERATOR)

    assert released == 0
    assert places(delegate) == [("economy", SeatStatus.CONFIRMED)]
    assert places(waiting) == [("economy", SeatStatus.WAITLISTED)]
    assert seats_taken(setting.economy) == 1


def test_a_waitlisted_unproven_delegate_promoted_gets_a_hold_not_a_seat(app, setting):
    seated = register(setting, "seated@example.com", setting.economy)
    unproven = register(setting, "unproven@example.com", setting.economy, email_verified=False)
    app.config["FROZEN_NOW"] = clock.now() + timedelta(hours=30)

    services.cancel_registration(reload(seated), actor=OPERATOR)

    booking = reload(unproven).seats[0]
    assert (booking.status, booking.held_until) == (
        SeatStatus.HELD,
        app.config["FROZEN_NOW"] + timedelta(hours=24),
    )
    assert seats_taken(setting.economy) == 1


def test_release_holds_command_reports_what_it_released(app, setting, runner):
    register(setting, "silent@example.com", setting.economy, email_verified=False)
    app.config["FROZEN_NOW"] = clock.now() + timedelta(hours=25)

    first = runner.invoke(args=["registration", "release-holds"])
    again = runner.invoke(args=["registration", "release-holds"])

    assert (first.exit_code, first.output) == (0, "Released 1 held seat to the waitlists.\n")
    assert again.output == "Released 0 held seats to the waitlists.\n"
    assert seats_taken(setting.economy) == 0


def test_the_mail_loop_releases_expired_holds_before_sending(app, setting, runner):
    register(setting, "silent@example.com", setting.economy, email_verified=False)
    app.config["FROZEN_NOW"] = clock.now() + timedelta(hours=25)

    result = runner.invoke(args=["send-emails"])

    assert result.output.splitlines()[0] == "Released 1 held seat to the waitlists."
    assert count_rows(SeatBooking) == 0


# --- a form sent twice --------------------------------------------------------------------------


def test_the_same_submission_twice_makes_one_registration(setting):
    first = register(setting, "li@example.com", setting.fintech, submission_key="k" * 64)

    again = register(setting, "li@example.com", setting.economy, submission_key="k" * 64)

    assert again.id == first.id
    assert places(first) == [("fintech", SeatStatus.CONFIRMED)]
    assert mail_kinds() == [("li@example.com", "confirmation")]


def test_a_double_click_racing_itself_makes_one_registration(app, setting):
    setting_ids = (setting.conference.id, setting.fintech.id)
    answers = []

    def submit():
        conference = db.session.get(type(setting.conference), setting_ids[0])
        fintech = db.session.get(Subforum, setting_ids[1])
        answers.append(
            services.register_delegate(
                conference,
                services.DelegateDetails(
                    name="Li",
                    email="li@example.com",
                    organisation="Org",
                    country="CN",
                    category=DelegateCategory.ENTERPRISE,
                ),
                subforums=[fintech],
                submission_key="d" * 64,
                actor=OPERATOR,
            ).delegate.id
        )

    errors = run_together(app, [submit] * 6)

    assert errors == []
    assert len(set(answers)) == 1
    assert (count_rows(Delegate), seats_taken(setting.fintech)) == (1, 1)
    assert [kind for _recipient, kind in mail_kinds()] == ["confirmation"]


# --- restricted subforums and repeated changes ---------------------------------------------------


@pytest.fixture
def roundtable(setting):
    setting.economy.restricted_to = ["government", "international_organisation"]
    db.session.commit()
    return setting.economy


def test_a_restricted_subforum_refuses_other_categories(setting, roundtable):
    with pytest.raises(RegistrationError) as refused:
        register(setting, "li@example.com", roundtable)

    assert refused.value.message == (
        "“Digital economy” is open only to these delegates: "
        "Government delegate, International organisation."
    )
    assert (count_rows(Delegate), seats_taken(roundtable)) == (0, 0)


def test_a_restricted_subforum_cannot_be_added_later_either(setting, roundtable):
    delegate = register(setting, "li@example.com")

    with pytest.raises(RegistrationError):
        services.add_subforum(reload(delegate), roundtable, actor=OPERATOR)

    assert places(delegate) == []


def test_an_invited_category_may_book_the_restricted_subforum(setting, roundtable):
    _invitation, code = services.create_invitation(
        setting.conference,
        email="envoy@example.org",
        category=DelegateCategory.GOVERNMENT,
        actor=OPERATOR,
    )

    envoy = register(
        setting,
        "envoy@example.org",
        roundtable,
        category=DelegateCategory.GOVERNMENT,
        invitation_code=code,
        email_verified=False,
    )

    assert places(envoy) == [("economy", SeatStatus.CONFIRMED)]  # the e-mailed code proves it


def test_cancelling_twice_cancels_and_e_mails_once(setting):
    delegate = register(setting, "li@example.com", setting.economy)
    services.cancel_registration(reload(delegate), actor=OPERATOR)

    with pytest.raises(RegistrationError):
        services.cancel_registration(reload(delegate), actor=OPERATOR)

    assert [kind for _recipient, kind in mail_kinds()] == ["confirmation", "cancellation"]
    assert seats_taken(setting.economy) == 0
