"""A small hand-built program for the calendar tests, a delegate with a feed, and the two
parsers real clients use: `icalendar` and Mozilla's ical.js (run with node)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from tests import factories
from tests.factories import OPERATOR, utc
from wuzhen_events.expo.models import Exhibitor, ProductLaunch
from wuzhen_events.program import services as program_services
from wuzhen_events.program.enums import SessionKind, SpeakerRole
from wuzhen_events.program.models import Conference, ProgramSession, Subforum
from wuzhen_events.registration import services as registration
from wuzhen_events.registration import tokens
from wuzhen_events.registration.enums import DelegateCategory
from wuzhen_events.registration.models import Delegate

ROOT = Path(__file__).resolve().parents[2]
PARSE_SCRIPT = Path(__file__).resolve().parent / "js" / "parse.mjs"
ICAL_JS = ROOT / "node_modules" / "ical.js" / "package.json"

# Text that calendar files must escape: commas, semicolons, backslashes and line breaks.
TRICKY_ABSTRACT = "Credit, trust; and data.\nSecond line: a\\b path."


@dataclass
class Program:
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


@pytest.fixture
def program(app) -> Program:
    conference = factories.make_conference()
    hall = factories.make_venue(
        slug="wuzhen-hall",
        building="Wuzhen Internet International Convention and Exhibition Center",
        building_zh="乌镇互联网国际会展中心",
        hall="Wuzhen Hall",
        hall_zh="乌镇厅",
        capacity=3000,
    )
    room = factories.make_venue(
        slug="longfeng-hall",
        building="Zhenshui Hotel; Xizha",
        hall="Longfeng Hall",
        hall_zh="龙凤厅",
        capacity=400,
    )
    ai = factories.make_topic(slug="ai", name="Artificial intelligence", name_zh="人工智能")
    fintech_topic = factories.make_topic(slug="fintech", name="Fintech", name_zh="金融科技")
    fintech = factories.make_subforum(
        conference,
        slug="fintech-credit",
        title="Fintech and Building a Credit Society",
        title_zh="金融科技与信用社会建设",
        venue=room,
        topics=[fintech_topic],
        capacity=200,
    )
    culture = factories.make_subforum(
        conference, slug="online-culture", title="Online Culture", venue=hall, capacity=300
    )
    pony = factories.make_speaker(
        slug="pony-ma",
        name="Pony Ma",
        name_zh="马化腾",
        title="Chairman and CEO",
        title_zh="董事会主席兼首席执行官",
        affiliation="Tencent",
        affiliation_zh="腾讯",
    )
    yang = factories.make_speaker(slug="yang-rui", name="Yang Rui", name_zh="杨锐")
    opening = factories.make_session(
        conference,
        kind=SessionKind.CEREMONY,
        title="Opening ceremony",
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
        topics=[fintech_topic, ai],
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
    exhibitor = factories.make_exhibitor(
        conference, slug="sogou", company="Sogou", company_zh="搜狗", hall="1", booth="A101"
    )
    launch = factories.make_launch(
        exhibitor,
        conference,
        product="AI news anchor",
        product_zh="AI合成主播",
        description="Synthetic news anchors.",
        stage="Launch Stage A",
        stage_zh="发布台A",
        starts_at=utc(7, 6),
    )
    return Program(
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


def register_delegate(conference: Conference, email: str, *subforums) -> tuple[Delegate, str]:
    """A confirmed delegate through the registration service, and their personal-feed token."""
    details = registration.DelegateDetails(
        name="Ada Lovelace",
        email=email,
        organisation="Analytical Engines Ltd",
        country="GB",
        category=DelegateCategory.EXPERT,
    )
    delegate = registration.register_delegate(
        conference, details, subforums=subforums, email_verified=True, actor=OPERATOR
    ).delegate
    return delegate, tokens.derive(tokens.Secret.FEED, delegate.feed_seed)


def later(session: ProgramSession, minutes: int = 30) -> dict:
    """Reschedule arguments that move a session later by `minutes`."""
    shift = timedelta(minutes=minutes)
    return {"starts_at": session.starts_at + shift, "ends_at": session.ends_at + shift}


def add_sessions(program, count: int) -> None:
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


def parse_with_icalendar(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def parse_with_ical_js(body: bytes) -> dict:
    """What Thunderbird's parser reads from the feed; skips locally, fails under CI=true."""
    node = shutil.which("node")
    missing = None
    if node is None:
        missing = "node is not installed"
    elif not ICAL_JS.exists():
        missing = "ical.js is not installed (run `npm ci` at the top of the repository)"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}; .ci/run must install it")
        pytest.skip(missing)
    result = subprocess.run(
        [node, str(PARSE_SCRIPT)],
        input=body,
        capture_output=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)
