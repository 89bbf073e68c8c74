"""Reads for the home page that span the program and the Expo."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa

from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.expo.models import Exhibitor, ProductLaunch
from wuzhen_events.expo.queries import COUNTED_TABLES
from wuzhen_events.extensions import db
from wuzhen_events.program.models import (
    Conference,
    ProgramSession,
    Speaker,
    Subforum,
    Topic,
    Venue,
)
from wuzhen_events.serving import Version


@dataclass(frozen=True)
class HeadlineFigures:
    subforums: int
    sessions: int
    exhibitors: int
    launches: int
    delegates: int
    countries_and_regions: int


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


def published_version() -> Version | None:
    """The version of what the public pages show, seats taken apart (see seats_taken); None
    when there is no program.

    Commit-ordered: the count of audit entries on these tables only grows, and every change a
    service makes adds to it in its own transaction, so a transaction that began earlier and
    commits later still changes the version (a newest updated_at would miss it). The newest
    updated_at and the row counts catch rows changed outside a service. Subforums are in the
    count but not in updated_at: a seat taken moves their updated_at and is no change of the
    program's.
    """
    row = db.session.execute(
        sa.select(
            sa.select(sa.func.count(AuditEntry.id))
            .where(AuditEntry.object_type.in_(PAGE_TABLES))
            .scalar_subquery(),
            *(sa.select(sa.func.max(model.updated_at)).scalar_subquery() for model in DATED),
            *(
                sa.select(sa.func.count()).select_from(table).scalar_subquery()
                for table in COUNTED_TABLES
            ),
        )
    ).one()
    moments = [moment for moment in row[1 : 1 + len(DATED)] if moment is not None]
    if not moments:
        return None
    key = "-".join(str(value) for value in row)
    return Version(
        key=hashlib.blake2b(key.encode(), digest_size=16).hexdigest(), last_modified=None
    )


# The tables of the program and the Expo, as audit entries name them.
PAGE_TABLES = (
    Conference.__tablename__,
    Venue.__tablename__,
    Topic.__tablename__,
    Subforum.__tablename__,
    Speaker.__tablename__,
    ProgramSession.__tablename__,
    Exhibitor.__tablename__,
    ProductLaunch.__tablename__,
)
DATED = (Conference, ProgramSession, Speaker, Exhibitor, ProductLaunch)
