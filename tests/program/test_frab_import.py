"""Reading frab schedule files and planning their import: exact values, and every malformed
file refused with its message before anything is planned."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tests.helpers import frab
from tests.helpers.frab import TWO_TALKS, File, Talk
from wuzhen_events.api import schedule as api_schedule
from wuzhen_events.program.enums import SessionKind, SessionStatus
from wuzhen_events.program.frab_import import (
    Action,
    Existing,
    ExistingRow,
    ExistingSession,
    FrabEvent,
    FrabPerson,
    FrabRoom,
    Kind,
    parse_schedule,
    plan_import,
    preview_lines,
)
from wuzhen_events.program.services import ProgramError

SHANGHAI = ZoneInfo("Asia/Shanghai")
PLUS_8 = timezone(timedelta(hours=8))
WIC_DAYS = tuple(date(2018, 11, day) for day in range(6, 11))


def empty(**fields) -> Existing:
    return Existing(conference_id=1, timezone=SHANGHAI, days=WIC_DAYS, **fields)


def test_the_pretalx_sample_reads_as_190_events_in_10_rooms():
    schedule = parse_schedule(frab.wic_sample())

    assert (schedule.format, schedule.generator, schedule.title) == (
        "xml",
        "pretalx",
        "World Internet Conference 2018",
    )
    assert [room.name for room in schedule.rooms] == [f"Hall {c}" for c in "ABCDEFGHIJ"]
    assert len(schedule.events) == 190
    first = schedule.events[0]
    assert first.guid == "4d727e4a-fdb9-54ba-9fd5-91ff4e1fc918"
    assert (first.title, first.type, first.track, first.room) == (
        "Securing Human-centred Governance for Digital Economy",
        "Talk",
        "Digital Economy",
        "Hall A",
    )
    assert (first.starts_at, first.ends_at) == (
        datetime(2018, 11, 7, 9, 0, tzinfo=PLUS_8),
        datetime(2018, 11, 7, 9, 30, tzinfo=PLUS_8),
    )
    assert first.persons == (FrabPerson("Wei Sato"),)
    assert first.abstract.startswith("Research open community economy model growth")
    assert len(schedule.sha256) == 64


def test_the_pretalx_democon_json_reads_with_its_rooms_and_biographies():
    schedule = parse_schedule(frab.democon())

    assert (schedule.format, schedule.title) == ("json", "DemoCon")
    assert schedule.rooms == (FrabRoom("Gray Room"), FrabRoom("Tan Room"))
    assert len(schedule.events) == 36
    first = schedule.events[0]
    assert (first.guid, first.title, first.track) == (
        "8079583e-8321-506c-95af-fd2903a5f075",
        "Focused 5thgeneration hardware",
        "Phased",
    )
    assert first.starts_at == datetime(2020, 12, 14, 8, 0, tzinfo=UTC)
    assert first.minutes == 30
    assert first.persons[0].name == "Brian Robinson"
    assert first.persons[0].biography.startswith("Break through direction.")


def test_xml_and_json_of_one_schedule_read_alike():
    from_xml = parse_schedule(frab.xml(TWO_TALKS))
    from_json = parse_schedule(frab.to_json(TWO_TALKS))

    assert from_xml.events == from_json.events
    assert from_xml.events[1] == FrabEvent(
        guid=frab.guid(2),
        title="Open Data for Cities",
        subtitle="",
        abstract="An abstract.",
        description="",
        type="Talk",
        track="Smart Cities",
        room="Hall B",
        starts_at=datetime(2018, 11, 8, 14, 0, tzinfo=PLUS_8),
        minutes=60,
        persons=(FrabPerson("Lei Kumar", frab.guid(901)), FrabPerson("Wei Sato")),
    )


def test_a_plan_into_an_empty_program_creates_every_kind():
    plan = plan_import(parse_schedule(frab.wic_sample()), empty(subforum_capacity=250))

    assert {kind: plan.counts(kind)[Action.CREATE] for kind in Kind} == {
        Kind.SUBFORUM: 19,
        Kind.VENUE: 10,
        Kind.SPEAKER: 171,
        Kind.SESSION: 190,
    }
    assert plan.subforums[0].values == {
        "slug": "digital-economy",
        "title": "Digital Economy",
        "capacity": 250,
    }
    assert plan.venues[0].values == {"slug": "hall-a", "building": "Hall A", "capacity": None}
    assert plan.speakers[0].values == {
        "slug": "wei-sato",
        "name": "Wei Sato",
        "guid": None,
        "bio": "",
    }
    session = plan.sessions[0].values
    assert (session["kind"], session["starts_at"], session["ends_at"]) == (
        SessionKind.SUBFORUM_SESSION,
        datetime(2018, 11, 7, 1, 0, tzinfo=UTC),
        datetime(2018, 11, 7, 1, 30, tzinfo=UTC),
    )
    assert (session["venue"], session["subforum"], session["speakers"]) == (
        "Hall A",
        "Digital Economy",
        ("name:Wei Sato",),
    )


def test_new_slugs_skip_the_ones_taken_and_names_without_latin_letters():
    schedule = parse_schedule(
        frab.xml(File((Talk(1, "A", persons=(("Wei Sato", None), ("王小明", None))),)))
    )
    existing = empty(
        slugs={
            Kind.SUBFORUM: frozenset({"digital-economy"}),
            Kind.VENUE: frozenset({"hall-a", "hall-a-2"}),
            Kind.SPEAKER: frozenset({"speaker"}),
        }
    )

    plan = plan_import(schedule, existing)

    assert [row.values["slug"] for row in plan.subforums] == ["digital-economy-2"]
    assert [row.values["slug"] for row in plan.venues] == ["hall-a-3"]
    assert [row.values["slug"] for row in plan.speakers] == ["wei-sato", "speaker-2"]


def stored(**fields) -> ExistingSession:
    values = {
        "id": 7,
        "guid": frab.guid(1),
        "title": "Securing Digital Economy",
        "title_zh": "",
        "abstract": "An abstract.",
        "kind": SessionKind.SUBFORUM_SESSION,
        "starts_at": datetime(2018, 11, 7, 1, 0, tzinfo=UTC),
        "ends_at": datetime(2018, 11, 7, 1, 30, tzinfo=UTC),
        "venue_id": 3,
        "subforum_id": 4,
        "status": SessionStatus.SCHEDULED,
        "speaker_ids": (5,),
    }
    return ExistingSession(**{**values, **fields})


def program(*sessions: ExistingSession) -> Existing:
    return empty(
        subforums=(ExistingRow(4, "Digital Economy", "digital-economy"),),
        venues=(ExistingRow(3, "Hall A", "hall-a"), ExistingRow(9, "Hall C", "hall-c")),
        speakers=(ExistingRow(5, "Wei Sato", "wei-sato"),),
        sessions=sessions,
    )


def test_an_unchanged_event_plans_nothing():
    plan = plan_import(parse_schedule(frab.xml(File(TWO_TALKS.talks[:1]))), program(stored()))

    assert plan.changes_anything is False
    assert [(row.kind, row.action, row.id) for kind in Kind for row in plan.rows(kind)] == [
        (Kind.SUBFORUM, Action.UNCHANGED, 4),
        (Kind.VENUE, Action.UNCHANGED, 3),
        (Kind.SPEAKER, Action.UNCHANGED, 5),
        (Kind.SESSION, Action.UNCHANGED, 7),
    ]


def test_a_moved_event_plans_only_its_new_time_and_room():
    talk = TWO_TALKS.talks[0].but(date="2018-11-07T10:00:00+08:00", room="Hall C")

    plan = plan_import(parse_schedule(frab.xml(File((talk,)))), program(stored()))

    (session,) = plan.sessions
    assert (session.action, session.changes, dict(session.values)) == (
        Action.CHANGE,
        ("starts_at", "ends_at", "venue"),
        {
            "starts_at": datetime(2018, 11, 7, 2, 0, tzinfo=UTC),
            "ends_at": datetime(2018, 11, 7, 2, 30, tzinfo=UTC),
            "venue": 9,
        },
    )


def test_an_event_missing_from_the_file_is_cancelled_and_one_back_is_scheduled():
    gone = stored(id=8, guid=frab.guid(99), title="Gone")
    back = stored(status=SessionStatus.CANCELLED)

    plan = plan_import(parse_schedule(frab.xml(File(TWO_TALKS.talks[:1]))), program(back, gone))

    assert [(row.action, row.name, row.changes) for row in plan.sessions] == [
        (Action.CHANGE, "Securing Digital Economy", ("status",)),
        (Action.CANCEL, "Gone", ("status",)),
    ]


def test_a_person_matched_by_name_takes_the_guid_the_file_gives():
    talk = TWO_TALKS.talks[0].but(persons=(("Wei Sato", frab.guid(5)),))

    plan = plan_import(parse_schedule(frab.xml(File((talk,)))), program(stored()))

    assert [(row.action, row.changes, dict(row.values)) for row in plan.speakers] == [
        (Action.CHANGE, ("guid",), {"name": "Wei Sato", "guid": frab.guid(5)})
    ]


def test_a_person_found_by_guid_is_renamed():
    existing = empty(speakers=(ExistingRow(5, "Wei Sato", "wei-sato", frab.guid(5)),))
    talk = TWO_TALKS.talks[0].but(persons=(("Sato Wei", frab.guid(5)),))

    plan = plan_import(parse_schedule(frab.xml(File((talk,)))), existing)

    assert [(row.action, row.id, row.changes) for row in plan.speakers] == [
        (Action.CHANGE, 5, ("name",))
    ]


@pytest.mark.parametrize(
    ("talk", "reason"),
    [
        (Talk(1, "Zero", duration="00:00"), "Its duration is not positive."),
        (Talk(1, "Negative", duration="-00:30"), "Its duration is not positive."),
        (
            Talk(1, "Too early", date="2018-11-05T23:00:00+08:00"),
            "It starts outside the conference days.",
        ),
        # 16:30 UTC on 10 November is half past midnight on the 11th in Wuzhen.
        (
            Talk(1, "Too late", date="2018-11-10T16:30:00+00:00"),
            "It starts outside the conference days.",
        ),
        (
            Talk(1, "Year 9999", date="9999-12-31T23:30:00-12:00"),
            "It starts outside the conference days.",
        ),
        (Talk(1, "T" * 301), "Its title is longer than 300 characters."),
        (Talk(1, "Long track", track="x" * 301), "Its track is longer than 300 characters."),
        (Talk(1, "Long room", room="R" * 201), "Its room name is longer than 200 characters."),
        (
            Talk(1, "Long name", persons=(("N" * 201, None),)),
            "A speaker's name is longer than 200 characters.",
        ),
    ],
    ids=["zero", "negative", "before", "after", "year-9999", "title", "track", "room", "speaker"],
)
def test_an_event_that_cannot_be_a_session_is_refused_in_the_plan(app, talk, reason):
    plan = plan_import(parse_schedule(frab.xml(File((talk,)))), empty())

    assert [(row.action, row.name[:10], str(row.reason)) for row in plan.sessions] == [
        (Action.REFUSE, talk.title[:10], reason)
    ]
    assert (plan.subforums, plan.venues, plan.speakers) == ((), (), ())


def test_our_own_export_reads_back_its_chinese_titles_kinds_and_leaves_launches():
    file = File(
        (
            Talk(1, "Opening Ceremony", type="ceremony", track="Ceremony", subtitle="开幕式"),
            Talk(2, "Sogou AI anchor", type="launch", track="Expo launches"),
        ),
        generator="Wuzhen Events",
    )

    plan = plan_import(parse_schedule(frab.xml(file)), empty())

    (session,) = plan.sessions
    assert (session.values["kind"], session.values["title_zh"], session.values["subforum"]) == (
        SessionKind.CEREMONY,
        "开幕式",
        None,
    )
    assert (plan.subforums, plan.skipped) == ((), 1)


def test_the_export_constants_the_import_reads_are_the_exports_own():
    from wuzhen_events.program import frab_import

    assert (frab_import.OWN_GENERATOR, frab_import.OWN_LAUNCH_TRACK) == (
        api_schedule.GENERATOR_NAME,
        api_schedule.LAUNCH_TRACK,
    )


def test_the_preview_lines_count_and_name_what_changes(app):
    plan = plan_import(parse_schedule(frab.xml(TWO_TALKS)), empty())

    assert preview_lines(plan, limit=1) == [
        "Schedule (xml, pretalx):",
        "  Subforums: 2 to create",
        "    to create: Digital Economy",
        "  Venues: 2 to create",
        "    to create: Hall A",
        "  Speakers: 2 to create",
        "    to create: Wei Sato",
        "  Sessions: 2 to create",
        "    to create: Securing Digital Economy",
    ]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<schedule><conference><title>&lol2;</title></conference></schedule>"""
