"""Counts for the statistics page, on a small known world: exact figures from one GROUP BY each."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_conference, make_subforum, utc
from tests.helpers.registration import register
from tests.helpers.statistics import Counted, counted_world, registered_at
from wuzhen_events.extensions import db
from wuzhen_events.registration import statistics
from wuzhen_events.registration.enums import DelegateCategory, DelegateStatus
from wuzhen_events.registration.statistics import CategoryStatusCount, DayCount, SubforumFill

ENTERPRISE = DelegateCategory.ENTERPRISE
EXPERT = DelegateCategory.EXPERT
GOVERNMENT = DelegateCategory.GOVERNMENT
MEDIA = DelegateCategory.MEDIA


@pytest.fixture
def world(app) -> Counted:
    return counted_world()


def test_registrations_by_day_count_each_conference_time_day_per_category(world):
    assert statistics.registrations_by_day(world.conference) == [
        DayCount(date(2018, 11, 5), EXPERT, 1),
        DayCount(date(2018, 11, 5), MEDIA, 1),
        DayCount(date(2018, 11, 6), ENTERPRISE, 2),
        DayCount(date(2018, 11, 6), GOVERNMENT, 1),
    ]


def test_registrations_by_country_leave_out_cancelled_ones_most_first(world):
    assert statistics.registrations_by_country(world.conference) == [
        ("CN", 2),
        ("GB", 1),
        ("US", 1),
    ]


def test_registrations_by_category_and_status(world):
    assert statistics.registrations_by_category_and_status(world.conference) == [
        CategoryStatusCount(ENTERPRISE, DelegateStatus.CONFIRMED, 2),
        CategoryStatusCount(EXPERT, DelegateStatus.CONFIRMED, 1),
        CategoryStatusCount(GOVERNMENT, DelegateStatus.PENDING, 1),
        CategoryStatusCount(MEDIA, DelegateStatus.CANCELLED, 1),
    ]


def test_subforum_fill_counts_places_by_state_against_capacity(world):
    assert statistics.subforum_fill(world.conference) == [
        SubforumFill(world.ai.id, "AI", "人工智能", 3, 2, 2, 0, 0, 1),
        SubforumFill(world.iot.id, "IoT", "物联网", 1, 1, 1, 0, 1, 0),
    ]
    assert [fill.percent_confirmed for fill in statistics.subforum_fill(world.conference)] == [
        67,
        100,
    ]


def test_a_subforum_no_one_chose_shows_zeros(app):
    conference = make_conference()
    empty = make_subforum(conference, title="Empty", capacity=0)

    assert statistics.subforum_fill(conference) == [
        SubforumFill(empty.id, "Empty", "", 0, 0, 0, 0, 0, 0)
    ]
    assert statistics.subforum_fill(conference)[0].percent_confirmed == 0


def test_a_scope_counts_only_the_delegates_holding_a_place_in_its_subforums(world):
    scope = frozenset({world.iot.id})

    assert statistics.registrations_by_category_and_status(
        world.conference, subforum_ids=scope
    ) == [
        CategoryStatusCount(ENTERPRISE, DelegateStatus.CONFIRMED, 1),
        CategoryStatusCount(EXPERT, DelegateStatus.CONFIRMED, 1),
    ]
    assert statistics.registrations_by_country(world.conference, subforum_ids=scope) == [
        ("CN", 1),
        ("GB", 1),
    ]
    assert [fill.id for fill in statistics.subforum_fill(world.conference, subforum_ids=scope)] == [
        world.iot.id
    ]
    assert statistics.registrations_by_day(world.conference, subforum_ids=frozenset()) == []


def test_another_conference_is_not_counted(world):
    other = make_conference(slug="other")

    assert statistics.registrations_by_day(other) == []
    assert statistics.registrations_by_country(other) == []
    assert statistics.subforum_fill(other) == []


def test_each_count_is_one_query(world, query_counter):
    db.session.refresh(world.conference)  # as a page has it: loaded, not expired
    with query_counter(db.engine) as log:
        statistics.registrations_by_day(world.conference)
        statistics.registrations_by_country(world.conference)
        statistics.registrations_by_category_and_status(world.conference)
        statistics.subforum_fill(world.conference)

    assert log.count == 4


def test_the_day_follows_the_conference_time_zone(app):
    conference = make_conference(timezone="America/New_York", starts_on=date(2018, 7, 1))
    world = Counted(conference, None, None)
    delegate = register(world, "ny@example.org")
    registered_at(delegate, utc(5, 3))  # 4 November, 23:00 in New York (EDT, UTC-4 in July)

    assert statistics.utc_offset_minutes(conference) == -240
    assert statistics.registrations_by_day(conference) == [
        DayCount(date(2018, 11, 4), ENTERPRISE, 1)
    ]
