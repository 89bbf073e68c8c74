"""Seats under real concurrency: threads released together by a barrier, each with its own
database connection, against a SQLite file and (with TEST_DATABASE_URL) PostgreSQL."""

from __future__ import annotations

import random
import threading
from collections import Counter

import pytest
import sqlalchemy as sa

from tests import factories
from tests.factories import utc
from wuzhen_events.extensions import db
from wuzhen_events.program.models import Conference, Subforum
from wuzhen_events.registration import services
from wuzhen_events.registration.enums import DelegateCategory, SeatStatus
from wuzhen_events.registration.models import Delegate, SeatBooking
from wuzhen_events.registration.queries import waitlist_positions

CAPACITY = 10
THREADS = 50


def run_together(app, jobs) -> list[BaseException]:
    """Start every job on its own thread and app context at the same instant."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def worker(job):
        with app.app_context():
            barrier.wait(timeout=30)
            try:
                job()
            except BaseException as error:  # recorded, then asserted empty
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def small_subforum(app) -> tuple[int, int]:
    conference = factories.make_conference()
    subforum = factories.make_subforum(conference, slug="ai", title="AI", capacity=CAPACITY)
    factories.make_session(conference, subforum=subforum, starts_at=utc(8, 1))
    return conference.id, subforum.id


def registrar(conference_id: int, subforum_id: int, email: str, *, email_verified: bool = True):
    def register():
        conference = db.session.get(Conference, conference_id)
        subforum = db.session.get(Subforum, subforum_id)
        services.register_delegate(
            conference,
            services.DelegateDetails(
                name="Racer",
                email=email,
                organisation="Race Ltd",
                country="CN",
                category=DelegateCategory.ENTERPRISE,
            ),
            subforums=[subforum],
            email_verified=email_verified,
        )

    return register


def booking_counts(subforum_id: int) -> tuple[int, Counter]:
    db.session.rollback()  # end this thread's read snapshot: the workers committed since
    taken = db.session.scalar(sa.select(Subforum.seats_taken).where(Subforum.id == subforum_id))
    statuses = Counter(
        db.session.scalars(
            sa.select(SeatBooking.status).where(SeatBooking.subforum_id == subforum_id)
        )
    )
    return taken, statuses


# A public registration holds its seat until the address is confirmed; a hold counts as a seat.
@pytest.mark.parametrize(
    ("email_verified", "seat"),
    [(True, SeatStatus.CONFIRMED), (False, SeatStatus.HELD)],
    ids=["verified", "held"],
)
def test_fifty_simultaneous_registrations_for_ten_seats(app, email_verified, seat):
    conference_id, subforum_id = small_subforum(app)
    jobs = [
        registrar(
            conference_id, subforum_id, f"racer{n}@example.com", email_verified=email_verified
        )
        for n in range(THREADS)
    ]

    errors = run_together(app, jobs)

    taken, statuses = booking_counts(subforum_id)
    assert errors == []
    assert taken == CAPACITY
    assert statuses == {seat: CAPACITY, SeatStatus.WAITLISTED: THREADS - CAPACITY}
    waiting = db.session.scalars(
        sa.select(SeatBooking.id).where(SeatBooking.status == SeatStatus.WAITLISTED)
    ).all()
    assert sorted(waitlist_positions(list(waiting)).values()) == list(
        range(1, THREADS - CAPACITY + 1)
    )


@pytest.mark.parametrize("seed", [2018, 7, 11])
def test_cancellations_racing_registrations_keep_seats_equal_to_confirmed_bookings(app, seed):
    conference_id, subforum_id = small_subforum(app)
    for n in range(20):
        registrar(conference_id, subforum_id, f"early{n}@example.com")()
    early = db.session.scalars(sa.select(Delegate.id).order_by(Delegate.id)).all()
    leaving = random.Random(seed).sample(list(early), 10)

    def canceller(delegate_id: int):
        def cancel():
            services.cancel_registration(db.session.get(Delegate, delegate_id))

        return cancel

    jobs = [canceller(delegate_id) for delegate_id in leaving]
    jobs += [registrar(conference_id, subforum_id, f"late{n}@example.com") for n in range(20)]
    random.Random(seed).shuffle(jobs)

    errors = run_together(app, jobs)

    taken, statuses = booking_counts(subforum_id)
    assert errors == []
    assert taken == statuses[SeatStatus.CONFIRMED] == CAPACITY
    assert statuses[SeatStatus.WAITLISTED] == 30 - CAPACITY
