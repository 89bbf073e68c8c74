"""Which sessions and launches each feed holds, the events they become, and the one query
that tells whether a feed changed.

A feed is a scope (conditions on public sessions and, for some, on Expo launches) plus a name.
`feed_version` reads a fingerprint of exactly that scope in one statement, so a conditional
request is answered without building anything, and a change to one session changes the
fingerprint, and so the ETag, of the feeds that hold it and of no others.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from urllib.parse import quote, urlencode

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, gettext

from wuzhen_events.expo.enums import Sector
from wuzhen_events.expo.models import Exhibitor, ProductLaunch
from wuzhen_events.expo.queries import launches_statement
from wuzhen_events.extensions import db
from wuzhen_events.i18n import localized, long_day, page_language
from wuzhen_events.ical import CalendarEvent, build_calendar
from wuzhen_events.program.calendar_events import (
    SESSION_LOAD,
    SessionWording,
    UrlPattern,
    category_tag,
    session_event_in,
    session_wording,
)
from wuzhen_events.program.models import (
    Conference,
    ProgramSession,
    SessionSpeaker,
    Speaker,
    Subforum,
    session_topics,
)
from wuzhen_events.program.queries import current_conference, day_bounds, program_days
from wuzhen_events.registration.enums import SeatStatus
from wuzhen_events.registration.models import Bookmark, Delegate, SeatBooking
from wuzhen_events.registration.queries import delegate_by_secret
from wuzhen_events.registration.tokens import Secret
from wuzhen_events.routing import is_valid_slug

# Part of every ETag: bump it whenever the builder writes different bytes for the same rows,
# so subscribers fetch the new form instead of being told theirs is current.
FORMAT_VERSION = "1"
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
LIST_SEPARATORS = re.compile(r"\s*[,;]\s*")
GOOGLE_TEMPLATE = "https://calendar.google.com/calendar/render?"
GOOGLE_DETAILS_LIMIT = 1000  # Google's template link breaks on very long addresses

# The first conference by id, as current_conference() chooses it, without a query of its own.
CURRENT_CONFERENCE_ID = (
    sa.select(sa.func.min(Conference.id)).scalar_subquery().label("conference_id")
)
CURRENT_TIMEZONE = (
    sa.select(Conference.timezone)
    .order_by(Conference.id)
    .limit(1)
    .scalar_subquery()
    .label("timezone")
)


@dataclass(frozen=True)
class Feed:
    """One feed's scope: which public sessions and which launches it holds, and its name."""

    key: str  # names the scope inside the ETag: "program", "day:2018-11-08", "session:12"
    filename: str
    name: Callable[[], str]  # called in the feed's language
    sessions: tuple[sa.ColumnElement[bool], ...]
    launches: tuple[sa.ColumnElement[bool], ...] | None = None  # None: no Expo launches
    # Scalar subqueries that change when membership changes (a delegate's seats and stars):
    # counts go into the fingerprint, times into the fingerprint and Last-Modified.
    membership: tuple[sa.ScalarSelect, ...] = ()
    membership_changed: tuple[sa.ScalarSelect, ...] = ()
    description: Callable[[], str] = field(default=lambda: "")
    private: bool = False
    # Subforums whose sessions are only held for the person (address not yet confirmed): their
    # events say STATUS:TENTATIVE.
    tentative_subforums: frozenset[int] = frozenset()


@dataclass(frozen=True)
class FeedVersion:
    """What the ETag is made of, and the moment to send as Last-Modified."""

    conference_id: int | None
    timezone: str | None
    fingerprint: tuple
    last_modified: datetime | None

    def etag(self, feed: Feed, *, locale: str, base_url: str) -> str:
        parts = (
            FORMAT_VERSION,
            feed.key,
            locale,
            base_url,
            current_app.config["CALENDAR_UID_HOST"],
            *self.fingerprint,
        )
        text = "\x1f".join("" if part is None else str(part) for part in parts)
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


# --- events ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wording:
    """Labels and link patterns of one language, looked up once per feed, not once per event."""

    sessions: SessionWording
    launch_title: str  # "Launch: %(product)s (%(company)s)"
    hall: str  # "Hall %(hall)s"
    hall_and_booth: str  # "Hall %(hall)s, booth %(booth)s"
    launches: str
    sectors: dict[Sector, str]
    exhibitor_url: UrlPattern


def wording(locale: str) -> Wording:
    with force_locale(locale):
        return Wording(
            sessions=session_wording(locale),
            launch_title=gettext("Launch: %(product)s (%(company)s)"),
            hall=gettext("Hall %(hall)s"),
            hall_and_booth=gettext("Hall %(hall)s, booth %(booth)s"),
            launches=category_tag(gettext("Product launches")),
            sectors={sector: category_tag(sector.label) for sector in Sector},
            # Slugs are URL-safe, so joining them in needs no quoting.
            exhibitor_url=UrlPattern.of("expo.exhibitor_detail", "slug", "calendar-url-marker"),
        )


