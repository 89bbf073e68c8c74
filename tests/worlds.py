"""The small conferences the tests read, built through the services with factories.OPERATOR.

There is one world per kind of test, because each asserts exact values of its own: feed bytes
and ETags (calendar), whole API answers (api), a directory's order (expo), Chinese pages
(i18n), seats and overlaps (registration), e-mails (mail), the home page (site), program pages
(program). The people, places and things they have in common are built by the shared pieces
at the top. A world is built in a fixed order, so its ids and factory numbers never move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from tests import factories
from tests.factories import OPERATOR, utc
from wuzhen_events.db import Provenance
from wuzhen_events.expo.enums import Sector
from wuzhen_events.expo.models import Exhibitor, ProductLaunch
from wuzhen_events.extensions import db
from wuzhen_events.program import services as program_services
from wuzhen_events.program.enums import SessionKind, SpeakerRole
from wuzhen_events.program.models import (
    Conference,
    ProgramSession,
    Speaker,
    Subforum,
    Topic,
    Venue,
)

# --- shared pieces -------------------------------------------------------------------------------


def wuzhen_hall(**fields) -> Venue:
    """The main hall, with its Chinese names; each world says where it stands and its size."""
    names = {"building_zh": "乌镇互联网国际会展中心", "hall": "Wuzhen Hall", "hall_zh": "乌镇厅"}
    return factories.make_venue(**{**names, **fields})


def ai_topic() -> Topic:
    return factories.make_topic(slug="ai", name="Artificial intelligence", name_zh="人工智能")


def fintech_topic() -> Topic:
    return factories.make_topic(slug="fintech", name="Fintech", name_zh="金融科技")


def pony_ma(**fields) -> Speaker:
    """The speaker every world has; the Chinese title, organisation and country vary."""
    return factories.make_speaker(
        **{
            "slug": "pony-ma",
            "name": "Pony Ma",
            "name_zh": "马化腾",
            "title": "Chairman and CEO",
            "affiliation": "Tencent",
            **fields,
        }
    )


def yang_rui(**fields) -> Speaker:
    return factories.make_speaker(**{"slug": "yang-rui", "name": "Yang Rui", **fields})


def opening_ceremony(conference: Conference, **fields) -> ProgramSession:
    return factories.make_session(
        conference, **{"kind": SessionKind.CEREMONY, "title": "Opening ceremony", **fields}
    )


def sogou(conference: Conference, **fields) -> Exhibitor:
    return factories.make_exhibitor(
        conference,
        **{
            "slug": "sogou",
            "company": "Sogou",
            "company_zh": "搜狗",
            "hall": "1",
            "booth": "A101",
            **fields,
        },
    )


def ai_news_anchor(exhibitor: Exhibitor, conference: Conference, **fields) -> ProductLaunch:
    return factories.make_launch(
        exhibitor, conference, **{"product": "AI news anchor", "product_zh": "AI合成主播", **fields}
    )


def alibaba_cloud(conference: Conference, **fields) -> Exhibitor:
    return factories.make_exhibitor(
        conference,
        **{
            "slug": "alibaba-cloud",
            "company": "Alibaba Cloud",
            "company_zh": "阿里云",
            "sector": Sector.CLOUD_BIG_DATA,
            **fields,
        },
    )


def nokia(conference: Conference, **fields) -> Exhibitor:
    return factories.make_exhibitor(
        conference,
        **{
            "slug": "nokia",
            "company": "Nokia",
            "sector": Sector.TELECOM_5G,
            "country": "FI",
            **fields,
        },
    )


# --- calendar: the feeds' exact bytes ------------------------------------------------------------

# Text that calendar files must escape: commas, semicolons, backslashes and line breaks.
TRICKY_ABSTRACT = "Credit, trust; and data.\nSecond line: a\\b path."


@dataclass
class CalendarProgram:
    conference: Conference
    fintech: Subforum
    culture: Subforum
    opening: ProgramSession  # 7 Nov 10:30-11:30 Wuzhen, no subforum
    fintech_open: ProgramSession  # 8 Nov 08:30-09:45, fintech
    fintech_panel: ProgramSession  # 8 Nov 09:50-11:30, fintech
    culture_open: ProgramSession  # 9 Nov 08:30-10:00, culture
    hidden: ProgramSession  # 8 Nov, not public
    exhibitor: Exhibitor
    launch: ProductLaunch  # 7 Nov 14:00-14:30 Wuzhen


def calendar_program() -> CalendarProgram:
    """Four public sessions and a closed one over 7-9 November, two subforums, one launch.

    tests/calendar/test_golden.py pins every feed built from it to the byte.
    """
    conference = factories.make_conference()
    hall = wuzhen_hall(
        slug="wuzhen-hall",
        building="Wuzhen Internet International Convention and Exhibition Center",
        capacity=3000,
    )
    room = factories.make_venue(
        slug="longfeng-hall",
        building="Zhenshui Hotel; Xizha",
        hall="Longfeng Hall",
        hall_zh="龙凤厅",
        capacity=400,
    )
    ai = ai_topic()
    fintech_tag = fintech_topic()
    fintech = factories.make_subforum(
        conference,
        slug="fintech-credit",
        title="Fintech and Building a Credit Society",
        title_zh="金融科技与信用社会建设",
        venue=room,
        topics=[fintech_tag],
        capacity=200,
    )
    culture = factories.make_subforum(
        conference, slug="online-culture", title="Online Culture", venue=hall, capacity=300
    )
    pony = pony_ma(title_zh="董事会主席兼首席执行官", affiliation_zh="腾讯")
    yang = yang_rui(name_zh="杨锐")
    opening = opening_ceremony(
        conference,
        title_zh="开幕式",
        abstract="The conference opens.",
        abstract_zh="大会开幕。",
        starts_at=utc(7, 2, 30),
        ends_at=utc(7, 3, 30),
        venue=hall,
        topics=[ai],
        speakers=[(pony, SpeakerRole.SPEAKER), (yang, SpeakerRole.HOST)],
    )
    fintech_open = factories.make_session(
        conference,
        kind=SessionKind.SUBFORUM_SESSION,
        title="Opening and keynote speeches",
        title_zh="开幕及主旨演讲",
        abstract=TRICKY_ABSTRACT,
        starts_at=utc(8, 0, 30),
        ends_at=utc(8, 1, 45),
        venue=room,
        subforum=fintech,
        topics=[fintech_tag, ai],
    )
    fintech_panel = factories.make_session(
        conference,
        kind=SessionKind.PANEL,
        title="Panel discussion",
        starts_at=utc(8, 1, 50),
        ends_at=utc(8, 3, 30),
        venue=room,
        subforum=fintech,
    )
    culture_open = factories.make_session(
        conference,
        kind=SessionKind.SUBFORUM_SESSION,
        title="Civilizations online",
        starts_at=utc(9, 0, 30),
        ends_at=utc(9, 2),
        venue=hall,
        subforum=culture,
    )
    hidden = factories.make_session(
        conference, title="Closed-door meeting", starts_at=utc(8, 6), is_public=False
    )
    exhibitor = sogou(conference)
    launch = ai_news_anchor(
        exhibitor,
        conference,
        description="Synthetic news anchors.",
        stage="Launch Stage A",
        stage_zh="发布台A",
        starts_at=utc(7, 6),
    )
    return CalendarProgram(
        conference=conference,
        fintech=fintech,
        culture=culture,
        opening=opening,
        fintech_open=fintech_open,
        fintech_panel=fintech_panel,
        culture_open=culture_open,
        hidden=hidden,
        exhibitor=exhibitor,
        launch=launch,
    )


def add_sessions(program: CalendarProgram, count: int) -> None:
    """`count` more fintech sessions on 9 November, each with the opening's speaker and topic."""
    speaker = program.opening.speaker_roles[0].speaker
    for number in range(count):
        program_services.schedule_session(
            program.conference,
            kind=program.fintech_open.kind,
            title=f"Extra session {number}",
            starts_at=utc(9, 6),
            ends_at=utc(9, 7),
            venue=program.fintech.venue,
            subforum=program.fintech,
            topics=[program.opening.topics[0]],
            speakers=[(speaker, program.opening.speaker_roles[0].role)],
            actor=OPERATOR,
        )


