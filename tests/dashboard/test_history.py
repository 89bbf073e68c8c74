"""Audit entries as the dashboard prints them: organizers by name, fields before and after."""

from __future__ import annotations

from tests import factories
from tests.helpers.accounts import make_account
from tests.helpers.queries import count_queries
from wuzhen_events.accounts.enums import Role
from wuzhen_events.audit.actors import Actor
from wuzhen_events.audit.queries import object_history
from wuzhen_events.dashboard.history import FieldChange, history_lines
from wuzhen_events.extensions import db
from wuzhen_events.program import services as program_services


def test_history_lines_name_organizers_in_one_query(app):
    first = make_account(Role.ORGANIZER, name="Chen Jie", email="chen@organizers.example")
    second = make_account(Role.ADMIN, name="李伟", email="li@organizers.example")
    conference = factories.make_conference()
    session = factories.make_session(conference, actor=Actor.account(second))
    program_services.cancel_session(session, actor=Actor.account(first))
    entries = object_history("program_sessions", session.id)

    with count_queries(db.engine) as queries:
        lines = history_lines(entries)

    assert queries.count == 1
    assert [(line.actor, line.action) for line in lines] == [
        ("李伟 <li@organizers.example>", "schedule_session"),
        ("Chen Jie <chen@organizers.example>", "cancel_session"),
    ]
    assert lines[1].changes == [
        FieldChange("sequence", "0", "1"),
        FieldChange("status", "scheduled", "cancelled"),
    ]
