"""Seats moved and waitlist places promoted by organizers at the same instant, on threads with
connections of their own (SQLite file, and PostgreSQL with TEST_DATABASE_URL): one free seat
goes to exactly one of them, and the subforum is never oversold."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from tests import factories
from tests.factories import OPERATOR, utc
from tests.helpers.registration import details
from tests.helpers.threads import run_together
from wuzhen_events.extensions import db
from wuzhen_events.program.models import Conference, Subforum
from wuzhen_events.registration import services
from wuzhen_events.registration.enums import SeatStatus
from wuzhen_events.registration.models import Delegate, SeatBooking
from wuzhen_events.registration.services import RegistrationError

RACERS = 12


def registered(conference_id: int, email: str, *subforum_ids: int) -> int:
    conference = db.session.get(Conference, conference_id)
    subforums = [db.session.get(Subforum, subforum_id) for subforum_id in subforum_ids]
    return services.register_delegate(
        conference, details(email), subforums=subforums, email_verified=True, actor=OPERATOR
    ).delegate.id


def counted(job: Callable[[], object], outcomes: list[str]) -> Callable[[], None]:
    """A job that records whether it won or was refused (any other error fails the test)."""

    def run() -> None:
        try:
            job()
        except RegistrationError as refusal:
            outcomes.append(refusal.message)
        else:
            outcomes.append("done")

    return run


def state(subforum_id: int) -> tuple[int, int, dict[SeatStatus, int]]:
    db.session.rollback()
    subforum = db.session.get(Subforum, subforum_id)
    statuses = db.session.scalars(
        sa.select(SeatBooking.status).where(SeatBooking.subforum_id == subforum_id)
    ).all()
    return subforum.seats_taken, subforum.capacity, {s: statuses.count(s) for s in set(statuses)}


def test_many_moves_into_one_free_seat_seat_exactly_one(app):
    conference = factories.make_conference()
    source = factories.make_subforum(conference, slug="big", title="Big", capacity=RACERS)
    target = factories.make_subforum(conference, slug="small", title="Small", capacity=2)
    factories.make_session(conference, subforum=source, starts_at=utc(8, 1))
    factories.make_session(conference, subforum=target, starts_at=utc(8, 1))
    registered(conference.id, "already@example.com", target.id)
    movers = [registered(conference.id, f"m{n}@example.com", source.id) for n in range(RACERS)]
    ids = (conference.id, source.id, target.id)
    db.session.commit()
    outcomes: list[str] = []

    def mover(delegate_id: int):
        def move():
            services.move_seat(
                db.session.get(Delegate, delegate_id),
                db.session.get(Subforum, ids[1]),
                db.session.get(Subforum, ids[2]),
                actor=OPERATOR,
            )

        return counted(move, outcomes)

    errors = run_together(app, [mover(delegate_id) for delegate_id in movers])

    assert errors == []
    assert sorted(outcomes) == ["done"] + ["“Small” is full: no seat is free there."] * (RACERS - 1)
    assert state(ids[2]) == (2, 2, {SeatStatus.CONFIRMED: 2})
    assert state(ids[1]) == (RACERS - 1, RACERS, {SeatStatus.CONFIRMED: RACERS - 1})


def test_many_promotions_into_one_free_seat_seat_exactly_one(app):
    conference = factories.make_conference()
    subforum = factories.make_subforum(conference, slug="ai", title="AI", capacity=1)
    factories.make_session(conference, subforum=subforum, starts_at=utc(8, 1))
    registered(conference.id, "seated@example.com", subforum.id)
    waiting = [registered(conference.id, f"w{n}@example.com", subforum.id) for n in range(RACERS)]
    subforum_id = subforum.id
    db.session.execute(sa.update(Subforum).where(Subforum.id == subforum_id).values(capacity=2))
    db.session.commit()
    outcomes: list[str] = []

    def promoter(delegate_id: int):
        def promote():
            services.promote_waitlisted(
                db.session.get(Delegate, delegate_id),
                db.session.get(Subforum, subforum_id),
                actor=OPERATOR,
            )

        return counted(promote, outcomes)

    errors = run_together(app, [promoter(delegate_id) for delegate_id in waiting])

    assert errors == []
    assert sorted(outcomes) == ["done"] + ["“AI” is full: no seat is free there."] * (RACERS - 1)
    assert state(subforum_id) == (
        2,
        2,
        {SeatStatus.CONFIRMED: 2, SeatStatus.WAITLISTED: RACERS - 1},
    )
