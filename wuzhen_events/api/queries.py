"""Reads shaped for the API: one page at a time, with a fixed number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from wuzhen_events.expo.models import Exhibitor, ProductLaunch
from wuzhen_events.expo.queries import (
    DirectoryFilters,
    LaunchFilters,
    directory_conditions,
    directory_statement,
    launch_conditions,
    launches_statement,
)
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
)
from wuzhen_events.program.queries import CARD_OPTIONS, matching_speaker_ids, starts_on


@dataclass(frozen=True)
class SessionFilters:
    """Slugs, not ids: a slug nothing has simply matches no session (api/params.py says why)."""

    day: date | None = None
    subforum: str | None = None
    topic: str | None = None
    updated_since: datetime | None = None


def venues_page(page: int, per_page: int) -> Page[Venue]:
    statement = sa.select(Venue).order_by(Venue.building, Venue.hall, Venue.room_number, Venue.id)
    return paginate(statement, page, per_page)


def _first_public_start() -> sa.ScalarSelect:
    return (
        sa.select(sa.func.min(ProgramSession.starts_at))
        .where(ProgramSession.subforum_id == Subforum.id, ProgramSession.is_public)
        .correlate(Subforum)
        .scalar_subquery()
    )


def subforums_page(conference: Conference, page: int, per_page: int) -> Page[Subforum]:
    """Subforums in program order (as the subforums page lists them), with their public sessions."""
    first_start = _first_public_start()
    statement = (
        sa.select(Subforum)
        .where(Subforum.conference_id == conference.id)
        .options(
            selectinload(Subforum.venue),
            selectinload(Subforum.topics),
            selectinload(Subforum.sessions.and_(ProgramSession.is_public)),
        )
        .order_by(first_start.is_(None), first_start, Subforum.title, Subforum.id)
    )
    return paginate(statement, page, per_page)


def sessions_page(
    conference: Conference, filters: SessionFilters, page: int, per_page: int
) -> Page[ProgramSession]:
    """Public sessions, cancelled ones included (clients must learn of cancellations)."""
    statement = (
        sa.select(ProgramSession)
        .where(ProgramSession.conference_id == conference.id, ProgramSession.is_public)
        .options(*CARD_OPTIONS)
        .order_by(ProgramSession.starts_at, ProgramSession.id)
    )
    if filters.day is not None:
        statement = statement.where(starts_on(ProgramSession.starts_at, conference, filters.day))
    if filters.subforum is not None:
        statement = statement.where(ProgramSession.subforum.has(Subforum.slug == filters.subforum))
    if filters.topic is not None:
        # As the program page does: a session's own topics, or those of its subforum.
        statement = statement.where(
            sa.or_(
                ProgramSession.id.in_(
                    sa.select(session_topics.c.session_id)
                    .join(Topic, Topic.id == session_topics.c.topic_id)
                    .where(Topic.slug == filters.topic)
                ),
                ProgramSession.subforum.has(Subforum.topics.any(Topic.slug == filters.topic)),
            )
        )
    if filters.updated_since is not None:
        statement = statement.where(ProgramSession.updated_at >= filters.updated_since)
    return paginate(statement, page, per_page)


def speakers_page(query: str, page: int, per_page: int) -> Page[Speaker]:
    """Speakers by name; a query matches as on /speakers/, accents and case aside."""
    statement = (
        sa.select(Speaker)
        .options(selectinload(Speaker.appearances).selectinload(SessionSpeaker.session))
        .order_by(Speaker.name, Speaker.id)
    )
    if query:
        statement = statement.where(Speaker.id.in_(matching_speaker_ids(query)))
    return paginate(statement, page, per_page)


def exhibitors_page(
    conference: Conference, filters: DirectoryFilters, page: int, per_page: int
) -> Page[Exhibitor]:
    """The Expo directory's matches in its order, paged as every API list is."""
    statement = directory_statement(directory_conditions(conference, filters))
    return paginate(statement, page, per_page)


def launches_page(
    conference: Conference, filters: LaunchFilters, page: int, per_page: int
) -> Page[ProductLaunch]:
    """The launch schedule's launches and filters, paged as every API list is."""
    statement = launches_statement(*launch_conditions(conference, filters))
    return paginate(statement, page, per_page)


def schedule_sessions(conference: Conference) -> list[ProgramSession]:
    """What schedule apps show: public sessions that still take place, in program order."""
    return list(
        db.session.scalars(
            sa.select(ProgramSession)
            .where(
                ProgramSession.conference_id == conference.id,
                ProgramSession.is_public,
                ProgramSession.status == SessionStatus.SCHEDULED,
            )
            .options(*CARD_OPTIONS)
            .order_by(ProgramSession.starts_at, ProgramSession.id)
        )
    )


def schedule_launches(conference: Conference) -> list[ProductLaunch]:
    return list(db.session.scalars(launches_statement(*launch_conditions(conference))))
