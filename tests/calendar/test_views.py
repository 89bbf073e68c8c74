"""Feeds over HTTP: what real parsers read from them, conditional GET, caching, query counts,
hostile addresses, the personal feed, the calendar page and "Add to calendar"."""

from __future__ import annotations

import gzip
import re
from datetime import UTC, datetime
from html import unescape

import pytest
import sqlalchemy as sa

from tests.factories import OPERATOR
from tests.helpers.ical import parse_with_ical_js, parse_with_icalendar
from tests.worlds import TRICKY_ABSTRACT, add_sessions, feed_urls, later
from wuzhen_events.expo.models import ProductLaunch
from wuzhen_events.extensions import db
from wuzhen_events.program import services as program_services
from wuzhen_events.program.models import ProgramSession
from wuzhen_events.registration import services as registration
from wuzhen_events.registration import tokens
from wuzhen_events.serving import export_cache

ETAG = re.compile(r'"[0-9a-f]{32}"')


def utc_instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def icalendar_events(body: bytes) -> dict[str, tuple]:
    return {
        str(event["UID"]): (
            event.start.astimezone(UTC),
            event.end.astimezone(UTC),
            str(event["STATUS"]),
            event["SEQUENCE"],
        )
        for event in parse_with_icalendar(body).walk("VEVENT")
    }


def ical_js_events(body: bytes) -> dict[str, tuple]:
    events = parse_with_ical_js(body)["events"]
    assert {event["start_tzid"] for event in events} <= {"Asia/Shanghai"}
    return {
        event["uid"]: (
            utc_instant(event["start"]),
            utc_instant(event["end"]),
            event["status"],
            event["sequence"],
        )
        for event in events
    }


def assert_folded_crlf_lines(body: bytes) -> None:
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75


# --- the whole program of the demo conference ---------------------------------------------------


def demo_rows() -> dict[str, tuple]:
    """What the database holds: every public session and every launch, at their instants."""
    expected = {}
    for session in db.session.scalars(sa.select(ProgramSession).where(ProgramSession.is_public)):
        status = "CANCELLED" if session.is_cancelled else "CONFIRMED"
        expected[f"wic2018-session-{session.id}@wuzhen-events.example"] = (
            session.starts_at,
            session.ends_at,
            status,
            session.sequence,
        )
    for launch in db.session.scalars(sa.select(ProductLaunch)):
        expected[f"wic2018-launch-{launch.id}@wuzhen-events.example"] = (
            launch.starts_at,
            launch.ends_at,
            "CONFIRMED",
            0,
        )
    return expected


@pytest.mark.parametrize("query", ["", "?lang=zh"], ids=["english", "chinese"])
def test_whole_program_feed_holds_every_session_and_launch_at_its_instant(demo_client, query):
    body = demo_client.get(f"/calendar/wic2018.ics{query}").data
    expected = demo_rows()

    from_icalendar = icalendar_events(body)
    from_ical_js = ical_js_events(body)

    assert len(expected) == 48 + 151
    assert from_icalendar == expected
    assert from_ical_js == expected
    assert body.count(b"BEGIN:VEVENT") == 199  # so no UID appeared twice
    assert_folded_crlf_lines(body)


def test_chinese_whole_program_feed_keeps_chinese_text_intact(demo_client):
    body = demo_client.get("/calendar/wic2018.ics?lang=zh").data
    titles = {
        f"wic2018-session-{session.id}@wuzhen-events.example": chinese_calendar_title(session)
        for session in db.session.scalars(sa.select(ProgramSession))
    }

    parsed = parse_with_ical_js(body)
    from_ical_js = {
        event["uid"]: event["summary"] for event in parsed["events"] if "session" in event["uid"]
    }
    from_icalendar = {
        str(event["UID"]): str(event["SUMMARY"])
        for event in parse_with_icalendar(body).walk("VEVENT")
        if "session" in str(event["UID"])
    }

    assert parsed["name"] == "2018世界互联网大会"
    assert from_ical_js == titles
    assert from_icalendar == titles
    assert sorted(title for title in titles.values() if "金融科技" in title) == [
        "圆桌讨论 · 金融科技与信用社会建设",
        "开幕及主旨演讲 · 金融科技与信用社会建设",
    ]


