"""Every rule of the program services: what they store, and the exact refusal when they don't."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import (
    OPENING,
    OPERATOR,
    count_rows,
    make_conference,
    make_session,
    make_speaker,
    make_subforum,
    make_topic,
    make_venue,
    reload,
)
from wuzhen_events.db import Provenance
from wuzhen_events.program import services
from wuzhen_events.program.enums import SessionKind, SessionStatus, SpeakerRole
from wuzhen_events.program.models import (
    Conference,
    ProgramSession,
    SessionSpeaker,
    Speaker,
    Subforum,
    Topic,
    Venue,
)
from wuzhen_events.program.services import ProgramError

WUZHEN = ZoneInfo("Asia/Shanghai")


# --- conferences ----------------------------------------------------------------------------


def test_create_conference_stores_the_conference(app):
    conference = make_conference(name="  Fifth World Internet Conference  ")

    stored = reload(conference)
    assert (stored.slug, stored.name, stored.edition) == (
        "wic2018",
        "Fifth World Internet Conference",
        5,
    )
    assert (stored.starts_on, stored.ends_on) == (date(2018, 11, 7), date(2018, 11, 9))
    assert stored.expo_opens_at == datetime(2018, 11, 6, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        (
            {"starts_on": date(2018, 11, 9), "ends_on": date(2018, 11, 7)},
            "The conference cannot end before it starts.",
            "ends_on",
        ),
        ({"name": ""}, "The name cannot be empty.", "name"),
        ({"name": "   "}, "The name cannot be empty.", "name"),
        ({"name": "N" * 201}, "The name is longer than 200 characters.", "name"),
        ({"theme": ""}, "The theme cannot be empty.", "theme"),
        ({"theme": "T" * 301}, "The theme is longer than 300 characters.", "theme"),
        ({"slug": ""}, "A slug is 1 to 120 lower-case letters, digits and single hyphens.", "slug"),
        (
            {"slug": "w" * 121},
            "A slug is 1 to 120 lower-case letters, digits and single hyphens.",
            "slug",
        ),
        (
            {"expo_opens_at": datetime(2018, 11, 6, 9, 30)},
            "Expo opening and closing times must carry a timezone.",
            "expo_opens_at",
        ),
        (
            {"expo_closes_at": datetime(2018, 11, 10, 12, 0)},
            "Expo opening and closing times must carry a timezone.",
            "expo_opens_at",
        ),
        (
            {"expo_closes_at": datetime(2018, 11, 6, 1, 30, tzinfo=UTC)},
            "The Expo must close after it opens.",
            "expo_closes_at",
        ),
    ],
    ids=[
        "ends-before-start",
        "empty-name",
        "blank-name",
        "long-name",
        "empty-theme",
        "long-theme",
        "empty-slug",
        "slug-longer-than-its-column",
        "naive-expo-opening",
        "naive-expo-closing",
        "expo-closes-when-it-opens",
    ],
)
def test_create_conference_refuses_bad_input(app, overrides, message, field):
    with pytest.raises(ProgramError) as refused:
        make_conference(**overrides)

    assert (refused.value.message, refused.value.field) == (message, field)
    assert count_rows(Conference) == 0


def test_create_conference_accepts_a_slug_as_long_as_its_column(app):
    conference = make_conference(slug="w" * 40)

    assert reload(conference).slug == "w" * 40


def test_create_conference_refuses_a_slug_in_use(app):
    make_conference()

    with pytest.raises(ProgramError) as refused:
        make_conference(name="Another conference")

    assert refused.value.message == "The slug 'wic2018' is already in use."
    assert count_rows(Conference) == 1


# --- venues and topics ----------------------------------------------------------------------


def test_create_venue_stores_details_and_provenance(app):
    venue = make_venue(
        slug="wiicec-tongan-217",
        building="WIICEC",
        hall="Tong'an Hall",
        hall_zh="通安厅",
        room_number="217",
        capacity=400,
        provenance=Provenance.INFERRED,
        source_note="S4",
    )

    stored = reload(venue)
    assert (stored.slug, stored.hall, stored.hall_zh, stored.room_number, stored.capacity) == (
        "wiicec-tongan-217",
        "Tong'an Hall",
        "通安厅",
        "217",
        400,
    )
    assert (stored.provenance, stored.source_note) == (Provenance.INFERRED, "S4")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"capacity": 0}, "A venue's capacity must be positive."),
        ({"capacity": -5}, "A venue's capacity must be positive."),
        ({"building": " "}, "The building cannot be empty."),
        ({"building": "B" * 201}, "The building is longer than 200 characters."),
        ({"slug": "s" * 121}, "A slug is 1 to 120 lower-case letters, digits and single hyphens."),
    ],
    ids=["zero-capacity", "negative-capacity", "blank-building", "long-building", "long-slug"],
)
def test_create_venue_refuses_bad_input(app, overrides, message):
    with pytest.raises(ProgramError) as refused:
        make_venue(**overrides)

    assert refused.value.message == message
    assert count_rows(Venue) == 0


def test_create_venue_refuses_a_slug_in_use(app):
    make_venue(slug="wuzhen-hall")

    with pytest.raises(ProgramError) as refused:
        make_venue(slug="wuzhen-hall")

    assert refused.value.message == "The slug 'wuzhen-hall' is already in use."
    assert count_rows(Venue) == 1


def test_create_topic_stores_both_names(app):
    topic = make_topic(slug="5g", name=" 5G ", name_zh="5G技术")

    assert (reload(topic).slug, reload(topic).name, reload(topic).name_zh) == ("5g", "5G", "5G技术")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "The name cannot be empty."),
        ({"name": "N" * 121}, "The name is longer than 120 characters."),
        ({"slug": ""}, "A slug is 1 to 120 lower-case letters, digits and single hyphens."),
    ],
    ids=["empty-name", "long-name", "empty-slug"],
)
def test_create_topic_refuses_bad_input(app, overrides, message):
    with pytest.raises(ProgramError) as refused:
        make_topic(**overrides)

    assert refused.value.message == message
    assert count_rows(Topic) == 0


# --- subforums ------------------------------------------------------------------------------


def test_create_subforum_stores_venue_topics_and_hosts(app):
    conference = make_conference()
    venue = make_venue(hall="Ciyun Hall", capacity=350)
    privacy, big_data = make_topic(name="Privacy"), make_topic(name="Big data")

    subforum = make_subforum(
        conference,
        slug="personal-information-protection",
        title="Personal Information Protection in the Big Data Era",
        capacity=350,
        venue=venue,
        topics=[privacy, big_data],
        host_organisations=["Supreme People's Procuratorate"],
    )

    stored = reload(subforum)
    assert (stored.slug, stored.capacity, stored.venue_id, stored.conference_id) == (
        "personal-information-protection",
        350,
        venue.id,
        conference.id,
    )
    assert [topic.name for topic in stored.topics] == ["Big data", "Privacy"]
    assert stored.host_organisations == ["Supreme People's Procuratorate"]
    assert stored.provenance is Provenance.SOURCED


def test_create_subforum_stores_chinese_hosts_and_source_note(app):
    subforum = make_subforum(
        make_conference(),
        host_organisations=["Supreme People's Procuratorate", "Wuhan University"],
        host_organisations_zh=["最高人民检察院", "武汉大学"],
        source_note="S4, S14",
        source_note_zh="S4、S14",
    )

    stored = reload(subforum)
    assert (stored.host_organisations_zh, stored.source_note_zh) == (
        ["最高人民检察院", "武汉大学"],
        "S4、S14",
    )


def test_create_subforum_refuses_chinese_hosts_that_do_not_pair_with_the_english(app):
    with pytest.raises(ProgramError) as refused:
        make_subforum(
            make_conference(),
            host_organisations=["Supreme People's Procuratorate", "Wuhan University"],
            host_organisations_zh=["武汉大学"],
        )

    assert (refused.value.message, refused.value.field) == (
        "Give one Chinese host name for each host, in the same order.",
        "host_organisations_zh",
    )
    assert count_rows(Subforum) == 0


def test_create_subforum_accepts_any_capacity_in_a_room_of_unknown_size(app):
    conference = make_conference()
    plaza = make_venue(hall="Lotus Pond Plaza", capacity=None)

    subforum = make_subforum(conference, venue=plaza, capacity=5000)

    assert reload(subforum).capacity == 5000


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        ({"capacity": 301}, "Capacity 301 exceeds the 300 seats of Longxing Hall.", "capacity"),
        ({"capacity": -1}, "A subforum's capacity cannot be negative.", "capacity"),
        ({"title": ""}, "The title cannot be empty.", "title"),
        ({"title": "T" * 301}, "The title is longer than 300 characters.", "title"),
        (
            {"slug": "s" * 121},
            "A slug is 1 to 120 lower-case letters, digits and single hyphens.",
            "slug",
        ),
    ],
    ids=["above-venue-capacity", "negative-capacity", "empty-title", "long-title", "long-slug"],
)
def test_create_subforum_refuses_bad_input(app, overrides, message, field):
    conference = make_conference()
    venue = make_venue(hall="Longxing Hall", capacity=300)

    with pytest.raises(ProgramError) as refused:
        make_subforum(conference, venue=venue, **overrides)

    assert (refused.value.message, refused.value.field) == (message, field)
    assert count_rows(Subforum) == 0


def test_create_subforum_refuses_a_slug_in_use(app):
    conference = make_conference()
    make_subforum(conference, slug="5g-era")

    with pytest.raises(ProgramError) as refused:
        make_subforum(conference, slug="5g-era")

    assert refused.value.message == "The slug '5g-era' is already in use."
    assert count_rows(Subforum) == 1


# --- speakers -------------------------------------------------------------------------------


def test_create_speaker_stores_profile(app):
    speaker = make_speaker(
        slug="qiu-xueqiang",
        name="Qiu Xueqiang",
        name_zh="邱学强",
        title="Deputy Procurator-General",
        country="cn",
        source_note="S14",
    )

    stored = reload(speaker)
    assert (stored.slug, stored.name, stored.name_zh, stored.title, stored.country) == (
        "qiu-xueqiang",
        "Qiu Xueqiang",
        "邱学强",
        "Deputy Procurator-General",
        "CN",
    )
    assert (stored.provenance, stored.source_note) == (Provenance.SOURCED, "S14")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "The name cannot be empty."),
        ({"name": "N" * 201}, "The name is longer than 200 characters."),
        ({"country": "USA"}, "The country must be a two-letter ISO code."),
        ({"country": "U1"}, "The country must be a two-letter ISO code."),
        ({"country": "中国"}, "The country must be a two-letter ISO code."),
    ],
    ids=["empty-name", "long-name", "three-letters", "digit", "not-ascii"],
)
def test_create_speaker_refuses_bad_input(app, overrides, message):
    with pytest.raises(ProgramError) as refused:
        make_speaker(**overrides)

    assert refused.value.message == message
    assert count_rows(Speaker) == 0


def test_create_speaker_refuses_a_slug_in_use(app):
    make_speaker(slug="yang-rui")

    with pytest.raises(ProgramError) as refused:
        make_speaker(slug="yang-rui")

    assert refused.value.message == "The slug 'yang-rui' is already in use."
    assert count_rows(Speaker) == 1


# --- scheduling -----------------------------------------------------------------------------


def test_schedule_session_stores_times_in_utc_with_speakers_in_order(app):
    conference = make_conference()
    hall = make_venue(hall="Wuzhen Hall", capacity=3000)
    moderator, panellist = make_speaker(name="Yang Rui"), make_speaker(name="Neil Shen")
    governance = make_topic(name="Cyberspace governance")

    session = services.schedule_session(
        conference,
        kind=SessionKind.PANEL,
        title=" Wuzhen Talks ",
        starts_at=datetime(2018, 11, 7, 15, 0, tzinfo=WUZHEN),
        ends_at=datetime(2018, 11, 7, 16, 0, tzinfo=WUZHEN),
        venue=hall,
        topics=[governance],
        speakers=[(moderator, SpeakerRole.MODERATOR), (panellist, SpeakerRole.SPEAKER)],
        provenance=Provenance.INFERRED,
        actor=OPERATOR,
    )

    stored = reload(session)
    assert (stored.title, stored.kind, stored.status, stored.sequence) == (
        "Wuzhen Talks",
        SessionKind.PANEL,
        SessionStatus.SCHEDULED,
        0,
    )
    assert (stored.starts_at, stored.ends_at) == (
        datetime(2018, 11, 7, 7, 0, tzinfo=UTC),
        datetime(2018, 11, 7, 8, 0, tzinfo=UTC),
    )
    assert [(role.speaker.name, role.role, role.position) for role in stored.speaker_roles] == [
        ("Yang Rui", SpeakerRole.MODERATOR, 0),
        ("Neil Shen", SpeakerRole.SPEAKER, 1),
    ]
    assert [topic.name for topic in stored.topics] == ["Cyberspace governance"]
    assert (stored.venue_id, stored.provenance) == (hall.id, Provenance.INFERRED)


NAIVE = datetime(2018, 11, 7, 10, 30)


@pytest.mark.parametrize(
    ("times", "message", "field"),
    [
        (
            (NAIVE, OPENING + timedelta(hours=1)),
            "Session times must carry a timezone.",
            "starts_at",
        ),
        (
            (OPENING, NAIVE + timedelta(hours=1)),
            "Session times must carry a timezone.",
            "starts_at",
        ),
        ((OPENING, OPENING), "A session must end after it starts.", "ends_at"),
        (
            (OPENING, OPENING - timedelta(minutes=1)),
            "A session must end after it starts.",
            "ends_at",
        ),
    ],
    ids=["naive-start", "naive-end", "zero-length", "ends-before-start"],
)
def test_schedule_session_refuses_bad_times(app, times, message, field):
    conference = make_conference()
    starts_at, ends_at = times

    with pytest.raises(ProgramError) as refused:
        make_session(conference, starts_at=starts_at, ends_at=ends_at)

    assert (refused.value.message, refused.value.field) == (message, field)
    assert count_rows(ProgramSession) == 0


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "The title cannot be empty."),
        ("  ", "The title cannot be empty."),
        ("T" * 301, "The title is longer than 300 characters."),
    ],
    ids=["empty", "blank", "too-long"],
)
def test_schedule_session_refuses_bad_titles(app, title, message):
    conference = make_conference()
    speaker = make_speaker()

    with pytest.raises(ProgramError) as refused:
        make_session(conference, title=title, speakers=[(speaker, SpeakerRole.SPEAKER)])

    assert refused.value.message == message
    assert (count_rows(ProgramSession), count_rows(SessionSpeaker)) == (0, 0)


# --- rescheduling and cancelling ------------------------------------------------------------


def test_reschedule_session_moves_it_and_bumps_the_sequence(app):
    conference = make_conference()
    session = make_session(conference)
    later = OPENING + timedelta(hours=2)

    services.reschedule_session(
        session, starts_at=later, ends_at=later + timedelta(minutes=90), actor=OPERATOR
    )

    stored = reload(session)
    assert (stored.starts_at, stored.ends_at, stored.sequence) == (
        later,
        later + timedelta(minutes=90),
        1,
    )


def test_reschedule_session_to_another_room_bumps_the_sequence(app):
    conference = make_conference()
    first, second = make_venue(), make_venue()
    session = make_session(conference, venue=first)

    services.reschedule_session(session, venue=second, actor=OPERATOR)

    stored = reload(session)
    assert (stored.venue_id, stored.starts_at, stored.sequence) == (second.id, OPENING, 1)


def test_reschedule_session_keeps_the_sequence_when_nothing_moves(app):
    conference = make_conference()
    venue = make_venue()
    session = make_session(conference, venue=venue)
    stamped = reload(session).updated_at
    same_instant_in_wuzhen = OPENING.astimezone(WUZHEN)

    services.reschedule_session(
        session, starts_at=same_instant_in_wuzhen, venue=venue, actor=OPERATOR
    )
    services.reschedule_session(session, actor=OPERATOR)

    stored = reload(session)
    assert (stored.starts_at, stored.venue_id, stored.sequence, stored.updated_at) == (
        OPENING,
        venue.id,
        0,
        stamped,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_at": OPENING - timedelta(minutes=5)}, "A session must end after it starts."),
        ({"starts_at": OPENING + timedelta(hours=2)}, "A session must end after it starts."),
        ({"starts_at": NAIVE}, "Session times must carry a timezone."),
    ],
    ids=["end-before-start", "start-after-end", "naive-start"],
)
def test_reschedule_session_refuses_bad_times_and_changes_nothing(app, change, message):
    conference = make_conference()
    session = make_session(conference)

    with pytest.raises(ProgramError) as refused:
        services.reschedule_session(session, **change, actor=OPERATOR)

    assert refused.value.message == message
    stored = reload(session)
    assert (stored.starts_at, stored.ends_at, stored.sequence) == (
        OPENING,
        OPENING + timedelta(hours=1),
        0,
    )


def test_cancel_session_keeps_it_listed_and_bumps_the_sequence(app):
    conference = make_conference()
    session = make_session(conference)

    services.cancel_session(session, actor=OPERATOR)

    stored = reload(session)
    assert (stored.status, stored.sequence, stored.is_cancelled) == (
        SessionStatus.CANCELLED,
        1,
        True,
    )
    assert count_rows(ProgramSession) == 1


def test_cancel_session_refuses_a_second_cancellation(app):
    conference = make_conference()
    session = make_session(conference)
    services.cancel_session(session, actor=OPERATOR)

    with pytest.raises(ProgramError) as refused:
        services.cancel_session(reload(session), actor=OPERATOR)

    assert refused.value.message == "This session is already cancelled."
    assert (reload(session).status, reload(session).sequence) == (SessionStatus.CANCELLED, 1)


# --- organizers' edits: update, delete, conflicts (the dashboard's program area) -------------


@pytest.fixture
def organizer(app):
    from tests.helpers.accounts import make_account
    from wuzhen_events.accounts.enums import Role
    from wuzhen_events.audit.actors import Actor

    return Actor.account(make_account(Role.ORGANIZER, email="editor@organizers.example"))


def trail(table: str, row_id: int) -> list[tuple]:
    from wuzhen_events.audit.services import entries_for

    return [
        (
            entry.actor_kind.value,
            entry.actor_id,
            entry.action,
            entry.fields,
            entry.before,
            entry.after,
        )
        for entry in entries_for(table, row_id)
    ]


def seat(conference, subforum, email="seated@example.com"):
    from types import SimpleNamespace

    from tests.helpers.registration import register

    return register(SimpleNamespace(conference=conference), email, subforum)


def test_update_venue_stores_the_change_and_records_it_by_the_organizer(app, organizer):
    venue = make_venue(slug="hall-a", building="WIICEC", hall="Hall A", capacity=300)

    services.update_venue(
        reload(venue), actor=organizer, hall="Hall B", hall_zh="B厅", capacity=250
    )

    venue = reload(venue)
    assert (venue.slug, venue.hall, venue.hall_zh, venue.capacity) == (
        "hall-a",
        "Hall B",
        "B厅",
        250,
    )
    assert trail("venues", venue.id)[1:] == [
        (
            "organizer",
            organizer.ident,
            "update_venue",
            ["capacity", "hall", "hall_zh"],
            {"capacity": 300, "hall": "Hall A", "hall_zh": ""},
            {"capacity": 250, "hall": "Hall B", "hall_zh": "B厅"},
        )
    ]


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({"building": "  "}, "The building cannot be empty.", "building"),
        ({"capacity": 0}, "A venue's capacity must be positive.", "capacity"),
        ({"hall": "x" * 201}, "The hall is longer than 200 characters.", "hall"),
    ],
    ids=["blank-building", "zero-capacity", "long-hall"],
)
def test_update_venue_refuses_bad_values_and_changes_nothing(
    app, organizer, fields, message, field
):
    venue = make_venue(hall="Hall A")

    with pytest.raises(ProgramError) as refused:
        services.update_venue(reload(venue), actor=organizer, **fields)

    assert (refused.value.message, refused.value.field) == (message, field)
    assert (reload(venue).hall, len(trail("venues", venue.id))) == ("Hall A", 1)


def test_delete_venue_removes_an_unused_venue_and_records_what_it_was(app, organizer):
    venue = make_venue(slug="annex", building="Annex", hall="", room_number="", capacity=None)
    venue_id = venue.id

    services.delete_venue(reload(venue), actor=organizer)

    assert count_rows(Venue) == 0
    (entry,) = trail("venues", venue_id)[1:]
    assert entry[:3] == ("organizer", organizer.ident, "delete_venue")
    assert (entry[4]["slug"], entry[4]["building"], entry[5]) == ("annex", "Annex", None)


def test_delete_venue_refuses_a_venue_sessions_take_place_in(app, organizer):
    conference = make_conference()
    venue = make_venue(hall="Hall 3", hall_zh="3号厅")
    make_session(conference, venue=venue)

    with pytest.raises(ProgramError) as refused:
        services.delete_venue(reload(venue), actor=organizer)

    assert refused.value.message == (
        "Hall 3 is still used by sessions or subforums (1): move them elsewhere first."
    )
    assert count_rows(Venue) == 1


def test_update_subforum_changes_capacity_hosts_and_titles(app, organizer):
    conference = make_conference()
    subforum = make_subforum(conference, title="Fintech", capacity=100)

    services.update_subforum(
        reload(subforum),
        actor=organizer,
        title="Fintech and Security",
        title_zh="金融科技与安全",
        capacity=120,
        host_organisations=["CAC", "Zhejiang"],
        host_organisations_zh=["网信办", "浙江"],
    )

    subforum = reload(subforum)
    assert (subforum.title, subforum.title_zh, subforum.capacity) == (
        "Fintech and Security",
        "金融科技与安全",
        120,
    )
    assert (subforum.host_organisations, subforum.host_organisations_zh) == (
        ["CAC", "Zhejiang"],
        ["网信办", "浙江"],
    )
    (entry,) = trail("subforums", subforum.id)[1:]
    assert entry[:4] == (
        "organizer",
        organizer.ident,
        "update_subforum",
        ["capacity", "host_organisations", "host_organisations_zh", "title", "title_zh"],
    )


def test_update_subforum_refuses_a_capacity_below_the_seats_taken(app, organizer):
    conference = make_conference()
    subforum = make_subforum(conference, capacity=5)
    seat(conference, subforum, "one@example.com")
    seat(conference, subforum, "two@example.com")

    with pytest.raises(ProgramError) as refused:
        services.update_subforum(reload(subforum), actor=organizer, capacity=1)

    assert (refused.value.message, refused.value.field) == (
        "Seats already taken: 2; the capacity cannot be lower.",
        "capacity",
    )
    assert (reload(subforum).capacity, len(trail("subforums", subforum.id))) == (5, 1)
    services.update_subforum(reload(subforum), actor=organizer, capacity=2)  # exactly the seats
    assert reload(subforum).capacity == 2


def test_update_subforum_refuses_unpaired_chinese_hosts(app, organizer):
    subforum = make_subforum(make_conference())

    with pytest.raises(ProgramError) as refused:
        services.update_subforum(
            reload(subforum),
            actor=organizer,
            host_organisations=["A", "B"],
            host_organisations_zh=["甲"],
        )

    assert refused.value.field == "host_organisations_zh"


def test_delete_subforum_refuses_one_with_seat_bookings_then_one_with_sessions(app, organizer):
    conference = make_conference()
    booked = make_subforum(conference)
    seat(conference, booked)
    scheduled = make_subforum(conference)
    make_session(conference, subforum=scheduled)

    with pytest.raises(ProgramError) as refused_booked:
        services.delete_subforum(reload(booked), actor=organizer)
    with pytest.raises(ProgramError) as refused_scheduled:
        services.delete_subforum(reload(scheduled), actor=organizer)

    assert refused_booked.value.message == (
        "Delegates hold seats or places in this subforum (1): it cannot be deleted. Cancel its "
        "sessions instead."
    )
    assert refused_scheduled.value.message == (
        "This subforum still has sessions (1): delete or move them first."
    )
    assert count_rows(Subforum) == 2


def test_delete_subforum_removes_an_empty_one(app, organizer):
    subforum = make_subforum(make_conference(), slug="spare")
    subforum_id = subforum.id

    services.delete_subforum(reload(subforum), actor=organizer)

    assert count_rows(Subforum) == 0
    assert [entry[2] for entry in trail("subforums", subforum_id)] == [
        "create_subforum",
        "delete_subforum",
    ]


def test_update_and_delete_speaker(app, organizer):
    conference = make_conference()
    speaker = make_speaker(name="Pony Ma")
    free = make_speaker(name="Spare")
    free_id = free.id
    make_session(conference, speakers=[(speaker, SpeakerRole.SPEAKER)])

    services.update_speaker(reload(speaker), actor=organizer, name_zh="马化腾", country="cn")
    with pytest.raises(ProgramError) as refused:
        services.delete_speaker(reload(speaker), actor=organizer)
    services.delete_speaker(reload(free), actor=organizer)

    assert (reload(speaker).name_zh, reload(speaker).country) == ("马化腾", "CN")
    assert refused.value.message == (
        "Pony Ma still speaks in sessions (1): take them off those sessions first."
    )
    assert count_rows(Speaker) == 1
    assert trail("speakers", free_id)[-1][2] == "delete_speaker"


def test_update_session_moving_it_raises_the_sequence_once_and_records_the_move(app, organizer):
    conference = make_conference()
    session = make_session(conference, starts_at=OPENING)

    services.update_session(
        reload(session),
        actor=organizer,
        starts_at=OPENING + timedelta(hours=2),
        ends_at=OPENING + timedelta(hours=3),
    )
    services.update_session(reload(session), actor=organizer, title_zh="开幕式")

    session = reload(session)
    assert (session.sequence, session.starts_at, session.title_zh) == (
        1,
        OPENING + timedelta(hours=2),
        "开幕式",
    )
    assert [entry[2:4] for entry in trail("program_sessions", session.id)[1:]] == [
        ("update_session", ["ends_at", "sequence", "starts_at"]),
        ("update_session", ["title_zh"]),
    ]


def test_update_session_records_a_change_of_speakers(app, organizer):
    conference = make_conference()
    first, second = make_speaker(), make_speaker()
    session = make_session(conference, speakers=[(first, SpeakerRole.MODERATOR)])

    services.update_session(reload(session), actor=organizer, speakers=[second, first])

    roles = [(role.speaker_id, role.role, role.position) for role in reload(session).speaker_roles]
    assert roles == [(second.id, SpeakerRole.SPEAKER, 0), (first.id, SpeakerRole.MODERATOR, 1)]
    assert trail("program_sessions", session.id)[-1][2:] == (
        "update_session_speakers",
        ["speaker_ids"],
        {"speaker_ids": [first.id]},
        {"speaker_ids": [second.id, first.id]},
    )


def test_two_sessions_in_one_hall_at_once_are_refused_naming_the_other(app, organizer):
    conference = make_conference()
    hall = make_venue(hall="Hall 1", hall_zh="1号厅")
    make_session(conference, venue=hall, title="Opening", starts_at=OPENING)
    moved = make_session(conference, starts_at=OPENING + timedelta(hours=3))

    with pytest.raises(ProgramError) as refused:
        services.update_session(
            reload(moved),
            actor=organizer,
            venue=hall,
            starts_at=OPENING + timedelta(minutes=30),
            ends_at=OPENING + timedelta(minutes=90),
            confirmed=True,
        )

    assert (refused.value.message, refused.value.field) == (
        "Hall 1 is taken at that time by “Opening”.",
        "venue",
    )
    assert reload(moved).venue_id is None


def test_a_cancelled_session_leaves_its_hall_free(app, organizer):
    conference = make_conference()
    hall = make_venue()
    services.cancel_session(make_session(conference, venue=hall), actor=OPERATOR)
    other = make_session(conference)

    services.update_session(reload(other), actor=organizer, venue=hall)

    assert reload(other).venue_id == hall.id


def test_a_speaker_in_two_places_at_once_is_a_warning_the_organizer_may_confirm(app, organizer):
    conference = make_conference()
    pony = make_speaker(name="Pony Ma", name_zh="马化腾")
    make_session(conference, title="Opening ceremony", speakers=[(pony, SpeakerRole.SPEAKER)])
    panel = make_session(conference, title="Panel")

    with pytest.raises(ProgramError) as warned:
        services.update_session(reload(panel), actor=organizer, speakers=[pony])
    assert (warned.value.message, warned.value.field) == (
        "Pony Ma is also in “Opening ceremony” at that time. Confirm to keep both.",
        "speakers",
    )
    assert reload(panel).speaker_roles == []

    services.update_session(reload(panel), actor=organizer, speakers=[pony], confirmed=True)
    assert [role.speaker_id for role in reload(panel).speaker_roles] == [pony.id]


def test_a_session_outside_its_subforums_day_is_a_warning_the_organizer_may_confirm(app, organizer):
    conference = make_conference()
    fintech = make_subforum(conference, title="Fintech")
    make_session(conference, subforum=fintech, starts_at=datetime(2018, 11, 8, 1, 0, tzinfo=UTC))
    second = make_session(
        conference, subforum=fintech, starts_at=datetime(2018, 11, 8, 3, 0, tzinfo=UTC)
    )
    next_day = {
        "starts_at": datetime(2018, 11, 9, 1, 0, tzinfo=UTC),
        "ends_at": datetime(2018, 11, 9, 2, 0, tzinfo=UTC),
    }

    with pytest.raises(ProgramError) as warned:
        services.update_session(reload(second), actor=organizer, **next_day)
    assert (warned.value.message, warned.value.field) == (
        "“Fintech” takes place on 2018-11-08; this session is on another day. Confirm to "
        "schedule it anyway.",
        "starts_at",
    )
    assert reload(second).sequence == 0

    services.update_session(reload(second), actor=organizer, confirmed=True, **next_day)
    assert (reload(second).starts_at, reload(second).sequence) == (next_day["starts_at"], 1)


def test_schedule_session_checked_applies_the_same_checks_as_an_edit(app, organizer):
    conference = make_conference()
    hall = make_venue(hall="Hall 2")
    make_session(conference, venue=hall, title="Keynote")

    with pytest.raises(ProgramError) as refused:
        services.schedule_session(
            conference,
            actor=organizer,
            check_conflicts=True,
            kind=SessionKind.PANEL,
            title="Clash",
            starts_at=OPENING,
            ends_at=OPENING + timedelta(hours=1),
            venue=hall,
        )

    assert refused.value.message == "Hall 2 is taken at that time by “Keynote”."
    assert count_rows(ProgramSession) == 1


def test_delete_session_refuses_one_with_seats_or_stars_and_deletes_a_free_one(app, organizer):
    conference = make_conference()
    booked = make_subforum(conference)
    seat(conference, booked)
    held = make_session(conference, subforum=booked)
    free = make_session(conference, title="Spare")
    free_id = free.id

    with pytest.raises(ProgramError) as refused:
        services.delete_session(reload(held), actor=organizer)
    services.delete_session(reload(free), actor=organizer)

    assert refused.value.message == (
        "Delegates hold places in its subforum (1) or starred it (0): cancel the session "
        "instead, so their calendars show the cancellation."
    )
    assert count_rows(ProgramSession) == 1
    (_kind, _ident, action, _fields, before, after) = trail("program_sessions", free_id)[-1]
    assert (action, before["title"], after) == ("delete_session", "Spare", None)
