"""One way to serve an export: an `Exporter` says what it is, `serve` answers for it.

An exporter (pretalx's BaseExporter, made for conditional GET) declares its identifier, content
type, file name, caching, whether it is public and whether other sites' pages may read it (CORS);
it runs its data version query and builds its bytes. `serve` does the rest for every exporter
alike: a public export checked against the database less than CALENDAR_VERSION_TTL seconds ago
is answered from memory with no SQL; otherwise its version query runs, a matching If-None-Match
or If-Modified-Since is answered 304, and bytes already built for that version are served
without being built again, plain or gzipped (wuzhen_events.conditional). A private export is
never kept: its version is checked on every request and its bytes built for each 200.

Staleness bound: after an organiser's change a worker may serve the previous version of a
public export for up to CALENDAR_VERSION_TTL seconds (default 1 s), never longer.

The caches are made by `register_serving`, called from create_app, and bounded by settings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import wraps
from urllib.parse import urlencode

from flask import Flask, Response, current_app, g, request, session
from flask_babel import get_locale

from wuzhen_events import clock
from wuzhen_events.conditional import (
    PreparedResponse,
    ResponseCache,
    is_current,
    request_origin,
    requested_etag,
    respond,
    validators,
)

EXPORT_CACHE = "wuzhen_events.exports"
PAGE_VERSION = "wuzhen_events.page_version"

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Link, ETag, Last-Modified",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


@dataclass(frozen=True, slots=True)
class Version:
    """An export's data version: the key its bytes are kept under, and what a client validates.

    `etag` None: the ETag is worked out from the bytes (Exporter.body_etag), so a change the
    bytes do not show still answers 304. A private export must know its ETag beforehand.
    """

    key: str
    last_modified: datetime | None
    etag: str | None = None


class Exporter:
    """What one export is and how its version and bytes are made; `serve` does the serving.

    Making an exporter must run no SQL: a public export within its TTL is answered from what
    `address()` names alone.
    """

    identifier: str  # names the export in the cache: "calendar.day", "schedule.xml"
    content_type: str
    cache_control: str = "public, max-age=300"
    public: bool = True  # False: never kept in memory, its version checked every time
    cors: bool = False  # True: any web page may read it (no cookies are involved)

    @property
    def filename(self) -> str | None:
        """Sent as Content-Disposition: inline, so a download keeps a sensible name."""
        return None

    def address(self) -> tuple:
        """What the bytes depend on besides the data (scope, language); the host is added."""
        return ()

    def version(self) -> Version:
        """The version query; it may abort with the export's own 404."""
        raise NotImplementedError

    def build(self, version: Version) -> bytes:
        raise NotImplementedError

    def body_etag(self, body: bytes) -> str:
        raise NotImplementedError

    def content_headers(self) -> tuple[tuple[str, str], ...]:
        headers = [("Content-Type", self.content_type)]
        if self.filename is not None:
            headers.append(("Content-Disposition", f'inline; filename="{self.filename}"'))
        return tuple(headers)


def serve(exporter: Exporter) -> Response:
    """The export, or a 304 when the client's copy is current."""
    cache = export_cache()
    address = None
    if exporter.public:
        origin = current_app.config["PUBLIC_BASE_URL"] or request_origin()
        address = (exporter.identifier, *exporter.address(), origin)
        recent = cache.recently_checked(address, current_app.config["CALENDAR_VERSION_TTL"])
        if recent is not None:
            return respond(recent)
    checked_at = clock.monotonic()
    version = exporter.version()
    last_modified = version.last_modified
    if last_modified is not None:
        last_modified = last_modified.replace(microsecond=0)
    if address is None:
        # Never kept: a 304 is answered from the version alone, anything else is built.
        assert version.etag is not None, "a private export knows its ETag before its bytes"
        chosen = requested_etag(version.etag)
        if is_current(f'"{chosen}"', chosen, last_modified):
            return Response(
                status=304, headers=validators(chosen, last_modified, exporter.cache_control)
            )
        return respond(prepare(exporter, version.etag, last_modified, exporter.build(version)))
    prepared = cache.prepared.get(version.key)
    if prepared is None or prepared.last_modified != last_modified:
        # The same key names the same bytes: when only the date moved, they are kept.
        body = prepared.identity.body if prepared is not None else exporter.build(version)
        etag = version.etag if version.etag is not None else exporter.body_etag(body)
        prepared = prepare(exporter, etag, last_modified, body)
        cache.prepared.put(version.key, prepared)
    cache.remember_check(address, prepared, checked_at)
    return respond(prepared)


