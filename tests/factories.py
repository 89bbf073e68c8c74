"""Plain factories: build rows through the services with defaults a test can override."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from wuzhen_events.audit.actors import Actor
from wuzhen_events.db import Provenance
from wuzhen_events.expo import services as expo_services
from wuzhen_events.expo.enums import Sector
from wuzhen_events.extensions import db
from wuzhen_events.program import services as program_services
from wuzhen_events.program.enums import SessionKind

_counter = itertools.count(1)

# Who the tests' changes are made by, unless a test is about the actor.
OPERATOR = Actor.cli("tests")

# 7 November 2018, 10:30 in Wuzhen is 02:30 UTC.
OPENING = datetime(2018, 11, 7, 2, 30, tzinfo=UTC)


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    """November 2018, in UTC; Wuzhen is eight hours ahead."""
    return datetime(2018, 11, day, hour, minute, tzinfo=UTC)


def count_rows(model) -> int:
    """Rows the database holds, after forgetting whatever this session had pending."""
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def reload(row):
    """The row as the database holds it, not as this session remembers it."""
    db.session.expire_all()
    return db.session.get(type(row), row.id)


def fresh(row):
    """The row as a view hands it to a service, with the test's own read already ended."""
    row = reload(row)
    db.session.commit()
    return row


def make_conference(**overrides):
    fields = {
        "slug": "wic2018",
        "name": "Fifth World Internet Conference",
        "name_zh": "第五届世界互联网大会",
        "edition": 5,
        "theme": "Creating a Digital World for Mutual Trust and Collective Governance",
        "city": "Wuzhen",
        "venue_name": "Wuzhen Internet International Convention and Exhibition Center",
        "starts_on": date(2018, 11, 7),
        "ends_on": date(2018, 11, 9),
        "expo_opens_at": datetime(2018, 11, 6, 1, 30, tzinfo=UTC),
        "expo_closes_at": datetime(2018, 11, 10, 4, 0, tzinfo=UTC),
        "invited_delegates": 1500,
        "countries_and_regions": 76,
    }
    fields.update({"actor": OPERATOR, **overrides})
    return program_services.create_conference(**fields)


def make_venue(**overrides):
    number = next(_counter)
    fields = {
        "slug": f"hall-{number}",
        "building": "WIICEC",
        "hall": f"Hall {number}",
        "room_number": str(100 + number),
        "capacity": 300,
    }
    fields.update({"actor": OPERATOR, **overrides})
    return program_services.create_venue(**fields)


def make_topic(**overrides):
    number = next(_counter)
    fields = {"slug": f"topic-{number}", "name": f"Topic {number}"}
    fields.update({"actor": OPERATOR, **overrides})
    return program_services.create_topic(**fields)


def make_subforum(conference, **overrides):
    number = next(_counter)
    fields = {"slug": f"subforum-{number}", "title": f"Subforum {number}", "capacity": 100}
    fields.update({"actor": OPERATOR, **overrides})
    return program_services.create_subforum(conference, **fields)


def make_speaker(**overrides):
    number = next(_counter)
    fields = {"slug": f"speaker-{number}", "name": f"Speaker {number}"}
    fields.update({"actor": OPERATOR, **overrides})
    return program_services.create_speaker(**fields)


def make_session(conference, **overrides):
    number = next(_counter)
    starts_at = overrides.pop("starts_at", OPENING)
    fields = {
        "kind": SessionKind.PANEL,
        "title": f"Session {number}",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=1),
    }
    fields.update({"actor": OPERATOR, **overrides})
    return program_services.schedule_session(conference, **fields)


def make_exhibitor(conference, **overrides):
    number = next(_counter)
    fields = {
        "slug": f"exhibitor-{number}",
        "company": f"Exhibitor {number} Co., Ltd.",
        "sector": Sector.ARTIFICIAL_INTELLIGENCE,
        "country": "CN",
        "hall": "1",
        "booth": f"A{number:03d}",
        "provenance": Provenance.DEMO,
    }
    fields.update({"actor": OPERATOR, **overrides})
    return expo_services.add_exhibitor(conference, **fields)


def make_launch(exhibitor, conference, **overrides):
    number = next(_counter)
    starts_at = overrides.pop("starts_at", datetime(2018, 11, 7, 6, 0, tzinfo=UTC))
    fields = {
        "product": f"Product {number}",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=30),
        "stage": "Launch Stage A",
    }
    fields.update({"actor": OPERATOR, **overrides})
    return expo_services.schedule_launch(exhibitor, conference, **fields)
