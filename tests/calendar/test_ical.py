"""The one iCalendar builder, on plain data: exact output, escaping, folding and both parsers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.ical import parse_with_ical_js, parse_with_icalendar
from wuzhen_events.ical import (
    CalendarEvent,
    build_calendar,
    reference_vevent,
    vevent_ical,
)

EVENT = CalendarEvent(
    uid="wic2018-session-7@wuzhen-events.example",
    summary="Fintech, credit; trust",
    description="Line one, with comma; semicolon\nLine two \\ backslash",
    location="Longfeng Hall, Zhenshui Hotel",
    url="https://wuzhen-events.example/sessions/7/",
    categories=("Fintech, and credit", "金融科技"),
    starts_at=datetime(2018, 11, 8, 0, 30, tzinfo=UTC),
    ends_at=datetime(2018, 11, 8, 1, 45, tzinfo=UTC),
    status="CONFIRMED",
    sequence=2,
    last_modified=datetime(2018, 10, 30, 9, 15, tzinfo=UTC),
)

HEADER = (
    b"BEGIN:VCALENDAR\r\n"
    b"VERSION:2.0\r\n"
    b"PRODID:-//Wuzhen Events//World Internet Conference 2018//EN\r\n"
    b"CALSCALE:GREGORIAN\r\n"
    b"METHOD:PUBLISH\r\n"
    b"NAME:WIC 2018\r\n"
    b"X-WR-CALNAME:WIC 2018\r\n"
    b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"
    b"X-PUBLISHED-TTL:PT1H\r\n"
    b"X-WR-TIMEZONE:Asia/Shanghai\r\n"
    b"BEGIN:VTIMEZONE\r\n"
    b"TZID:Asia/Shanghai\r\n"
)

VEVENT = (
    b"BEGIN:VEVENT\r\n"
    b"SUMMARY:Fintech\\, credit\\; trust\r\n"
    b"DTSTART;TZID=Asia/Shanghai:20181108T083000\r\n"
    b"DTEND;TZID=Asia/Shanghai:20181108T094500\r\n"
    b"DTSTAMP:20181030T091500Z\r\n"
    b"UID:wic2018-session-7@wuzhen-events.example\r\n"
    b"SEQUENCE:2\r\n"
    b"CATEGORIES:Fintech\\, and credit,\xe9\x87\x91\xe8\x9e\x8d\xe7\xa7\x91\xe6\x8a\x80\r\n"
    b"DESCRIPTION:Line one\\, with comma\\; semicolon\\nLine two \\\\ backslash\r\n"
    b"LAST-MODIFIED:20181030T091500Z\r\n"
    b"LOCATION:Longfeng Hall\\, Zhenshui Hotel\r\n"
    b"STATUS:CONFIRMED\r\n"
    b"TRANSP:OPAQUE\r\n"
    b"URL:https://wuzhen-events.example/sessions/7/\r\n"
    b"END:VEVENT\r\n"
    b"END:VCALENDAR\r\n"
)


def test_build_calendar_writes_the_header_then_the_timezone_then_the_events():
    body = build_calendar([EVENT], name="WIC 2018")

    assert body.startswith(HEADER)
    assert body.endswith(b"END:VTIMEZONE\r\n" + VEVENT)


def test_build_calendar_is_byte_identical_for_the_same_events_in_any_order():
    later = replace(EVENT, uid="wic2018-session-8@wuzhen-events.example", summary="Later")
    later = replace(later, starts_at=EVENT.ends_at, ends_at=EVENT.ends_at + timedelta(hours=1))

    assert build_calendar([EVENT, later], name="WIC") == build_calendar([later, EVENT], name="WIC")


def test_build_calendar_names_refresh_interval_and_description():
    body = build_calendar(
        [], name="世界互联网大会", refresh=timedelta(minutes=30), description="Times; UTC+8"
    )
    calendar = parse_with_icalendar(body)

    assert str(calendar["X-WR-CALNAME"]) == "世界互联网大会"
    assert str(calendar["NAME"]) == "世界互联网大会"
    assert str(calendar["X-WR-CALDESC"]) == "Times; UTC+8"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT30M\r\n" in body
    assert b"X-PUBLISHED-TTL:PT30M\r\n" in body


def test_an_empty_calendar_still_defines_its_timezone():
    calendar = parse_with_icalendar(build_calendar([], name="Nothing yet"))

    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert calendar.walk("VEVENT") == []


def test_builder_output_has_crlf_lines_of_at_most_75_octets():
    long_chinese = "世界互联网大会，乌镇峰会；" * 40
    event = replace(EVENT, summary=long_chinese, description=long_chinese + "\n" + "x" * 300)

    body = build_calendar([event], name="WIC")

    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines)
    assert b"\r" not in b"".join(lines)
    assert max(len(line) for line in lines) == 75
    parsed = parse_with_icalendar(body).walk("VEVENT")[0]
    assert str(parsed["SUMMARY"]) == long_chinese
    assert str(parsed["DESCRIPTION"]) == long_chinese + "\n" + "x" * 300


def test_icalendar_reads_back_every_field():
    # icalendar 6 splits CATEGORIES on escaped commas too (its issue #127), so none here; the
    # feeds keep commas out of categories for that reason, and ical.js reads them right.
    cancelled = replace(EVENT, status="CANCELLED", sequence=3, categories=("Fintech", "金融科技"))

    event = parse_with_icalendar(build_calendar([cancelled], name="WIC")).walk("VEVENT")[0]

    assert str(event["UID"]) == "wic2018-session-7@wuzhen-events.example"
    assert str(event["SUMMARY"]) == "Fintech, credit; trust"
    assert str(event["DESCRIPTION"]) == "Line one, with comma; semicolon\nLine two \\ backslash"
    assert str(event["LOCATION"]) == "Longfeng Hall, Zhenshui Hotel"
    assert [str(category) for category in event["CATEGORIES"].cats] == ["Fintech", "金融科技"]
    assert event.start == datetime(2018, 11, 8, 0, 30, tzinfo=UTC)
    assert event.end == datetime(2018, 11, 8, 1, 45, tzinfo=UTC)
    assert str(event.start.tzinfo) == "Asia/Shanghai"
    assert event["STATUS"] == "CANCELLED"
    assert event["TRANSP"] == "TRANSPARENT"
    assert event["SEQUENCE"] == 3
    assert event["DTSTAMP"].dt == datetime(2018, 10, 30, 9, 15, tzinfo=UTC)
    assert "ORGANIZER" not in event
    assert "ATTENDEE" not in event


def test_ical_js_reads_the_same_event_through_the_calendars_own_timezone():
    parsed = parse_with_ical_js(build_calendar([EVENT], name="WIC"))

    assert parsed["timezones"] == ["Asia/Shanghai"]
    assert parsed["method"] == "PUBLISH"
    assert parsed["refresh_interval"] == "PT1H"
    assert parsed["events"] == [
        {
            "uid": "wic2018-session-7@wuzhen-events.example",
            "summary": "Fintech, credit; trust",
            "description": "Line one, with comma; semicolon\nLine two \\ backslash",
            "location": "Longfeng Hall, Zhenshui Hotel",
            "url": "https://wuzhen-events.example/sessions/7/",
            "start": "2018-11-08T00:30:00.000Z",
            "end": "2018-11-08T01:45:00.000Z",
            "start_tzid": "Asia/Shanghai",
            "end_tzid": "Asia/Shanghai",
            "status": "CONFIRMED",
            "sequence": 2,
            "dtstamp": "2018-10-30T09:15:00.000Z",
            "categories": ["Fintech, and credit", "金融科技"],
        }
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"starts_at": datetime(2018, 11, 8, 8, 30)}, "calendar events need aware datetimes"),
        ({"last_modified": datetime(2018, 11, 8)}, "calendar events need aware datetimes"),
        ({"status": "POSTPONED"}, "unknown event status 'POSTPONED'"),
    ],
    ids=["naive-start", "naive-last-modified", "unknown-status"],
)
def test_calendar_event_refuses_what_a_feed_cannot_say(change, message):
    with pytest.raises(ValueError) as refused:
        replace(EVENT, **change)

    assert str(refused.value) == message


# --- the direct VEVENT writer against icalendar's component model -------------------------------

LONG_CHINESE = "乌镇峰会：数字经济、人工智能与网络安全的合作；" * 6
TRICKY_TEXTS = [
    "",
    "a" * 73,
    "a" * 74,
    "a" * 75,
    "b" * 300,
    "Credit, trust; and data.\nSecond line: a\\b path.\r\nThird\\Nfourth",
    LONG_CHINESE,
    "x" + LONG_CHINESE + "é" * 40 + "😀" * 30,
]


@pytest.mark.parametrize("text", TRICKY_TEXTS, ids=range(len(TRICKY_TEXTS)))
@pytest.mark.parametrize(
    "zone", [UTC, timezone(timedelta(hours=-5)), ZoneInfo("Europe/Berlin")], ids=str
)
@pytest.mark.parametrize("timezone_name", ["Asia/Shanghai", "UTC", "America/New_York"])
def test_vevent_writer_matches_icalendar_byte_for_byte(text, zone, timezone_name):
    vevent_ical.cache_clear()
    event = replace(
        EVENT,
        summary=text or "Untitled",
        description=text,
        location=text,
        url="" if not text else EVENT.url,
        categories=(text, "金融科技") if text else (),
        starts_at=EVENT.starts_at.astimezone(zone),
        ends_at=EVENT.ends_at.astimezone(zone),
        last_modified=EVENT.last_modified.astimezone(zone).replace(microsecond=123456),
        status="CANCELLED" if len(text) % 2 else "CONFIRMED",
        sequence=len(text),
    )

    written = vevent_ical(event, timezone_name)

    assert written == reference_vevent(event, timezone_name).to_ical()
    assert max(len(line) for line in written.split(b"\r\n")) <= 75