def feed_urls(program: CalendarProgram, token: str) -> dict[str, str]:
    """One feed of each kind, the personal one of the delegate whose feed token is `token`."""
    return {
        "program": "/calendar/wic2018.ics",
        "day": "/calendar/days/2018-11-08.ics",
        "subforum": "/calendar/subforums/fintech-credit.ics",
        "session": f"/calendar/sessions/{program.fintech_panel.id}.ics",
        "personal": f"/calendar/me/{token}.ics",
    }


def later(session: ProgramSession, minutes: int = 30) -> dict:
    """Reschedule arguments that move a session later by `minutes`."""
    shift = timedelta(minutes=minutes)
    return {"starts_at": session.starts_at + shift, "ends_at": session.ends_at + shift}


# --- api: whole answers of the JSON API and the frab files --------------------------------------

# 1 November 2018, 12:00 in Wuzhen.
LAST_CHANGE = utc(1, 4)


@dataclass
class SmallProgram:
    conference: Conference
    venues: dict[str, Venue]
    topics: dict[str, Topic]
    subforums: dict[str, Subforum]
    speakers: dict[str, Speaker]
    sessions: dict[str, ProgramSession]
    exhibitors: dict[str, Exhibitor]
    launches: dict[str, ProductLaunch]


def small_program() -> SmallProgram:
    """Five sessions over 7-9 November (one cancelled, one private), two exhibitors launching.

    Every row's last change is LAST_CHANGE, so answers can be compared whole.
    """
    conference = factories.make_conference()
    venues = {
        "wuzhen": wuzhen_hall(
            slug="wiicec-wuzhen-hall", building="WIICEC", room_number="", capacity=3000
        ),
        "tongan": factories.make_venue(
            slug="wiicec-tongan-217",
            building="WIICEC",
            hall="Tong'an Hall",
            room_number="217",
            capacity=400,
            provenance=Provenance.INFERRED,
        ),
    }
    topics = {
        "ai": ai_topic(),
        "fintech": fintech_topic(),
        "unused": factories.make_topic(slug="unused", name="Unused"),
    }
    subforums = {
        "ai": factories.make_subforum(
            conference,
            slug="ai-forum",
            title="AI Forum",
            title_zh="人工智能论坛",
            description="Artificial intelligence.",
            capacity=100,
            venue=venues["tongan"],
            topics=[topics["ai"]],
            host_organisations=["Zhejiang University"],
            host_organisations_zh=["浙江大学"],
        ),
        "fintech": factories.make_subforum(
            conference,
            slug="fintech-forum",
            title="Fintech Forum",
            capacity=50,
            venue=venues["tongan"],
            provenance=Provenance.DEMO,
        ),
    }
    speakers = {
        "pony": pony_ma(affiliation_zh="腾讯", country="CN"),
        "ada": factories.make_speaker(
            slug="ada-li", name="Ada Li", affiliation="Example University", country="gb"
        ),
        "yang": yang_rui(),
    }
    make = factories.make_session
    sessions = {
        "opening": opening_ceremony(
            conference,
            title_zh="开幕式",
            abstract="The conference opens.",
            abstract_zh="大会开幕。",
            starts_at=utc(7, 2, 30),
            ends_at=utc(7, 3, 30),
            venue=venues["wuzhen"],
            speakers=[(speakers["pony"], SpeakerRole.SPEAKER)],
        ),
        "dinner": make(
            conference,
            kind=SessionKind.SOCIAL,
            title="Private dinner",
            starts_at=utc(7, 11),
            ends_at=utc(7, 13),
            venue=venues["wuzhen"],
            is_public=False,
        ),
        "keynotes": make(
            conference,
            kind=SessionKind.SUBFORUM_SESSION,
            title="AI keynotes",
            title_zh="人工智能主旨演讲",
            starts_at=utc(8, 0, 30),
            ends_at=utc(8, 2, 5),
            venue=venues["tongan"],
            subforum=subforums["ai"],
            speakers=[
                (speakers["ada"], SpeakerRole.SPEAKER),
                (speakers["yang"], SpeakerRole.MODERATOR),
            ],
            provenance=Provenance.DEMO,
            source_note="Invented for the demo.",
            source_note_zh="为本演示虚构。",
        ),
        "panel": make(
            conference,
            kind=SessionKind.PANEL,
            title="Fintech panel",
            starts_at=utc(8, 6),
            ends_at=utc(8, 7, 30),
            venue=venues["tongan"],
            subforum=subforums["fintech"],
            topics=[topics["fintech"]],
            speakers=[(speakers["pony"], SpeakerRole.SPEAKER)],
            provenance=Provenance.INFERRED,
        ),
        "closing": make(
            conference,
            kind=SessionKind.CEREMONY,
            title="Closing ceremony",
            starts_at=utc(9, 3),
            ends_at=utc(9, 4),
            venue=venues["wuzhen"],
        ),
    }
    program_services.cancel_session(sessions["closing"], actor=OPERATOR)
    exhibitors = {
        "sogou": sogou(
            conference,
            sector=Sector.ARTIFICIAL_INTELLIGENCE,
            country="CN",
            website="https://www.sogou.com",
            provenance=Provenance.SOURCED,
        ),
        "nokia": nokia(conference, hall="2", booth="B01", website="javascript:alert(1)"),
        "quiet": factories.make_exhibitor(
            conference, slug="quiet-co", company="Quiet Co", country="CN", hall="2", booth="B02"
        ),
    }
    launches = {
        "anchor": ai_news_anchor(
            exhibitors["sogou"],
            conference,
            starts_at=utc(7, 2),
            stage="Sogou booth",
            stage_zh="搜狗展台",
        ),
        "base-station": factories.make_launch(
            exhibitors["nokia"],
            conference,
            product="5G base station",
            starts_at=utc(8, 3),
            stage="Launch Stage A",
        ),
    }
    # Seats are booked by the registration services; here only the count matters.
    db.session.execute(
        sa.update(Subforum).where(Subforum.id == subforums["ai"].id).values(seats_taken=30)
    )
    # A fixed last change, so answers can be compared whole (explicit values skip onupdate).
    for model in (Conference, Subforum, Speaker, ProgramSession, Exhibitor, ProductLaunch):
        db.session.execute(sa.update(model).values(updated_at=LAST_CHANGE))
    db.session.commit()
    return SmallProgram(
        conference, venues, topics, subforums, speakers, sessions, exhibitors, launches
    )


