"""Every feed and schedule file, byte for byte and ETag for ETag, as served before the exports
shared one serving path: reworking how they are served must not move a byte or an ETag."""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests import factories
from tests.worlds import feed_urls
from wuzhen_events.extensions import db

FIXED = datetime(2018, 10, 1, 8, 0, 0, tzinfo=UTC)
GZIP = {"Accept-Encoding": "gzip"}
PINNED = ("created_at", "updated_at", "confirmed_at")


@pytest.fixture(autouse=True)
def numbered_from_one(monkeypatch):
    """Factory names carry a process-wide counter: rewound, they no longer depend on which
    tests ran before (autouse fixtures come before the world is built)."""
    monkeypatch.setattr(factories, "_counter", itertools.count(1))


def pin_every_time() -> None:
    """Every row's created_at and updated_at at one instant, so bytes and ETags are fixed."""
    for table in db.metadata.sorted_tables:
        values = {name: FIXED for name in PINNED if name in table.c}
        if values:
            db.session.execute(sa.update(table).values(**values))
    db.session.commit()
    db.session.expire_all()


def fingerprint(response) -> tuple:
    return (
        response.status_code,
        response.headers["ETag"],
        hashlib.sha256(response.data).hexdigest()[:16],
        response.headers.get("Last-Modified"),
        response.headers["Content-Type"],
        response.headers.get("Content-Encoding"),
        response.headers["Cache-Control"],
        response.headers["Vary"],
    )


def urls(program, token: str) -> dict[str, str]:
    return {
        **{f"{kind}": url for kind, url in feed_urls(program, token).items()},
        "program-zh": "/calendar/wic2018.ics?lang=zh",
        "schedule.json": "/schedule.json",
        "schedule.xml": "/schedule.xml",
    }


