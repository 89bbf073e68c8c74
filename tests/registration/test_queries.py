"""Reads shaped for the registration pages: the form's subforum choices in one query."""

from __future__ import annotations

from tests import factories
from tests.factories import utc
from wuzhen_events.extensions import db
from wuzhen_events.registration import queries
from wuzhen_events.registration.queries import SubforumChoice


def test_subforum_choices_carry_seats_and_the_span_of_the_sessions(setting):
    late = factories.make_session(
        setting.conference, subforum=setting.economy, starts_at=utc(8, 11), ends_at=utc(8, 12)
    )
    factories.make_subforum(setting.conference, slug="closed", title="No seats", capacity=0)
    untimed = factories.make_subforum(setting.conference, slug="tba", title="To be announced")

    choices = queries.subforum_choices(setting.conference.id)

    # Program order: by first start, then title; subforums without sessions last.
    assert choices == [
        SubforumChoice(
            setting.culture.id, "culture", "Culture", "", 2, 0, [], utc(8, 0, 30), utc(8, 3, 35)
        ),
        SubforumChoice(
            setting.fintech.id, "fintech", "Fintech", "", 2, 0, [], utc(8, 0, 30), utc(8, 3, 30)
        ),
        SubforumChoice(
            setting.economy.id,
            "economy",
            "Digital economy",
            "",
            1,
            0,
            [],
            utc(8, 6, 30),
            late.ends_at,
        ),
        SubforumChoice(untimed.id, "tba", "To be announced", "", 100, 0, [], None, None),
    ]


def test_subforum_choices_agree_with_the_subforum_rows(setting):
    choices = queries.subforum_choices(setting.conference.id)

    rows = [db.session.get(type(setting.fintech), choice.id) for choice in choices]
    assert [(c.title, c.seats_left, c.is_full, c.starts_at, c.ends_at) for c in choices] == [
        (r.title, r.seats_left, r.is_full, r.starts_at, r.ends_at) for r in rows
    ]


def test_subforum_choices_is_one_query(setting, query_counter):
    conference_id = setting.conference.id

    with query_counter(db.engine) as log:
        queries.subforum_choices(conference_id)

    assert log.count == 1
