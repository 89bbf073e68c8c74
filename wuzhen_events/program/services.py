"""Every write to the program, each in its own transaction, checked before it is stored."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

import sqlalchemy as sa

from wuzhen_events.audit import services as audit
from wuzhen_events.audit.actors import Actor
from wuzhen_events.db import Provenance
from wuzhen_events.errors import DomainError, _l, field_label, when_shown
from wuzhen_events.extensions import db
from wuzhen_events.i18n import page_language
from wuzhen_events.program.enums import SessionKind, SessionStatus, SpeakerRole
from wuzhen_events.program.models import (
    Conference,
    ProgramSession,
    SessionSpeaker,
    Speaker,
    Subforum,
    Topic,
    Venue,
)
from wuzhen_events.routing import SLUG_MESSAGE, is_valid_slug
from wuzhen_events.transactions import write

TITLE_LIMIT = 300


class ProgramError(DomainError):
    """A program change that breaks a rule (bad times, duplicate slug, unknown venue)."""


def create_conference(
    *,
    actor: Actor,
    slug: str,
    name: str,
    edition: int,
    theme: str,
    city: str,
    venue_name: str,
    starts_on: date,
    ends_on: date,
    **details,
) -> Conference:
    if ends_on < starts_on:
        raise ProgramError(_l("The conference cannot end before it starts."), field="ends_on")
    _check_expo_hours(details.get("expo_opens_at"), details.get("expo_closes_at"))
    _require_free_slug(Conference, slug)
    return audit.create(
        Conference,
        actor=actor,
        action="create_conference",
        error=ProgramError,
        slug=slug,
        name=_required_text(name, "name", 200),
        edition=edition,
        theme=_required_text(theme, "theme", 300),
        city=city,
        venue_name=venue_name,
        starts_on=starts_on,
        ends_on=ends_on,
        **details,
    )


def create_venue(
    *,
    actor: Actor,
    slug: str,
    building: str,
    provenance: Provenance = Provenance.SOURCED,
    **details,
) -> Venue:
    _require_free_slug(Venue, slug)
    capacity = details.get("capacity")
    if capacity is not None and capacity <= 0:
        raise ProgramError(_l("A venue's capacity must be positive."), field="capacity")
    return audit.create(
        Venue,
        actor=actor,
        action="create_venue",
        error=ProgramError,
        slug=slug,
        building=_required_text(building, "building", 200),
        provenance=provenance,
        **details,
    )


def create_topic(*, actor: Actor, slug: str, name: str, name_zh: str = "") -> Topic:
    _require_free_slug(Topic, slug)
    return audit.create(
        Topic,
        actor=actor,
        action="create_topic",
        error=ProgramError,
        slug=slug,
        name=_required_text(name, "name", 120),
        name_zh=name_zh,
    )


def create_subforum(
    conference: Conference,
    *,
    actor: Actor,
    slug: str,
    title: str,
    capacity: int,
    venue: Venue | None = None,
    topics: Sequence[Topic] = (),
    provenance: Provenance = Provenance.SOURCED,
    **details,
) -> Subforum:
    _require_free_slug(Subforum, slug)
    if capacity < 0:
        raise ProgramError(_l("A subforum's capacity cannot be negative."), field="capacity")
    if venue is not None and venue.capacity is not None and capacity > venue.capacity:
        rooms = {"en": venue.hall or venue.building}
        rooms["zh"] = venue.hall_zh or venue.building_zh or rooms["en"]
        raise ProgramError(
            _l(
                "Capacity %(capacity)d exceeds the %(seats)d seats of %(room)s.",
                capacity=capacity,
                seats=venue.capacity,
                room=when_shown(lambda: rooms[page_language()]),
            ),
            field="capacity",
        )
    _check_hosts(details.get("host_organisations") or [], details.get("host_organisations_zh"))
    return audit.create(
        Subforum,
        actor=actor,
        action="create_subforum",
        error=ProgramError,
        conference_id=conference.id,
        slug=slug,
        title=_required_text(title, "title", TITLE_LIMIT),
        capacity=capacity,
        venue=venue,
        topics=list(topics),
        provenance=provenance,
        **details,
    )


def create_speaker(
    *, actor: Actor, slug: str, name: str, provenance: Provenance = Provenance.SOURCED, **details
) -> Speaker:
    _require_free_slug(Speaker, slug)
    if details.get("country"):
        details["country"] = _country_code(details["country"])
    return audit.create(
        Speaker,
        actor=actor,
        action="create_speaker",
        error=ProgramError,
        slug=slug,
        name=_required_text(name, "name", 200),
        provenance=provenance,
        **details,
    )


def schedule_session(
    conference: Conference,
    *,
    actor: Actor,
    kind: SessionKind,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    venue: Venue | None = None,
    subforum: Subforum | None = None,
    topics: Iterable[Topic] = (),
    speakers: Iterable[tuple[Speaker, SpeakerRole]] = (),
    provenance: Provenance = Provenance.SOURCED,
    **details,
) -> ProgramSession:
    _check_times(starts_at, ends_at)
    title = _required_text(title, "title", TITLE_LIMIT)
    with write(error=ProgramError):
        # Built inside the transaction: a SessionSpeaker joins its speaker's session at once.
        session = ProgramSession(
            conference_id=conference.id,
            kind=kind,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            venue=venue,
            subforum=subforum,
            topics=list(topics),
            provenance=provenance,
            **details,
        )
        session.speaker_roles = [
            SessionSpeaker(speaker=speaker, role=role, position=position)
            for position, (speaker, role) in enumerate(speakers)
        ]
        return audit.add_new(session, actor=actor, action="schedule_session", error=ProgramError)


def reschedule_session(
    session: ProgramSession,
    *,
    actor: Actor,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    venue: Venue | None = None,
) -> ProgramSession:
    """Move a session; calendar clients only notice because the sequence goes up."""
    new_start = starts_at or session.starts_at
    new_end = ends_at or session.ends_at
    new_venue_id = venue.id if venue is not None else session.venue_id
    _check_times(new_start, new_end)
    if (new_start, new_end, new_venue_id) == (session.starts_at, session.ends_at, session.venue_id):
        return session
    with write(error=ProgramError):
        before = audit.snapshot(session)
        session.starts_at, session.ends_at = new_start, new_end
        if venue is not None:
            session.venue = venue
        session.sequence += 1
        db.session.flush()  # venue_id follows the venue
        audit.changed(actor, "reschedule_session", session, before)
    return session


def cancel_session(session: ProgramSession, *, actor: Actor) -> ProgramSession:
    """Cancelled sessions stay listed (and in feeds) so subscribers see the cancellation."""
    if session.is_cancelled:
        raise ProgramError(_l("This session is already cancelled."))
    with write(error=ProgramError):
        before = audit.snapshot(session)
        session.status = SessionStatus.CANCELLED
        session.sequence += 1
        audit.changed(actor, "cancel_session", session, before)
    return session


def _check_hosts(hosts: Sequence[str], hosts_zh: Sequence[str] | None) -> None:
    """Pages pair the Chinese host names with the English ones by position."""
    if hosts_zh and len(hosts_zh) != len(hosts):
        raise ProgramError(
            _l("Give one Chinese host name for each host, in the same order."),
            field="host_organisations_zh",
        )


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ProgramError(_l("Session times must carry a timezone."), field="starts_at")
    if ends_at <= starts_at:
        raise ProgramError(_l("A session must end after it starts."), field="ends_at")


def _check_expo_hours(opens_at: datetime | None, closes_at: datetime | None) -> None:
    """Naive instants would only fail on commit, leaving the session unusable; refuse them now."""
    if any(moment is not None and moment.tzinfo is None for moment in (opens_at, closes_at)):
        raise ProgramError(
            _l("Expo opening and closing times must carry a timezone."), field="expo_opens_at"
        )
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise ProgramError(_l("The Expo must close after it opens."), field="expo_closes_at")


def _country_code(country: str) -> str:
    # isalpha() alone accepts any script ("中国"); the column holds two ASCII letters.
    if len(country) != 2 or not (country.isascii() and country.isalpha()):
        raise ProgramError(_l("The country must be a two-letter ISO code."), field="country")
    return country.upper()


def _required_text(value: str, field: str, limit: int) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise ProgramError(
            _l("The %(field)s cannot be empty.", field=field_label(field)), field=field
        )
    if len(cleaned) > limit:
        raise ProgramError(
            _l(
                "The %(field)s is longer than %(limit)d characters.",
                field=field_label(field),
                limit=limit,
            ),
            field=field,
        )
    return cleaned


def _require_free_slug(model: type, slug: str) -> None:
    if not is_valid_slug(slug or ""):
        raise ProgramError(SLUG_MESSAGE, field="slug")
    if db.session.scalar(sa.select(model.id).where(model.slug == slug).limit(1)) is not None:
        raise ProgramError(_l("The slug '%(slug)s' is already in use.", slug=slug), field="slug")
