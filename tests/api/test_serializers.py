"""Serializers: rows to plain dicts, instants in conference time and UTC, provenance kept."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from tests import factories
from tests.factories import utc
from wuzhen_events.api.serializers import (
    exhibitor_to_dict,
    instant_fields,
    label_fields,
    launch_to_dict,
    safe_website,
    session_to_dict,
    speaker_to_dict,
    subforum_detail_to_dict,
    venue_to_dict,
)
from wuzhen_events.program.enums import SessionKind, SpeakerRole
from wuzhen_events.program.queries import session_by_id, speaker_by_slug, subforum_by_slug

WUZHEN = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def request_context(app):
    with app.test_request_context("/api/v1/sessions"):
        yield


def test_instants_appear_in_conference_time_and_in_utc():
    assert instant_fields("starts_at", utc(8, 0, 30), WUZHEN) == {
        "starts_at": "2018-11-08T08:30:00+08:00",
        "starts_at_utc": "2018-11-08T00:30:00Z",
    }


def test_instants_drop_fractions_of_a_second():
    moment = utc(8, 23, 59).replace(second=59, microsecond=999_999)

    assert instant_fields("updated_at", moment, WUZHEN) == {
        "updated_at": "2018-11-09T07:59:59+08:00",
        "updated_at_utc": "2018-11-08T23:59:59Z",
    }


def test_a_missing_instant_is_null_in_both_forms():
    assert instant_fields("ends_at", None, WUZHEN) == {"ends_at": None, "ends_at_utc": None}


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("https://www.sogou.com", "https://www.sogou.com"),
        (" http://example.cn/path ", "http://example.cn/path"),
        ("javascript:alert(1)", None),
        ("https://", None),
        ("www.example.com", None),
        ("", None),
        ("http://[::1", None),
    ],
    ids=["https", "http-with-blanks", "javascript", "no-host", "no-scheme", "empty", "broken"],
)
def test_only_http_websites_are_handed_out(stored, shown):
    assert safe_website(stored) == shown


def test_labels_come_in_both_languages_whatever_the_request_asks(app):
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        assert label_fields("sector", "5g-telecom") == {
            "sector_label": "5G and telecommunications",
            "sector_label_zh": "5G与通信",
        }


def test_venue_to_dict(request_context, program):
    assert venue_to_dict(program.venues["wuzhen"]) == {
        "id": program.venues["wuzhen"].id,
        "slug": "wiicec-wuzhen-hall",
        "building": "WIICEC",
        "building_zh": "乌镇互联网国际会展中心",
        "hall": "Wuzhen Hall",
        "hall_zh": "乌镇厅",
        "room_number": "",
        "capacity": 3000,
        "provenance": "sourced",
        "source_note": "",
        "source_note_zh": "",
    }


def test_a_cancelled_session_keeps_its_times_with_a_higher_sequence(request_context, program):
    closing = session_by_id(program.sessions["closing"].id)

    serialized = session_to_dict(closing, WUZHEN)

    assert {key: serialized[key] for key in ("status", "sequence", "starts_at", "day")} == {
        "status": "cancelled",
        "sequence": 1,
        "starts_at": "2018-11-09T11:00:00+08:00",
        "day": "2018-11-09",
    }


def test_a_session_without_venue_or_subforum(request_context, program):
    bare = factories.make_session(
        program.conference, kind=SessionKind.SOCIAL, title="Tea", starts_at=utc(7, 16)
    )

    serialized = session_to_dict(session_by_id(bare.id), WUZHEN)

    assert (serialized["venue"], serialized["subforum"], serialized["speakers"]) == (None, None, [])
    # 00:00 in Wuzhen on 8 November: the session's day is the conference-time day.
    assert (serialized["day"], serialized["starts_at"]) == (
        "2018-11-08",
        "2018-11-08T00:00:00+08:00",
    )


def test_a_subforum_shows_only_its_public_sessions(request_context, program):
    factories.make_session(
        program.conference,
        kind=SessionKind.PANEL,
        title="Closed-door meeting",
        starts_at=utc(8, 1),
        subforum=program.subforums["ai"],
        is_public=False,
    )

    serialized = subforum_detail_to_dict(subforum_by_slug("ai-forum"), WUZHEN)

    assert [session["title"] for session in serialized["sessions"]] == ["AI keynotes"]
    assert serialized["session_count"] == 1


def test_a_speaker_shows_only_public_appearances(request_context, program):
    factories.make_session(
        program.conference,
        kind=SessionKind.SOCIAL,
        title="Private lunch",
        starts_at=utc(7, 4),
        speakers=[(program.speakers["pony"], SpeakerRole.HOST)],
        is_public=False,
    )

    serialized = speaker_to_dict(speaker_by_slug("pony-ma"), WUZHEN)

    assert [a["session"]["title"] for a in serialized["appearances"]] == [
        "Opening ceremony",
        "Fintech panel",
    ]


def test_a_launch_carries_its_exhibitor(request_context, program):
    launch = program.launches["base-station"]

    assert launch_to_dict(launch, WUZHEN) == {
        "id": launch.id,
        "product": "5G base station",
        "product_zh": "",
        "description": "",
        "description_zh": "",
        "day": "2018-11-08",
        "starts_at": "2018-11-08T11:00:00+08:00",
        "starts_at_utc": "2018-11-08T03:00:00Z",
        "ends_at": "2018-11-08T11:30:00+08:00",
        "ends_at_utc": "2018-11-08T03:30:00Z",
        "stage": "Launch Stage A",
        "stage_zh": "",
        "provenance": "sourced",
        "source_note": "",
        "source_note_zh": "",
        "updated_at": "2018-11-01T12:00:00+08:00",
        "updated_at_utc": "2018-11-01T04:00:00Z",
        "url": "http://localhost/expo/launches/?day=2018-11-08",
        "exhibitor": {
            "id": program.exhibitors["nokia"].id,
            "slug": "nokia",
            "company": "Nokia",
            "company_zh": "",
            "hall": "2",
            "booth": "B01",
            "url": "http://localhost/expo/nokia/",
            "api_url": "http://localhost/api/v1/exhibitors/nokia",
        },
    }


def test_links_follow_the_public_base_url(app, program):
    app.config["PUBLIC_BASE_URL"] = "https://wic.example.org"

    with app.test_request_context("/api/v1/exhibitors/sogou"):
        serialized = exhibitor_to_dict(program.exhibitors["sogou"], WUZHEN)

    assert (serialized["url"], serialized["api_url"]) == (
        "https://wic.example.org/expo/sogou/",
        "https://wic.example.org/api/v1/exhibitors/sogou",
    )
    assert serialized["provenance"] == "sourced"
