"""Many rows quickly, for scale tests: bulk inserts that skip the services (and their audit),
so 100,000 delegates take seconds. Only for reading tests: nothing here is what a person did."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from wuzhen_events.extensions import db
from wuzhen_events.program.models import Conference
from wuzhen_events.registration.enums import DelegateCategory, DelegateStatus
from wuzhen_events.registration.models import Delegate

INSERT_BATCH = 5000
COUNTRIES = ("CN", "US", "GB", "DE", "FR", "JP", "KR", "RU", "IN", "BR", "ZA", "SG")
CATEGORIES = tuple(DelegateCategory)
# Mostly confirmed, some waiting and some cancelled, as a real conference's list.
STATUSES = (DelegateStatus.CONFIRMED,) * 8 + (DelegateStatus.PENDING, DelegateStatus.CANCELLED)
FIRST_REGISTRATION = datetime(2018, 9, 1, tzinfo=UTC)


def insert_delegates(conference: Conference, count: int, *, start: int = 0) -> None:
    """`count` delegates numbered from `start` (distinct e-mails, hashes and names), spread over
    the categories, statuses and countries and over two months of registrations; committed."""
    for first in range(start, start + count, INSERT_BATCH):
        last = min(first + INSERT_BATCH, start + count)
        # Core's executemany on the table: the ORM's bulk path costs twice as much per row.
        db.session.connection().execute(
            sa.insert(Delegate.__table__),
            [_delegate(conference.id, number) for number in range(first, last)],
        )
    db.session.commit()


def _delegate(conference_id: int, number: int) -> dict:
    registered = FIRST_REGISTRATION + timedelta(minutes=number)
    status = STATUSES[number % len(STATUSES)]
    return {
        "conference_id": conference_id,
        "name": f"Delegate {number:06d}",
        "name_zh": f"代表{number:06d}",
        "email": f"delegate-{number:06d}@scale.example",
        "organisation": f"Organisation {number % 500}",
        "job_title": "",
        "country": COUNTRIES[number % len(COUNTRIES)],
        "category": CATEGORIES[number % len(CATEGORIES)],
        "status": status,
        "locale": "zh" if number % 3 == 0 else "en",
        "consented_at": registered,
        "approved_at": registered if status is DelegateStatus.CONFIRMED else None,
        "cancelled_at": registered if status is DelegateStatus.CANCELLED else None,
        "manage_seed": f"m{number:031d}",
        "manage_token_hash": f"m{number:063d}",
        "feed_seed": f"f{number:031d}",
        "feed_token_hash": f"f{number:063d}",
        "checkin_seed": f"c{number:031d}",
        "checkin_code_hash": f"c{number:063d}",
        "created_at": registered,
        "updated_at": registered,
    }