# --- expo: the directory's filters and order -----------------------------------------------------

# Every company, in the order the directory lists them (by name, ignoring case).
ALL_COMPANIES = [
    "100% Digital Media",
    "Alibaba Cloud",
    "Cloud Rise Technologies",
    "Nokia",
    "Qualcomm",
    "Under_Score Robotics",
    "Zeta Security",
]


@dataclass
class SmallExpo:
    conference: Conference
    exhibitors: dict[str, Exhibitor]
    launches: dict[str, ProductLaunch]


def small_expo() -> SmallExpo:
    """Seven exhibitors in four halls and five countries; five of them launch a product."""
    conference = factories.make_conference()
    make = factories.make_exhibitor
    exhibitors = {
        "alibaba": alibaba_cloud(
            conference,
            country="CN",
            hall="1",
            booth="A01",
            website="https://www.alibabacloud.com/",
            description="Cloud computing and city-scale data platforms.",
            description_zh="云计算与城市数据平台。",
            provenance=Provenance.SOURCED,
        ),
        "cloud-rise": make(
            conference,
            slug="cloud-rise",
            company="Cloud Rise Technologies",
            company_zh="云启科技",
            sector=Sector.ARTIFICIAL_INTELLIGENCE,
            country="CN",
            hall="2",
            booth="B07",
        ),
        "nokia": nokia(
            conference, company_zh="诺基亚", hall="10", booth="C03", provenance=Provenance.INFERRED
        ),
        "qualcomm": make(
            conference,
            slug="qualcomm",
            company="Qualcomm",
            sector=Sector.SEMICONDUCTORS,
            country="US",
            hall="2",
            booth="B01",
        ),
        "media": make(
            conference,
            slug="digital-media-100",
            company="100% Digital Media",
            sector=Sector.MEDIA,
            country="CN",
            hall="10",
            booth="C09",
        ),
        "robotics": make(
            conference,
            slug="under-score",
            company="Under_Score Robotics",
            sector=Sector.ROBOTICS,
            country="JP",
            hall="1",
            booth="A02",
        ),
        "zeta": make(
            conference,
            slug="zeta-security",
            company="Zeta Security",
            sector=Sector.CYBERSECURITY,
            country="DE",
            hall="A",
            booth="1",
        ),
    }
    launch = factories.make_launch
    launches = {
        "city-brain": launch(
            exhibitors["alibaba"],
            conference,
            product="ET City Brain 2.0",
            product_zh="城市大脑2.0",
            starts_at=utc(7, 6),
            stage="Launch Stage A",
            stage_zh="发布台A",
            description="A traffic platform for whole cities.",
            description_zh="面向整座城市的交通平台。",
        ),
        "edge-box": launch(
            exhibitors["cloud-rise"],
            conference,
            product="Rise Edge AI Box",
            starts_at=utc(7, 6),
            stage="Launch Stage B",
            provenance=Provenance.DEMO,
        ),
        "base-station": launch(
            exhibitors["nokia"],
            conference,
            product="5G Base Station",
            starts_at=utc(8, 2),
            stage="Launch Stage A",
            stage_zh="发布台A",
        ),
        # 23:30 UTC on the 6th is 07:30 on the 7th in Wuzhen: it belongs to the 7th.
        "helper-robot": launch(
            exhibitors["robotics"],
            conference,
            product="Helper Robot",
            starts_at=utc(6, 23, 30),
            stage="Launch Stage B",
        ),
        "vr-tour": launch(
            exhibitors["media"],
            conference,
            product="Wuzhen VR Tour",
            starts_at=utc(6, 2),
            stage="Internet Theatre",
            stage_zh="网剧场",
        ),
    }
    return SmallExpo(conference, exhibitors, launches)