def chinese_calendar_title(session: ProgramSession) -> str:
    """A session's title in a Chinese feed: its own, then its subforum's unless it has it."""
    title = session.title_zh or session.title
    if session.subforum is None:
        return title
    subforum = session.subforum.title_zh or session.subforum.title
    return title if subforum in title else f"{title} · {subforum}"


def test_whole_program_feed_headers(demo_client):
    response = demo_client.get("/calendar/wic2018.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'inline; filename="wic2018.ics"'
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert ETAG.fullmatch(response.headers["ETag"])
    latest = max(
        db.session.scalar(sa.select(sa.func.max(ProgramSession.updated_at))),
        db.session.scalar(sa.select(sa.func.max(ProductLaunch.updated_at))),
    )
    assert response.last_modified == latest.replace(microsecond=0)


def test_warm_whole_program_feed_runs_only_the_version_query(demo_client, query_counter):
    first = demo_client.get("/calendar/wic2018.ics")

    with query_counter(db.engine) as log:
        again = demo_client.get("/calendar/wic2018.ics")
    assert log.count == 1
    with query_counter(db.engine) as log:
        unchanged = demo_client.get(
            "/calendar/wic2018.ics", headers={"If-None-Match": first.headers["ETag"]}
        )
    assert log.count == 1

    assert again.data == first.data
    assert unchanged.status_code == 304


def test_cold_whole_program_feed_runs_a_fixed_number_of_queries(demo_client, query_counter):
    export_cache().clear()
    db.session.expire_all()

    with query_counter(db.engine) as log:
        response = demo_client.get("/calendar/wic2018.ics")

    assert response.status_code == 200
    # version, sessions with venues and subforums, their topics, their speakers, launches
    assert log.count == 5


@pytest.mark.parametrize(
    "url",
    [
        "/calendar/days/2018-11-08.ics",
        "/calendar/subforums/fintech-credit-society.ics",
        "/calendar/sessions/3.ics",
    ],
    ids=["day", "subforum", "session"],
)
def test_warm_partial_feeds_run_two_queries(demo_client, query_counter, url):
    demo_client.get(url)

    with query_counter(db.engine) as log:
        response = demo_client.get(url)

    assert response.status_code == 200
    assert log.count == 2  # the day's conference (or the row's existence), then the version


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/days/2018-11-05.ics",
        "/calendar/days/2018-11-11.ics",
        "/calendar/days/2018-02-30.ics",
        "/calendar/days/20181108.ics",
        "/calendar/days/banana.ics",
        "/calendar/days/%00.ics",
        "/calendar/days/" + "9" * 5000 + ".ics",
        "/calendar/sessions/0.ics",
        "/calendar/sessions/-1.ics",
        "/calendar/sessions/2147483648.ics",
        "/calendar/sessions/99999999999999999999999.ics",
        "/calendar/sessions/abc.ics",
        "/calendar/subforums/no-such-forum.ics",
        "/calendar/subforums/%3Cscript%3E.ics",
        "/calendar/subforums/Fintech.ics",
        "/calendar/subforums/" + "a" * 5000 + ".ics",
        "/calendar/me/short.ics",
        "/calendar/me/" + "A" * 43 + ".ics",
        "/calendar/me/%00.ics",
        "/calendar/me/" + "x" * 5000 + ".ics",
        "/calendar/me/..%2F..%2Fetc%2Fpasswd.ics",
        "/calendar/wic2019.ics",
    ],
)
def test_hostile_feed_addresses_are_not_found(demo_client, path):
    response = demo_client.get(path)

    assert response.status_code == 404
    assert "<script>" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/calendar/days/2018-11-12.ics", "There is no calendar for this day."),
        ("/calendar/subforums/no-such-forum.ics", "There is no subforum at this address"),
        ("/calendar/sessions/2147483647.ics", "There is no session with this number"),
        ("/calendar/me/" + "A" * 43 + ".ics", "This personal calendar address is not valid."),
    ],
    ids=["day", "subforum", "session", "personal"],
)
def test_a_missing_feed_says_why(demo_client, path, message):
    response = demo_client.get(path)

    assert response.status_code == 404
    assert message in unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(
    "query", ["lang=xx", "lang=%00", "lang=zh&lang=en", "lang=" + "z" * 5000], ids=str
)
def test_odd_language_requests_get_the_english_feed(demo_client, query):
    english = demo_client.get("/calendar/sessions/3.ics")

    response = demo_client.get(f"/calendar/sessions/3.ics?{query}")

    if query.startswith("lang=zh"):
        assert response.data != english.data
    else:
        assert response.data == english.data


