"""Reads shaped for program pages: each eager-loads what its template touches."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import NotFound

from wuzhen_events.db import contains_text
from wuzhen_events.extensions import db
from wuzhen_events.pagination import Page, paginate
from wuzhen_events.program.enums import SessionStatus
from wuzhen_events.program.models import (
    Conference,
    ProgramSession,
    SessionSpeaker,
    Speaker,
    Subforum,
    Topic,
    Venue,
    session_topics,
    subforum_topics,
)
from wuzhen_events.routing import is_valid_slug

UP_NEXT_LIMIT = 4

CARD_OPTIONS = (
    selectinload(ProgramSession.venue),
    selectinload(ProgramSession.subforum),
    selectinload(ProgramSession.topics),
    selectinload(ProgramSession.speaker_roles).selectinload(SessionSpeaker.speaker),
)
# What a session card on a page shows (not the topics), in two queries: a join for the one
# venue and subforum, and the speakers with their roles.
PAGE_CARD_OPTIONS = (
    joinedload(ProgramSession.venue),
    joinedload(ProgramSession.subforum),
    selectinload(ProgramSession.speaker_roles).joinedload(SessionSpeaker.speaker, innerjoin=True),
)


@dataclass(frozen=True)
class ProgramFilters:
    day: date
    topic: str = ""
    venue: str = ""
    subforum: str = ""
    q: str = ""

    @property
    def is_narrowed(self) -> bool:
        return bool(self.topic or self.venue or self.subforum or self.q)

    @property
    def spans_every_day(self) -> bool:
        """A text search looks through the whole conference, not just the day shown."""
        return bool(self.q)


@dataclass(frozen=True)
class WhatsOn:
    now: list[ProgramSession]
    next: list[ProgramSession]
    phase: str  # "before", "during" or "after" the conference


@dataclass(frozen=True)
class TimeSlot:
    starts_at: datetime
    sessions: list[ProgramSession]


@dataclass(frozen=True)
class ProgramDay:
    day: date
    slots: list[TimeSlot]

    @property
    def anchor(self) -> str:
        return f"day-{self.day.isoformat()}"


def whats_on(conference: Conference, moment: datetime) -> WhatsOn:
    """Sessions running at `moment` and the next ones to start, both eager-loaded for cards."""
    base = (
        sa.select(ProgramSession)
        .where(
            ProgramSession.conference_id == conference.id,
            ProgramSession.is_public,
            ProgramSession.status == SessionStatus.SCHEDULED,
        )
        .options(*CARD_OPTIONS)
        .order_by(ProgramSession.starts_at, ProgramSession.id)
    )
    running = db.session.scalars(
        base.where(ProgramSession.starts_at <= moment, ProgramSession.ends_at > moment)
    ).all()
    upcoming = db.session.scalars(
        base.where(ProgramSession.starts_at > moment).limit(UP_NEXT_LIMIT)
    ).all()
    local_day = moment.astimezone(conference.tzinfo).date()
    if local_day < conference.starts_on and not running:
        phase = "before"
    elif local_day > conference.ends_on and not running and not upcoming:
        phase = "after"
    else:
        phase = "during"
    return WhatsOn(now=list(running), next=list(upcoming), phase=phase)


def current_conference() -> Conference | None:
    return db.session.scalar(sa.select(Conference).order_by(Conference.id).limit(1))


def conference_or_404(not_found: Callable[[], Exception] = NotFound) -> Conference:
    """The conference a page shows; before one is published, a 404 (the API passes its own)."""
    conference = current_conference()
    if conference is None:
        raise not_found()
    return conference


def program_days(conference: Conference) -> list[date]:
    """The conference days plus the Expo days around them, in conference time."""
    first, last = conference.starts_on, conference.ends_on
    if conference.expo_opens_at is not None:
        first = min(first, conference.expo_opens_at.astimezone(conference.tzinfo).date())
    if conference.expo_closes_at is not None:
        last = max(last, conference.expo_closes_at.astimezone(conference.tzinfo).date())
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def day_bounds(conference: Conference, day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=conference.tzinfo)
    return start, start + timedelta(days=1)


def starts_on(
    column: sa.ColumnElement[datetime], conference: Conference, day: date
) -> sa.ColumnElement[bool]:
    """`column` falls on `day` in conference time. The first and last days of the calendar
    (0001-01-01, 9999-12-31) have no UTC bounds; nothing starts on them."""
    try:
        start, end = (bound.astimezone(UTC) for bound in day_bounds(conference, day))
    except OverflowError:
        return sa.false()
    return sa.and_(column >= start, column < end)


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def sessions_for_day(
    conference: Conference, filters: ProgramFilters, part: DayPart | None = None
) -> list[ProgramSession]:
    """Public sessions of one day (or of one part of it) matching the filters; a constant
    number of queries."""
    start, end = day_bounds(conference, filters.day)
    if part is not None:
        start, end = part.starts_at, part.until or end
    statement = (
        sa.select(ProgramSession)
        .where(
            *_program_conditions(conference, filters),
            ProgramSession.starts_at >= start,
            ProgramSession.starts_at < end,
        )
        .options(*PAGE_CARD_OPTIONS)
        .order_by(ProgramSession.starts_at, ProgramSession.id)
    )
    if part is not None and part.pieces > 1:
        statement = statement.where(ProgramSession.starts_at == part.starts_at)
        statement = statement.offset(part.offset).limit(part.session_count)
    return list(db.session.scalars(statement))


def search_program(conference: Conference, filters: ProgramFilters) -> list[ProgramSession]:
    """Public sessions of every day matching the filters, in time order; `filters.day` is not
    one of them, so a search never misses what happens on another day."""
    statement = (
        sa.select(ProgramSession)
        .where(*_program_conditions(conference, filters))
        .options(*PAGE_CARD_OPTIONS)
        .order_by(ProgramSession.starts_at, ProgramSession.id)
    )
    return list(db.session.scalars(statement))


def match_counts_by_day(conference: Conference, filters: ProgramFilters) -> dict[date, int]:
    """Sessions matching the filters (the day aside) per conference-time day, for the day tabs."""
    return {day: sum(starts.values()) for day, starts in match_starts(conference, filters).items()}


def match_starts(
    conference: Conference, filters: ProgramFilters
) -> dict[date, dict[datetime, int]]:
    """Sessions matching the filters (the day aside) per conference-time day and start time:
    the day tabs' counts and the parts of a busy day, from one query."""
    found: dict[date, dict[datetime, int]] = {}
    rows = db.session.execute(
        sa.select(ProgramSession.starts_at, sa.func.count())
        .where(*_program_conditions(conference, filters))
        .group_by(ProgramSession.starts_at)
        .order_by(ProgramSession.starts_at)
    )
    for starts_at, count in rows:
        starts = found.setdefault(starts_at.astimezone(conference.tzinfo).date(), {})
        starts[starts_at] = count
    return found