# --- i18n: the site in Chinese -------------------------------------------------------------------


@dataclass
class BilingualSite:
    conference: Conference
    subforum: Subforum
    sessions: list[ProgramSession]  # in time order; only the first has a Chinese title
    exhibitors: list[Exhibitor]


def bilingual_site() -> BilingualSite:
    """A small bilingual conference: one session with a Chinese title, others without."""
    conference = factories.make_conference(
        theme_zh="创造互信共治的数字世界——携手共建网络空间命运共同体",
        venue_name_zh="乌镇互联网国际会展中心",
    )
    hall = wuzhen_hall(slug="wuzhen-hall", building="WIICEC")
    subforum = factories.make_subforum(
        conference,
        slug="fintech",
        title="Fintech and Building a Credit Society",
        title_zh="金融科技与信用社会建设",
        venue=hall,
        capacity=200,
    )
    pony = pony_ma(title_zh="董事会主席兼首席执行官", affiliation_zh="腾讯", country="CN")
    yang_rui(country="GB")
    sessions = [
        opening_ceremony(
            conference,
            title_zh="开幕式",
            starts_at=utc(7, 1, 30),
            ends_at=utc(7, 2, 30),
            venue=hall,
            speakers=[(pony, SpeakerRole.SPEAKER)],
        ),
        factories.make_session(
            conference,
            kind=SessionKind.PANEL,
            title="Wuzhen Talks",
            starts_at=utc(7, 6),
            ends_at=utc(7, 8),
            venue=hall,
        ),
        factories.make_session(
            conference,
            kind=SessionKind.SUBFORUM_SESSION,
            title="Opening and keynote speeches",
            starts_at=utc(8, 0, 30),
            ends_at=utc(8, 2),
            venue=hall,
            subforum=subforum,
        ),
    ]
    exhibitors = [
        alibaba_cloud(conference, hall="3", booth="A301"),
        nokia(conference, hall="2", booth="B201"),
    ]
    factories.make_launch(
        exhibitors[0],
        conference,
        product="City Brain 2.0",
        product_zh="城市大脑2.0",
        stage="Launch Stage A",
        stage_zh="发布台A",
        starts_at=utc(7, 6),
    )
    return BilingualSite(conference, subforum, sessions, exhibitors)