def test_no_conference_no_feeds(client):
    assert client.get("/calendar/wic2018.ics").status_code == 404
    assert client.get("/calendar/").status_code == 404


# --- a small program: exact content, changes and conditional GET --------------------------------


FEED_KINDS = ["program", "day", "subforum", "session", "personal"]


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_every_feed_parses_the_same_in_both_parsers(client, program, delegate, kind):
    body = client.get(feed_urls(program, delegate[1])[kind]).data

    assert icalendar_events(body) == ical_js_events(body)
    assert_folded_crlf_lines(body)


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_every_feed_is_byte_identical_when_built_again(client, program, delegate, kind):
    url = feed_urls(program, delegate[1])[kind]
    first = client.get(url)
    export_cache().clear()
    db.session.expire_all()

    second = client.get(url)

    assert second.data == first.data
    assert second.headers["ETag"] == first.headers["ETag"]


def test_personal_feed_holds_the_seat_and_the_star(client, program, delegate):
    _, token = delegate

    response = client.get(f"/calendar/me/{token}.ics")
    parsed = parse_with_ical_js(response.data)

    assert [event["summary"] for event in parsed["events"]] == [
        "Opening ceremony",
        "Opening and keynote speeches · Fintech and Building a Credit Society",
        "Panel discussion · Fintech and Building a Credit Society",
    ]
    assert parsed["name"] == "World Internet Conference 2018 · My agenda"
    assert response.headers["Cache-Control"] == "private, max-age=300"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    # The feed's own policy, not the site-wide one, and only once.
    assert response.headers.getlist("Referrer-Policy") == ["no-referrer"]
    assert response.headers["Content-Disposition"] == 'inline; filename="wic2018-my-agenda.ics"'
    assert token.encode() not in response.data


def test_a_token_with_one_character_changed_is_not_found(client, program, delegate):
    _, token = delegate
    altered = ("B" if token[0] != "B" else "C") + token[1:]

    assert client.get(f"/calendar/me/{altered}.ics").status_code == 404


def test_a_renewed_feed_address_replaces_the_old_one(client, program, delegate):
    person, old_token = delegate

    new_token = registration.renew_feed_token(person, actor=OPERATOR)

    assert client.get(f"/calendar/me/{old_token}.ics").status_code == 404
    assert client.get(f"/calendar/me/{new_token}.ics").status_code == 200


def test_a_cancelled_registration_keeps_an_empty_feed(client, program, delegate):
    person, token = delegate
    before = client.get(f"/calendar/me/{token}.ics")

    registration.cancel_registration(person, actor=OPERATOR)
    response = client.get(
        f"/calendar/me/{token}.ics", headers={"If-None-Match": before.headers["ETag"]}
    )

    assert response.status_code == 200
    assert parse_with_ical_js(response.data)["events"] == []
    assert parse_with_icalendar(response.data)["X-WR-CALNAME"] == (
        "World Internet Conference 2018 · My agenda"
    )


def test_a_cancelled_session_stays_with_a_higher_sequence(client, program):
    program_services.cancel_session(program.fintech_panel, actor=OPERATOR)

    body = client.get("/calendar/wic2018.ics").data
    from_ical_js = {event["uid"]: event for event in parse_with_ical_js(body)["events"]}
    from_icalendar = icalendar_events(body)

    uid = f"wic2018-session-{program.fintech_panel.id}@wuzhen-events.example"
    assert from_ical_js[uid]["status"] == "CANCELLED"
    assert from_ical_js[uid]["sequence"] == 1
    assert from_ical_js[uid]["summary"] == (
        "Cancelled: Panel discussion · Fintech and Building a Credit Society"
    )
    assert from_icalendar[uid][2:] == ("CANCELLED", 1)
    other = f"wic2018-session-{program.fintech_open.id}@wuzhen-events.example"
    assert from_icalendar[other][2:] == ("CONFIRMED", 0)


