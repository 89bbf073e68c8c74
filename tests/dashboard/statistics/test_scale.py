"""At the issue's scale: 100,000 delegates and 1,900 sessions, bulk-inserted, and the statistics
page still runs the same queries as with ten (on SQLite, and on PostgreSQL with
TEST_DATABASE_URL, like every test)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.dashboard.statistics.test_views import (
    HOME_QUERIES,
    STATISTICS_QUERIES,
    home_queries,
    statistics_queries,
)
from tests.factories import make_conference, make_exhibitor
from tests.helpers.accounts import log_in, make_account
from tests.helpers.scale import insert_delegates, insert_program, remove_delegates
from wuzhen_events.accounts.enums import Role
from wuzhen_events.extensions import db
from wuzhen_events.program.models import ProgramSession, Subforum
from wuzhen_events.registration.enums import SeatStatus
from wuzhen_events.registration.models import Delegate, SeatBooking

DELEGATES = 100_000


@pytest.fixture
def large_conference(app):
    conference = make_conference()
    make_exhibitor(conference)
    insert_program(conference)
    insert_delegates(conference, DELEGATES)
    yield conference
    remove_delegates()  # faster than the app fixture's row-by-row DELETE


def test_the_statistics_page_runs_as_many_queries_at_100000_delegates_as_at_10(
    large_conference, client
):
    log_in(client, make_account(Role.VIEWER))

    assert db.session.scalar(sa.select(sa.func.count(Delegate.id))) == DELEGATES
    assert db.session.scalar(sa.select(sa.func.count(ProgramSession.id))) == 1_900
    assert statistics_queries(client) == STATISTICS_QUERIES
    assert home_queries(client) == HOME_QUERIES
    # The fixture keeps the seat rule: confirmed seats are what seats_taken counts, never more
    # than the capacity (19 tracks of 2,000; the rest of their delegates wait).
    confirmed = dict(
        db.session.execute(
            sa.select(SeatBooking.subforum_id, sa.func.count(SeatBooking.id))
            .where(SeatBooking.status == SeatStatus.CONFIRMED)
            .group_by(SeatBooking.subforum_id)
        ).all()
    )
    subforums = db.session.scalars(sa.select(Subforum).order_by(Subforum.id)).all()
    assert [(s.seats_taken, s.capacity) for s in subforums] == [
        (confirmed[s.id], 2_000) for s in subforums
    ]
    assert len(subforums) == 19