def prepare(
    exporter: Exporter, etag: str, last_modified: datetime | None, body: bytes
) -> PreparedResponse:
    return PreparedResponse(
        etag, last_modified, body, exporter.content_headers(), exporter.cache_control
    )


def export_cache() -> ResponseCache:
    return current_app.extensions[EXPORT_CACHE]


def exported_by(exporter: type[Exporter]) -> Callable:
    """Marks a view as serving `exporter`, so the CORS hook knows what the export declared."""

    def mark(view: Callable) -> Callable:
        view.exporter = exporter  # type: ignore[attr-defined]
        return view

    return mark


def cors_allowed(app: Flask, prefixes: tuple[str, ...]) -> bool:
    """Addresses under `prefixes` (the JSON API), and every export that declares `cors`."""
    if request.path.startswith(prefixes):
        return True
    view = app.view_functions.get(request.endpoint or "")
    exporter = getattr(view, "exporter", None)
    return exporter is not None and exporter.cors


def register_serving(
    app: Flask,
    page_version: Callable[[], Version | None],
    *,
    cors_prefixes: tuple[str, ...] = (),
) -> None:
    """The bounded caches of prepared responses, the public data's version query for pages,
    and the CORS headers of public data (every address under `cors_prefixes`, given by the
    factory, so this module needs to know no interface)."""
    app.extensions[EXPORT_CACHE] = ResponseCache(app.config["EXPORT_CACHE_ENTRIES"])
    app.extensions[PAGE_CACHE] = ResponseCache(app.config["PAGE_CACHE_ENTRIES"])
    app.extensions[PAGE_VERSION] = page_version
    app.extensions[PAGE_ORIGINS] = set()

    @app.after_request
    def add_cors_headers(response: Response) -> Response:
        """Anyone's web page may read the public program; none of it uses cookies."""
        if cors_allowed(app, cors_prefixes):
            response.headers.update(CORS_HEADERS)
            if request.method == "OPTIONS":
                response.headers.update(PREFLIGHT_HEADERS)
        return response


# --- public pages -------------------------------------------------------------------------------

PAGE_CACHE = "wuzhen_events.pages"
PAGE_ORIGINS = "wuzhen_events.page_origins"
PAGE_CACHE_CONTROL = "no-cache"  # a browser keeps the page and asks again with its ETag
PAGE_VARY = "Accept-Encoding, Accept-Language, Cookie"  # the language comes from these
PAGE_QUERY_LIMIT = 512  # longer query strings are served, never kept
# Site addresses (scheme, Host, port) a worker keeps pages for when PUBLIC_BASE_URL is not set:
# a page with an absolute link depends on the address, and a client cycling Host ports must not
# multiply the cache. Pages asked for under any further address are rendered, never kept.
PAGE_ORIGIN_LIMIT = 4


def page_cache() -> ResponseCache:
    return current_app.extensions[PAGE_CACHE]