def test_escaped_text_reads_back_exactly(client, program):
    body = client.get(f"/calendar/sessions/{program.fintech_open.id}.ics").data

    unfolded = body.replace(b"\r\n ", b"")
    assert b"Credit\\, trust\\; and data.\\nSecond line: a\\\\b path." in unfolded
    [event] = parse_with_ical_js(body)["events"]
    assert event["description"].startswith(TRICKY_ABSTRACT + "\n\n")
    assert event["location"] == "Longfeng Hall, Zhenshui Hotel; Xizha"
    [parsed] = parse_with_icalendar(body).walk("VEVENT")
    assert str(parsed["DESCRIPTION"]).startswith(TRICKY_ABSTRACT + "\n\n")


def test_chinese_feed_names_and_text(client, program):
    body = client.get("/calendar/days/2018-11-07.ics?lang=zh").data

    parsed = parse_with_ical_js(body)

    assert parsed["name"] == "2018世界互联网大会 · 2018年11月7日星期三"
    assert [event["summary"] for event in parsed["events"]] == [
        "开幕式",
        "新品发布：AI合成主播（搜狗）",
    ]
    assert parsed["events"][0]["location"] == "乌镇厅, 乌镇互联网国际会展中心"
    assert str(parse_with_icalendar(body)["X-WR-CALNAME"]) == parsed["name"]


def test_a_feed_answers_head_without_a_body(client, program):
    response = client.head("/calendar/wic2018.ics")

    assert response.status_code == 200
    assert response.data == b""
    assert ETAG.fullmatch(response.headers["ETag"])


# (url of the feed, change to a session it holds, a feed that does not hold that session)
CHANGES = {
    "program": (
        lambda p: program_services.reschedule_session(
            p.fintech_panel, **later(p.fintech_panel), actor=OPERATOR
        ),
        "/calendar/subforums/online-culture.ics",
    ),
    "day": (
        lambda p: program_services.reschedule_session(
            p.fintech_panel, **later(p.fintech_panel), actor=OPERATOR
        ),
        "/calendar/days/2018-11-09.ics",
    ),
    "subforum": (
        lambda p: program_services.cancel_session(p.fintech_open, actor=OPERATOR),
        "/calendar/subforums/online-culture.ics",
    ),
    "session": (
        lambda p: program_services.cancel_session(p.fintech_panel, actor=OPERATOR),
        "/calendar/sessions/{fintech_open}.ics",
    ),
    "personal": (
        lambda p: program_services.cancel_session(p.fintech_open, actor=OPERATOR),
        "/calendar/days/2018-11-07.ics",
    ),
}


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_conditional_get(client, program, delegate, kind):
    url = feed_urls(program, delegate[1])[kind]
    change, other_url = CHANGES[kind]
    other_url = other_url.format(fintech_open=program.fintech_open.id)
    first = client.get(url)
    other = client.get(other_url)
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]

    for headers in (
        {"If-None-Match": etag},
        {"If-None-Match": f"W/{etag}"},
        {"If-None-Match": f'"something-else", {etag}'},
        {"If-None-Match": "*"},
        {"If-Modified-Since": last_modified},
        {"If-None-Match": etag, "If-Modified-Since": "Thu, 01 Jan 2015 00:00:00 GMT"},
    ):
        unchanged = client.get(url, headers=headers)
        assert unchanged.status_code == 304, headers
        assert unchanged.data == b""
        assert unchanged.headers["ETag"] == etag
    # If-None-Match decides when present, even against a current If-Modified-Since.
    assert (
        client.get(
            url, headers={"If-None-Match": '"stale"', "If-Modified-Since": last_modified}
        ).status_code
        == 200
    )

    change(program)
    after = client.get(url, headers={"If-None-Match": etag, "If-Modified-Since": last_modified})
    untouched = client.get(other_url, headers={"If-None-Match": other.headers["ETag"]})

    assert first.status_code == 200
    assert after.status_code == 200
    assert after.headers["ETag"] != etag
    assert after.data != first.data
    assert untouched.status_code == 304


