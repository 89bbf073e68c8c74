"""Responses worked out once per data version and served many times: conditional GET and a
gzip representation for the feeds and schedule files that calendar and schedule apps poll.

A `PreparedResponse` holds one resource's bytes at one version and every header value of its
200 and of its 304. Clients that accept gzip get a compressed representation with its own
strong ETag (the plain ETag plus "-gzip", as Apache's mod_deflate writes it), made once on the
first request that asks and kept beside the plain one. Both carry `Vary: Accept-Encoding`, so a
shared cache never hands the compressed bytes to a client that did not ask for them.

A `ResponseCache` keeps them in each worker's memory, with when each public address last ran
its version query, so polling within the caller's TTL runs no SQL at all.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, lru_cache
from typing import Generic, TypeVar

from flask import Response, request
from werkzeug.http import http_date, parse_accept_header

from wuzhen_events import clock

GZIP_ETAG_SUFFIX = "-gzip"
GZIP_LEVEL = 6  # zlib's default: 9x smaller for the feeds, 3 ms for the whole program
VARY = ("Vary", "Accept-Encoding")

Headers = tuple[tuple[str, str], ...]
Key = TypeVar("Key")
Value = TypeVar("Value")


class Representation:
    """One encoding of a prepared response: its bytes and the headers of its 200 and 304."""

    __slots__ = ("body", "etag", "headers", "not_modified_headers", "quoted_etag")

    def __init__(
        self, etag: str, body: bytes, content_headers: Headers, validators: Headers
    ) -> None:
        self.etag = etag  # unquoted
        self.quoted_etag = f'"{etag}"'  # as a client sends it back in If-None-Match
        self.body = body
        self.headers = content_headers + validators
        self.not_modified_headers = validators


class PreparedResponse:
    """A resource at one version, ready to answer any GET for it without building anything."""

    def __init__(
        self,
        etag: str,
        last_modified: datetime | None,
        body: bytes,
        content_headers: Headers,
        cache_control: str,
        vary: str = VARY[1],
    ) -> None:
        self.last_modified = last_modified  # whole seconds, as If-Modified-Since carries it
        self._content_headers = content_headers
        self._cache_control = cache_control
        self._vary = vary
        self.identity = Representation(
            etag, body, content_headers, validators(etag, last_modified, cache_control, vary)
        )

    @cached_property
    def gzipped(self) -> Representation:
        """Compressed with a fixed mtime, so every worker makes the same bytes for one ETag."""
        etag = gzip_etag(self.identity.etag)
        body = gzip.compress(self.identity.body, compresslevel=GZIP_LEVEL, mtime=0)
        content_headers = (*self._content_headers, ("Content-Encoding", "gzip"))
        return Representation(
            etag,
            body,
            content_headers,
            validators(etag, self.last_modified, self._cache_control, self._vary),
        )

    def representation(self) -> Representation:
        """The representation this request asked for by its Accept-Encoding."""
        return self.gzipped if accepts_gzip() else self.identity


def validators(
    etag: str, last_modified: datetime | None, cache_control: str, vary: str = VARY[1]
) -> Headers:
    """The headers a 304 repeats from its 200 (RFC 9110 §15.4.5)."""
    headers = [("ETag", f'"{etag}"')]
    if last_modified is not None:
        headers.append(("Last-Modified", http_date(last_modified)))
    headers += [("Cache-Control", cache_control), ("Vary", vary)]
    return tuple(headers)


def respond(prepared: PreparedResponse) -> Response:
    """A 304 when the client's copy of the chosen representation is current, else the 200."""
    chosen = prepared.representation()
    if is_current(chosen.quoted_etag, chosen.etag, prepared.last_modified):
        return Response(status=304, headers=chosen.not_modified_headers)
    return Response(chosen.body, headers=chosen.headers)


def requested_etag(etag: str) -> str:
    """The ETag of the representation this request would get, known before building it."""
    return gzip_etag(etag) if accepts_gzip() else etag


def gzip_etag(etag: str) -> str:
    return etag + GZIP_ETAG_SUFFIX


def is_current(quoted_etag: str, etag: str, last_modified: datetime | None) -> bool:
    """RFC 9110 §13.2.2: If-None-Match (weak comparison) decides when present, else the date.

    `last_modified` is in whole seconds, as the header carries it.
    """
    environ = request.environ
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        # The common case, a client sending back exactly what it got, needs no parsing.
        return match == quoted_etag or request.if_none_match.contains_weak(etag)
    if last_modified is None or "HTTP_IF_MODIFIED_SINCE" not in environ:
        return False
    since = request.if_modified_since
    return since is not None and last_modified <= since


def request_origin() -> tuple:
    """The WSGI values request.host_url is made from, read raw: host_url costs more than a
    whole warm request's other work. The Host among them is a trusted one: any other was
    answered 400 before the view ran (site.security.refuse_untrusted_host)."""
    environ = request.environ
    return (
        environ.get("wsgi.url_scheme"),
        environ.get("HTTP_HOST"),
        environ.get("SERVER_NAME"),
        environ.get("SERVER_PORT"),
        environ.get("SCRIPT_NAME"),
    )


def accepts_gzip() -> bool:
    return gzip_accepted(request.environ.get("HTTP_ACCEPT_ENCODING", ""))


@lru_cache(maxsize=64)
def gzip_accepted(accept_encoding: str) -> bool:
    """RFC 9110 §12.5.3: gzip (or x-gzip, or *) listed with a quality above zero.

    Memoized by header value: clients send a handful of distinct ones.
    """
    if not accept_encoding:
        return False
    qualities = {value.lower(): quality for value, quality in parse_accept_header(accept_encoding)}
    for name in ("gzip", "x-gzip", "*"):
        if name in qualities:
            return qualities[name] > 0
    return False


class LRU(Generic[Key, Value]):
    """A small thread-safe LRU: threaded workers share one app, and so its caches."""

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


@dataclass(frozen=True, slots=True)
class Checked:
    """What an address's version query gave, and when (clock.monotonic())."""

    prepared: PreparedResponse
    at: float


class ResponseCache:
    """Prepared responses by version, and when each public address was last checked.

    `prepared` maps a key naming the data version (an ETag, say) to its PreparedResponse; a
    change makes a new key, so a stale entry is never served, and old ones age out.
    `checked` maps an address (what the bytes depend on besides the data: kind, scope,
    language, base URL) to the response its version query last gave and when. Within the
    caller's TTL of that check the address is answered from memory with no SQL at all; so a
    worker may serve a response up to TTL seconds older than the database.
    """

    def __init__(self, max_entries: int) -> None:
        self.prepared: LRU[object, PreparedResponse] = LRU(max_entries)
        self._checked: LRU[tuple, Checked] = LRU(max_entries)

    def recently_checked(self, address: tuple, ttl: float) -> PreparedResponse | None:
        checked = self._checked.get(address)
        if checked is not None and clock.monotonic() - checked.at < ttl:
            return checked.prepared
        return None

    def remember_check(self, address: tuple, prepared: PreparedResponse, at: float) -> None:
        """`at` is clock.monotonic() read before the version query: a change committed after it is
        seen by the next check."""
        self._checked.put(address, Checked(prepared, at))

    def clear(self) -> None:
        self.prepared.clear()
        self._checked.clear()

    def __len__(self) -> int:
        return len(self.prepared)
