"""frab schedule.xml and schedule.json: valid against the published schemas, faithful to the
database, byte-identical while nothing changes, and cheap to poll with conditional GETs.

The schemas are vendored in tests/api/frab/ with their licence (EUPL 1.2, see ABOUT.txt there).
"""

from __future__ import annotations

import gzip
import json
import uuid
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa
from lxml import etree

from tests import factories
from tests.factories import OPERATOR, utc
from tests.worlds import LAST_CHANGE
from wuzhen_events.api import schedule as frab
from wuzhen_events.expo.models import ProductLaunch
from wuzhen_events.extensions import db
from wuzhen_events.program import services as program_services
from wuzhen_events.program.enums import (
    SessionKind,
    SessionStatus,
    SpeakerRole,
)
from wuzhen_events.program.models import ProgramSession, Subforum
from wuzhen_events.serving import export_cache

FRAB_SCHEMAS = Path(__file__).parent / "frab"
FILES = ["/schedule.xml", "/schedule.json"]
LAST_CHANGE_HTTP = "Thu, 01 Nov 2018 04:00:00 GMT"


def frab_schema_file(name: str) -> Path:
    return FRAB_SCHEMAS / name


@pytest.fixture(scope="module")
def xml_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(frab_schema_file("schedule.xml.xsd"))))


