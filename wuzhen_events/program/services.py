"""Every write to the program, each in its own transaction, checked before it is stored."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from wuzhen_events.audit import services as audit
from wuzhen_events.audit.actors import Actor
from wuzhen_events.db import Provenance
from wuzhen_events.errors import DomainError, LazyString, _l, field_label, when_shown
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
from wuzhen_events.transactions import check_text_lengths, write

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
    check_conflicts: bool = False,
    confirmed: bool = False,
    **details,
) -> ProgramSession:
    """`check_conflicts`: what an organizer adds passes the checks of an edit
    (`update_session`); the seed and imports place sessions as their source says."""
    _check_times(starts_at, ends_at)
    title = _required_text(title, "title", TITLE_LIMIT)
    speakers = list(speakers)
    with write(error=ProgramError):
        if check_conflicts:
            _check_conflicts(
                None,
                conference.id,
                starts_at,
                ends_at,
                venue=venue,
                subforum=subforum,
                speakers=[speaker for speaker, _role in speakers],
                confirmed=confirmed,
            )
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


# --- the organizers' changes: edit, delete, conflicts (the dashboard's program area) ---------

# What an organizer may change of each row; slugs stay, because public URLs and calendar
# subscriptions are built on them and must never break (DESIGN.md, "Public URLs").
VENUE_FIELDS = frozenset({"building", "building_zh", "hall", "hall_zh", "room_number", "capacity"})
SUBFORUM_FIELDS = frozenset(
    {
        "title",
        "title_zh",
        "description",
        "description_zh",
        "host_organisations",
        "host_organisations_zh",
        "capacity",
        "venue",
    }
)
SPEAKER_FIELDS = frozenset(
    {
        "name",
        "name_zh",
        "title",
        "title_zh",
        "affiliation",
        "affiliation_zh",
        "country",
        "bio",
        "bio_zh",
    }
)
SESSION_FIELDS = frozenset(
    {
        "kind",
        "title",
        "title_zh",
        "abstract",
        "abstract_zh",
        "starts_at",
        "ends_at",
        "venue",
        "subforum",
        "is_public",
    }
)
# A change of these tells calendar clients the event moved or changed its state (RFC 5545).
SEQUENCED = ("starts_at", "ends_at", "venue_id", "status")


def update_venue(venue: Venue, *, actor: Actor, **fields) -> Venue:
    _only(fields, VENUE_FIELDS)
    if "building" in fields:
        fields["building"] = _required_text(fields["building"], "building", 200)
    capacity = fields.get("capacity", venue.capacity)
    if capacity is not None and capacity <= 0:
        raise ProgramError(_l("A venue's capacity must be positive."), field="capacity")
    return _update(venue, fields, actor=actor, action="update_venue")


def delete_venue(venue: Venue, *, actor: Actor) -> None:
    """A venue that sessions or subforums still name cannot go: they would lose their place."""
    with write(error=ProgramError):
        in_use = _count(ProgramSession.venue_id == venue.id) + _count(
            Subforum.venue_id == venue.id, model=Subforum
        )
        if in_use:
            raise ProgramError(
                _l(
                    "%(venue)s is still used by sessions or subforums (%(count)d): move them "
                    "elsewhere first.",
                    venue=_shown_text(
                        venue.hall or venue.building, venue.hall_zh or venue.building_zh
                    ),
                    count=in_use,
                )
            )
        _delete(venue, actor=actor, action="delete_venue")


def update_subforum(subforum: Subforum, *, actor: Actor, **fields) -> Subforum:
    """A capacity below the seats already confirmed is refused: those seats are promises."""
    _only(fields, SUBFORUM_FIELDS)
    if "title" in fields:
        fields["title"] = _required_text(fields["title"], "title", TITLE_LIMIT)
    _check_hosts(
        fields.get("host_organisations", subforum.host_organisations),
        fields.get("host_organisations_zh", subforum.host_organisations_zh),
    )
    with write(error=ProgramError):
        # Locked, so a seat taken meanwhile is counted (PostgreSQL; SQLite's write lock is held).
        seats_taken = db.session.scalar(
            sa.select(Subforum.seats_taken).where(Subforum.id == subforum.id).with_for_update()
        )
        capacity = fields.get("capacity", subforum.capacity)
        if capacity < 0:
            raise ProgramError(_l("A subforum's capacity cannot be negative."), field="capacity")
        if capacity < seats_taken:
            raise ProgramError(
                _l(
                    "Seats already taken: %(seats)d; the capacity cannot be lower.",
                    seats=seats_taken,
                ),
                field="capacity",
            )
        venue = fields.get("venue", subforum.venue)
        if venue is not None and venue.capacity is not None and capacity > venue.capacity:
            raise ProgramError(
                _l(
                    "Capacity %(capacity)d exceeds the %(seats)d seats of %(room)s.",
                    capacity=capacity,
                    seats=venue.capacity,
                    room=_shown_text(
                        venue.hall or venue.building, venue.hall_zh or venue.building_zh
                    ),
                ),
                field="capacity",
            )
        return _update(subforum, fields, actor=actor, action="update_subforum")


def delete_subforum(subforum: Subforum, *, actor: Actor) -> None:
    """Only a subforum nobody booked and with no sessions left can go."""
    with write(error=ProgramError):
        bookings = _count(_SEAT_BOOKINGS.c.subforum_id == subforum.id, model=_SEAT_BOOKINGS)
        if bookings:
            raise ProgramError(
                _l(
                    "Delegates hold seats or places in this subforum (%(count)d): it cannot be "
                    "deleted. Cancel its sessions instead.",
                    count=bookings,
                )
            )
        sessions = _count(ProgramSession.subforum_id == subforum.id)
        if sessions:
            raise ProgramError(
                _l(
                    "This subforum still has sessions (%(count)d): delete or move them first.",
                    count=sessions,
                )
            )
        _delete(subforum, actor=actor, action="delete_subforum")


def update_speaker(speaker: Speaker, *, actor: Actor, **fields) -> Speaker:
    _only(fields, SPEAKER_FIELDS)
    if "name" in fields:
        fields["name"] = _required_text(fields["name"], "name", 200)
    if fields.get("country"):
        fields["country"] = _country_code(fields["country"])
    return _update(speaker, fields, actor=actor, action="update_speaker")


def delete_speaker(speaker: Speaker, *, actor: Actor) -> None:
    """A speaker still on the program would silently vanish from published sessions."""
    with write(error=ProgramError):
        appearances = _count(SessionSpeaker.speaker_id == speaker.id, model=SessionSpeaker)
        if appearances:
            raise ProgramError(
                _l(
                    "%(speaker)s still speaks in sessions (%(count)d): take them off those "
                    "sessions first.",
                    speaker=_shown_text(speaker.name, speaker.name_zh),
                    count=appearances,
                )
            )
        _delete(speaker, actor=actor, action="delete_speaker")


def update_session(
    session: ProgramSession,
    *,
    actor: Actor,
    speakers: Sequence[Speaker] | None = None,
    confirmed: bool = False,
    **fields,
) -> ProgramSession:
    """Edit a session; a move (time, place) raises its calendar sequence. A hall taken at that
    time is refused; a speaker elsewhere at once or a day outside its subforum's is a warning
    (`confirmed=True` keeps it: a speaker may open a ceremony and a subforum in one morning)."""
    _only(fields, SESSION_FIELDS)
    if "title" in fields:
        fields["title"] = _required_text(fields["title"], "title", TITLE_LIMIT)
    starts_at = fields.get("starts_at", session.starts_at)
    ends_at = fields.get("ends_at", session.ends_at)
    _check_times(starts_at, ends_at)
    venue = fields.get("venue", session.venue)
    subforum = fields.get("subforum", session.subforum)
    chosen = list(speakers) if speakers is not None else [r.speaker for r in session.speaker_roles]
    with write(error=ProgramError):
        # Inside the transaction: on SQLite its write lock keeps the hall free until the commit.
        _check_conflicts(
            session.id,
            session.conference_id,
            starts_at,
            ends_at,
            venue=venue,
            subforum=subforum,
            speakers=chosen,
            confirmed=confirmed,
        )
        before = audit.snapshot(session)
        for name, value in fields.items():
            setattr(session, name, value)
        speakers_before = [role.speaker_id for role in session.speaker_roles]
        if speakers is not None:
            _set_speakers(session, speakers)
        check_text_lengths(session, error=ProgramError)
        db.session.flush()  # venue_id and subforum_id follow their rows
        if any(before[name] != audit.snapshot(session)[name] for name in SEQUENCED):
            session.sequence += 1
            db.session.flush()
        audit.changed(actor, "update_session", session, before)
        speakers_after = [role.speaker_id for role in session.speaker_roles]
        if speakers_after != speakers_before:
            audit.record(
                actor,
                "update_session_speakers",
                "program_sessions",
                session.id,
                {"speaker_ids": speakers_before},
                {"speaker_ids": speakers_after},
            )
    return session


def delete_session(session: ProgramSession, *, actor: Actor) -> None:
    """A session people hold seats for or starred is cancelled, never deleted: a deleted one
    would vanish from their calendars without a word."""
    with write(error=ProgramError):
        stars = _count(_BOOKMARKS.c.session_id == session.id, model=_BOOKMARKS)
        seats = 0
        if session.subforum_id is not None:
            seats = _count(
                _SEAT_BOOKINGS.c.subforum_id == session.subforum_id, model=_SEAT_BOOKINGS
            )
        if seats or stars:
            raise ProgramError(
                _l(
                    "Delegates hold places in its subforum (%(seats)d) or starred it "
                    "(%(stars)d): cancel the session instead, so their calendars show the "
                    "cancellation.",
                    seats=seats,
                    stars=stars,
                )
            )
        _delete(session, actor=actor, action="delete_session")


# The registration tables, known here by name only: the program package never imports
# registration (it imports the program), yet may not delete what delegates hold.
_SEAT_BOOKINGS = sa.table("seat_bookings", sa.column("id"), sa.column("subforum_id"))
_BOOKMARKS = sa.table("bookmarks", sa.column("id"), sa.column("session_id"))


def _check_conflicts(
    session_id: int | None,
    conference_id: int,
    starts_at: datetime,
    ends_at: datetime,
    *,
    venue: Venue | None,
    subforum: Subforum | None,
    speakers: Sequence[Speaker],
    confirmed: bool,
) -> None:
    """Refuse a hall taken at that time; warn (unless confirmed) of a speaker elsewhere at once
    and of a day outside the subforum's. Cancelled sessions clash with nothing."""
    others = sa.select(ProgramSession).where(
        ProgramSession.conference_id == conference_id,
        ProgramSession.status == SessionStatus.SCHEDULED,
        ProgramSession.starts_at < ends_at,
        ProgramSession.ends_at > starts_at,
    )
    if session_id is not None:
        others = others.where(ProgramSession.id != session_id)
    if venue is not None:
        taken = db.session.scalars(
            others.where(ProgramSession.venue_id == venue.id).order_by(ProgramSession.starts_at)
        ).first()
        if taken is not None:
            raise ProgramError(
                _l(
                    "%(venue)s is taken at that time by “%(session)s”.",
                    venue=_shown_text(
                        venue.hall or venue.building, venue.hall_zh or venue.building_zh
                    ),
                    session=_shown_text(taken.title, taken.title_zh),
                ),
                field="venue",
            )
    if confirmed:
        return
    speaker_ids = [speaker.id for speaker in speakers]
    if speaker_ids:
        clash = db.session.execute(
            others.with_only_columns(
                Speaker.name, Speaker.name_zh, ProgramSession.title, ProgramSession.title_zh
            )
            .join(SessionSpeaker, SessionSpeaker.session_id == ProgramSession.id)
            .join(Speaker, Speaker.id == SessionSpeaker.speaker_id)
            .where(SessionSpeaker.speaker_id.in_(speaker_ids))
            .order_by(ProgramSession.starts_at, Speaker.name)
            .limit(1)
        ).first()
        if clash is not None:
            raise ProgramError(
                _l(
                    "%(speaker)s is also in “%(session)s” at that time. Confirm to keep both.",
                    speaker=_shown_text(clash.name, clash.name_zh),
                    session=_shown_text(clash.title, clash.title_zh),
                ),
                field="speakers",
            )
    if subforum is not None:
        _check_subforum_day(session_id, subforum, starts_at, ends_at)


