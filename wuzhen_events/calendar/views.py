"""Calendar feeds over HTTP, with conditional GET, and the page that lists every feed.

Each feed is an exporter served by wuzhen_events.serving: a request runs its scope's version
query first; a matching If-None-Match or If-Modified-Since is answered 304 from that alone, and
a public feed already built for the same ETag is served from memory, its bytes and header
values prepared once, plain and (for clients that accept it) gzipped.

Staleness bound: a public feed's version query runs at most once every CALENDAR_VERSION_TTL
seconds (default 1 s) per feed address and worker process; in between, requests are answered
from that last check with no SQL. So after an organiser's change a worker may go on serving
the previous feed (or answering 304 to it) for up to CALENDAR_VERSION_TTL seconds, never
longer; the next request after that sees the change. Calendar clients poll hourly
(REFRESH-INTERVAL) and may cache for 5 minutes (Cache-Control), so a second is far inside
what they already accept. CALENDAR_VERSION_TTL = 0 checks on every request (the tests do);
personal feeds are checked on every request whatever it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l

from wuzhen_events import serving
from wuzhen_events.calendar import feeds
from wuzhen_events.i18n import LANGUAGE_NAMES, localized, long_day, page_language
from wuzhen_events.program.calendar_events import session_event
from wuzhen_events.program.models import Conference, ProgramSession
from wuzhen_events.program.queries import (
    conference_or_404,
    program_days,
    subforum_filter_options,
)
from wuzhen_events.serving import Exporter, Version
from wuzhen_events.urls import external_url

bp = Blueprint("calendar", __name__, url_prefix="/calendar")

CONTENT_TYPE = "text/calendar; charset=utf-8"
PUBLIC_CACHING = "public, max-age=300"
PRIVATE_CACHING = "private, max-age=300"
PRIVATE_FEEDS = frozenset({"personal"})  # never answered from memory without a version query

NO_PROGRAM = _l("No conference program has been published yet.")
BAD_DAY = _l(
    "There is no calendar for this day. Days are written as 2018-11-08 and must fall within "
    "the conference and its Expo, 6–10 November 2018."
)
NO_SUBFORUM = _l("There is no subforum at this address, so there is no calendar for it.")
NO_SESSION = _l("There is no session with this number, so there is no calendar for it.")
NO_PERSONAL_FEED = _l(
    "This personal calendar address is not valid. It may have been mistyped or replaced by a "
    "new one: your registration page shows the current address."
)
MISSING = {
    "program": NO_PROGRAM,
    "day": BAD_DAY,
    "subforum": NO_SUBFORUM,
    "session": NO_SESSION,
    "personal": NO_PERSONAL_FEED,
}


@dataclass(frozen=True)
class FeedLink:
    label: str
    url: str  # http(s), to download the file
    webcal_url: str  # the same address for a calendar app to subscribe to


@dataclass(frozen=True)
class SessionLinks:
    """What "Add to calendar" offers for one session."""

    session: ProgramSession
    ics_url: str
    google_url: str
    subforum: FeedLink | None


@dataclass(frozen=True)
class DaySessions:
    day: date
    sessions: list[SessionLinks]


# --- feeds -------------------------------------------------------------------------------------


@bp.get("/wic2018.ics")
def program_feed():
    return serve("program")


@bp.get("/days/<day>.ics")
def day_feed(day: str):
    return serve("day", day)


@bp.get("/subforums/<slug:slug>.ics")
def subforum_feed(slug: str):
    return serve("subforum", slug)


@bp.get("/sessions/<int(max=2147483647):session_id>.ics")
def session_feed(session_id: int):
    return serve("session", session_id)


@bp.get("/me/<token>.ics")
def personal_feed(token: str):
    response = serve("personal", token)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


class CalendarFeed(Exporter):
    """A feed by its name in the URL contract and its scope, in the language it was asked in."""

    content_type = CONTENT_TYPE

    def __init__(self, name: str, scope: tuple, locale: str) -> None:
        self.name = name
        self.scope = scope
        self.locale = locale
        self.public = name not in PRIVATE_FEEDS
        self.cache_control = PUBLIC_CACHING if self.public else PRIVATE_CACHING
        self.identifier = f"calendar.{name}"
        self.feed: feeds.Feed | None = None
        self.timezone = "Asia/Shanghai"

    @property
    def filename(self) -> str | None:
        return self.feed.filename if self.feed is not None else None

    def address(self) -> tuple:
        return (self.scope, self.locale)

    def version(self) -> Version:
        """The scope's version query; a 404 that says why when there is no such feed."""
        feed = feeds.EXPORTERS[self.name](*self.scope)
        if feed is None:
            abort(not_found(MISSING[self.name]))
        version = feeds.feed_version(feed)
        if version.conference_id is None:
            abort(not_found(NO_PROGRAM))
        self.feed = feed
        self.timezone = version.timezone
        base_url = current_app.config["PUBLIC_BASE_URL"] or request.host_url
        etag = version.etag(feed, locale=self.locale, base_url=base_url)
        return Version(key=etag, last_modified=version.last_modified, etag=etag)

    def build(self, version: Version) -> bytes:
        assert self.feed is not None
        return feeds.build_feed(self.feed, locale=self.locale, timezone=self.timezone)