# --- registration: seats, overlaps and waiting lists ---------------------------------------------


@dataclass
class OverlappingSubforums:
    conference: Conference
    fintech: Subforum  # 8 Nov 08:30-11:30, 2 seats
    culture: Subforum  # 8 Nov 08:30-11:35, overlaps fintech, 2 seats
    economy: Subforum  # 8 Nov 14:30-18:30, 1 seat


def overlapping_subforums() -> OverlappingSubforums:
    """Three bookable subforums: two on 8 November morning that overlap, one in the afternoon,
    each with one session and small capacities."""
    conference = factories.make_conference()

    def subforum(slug, title, capacity, start, end):
        made = factories.make_subforum(conference, slug=slug, title=title, capacity=capacity)
        factories.make_session(conference, subforum=made, starts_at=start, ends_at=end)
        return made

    return OverlappingSubforums(
        conference=conference,
        fintech=subforum("fintech", "Fintech", 2, utc(8, 0, 30), utc(8, 3, 30)),
        culture=subforum("culture", "Culture", 2, utc(8, 0, 30), utc(8, 3, 35)),
        economy=subforum("economy", "Digital economy", 1, utc(8, 6, 30), utc(8, 10, 30)),
    )


# --- mail: what delegates' e-mails say -----------------------------------------------------------


