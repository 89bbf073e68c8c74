"""Built feeds kept in process memory: ready responses by ETag, and which ETag each public
feed address had when it was last checked against the database.

`prepared` maps an ETag (which names the data version) to the feed's bytes and every header
value, worked out once, so a warm request or a 304 builds almost nothing. A changed program
has a new ETag, so a stale entry is never served for it; old ones age out of the LRU.

`checked` maps a public feed address (feed kind, scope, language, base URL) to the ETag its
version query last gave and when. Within CALENDAR_VERSION_TTL seconds of that check a
request is answered from memory without any SQL; after it, the next request runs the version
query again. So each worker process may serve a feed up to CALENDAR_VERSION_TTL seconds
(default 1 s) older than the database; 0 checks on every request. Private (personal) feeds
are never kept here: each of their requests runs the version query and builds the feed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from flask import Flask, current_app

EXTENSION_KEY = "wuzhen_calendar_feeds"

Key = TypeVar("Key")
Value = TypeVar("Value")


@dataclass(frozen=True, slots=True)
class PreparedFeed:
    """A public feed's response, ready to send: the body and the header values of its 200
    and of its 304 (whose Last-Modified werkzeug leaves out, as before)."""

    etag: str  # unquoted
    quoted_etag: str  # as it comes back in If-None-Match
    last_modified: datetime | None  # whole seconds, for If-Modified-Since
    body: bytes
    headers: tuple[tuple[str, str], ...]
    not_modified_headers: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Checked:
    """What a feed address's version query gave, and when (time.monotonic())."""

    feed: PreparedFeed
    at: float


class LRU(Generic[Key, Value]):
    """A small thread-safe LRU."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._entries: OrderedDict[Key, Value] = OrderedDict()

    def get(self, key: Key) -> Value | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Key, value: Value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


class FeedCache:
    """Both maps of one app; `clear()` forgets every built feed and every check."""

    def __init__(self, max_entries: int = 256) -> None:
        self.prepared: LRU[str, PreparedFeed] = LRU(max_entries)
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
