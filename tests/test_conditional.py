"""Which clients get gzip, what a prepared response holds, and the LRU that keeps them."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from wuzhen_events import clock
from wuzhen_events.conditional import LRU, PreparedResponse, ResponseCache, gzip_accepted

LAST_MODIFIED = datetime(2018, 11, 1, 4, 0, tzinfo=UTC)
CONTENT = (("Content-Type", "text/calendar; charset=utf-8"),)
BODY = "BEGIN:VCALENDAR\r\nX-WR-CALNAME:第五届世界互联网大会\r\nEND:VCALENDAR\r\n".encode() * 50


@pytest.mark.parametrize(
    ("accept_encoding", "accepted"),
    [
        ("", False),
        ("gzip", True),
        ("gzip, deflate, br", True),  # Apple Calendar, Thunderbird
        ("GZIP", True),
        ("x-gzip", True),
        ("br;q=1.0, gzip;q=0.8, *;q=0.1", True),
        ("*", True),
        ("deflate, br", False),
        ("identity", False),
        ("gzip;q=0", False),
        ("gzip;q=0, *", False),  # an explicit refusal beats the wildcard
        ("*;q=0", False),
        ("identity, *;q=0", False),
        (";;;,,,", False),
        ("gzip;q=not-a-number", False),  # an entry with an unreadable quality is ignored
        ("gzip;q=2", False),
        ("br, " * 2000 + "gzip", True),
    ],
)
def test_gzip_is_sent_only_to_clients_that_accept_it(accept_encoding, accepted):
    assert gzip_accepted(accept_encoding) is accepted


def test_the_gzip_representation_holds_the_same_bytes_with_its_own_etag():
    prepared = PreparedResponse("abc123", LAST_MODIFIED, BODY, CONTENT, "public, max-age=300")

    assert gzip.decompress(prepared.gzipped.body) == BODY
    assert len(prepared.gzipped.body) < len(BODY) // 10
    assert (prepared.identity.quoted_etag, prepared.gzipped.quoted_etag) == (
        '"abc123"',
        '"abc123-gzip"',
    )
    assert prepared.gzipped.headers == (
        ("Content-Type", "text/calendar; charset=utf-8"),
        ("Content-Encoding", "gzip"),
        ("ETag", '"abc123-gzip"'),
        ("Last-Modified", "Thu, 01 Nov 2018 04:00:00 GMT"),
        ("Cache-Control", "public, max-age=300"),
        ("Vary", "Accept-Encoding"),
    )
    assert prepared.identity.not_modified_headers == (
        ("ETag", '"abc123"'),
        ("Last-Modified", "Thu, 01 Nov 2018 04:00:00 GMT"),
        ("Cache-Control", "public, max-age=300"),
        ("Vary", "Accept-Encoding"),
    )


def test_every_worker_compresses_to_the_same_bytes():
    """A strong ETag promises identical bytes, whichever worker answers and whenever."""
    first = PreparedResponse("abc123", LAST_MODIFIED, BODY, CONTENT, "public").gzipped.body
    second = PreparedResponse("abc123", None, BODY, CONTENT, "private").gzipped.body

    assert first == second


def test_the_lru_forgets_the_least_recently_used_entry():
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1

    cache.put("c", 3)

    assert (cache.get("a"), cache.get("b"), cache.get("c"), len(cache)) == (1, None, 3, 2)
    cache.clear()
    assert len(cache) == 0


def test_a_check_stands_for_the_ttl_and_not_a_moment_longer(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(clock, "monotonic", lambda: now[0])
    cache = ResponseCache(4)
    prepared = PreparedResponse("abc123", None, BODY, CONTENT, "public")
    cache.remember_check(("program", "en"), prepared, at=100.0)

    now[0] = 100.9
    assert cache.recently_checked(("program", "en"), ttl=1) is prepared
    assert cache.recently_checked(("program", "zh"), ttl=1) is None
    assert cache.recently_checked(("program", "en"), ttl=0) is None
    now[0] = 101.0
    assert cache.recently_checked(("program", "en"), ttl=1) is None