NO_TITLE = frab.xml(TWO_TALKS).replace(b"<title>Open Data for Cities</title>", b"")
TWICE = frab.xml(File((Talk(1, "One"), Talk(1, "Again", room="Hall B"))))
WRONG_ROOM = frab.xml(TWO_TALKS).replace(b"<room>Hall B</room>", b"<room>Hall Z</room>")
JSON_UNDECLARED = json.loads(frab.to_json(TWO_TALKS))
JSON_UNDECLARED["schedule"]["conference"]["rooms"].pop()
MALFORMED = [
    ("empty", b"", "The file is neither a frab schedule.xml nor a schedule.json."),
    ("text", b"Hello", "The file is neither a frab schedule.xml nor a schedule.json."),
    (
        "latin-1",
        "<schedule>Café</schedule>".encode("latin-1"),
        "The file is not UTF-8 text; export the schedule again as UTF-8.",
    ),
    (
        "utf-16",
        frab.xml(TWO_TALKS).decode().encode("utf-16"),
        "The file is not UTF-8 text; export the schedule again as UTF-8.",
    ),
    ("broken xml", b"<schedule><conference>", "The file is not well-formed XML (line 1)."),
    ("broken json", b'{"schedule":\n {', "The file is not valid JSON (line 2)."),
    ("deep json", b"[" * 100_000, "The file is not valid JSON (line 1)."),
    (
        "billion laughs",
        BILLION_LAUGHS,
        "The XML file declares a DOCTYPE or entities, which are not accepted.",
    ),
    (
        "other xml",
        b"<html><body/></html>",
        "The XML file is not a frab schedule: it has no schedule conference.",
    ),
    (
        "other json",
        b'{"a": 1}',
        "The JSON file is not a frab schedule: it has no schedule conference.",
    ),
    ("no title", NO_TITLE, f"Event {frab.guid(2)} has no title."),
    (
        "no guid",
        frab.xml(TWO_TALKS).replace(f"guid='{frab.guid(1)}' ".encode(), b""),
        "Event 1 has no guid.",
    ),
    (
        "bad guid",
        frab.xml(TWO_TALKS).replace(frab.guid(1).encode(), b"not-a-uuid"),
        "Event 1 has a guid that is not a UUID.",
    ),
    ("duplicate guid", TWICE, f"The guid {frab.guid(1)} is used by more than one event."),
    (
        "room not the one it is in",
        WRONG_ROOM,
        f"Event {frab.guid(2)} names the room 'Hall Z', which is not the room it is listed in.",
    ),
    (
        "undeclared room",
        json.dumps(JSON_UNDECLARED).encode(),
        "The room 'Hall B' holds events but is not declared.",
    ),
    (
        "bad duration",
        frab.xml(File((Talk(1, "A", duration="half an hour"),))),
        f"Event {frab.guid(1)} has a duration that is not HH:MM.",
    ),
    (
        "no offset",
        frab.xml(File((Talk(1, "A", date="2018-11-07T09:00:00"),))),
        f"Event {frab.guid(1)} has no start date and time with a UTC offset.",
    ),
]


@pytest.mark.parametrize(
    ("data", "message"), [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED]
)
def test_a_malformed_file_is_refused_with_what_is_wrong(app, data, message):
    with pytest.raises(ProgramError) as refused:
        parse_schedule(data)

    assert (refused.value.message, refused.value.field) == (message, "file")


def test_a_file_over_the_limit_is_refused_before_it_is_read(app):
    with pytest.raises(ProgramError) as refused:
        parse_schedule(b" " * (50 * 1024 * 1024), max_bytes=20 * 1024 * 1024)

    assert refused.value.message == (
        "The file is larger than 20 MB; a schedule file is much smaller."
    )


def test_a_bare_date_takes_its_start_in_the_files_time_zone():
    data = frab.xml(File((Talk(1, "A", date="2018-11-07"),)))
    data = data.replace(b"<start></start>", b"<start>09:15</start>")

    (event,) = parse_schedule(data).events

    assert event.starts_at == datetime(2018, 11, 7, 9, 15, tzinfo=SHANGHAI)