@pytest.fixture(scope="module")
def json_validator() -> jsonschema.Draft6Validator:
    schema = json.loads(frab_schema_file("schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft6Validator.check_schema(schema)
    return jsonschema.Draft6Validator(schema, format_checker=jsonschema.FormatChecker())


def assert_valid_xml(xml_schema, body: bytes) -> etree._Element:
    document = etree.fromstring(body)
    assert xml_schema.validate(document), str(xml_schema.error_log)
    return document


def assert_valid_json(json_validator, document: dict) -> None:
    problems = [
        f"{list(e.absolute_path)}: {e.message}" for e in json_validator.iter_errors(document)
    ]
    assert problems == []


def all_events(document: dict) -> list[dict]:
    return [
        event
        for day in document["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
    ]


def guid(kind: str, key) -> str:
    return str(uuid.uuid5(frab.GUID_NAMESPACE, f"wic2018/{kind}/{key}"))


# --- validity ---


def test_small_schedule_xml_is_valid_frab(client, program, xml_schema):
    response = client.get("/schedule.xml")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert_valid_xml(xml_schema, response.data)


def test_small_schedule_json_is_valid_frab(client, program, json_validator):
    response = client.get("/schedule.json")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert_valid_json(json_validator, response.json)


def test_demo_schedule_files_are_valid_frab(demo_client, xml_schema, json_validator):
    assert_valid_xml(xml_schema, demo_client.get("/schedule.xml").data)
    assert_valid_json(json_validator, demo_client.get("/schedule.json").json)


def test_the_published_example_passes_the_same_json_check(json_validator):
    """The validator itself accepts a real pretalx file, so its verdicts mean something."""
    example = json.loads(frab_schema_file("pretalx-democon.json").read_text(encoding="utf-8"))

    assert_valid_json(json_validator, example)


# --- content ---


def test_the_conference_rooms_and_days(client, program):
    conference = client.get("/schedule.json").json["schedule"]["conference"]

    assert {key: conference[key] for key in conference if key not in ("days", "rooms")} == {
        "acronym": "wic2018",
        "title": "Fifth World Internet Conference",
        "description": "Creating a Digital World for Mutual Trust and Collective Governance. "
        "Wuzhen, 7–9 November 2018.",
        "start": "2018-11-06",
        "end": "2018-11-10",
        "daysCount": 5,
        "timeslot_duration": "00:05",
        "time_zone_name": "Asia/Shanghai",
        "url": "http://localhost/",
        "tracks": [
            {"name": "AI Forum"},
            {"name": "Fintech Forum"},
            {"name": "Ceremony"},
            {"name": "Expo launches"},
        ],
        "meta": {
            "title_zh": "第五届世界互联网大会",
            "theme": "Creating a Digital World for Mutual Trust and Collective Governance",
            "theme_zh": "",
            "conference_starts_on": "2018-11-07",
            "conference_ends_on": "2018-11-09",
        },
    }
    assert conference["rooms"] == [
        {
            "name": "Tong'an Hall 217",
            "slug": "wiicec-tongan-217",
            "guid": guid("venue", program.venues["tongan"].id),
            "type": "lecturehall",
            "capacity": 400,
            "description": "Tong'an Hall, WIICEC",
        },
        {
            "name": "Wuzhen Hall",
            "slug": "wiicec-wuzhen-hall",
            "guid": guid("venue", program.venues["wuzhen"].id),
            "type": "lecturehall",
            "capacity": 3000,
            "description": "Wuzhen Hall, WIICEC",
        },
        {
            "name": "Expo: Launch Stage A",
            "slug": "expo-launch-stage-a",
            "guid": guid("stage", "Launch Stage A"),
            "type": "stage",
            "capacity": None,
            "description": "Light of Internet Expo, Launch Stage A",
        },
        {
            "name": "Expo: Sogou booth",
            "slug": "expo-sogou-booth",
            "guid": guid("stage", "Sogou booth"),
            "type": "stage",
            "capacity": None,
            "description": "Light of Internet Expo, Sogou booth",
        },
    ]
    assert [
        (day["index"], day["date"], day["day_start"], day["day_end"], list(day["rooms"]))
        for day in conference["days"]
    ] == [
        (1, "2018-11-06", "2018-11-06T00:00:00+08:00", "2018-11-06T23:59:59+08:00", []),
        (
            2,
            "2018-11-07",
            "2018-11-07T00:00:00+08:00",
            "2018-11-07T23:59:59+08:00",
            ["Wuzhen Hall", "Expo: Sogou booth"],
        ),
        (
            3,
            "2018-11-08",
            "2018-11-08T00:00:00+08:00",
            "2018-11-08T23:59:59+08:00",
            ["Tong'an Hall 217", "Expo: Launch Stage A"],
        ),
        (4, "2018-11-09", "2018-11-09T00:00:00+08:00", "2018-11-09T23:59:59+08:00", []),
        (5, "2018-11-10", "2018-11-10T00:00:00+08:00", "2018-11-10T23:59:59+08:00", []),
    ]


def test_a_session_event_in_full(client, program):
    keynotes = program.sessions["keynotes"]
    ada, yang = program.speakers["ada"], program.speakers["yang"]

    day = client.get("/schedule.json").json["schedule"]["conference"]["days"][2]

    assert [event["title"] for event in day["rooms"]["Tong'an Hall 217"]] == [
        "AI keynotes",
        "Fintech panel",
    ]
    assert day["rooms"]["Tong'an Hall 217"][0] == {
        "id": keynotes.id,
        "guid": guid("session", keynotes.id),
        "date": "2018-11-08T08:30:00+08:00",
        "start": "08:30",
        "end": "2018-11-08T10:05:00+08:00",
        "duration": "01:35",
        "room": "Tong'an Hall 217",
        "slug": f"wic2018-{keynotes.id}-ai-keynotes",
        "url": f"http://localhost/sessions/{keynotes.id}/",
        "title": "AI keynotes",
        "subtitle": "人工智能主旨演讲",
        "track": "AI Forum",
        "type": "subforum_session",
        "language": "en",
        "abstract": "",
        "description": "Demo content: invented for this demonstration where the real detail "
        "could not be found.",
        "persons": [
            {
                "id": ada.id,
                "guid": guid("speaker", ada.id),
                "public_name": "Ada Li",
                "url": "http://localhost/speakers/ada-li/",
            },
            {
                "id": yang.id,
                "guid": guid("speaker", yang.id),
                "public_name": "Yang Rui",
                "url": "http://localhost/speakers/yang-rui/",
            },
        ],
        "links": [
            {"url": f"http://localhost/sessions/{keynotes.id}/", "title": "Session page"},
            {"url": "http://localhost/subforums/ai-forum/", "title": "Subforum: AI Forum"},
        ],
    }


def test_a_launch_event_sits_in_its_stage_room(client, program):
    anchor = program.launches["anchor"]

    day = client.get("/schedule.json").json["schedule"]["conference"]["days"][1]

    assert day["rooms"]["Expo: Sogou booth"] == [
        {
            "id": 1_000_000 + anchor.id,
            "guid": guid("launch", anchor.id),
            "date": "2018-11-07T10:00:00+08:00",
            "start": "10:00",
            "end": "2018-11-07T10:30:00+08:00",
            "duration": "00:30",
            "room": "Expo: Sogou booth",
            "slug": f"wic2018-launch-{anchor.id}-ai-news-anchor",
            "url": "http://localhost/expo/sogou/",
            "title": "AI news anchor",
            "subtitle": "AI合成主播",
            "track": "Expo launches",
            "type": "launch",
            "language": "en",
            "abstract": "",
            "description": "Sogou (搜狗), hall 1, booth A101.",
            "persons": [],
            "links": [{"url": "http://localhost/expo/sogou/", "title": "Exhibitor: Sogou"}],
        }
    ]


def test_the_same_event_in_xml(client, program, xml_schema):
    opening, pony = program.sessions["opening"], program.speakers["pony"]
    document = assert_valid_xml(xml_schema, client.get("/schedule.xml").data)

    (event,) = document.xpath(f"//event[@id='{opening.id}']")

    assert event.get("guid") == guid("session", opening.id)
    assert {child.tag: child.text for child in event if len(child) == 0} == {
        "date": "2018-11-07T10:30:00+08:00",
        "start": "10:30",
        "duration": "01:00",
        "room": "Wuzhen Hall",
        "slug": f"wic2018-{opening.id}-opening-ceremony",
        "url": f"http://localhost/sessions/{opening.id}/",
        "title": "Opening ceremony",
        "subtitle": "开幕式",
        "track": "Ceremony",
        "type": "ceremony",
        "language": "en",
        "abstract": "The conference opens.",
        "description": "The conference opens.\n\n大会开幕。",
    }
    (person,) = event.find("persons")
    assert (person.text, person.get("id"), person.get("guid")) == (
        "Pony Ma",
        str(pony.id),
        guid("speaker", pony.id),
    )
    assert [(link.get("href"), link.text) for link in event.find("links")] == [
        (f"http://localhost/sessions/{opening.id}/", "Session page")
    ]
    assert event.getparent().get("name") == "Wuzhen Hall"
    assert event.getparent().getparent().get("date") == "2018-11-07"


def test_cancelled_and_private_sessions_are_left_out(client, program):
    events = all_events(client.get("/schedule.json").json)

    s = program.sessions
    assert sorted(event["id"] for event in events if event["type"] != "launch") == sorted(
        [s["opening"].id, s["keynotes"].id, s["panel"].id]
    )


def test_an_event_belongs_to_the_conference_time_day_it_starts_on(client, program):
    late = factories.make_session(
        program.conference, kind=SessionKind.SOCIAL, title="Late", starts_at=utc(8, 15, 30)
    )

    days = client.get("/schedule.json").json["schedule"]["conference"]["days"]

    # 15:30 UTC on 8 November is 23:30 in Wuzhen on 8 November; no venue: "To be announced".
    (event,) = days[2]["rooms"]["To be announced"]
    assert (event["id"], event["date"], event["start"]) == (
        late.id,
        "2018-11-08T23:30:00+08:00",
        "23:30",
    )


def test_rooms_with_the_same_hall_name_are_told_apart_by_building(client, program):
    yunzhou = factories.make_venue(
        slug="yunzhou-wuzhen-hall",
        building="Yunzhou Guest Service Center",
        hall="Wuzhen Hall",
        room_number="",
    )
    factories.make_session(
        program.conference,
        kind=SessionKind.SOCIAL,
        title="Banquet",
        starts_at=utc(7, 11),
        venue=yunzhou,
    )

    rooms = client.get("/schedule.json").json["schedule"]["conference"]["rooms"]

    assert [room["name"] for room in rooms] == [
        "Tong'an Hall 217",
        "Wuzhen Hall, WIICEC",
        "Wuzhen Hall, Yunzhou Guest Service Center",
        "Expo: Launch Stage A",
        "Expo: Sogou booth",
    ]


def test_characters_xml_cannot_carry_are_dropped(client, program, xml_schema):
    factories.make_session(
        program.conference,
        kind=SessionKind.PANEL,
        title="Bell\x07 and tab\tand <markup> & more",
        abstract="Form\x0cfeed",
        starts_at=utc(8, 9),
    )

    document = assert_valid_xml(xml_schema, client.get("/schedule.xml").data)

    titles = [title.text for title in document.iter("title")]
    assert "Bell and tab\tand <markup> & more" in titles


# --- the demo, field by field against the database ---


def test_demo_schedule_json_holds_every_session_once_as_the_database_has_it(demo_client):
    document = demo_client.get("/schedule.json").json
    conference = document["schedule"]["conference"]
    rooms = {room["name"]: room for room in conference["rooms"]}
    events = all_events(document)
    by_id = {event["id"]: event for event in events}
    sessions = db.session.scalars(
        sa.select(ProgramSession).where(
            ProgramSession.is_public, ProgramSession.status == SessionStatus.SCHEDULED
        )
    ).all()
    launches = db.session.scalars(sa.select(ProductLaunch)).all()
    labels = {kind.value: kind.label for kind in SessionKind}

    assert len(events) == len(by_id) == 48 + 151
    assert (len(sessions), len(launches)) == (48, 151)
    for session in sessions:
        event = by_id[session.id]
        local_start = session.starts_at.astimezone(session_tz())
        minutes = (session.ends_at - session.starts_at) // timedelta(minutes=1)
        assert event["guid"] == guid("session", session.id)
        assert event["date"] == local_start.isoformat()
        assert event["start"] == local_start.strftime("%H:%M")
        assert event["duration"] == f"{minutes // 60:02d}:{minutes % 60:02d}"
        assert rooms[event["room"]]["slug"] == session.venue.slug
        assert event["title"] == session.title
        assert event["subtitle"] == session.title_zh
        assert event["type"] == session.kind.value
        expected_track = session.subforum.title if session.subforum else labels[session.kind.value]
        assert event["track"] == expected_track
        assert [person["public_name"] for person in event["persons"]] == [
            role.speaker.name for role in session.speaker_roles
        ]
        day = next(d for d in conference["days"] if event in d["rooms"].get(event["room"], []))
        assert day["date"] == local_start.date().isoformat()
    for launch in launches:
        event = by_id[frab.LAUNCH_ID_OFFSET + launch.id]
        local_start = launch.starts_at.astimezone(session_tz())
        assert (event["date"], event["room"], event["title"]) == (
            local_start.isoformat(),
            f"Expo: {launch.stage}",
            launch.product,
        )


def session_tz():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Shanghai")


def test_demo_xml_and_json_hold_the_same_events(demo_client):
    document = etree.fromstring(demo_client.get("/schedule.xml").data)
    from_json = {
        (event["id"], event["date"], event["duration"], event["room"], event["title"])
        for event in all_events(demo_client.get("/schedule.json").json)
    }

    from_xml = {
        (
            int(event.get("id")),
            event.findtext("date"),
            event.findtext("duration"),
            event.findtext("room"),
            event.findtext("title"),
        )
        for event in document.iter("event")
    }

    assert from_xml == from_json
    assert len(from_xml) == 199
    assert [day.get("date") for day in document.iter("day")] == [
        "2018-11-06",
        "2018-11-07",
        "2018-11-08",
        "2018-11-09",
        "2018-11-10",
    ]


# --- byte-identical output and conditional GET ---


@pytest.mark.parametrize("path", FILES)
def test_output_is_byte_identical_while_nothing_changes(app, client, program, path):
    first = client.get(path).data
    export_cache().clear()  # built again from the database
    second = client.get(path, headers={"Accept-Language": "zh"}).data

    assert second == first


def test_both_files_name_the_same_version(client, program):
    from_json = client.get("/schedule.json").json["schedule"]["version"]
    from_xml = etree.fromstring(client.get("/schedule.xml").data).findtext("version")

    assert from_json == from_xml
    assert len(from_json) == 12


@pytest.mark.parametrize("path", FILES)
def test_schedule_apps_that_accept_gzip_get_the_same_file_compressed(client, program, path):
    plain = client.get(path)

    compressed = client.get(path, headers={"Accept-Encoding": "gzip"})
    not_modified = client.get(
        path,
        headers={"Accept-Encoding": "gzip", "If-None-Match": compressed.headers["ETag"]},
    )

    assert gzip.decompress(compressed.data) == plain.data
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert compressed.headers["ETag"] == plain.headers["ETag"][:-1] + '-gzip"'
    assert compressed.headers["Content-Type"] == plain.headers["Content-Type"]
    assert compressed.headers["Access-Control-Allow-Origin"] == "*"
    assert plain.headers["Vary"] == compressed.headers["Vary"] == "Accept-Encoding"
    assert (not_modified.status_code, not_modified.data) == (304, b"")
    assert not_modified.headers["ETag"] == compressed.headers["ETag"]


@pytest.mark.parametrize("path", FILES)
def test_conditional_get(client, program, path):
    first = client.get(path)
    etag = first.headers["ETag"]
    assert (first.status_code, first.headers["Last-Modified"]) == (200, LAST_CHANGE_HTTP)
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Cache-Control"] == "public, no-cache"

    def status(**headers) -> int:
        return client.get(path, headers=headers).status_code

    assert status(**{"If-None-Match": etag}) == 304
    assert status(**{"If-None-Match": f"W/{etag}"}) == 304
    assert status(**{"If-None-Match": f'"stale", {etag}'}) == 304
    assert status(**{"If-None-Match": "*"}) == 304
    assert status(**{"If-None-Match": '"stale"'}) == 200
    assert status(**{"If-Modified-Since": LAST_CHANGE_HTTP}) == 304
    assert status(**{"If-Modified-Since": "Fri, 02 Nov 2018 00:00:00 GMT"}) == 304
    assert status(**{"If-Modified-Since": "Thu, 01 Nov 2018 03:59:59 GMT"}) == 200
    assert status(**{"If-Modified-Since": "not a date"}) == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.1.3).
    assert status(**{"If-None-Match": '"stale"', "If-Modified-Since": LAST_CHANGE_HTTP}) == 200
    not_modified = client.get(path, headers={"If-None-Match": etag})
    assert not_modified.data == b""
    assert (not_modified.headers["ETag"], not_modified.headers["Cache-Control"]) == (
        etag,
        "public, no-cache",
    )

    program_services.reschedule_session(
        program.sessions["panel"], starts_at=utc(8, 7), ends_at=utc(8, 8), actor=OPERATOR
    )

    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert status(**{"If-Modified-Since": LAST_CHANGE_HTTP}) == 200
    assert status(**{"If-None-Match": changed.headers["ETag"]}) == 304
    assert status(**{"If-Modified-Since": changed.headers["Last-Modified"]}) == 304


def test_a_rescheduled_session_moves_in_the_schedule(client, program):
    panel = program.sessions["panel"]
    program_services.reschedule_session(
        panel,
        starts_at=utc(9, 1),
        ends_at=utc(9, 2, 15),
        venue=program.venues["wuzhen"],
        actor=OPERATOR,
    )

    event = next(e for e in all_events(client.get("/schedule.json").json) if e["id"] == panel.id)

    assert (event["date"], event["duration"], event["room"]) == (
        "2018-11-09T09:00:00+08:00",
        "01:15",
        "Wuzhen Hall",
    )


def test_a_change_the_schedule_does_not_show_keeps_its_etag(client, program):
    """A seat booked moves the subforum's updated_at, but no byte of the schedule changes."""
    before = client.get("/schedule.xml")
    db.session.execute(
        sa.update(Subforum)
        .where(Subforum.id == program.subforums["fintech"].id)
        .values(seats_taken=Subforum.seats_taken + 1)
    )
    db.session.commit()

    after = client.get("/schedule.xml", headers={"If-None-Match": before.headers["ETag"]})

    assert after.status_code == 304
    assert client.get("/schedule.xml").headers["Last-Modified"] != before.headers["Last-Modified"]


def test_a_new_row_changes_the_etag(client, program):
    before = client.get("/schedule.json").headers["ETag"]
    factories.make_session(program.conference, kind=SessionKind.PANEL, title="Added late")

    assert client.get("/schedule.json", headers={"If-None-Match": before}).status_code == 200


@pytest.mark.parametrize("path", FILES)
def test_no_schedule_before_a_conference_exists(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", FILES)
def test_polling_costs_one_query(client, program, query_counter, path):
    etag = client.get(path).headers["ETag"]

    with query_counter(db.engine) as not_modified:
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    with query_counter(db.engine) as warm:
        assert client.get(path).status_code == 200

    assert (not_modified.count, warm.count) == (1, 1)


@pytest.mark.parametrize("path", FILES)
def test_within_the_ttl_polling_runs_no_query(client, program, ttl_clock, query_counter, path):
    first = client.get(path)
    program_services.reschedule_session(
        program.sessions["panel"], starts_at=utc(8, 7), ends_at=utc(8, 8), actor=OPERATOR
    )
    ttl_clock.now += 4.9

    with query_counter(db.engine) as within:
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    ttl_clock.now += 0.2
    with query_counter(db.engine) as after:
        changed = client.get(path, headers={"If-None-Match": first.headers["ETag"]})

    assert (within.count, again.status_code) == (0, 304)
    assert after.count >= 1
    assert changed.status_code == 200
    assert changed.headers["ETag"] != first.headers["ETag"]


def test_each_host_is_checked_on_its_own(client, program, ttl_clock):
    here = client.get("/schedule.json")
    elsewhere = client.get("/schedule.json", base_url="http://127.0.0.1:8000")

    assert b"http://127.0.0.1:8000/sessions/" in elsewhere.data
    assert b"http://127.0.0.1:8000/" not in here.data


@pytest.mark.parametrize("path", FILES)
def test_a_foreign_host_is_refused_before_the_schedule_cache(
    client, program, ttl_clock, query_counter, path
):
    client.get(path)
    cached = len(export_cache())

    with query_counter(db.engine) as log:
        statuses = [
            client.get(path, headers={"Host": f"t{number}.evil.example"}).status_code
            for number in range(3)
        ]

    assert statuses == [400, 400, 400]
    assert (len(export_cache()), log.count) == (cached, 0)


def test_a_cold_build_costs_a_fixed_number_of_queries(app, client, program, query_counter):
    with query_counter(db.engine) as small:
        client.get("/schedule.json")
    for number in range(20):
        factories.make_session(
            program.conference,
            kind=SessionKind.PANEL,
            title=f"More {number}",
            venue=program.venues["tongan"],
            subforum=program.subforums["ai"],
            speakers=[(program.speakers["ada"], SpeakerRole.SPEAKER)],
        )
    export_cache().clear()
    with query_counter(db.engine) as large:
        client.get("/schedule.json")

    assert small.count == large.count == 9


def test_head_answers_the_headers_alone(client, program):
    response = client.head("/schedule.json")

    assert response.status_code == 200
    assert response.data == b""
    assert response.headers["ETag"] == client.get("/schedule.json").headers["ETag"]


def test_last_modified_is_the_newest_change_in_http_form(client, program):
    expected = format_datetime(LAST_CHANGE, usegmt=True)

    assert client.get("/schedule.json").headers["Last-Modified"] == expected == LAST_CHANGE_HTTP


# --- pure helpers ---


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Opening ceremony", "opening-ceremony"),
        ("Plenary dialogue: Wuzhen Talks – Retrospect", "plenary-dialogue-wuzhen-talks-retrospect"),
        ("“互联网之光”博览会开幕式", ""),
        ("Café & Naïve 5G", "cafe-naive-5g"),
        ("a" * 70, "a" * 60),
        ("word " * 20, "word-word-word-word-word-word-word-word-word-word-word-word"),
    ],
    ids=["plain", "punctuation", "chinese", "accents", "one-long-word", "many-words"],
)
def test_slugify(title, slug):
    assert frab.slugify(title) == slug


@pytest.mark.parametrize(
    ("minutes", "text"), [(30, "00:30"), (95, "01:35"), (600, "10:00"), (1, "00:01")]
)
def test_duration(minutes, text):
    start = utc(8, 1)

    assert frab.duration(start, start + timedelta(minutes=minutes)) == text


def test_date_span_within_and_across_months():
    from datetime import date

    assert frab.date_span(date(2018, 11, 7), date(2018, 11, 9)) == "7–9 November 2018"
    assert frab.date_span(date(2018, 10, 31), date(2018, 11, 2)) == (
        "31 October 2018 – 2 November 2018"
    )
