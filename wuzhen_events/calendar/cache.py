"""Built feeds kept in process memory, keyed by their ETag (which names the data version).

A warm request finds its bytes here after the one version query; a changed program has a new
ETag, so stale entries are never served and simply age out of the LRU.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Flask, current_app

EXTENSION_KEY = "wuzhen_calendar_feeds"


class FeedCache:
    """A small thread-safe LRU of feed bodies."""

    def __init__(self, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, bytes] = OrderedDict()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            body = self._entries.get(key)
            if body is not None:
                self._entries.move_to_end(key)
            return body

    def put(self, key: str, body: bytes) -> None:
        with self._lock:
            self._entries[key] = body
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def init_feed_cache(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = FeedCache(app.config.get("CALENDAR_CACHE_ENTRIES", 256))


def feed_cache() -> FeedCache:
    return current_app.extensions[EXTENSION_KEY]