@dataclass(frozen=True)
class DayPart:
    """Consecutive start times of a busy day, shown on a page of their own; or one piece of a
    time slot that alone holds more sessions than a part may (then `pieces` > 1)."""

    starts_at: datetime  # its first start time
    last_start: datetime
    until: datetime | None  # the next part's first start time; None: the day's last part
    session_count: int
    piece: int = 1  # which piece of its time slot, counted from 1
    pieces: int = 1
    offset: int = 0  # sessions of the slot before this piece, in (start, id) order


def day_parts(starts: dict[datetime, int], size: int) -> list[DayPart]:
    """The day's start times in order, cut into parts of at most `size` sessions; a time slot
    is cut only when it alone holds more, into equal pieces. One part when all fit."""
    groups: list[list[tuple[datetime, int]]] = []
    total = 0
    for starts_at, count in sorted(starts.items()):
        if not groups or total + count > size or count > size or groups[-1][-1][1] > size:
            groups.append([])
            total = 0
        groups[-1].append((starts_at, count))
        total += count
    parts: list[DayPart] = []
    for number, group in enumerate(groups):
        until = groups[number + 1][0][0] if number + 1 < len(groups) else None
        starts_at, count = group[0]
        if count <= size:
            total = sum(count for _, count in group)
            parts.append(DayPart(starts_at, group[-1][0], until, total))
            continue
        pieces = -(-count // size)
        offsets = [count * piece // pieces for piece in range(pieces + 1)]
        parts.extend(
            DayPart(
                starts_at,
                starts_at,
                until,
                offsets[piece] - offsets[piece - 1],
                piece=piece,
                pieces=pieces,
                offset=offsets[piece - 1],
            )
            for piece in range(1, pieces + 1)
        )
    return parts


def _program_conditions(
    conference: Conference, filters: ProgramFilters
) -> list[sa.ColumnElement[bool]]:
    """Every filter but the day, as WHERE conditions on public sessions of the conference."""
    conditions: list[sa.ColumnElement[bool]] = [
        ProgramSession.conference_id == conference.id,
        ProgramSession.is_public,
    ]
    if filters.topic:
        conditions.append(
            sa.or_(
                ProgramSession.topics.any(Topic.slug == filters.topic),
                ProgramSession.subforum.has(Subforum.topics.any(Topic.slug == filters.topic)),
            )
        )
    if filters.venue:
        conditions.append(ProgramSession.venue.has(Venue.slug == filters.venue))
    if filters.subforum:
        conditions.append(ProgramSession.subforum.has(Subforum.slug == filters.subforum))
    if filters.q:
        conditions.append(_session_matches(filters.q))
    return conditions


def _session_matches(query: str) -> sa.ColumnElement[bool]:
    pattern = like_pattern(query)
    text_columns = (
        ProgramSession.title,
        ProgramSession.title_zh,
        ProgramSession.abstract,
        ProgramSession.abstract_zh,
    )
    # Speaker names are compared with accents folded ("chehade" finds Chehadé), as on /speakers/.
    speaker_match = ProgramSession.speaker_roles.any(
        SessionSpeaker.speaker_id.in_(matching_speaker_ids(query, names_only=True))
    )
    subforum_match = ProgramSession.subforum.has(
        sa.or_(
            Subforum.title.ilike(pattern, escape="\\"), Subforum.title_zh.like(pattern, escape="\\")
        )
    )
    return sa.or_(
        *(column.ilike(pattern, escape="\\") for column in text_columns),
        speaker_match,
        subforum_match,
    )


# Letters that carry no combining mark to strip, so Unicode decomposition leaves them as they are.
LETTERS_WITHOUT_MARKS = str.maketrans(
    dict(zip("øłđðı", "olddi", strict=True)) | {"æ": "ae", "œ": "oe", "þ": "th"}
)


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Text as a search compares it: accents dropped, case folded, full-width forms narrowed.

    Done in Python on a few hundred short strings rather than in SQL, because SQLite and
    PostgreSQL fold neither accents nor (SQLite) non-ASCII case, and the schema has no
    folded column; Chinese text passes through unchanged.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.casefold().translate(LETTERS_WITHOUT_MARKS)


def text_matches(query: str, texts: Iterable[str | None]) -> bool:
    """Whether the folded query occurs in any of the texts, folded alike."""
    needle = fold(query)
    return any(needle in fold(text) for text in texts if text)


def matching_speaker_ids(query: str, *, names_only: bool = False) -> list[int]:
    """Ids of speakers whose names (and organisations) contain the query, accents and case aside.

    One narrow query over every speaker (about sixty), folded in Python.
    """
    rows = db.session.execute(
        sa.select(
            Speaker.id, Speaker.name, Speaker.name_zh, Speaker.affiliation, Speaker.affiliation_zh
        )
    ).all()
    return [
        row.id
        for row in rows
        if text_matches(
            query,
            (row.name, row.name_zh)
            if names_only
            else (row.name, row.name_zh, row.affiliation, row.affiliation_zh),
        )
    ]


def group_by_day(conference: Conference, sessions: list[ProgramSession]) -> list[ProgramDay]:
    """Sessions in time order grouped by conference-time day, then by start time."""
    by_day: dict[date, list[ProgramSession]] = {}
    for session in sessions:
        local_day = session.starts_at.astimezone(conference.tzinfo).date()
        by_day.setdefault(local_day, []).append(session)
    return [ProgramDay(day, group_by_start(found)) for day, found in by_day.items()]


def group_by_start(sessions: list[ProgramSession]) -> list[TimeSlot]:
    slots: list[TimeSlot] = []
    for session in sessions:
        if slots and slots[-1].starts_at == session.starts_at:
            slots[-1].sessions.append(session)
        else:
            slots.append(TimeSlot(session.starts_at, [session]))
    return slots


def topics_in_use(conference: Conference) -> list[Topic]:
    """Topics attached to this conference's subforums or sessions, for the topic filter."""
    on_subforums = (
        sa.select(subforum_topics.c.topic_id)
        .join(Subforum, Subforum.id == subforum_topics.c.subforum_id)
        .where(Subforum.conference_id == conference.id)
    )
    on_sessions = (
        sa.select(session_topics.c.topic_id)
        .join(ProgramSession, ProgramSession.id == session_topics.c.session_id)
        .where(ProgramSession.conference_id == conference.id)
    )
    return list(
        db.session.scalars(
            sa.select(Topic)
            .where(sa.or_(Topic.id.in_(on_subforums), Topic.id.in_(on_sessions)))
            .order_by(Topic.name)
        )
    )


def venues_in_use(conference: Conference) -> list[Venue]:
    used = sa.select(ProgramSession.venue_id).where(ProgramSession.conference_id == conference.id)
    return list(
        db.session.scalars(
            sa.select(Venue).where(Venue.id.in_(used)).order_by(Venue.building, Venue.hall)
        )
    )


def subforums_for_conference(conference: Conference) -> list[Subforum]:
    """Subforums in program order, with what their cards show."""
    first_start = (
        sa.select(sa.func.min(ProgramSession.starts_at))
        .where(ProgramSession.subforum_id == Subforum.id)
        .correlate(Subforum)
        .scalar_subquery()
    )
    return list(
        db.session.scalars(
            sa.select(Subforum)
            .where(Subforum.conference_id == conference.id)
            .options(
                selectinload(Subforum.venue),
                selectinload(Subforum.topics),
                selectinload(Subforum.sessions),
            )
            .order_by(first_start.is_(None), first_start, Subforum.title)
        )
    )


def subforum_by_slug(slug: str) -> Subforum | None:
    if not is_valid_slug(slug):  # PostgreSQL refuses some strings (NUL) outright
        return None
    return db.session.scalar(
        sa.select(Subforum)
        .where(Subforum.slug == slug)
        .options(
            selectinload(Subforum.venue),
            selectinload(Subforum.topics),
            selectinload(Subforum.sessions).options(*CARD_OPTIONS),
        )
    )


def subforum_by_id(subforum_id: int) -> Subforum | None:
    return db.session.get(Subforum, subforum_id)


def session_by_id(session_id: int) -> ProgramSession | None:
    return db.session.scalar(
        sa.select(ProgramSession)
        .where(ProgramSession.id == session_id, ProgramSession.is_public)
        .options(*CARD_OPTIONS)
    )


def speakers_listing(query: str = "") -> list[Speaker]:
    """Speakers by name; a query matches names and organisations with accents and case aside."""
    statement = sa.select(Speaker).order_by(Speaker.name, Speaker.id)
    if query:
        statement = statement.where(Speaker.id.in_(matching_speaker_ids(query)))
    return list(db.session.scalars(statement))


def speaker_by_slug(slug: str) -> Speaker | None:
    if not is_valid_slug(slug):  # PostgreSQL refuses some strings (NUL) outright
        return None
    return db.session.scalar(
        sa.select(Speaker)
        .where(Speaker.slug == slug)
        .options(
            selectinload(Speaker.appearances)
            .selectinload(SessionSpeaker.session)
            .options(selectinload(ProgramSession.venue), selectinload(ProgramSession.subforum))
        )
    )


def subforum_filter_options(conference: Conference) -> list[Subforum]:
    """Every subforum by title, to label the program's and the calendar page's options (the
    registration form's bookable choices are `registration.queries.subforum_choices`)."""
    return list(
        db.session.scalars(
            sa.select(Subforum)
            .where(Subforum.conference_id == conference.id)
            .order_by(Subforum.title)
        )
    )


def public_appearances(speaker: Speaker) -> list[SessionSpeaker]:
    """The speaker's public sessions in program order (already loaded by speaker_by_slug)."""
    shown = [role for role in speaker.appearances if role.session.is_public]
    return sorted(shown, key=lambda role: (role.session.starts_at, role.session.id))


def seats_taken() -> tuple[tuple[int, int], ...]:
    """Every subforum's seats taken: what the subforum pages show besides the data version,
    which leaves seats out so that a registration does not renew every other page."""
    return tuple(
        db.session.execute(
            sa.select(Subforum.id, Subforum.seats_taken).order_by(Subforum.id)
        ).tuples()
    )


# --- the organizers' lists (dashboard): every row, eager-loaded, in a constant number of queries


def subforums_to_choose(subforum_ids: frozenset[int] | None = None) -> list[Subforum]:
    """Every subforum an edit form offers (a host's: theirs), by title."""
    query = sa.select(Subforum).order_by(Subforum.title, Subforum.id)
    if subforum_ids is not None:
        query = query.where(Subforum.id.in_(subforum_ids))
    return list(db.session.scalars(query))


def venues_to_choose() -> list[Venue]:
    return list(db.session.scalars(sa.select(Venue).order_by(Venue.building, Venue.hall, Venue.id)))


def speakers_to_choose() -> list[Speaker]:
    return list(db.session.scalars(sa.select(Speaker).order_by(Speaker.name, Speaker.id)))


def dashboard_sessions(
    subforum_ids: frozenset[int] | None = None, *, q: str = "", page: int = 1, per_page: int
) -> Page[ProgramSession]:
    """Sessions, cancelled ones too, in program order, by title in either language; a host's:
    their subforums' only."""
    query = (
        sa.select(ProgramSession)
        .options(
            selectinload(ProgramSession.venue),
            selectinload(ProgramSession.subforum),
            selectinload(ProgramSession.speaker_roles).selectinload(SessionSpeaker.speaker),
        )
        .order_by(ProgramSession.starts_at, ProgramSession.id)
    )
    if subforum_ids is not None:
        query = query.where(ProgramSession.subforum_id.in_(subforum_ids))
    if q:
        query = query.where(contains_text(q, ProgramSession.title, ProgramSession.title_zh))
    return paginate(query, page, per_page, past_last="last")


def dashboard_subforums(
    subforum_ids: frozenset[int] | None = None, *, q: str = "", page: int = 1, per_page: int
) -> Page[Subforum]:
    query = (
        sa.select(Subforum)
        .options(selectinload(Subforum.venue))
        .order_by(Subforum.title, Subforum.id)
    )
    if subforum_ids is not None:
        query = query.where(Subforum.id.in_(subforum_ids))
    if q:
        query = query.where(contains_text(q, Subforum.title, Subforum.title_zh))
    return paginate(query, page, per_page, past_last="last")


def dashboard_venues(*, q: str = "", page: int = 1, per_page: int) -> Page[Venue]:
    query = sa.select(Venue).order_by(Venue.building, Venue.hall, Venue.id)
    if q:
        query = query.where(
            contains_text(
                q, Venue.building, Venue.building_zh, Venue.hall, Venue.hall_zh, Venue.room_number
            )
        )
    return paginate(query, page, per_page, past_last="last")


def dashboard_speakers(*, q: str = "", page: int = 1, per_page: int) -> Page[tuple[Speaker, int]]:
    """Speakers with the number of sessions each appears in, by name or affiliation."""
    appearances = (
        sa.select(sa.func.count(SessionSpeaker.id))
        .where(SessionSpeaker.speaker_id == Speaker.id)
        .scalar_subquery()
    )
    query = sa.select(Speaker).order_by(Speaker.name, Speaker.id)
    if q:
        query = query.where(
            contains_text(
                q, Speaker.name, Speaker.name_zh, Speaker.affiliation, Speaker.affiliation_zh
            )
        )
    found = paginate(query, page, per_page, past_last="last")
    counts = dict(
        db.session.execute(
            sa.select(Speaker.id, appearances).where(
                Speaker.id.in_([speaker.id for speaker in found.items])
            )
        ).all()
    )
    return replace(found, items=[(speaker, counts[speaker.id]) for speaker in found.items])