def launch_event(launch: ProductLaunch, *, locale: str = "en") -> CalendarEvent:
    """An Expo product launch as a calendar event, in `locale`; needs its exhibitor."""
    return _launch_event(launch, wording(locale))


def _launch_event(launch: ProductLaunch, words: Wording) -> CalendarEvent:
    locale = words.sessions.locale
    exhibitor = launch.exhibitor
    product = localized(launch, "product", locale)
    company = localized(exhibitor, "company", locale)
    url = words.exhibitor_url(exhibitor.slug)
    booth = words.hall_and_booth % {"hall": exhibitor.hall, "booth": exhibitor.booth}
    description = [localized(launch, "description", locale), f"{company} · {booth}", url]
    location = [localized(launch, "stage", locale), words.hall % {"hall": exhibitor.hall}]
    return CalendarEvent(
        uid=f"wic2018-launch-{launch.id}@{words.sessions.uid_host}",
        summary=words.launch_title % {"product": product, "company": company},
        description="\n\n".join(part for part in description if part),
        location=", ".join(part for part in location if part),
        url=url,
        categories=(words.launches, words.sectors[exhibitor.sector]),
        starts_at=launch.starts_at,
        ends_at=launch.ends_at,
        status="CONFIRMED",
        sequence=0,  # launches have no sequence column: nothing reschedules them yet
        last_modified=max(launch.updated_at, exhibitor.updated_at),
    )


def delegate_sessions(delegate: Delegate) -> list[ProgramSession]:
    """Sessions of the subforums the delegate has a confirmed seat in, and the starred ones.

    Each session once, in time order, loaded for `session_event`.
    """
    return list(
        db.session.scalars(
            sa.select(ProgramSession)
            .where(ProgramSession.is_public, *_delegate_conditions(delegate))
            .options(*SESSION_LOAD)
            .order_by(ProgramSession.starts_at, ProgramSession.id)
        ).unique()
    )


def _delegate_conditions(delegate: Delegate) -> tuple[sa.ColumnElement[bool], ...]:
    seated = sa.select(SeatBooking.subforum_id).where(
        SeatBooking.delegate_id == delegate.id,
        SeatBooking.status.in_([SeatStatus.CONFIRMED, SeatStatus.HELD]),
    )
    starred = sa.select(Bookmark.session_id).where(Bookmark.delegate_id == delegate.id)
    return (
        ProgramSession.conference_id == delegate.conference_id,
        sa.or_(ProgramSession.subforum_id.in_(seated), ProgramSession.id.in_(starred)),
    )


def google_calendar_url(event: CalendarEvent) -> str:
    """Google Calendar's "add event" template link, with times in UTC."""
    details = event.description
    if len(details) > GOOGLE_DETAILS_LIMIT:
        details = details[: GOOGLE_DETAILS_LIMIT - 1].rstrip() + "…\n\n" + event.url
    query = {
        "action": "TEMPLATE",
        "text": event.summary,
        "dates": f"{_google_time(event.starts_at)}/{_google_time(event.ends_at)}",
        "details": details,
        "location": event.location,
        "ctz": "Asia/Shanghai",
    }
    # Slashes stay as they are, as in Google's own examples ("dates=.../...").
    return GOOGLE_TEMPLATE + urlencode(query, safe="/", quote_via=quote)


def _google_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


# --- feeds -------------------------------------------------------------------------------------


def conference_name() -> str:
    return gettext("World Internet Conference 2018")


def program_feed() -> Feed:
    """Everything public, Expo launches included; resolving it runs no query."""
    return Feed(
        key="program",
        filename="wic2018.ics",
        name=conference_name,
        description=_program_description,
        sessions=(ProgramSession.conference_id == CURRENT_CONFERENCE_ID,),
        launches=(Exhibitor.conference_id == CURRENT_CONFERENCE_ID,),
    )


def day_feed(text: str) -> Feed | None:
    """One conference-time day of the program with that day's launches; None off the program."""
    if not ISO_DAY.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    conference = current_conference()
    if conference is None or day not in program_days(conference):
        return None
    start, end = day_bounds(conference, day)
    return Feed(
        key=f"day:{day.isoformat()}",
        filename=f"wic2018-{day.isoformat()}.ics",
        name=lambda: f"{conference_name()} · {long_day(day)}",
        description=_program_description,
        sessions=(
            ProgramSession.conference_id == conference.id,
            ProgramSession.starts_at >= start,
            ProgramSession.starts_at < end,
        ),
        launches=(
            Exhibitor.conference_id == conference.id,
            ProductLaunch.starts_at >= start,
            ProductLaunch.starts_at < end,
        ),
    )


