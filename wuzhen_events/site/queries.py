"""Reads for the home page: headline figures and what is on now and next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from wuzhen_events.expo.models import Exhibitor, ProductLaunch
from wuzhen_events.extensions import db
from wuzhen_events.program.enums import SessionStatus
from wuzhen_events.program.models import Conference, ProgramSession, Subforum

UP_NEXT_LIMIT = 4


@dataclass(frozen=True)
class HeadlineFigures:
    subforums: int
    sessions: int
    exhibitors: int
    launches: int
    delegates: int
    countries_and_regions: int


@dataclass(frozen=True)
class WhatsOn:
    now: list[ProgramSession]
    next: list[ProgramSession]
    phase: str  # "before", "during" or "after" the conference


def headline_figures(conference: Conference) -> HeadlineFigures:
    """One round trip: four scalar subqueries instead of four queries."""
    row = db.session.execute(
        sa.select(
            sa.select(sa.func.count(Subforum.id))
            .where(Subforum.conference_id == conference.id)
            .scalar_subquery(),
            sa.select(sa.func.count(ProgramSession.id))
            .where(ProgramSession.conference_id == conference.id, ProgramSession.is_public)
            .scalar_subquery(),
            sa.select(sa.func.count(Exhibitor.id))
            .where(Exhibitor.conference_id == conference.id)
            .scalar_subquery(),
            sa.select(sa.func.count(ProductLaunch.id))
            .join(ProductLaunch.exhibitor)
            .where(Exhibitor.conference_id == conference.id)
            .scalar_subquery(),
        )
    ).one()
    return HeadlineFigures(
        subforums=row[0],
        sessions=row[1],
        exhibitors=row[2],
        launches=row[3],
        delegates=conference.invited_delegates,
        countries_and_regions=conference.countries_and_regions,
    )


def whats_on(conference: Conference, moment: datetime) -> WhatsOn:
    """Sessions running at `moment` and the next ones to start, both eager-loaded for cards."""
    base = (
        sa.select(ProgramSession)
        .where(
            ProgramSession.conference_id == conference.id,
            ProgramSession.is_public,
            ProgramSession.status == SessionStatus.SCHEDULED,
        )
        .options(selectinload(ProgramSession.venue), selectinload(ProgramSession.subforum))
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