GZIP = {"Accept-Encoding": "gzip, deflate, br"}  # what Apple Calendar and Thunderbird send


def gzip_etag(etag: str) -> str:
    return etag[:-1] + '-gzip"'


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_a_client_that_accepts_gzip_gets_the_same_feed_compressed(client, program, delegate, kind):
    url = feed_urls(program, delegate[1])[kind]
    plain = client.get(url)

    compressed = client.get(url, headers=GZIP)

    assert compressed.status_code == 200
    assert gzip.decompress(compressed.data) == plain.data
    assert len(compressed.data) < len(plain.data)
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert compressed.headers["Content-Length"] == str(len(compressed.data))
    assert compressed.headers["ETag"] == gzip_etag(plain.headers["ETag"])
    assert compressed.headers["Last-Modified"] == plain.headers["Last-Modified"]
    assert compressed.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Encoding" not in plain.headers
    assert plain.headers["Vary"] == compressed.headers["Vary"] == "Accept-Encoding"


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_conditional_get_of_the_gzipped_feed(client, program, delegate, kind):
    url = feed_urls(program, delegate[1])[kind]
    change, _ = CHANGES[kind]
    plain_etag = client.get(url).headers["ETag"]
    etag = client.get(url, headers=GZIP).headers["ETag"]

    def get(**headers):
        return client.get(url, headers={**GZIP, **headers})

    not_modified = get(**{"If-None-Match": etag})
    assert (not_modified.status_code, not_modified.data) == (304, b"")
    assert not_modified.headers["ETag"] == etag
    assert not_modified.headers["Vary"] == "Accept-Encoding"
    assert get(**{"If-None-Match": f"W/{etag}"}).status_code == 304
    assert get(**{"If-None-Match": "*"}).status_code == 304
    # The plain ETag names other bytes: a client now asking for gzip gets them in full.
    assert get(**{"If-None-Match": plain_etag}).status_code == 200
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200

    change(program)
    changed = get(**{"If-None-Match": etag})

    assert changed.status_code == 200
    assert changed.headers["ETag"] not in {etag, plain_etag}
    assert changed.headers["ETag"].endswith('-gzip"')
    assert gzip.decompress(changed.data) == client.get(url).data


def test_a_gzipped_head_answers_the_compressed_length(client, program):
    compressed = client.get("/calendar/wic2018.ics", headers=GZIP)

    head = client.head("/calendar/wic2018.ics", headers=GZIP)

    assert (head.status_code, head.data) == (200, b"")
    assert head.headers["Content-Length"] == str(len(compressed.data))
    assert head.headers["ETag"] == compressed.headers["ETag"]


def test_a_warm_gzipped_feed_runs_only_the_version_query(client, program, query_counter):
    client.get("/calendar/wic2018.ics", headers=GZIP)

    with query_counter(db.engine) as warm:
        response = client.get("/calendar/wic2018.ics", headers=GZIP)

    assert (response.status_code, warm.count) == (200, 1)


def test_a_changed_session_is_served_fresh_not_from_the_cache(client, program):
    before = client.get("/calendar/wic2018.ics")

    program_services.reschedule_session(
        program.opening, **later(program.opening, 60), actor=OPERATOR
    )
    after = client.get("/calendar/wic2018.ics")

    uid = f"wic2018-session-{program.opening.id}@wuzhen-events.example"
    assert ical_js_events(before.data)[uid][0] == datetime(2018, 11, 7, 2, 30, tzinfo=UTC)
    assert ical_js_events(after.data)[uid][:2] == (
        datetime(2018, 11, 7, 3, 30, tzinfo=UTC),
        datetime(2018, 11, 7, 4, 30, tzinfo=UTC),
    )
    assert ical_js_events(after.data)[uid][3] == 1


def test_links_in_feeds_follow_public_base_url(app, client, program):
    app.config["PUBLIC_BASE_URL"] = "https://wic.example"

    body = client.get(f"/calendar/sessions/{program.opening.id}.ics").data

    [event] = parse_with_ical_js(body)["events"]
    assert event["url"] == f"https://wic.example/sessions/{program.opening.id}/"


# --- the calendar page and "Add to calendar" ---------------------------------------------------