def subforum_feed(slug: str) -> Feed | None:
    if not is_valid_slug(slug):
        return None
    row = db.session.execute(
        sa.select(Subforum.id, Subforum.title, Subforum.title_zh).where(Subforum.slug == slug)
    ).first()
    if row is None:
        return None
    return Feed(
        key=f"subforum:{row.id}",
        filename=f"wic2018-{slug}.ics",
        name=_titled(row.title, row.title_zh),
        description=_program_description,
        sessions=(ProgramSession.subforum_id == row.id,),
    )


def session_feed(session_id: int) -> Feed | None:
    row = db.session.execute(
        sa.select(ProgramSession.id, ProgramSession.title, ProgramSession.title_zh).where(
            ProgramSession.id == session_id, ProgramSession.is_public
        )
    ).first()
    if row is None:
        return None
    return Feed(
        key=f"session:{row.id}",
        filename=f"wic2018-session-{row.id}.ics",
        name=_titled(row.title, row.title_zh),
        description=_program_description,
        sessions=(ProgramSession.id == row.id,),
    )


def personal_feed(token: str) -> Feed | None:
    """A delegate's seats and stars, found by the feed secret; None for any other string.

    A cancelled registration keeps a valid, empty feed: a subscribed calendar then drops the
    sessions instead of showing an error and keeping them forever.
    """
    delegate = delegate_by_secret(Secret.FEED, token)
    if delegate is None:
        return None
    held: frozenset[int] = frozenset()
    if delegate.is_active:
        conditions = _delegate_conditions(delegate)
        key = f"delegate:{delegate.id}"
        if delegate.email_verified_at is None:  # only then can a seat be held, not confirmed
            held = frozenset(
                db.session.scalars(
                    sa.select(SeatBooking.subforum_id).where(
                        SeatBooking.delegate_id == delegate.id,
                        SeatBooking.status == SeatStatus.HELD,
                    )
                )
            )
    else:
        conditions = (sa.false(),)
        key = f"delegate:{delegate.id}:cancelled"
    return Feed(
        key=key,
        filename="wic2018-my-agenda.ics",
        # Not inside an f-string: the message extractor would not see the call.
        name=lambda: conference_name() + " · " + gettext("My agenda"),
        description=lambda: gettext("Your confirmed subforum seats and starred sessions."),
        sessions=conditions,
        membership=(
            _of_delegate(sa.func.count(SeatBooking.id), SeatBooking, delegate),
            _of_delegate(sa.func.count(Bookmark.id), Bookmark, delegate),
        ),
        membership_changed=(
            _of_delegate(sa.func.max(SeatBooking.created_at), SeatBooking, delegate),
            _of_delegate(sa.func.max(SeatBooking.confirmed_at), SeatBooking, delegate),
            _of_delegate(sa.func.max(Bookmark.created_at), Bookmark, delegate),
            sa.select(Delegate.updated_at).where(Delegate.id == delegate.id).scalar_subquery(),
        ),
        private=True,
        tentative_subforums=held,
    )


def _of_delegate(
    aggregate: sa.ColumnElement, model: type[SeatBooking | Bookmark], delegate: Delegate
) -> sa.ScalarSelect:
    return sa.select(aggregate).where(model.delegate_id == delegate.id).scalar_subquery()


# The exporter table: a feed's name in the URL contract to what resolves its scope.
EXPORTERS: dict[str, Callable[..., Feed | None]] = {
    "program": program_feed,
    "day": day_feed,
    "subforum": subforum_feed,
    "session": session_feed,
    "personal": personal_feed,
}


def _titled(title: str, title_zh: str) -> Callable[[], str]:
    def name() -> str:
        chosen = title_zh if title_zh and page_language() == "zh" else title
        return f"{conference_name()} · {chosen}"

    return name


def _program_description() -> str:
    return gettext(
        "The Fifth World Internet Conference, Wuzhen, 7–9 November 2018. "
        "Times are conference time (China Standard Time, UTC+8)."
    )


# --- versions and building ---------------------------------------------------------------------


