"""Built feeds kept in process memory, one ResponseCache per app.

Its `prepared` map is keyed by ETag (which names the data version): a feed's bytes and every
header value, plain and gzipped, worked out once, so a warm request or a 304 builds almost
nothing. Its checks are keyed by public feed address (feed kind, scope, language, base URL):
within CALENDAR_VERSION_TTL seconds of a check a request is answered from memory without any
SQL; after it, the next request runs the version query again. So each worker process may serve
a feed up to CALENDAR_VERSION_TTL seconds (default 1 s) older than the database; 0 checks on
every request. Private (personal) feeds are never kept here: each of their requests runs the
version query and builds the feed.
"""

from __future__ import annotations

from flask import Flask, current_app

from wuzhen_events.conditional import ResponseCache

EXTENSION_KEY = "wuzhen_calendar_feeds"


def init_feed_cache(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = ResponseCache(app.config["CALENDAR_CACHE_ENTRIES"])


def feed_cache() -> ResponseCache:
    return current_app.extensions[EXTENSION_KEY]