def test_calendar_page_lists_every_feed_with_subscribe_and_download_links(client, program):
    page = unescape(client.get("/calendar/").get_data(as_text=True))

    for path in (
        "/calendar/wic2018.ics",
        "/calendar/days/2018-11-06.ics",
        "/calendar/days/2018-11-10.ics",
        "/calendar/subforums/fintech-credit.ics",
        "/calendar/subforums/online-culture.ics",
    ):
        assert f'href="webcal://localhost{path}"' in page
        assert f'href="http://localhost{path}"' in page
    assert 'href="webcal://localhost/calendar/wic2018.ics?lang=zh"' in page
    assert page.count("https://calendar.google.com/calendar/render?action=TEMPLATE") == 4
    assert f'href="http://localhost/calendar/sessions/{program.hidden.id}.ics"' not in page
    for client_name in ("Apple Calendar", "Outlook", "Thunderbird", "Google Calendar"):
        assert f"<dt>{client_name}</dt>" in page
    assert '<a href="/calendar/" aria-current="page">Calendar</a>' in page


def test_calendar_page_in_chinese_offers_chinese_feeds(client, program):
    client.get("/language/zh?next=/calendar/")

    page = unescape(client.get("/calendar/").get_data(as_text=True))

    assert 'href="webcal://localhost/calendar/wic2018.ics?lang=zh"' in page
    assert 'href="webcal://localhost/calendar/subforums/fintech-credit.ics?lang=zh"' in page
    assert 'href="webcal://localhost/calendar/wic2018.ics"' in page  # the English one
    assert "text=%E5%BC%80%E5%B9%95%E5%BC%8F" in page  # 开幕式 in the Google link


def test_session_page_offers_add_to_calendar(client, program):
    session = program.fintech_panel

    page = unescape(client.get(f"/sessions/{session.id}/").get_data(as_text=True))

    assert f'href="http://localhost/calendar/sessions/{session.id}.ics"' in page
    assert (
        'href="https://calendar.google.com/calendar/render?action=TEMPLATE'
        "&text=Panel%20discussion%20%C2%B7%20Fintech%20and%20Building%20a%20Credit%20Society"
        "&dates=20181108T015000Z/20181108T033000Z" in page
    )
    assert 'href="webcal://localhost/calendar/subforums/fintech-credit.ics"' in page
    assert "Subscribe to every session of Fintech and Building a Credit Society" in page


def test_session_page_without_subforum_offers_no_subscription(client, program):
    page = client.get(f"/sessions/{program.opening.id}/").get_data(as_text=True)

    assert f"/calendar/sessions/{program.opening.id}.ics" in page
    assert "webcal://" not in page


@pytest.mark.parametrize("extra", [0, 25], ids=["small", "bigger"])
def test_calendar_page_takes_the_same_queries_whatever_the_program(
    client, program, query_counter, extra
):
    add_sessions(program, extra)
    db.session.expire_all()

    with query_counter(db.engine) as log:
        response = client.get("/calendar/")

    assert response.status_code == 200
    # conference, sessions with venues and subforums, topics, speakers, subforum choices
    assert log.count == 5


# --- CALENDAR_VERSION_TTL: answers from memory between version checks ---------------------------


def test_within_the_ttl_a_public_feed_runs_no_query(client, program, ttl_clock, query_counter):
    first = client.get("/calendar/wic2018.ics")
    ttl_clock.now += 4.9

    with query_counter(db.engine) as log:
        again = client.get("/calendar/wic2018.ics")
        unchanged = client.get(
            "/calendar/wic2018.ics", headers={"If-None-Match": first.headers["ETag"]}
        )
        dated = client.get(
            "/calendar/wic2018.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]}
        )

    assert log.count == 0
    assert again.status_code == 200
    assert again.data == first.data
    assert dict(again.headers) == dict(first.headers)
    assert unchanged.status_code == 304
    assert unchanged.headers["ETag"] == first.headers["ETag"]
    assert dated.status_code == 304