def _check_subforum_day(
    session_id: int | None, subforum: Subforum, starts_at: datetime, ends_at: datetime
) -> None:
    """A subforum is a day's event: delegates book its seats by its day and time."""
    zone = db.session.scalar(
        sa.select(Conference.timezone).where(Conference.id == subforum.conference_id)
    )
    tz = ZoneInfo(zone or "Asia/Shanghai")
    query = sa.select(ProgramSession.starts_at).where(
        ProgramSession.subforum_id == subforum.id,
        ProgramSession.status == SessionStatus.SCHEDULED,
    )
    if session_id is not None:
        query = query.where(ProgramSession.id != session_id)
    days = sorted({moment.astimezone(tz).date() for moment in db.session.scalars(query)})
    if not days:
        return
    new_days = {
        starts_at.astimezone(tz).date(),
        (ends_at - timedelta(seconds=1)).astimezone(tz).date(),
    }
    if not new_days <= set(days):
        raise ProgramError(
            _l(
                "“%(subforum)s” takes place on %(day)s; this session is on another day. "
                "Confirm to schedule it anyway.",
                subforum=_shown_text(subforum.title, subforum.title_zh),
                day=", ".join(day.isoformat() for day in days),
            ),
            field="starts_at",
        )


def _set_speakers(session: ProgramSession, speakers: Sequence[Speaker]) -> None:
    """The chosen speakers in order; a speaker kept keeps their role."""
    roles = {role.speaker_id: role.role for role in session.speaker_roles}
    session.speaker_roles = []
    db.session.flush()  # the old rows go before new ones reuse (session, speaker, role)
    # By ids, not through Speaker.appearances: a speaker's collection need not be loaded.
    session.speaker_roles = [
        SessionSpeaker(
            speaker_id=speaker.id,
            role=roles.get(speaker.id, SpeakerRole.SPEAKER),
            position=position,
        )
        for position, speaker in enumerate(dict.fromkeys(speakers))
    ]


def _update(row, fields: dict, *, actor: Actor, action: str):
    with write(error=ProgramError):
        before = audit.snapshot(row)
        for name, value in fields.items():
            setattr(row, name, value)
        check_text_lengths(row, error=ProgramError)
        db.session.flush()
        audit.changed(actor, action, row, before)
    return row


def _delete(row, *, actor: Actor, action: str) -> None:
    before = audit.snapshot(row)
    table, row_id = type(row).__tablename__, row.id
    db.session.delete(row)
    db.session.flush()
    audit.removed(actor, action, table, row_id, before)


def _count(condition, *, model=ProgramSession) -> int:
    table = model if isinstance(model, sa.TableClause) else model.__table__
    return db.session.scalar(sa.select(sa.func.count()).select_from(table).where(condition))


def _only(fields: dict, allowed: frozenset[str]) -> None:
    unknown = fields.keys() - allowed
    if unknown:
        raise TypeError(f"Not changeable here: {sorted(unknown)}")


def _shown_text(english: str, chinese: str) -> LazyString:
    """A name in the language the message is shown in (its English when it has no Chinese)."""
    names = {"en": english, "zh": chinese or english}
    return when_shown(lambda: names[page_language()])
