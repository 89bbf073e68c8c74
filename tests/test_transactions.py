"""Every service writes through write(): text limits checked, conflicts refused, nothing
half-written, and nothing of its caller's committed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tests import factories
from tests.factories import OPERATOR, reload
from tests.helpers.registration import register
from tests.worlds import OverlappingSubforums
from wuzhen_events.errors import _l
from wuzhen_events.extensions import db
from wuzhen_events.program.enums import SpeakerRole
from wuzhen_events.program.models import ProgramSession, Speaker, Topic
from wuzhen_events.program.services import ProgramError
from wuzhen_events.registration import services
from wuzhen_events.registration.enums import DelegateCategory
from wuzhen_events.registration.models import ClosedCategory, Delegate
from wuzhen_events.transactions import PendingChanges, write


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


# --- write(): the one transaction helper -------------------------------------------------------


@pytest.fixture
def setting(app) -> OverlappingSubforums:
    """A conference to register for; no subforums are needed here."""
    return OverlappingSubforums(factories.make_conference(), None, None, None)


def test_a_write_commits_what_its_block_did(app):
    with write(error=ProgramError):
        db.session.add(Topic(slug="ai", name="Artificial intelligence"))

    assert factories.count_rows(Topic) == 1


@pytest.mark.parametrize(
    ("keep_loaded", "expired"), [(False, {"id", "name", "name_zh", "slug"}), (True, set())]
)
def test_keep_loaded_leaves_the_blocks_rows_loaded_after_the_commit(app, keep_loaded, expired):
    with write(error=ProgramError, keep_loaded=keep_loaded):
        topic = Topic(slug="ai", name="Artificial intelligence")
        db.session.add(topic)

    assert sa.inspect(topic).expired_attributes == expired
    assert db.session().expire_on_commit is True  # the next commit expires as usual


def test_a_domain_error_in_the_block_rolls_everything_back(app):
    with pytest.raises(ProgramError) as refused, write(error=ProgramError):
        db.session.add(Topic(slug="ai", name="Artificial intelligence"))
        db.session.flush()
        raise ProgramError(_l("No topics today."), field="slug")

    assert (refused.value.message, refused.value.field) == ("No topics today.", "slug")
    assert factories.count_rows(Topic) == 0


def test_an_integrity_conflict_becomes_the_services_domain_error(app):
    factories.make_topic(slug="ai")

    with (
        pytest.raises(ProgramError) as refused,
        write(error=ProgramError, message=_l("That topic exists."), field="slug"),
    ):
        db.session.add(Topic(slug="ai", name="Artificial intelligence again"))

    assert (refused.value.message, refused.value.field) == ("That topic exists.", "slug")
    assert isinstance(refused.value.__cause__, IntegrityError)
    assert factories.count_rows(Topic) == 1


def test_without_an_error_class_the_integrity_conflict_reaches_the_service(app):
    factories.make_topic(slug="ai")

    with pytest.raises(IntegrityError), write(error=None):
        db.session.add(Topic(slug="ai", name="Artificial intelligence again"))

    assert factories.count_rows(Topic) == 1


def test_a_caller_that_only_read_is_not_refused(setting):
    delegate = register(setting, "ada@example.com")
    assert reload(delegate).name == "Li Wei"  # the caller's read transaction is open

    services.close_category(setting.conference, DelegateCategory.MEDIA, actor=OPERATOR)

    assert factories.count_rows(ClosedCategory) == 1


def test_a_failing_service_commits_none_of_its_callers_pending_changes(setting):
    delegate = register(setting, "ada@example.com")
    services.cancel_registration(reload(delegate), actor=OPERATOR)
    delegate = reload(delegate)
    delegate.name = "Not decided by anyone"

    with pytest.raises(PendingChanges):
        services.cancel_registration(delegate, actor=OPERATOR)

    db.session.rollback()
    assert reload(delegate).name == "Li Wei"


def test_a_succeeding_service_commits_none_of_its_callers_pending_changes(setting):
    delegate = register(setting, "ada@example.com")
    delegate = reload(delegate)
    delegate.name = "Not decided by anyone"

    with pytest.raises(PendingChanges):
        services.close_category(setting.conference, DelegateCategory.MEDIA, actor=OPERATOR)

    db.session.rollback()
    assert (reload(delegate).name, factories.count_rows(ClosedCategory)) == ("Li Wei", 0)


def test_a_callers_flushed_or_executed_change_counts_as_pending(setting):
    delegate = register(setting, "ada@example.com")
    db.session.execute(
        sa.update(Delegate).where(Delegate.id == delegate.id).values(name="Not decided by anyone")
    )

    with pytest.raises(PendingChanges):
        services.close_category(setting.conference, DelegateCategory.MEDIA, actor=OPERATOR)

    db.session.rollback()
    assert (reload(delegate).name, factories.count_rows(ClosedCategory)) == ("Li Wei", 0)


def test_a_nested_write_is_a_savepoint_of_the_outer_one(app):
    with write(error=ProgramError):
        db.session.add(Topic(slug="ai", name="Artificial intelligence"))
        with pytest.raises(ProgramError), write(error=ProgramError):
            db.session.add(Topic(slug="5g", name="5G"))
            db.session.flush()
            raise ProgramError(_l("Not this one."))
        with write(error=ProgramError):
            db.session.add(Topic(slug="iot", name="Internet of things"))

    db.session.rollback()
    slugs = db.session.scalars(sa.select(Topic.slug).order_by(Topic.slug)).all()
    assert slugs == ["ai", "iot"]


def test_a_nested_write_commits_nothing_when_the_outer_one_fails(app):
    with pytest.raises(ProgramError), write(error=ProgramError):
        with write(error=ProgramError):
            db.session.add(Topic(slug="ai", name="Artificial intelligence"))
        raise ProgramError(_l("The whole change is refused."))

    assert factories.count_rows(Topic) == 0


def test_an_integrity_conflict_in_a_nested_write_leaves_the_outer_one_usable(app):
    factories.make_topic(slug="ai")

    with write(error=ProgramError):
        db.session.add(Topic(slug="iot", name="Internet of things"))
        with (
            pytest.raises(ProgramError) as refused,
            write(error=ProgramError, message=_l("That topic exists."), field="slug"),
        ):
            db.session.add(Topic(slug="ai", name="Artificial intelligence again"))
        db.session.add(Topic(slug="5g", name="5G"))

    slugs = db.session.scalars(sa.select(Topic.slug).order_by(Topic.slug)).all()
    assert (refused.value.message, refused.value.field) == ("That topic exists.", "slug")
    assert isinstance(refused.value.__cause__, IntegrityError)
    assert slugs == ["5g", "ai", "iot"]


def test_an_integrity_conflict_flushed_in_a_nested_write_leaves_the_outer_one_usable(app):
    factories.make_topic(slug="ai")

    with write(error=ProgramError):
        db.session.add(Topic(slug="iot", name="Internet of things"))
        with pytest.raises(ProgramError), write(error=ProgramError):
            db.session.add(Topic(slug="ai", name="Artificial intelligence again"))
            db.session.flush()
        db.session.add(Topic(slug="5g", name="5G"))

    slugs = db.session.scalars(sa.select(Topic.slug).order_by(Topic.slug)).all()
    assert slugs == ["5g", "ai", "iot"]


def test_the_outer_write_rolls_back_cleanly_after_a_nested_conflict(app):
    factories.make_topic(slug="ai")

    with pytest.raises(ProgramError) as refused, write(error=ProgramError):
        db.session.add(Topic(slug="iot", name="Internet of things"))
        with pytest.raises(ProgramError), write(error=ProgramError):
            db.session.add(Topic(slug="ai", name="Artificial intelligence again"))
        raise ProgramError(_l("The whole change is refused."))

    slugs = db.session.scalars(sa.select(Topic.slug).order_by(Topic.slug)).all()
    assert (refused.value.message, slugs) == ("The whole change is refused.", ["ai"])
    assert not db.session.info.get("wuzhen_events.writing")