# Recorded from main before the rework (status, ETag, SHA-256 prefix, Last-Modified, type,
# encoding, Cache-Control, Vary).
GOLDEN: dict[tuple[str, str], tuple] = {
    ("program", "identity"): (
        200,
        '"8e296bb5a579766f04e86942c889794f"',
        "6d8bf95935c805fa",
        "Mon, 01 Oct 2018 08:00:00 GMT",
        "text/calendar; charset=utf-8",
        None,
        "public, max-age=300",
        "Accept-Encoding",
    ),
    ("program", "gzip"): (
        200,
        '"8e296bb5a579766f04e86942c889794f-gzip"',
        "25de8c502d6da9e2",
        "Mon, 01 Oct 2018 08:00:00 GMT",
        "text/calendar; charset=utf-8",
        "gzip",
        "public, max-age=300",
        "Accept-Encoding",
    ),
    ("program-zh", "identity"): (
        200,
        '"b66ce6a83c5f4afa350a721b260597b2"',
        "8703ebdb29f1c1d1",
        "Mon, 01 Oct 2018 08:00:00 GMT",
        "text/calendar; charset=utf-8",
        None,
        "public, max-age=300",
        "Accept-Encoding",
    ),
    ("program-zh", "gzip"): (
        200,
        '"b66ce6a83c5f4afa350a721b260597b2-gzip"',
        "f3317605dbf44dff",
        "Mon, 01 Oct 2018 08:00:00 GMT",
        "text/calendar; charset=utf-8",
        "gzip",
        "public, max-age=300",
        "Accept-Encoding",
    ),
    ("day", "identity"): (
        200,
        '"a4c1df3b73dd056a1b53e37cb468764b"',
        "e7da3ee4fe6d85c4",
        "Mon, 01 Oct 2018 08:00:00 GMT",
        "text/calendar; charset=utf-8",
        None,
        "public, max-age=300",
        "Accept-Encoding",
    ),
    ("day", "gzip"): (
        200,
        '"a4c1df3b73dd056a1b53e37cb468764b-gzip"',
        "b26ed7d6df40a8f1",
        "Mon, 01 Oct 2018 08:00:00 GMT",
        "text/calendar; charset=utf-8",
        "gzip",
        "public, max-age=300",
        "Accept-Encoding",
    ),
    ("subforum", "identity"): (
        200,
        '"f652e6b6e3bcb1f0b29b196f88988719"',
        "d50bcff9f283f0cc",
        "Mon, 01 Oct 2018 08:00:00 GMT",
        "text/calendar; charset=utf-8",
        None,
        "public, max-age=300",
        "Accept-Encoding",
    ),
    ("subforum", "gzip"): (
        200,
        '"f652e6b6e3bcb1f0b29b196f88988719-gzip"',
        "b4d6c54bfff1e0bf",
        "Mon, 01 Oct 2018 08:00:00 GMT",
        "text/calendar; charset=utf-8",
        "gzip",
        "public, max-age=300",
        "Accept-Encoding",
    ),
    ("session", "identity"): (
        200,
        '"7c53dfd84dedc5e19274590530791a97"',
        "207d46141dd497e6",
        "Mon, 01 Oct 2018 08:00:00 GMT",
        "text/calendar; charset=utf-8",
        None,
        "public, max-age=300",
        "Accept-Encoding",
    ),
    ("session", "gzip"): (
        200,
        '"7c53dfd84dedc5e19274590530791a97-gzip"',
        "c5c806429f9fb812",
        "Mon, 01 Oct 2018 08:00:00 GMT",
        "text/calendar; charset=utf-8",
        "gzip",
        "public, max-age=300",
        "Accept-Encoding",
    ),
    ("personal", "identity"): (
        200,
        '"554552fe17c9edf3bd197472d5c1948e"',
        "e17ebde29fd3d033",
        "Mon, 01 Oct 2018 08:00:00 GMT",
        "text/calendar; charset=utf-8",
        None,
        "private, max-age=300",
        "Accept-Encoding",
    ),
    ("personal", "gzip"): (
        200,
        '"554552fe17c9edf3bd197472d5c1948e-gzip"',
        "b0ec534f11eb9eb0",
        "Mon, 01 Oct 2018 08:00:00 GMT",
        "text/calendar; charset=utf-8",
        "gzip",
        "private, max-age=300",
        "Accept-Encoding",
    ),
    ("schedule.json", "identity"): (
        200,
        '"919bdd34fc9d62a0c4ce83e099372512"',
        "c05a20c57b6a3b5d",
        "Mon, 01 Oct 2018 08:00:00 GMT",
        "application/json",
        None,
        "public, no-cache",
        "Accept-Encoding",
    ),
    ("schedule.json", "gzip"): (
        200,
        '"919bdd34fc9d62a0c4ce83e099372512-gzip"',
        "b43f5a1acc0ee21e",
        "Mon, 01 Oct 2018 08:00:00 GMT",
        "application/json",
        "gzip",
        "public, no-cache",
        "Accept-Encoding",
    ),
    ("schedule.xml", "identity"): (
        200,
        '"aab9afbf5c7d96b8cf58e9674d62385e"',
        "287e518481c4f19f",
        "Mon, 01 Oct 2018 08:00:00 GMT",
        "application/xml; charset=utf-8",
        None,
        "public, no-cache",
        "Accept-Encoding",
    ),
    ("schedule.xml", "gzip"): (
        200,
        '"aab9afbf5c7d96b8cf58e9674d62385e-gzip"',
        "00135807fde97ae3",
        "Mon, 01 Oct 2018 08:00:00 GMT",
        "application/xml; charset=utf-8",
        "gzip",
        "public, no-cache",
        "Accept-Encoding",
    ),
}


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
@pytest.mark.parametrize(
    "kind",
    [
        "program",
        "program-zh",
        "day",
        "subforum",
        "session",
        "personal",
        "schedule.json",
        "schedule.xml",
    ],
)
def test_bytes_and_etag_are_those_served_before(client, program, delegate, kind, encoding):
    if db.engine.dialect.name != "sqlite":
        # Ids are part of the bytes, and PostgreSQL's sequences are not rewound between tests.
        pytest.skip("recorded on SQLite, where every test's rows start at id 1")
    pin_every_time()
    headers = GZIP if encoding == "gzip" else {}

    response = client.get(urls(program, delegate[1])[kind], headers=headers)

    assert fingerprint(response) == GOLDEN[kind, encoding]
