"""Importing a frab schedule: one audited transaction; the same file twice changes nothing, an
edited one changes only what it changes, and SEQUENCE goes up only for time, place or status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests import factories
from tests.factories import OPERATOR, count_rows, fresh
from tests.helpers import frab
from tests.helpers.frab import TWO_TALKS, File, Talk
from tests.helpers.queries import count_queries
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.extensions import db
from wuzhen_events.program.enums import SessionKind, SessionStatus, SpeakerRole
from wuzhen_events.program.frab_import import Action, Kind
from wuzhen_events.program.imports import import_schedule
from wuzhen_events.program.models import (
    ProgramSession,
    SessionSpeaker,
    Speaker,
    Subforum,
    Venue,
)
from wuzhen_events.program.services import ProgramError


@pytest.fixture
def conference(app):
    return factories.make_conference()


def run(data: bytes, conference, **options):
    return import_schedule(data, actor=OPERATOR, conference=fresh(conference), **options)


def entries() -> list[AuditEntry]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)))


def session_by_guid(number: int) -> ProgramSession:
    db.session.rollback()
    return db.session.scalars(
        sa.select(ProgramSession).where(ProgramSession.guid == frab.guid(number))
    ).one()


def state() -> list[tuple]:
    """Every session as feeds see it."""
    db.session.rollback()
    return [
        (s.guid, s.title, s.starts_at, s.ends_at, s.venue_id, s.status, s.sequence, s.updated_at)
        for s in db.session.scalars(sa.select(ProgramSession).order_by(ProgramSession.id))
    ]


def test_the_pretalx_sample_becomes_subforums_venues_speakers_and_sessions(conference):
    plan = run(frab.wic_sample(), conference)

    assert plan.counts(Kind.SESSION)[Action.CREATE] == 190
    assert [count_rows(m) for m in (Subforum, Venue, Speaker, ProgramSession)] == [
        19,
        10,
        171,
        190,
    ]
    assert count_rows(SessionSpeaker) == 351
    assert count_rows(AuditEntry) == 19 + 10 + 171 + 190 + 1  # + the conference
    session = db.session.scalars(
        sa.select(ProgramSession).where(
            ProgramSession.guid == "4d727e4a-fdb9-54ba-9fd5-91ff4e1fc918"
        )
    ).one()
    assert (
        session.title,
        session.kind,
        session.starts_at,
        session.ends_at,
        session.venue.building,
        session.venue.slug,
        session.subforum.title,
        session.subforum.capacity,
        [role.speaker.name for role in session.speaker_roles],
        session.sequence,
        session.status,
    ) == (
        "Securing Human-centred Governance for Digital Economy",
        SessionKind.SUBFORUM_SESSION,
        datetime(2018, 11, 7, 1, 0, tzinfo=UTC),
        datetime(2018, 11, 7, 1, 30, tzinfo=UTC),
        "Hall A",
        "hall-a",
        "Digital Economy",
        200,
        ["Wei Sato"],
        0,
        SessionStatus.SCHEDULED,
    )
    assert session.abstract.startswith("Research open community")
    assert "\n\nGlobal economy open system trust" in session.abstract
    (entry,) = [
        e
        for e in entries()
        if e.object_type == "program_sessions" and e.object_id == str(session.id)
    ]
    assert (entry.action, entry.actor_label, entry.after["guid"]) == (
        "import_schedule",
        "cli:tests",
        session.guid,
    )


@pytest.mark.parametrize("write", [frab.xml, frab.to_json], ids=["xml", "json"])
def test_importing_the_same_file_again_changes_nothing(conference, write):
    run(write(TWO_TALKS), conference)
    before, written = state(), len(entries())

    plan = run(write(TWO_TALKS), conference)

    assert plan.changes_anything is False
    assert (state(), len(entries())) == (before, written)


def test_the_pretalx_sample_imported_twice_writes_nothing_the_second_time(conference):
    run(frab.wic_sample(), conference)
    before, written = state(), len(entries())

    with count_queries(db.engine) as log:
        run(frab.wic_sample(), conference)

    assert (state(), len(entries())) == (before, written)
    assert [s for s in log.statements if not s.lstrip().upper().startswith("SELECT")] == []


def test_a_moved_talk_changes_alone_and_its_sequence_goes_up(conference):
    run(frab.xml(TWO_TALKS), conference)
    untouched = session_by_guid(2)
    untouched_state = (untouched.updated_at, untouched.sequence)
    written = len(entries())
    moved = TWO_TALKS.talks[0].but(date="2018-11-07T10:00:00+08:00", duration="00:45")

    plan = run(frab.xml(File((moved, TWO_TALKS.talks[1]))), conference)

    assert [(row.action, row.changes) for row in plan.sessions] == [
        (Action.CHANGE, ("starts_at", "ends_at")),
        (Action.UNCHANGED, ()),
    ]
    session = session_by_guid(1)
    assert (session.starts_at, session.ends_at, session.sequence) == (
        datetime(2018, 11, 7, 2, 0, tzinfo=UTC),
        datetime(2018, 11, 7, 2, 45, tzinfo=UTC),
        1,
    )
    other = session_by_guid(2)
    assert (other.updated_at, other.sequence) == untouched_state
    (entry,) = entries()[written:]
    assert (entry.action, entry.object_id, entry.fields) == (
        "import_schedule",
        str(session.id),
        ["ends_at", "sequence", "starts_at"],
    )
    assert (entry.before["starts_at"], entry.after["starts_at"]) == (
        "2018-11-07T01:00:00+00:00",
        "2018-11-07T02:00:00+00:00",
    )


def test_a_new_title_changes_the_session_but_not_its_sequence(conference):
    run(frab.xml(TWO_TALKS), conference)
    before = session_by_guid(1).updated_at
    renamed = TWO_TALKS.talks[0].but(title="Securing the Digital Economy")

    run(frab.xml(File((renamed, TWO_TALKS.talks[1]))), conference)

    session = session_by_guid(1)
    assert (session.title, session.sequence) == ("Securing the Digital Economy", 0)
    assert session.updated_at > before
    assert entries()[-1].fields == ["title"]


def test_a_new_room_moves_the_session_and_makes_the_venue(conference):
    run(frab.xml(TWO_TALKS), conference)
    moved = TWO_TALKS.talks[0].but(room="Hall C")

    plan = run(frab.xml(File((moved, TWO_TALKS.talks[1]))), conference)

    assert [(row.name, row.action) for row in plan.venues] == [
        ("Hall C", Action.CREATE),
        ("Hall B", Action.UNCHANGED),
    ]
    session = session_by_guid(1)
    assert (session.venue.building, session.sequence) == ("Hall C", 1)


def test_changed_speakers_are_recorded_and_keep_the_sequence(conference):
    run(frab.xml(TWO_TALKS), conference)
    before = session_by_guid(2)
    old_ids = [role.speaker_id for role in before.speaker_roles]
    updated_at = before.updated_at
    swapped = TWO_TALKS.talks[1].but(persons=(("Wei Sato", None), ("Omar Guo", None)))

    run(frab.xml(File((TWO_TALKS.talks[0], swapped))), conference)

    session = session_by_guid(2)
    names = [(role.speaker.name, role.position) for role in session.speaker_roles]
    assert names == [("Wei Sato", 0), ("Omar Guo", 1)]
    assert session.sequence == 0
    assert session.updated_at > updated_at
    omar = db.session.scalars(sa.select(Speaker).where(Speaker.name == "Omar Guo")).one()
    speaker_entries = [e for e in entries() if e.object_type == "program_sessions"][-1]
    assert (speaker_entries.fields, speaker_entries.before, speaker_entries.after) == (
        ["speakers"],
        {"speakers": old_ids},
        {"speakers": [old_ids[1], omar.id]},
    )


def test_a_talk_gone_from_the_file_is_cancelled_and_back_when_it_returns(conference):
    run(frab.xml(TWO_TALKS), conference)

    plan = run(frab.xml(File(TWO_TALKS.talks[:1])), conference)

    assert [(row.action, row.name) for row in plan.of(Kind.SESSION, Action.CANCEL)] == [
        (Action.CANCEL, "Open Data for Cities")
    ]
    gone = session_by_guid(2)
    assert (gone.status, gone.sequence) == (SessionStatus.CANCELLED, 1)

    run(frab.xml(TWO_TALKS), conference)

    back = session_by_guid(2)
    assert (back.status, back.sequence) == (SessionStatus.SCHEDULED, 2)


def test_rows_made_by_hand_are_matched_and_never_changed(conference):
    hall = factories.make_venue(slug="hall-a", building="WIICEC", hall="Hall A", room_number="")
    subforum = factories.make_subforum(conference, title="Digital Economy", capacity=80)
    wei = factories.make_speaker(name="Wei Sato", slug="wei-sato")
    by_hand = factories.make_session(conference, title="Made by hand")
    written = len(entries())

    plan = run(frab.xml(File(TWO_TALKS.talks[:1])), conference)

    assert [(row.kind, row.action) for kind in Kind for row in plan.rows(kind)] == [
        (Kind.SUBFORUM, Action.UNCHANGED),
        (Kind.VENUE, Action.UNCHANGED),
        (Kind.SPEAKER, Action.UNCHANGED),
        (Kind.SESSION, Action.CREATE),
    ]
    session = session_by_guid(1)
    assert (session.venue_id, session.subforum_id, session.speaker_roles[0].speaker_id) == (
        hall.id,
        subforum.id,
        wei.id,
    )
    assert db.session.get(Subforum, subforum.id).capacity == 80
    assert db.session.get(ProgramSession, by_hand.id).status is SessionStatus.SCHEDULED
    assert [e.object_type for e in entries()[written:]] == ["program_sessions"]


def test_moderators_added_by_hand_stay_after_the_files_speakers(conference):
    run(frab.xml(TWO_TALKS), conference)
    session = session_by_guid(1)
    host = factories.make_speaker(name="Yang Rui")
    with db.session.begin():
        db.session.add(
            SessionSpeaker(
                session_id=session.id, speaker_id=host.id, role=SpeakerRole.MODERATOR, position=5
            )
        )
    renamed = TWO_TALKS.talks[0].but(persons=(("Omar Guo", None),))

    run(frab.xml(File((renamed, TWO_TALKS.talks[1]))), conference)

    roles = session_by_guid(1).speaker_roles
    assert [(r.speaker.name, r.role, r.position) for r in roles] == [
        ("Omar Guo", SpeakerRole.SPEAKER, 0),
        ("Yang Rui", SpeakerRole.MODERATOR, 1),
    ]


def test_a_refused_talk_is_left_out_and_the_rest_imported(conference):
    late = Talk(3, "Too late", date="2018-11-12T10:00:00+08:00", room="Hall Z", track="Later")

    plan = run(frab.xml(File((*TWO_TALKS.talks, late))), conference)

    assert [(row.name, row.action) for row in plan.sessions] == [
        ("Securing Digital Economy", Action.CREATE),
        ("Open Data for Cities", Action.CREATE),
        ("Too late", Action.REFUSE),
    ]
    assert (count_rows(ProgramSession), count_rows(Venue), count_rows(Subforum)) == (2, 2, 2)


@pytest.mark.parametrize(
    "data",
    [b"not a schedule", frab.xml(TWO_TALKS)[:-20], b"\xff\xfe<\x00"],
    ids=["text", "cut short", "utf-16"],
)
def test_a_malformed_file_changes_nothing(conference, data):
    written = len(entries())

    with pytest.raises(ProgramError):
        run(data, conference)

    assert (count_rows(ProgramSession), len(entries())) == (0, written)


def test_a_file_that_is_not_the_previewed_one_is_refused(conference, app):
    with pytest.raises(ProgramError) as refused:
        run(frab.xml(TWO_TALKS), conference, sha256="0" * 64)

    assert refused.value.message == (
        "The file is not the one previewed; preview it again before importing."
    )
    assert count_rows(ProgramSession) == 0


def test_a_person_keeps_their_guid_and_is_found_by_it_after_a_rename(conference):
    run(frab.xml(TWO_TALKS), conference)
    renamed = TWO_TALKS.talks[1].but(persons=(("Kumar Lei", frab.guid(901)), ("Wei Sato", None)))

    plan = run(frab.xml(File((TWO_TALKS.talks[0], renamed))), conference)

    assert [(row.name, row.action, row.changes) for row in plan.speakers] == [
        ("Wei Sato", Action.UNCHANGED, ()),
        ("Kumar Lei", Action.CHANGE, ("name",)),
    ]
    speaker = db.session.scalars(sa.select(Speaker).where(Speaker.guid == frab.guid(901))).one()
    assert speaker.name == "Kumar Lei"
    assert count_rows(Speaker) == 2


# --- our own export, read back ------------------------------------------------------------------


def program_of(conference_id: int) -> list[tuple]:
    db.session.rollback()
    sessions = db.session.scalars(
        sa.select(ProgramSession)
        .where(
            ProgramSession.conference_id == conference_id,
            ProgramSession.status == SessionStatus.SCHEDULED,
        )
        .order_by(ProgramSession.starts_at, ProgramSession.title)
    )
    return sorted(
        [
            (
                s.title,
                s.title_zh,
                s.kind,
                s.starts_at,
                s.ends_at,
                s.venue_id,
                s.subforum.title if s.subforum else None,
                s.abstract,
                [role.speaker_id for role in s.speaker_roles],
            )
            for s in sessions
        ],
        key=repr,
    )


@pytest.mark.parametrize("path", ["/schedule.xml", "/schedule.json"])
def test_our_own_schedule_export_imports_into_an_empty_conference_as_the_same_program(
    app, client, path
):
    from wuzhen_events.seed.loader import load_demo_conference

    load_demo_conference()
    demo = db.session.scalars(sa.select(ProgramSession.conference_id).limit(1)).one()
    exported = client.get(path).get_data()
    copy = factories.make_conference(slug="wic2018-copy")

    plan = run(exported, copy)

    assert plan.skipped == 151  # the Expo's product launches
    assert plan.of(Kind.SESSION, Action.REFUSE) == []
    assert program_of(copy.id) == program_of(demo)
    assert len(program_of(copy.id)) == 48


# --- a large program ------------------------------------------------------------------------


def large_program(count: int) -> bytes:
    """`count` talks over three days, ten rooms and nineteen tracks, two speakers each."""
    talks = []
    for number in range(1, count + 1):
        day, slot = divmod(number - 1, count // 3 + 1)
        room = number % 10
        start = datetime(2018, 11, 7 + day, 8, 0) + timedelta(minutes=5 * (slot // 10))
        talks.append(
            Talk(
                number,
                f"Talk {number}",
                room=f"Room {room}",
                date=start.isoformat() + "+08:00",
                track=f"Track {number % 19}",
                persons=(
                    (f"Speaker {number}", frab.guid(10_000 + number)),
                    (f"Chair {number % 50}", None),
                ),
            )
        )
    return frab.to_json(File(tuple(talks)))


def test_a_program_of_1900_talks_imports_in_a_bounded_number_of_queries(conference):
    data = large_program(1900)

    with count_queries(db.engine) as log:
        plan = run(data, conference)

    assert plan.counts(Kind.SESSION)[Action.CREATE] == 1900
    assert count_rows(ProgramSession) == 1900
    assert count_rows(Speaker) == 1950
    # Loading the program (6), the conference, inserting each kind in batches, the audit entries
    # in one statement: a number that does not grow with the file.
    assert log.count <= 40, log.count

    with count_queries(db.engine) as again:
        run(data, conference)
    assert again.count <= 10, again.count
