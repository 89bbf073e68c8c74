"""At the issue's scale: 100,000 delegates and 1,900 sessions, bulk-inserted, and the statistics
page, the delegates table and a filtered export still run the queries they run with ten (on
SQLite, and on PostgreSQL with TEST_DATABASE_URL, like every test)."""

from __future__ import annotations

import csv
import io
import math

import pytest
import sqlalchemy as sa
from flask import g

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
from wuzhen_events.registration import exports
from wuzhen_events.registration.enums import DelegateStatus, SeatStatus
from wuzhen_events.registration.models import Delegate, SeatBooking

DELEGATES = 100_000
TABLE_QUERIES = 8  # as tests/dashboard/delegates/test_views.py counts them with a few delegates
EXPORT_QUERIES = 5  # the account, the conference, its subforums' titles, the rows, the places


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


def queries_of(client, url: str, query_counter) -> tuple[int, bytes]:
    """Each request from an empty session and no remembered user, as in a fresh worker."""
    db.session.remove()
    g.pop("_login_user", None)
    with query_counter(db.engine) as log:
        response = client.get(url)
        assert response.status_code == 200
        body = response.get_data()
    return log.count, body


def test_the_delegates_table_and_a_filtered_export_run_as_few_queries_at_100000_delegates(
    large_conference, client, query_counter
):
    log_in(client, make_account(Role.ORGANIZER))
    table = "/dashboard/delegates/"

    counts = [
        queries_of(client, table + query, query_counter)[0]
        for query in ("", "?q=Delegate+4242", "?status=confirmed&country=CN", "?page=400")
    ]
    export_count, body = queries_of(
        client, "/dashboard/exports/delegates.csv?status=confirmed&country=CN", query_counter
    )

    assert counts == [TABLE_QUERIES] * 4
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1:]
    expected_rows = db.session.scalar(
        sa.select(sa.func.count(Delegate.id)).where(
            Delegate.status == DelegateStatus.CONFIRMED, Delegate.country == "CN"
        )
    )
    assert len(rows) == expected_rows
    # One query for the rows, streamed; then one for the places of each batch written.
    assert export_count == EXPORT_QUERIES - 1 + math.ceil(expected_rows / exports.BATCH_SIZE)