@dataclass
class MailProgram:
    conference: Conference
    fintech: Subforum  # 8 Nov 08:30-12:00 in two sessions, in Hall 3; 1 seat
    economy: Subforum  # 8 Nov 14:30-16:30, one session; 10 seats
    fintech_sessions: list[ProgramSession]
    economy_session: ProgramSession
    opening: ProgramSession  # a ceremony of no subforum: in nobody's attachment


def mail_program() -> MailProgram:
    """Two bookable subforums with Chinese titles, and a ceremony nobody books."""
    conference = factories.make_conference()
    hall = factories.make_venue(
        building="WIICEC", building_zh="乌镇互联网国际会展中心", hall="Hall 3", hall_zh="3号厅"
    )
    fintech = factories.make_subforum(
        conference,
        slug="fintech",
        title="Fintech and Cybersecurity",
        title_zh="金融科技与安全",
        capacity=1,
        venue=hall,
    )
    economy = factories.make_subforum(
        conference, slug="economy", title="Digital Economy", title_zh="数字经济", capacity=10
    )
    fintech_sessions = [
        factories.make_session(
            conference,
            subforum=fintech,
            venue=hall,
            title="Fintech: opening",
            title_zh="金融科技：开幕",
            kind=SessionKind.SUBFORUM_SESSION,
            starts_at=utc(8, 0, 30),
            ends_at=utc(8, 2, 0),
        ),
        factories.make_session(
            conference,
            subforum=fintech,
            venue=hall,
            title="Fintech: panel",
            title_zh="金融科技：圆桌",
            kind=SessionKind.SUBFORUM_SESSION,
            starts_at=utc(8, 2, 0),
            ends_at=utc(8, 4, 0),
        ),
    ]
    economy_session = factories.make_session(
        conference,
        subforum=economy,
        title="Digital economy",
        kind=SessionKind.SUBFORUM_SESSION,
        starts_at=utc(8, 6, 30),
        ends_at=utc(8, 8, 30),
    )
    opening = opening_ceremony(conference, starts_at=utc(7, 1, 0))
    return MailProgram(conference, fintech, economy, fintech_sessions, economy_session, opening)


# --- site: the home page's figures and what is on now -------------------------------------------


@dataclass
class FrontPage:
    conference: Conference
    sessions: list[ProgramSession]  # 7 Nov: the opening at 10:30, the plenary at 14:00
    exhibitors: list[Exhibitor]  # the first launches a product


def front_page() -> FrontPage:
    """A subforum, two sessions, two exhibitors and a launch: one of each headline figure."""
    conference = factories.make_conference()
    hall = factories.make_venue(slug="wuzhen-hall", hall="Wuzhen Hall")
    factories.make_subforum(conference, slug="ai", title="AI subforum")
    sessions = [
        opening_ceremony(conference, starts_at=utc(7, 2, 30), ends_at=utc(7, 3, 30), venue=hall),
        factories.make_session(
            conference,
            kind=SessionKind.PLENARY,
            title="Plenary",
            starts_at=utc(7, 6),
            ends_at=utc(7, 8),
            venue=hall,
        ),
    ]
    exhibitors = [
        factories.make_exhibitor(conference, sector=Sector.TELECOM_5G),
        factories.make_exhibitor(conference),
    ]
    factories.make_launch(exhibitors[0], conference)
    return FrontPage(conference, sessions, exhibitors)


