"""What each feed holds, the events sessions and launches become, and the version query."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import OPERATOR, reload, utc
from tests.helpers.registration import register_delegate
from tests.worlds import add_sessions, later
from wuzhen_events.calendar import feeds
from wuzhen_events.extensions import db
from wuzhen_events.ical import CalendarEvent
from wuzhen_events.program import services as program_services
from wuzhen_events.program.calendar_events import session_event
from wuzhen_events.registration import services as registration
from wuzhen_events.registration.models import Bookmark

BASE = "https://wuzhen.example"


@pytest.fixture
def base_url(app):
    app.config["PUBLIC_BASE_URL"] = BASE


def test_session_event_in_english(program, base_url):
    opening = program.opening

    event = session_event(opening)

    speakers = [role.speaker for role in opening.speaker_roles]
    assert event == CalendarEvent(
        uid=f"wic2018-session-{opening.id}@wuzhen-events.example",
        summary="Opening ceremony",
        description=(
            "The conference opens.\n\n"
            "Speakers:\n"
            "- Pony Ma (Speaker), Chairman and CEO, Tencent\n"
            "- Yang Rui (Host)\n\n"
            f"{BASE}/sessions/{opening.id}/"
        ),
        location="Wuzhen Hall, Wuzhen Internet International Convention and Exhibition Center",
        url=f"{BASE}/sessions/{opening.id}/",
        categories=("Artificial intelligence",),
        starts_at=utc(7, 2, 30),
        ends_at=utc(7, 3, 30),
        status="CONFIRMED",
        sequence=0,
        last_modified=max(opening.updated_at, *(speaker.updated_at for speaker in speakers)),
    )


def test_session_event_in_chinese_uses_chinese_fields_and_labels(program, base_url):
    event = session_event(program.opening, locale="zh")

    assert event.summary == "开幕式"
    assert event.description == (
        "大会开幕。\n\n"
        "演讲嘉宾:\n"
        "- 马化腾 (演讲嘉宾), 董事会主席兼首席执行官, 腾讯\n"
        "- 杨锐 (主持人)\n\n"
        f"{BASE}/sessions/{program.opening.id}/"
    )
    assert event.location == "乌镇厅, 乌镇互联网国际会展中心"
    assert event.categories == ("人工智能",)


def test_subforum_session_event_lists_subforum_then_topics(program, base_url):
    session = program.fintech_open

    event = session_event(session)

    assert event.categories == (
        "Fintech and Building a Credit Society",
        "Artificial intelligence",
        "Fintech",
    )
    assert event.location == "Longfeng Hall, Zhenshui Hotel; Xizha"
    assert event.description == (
        "Credit, trust; and data.\nSecond line: a\\b path.\n\n"
        "Subforum: Fintech and Building a Credit Society\n\n"
        f"{BASE}/sessions/{session.id}/"
    )


def test_subforum_session_title_names_its_subforum(program, base_url):
    english = session_event(program.fintech_open)
    chinese = session_event(program.fintech_open, locale="zh")

    assert english.summary == "Opening and keynote speeches · Fintech and Building a Credit Society"
    assert chinese.summary == "开幕及主旨演讲 · 金融科技与信用社会建设"


def test_a_title_that_already_names_its_subforum_is_kept(program, base_url):
    session = program_services.schedule_session(
        program.conference,
        kind=program.fintech_open.kind,
        title="Fintech and Building a Credit Society: closing remarks",
        starts_at=utc(8, 5),
        ends_at=utc(8, 6),
        subforum=program.fintech,
        actor=OPERATOR,
    )

    assert session_event(session).summary == (
        "Fintech and Building a Credit Society: closing remarks"
    )


def test_a_cancelled_session_says_so_and_counts_a_change(program, base_url):
    program_services.cancel_session(program.fintech_panel, actor=OPERATOR)

    event = session_event(reload(program.fintech_panel))

    assert event.summary == "Cancelled: Panel discussion · Fintech and Building a Credit Society"
    assert event.status == "CANCELLED"
    assert event.sequence == 1
    assert event.description.startswith("This session has been cancelled.\n\n")


def test_categories_never_carry_list_separators(program, base_url):
    privacy = program_services.create_topic(
        slug="privacy", name="Privacy, data; trust", actor=OPERATOR
    )
    session = program_services.schedule_session(
        program.conference,
        kind=program.opening.kind,
        title="Privacy talk",
        starts_at=utc(9, 6),
        ends_at=utc(9, 7),
        topics=[privacy],
        actor=OPERATOR,
    )

    assert session_event(session).categories == ("Privacy / data / trust",)


def test_launch_event(program, base_url):
    launch = program.launch

    event = feeds.launch_event(launch)

    assert event == CalendarEvent(
        uid=f"wic2018-launch-{launch.id}@wuzhen-events.example",
        summary="Launch: AI news anchor (Sogou)",
        description=f"Synthetic news anchors.\n\nSogou · Hall 1, booth A101\n\n{BASE}/expo/sogou/",
        location="Launch Stage A, Hall 1",
        url=f"{BASE}/expo/sogou/",
        categories=("Product launches", "Artificial intelligence"),
        starts_at=utc(7, 6),
        ends_at=utc(7, 6, 30),
        status="CONFIRMED",
        sequence=0,
        last_modified=max(launch.updated_at, program.exhibitor.updated_at),
    )


def test_launch_event_in_chinese(program, base_url):
    event = feeds.launch_event(program.launch, locale="zh")

    assert event.summary == "新品发布：AI合成主播（搜狗）"
    assert event.location == "发布台A, 1号馆"
    assert event.categories == ("新品发布", "人工智能")


def test_uids_use_the_configured_host_never_the_request_host(app, program):
    app.config["CALENDAR_UID_HOST"] = "calendar.wic.example"

    with app.test_request_context(base_url="https://elsewhere.example"):
        event = session_event(program.opening)

    assert event.uid == f"wic2018-session-{program.opening.id}@calendar.wic.example"
    assert event.url == f"https://elsewhere.example/sessions/{program.opening.id}/"


def test_google_calendar_url(program, base_url):
    event = session_event(program.fintech_panel)

    assert feeds.google_calendar_url(event) == (
        "https://calendar.google.com/calendar/render?action=TEMPLATE"
        "&text=Panel%20discussion%20%C2%B7%20Fintech%20and%20Building%20a%20Credit%20Society"
        "&dates=20181108T015000Z/20181108T033000Z"
        "&details=Subforum%3A%20Fintech%20and%20Building%20a%20Credit%20Society%0A%0A"
        f"https%3A//wuzhen.example/sessions/{program.fintech_panel.id}/"
        "&location=Longfeng%20Hall%2C%20Zhenshui%20Hotel%3B%20Xizha"
        "&ctz=Asia/Shanghai"
    )


def test_delegate_sessions_are_confirmed_seats_and_stars_once_each_in_time_order(program):
    delegate, _ = register_delegate(program.conference, "ada@example.org", program.fintech)
    registration.star_session(delegate, program.culture_open, actor=OPERATOR)
    registration.star_session(
        delegate, program.fintech_panel, actor=OPERATOR
    )  # already held through the seat
    registration.star_session(delegate, program.opening, actor=OPERATOR)

    sessions = feeds.delegate_sessions(delegate)

    assert [session.id for session in sessions] == [
        program.opening.id,
        program.fintech_open.id,
        program.fintech_panel.id,
        program.culture_open.id,
    ]


def test_delegate_sessions_leave_out_waitlisted_seats(program):
    small = program_services.create_subforum(
        program.conference, slug="small", title="Small room", capacity=1, actor=OPERATOR
    )
    session = program_services.schedule_session(
        program.conference,
        kind=program.opening.kind,
        title="Small talk",
        starts_at=utc(9, 6),
        ends_at=utc(9, 7),
        subforum=small,
        actor=OPERATOR,
    )
    first, _ = register_delegate(program.conference, "first@example.org", small)
    second, _ = register_delegate(program.conference, "second@example.org", small)

    assert [s.id for s in feeds.delegate_sessions(first)] == [session.id]
    assert feeds.delegate_sessions(second) == []


# --- which feeds hold what, and when their versions change ---------------------------------------


def event_uids(feed, locale="en") -> list[str]:
    return [event.uid for event in feeds.feed_events(feed, locale=locale)]


def test_each_feed_holds_exactly_its_public_sessions(program):
    def uid(row, kind="session"):
        return f"wic2018-{kind}-{row.id}@wuzhen-events.example"

    assert event_uids(feeds.program_feed()) == [
        uid(program.opening),
        uid(program.fintech_open),
        uid(program.fintech_panel),
        uid(program.culture_open),
        uid(program.launch, "launch"),
    ]
    assert event_uids(feeds.day_feed("2018-11-07")) == [
        uid(program.opening),
        uid(program.launch, "launch"),
    ]
    assert event_uids(feeds.day_feed("2018-11-08")) == [
        uid(program.fintech_open),
        uid(program.fintech_panel),
    ]
    assert event_uids(feeds.day_feed("2018-11-06")) == []
    assert event_uids(feeds.subforum_feed("fintech-credit")) == [
        uid(program.fintech_open),
        uid(program.fintech_panel),
    ]
    assert event_uids(feeds.session_feed(program.culture_open.id)) == [uid(program.culture_open)]


@pytest.mark.parametrize(
    ("resolve", "value"),
    [
        (feeds.day_feed, "2018-11-05"),
        (feeds.day_feed, "2018-11-11"),
        (feeds.day_feed, "2018-02-30"),
        (feeds.day_feed, "20181108"),
        (feeds.day_feed, "banana"),
        (feeds.subforum_feed, "no-such-subforum"),
        (feeds.subforum_feed, "Fintech-Credit"),
        (feeds.subforum_feed, "nul\x00"),
        (feeds.personal_feed, "a" * 43),
        (feeds.personal_feed, "short"),
    ],
    ids=[
        "before-the-expo",
        "after-the-expo",
        "impossible-date",
        "basic-iso-form",
        "not-a-date",
        "unknown-slug",
        "capitals",
        "nul",
        "unknown-token",
        "malformed-token",
    ],
)
def test_feeds_that_do_not_exist_resolve_to_none(program, resolve, value):
    assert resolve(value) is None


def test_a_hidden_session_has_no_feed(program):
    assert feeds.session_feed(program.hidden.id) is None


def versions() -> dict[str, tuple]:
    scopes = {
        "program": feeds.program_feed(),
        "7 Nov": feeds.day_feed("2018-11-07"),
        "8 Nov": feeds.day_feed("2018-11-08"),
        "9 Nov": feeds.day_feed("2018-11-09"),
        "fintech": feeds.subforum_feed("fintech-credit"),
        "culture": feeds.subforum_feed("online-culture"),
    }
    return {name: feeds.feed_version(feed).fingerprint for name, feed in scopes.items()}


def changed(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def test_rescheduling_a_session_changes_only_the_feeds_holding_it(program):
    before = versions()

    program_services.reschedule_session(
        program.fintech_panel, **later(program.fintech_panel), actor=OPERATOR
    )

    assert changed(before, versions()) == ["program", "8 Nov", "fintech"]


def test_moving_a_session_to_another_day_changes_both_days(program):
    before = versions()

    program_services.reschedule_session(
        program.culture_open, starts_at=utc(8, 6), ends_at=utc(8, 7), actor=OPERATOR
    )

    assert changed(before, versions()) == ["program", "8 Nov", "9 Nov", "culture"]


def test_a_seat_booking_changes_no_public_feed(program):
    before = versions()

    register_delegate(program.conference, "ada@example.org", program.fintech)

    assert changed(before, versions()) == []


def test_the_personal_feed_version_follows_seats_and_stars(program):
    delegate, token = register_delegate(program.conference, "ada@example.org", program.fintech)

    def version():
        db.session.expire_all()
        return feeds.feed_version(feeds.personal_feed(token)).fingerprint

    seated = version()
    registration.star_session(delegate, program.opening, actor=OPERATOR)
    starred = version()
    registration.unstar_session(delegate, program.opening, actor=OPERATOR)
    unstarred = version()

    assert starred != seated
    # A removal leaves no row to date it, so the delegate row's updated_at moves instead: the
    # version changes again and clients that only send If-Modified-Since refetch too.
    assert unstarred not in (seated, starred)


def test_a_removal_moves_the_personal_feeds_last_modified(program):
    delegate, token = register_delegate(program.conference, "ada@example.org", program.fintech)
    registration.star_session(delegate, program.opening, actor=OPERATOR)
    before = feeds.feed_version(feeds.personal_feed(token)).last_modified

    registration.unstar_session(delegate, program.opening, actor=OPERATOR)
    db.session.expire_all()

    assert feeds.feed_version(feeds.personal_feed(token)).last_modified > before


def test_personal_last_modified_follows_a_new_star(program):
    delegate, token = register_delegate(program.conference, "ada@example.org", program.fintech)
    registration.star_session(delegate, program.opening, actor=OPERATOR)

    version = feeds.feed_version(feeds.personal_feed(token))

    star = db.session.scalar(sa.select(Bookmark).where(Bookmark.delegate_id == delegate.id))
    assert version.last_modified == star.created_at


def test_last_modified_is_the_latest_change_to_the_program(program):
    program_services.cancel_session(program.culture_open, actor=OPERATOR)

    version = feeds.feed_version(feeds.subforum_feed("fintech-credit"))

    assert version.last_modified == reload(program.culture_open).updated_at


# --- query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 25], ids=["small", "bigger"])
def test_building_a_feed_takes_the_same_queries_whatever_its_size(program, query_counter, extra):
    add_sessions(program, extra)
    db.session.expire_all()
    feed = feeds.program_feed()

    with query_counter(db.engine) as log:
        feeds.build_feed(feed, locale="en")

    # sessions with venue and subforum, their topics, their speakers, the launches
    assert log.count == 4


def test_the_version_is_one_query(program, query_counter):
    feed = feeds.program_feed()

    with query_counter(db.engine) as log:
        feeds.feed_version(feed)

    assert log.count == 1
