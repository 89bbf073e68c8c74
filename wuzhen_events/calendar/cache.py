"""Built feeds kept in process memory: ready responses by ETag, and which ETag each public
feed address had when it was last checked against the database.

`prepared` maps an ETag (which names the data version) to the feed's bytes and every header
value, plain and gzipped, worked out once, so a warm request or a 304 builds almost nothing. A
changed program has a new ETag, so a stale entry is never served for it; old ones age out of
the LRU.

`checked` maps a public feed address (feed kind, scope, language, base URL) to the ETag its
version query last gave and when. Within CALENDAR_VERSION_TTL seconds of that check a
request is answered from memory without any SQL; after it, the next request runs the version
query again. So each worker process may serve a feed up to CALENDAR_VERSION_TTL seconds
(default 1 s) older than the database; 0 checks on every request. Private (personal) feeds
are never kept here: each of their requests runs the version query and builds the feed.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from wuzhen_events.conditional import LRU, PreparedResponse

EXTENSION_KEY = "wuzhen_calendar_feeds"


@dataclass(frozen=True, slots=True)
class Checked:
    """What a feed address's version query gave, and when (time.monotonic())."""

    feed: PreparedResponse
    at: float


class FeedCache:
    """Both maps of one app; `clear()` forgets every built feed and every check."""

    def __init__(self, max_entries: int = 256) -> None:
        self.prepared: LRU[str, PreparedResponse] = LRU(max_entries)
        self.checked: LRU[tuple, Checked] = LRU(max_entries)

    def clear(self) -> None:
        self.prepared.clear()
        self.checked.clear()

    def __len__(self) -> int:
        return len(self.prepared)


def init_feed_cache(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = FeedCache(app.config.get("CALENDAR_CACHE_ENTRIES", 256))


def feed_cache() -> FeedCache:
    return current_app.extensions[EXTENSION_KEY]
