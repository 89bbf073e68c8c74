"""Session cards of the day pages are rendered once per everything they show."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template_string

from tests import factories
from tests.factories import utc
from wuzhen_events.extensions import db
from wuzhen_events.program import services
from wuzhen_events.program.cards import CARD_CACHE, session_card
from wuzhen_events.program.enums import SpeakerRole
from wuzhen_events.program.models import ProgramSession, Speaker


def make_day(count: int) -> list[ProgramSession]:
    conference = factories.make_conference()
    subforum = factories.make_subforum(conference, slug="ai", title="AI")
    speaker = factories.make_speaker(slug="ada", name="Ada Lovelace", name_zh="艾达")
    return [
        factories.make_session(
            conference,
            title=f"Talk {number}",
            starts_at=utc(7, 1 + number),
            venue=factories.make_venue(),
            subforum=subforum,
            speakers=[(speaker, SpeakerRole.MODERATOR)],
        )
        for number in range(count)
    ]


def test_a_kept_card_is_the_card_the_template_renders(app):
    session = make_day(1)[0]
    with app.test_request_context("/program/"):
        included = render_template_string(
            '{% include "program/_session_card.html" %}', session=session
        )
        kept = session_card(session)
        again = session_card(session)

    assert str(kept) == included
    assert again is kept
    assert '<a href="/speakers/ada/">Ada Lovelace</a> <span class="role">(Moderator)</span>' in kept


def test_a_change_renders_only_the_changed_card_again(app, client):
    sessions = make_day(3)
    first = client.get("/program/?day=2018-11-07")
    cards = app.extensions[CARD_CACHE]
    kept = len(cards)

    services.cancel_session(sessions[1], actor=factories.OPERATOR)
    db.session.expunge_all()
    after = client.get("/program/?day=2018-11-07")

    assert kept == 3
    assert len(cards) == 4
    assert first.get_data(as_text=True).count("Cancelled") == 0
    assert after.get_data(as_text=True).count('badge-cancelled">Cancelled') == 1


def test_each_language_and_each_name_change_has_its_own_card(app, client):
    make_day(1)
    client.get("/program/?day=2018-11-07")
    chinese = client.get("/program/?day=2018-11-07", headers={"Accept-Language": "zh"})
    db.session.execute(
        sa.update(Speaker).values(name="Ada King")
    )  # a speaker renamed: no session row changes
    db.session.commit()
    renamed = client.get("/program/?day=2018-11-07")

    assert len(app.extensions[CARD_CACHE]) == 3
    assert "艾达" in chinese.get_data(as_text=True)
    assert "Ada King" in renamed.get_data(as_text=True)
