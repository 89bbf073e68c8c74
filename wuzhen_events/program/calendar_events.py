"""A program session as a calendar event: what the calendar feeds and a delegate's e-mail both
attach, so it sits with the program, below both (wuzhen_events/ical.py writes the bytes)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy.orm import joinedload, selectinload

from wuzhen_events.i18n import localized
from wuzhen_events.ical import CalendarEvent
from wuzhen_events.program.enums import SpeakerRole
from wuzhen_events.program.models import ProgramSession, SessionSpeaker, Venue
from wuzhen_events.urls import external_url

LIST_SEPARATORS = re.compile(r"\s*[,;]\s*")

# Many-to-one relations joined, collections selected in: three statements however many sessions.
SESSION_LOAD = (
    joinedload(ProgramSession.venue),
    joinedload(ProgramSession.subforum),
    selectinload(ProgramSession.topics),
    selectinload(ProgramSession.speaker_roles).joinedload(SessionSpeaker.speaker),
)


@dataclass(frozen=True)
class SessionWording:
    """Labels and link patterns of one language, looked up once per feed, not once per event."""

    locale: str
    uid_host: str
    cancelled_title: str  # "Cancelled: %(title)s"
    subforum_title: str  # "%(session)s · %(subforum)s"
    cancelled_note: str
    speakers: str
    subforum: str
    roles: dict[SpeakerRole, str]
    session_url: UrlPattern


@dataclass(frozen=True)
class UrlPattern:
    """external_url() once with a marker, then string joins: it costs 0.2 ms a call when
    PUBLIC_BASE_URL is set, and a feed needs one link per event."""

    head: str
    tail: str

    @classmethod
    def of(cls, endpoint: str, argument: str, marker: int | str) -> UrlPattern:
        head, _, tail = external_url(endpoint, **{argument: marker}).partition(str(marker))
        return cls(head, tail)

    def __call__(self, value: int | str) -> str:
        return f"{self.head}{value}{self.tail}"


def session_wording(locale: str) -> SessionWording:
    with force_locale(locale):
        return SessionWording(
            locale=locale,
            uid_host=current_app.config["CALENDAR_UID_HOST"],
            # Without keyword arguments gettext returns the template; events fill it in.
            cancelled_title=gettext("Cancelled: %(title)s"),
            # An event title: the session, then its subforum (titles alone repeat across subforums).
            subforum_title=gettext("%(session)s · %(subforum)s"),
            cancelled_note=gettext("This session has been cancelled."),
            speakers=gettext("Speakers"),
            subforum=gettext("Subforum"),
            roles={role: role.label for role in SpeakerRole},
            # Ids are URL-safe, so joining them in needs no quoting.
            session_url=UrlPattern.of("program.session_detail", "session_id", 2147483647),
        )


def session_event(session: ProgramSession, *, locale: str = "en") -> CalendarEvent:
    """A session as a calendar event, in `locale`; needs venue, subforum, topics and speakers."""
    return session_event_in(session, session_wording(locale))


def session_event_in(session: ProgramSession, words: SessionWording) -> CalendarEvent:
    """`session_event` with the wording looked up once for a whole feed."""
    locale = words.locale
    title = _session_title(session, words)
    url = words.session_url(session.id)
    categories = []
    if session.subforum is not None:
        categories.append(category_tag(localized(session.subforum, "title", locale)))
    categories.extend(category_tag(localized(topic, "name", locale)) for topic in session.topics)
    changed = [session.updated_at, *(role.speaker.updated_at for role in session.speaker_roles)]
    return CalendarEvent(
        uid=f"wic2018-session-{session.id}@{words.uid_host}",
        summary=words.cancelled_title % {"title": title} if session.is_cancelled else title,
        description=_session_description(session, words, url),
        location=_venue_text(session.venue, locale),
        url=url,
        categories=tuple(dict.fromkeys(category for category in categories if category)),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        status="CANCELLED" if session.is_cancelled else "CONFIRMED",
        sequence=session.sequence,
        # A speaker's new affiliation changes the event's text, so it counts as a change too.
        last_modified=max(changed),
    )


def _session_title(session: ProgramSession, words: SessionWording) -> str:
    """The session's title with its subforum's, so a personal feed never shows two events both
    called "Opening and keynote speeches"; a title that already names its subforum stays."""
    title = localized(session, "title", words.locale)
    if session.subforum is None:
        return title
    subforum = localized(session.subforum, "title", words.locale)
    if subforum in title:
        return title
    return words.subforum_title % {"session": title, "subforum": subforum}


def _session_description(session: ProgramSession, words: SessionWording, url: str) -> str:
    locale = words.locale
    parts = []
    if session.is_cancelled:
        parts.append(words.cancelled_note)
    abstract = localized(session, "abstract", locale)
    if abstract:
        parts.append(abstract)
    if session.speaker_roles:
        lines = [f"{words.speakers}:"]
        for role in session.speaker_roles:
            speaker = role.speaker
            about = (localized(speaker, "title", locale), localized(speaker, "affiliation", locale))
            line = f"- {localized(speaker, 'name', locale)} ({words.roles[role.role]})"
            lines.append(", ".join([line, *(text for text in about if text)]))
        parts.append("\n".join(lines))
    if session.subforum is not None:
        parts.append(f"{words.subforum}: {localized(session.subforum, 'title', locale)}")
    parts.append(url)
    return "\n\n".join(parts)


def _venue_text(venue: Venue | None, locale: str) -> str:
    if venue is None:
        return ""
    parts = (localized(venue, "hall", locale), localized(venue, "building", locale))
    return ", ".join(part for part in parts if part)


def category_tag(text: str) -> str:
    """A category without commas or semicolons: RFC 5545 escapes them, but icalendar 6, Google
    and older libical split categories on them anyway."""
    return LIST_SEPARATORS.sub(" / ", text).strip()