def serve(name: str, *scope) -> Response:
    """The feed, a 304 when the client's copy is current, or a 404 that says why."""
    return serving.serve(CalendarFeed(name, scope, feed_language()))


def feed_language() -> str:
    """Calendar apps send no cookies: a feed's language is its `?lang=`, English otherwise."""
    if not request.environ.get("QUERY_STRING"):
        return "en"  # most requests: no query string to parse
    requested = request.args.get("lang", "")
    return requested if requested in current_app.config["SUPPORTED_LOCALES"] else "en"


def not_found(problem: str) -> Response:
    page = render_template("calendar/feed_not_found.html", problem=problem)
    return Response(page, status=404, content_type="text/html; charset=utf-8")


# --- the calendar page and "add to calendar" ---------------------------------------------------


@bp.get("/")
def index():
    conference = conference_or_404()
    args = language_args()
    sessions = feeds.sessions_of(conference)
    subforums = subforum_filter_options(conference)
    other = "en" if args else "zh"
    other_args = {"lang": "zh"} if other == "zh" else {}
    return render_template(
        "calendar/index.html",
        program=feed_link(_l("The whole program"), "calendar.program_feed", args),
        program_other_language=feed_link(
            LANGUAGE_NAMES[other], "calendar.program_feed", other_args
        ),
        other_language_tag="zh-Hans" if other == "zh" else "en",
        days=[
            feed_link(long_day(day), "calendar.day_feed", {"day": day.isoformat(), **args})
            for day in program_days(conference)
        ],
        subforums=[
            feed_link(
                localized(subforum, "title"),
                "calendar.subforum_feed",
                {"slug": subforum.slug, **args},
            )
            for subforum in subforums
        ],
        session_days=group_by_day(conference, [session_links(s) for s in sessions]),
    )


def session_links(session: ProgramSession) -> SessionLinks:
    """Download, Google Calendar and subforum-subscription links for a session page."""
    args = language_args()
    event = session_event(session, locale=page_language())
    subforum = None
    if session.subforum is not None:
        subforum = feed_link(
            localized(session.subforum, "title"),
            "calendar.subforum_feed",
            {"slug": session.subforum.slug, **args},
        )
    return SessionLinks(
        session=session,
        ics_url=external_url("calendar.session_feed", session_id=session.id, **args),
        google_url=feeds.google_calendar_url(event),
        subforum=subforum,
    )


def feed_link(label, endpoint: str, values: dict) -> FeedLink:
    url = external_url(endpoint, **values)
    return FeedLink(str(label), url, webcal(url))


def webcal(url: str) -> str:
    """webcal:// makes the browser hand the address to the calendar app, which subscribes."""
    scheme, _, rest = url.partition("://")
    return f"webcal://{rest}" if scheme in {"http", "https"} else url


def language_args() -> dict[str, str]:
    """Feed links carry the page's language, since the calendar app will not know it."""
    return {"lang": "zh"} if page_language() == "zh" else {}


def group_by_day(conference: Conference, links: list[SessionLinks]) -> list[DaySessions]:
    days: list[DaySessions] = []
    for link in links:
        day = link.session.starts_at.astimezone(conference.tzinfo).date()
        if not days or days[-1].day != day:
            days.append(DaySessions(day, []))
        days[-1].sessions.append(link)
    return days