# --- program: the program, subforum, session and speaker pages ---------------------------------


@dataclass
class ProgramPages:
    conference: Conference
    opening: ProgramSession  # 7 Nov 10:30-11:30, Wuzhen Hall
    dialogue: ProgramSession  # 7 Nov 14:00-16:00, Wuzhen Hall
    fintech_session: ProgramSession  # 8 Nov 08:30-10:00, in the subforum
    subforum: Subforum
    pony: Speaker


def program_pages() -> ProgramPages:
    """Three sessions over two days in two halls, one subforum, two speakers."""
    conference = factories.make_conference()
    hall = factories.make_venue(
        slug="wuzhen-hall", building="WIICEC", hall="Wuzhen Hall", hall_zh="乌镇厅", capacity=3000
    )
    room = factories.make_venue(slug="tongan-217", building="WIICEC", hall="Tong'an Hall (217)")
    ai = ai_topic()
    fintech = fintech_topic()
    subforum = factories.make_subforum(
        conference,
        slug="fintech-credit",
        title="Fintech and Building a Credit Society",
        title_zh="金融科技与信用社会建设",
        venue=room,
        topics=[fintech],
        capacity=200,
        host_organisations=["Demo Host Association"],
    )
    pony = pony_ma(country="CN")
    yang = yang_rui(name_zh="杨锐")
    opening = opening_ceremony(
        conference,
        title_zh="开幕式",
        starts_at=utc(7, 2, 30),
        ends_at=utc(7, 3, 30),
        venue=hall,
        topics=[ai],
        speakers=[(pony, SpeakerRole.SPEAKER)],
    )
    dialogue = factories.make_session(
        conference,
        kind=SessionKind.PANEL,
        title="Wuzhen Talks",
        starts_at=utc(7, 6),
        ends_at=utc(7, 8),
        venue=hall,
        speakers=[(yang, SpeakerRole.MODERATOR), (pony, SpeakerRole.SPEAKER)],
    )
    fintech_session = factories.make_session(
        conference,
        kind=SessionKind.SUBFORUM_SESSION,
        title="Opening and keynote speeches",
        title_zh="开幕及主旨演讲",
        starts_at=utc(8, 0, 30),
        ends_at=utc(8, 2),
        venue=room,
        subforum=subforum,
    )
    return ProgramPages(conference, opening, dialogue, fintech_session, subforum, pony)


@dataclass
class SourcedSubforum:
    subforum: Subforum
    speaker: Speaker
    session: ProgramSession


def sourced_subforum() -> SourcedSubforum:
    """A subforum, its host and its opening, each in both languages with a source note."""
    conference = factories.make_conference()
    subforum = factories.make_subforum(
        conference,
        slug="personal-information-protection",
        title="Personal Information Protection in the Big Data Era",
        title_zh="大数据时代的个人信息保护",
        host_organisations=["Supreme People's Procuratorate", "Zhejiang Provincial Procuratorate"],
        host_organisations_zh=["最高人民检察院", "浙江省人民检察院"],
        source_note="S4, S14; the English title is a translation",
        source_note_zh="S4、S14；英文标题为翻译",
    )
    qiu = factories.make_speaker(
        slug="qiu-xueqiang",
        name="Qiu Xueqiang",
        name_zh="邱学强",
        title="Deputy Procurator-General",
        title_zh="副检察长",
        affiliation="Supreme People's Procuratorate",
        affiliation_zh="最高人民检察院",
        source_note="S14",
        source_note_zh="S14",
    )
    session = factories.make_session(
        conference,
        title="Opening and keynote speeches",
        title_zh="开幕及主旨演讲",
        subforum=subforum,
        speakers=[(qiu, SpeakerRole.HOST)],
        source_note="S14: Qiu Xueqiang presided over the opening",
        source_note_zh="S14：邱学强主持开幕",
    )
    return SourcedSubforum(subforum, qiu, session)
