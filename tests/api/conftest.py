"""A small program and Expo, built through the services, that most API tests read."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
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


def make_small_program() -> SmallProgram:
    """Five sessions over 7-9 November (one cancelled, one private), two exhibitors launching."""
    conference = factories.make_conference()
    venues = {
        "wuzhen": factories.make_venue(
            slug="wiicec-wuzhen-hall",
            building="WIICEC",
            building_zh="乌镇互联网国际会展中心",
            hall="Wuzhen Hall",
            hall_zh="乌镇厅",
            room_number="",
            capacity=3000,
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
        "ai": factories.make_topic(slug="ai", name="Artificial intelligence", name_zh="人工智能"),
        "fintech": factories.make_topic(slug="fintech", name="Fintech", name_zh="金融科技"),
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
        "pony": factories.make_speaker(
            slug="pony-ma",
            name="Pony Ma",
            name_zh="马化腾",
            title="Chairman and CEO",
            affiliation="Tencent",
            affiliation_zh="腾讯",
            country="CN",
        ),
        "ada": factories.make_speaker(
            slug="ada-li", name="Ada Li", affiliation="Example University", country="gb"
        ),
        "yang": factories.make_speaker(slug="yang-rui", name="Yang Rui"),
    }
    make = factories.make_session
    sessions = {
        "opening": make(
            conference,
            kind=SessionKind.CEREMONY,
            title="Opening ceremony",
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
        "sogou": factories.make_exhibitor(
            conference,
            slug="sogou",
            company="Sogou",
            company_zh="搜狗",
            sector=Sector.ARTIFICIAL_INTELLIGENCE,
            country="CN",
            hall="1",
            booth="A101",
            website="https://www.sogou.com",
            provenance=Provenance.SOURCED,
        ),
        "nokia": factories.make_exhibitor(
            conference,
            slug="nokia",
            company="Nokia",
            sector=Sector.TELECOM_5G,
            country="FI",
            hall="2",
            booth="B01",
            website="javascript:alert(1)",
        ),
        "quiet": factories.make_exhibitor(
            conference, slug="quiet-co", company="Quiet Co", country="CN", hall="2", booth="B02"
        ),
    }
    launches = {
        "anchor": factories.make_launch(
            exhibitors["sogou"],
            conference,
            product="AI news anchor",
            product_zh="AI合成主播",
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


@pytest.fixture
def program(app) -> SmallProgram:
    return make_small_program()
