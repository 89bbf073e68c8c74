"""Services end with save(): text limits checked, conflicts refused, nothing half-written."""

from __future__ import annotations

import pytest

from tests import factories
from wuzhen_events.extensions import db
from wuzhen_events.program.enums import SpeakerRole
from wuzhen_events.program.models import ProgramSession, Speaker
from wuzhen_events.program.services import ProgramError


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        (
            {"title_zh": "界" * 301},
            "The title (Chinese) is longer than 300 characters.",
            "title_zh",
        ),
        ({"title": "x" * 301}, "The title is longer than 300 characters.", "title"),
    ],
    ids=["chinese-title", "title"],
)
def test_text_longer_than_its_column_is_refused_and_nothing_stored(app, overrides, message, field):
    conference = factories.make_conference()

    with pytest.raises(ProgramError) as refused:
        factories.make_session(conference, **overrides)

    assert (refused.value.message, refused.value.field) == (message, field)
    assert factories.count_rows(ProgramSession) == 0


def test_speaker_text_fields_are_checked_against_their_columns(app):
    with pytest.raises(ProgramError) as refused:
        factories.make_speaker(affiliation_zh="机构" * 151)

    assert refused.value.message == "The affiliation (Chinese) is longer than 300 characters."
    assert factories.count_rows(Speaker) == 0


def test_a_conflict_is_refused_with_a_message_and_the_session_stays_usable(app):
    conference = factories.make_conference()
    speaker = factories.make_speaker()

    with pytest.raises(ProgramError) as refused:
        factories.make_session(
            conference, speakers=[(speaker, SpeakerRole.HOST), (speaker, SpeakerRole.HOST)]
        )

    assert refused.value.message == "This change conflicts with data that is already stored."
    assert factories.count_rows(ProgramSession) == 0
    assert factories.make_session(conference).id is not None


def test_a_refused_row_held_by_a_back_reference_is_not_written_later(app):
    conference = factories.make_conference()
    subforum = factories.make_subforum(conference)

    with pytest.raises(ProgramError):
        factories.make_session(conference, subforum=subforum, title_zh="界" * 301)
    factories.make_topic()  # the next commit must not sweep the refused session in

    assert factories.count_rows(ProgramSession) == 0
    assert db.session.get(type(subforum), subforum.id).sessions == []