def feed_version(feed: Feed) -> FeedVersion:
    """The fingerprint of the feed's scope and the program's last change, in one statement.

    Subforums' own updated_at is left out: every seat booking moves it, and no feed shows seats.
    """
    in_scope = sa.select(ProgramSession.id).where(ProgramSession.is_public, *feed.sessions)
    sessions = (
        sa.select(
            sa.func.count(ProgramSession.id).label("sessions"),
            sa.func.max(ProgramSession.updated_at).label("sessions_changed"),
            sa.func.coalesce(sa.func.sum(ProgramSession.sequence), 0).label("sequences"),
            sa.func.coalesce(sa.func.sum(ProgramSession.id), 0).label("session_ids"),
        )
        .where(ProgramSession.is_public, *feed.sessions)
        .subquery()
    )
    speakers = (
        sa.select(
            sa.func.count(SessionSpeaker.id).label("roles"),
            sa.func.max(Speaker.updated_at).label("speakers_changed"),
        )
        .join(Speaker, Speaker.id == SessionSpeaker.speaker_id)
        .where(SessionSpeaker.session_id.in_(in_scope))
        .subquery()
    )
    topics = (
        sa.select(sa.func.count().label("topics"))
        .select_from(session_topics)
        .where(session_topics.c.session_id.in_(in_scope))
        .subquery()
    )
    scope = sessions.join(speakers, sa.true()).join(topics, sa.true())
    columns: list = [
        CURRENT_CONFERENCE_ID,
        CURRENT_TIMEZONE,
        *sessions.c,
        *speakers.c,
        *topics.c,
    ]
    if feed.launches is not None:
        launches = (
            sa.select(
                sa.func.count(ProductLaunch.id).label("launches"),
                sa.func.max(ProductLaunch.updated_at).label("launches_changed"),
                sa.func.max(Exhibitor.updated_at).label("exhibitors_changed"),
                sa.func.coalesce(sa.func.sum(ProductLaunch.id), 0).label("launch_ids"),
            )
            .join(Exhibitor, Exhibitor.id == ProductLaunch.exhibitor_id)
            .where(*feed.launches)
            .subquery()
        )
        scope = scope.join(launches, sa.true())
        columns.extend(launches.c)
    columns.extend(subquery.label(f"membership_{n}") for n, subquery in enumerate(feed.membership))
    times = [
        *(subquery.label(f"changed_{n}") for n, subquery in enumerate(feed.membership_changed)),
        *_program_changed(),
    ]
    row = db.session.execute(sa.select(*columns, *times).select_from(scope)).one()
    values = tuple(row)
    changes = [moment for moment in values[-len(times) :] if moment is not None]
    return FeedVersion(
        conference_id=row.conference_id,
        timezone=row.timezone,
        # Not the program-wide times: those would tie every feed's ETag to every change.
        fingerprint=values[1 : len(values) - len(PROGRAM_TABLES)],
        last_modified=max(changes, default=None),
    )


# Every row a feed can show, whatever the feed: Last-Modified is the latest change among them.
# It is global on purpose: a session moved out of a day's feed leaves no trace in that scope,
# so only a program-wide time keeps If-Modified-Since from answering 304 to a stale copy.
PROGRAM_TABLES = (ProgramSession, ProductLaunch, Speaker, Exhibitor)


def _program_changed() -> list[sa.Label]:
    return [
        sa.select(sa.func.max(table.updated_at))
        .scalar_subquery()
        .label(f"{table.__tablename__}_changed")
        for table in PROGRAM_TABLES
    ]


def feed_events(feed: Feed, *, locale: str) -> list[CalendarEvent]:
    """The feed's events: three statements for its sessions and one for its launches."""
    sessions = db.session.scalars(
        sa.select(ProgramSession)
        .where(ProgramSession.is_public, *feed.sessions)
        .options(*SESSION_LOAD)
        .order_by(ProgramSession.starts_at, ProgramSession.id)
    ).unique()
    words = wording(locale)
    events = [_tentative_if_held(session_event_in(s, words.sessions), s, feed) for s in sessions]
    if feed.launches is not None:
        # The calendar sorts its events itself; the shared statement's order changes nothing.
        launches = db.session.scalars(launches_statement(*feed.launches))
        events.extend(_launch_event(launch, words) for launch in launches)
    return events


def _tentative_if_held(event: CalendarEvent, session: ProgramSession, feed: Feed) -> CalendarEvent:
    if session.subforum_id in feed.tentative_subforums and event.status == "CONFIRMED":
        return replace(event, status="TENTATIVE")
    return event


def build_feed(feed: Feed, *, locale: str, timezone: str = "Asia/Shanghai") -> bytes:
    events = feed_events(feed, locale=locale)
    with force_locale(locale):
        name = feed.name()
        description = feed.description()
    return build_calendar(events, name=name, timezone=timezone, description=description)


def sessions_of(conference: Conference) -> list[ProgramSession]:
    """Public sessions loaded for events, in program order: for the calendar page."""
    return list(
        db.session.scalars(
            sa.select(ProgramSession)
            .where(ProgramSession.conference_id == conference.id, ProgramSession.is_public)
            .options(*SESSION_LOAD)
            .order_by(ProgramSession.starts_at, ProgramSession.id)
        ).unique()
    )
