"""A small world whose statistics are known by heart: five registrations over two days."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from tests.factories import OPERATOR, make_conference, make_subforum, utc
from tests.helpers.registration import register
from wuzhen_events.extensions import db
from wuzhen_events.program.models import Conference, Subforum
from wuzhen_events.registration import services
from wuzhen_events.registration.enums import DelegateCategory
from wuzhen_events.registration.models import Delegate

EXPERT = DelegateCategory.EXPERT
GOVERNMENT = DelegateCategory.GOVERNMENT
MEDIA = DelegateCategory.MEDIA


@dataclass
class Counted:
    conference: Conference
    ai: Subforum
    iot: Subforum


def registered_at(delegate: Delegate, moment) -> None:
    db.session.execute(
        sa.update(Delegate).where(Delegate.id == delegate.id).values(created_at=moment)
    )
    db.session.commit()


def counted_world() -> Counted:
    """Five registrations over two conference-time days (Wuzhen is UTC+8):

    - Li Wei, enterprise, CN, AI: confirmed; 5 Nov 23:30 UTC = 6 Nov in Wuzhen
    - Ada, expert, GB, AI and IoT: confirmed in both; 5 Nov 10:00 UTC = 5 Nov
    - Wang Fang, enterprise, CN, IoT: IoT is full (1 seat), so waitlisted; 6 Nov
    - a government delegate, US, AI: waits for approval, AI requested; 6 Nov
    - a journalist, DE: cancelled; 5 Nov
    """
    world = Counted(make_conference(), None, None)
    world.ai = make_subforum(world.conference, title="AI", title_zh="人工智能", capacity=3)
    world.iot = make_subforum(world.conference, title="IoT", title_zh="物联网", capacity=1)
    moments = [
        (register(world, "li@example.cn", world.ai), utc(5, 23, 30)),
        (
            register(world, "ada@example.org", world.ai, world.iot, category=EXPERT, country="GB"),
            utc(5, 10),
        ),
        (register(world, "wang@example.cn", world.iot), utc(6, 1)),
        (
            register(world, "gov@example.gov", world.ai, category=GOVERNMENT, country="US"),
            utc(6, 3),
        ),
        (register(world, "press@example.de", category=MEDIA, country="DE"), utc(5, 12)),
    ]
    press = moments[-1][0]
    services.cancel_registration(db.session.get(Delegate, press.id), actor=OPERATOR)
    for delegate, moment in moments:
        registered_at(delegate, moment)
    return world
