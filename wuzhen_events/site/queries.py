"""Reads for the home page that span the program and the Expo."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from wuzhen_events.expo.models import Exhibitor, ProductLaunch
from wuzhen_events.expo.queries import data_version
from wuzhen_events.extensions import db
from wuzhen_events.program.models import Conference, ProgramSession, Subforum
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
    """The version of everything the public pages show: the schedule's (seats taken move
    their subforum's updated_at); None when there is no program."""
    version = data_version()
    if version is None:
        return None
    return Version(key=version.token, last_modified=version.last_modified)
