"""Check-in worlds: a conference with its main entrance and one hall door; scanning helpers."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from tests import factories
from tests.factories import OPERATOR, fresh, utc
from tests.helpers.registration import details, register
from wuzhen_events.checkin import services
from wuzhen_events.checkin.enums import Direction, DoorKind, OfflineAnswer
from wuzhen_events.checkin.models import Door
from wuzhen_events.registration import rotation
from wuzhen_events.registration import services as registration
from wuzhen_events.registration.enums import DelegateCategory
from wuzhen_events.registration.models import Delegate
from wuzhen_events.registration.tokens import Secret

# 7 November 2018, 09:12 in Wuzhen; the subforum's session runs 10:00-12:00 there.
MORNING = datetime(2018, 11, 7, 1, 12, tzinfo=UTC)
SESSION_START = utc(7, 2)

_numbers = itertools.count(1)


@dataclass
class CheckinWorld:
    conference: object
    subforum: object
    entrance: Door
    hall: Door


@pytest.fixture
def world(app) -> CheckinWorld:
    app.config["FROZEN_NOW"] = MORNING
    conference = factories.make_conference()
    venue = factories.make_venue(hall="Hall A", hall_zh="A厅")
    subforum = factories.make_subforum(
        conference,
        slug="ai",
        title="Artificial Intelligence",
        title_zh="人工智能",
        capacity=2,
        venue=venue,
    )
    factories.make_session(
        conference, subforum=subforum, venue=venue, starts_at=SESSION_START, title="AI panel"
    )
    entrance = services.create_door(
        conference, services.DoorDetails(name="East Gate", name_zh="东门"), actor=OPERATOR
    )
    hall = services.create_door(
        conference,
        services.DoorDetails(
            name="Hall A door", name_zh="A厅门", kind=DoorKind.SUBFORUM, subforum_id=subforum.id
        ),
        actor=OPERATOR,
    )
    return CheckinWorld(conference, subforum, entrance, hall)


def code_of(delegate: Delegate) -> str:
    return rotation.secret_of(fresh(delegate), Secret.CHECKIN)


def nonce() -> str:
    return str(uuid.uuid4())


def scan(door, delegate_or_code, *, actor=OPERATOR, **fields):
    code = delegate_or_code if isinstance(delegate_or_code, str) else code_of(delegate_or_code)
    fields.setdefault("nonce", nonce())
    fields.setdefault("direction", Direction.ENTRY)
    return services.record_scan(fresh(door), code, actor=actor, **fields)


def unknown_badge_let_in_offline(door, *, nonce: str):
    """A code that finds nobody, which a phone let in while offline: flagged as a conflict at
    once (returned)."""
    return scan(
        door, "U" * 43, nonce=nonce, offline=True, offline_answer=OfflineAnswer.ADMITTED
    ).scan


def offline_conflict(world, delegate: Delegate):
    """Two phones let the same badge in at the entrance while offline: both scans are kept, the
    second flagged as a conflict (returned)."""
    for label in ("Phone 1", "Phone 2"):
        result = scan(
            world.entrance,
            delegate,
            device_label=label,
            offline=True,
            offline_answer=OfflineAnswer.ADMITTED,
        )
    return result.scan


def person(world, email: str, *subforums, **overrides) -> Delegate:
    number = next(_numbers)
    overrides.setdefault("name", f"Delegate {number}")
    return register(world, email, *subforums, **overrides)


def pending(world, email: str) -> Delegate:
    return registration.register_delegate(
        world.conference,
        details(email, category=DelegateCategory.GOVERNMENT, name="Envoy", name_zh="特使"),
        email_verified=True,
        actor=OPERATOR,
    ).delegate