def test_a_change_is_served_once_the_ttl_has_passed(client, program, ttl_clock, query_counter):
    first = client.get("/calendar/wic2018.ics")
    other = client.get("/calendar/subforums/online-culture.ics")
    program_services.reschedule_session(
        program.fintech_panel, **later(program.fintech_panel), actor=OPERATOR
    )

    ttl_clock.now += 4.9  # within the bound, the previous check stands
    assert client.get("/calendar/wic2018.ics").headers["ETag"] == first.headers["ETag"]

    ttl_clock.now += 0.2
    with query_counter(db.engine) as log:
        after = client.get(
            "/calendar/wic2018.ics", headers={"If-None-Match": first.headers["ETag"]}
        )
    untouched = client.get(
        "/calendar/subforums/online-culture.ics", headers={"If-None-Match": other.headers["ETag"]}
    )

    assert log.count >= 1
    assert after.status_code == 200
    assert after.headers["ETag"] != first.headers["ETag"]
    uid = f"wic2018-session-{program.fintech_panel.id}@wuzhen-events.example"
    assert icalendar_events(after.data)[uid][3] == 1
    assert untouched.status_code == 304


def test_each_language_and_host_is_checked_on_its_own(client, program, ttl_clock):
    english = client.get("/calendar/wic2018.ics")
    chinese = client.get("/calendar/wic2018.ics?lang=zh")
    elsewhere = client.get("/calendar/wic2018.ics", base_url="http://127.0.0.1:8000")

    assert len({english.headers["ETag"], chinese.headers["ETag"], elsewhere.headers["ETag"]}) == 3
    assert b"http://127.0.0.1:8000/sessions/" in elsewhere.data
    assert client.get("/calendar/wic2018.ics?lang=zh").data == chinese.data


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/wic2018.ics",
        "/calendar/days/2018-11-08.ics",
        "/calendar/subforums/online-culture.ics",
    ],
    ids=["program", "day", "subforum"],
)
def test_a_foreign_host_is_refused_before_the_feed_cache(
    client, program, ttl_clock, query_counter, path
):
    """Each new Host value used to build and keep a feed of its own: a cheap way to load the
    server (and links to another site in the feed)."""
    client.get(path)
    cached = len(export_cache())

    with query_counter(db.engine) as log:
        statuses = [
            client.get(path, headers={"Host": f"t{number}.evil.example"}).status_code
            for number in range(3)
        ]

    assert statuses == [400, 400, 400]
    assert (len(export_cache()), log.count) == (cached, 0)


def test_a_personal_feed_is_checked_on_every_request(
    client, program, delegate, ttl_clock, query_counter
):
    url = f"/calendar/me/{delegate[1]}.ics"
    first = client.get(url)

    with query_counter(db.engine) as log:
        unchanged = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    registration.renew_feed_token(delegate[0], actor=OPERATOR)

    assert log.count >= 2  # the delegate, then the version
    assert unchanged.status_code == 304
    assert client.get(url).status_code == 404


def test_clearing_the_cache_forgets_the_checks(client, program, ttl_clock, query_counter):
    client.get("/calendar/wic2018.ics")
    export_cache().clear()

    with query_counter(db.engine) as log:
        response = client.get("/calendar/wic2018.ics")

    assert response.status_code == 200
    assert log.count == 5


def test_a_held_seat_is_tentative_until_the_address_is_confirmed(client, program):
    details = registration.DelegateDetails(
        name="Ada Lovelace",
        email="ada@example.org",
        organisation="Analytical Engines Ltd",
        country="GB",
        category=registration.DelegateCategory.EXPERT,
    )
    delegate = registration.register_delegate(
        program.conference, details, subforums=[program.fintech], actor=OPERATOR
    ).delegate
    token = tokens.derive(tokens.Secret.FEED, delegate.feed_seed)
    export_cache().clear()

    held = client.get(f"/calendar/me/{token}.ics")
    registration.verify_email(delegate, actor=OPERATOR)
    export_cache().clear()
    confirmed = client.get(f"/calendar/me/{token}.ics")

    def statuses(body: bytes) -> list[str]:
        return [status for _start, _end, status, _sequence in icalendar_events(body).values()]

    assert statuses(held.data) == ["TENTATIVE", "TENTATIVE"]
    assert statuses(confirmed.data) == ["CONFIRMED", "CONFIRMED"]
    assert ical_js_events(held.data) == icalendar_events(held.data)  # Thunderbird reads the same
    assert held.headers["ETag"] != confirmed.headers["ETag"]
