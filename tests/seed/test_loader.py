"""The WIC 2018 demo: what it holds, that it is honest about its sources, and that loading it
twice, or into a half-loaded or a second database, gives exactly the same rows."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tests.helpers.apps import database_url, make_app
from wuzhen_events.db import Provenance
from wuzhen_events.expo.enums import Sector
from wuzhen_events.expo.models import Exhibitor, ProductLaunch
from wuzhen_events.extensions import db
from wuzhen_events.program.enums import SessionKind, SpeakerRole
from wuzhen_events.program.models import (
    Conference,
    ProgramSession,
    SessionSpeaker,
    Speaker,
    Subforum,
    Topic,
    Venue,
)
from wuzhen_events.seed.generated import build_demo_plan
from wuzhen_events.seed.loader import DEMO_SEED, load_demo_conference

WUZHEN = ZoneInfo("Asia/Shanghai")
SOURCED, INFERRED, DEMO = Provenance.SOURCED, Provenance.INFERRED, Provenance.DEMO
FULL_SUMMARY = (
    "Loaded the WIC 2018 demo: 1 conference, 11 venues, 21 topics, 60 speakers, 19 subforums,"
    " 48 sessions, 424 exhibitors, 151 launches, 20 doors (created 755 rows)."
)
NOTHING_CHANGED = "The WIC 2018 demo is already loaded; nothing changed."
PROVENANCE_MODELS = [Venue, Speaker, Subforum, ProgramSession, Exhibitor, ProductLaunch]


@pytest.fixture
def demo(demo_app):
    """The demo conference loaded once for the run; these tests only read it."""
    with demo_app.app_context():
        yield
        db.session.remove()


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def row_counts() -> dict[str, int]:
    models = [Conference, Venue, Topic, Speaker, Subforum, ProgramSession, SessionSpeaker]
    models += [Exhibitor, ProductLaunch]
    return {
        model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in models
    }


def dump() -> dict[str, list[tuple]]:
    """Every demo row by its natural key and content, without database ids."""
    sessions = db.session.scalars(
        sa.select(ProgramSession).options(
            selectinload(ProgramSession.subforum),
            selectinload(ProgramSession.venue),
            selectinload(ProgramSession.topics),
            selectinload(ProgramSession.speaker_roles).selectinload(SessionSpeaker.speaker),
        )
    )
    subforums = db.session.scalars(
        sa.select(Subforum).options(selectinload(Subforum.venue), selectinload(Subforum.topics))
    )
    launches = db.session.execute(
        sa.select(ProductLaunch, Exhibitor.slug).join(ProductLaunch.exhibitor)
    )
    return {
        "speakers": sorted(
            (s.slug, s.name, s.name_zh, s.title, s.affiliation, s.country, s.provenance)
            for s in db.session.scalars(sa.select(Speaker))
        ),
        "subforums": sorted(
            (f.slug, f.title, f.venue.slug, f.capacity, f.provenance, *[t.slug for t in f.topics])
            for f in subforums
        ),
        "sessions": sorted(
            (
                s.subforum.slug if s.subforum else "",
                s.title,
                s.starts_at,
                s.ends_at,
                s.venue.slug,
                s.kind,
                s.provenance,
                tuple(t.slug for t in s.topics),
                tuple((r.speaker.slug, r.role, r.position) for r in s.speaker_roles),
            )
            for s in sessions
        ),
        "exhibitors": sorted(
            (
                e.slug,
                e.company,
                e.company_zh,
                e.hall,
                e.booth,
                e.sector,
                e.country,
                e.website,
                e.provenance,
            )
            for e in db.session.scalars(sa.select(Exhibitor))
        ),
        "launches": sorted(
            (slug, launch.product, launch.starts_at, launch.ends_at, launch.stage)
            for launch, slug in launches
        ),
    }


def overlapping_pairs(slots: dict[str, list[tuple[datetime, datetime, str]]]) -> list[tuple]:
    """(place, a, b) for every two bookings of one place that overlap; touching is fine."""
    clashes = []
    for place, bookings in slots.items():
        for (start_a, end_a, a), (start_b, end_b, b) in itertools.combinations(bookings, 2):
            if start_a < end_b and start_b < end_a:
                clashes.append((place, a, b))
    return clashes


# --- what the demo holds --------------------------------------------------------------------


def test_demo_holds_exactly_the_planned_rows(demo):
    assert row_counts() == {
        "conferences": 1,
        "venues": 11,
        "topics": 21,
        "speakers": 60,
        "subforums": 19,
        "program_sessions": 48,
        "session_speakers": 120,
        "exhibitors": 424,
        "product_launches": 151,
    }


def test_conference_carries_the_sourced_facts(demo):
    conference = db.session.scalar(sa.select(Conference))

    assert (conference.slug, conference.name, conference.name_zh, conference.edition) == (
        "wic2018",
        "Fifth World Internet Conference",
        "第五届世界互联网大会",
        5,
    )
    assert conference.theme == (
        "Creating a Digital World for Mutual Trust and Collective Governance"
        " — Towards a Community with a Shared Future in Cyberspace"
    )
    assert conference.theme_zh == "创造互信共治的数字世界——携手共建网络空间命运共同体"
    assert (conference.city, conference.city_zh, conference.timezone) == (
        "Wuzhen, Tongxiang, Zhejiang",
        "浙江桐乡乌镇",
        "Asia/Shanghai",
    )
    assert (conference.venue_name, conference.venue_name_zh) == (
        "Wuzhen Internet International Convention and Exhibition Center",
        "乌镇互联网国际会展中心",
    )
    assert (conference.starts_on, conference.ends_on) == (date(2018, 11, 7), date(2018, 11, 9))
    assert (conference.expo_opens_at, conference.expo_closes_at) == (
        utc(2018, 11, 6, 1, 30),
        utc(2018, 11, 10, 4, 0),
    )
    assert (
        conference.invited_delegates,
        conference.countries_and_regions,
        conference.enterprises_confirmed,
    ) == (1500, 76, 447)
    assert conference.organisers == [
        "Cyberspace Administration of China",
        "People's Government of Zhejiang Province",
    ]


def test_subforums_are_eight_sourced_one_inferred_and_ten_demo(demo):
    rows = db.session.execute(
        sa.select(Subforum.provenance, sa.func.count()).group_by(Subforum.provenance)
    )

    assert dict(rows.all()) == {SOURCED: 8, INFERRED: 1, DEMO: 10}


# slug: (first session start, last session end, room), from the sourced schedule (S4).
SOURCED_SUBFORUMS = {
    "fintech-credit-society": (
        utc(2018, 11, 8, 0, 30),
        utc(2018, 11, 8, 3, 30),
        "zhenshui-longfeng",
    ),
    "civilizations-online-culture": (
        utc(2018, 11, 8, 0, 30),
        utc(2018, 11, 8, 3, 35),
        "wiicec-tongan-217",
    ),
    "public-welfare-poverty": (utc(2018, 11, 8, 0, 30), utc(2018, 11, 8, 4, 0), "wiicec-yudu-203"),
    "personal-information-protection": (
        utc(2018, 11, 8, 0, 45),
        utc(2018, 11, 8, 4, 10),
        "wiicec-ciyun-106",
    ),
    "foreseeing-the-internet-future": (
        utc(2018, 11, 8, 0, 45),
        utc(2018, 11, 8, 4, 0),
        "zhenshui-gongyin",
    ),
    "entrepreneurs-digital-economy": (
        utc(2018, 11, 8, 6, 30),
        utc(2018, 11, 8, 10, 30),
        "zhenshui-longfeng",
    ),
    "5g-era": (utc(2018, 11, 9, 0, 0), utc(2018, 11, 9, 2, 50), "wiicec-tongan-217"),
    "cybersecurity-forum": (
        utc(2018, 11, 9, 0, 30),
        utc(2018, 11, 9, 2, 30),
        "wiicec-longxing-208",
    ),
}


def test_sourced_subforums_keep_their_sourced_times_and_rooms(demo):
    subforums = db.session.scalars(
        sa.select(Subforum)
        .where(Subforum.provenance == SOURCED)
        .options(selectinload(Subforum.sessions), selectinload(Subforum.venue))
    )

    found = {
        subforum.slug: (
            subforum.sessions[0].starts_at,
            subforum.sessions[-1].ends_at,
            subforum.venue.slug,
        )
        for subforum in subforums
    }
    assert found == SOURCED_SUBFORUMS


def test_fintech_subforum_opens_at_half_past_eight_in_wuzhen(demo):
    first = db.session.scalars(
        sa.select(ProgramSession)
        .join(ProgramSession.subforum)
        .where(Subforum.slug == "fintech-credit-society")
        .order_by(ProgramSession.starts_at)
    ).first()

    assert (first.starts_at, first.starts_at.astimezone(WUZHEN).time()) == (
        utc(2018, 11, 8, 0, 30),
        time(8, 30),
    )
    assert (first.title, first.title_zh, first.provenance) == (
        "Opening and keynote speeches",
        "开幕及主旨演讲",
        INFERRED,
    )


def test_invented_subforums_sit_on_8_november_or_the_morning_of_9_november(demo):
    subforums = db.session.scalars(
        sa.select(Subforum)
        .where(Subforum.provenance != SOURCED)
        .options(selectinload(Subforum.sessions), selectinload(Subforum.venue))
        .order_by(Subforum.slug)
    )

    placed = {
        subforum.slug: (
            subforum.sessions[0].starts_at.astimezone(WUZHEN).strftime("%d %H:%M"),
            subforum.sessions[-1].ends_at.astimezone(WUZHEN).strftime("%d %H:%M"),
            subforum.venue.slug,
            subforum.provenance,
        )
        for subforum in subforums
    }
    assert placed == {
        "artificial-intelligence-forum": ("08 08:30", "08 12:00", "wiicec-longxing-208", DEMO),
        "blockchain-forum": ("09 08:30", "09 10:45", "zhenshui-gongyin", DEMO),
        "bridging-the-digital-divide": ("08 14:00", "08 17:30", "wiicec-yudu-203", DEMO),
        "countering-cyber-terrorism-forum": ("09 08:30", "09 10:30", "wiicec-ciyun-106", DEMO),
        "cross-border-e-commerce-forum": ("09 08:30", "09 10:45", "zhenshui-longfeng", DEMO),
        "digital-silk-road-forum": ("08 14:00", "08 17:30", "wiicec-tongan-217", DEMO),
        "industrial-internet-forum": ("08 14:00", "08 17:30", "zhenshui-gongyin", DEMO),
        "internet-of-things-forum": ("08 14:00", "08 17:30", "wiicec-longxing-208", DEMO),
        "internet-public-services-forum": ("09 08:30", "09 10:45", "wiicec-yudu-203", DEMO),
        "norms-in-cyberspace": ("08 14:00", "08 17:30", "wiicec-ciyun-106", INFERRED),
        "online-media-forum": ("08 14:00", "08 17:00", "wiicec-internet-theatre", DEMO),
    }


def test_each_subforum_has_an_opening_and_a_panel_with_its_topics(demo):
    subforums = db.session.scalars(
        sa.select(Subforum).options(
            selectinload(Subforum.venue),
            selectinload(Subforum.topics),
            selectinload(Subforum.sessions).selectinload(ProgramSession.topics),
            selectinload(Subforum.sessions).selectinload(ProgramSession.speaker_roles),
        )
    )

    for subforum in subforums:
        opening, panel = subforum.sessions
        assert (opening.kind, panel.kind) == (SessionKind.SUBFORUM_SESSION, SessionKind.PANEL)
        assert opening.ends_at == panel.starts_at
        assert opening.venue_id == panel.venue_id == subforum.venue_id
        assert opening.topics == panel.topics == subforum.topics
        assert 2 <= len(opening.speaker_roles) <= 4 and 2 <= len(panel.speaker_roles) <= 4
        panel_roles = [role.role for role in panel.speaker_roles]
        assert panel_roles[0] is SpeakerRole.MODERATOR
        assert panel_roles.count(SpeakerRole.MODERATOR) == 1
        assert 100 <= subforum.capacity <= min(400, subforum.venue.capacity)
        expected = INFERRED if subforum.provenance is not DEMO else DEMO
        assert (opening.provenance, panel.provenance) == (expected, expected)


def test_sourced_people_appear_only_where_the_facts_put_them(demo):
    rows = db.session.execute(
        sa.select(Speaker.slug, ProgramSession.title, SessionSpeaker.role)
        .join(SessionSpeaker.speaker)
        .join(SessionSpeaker.session)
        .where(Speaker.provenance != DEMO)
        .order_by(Speaker.slug)
    )

    assert [tuple(row) for row in rows] == [
        ("bruce-mcconnell", "Plenary dialogue: Wuzhen Talks – Retrospect and Prospect", "speaker"),
        ("clas-neumann", "Plenary dialogue: Wuzhen Talks – Retrospect and Prospect", "speaker"),
        ("ding-lei", "Plenary dialogue: Wuzhen Talks – Retrospect and Prospect", "speaker"),
        ("elliott-harris", "Closing ceremony", "speaker"),
        ("fadi-chehade", "Plenary dialogue: Wuzhen Talks – Retrospect and Prospect", "speaker"),
        ("huang-kunming", "Opening ceremony", "speaker"),
        ("jiang-tao", "Opening and keynote speeches", "speaker"),
        ("john-hoffman", "Opening and keynote speeches", "speaker"),
        ("neil-shen", "Plenary dialogue: Wuzhen Talks – Retrospect and Prospect", "speaker"),
        ("petru-bogdan-cojocaru", "Plenary session: keynote speeches", "speaker"),
        ("pony-ma", "Opening ceremony", "speaker"),
        ("qiu-xueqiang", "Opening and keynote speeches", "host"),
        ("shahzad-gul-aryobee", "Plenary session: keynote speeches", "speaker"),
        ("viviane-reding", "Closing ceremony", "speaker"),
        ("yang-rui", "Plenary dialogue: Wuzhen Talks – Retrospect and Prospect", "moderator"),
    ]


def test_ceremonies_keep_their_sourced_times_and_mark_guessed_ones(demo):
    rows = db.session.execute(
        sa.select(ProgramSession, Venue.slug)
        .join(ProgramSession.venue)
        .where(ProgramSession.subforum_id.is_(None))
        .order_by(ProgramSession.starts_at)
    )

    assert [
        (
            session.starts_at.astimezone(WUZHEN).strftime("%d %H:%M"),
            session.ends_at.astimezone(WUZHEN).strftime("%H:%M"),
            session.kind,
            venue,
            session.provenance,
        )
        for session, venue in rows
    ] == [
        ("06 09:30", "10:00", SessionKind.CEREMONY, "wiicec-lotus-pond-plaza", SOURCED),
        ("06 14:00", "15:00", SessionKind.PRESS_CONFERENCE, "wiicec-internet-theatre", INFERRED),
        ("07 10:30", "11:30", SessionKind.CEREMONY, "wiicec-wuzhen-hall", SOURCED),
        ("07 14:00", "15:00", SessionKind.PLENARY, "wiicec-wuzhen-hall", INFERRED),
        ("07 15:00", "16:00", SessionKind.PANEL, "wiicec-wuzhen-hall", INFERRED),
        ("07 16:30", "18:30", SessionKind.RELEASE, "wiicec-wuzhen-hall", SOURCED),
        ("07 19:00", "20:30", SessionKind.SOCIAL, "yunzhou-wuzhen-hall", SOURCED),
        ("08 10:00", "11:00", SessionKind.RELEASE, "wiicec-internet-theatre", INFERRED),
        ("08 19:30", "20:40", SessionKind.SOCIAL, "grand-theatre", SOURCED),
        ("09 11:00", "12:00", SessionKind.CEREMONY, "wiicec-wuzhen-hall", SOURCED),
    ]


def test_no_room_is_double_booked(demo):
    rooms = defaultdict(list)
    for session in db.session.scalars(sa.select(ProgramSession)):
        rooms[session.venue_id].append((session.starts_at, session.ends_at, session.title))

    assert overlapping_pairs(rooms) == []
    assert sum(len(bookings) for bookings in rooms.values()) == 48


def test_no_speaker_is_in_two_rooms_at_once(demo):
    diaries = defaultdict(list)
    rows = db.session.execute(
        sa.select(SessionSpeaker.speaker_id, ProgramSession).join(SessionSpeaker.session)
    )
    for speaker_id, session in rows:
        diaries[speaker_id].append((session.starts_at, session.ends_at, session.id))

    assert overlapping_pairs(diaries) == []


def test_no_launch_stage_is_double_booked(demo):
    stages = defaultdict(list)
    for launch in db.session.scalars(sa.select(ProductLaunch)):
        stages[launch.stage].append((launch.starts_at, launch.ends_at, launch.product))

    assert overlapping_pairs(stages) == []
    assert {stage: len(bookings) for stage, bookings in stages.items()} == {
        "Launch Stage A": 50,
        "Launch Stage B": 52,
        "Launch Stage C": 48,
        "Sogou booth": 1,
    }


def test_every_launch_is_inside_expo_hours(demo):
    conference = db.session.scalar(sa.select(Conference))
    launches = list(db.session.scalars(sa.select(ProductLaunch)))

    for launch in launches:
        start, end = launch.starts_at.astimezone(WUZHEN), launch.ends_at.astimezone(WUZHEN)
        assert conference.expo_opens_at <= launch.starts_at < launch.ends_at
        assert launch.ends_at <= conference.expo_closes_at
        assert start.date() == end.date()
        assert time(9, 0) <= start.time() and end.time() <= time(17, 30)
        assert 20 <= (end - start).total_seconds() / 60 <= 30
    first_day = [launch for launch in launches if launch.starts_at < utc(2018, 11, 6, 16, 0)]
    assert min(launch.starts_at for launch in first_day) == utc(2018, 11, 6, 2, 0)
    per_day = Counter(launch.starts_at.astimezone(WUZHEN).day for launch in launches)
    assert per_day == {6: 36, 7: 35, 8: 33, 9: 36, 10: 11}


def test_each_launch_belongs_to_a_different_exhibitor(demo):
    exhibitors = db.session.scalars(sa.select(ProductLaunch.exhibitor_id)).all()

    assert (len(exhibitors), len(set(exhibitors))) == (151, 151)


def test_the_sourced_launch_is_the_xinhua_sogou_ai_anchor(demo):
    launch, exhibitor = db.session.execute(
        sa.select(ProductLaunch, Exhibitor.slug)
        .join(ProductLaunch.exhibitor)
        .where(ProductLaunch.provenance != DEMO)
    ).one()

    assert (exhibitor, launch.product, launch.stage, launch.provenance) == (
        "sogou",
        "Xinhua–Sogou AI news anchors",
        "Sogou booth",
        SOURCED,
    )
    assert launch.starts_at.astimezone(WUZHEN).date() == date(2018, 11, 7)
    assert "Xinhua" in launch.source_note


def test_notable_exhibitors_are_sourced_or_inferred_as_the_facts_say(demo):
    rows = db.session.execute(
        sa.select(Exhibitor.slug, Exhibitor.provenance, Exhibitor.country)
        .where(Exhibitor.provenance != DEMO)
        .order_by(Exhibitor.slug)
    )

    assert [tuple(row) for row in rows] == [
        ("alipay-ant-financial", SOURCED, "CN"),
        ("baidu", SOURCED, "CN"),
        ("bmw", SOURCED, "DE"),
        ("china-mobile", SOURCED, "CN"),
        ("china-unicom", INFERRED, "CN"),
        ("ericsson", SOURCED, "SE"),
        ("huawei", SOURCED, "CN"),
        ("kaspersky", INFERRED, "RU"),
        ("ping-an-good-doctor", INFERRED, "CN"),
        ("qualcomm", SOURCED, "US"),
        ("sogou", SOURCED, "CN"),
        ("tongdun-technology", INFERRED, "CN"),
        ("xinhua-news-agency", SOURCED, "CN"),
    ]
    notes = db.session.scalars(sa.select(Exhibitor.source_note).where(Exhibitor.provenance != DEMO))
    assert all(note.endswith("hall and booth are demo placements") for note in notes)


def test_expo_spans_every_sector_twenty_six_countries_and_six_halls(demo):
    exhibitors = list(db.session.scalars(sa.select(Exhibitor)))

    assert {exhibitor.sector for exhibitor in exhibitors} == set(Sector)
    assert len({exhibitor.country for exhibitor in exhibitors}) == 26
    assert Counter(exhibitor.country for exhibitor in exhibitors)["CN"] == 325
    assert Counter(exhibitor.hall for exhibitor in exhibitors) == {
        "1": 76,
        "2": 77,
        "3": 79,
        "4": 69,
        "5": 61,
        "6": 62,
    }
    assert len({(exhibitor.hall, exhibitor.booth) for exhibitor in exhibitors}) == 424
    demo_sites = {exhibitor.website for exhibitor in exhibitors if exhibitor.is_demo}
    assert all(site == "" or site.endswith(".example") for site in demo_sites)


def test_every_row_says_honestly_where_it_comes_from(demo):
    for model in PROVENANCE_MODELS:
        for row in db.session.scalars(sa.select(model)):
            assert 0 < len(row.source_note) <= 500, (model.__name__, row.id)
            invented = row.source_note.startswith("demo: invented for this demonstration")
            assert invented == (row.provenance is DEMO), (model.__name__, row.id, row.source_note)


def test_demo_people_and_companies_say_they_are_fictional(demo):
    speakers = list(db.session.scalars(sa.select(Speaker)))
    exhibitors = list(db.session.scalars(sa.select(Exhibitor)))

    assert Counter(speaker.provenance for speaker in speakers) == {
        DEMO: 40,
        SOURCED: 17,
        INFERRED: 3,
    }
    for speaker in speakers:
        fictional = (
            speaker.bio == "Demo profile: a fictional speaker invented for this demonstration."
        )
        assert fictional == speaker.is_demo, speaker.slug
    for exhibitor in exhibitors:
        assert exhibitor.description.startswith("Demo exhibitor:") == exhibitor.is_demo


# --- loading again, completing, and determinism --------------------------------------------


def test_second_run_creates_nothing_and_says_so(app):
    first = load_demo_conference()
    before = row_counts()

    second = load_demo_conference()

    assert (first.summary(), first.created_rows) == (FULL_SUMMARY, 755)
    assert (second.summary(), second.created_rows) == (NOTHING_CHANGED, 0)
    assert row_counts() == before


def test_a_half_loaded_database_is_completed_not_duplicated(app):
    load_demo_conference()
    complete = dump()
    sessions = db.session.scalars(
        sa.select(ProgramSession).join(ProgramSession.subforum).where(Subforum.slug == "5g-era")
    ).all()
    launches = db.session.scalars(sa.select(ProductLaunch).order_by(ProductLaunch.id)).all()[-10:]
    idle = db.session.scalars(
        sa.select(Exhibitor).where(~Exhibitor.launches.any()).order_by(Exhibitor.id).limit(3)
    ).all()
    for row in [*sessions, *launches, *idle]:
        db.session.delete(row)
    db.session.commit()

    report = load_demo_conference()

    assert dict(report.created) == {"sessions": 2, "exhibitors": 3, "launches": 10}
    assert report.summary().endswith("(created 15 rows).")
    assert dump() == complete


@pytest.fixture
def second_database(tmp_path):
    """A second, empty database (a SQLite file, or its own PostgreSQL schema)."""
    twin = make_app(database_url("seedtwin", tmp_path))
    with twin.app_context():
        db.create_all()
        db.session.remove()
    yield twin
    with twin.app_context():
        db.engine.dispose()  # its schema is dropped at the end of the run, with the others


def test_same_seed_gives_the_same_rows_in_two_fresh_databases(app, second_database):
    load_demo_conference()
    here = dump()
    with second_database.app_context():
        load_demo_conference(seed=DEMO_SEED)
        there = dump()
        db.session.remove()

    assert there == here
    assert (len(here["exhibitors"]), len(here["launches"]), len(here["sessions"])) == (
        424,
        151,
        48,
    )


def test_plan_depends_on_the_seed_only_where_it_invents():
    plan, again, other = build_demo_plan(DEMO_SEED), build_demo_plan(DEMO_SEED), build_demo_plan(7)

    assert again == plan
    assert (other.subforums, other.venues, other.conference) == (
        plan.subforums,
        plan.venues,
        plan.conference,
    )
    assert [e.slug for e in other.exhibitors[:13]] == [e.slug for e in plan.exhibitors[:13]]
    assert [e.slug for e in other.exhibitors[13:]] != [e.slug for e in plan.exhibitors[13:]]


def test_seed_demo_command_reports_what_it_did(runner):
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])

    assert (first.exit_code, first.output) == (0, FULL_SUMMARY + "\n")
    assert (second.exit_code, second.output) == (0, NOTHING_CHANGED + "\n")


# --- Chinese content ------------------------------------------------------------------------


def test_every_row_has_a_chinese_source_note_that_says_the_same(demo):
    for model in PROVENANCE_MODELS:
        for row in db.session.scalars(sa.select(model)):
            assert 0 < len(row.source_note_zh) <= 500, (model.__name__, row.id)
            invented = row.source_note_zh.startswith("演示：为本演示虚构")
            assert invented == (row.provenance is DEMO), (model.__name__, row.id)


def test_every_shown_speaker_field_has_its_chinese(demo):
    missing = [
        (speaker.slug, field)
        for speaker in db.session.scalars(sa.select(Speaker))
        for field in ("name", "title", "affiliation", "bio")
        if getattr(speaker, field) and not getattr(speaker, f"{field}_zh")
    ]

    assert missing == []


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("viviane-reding", ("维维亚娜·雷丁", "议会议员、欧盟委员会前副主席", "卢森堡")),
        ("john-hoffman", ("洪曜庄", "首席执行官", "全球移动通信系统协会（GSMA）")),
        ("shahzad-gul-aryobee", ("沙赫扎德·古尔·阿里约比", "通信和信息技术部部长", "阿富汗政府")),
        ("jonas-brandtner", ("约纳斯·勃兰特纳", "合伙人", "奥尔德威克互联网研究学院")),
        ("tang-shiyao", ("唐诗瑶", "合伙人", "兰亭数据经济研究中心")),
    ],
    ids=["sourced", "sourced-org-in-english", "inferred", "demo-international", "demo-chinese"],
)
def test_speakers_carry_chinese_names_positions_and_organisations(demo, slug, expected):
    speaker = db.session.scalar(sa.select(Speaker).where(Speaker.slug == slug))

    assert (speaker.name_zh, speaker.title_zh, speaker.affiliation_zh) == expected


def test_subforum_hosts_have_chinese_names_in_the_same_order(demo):
    # PostgreSQL's json type has no equality operator, so the hosted ones are picked here.
    subforums = db.session.scalars(sa.select(Subforum).order_by(Subforum.slug))

    hosted = [
        (subforum.slug, subforum.host_organisations, subforum.host_organisations_zh)
        for subforum in subforums
        if subforum.host_organisations
    ]
    assert hosted == [
        (
            "norms-in-cyberspace",
            ["Shanghai Academy of Social Sciences", "Wuhan University"],
            ["上海社会科学院", "武汉大学"],
        ),
        (
            "personal-information-protection",
            [
                "Supreme People's Procuratorate",
                "China Federation of Internet Societies",
                "Zhejiang Provincial People's Procuratorate",
            ],
            ["最高人民检察院", "中国网络社会组织联合会", "浙江省人民检察院"],
        ),
    ]


def test_chinese_source_notes_cite_the_same_codes_in_chinese_punctuation(demo):
    opening = db.session.scalar(
        sa.select(ProgramSession).where(ProgramSession.title == "Opening ceremony")
    )
    keynote = db.session.scalars(
        sa.select(ProgramSession)
        .join(ProgramSession.subforum)
        .where(Subforum.slug == "fintech-credit-society")
        .order_by(ProgramSession.starts_at)
    ).first()
    sogou = db.session.scalar(sa.select(Exhibitor).where(Exhibitor.slug == "sogou"))

    assert (opening.source_note, opening.source_note_zh) == (
        "S4, S5, S6, S7, S13",
        "S4、S5、S6、S7、S13",
    )
    assert keynote.source_note_zh == (
        "S4：分论坛的时间和会场；分为两个环节为推断；没有来源的嘉宾为演示资料；"
        "S27：蒋韬在大会上发表主旨演讲；安排在此为推断"
    )
    assert sogou.source_note_zh == "S21；展馆和展位为演示安排"


def test_only_the_invitation_only_roundtable_is_restricted_to_invited_categories(demo):
    subforums = db.session.scalars(sa.select(Subforum).order_by(Subforum.slug))

    restricted = [(s.slug, s.restricted_to) for s in subforums if s.restricted_to]

    assert restricted == [("norms-in-cyberspace", ["government", "international_organisation"])]


def test_demo_has_the_main_entrance_and_a_door_per_subforum(demo):
    from wuzhen_events.checkin.enums import DoorKind
    from wuzhen_events.checkin.models import Door

    doors = db.session.scalars(sa.select(Door).order_by(Door.id)).all()
    subforum_ids = db.session.scalars(sa.select(Subforum.id).order_by(Subforum.id)).all()

    assert [(d.name, d.name_zh, d.kind) for d in doors[:1]] == [
        ("WIICEC main entrance", "会展中心主入口", DoorKind.MAIN_ENTRANCE)
    ]
    assert sorted(d.subforum_id for d in doors[1:]) == subforum_ids
    assert {d.kind for d in doors[1:]} == {DoorKind.SUBFORUM}
    assert len({d.name for d in doors}) == 20
    assert all(len(d.name) <= 120 and len(d.name_zh) <= 60 for d in doors)