def prepared_page(
    view: Callable | None = None,
    *,
    clock_step: timedelta | None = None,
    query: tuple[str, ...] = (),
    depends: Callable[[], Hashable] | None = None,
) -> Callable:
    """Serves a public page that does not depend on the visitor from a prepared response.

    The page is rendered once per data version, language, address and the query parameters
    named in `query` (the ones the view reads: any other parameter serves the same page), per
    `clock_step` of time for a page that shows the time or today, and per value of `depends`
    for a page that shows what the data version leaves out (seats taken); then it is answered
    with ETag/304 and gzip like an export.
    A request bringing a flash message is rendered as before, and a page whose rendering set
    anything per visitor (a form token, a session change, a cookie) is never kept.
    """
    if view is None:
        return lambda view: prepared_page(view, clock_step=clock_step, query=query, depends=depends)

    @wraps(view)
    def serve_page(**view_args):
        kept_query = page_query(query)
        g.page_path = page_path(kept_query)  # the language links lead back to the kept page
        if not page_may_be_kept():
            return view(**view_args)
        origin = page_origin()
        if origin is None:
            return view(**view_args)
        cache = page_cache()
        address = (request.endpoint, tuple(sorted(view_args.items())), kept_query)
        address += (str(get_locale()), origin)
        if clock_step:
            address += (clock_period_start(clock_step),)
        recent = cache.recently_checked(address, current_app.config["CALENDAR_VERSION_TTL"])
        if recent is not None:
            return respond(recent)
        checked_at = clock.monotonic()
        version = current_app.extensions[PAGE_VERSION]()
        if version is None:
            return view(**view_args)
        key = (address, version.key, depends() if depends else None)
        prepared = cache.prepared.get(key)
        if prepared is None:
            response = current_app.make_response(view(**view_args))
            if not may_keep(response):
                return response
            body = response.get_data()
            # No Last-Modified: a data version is not a moment (a transaction that began earlier
            # may commit later), so If-Modified-Since could keep a stale page; the ETag is exact.
            prepared = PreparedResponse(
                hashlib.blake2b(body, digest_size=16).hexdigest(),
                None,
                body,
                (("Content-Type", response.content_type),),
                PAGE_CACHE_CONTROL,
                PAGE_VARY,
            )
            cache.prepared.put(key, prepared)
        cache.remember_check(address, prepared, checked_at)
        return respond(prepared)

    serve_page.page_query = query  # type: ignore[attr-defined]
    return serve_page


def page_may_be_kept() -> bool:
    """A plain GET with no message waiting for this visitor and a query string of sane length."""
    return (
        request.method in ("GET", "HEAD")
        and "_flashes" not in session
        and len(request.environ.get("QUERY_STRING", "")) <= PAGE_QUERY_LIMIT
    )


def page_query(names: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The parameters the view reads, by name, each with its values in the order given (a form
    takes the first); parameters it does not read are left out, so they share one page."""
    args = request.args
    return tuple((name, tuple(args.getlist(name))) for name in sorted(names) if name in args)


def page_path(kept_query: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    """The page's own address from the parameters it reads: what its language links return to."""
    pairs = [(name, value) for name, values in kept_query for value in values]
    return f"{request.path}?{urlencode(pairs)}" if pairs else request.path


def page_origin() -> Hashable | None:
    """The site address pages are kept under: PUBLIC_BASE_URL when set; else the request's,
    one of the first PAGE_ORIGIN_LIMIT seen by this worker, or None (render, do not keep)."""
    if current_app.config["PUBLIC_BASE_URL"]:
        return current_app.config["PUBLIC_BASE_URL"]
    origin = request_origin()
    seen: set = current_app.extensions[PAGE_ORIGINS]
    if origin in seen:
        return origin
    if len(seen) >= PAGE_ORIGIN_LIMIT:
        return None
    seen.add(origin)
    return origin


def clock_period_start(step: timedelta) -> datetime:
    """The start of the current period of `step` (UTC), so the page is rebuilt as each begins."""
    now = clock.now().astimezone(UTC)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + step * ((now - midnight) // step)


def may_keep(response: Response) -> bool:
    """Nothing of this visitor's went into it: no form token, no session change, no cookie."""
    return (
        response.status_code == 200
        and "csrf_token" not in g
        and not session.modified
        and "Set-Cookie" not in response.headers
    )
