"""Reading the trail back: one object's history, one delegate's, and the filtered log."""

from __future__ import annotations

from datetime import UTC, datetime

from tests import factories
from tests.factories import OPERATOR
from tests.helpers.registration import details
from wuzhen_events.audit.actors import Actor, ActorKind
from wuzhen_events.audit.queries import (
    AuditFilter,
    delegate_history,
    entries_query,
    object_history,
)
from wuzhen_events.extensions import db
from wuzhen_events.program import services as program_services
from wuzhen_events.registration import services as registration


def test_histories_and_the_filtered_log(app):
    conference = factories.make_conference()
    subforum = factories.make_subforum(conference, capacity=5)
    session = factories.make_session(conference, subforum=subforum)
    delegate = registration.register_delegate(
        conference,
        details("ada@example.com"),
        subforums=[subforum],
        email_verified=True,
        actor=Actor.public(),
    ).delegate
    organizer = Actor(ActorKind.ORGANIZER, "7")
    program_services.cancel_session(session, actor=organizer)
    registration.cancel_registration(delegate, actor=organizer)

    theirs = [(e.action, e.object_type) for e in delegate_history(delegate.id)]
    session_history = [e.action for e in object_history("program_sessions", session.id)]
    by_organizer = db.session.scalars(
        entries_query(AuditFilter(actor_kind=ActorKind.ORGANIZER, actor_id="7"))
    ).all()
    none_yet = db.session.scalars(
        entries_query(AuditFilter(until=datetime(2000, 1, 1, tzinfo=UTC)))
    ).all()

    assert theirs == [
        ("register_delegate", "delegates"),
        ("register_delegate", "seat_bookings"),
        ("cancel_registration", "delegates"),
        ("cancel_registration", "seat_bookings"),
    ]
    assert session_history == ["schedule_session", "cancel_session"]
    assert [(e.action, e.object_type) for e in by_organizer] == [
        ("cancel_registration", "seat_bookings"),
        ("cancel_registration", "delegates"),
        ("cancel_session", "program_sessions"),
    ]
    assert none_yet == []
    assert OPERATOR.kind is ActorKind.CLI
