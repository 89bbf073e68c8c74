"""Reads shaped for Expo pages: each loads what its template shows in a fixed number of queries."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload

from wuzhen_events.db import contains_text
from wuzhen_events.expo.enums import Sector
from wuzhen_events.expo.models import Exhibitor, ProductLaunch
from wuzhen_events.extensions import db
from wuzhen_events.pagination import Page, paginate
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
from wuzhen_events.program.queries import day_bounds, starts_on, text_matches
from wuzhen_events.routing import is_valid_slug

DIGIT_RUNS = re.compile(r"([0-9]+)")


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    sector: Sector | None = None
    hall: str = ""
    country: str = ""
    launching: bool = False

    @property
    def is_narrowed(self) -> bool:
        return bool(self.q or self.sector or self.hall or self.country or self.launching)


@dataclass(frozen=True)
class DirectoryFacets:
    """What the directory's filter choices offer, and how many exhibitors there are in all."""

    total: int
    halls: list[str]
    countries: list[str]


@dataclass(frozen=True)
class LaunchFilters:
    """The launch schedule's filters and the API's /launches filters alike."""

    day: date | None = None
    stage: str = ""

    @property
    def is_narrowed(self) -> bool:
        return bool(self.day or self.stage)


@dataclass(frozen=True)
class Stage:
    stage: str
    stage_zh: str
    launches: int


@dataclass
class LaunchSlot:
    starts_at: datetime  # in conference time
    launches: list[ProductLaunch] = field(default_factory=list)


@dataclass
class LaunchDay:
    day: date
    slots: list[LaunchSlot] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"day-{self.day.isoformat()}"


def directory_facets(conference: Conference) -> DirectoryFacets:
    """One grouped query gives the hall and country choices and the grand total."""
    rows = db.session.execute(
        sa.select(Exhibitor.hall, Exhibitor.country, sa.func.count(Exhibitor.id))
        .where(Exhibitor.conference_id == conference.id)
        .group_by(Exhibitor.hall, Exhibitor.country)
    ).all()
    return DirectoryFacets(
        total=sum(count for _, _, count in rows),
        halls=sorted({hall for hall, _, _ in rows}, key=natural_key),
        countries=sorted({country for _, country, _ in rows}),
    )


def natural_key(text: str) -> tuple:
    """Hall 2 before hall 10: runs of digits compare as numbers."""
    return tuple(
        (0, int(part), "") if part.isascii() and part.isdigit() else (1, 0, part.casefold())
        for part in DIGIT_RUNS.split(text)
        if part
    )


def search_exhibitors(
    conference: Conference, filters: DirectoryFilters, page: int, per_page: int
) -> Page[Exhibitor]:
    """One page of matching exhibitors with their launches: a fixed number of queries.

    A page past the end shows the last page, so an old bookmark still lands on results.
    """
    statement = directory_statement(directory_conditions(conference, filters))
    return paginate(statement, page, per_page, past_last="last")


def directory_statement(conditions: list[sa.ColumnElement[bool]]) -> sa.Select:
    """Exhibitors meeting the conditions by company name, with their launches."""
    return (
        sa.select(Exhibitor)
        .where(*conditions)
        .options(selectinload(Exhibitor.launches))
        .order_by(sa.func.lower(Exhibitor.company), Exhibitor.id)
    )


def directory_conditions(
    conference: Conference, filters: DirectoryFilters
) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = [Exhibitor.conference_id == conference.id]
    if filters.q:
        conditions.append(Exhibitor.id.in_(matching_exhibitor_ids(conference, filters.q)))
    if filters.sector is not None:
        conditions.append(Exhibitor.sector == filters.sector)
    if filters.hall:
        conditions.append(Exhibitor.hall == filters.hall)
    if filters.country:
        conditions.append(Exhibitor.country == filters.country)
    if filters.launching:
        conditions.append(Exhibitor.launches.any())
    return conditions


def matching_exhibitor_ids(conference: Conference, query: str) -> list[int]:
    """Exhibitors whose names or launched products contain the query, accents and case aside.

    One narrow query (names only, a row per launch) over the conference's few hundred
    exhibitors, folded in Python: neither database folds accents, nor SQLite non-ASCII case.
    """
    rows = db.session.execute(
        sa.select(
            Exhibitor.id,
            Exhibitor.company,
            Exhibitor.company_zh,
            ProductLaunch.product,
            ProductLaunch.product_zh,
        )
        .outerjoin(ProductLaunch, ProductLaunch.exhibitor_id == Exhibitor.id)
        .where(Exhibitor.conference_id == conference.id)
    ).all()
    found = {row.id for row in rows if text_matches(query, row[1:])}
    return sorted(found)


def exhibitor_by_slug(slug: str) -> Exhibitor | None:
    if not is_valid_slug(slug):  # PostgreSQL refuses some strings (NUL) outright
        return None
    return db.session.scalar(
        sa.select(Exhibitor).where(Exhibitor.slug == slug).options(selectinload(Exhibitor.launches))
    )


def expo_days(conference: Conference) -> list[date]:
    """The days the Expo is open, in conference time; the conference days if no hours are set."""
    first, last = conference.starts_on, conference.ends_on
    if conference.expo_opens_at is not None and conference.expo_closes_at is not None:
        first = conference.expo_opens_at.astimezone(conference.tzinfo).date()
        last = conference.expo_closes_at.astimezone(conference.tzinfo).date()
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def launch_stages(conference: Conference) -> list[Stage]:
    """The stages launches use, for the stage filter; their counts add up to all launches."""
    rows = db.session.execute(
        sa.select(
            ProductLaunch.stage,
            sa.func.max(ProductLaunch.stage_zh),
            sa.func.count(ProductLaunch.id),
        )
        .join(ProductLaunch.exhibitor)
        .where(Exhibitor.conference_id == conference.id)
        .group_by(ProductLaunch.stage)
        .order_by(ProductLaunch.stage)
    ).all()
    return [Stage(stage, stage_zh or "", count) for stage, stage_zh, count in rows]


def launch_count_on(conference: Conference, day: date) -> int:
    """How many launches start on a conference-time day, for the program page's pointer."""
    start, end = day_bounds(conference, day)
    return db.session.scalar(
        sa.select(sa.func.count(ProductLaunch.id))
        .join(ProductLaunch.exhibitor)
        .where(
            Exhibitor.conference_id == conference.id,
            ProductLaunch.starts_at >= start,
            ProductLaunch.starts_at < end,
        )
    )


def launches_statement(*conditions: sa.ColumnElement[bool]) -> sa.Select:
    """Launches meeting the conditions with their exhibitors (one query), by start and stage:
    the launch schedule, the API, the frab schedule and the calendar feeds all list them so."""
    return (
        sa.select(ProductLaunch)
        .join(ProductLaunch.exhibitor)
        .where(*conditions)
        .options(contains_eager(ProductLaunch.exhibitor))
        .order_by(ProductLaunch.starts_at, ProductLaunch.stage, ProductLaunch.id)
    )


def launch_conditions(
    conference: Conference, filters: LaunchFilters = LaunchFilters()
) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = [Exhibitor.conference_id == conference.id]
    if filters.day is not None:
        conditions.append(starts_on(ProductLaunch.starts_at, conference, filters.day))
    if filters.stage:
        conditions.append(ProductLaunch.stage == filters.stage)
    return conditions


def launch_schedule(conference: Conference, filters: LaunchFilters) -> list[LaunchDay]:
    """Launches grouped by conference-time day, then start time; one query with exhibitors."""
    statement = launches_statement(*launch_conditions(conference, filters))
    return group_launches(list(db.session.scalars(statement)), conference)


def group_launches(launches: list[ProductLaunch], conference: Conference) -> list[LaunchDay]:
    by_day: dict[date, dict[datetime, list[ProductLaunch]]] = defaultdict(dict)
    for launch in launches:
        local_start = launch.starts_at.astimezone(conference.tzinfo)
        by_day[local_start.date()].setdefault(local_start, []).append(launch)
    return [
        LaunchDay(day, [LaunchSlot(start, items) for start, items in sorted(slots.items())])
        for day, slots in sorted(by_day.items())
    ]


# --- the version of the public data ---------------------------------------------------------
# Here, not in the program: the program and the Expo together make what the public pages and
# the frab schedule show, and the Expo is the package that sees both.


@dataclass(frozen=True)
class DataVersion:
    """What the schedule is built from: it changes whenever a row is added, removed or edited."""

    last_modified: datetime
    counts: tuple[int, ...]

    @property
    def token(self) -> str:
        return f"{self.last_modified.isoformat()}|{'-'.join(map(str, self.counts))}"


# Tables whose rows the schedule shows; their newest change and their sizes make its version.
VERSIONED_MODELS = (Conference, ProgramSession, Subforum, Speaker, Exhibitor, ProductLaunch)
COUNTED_TABLES = (
    ProgramSession.__table__,
    Subforum.__table__,
    Speaker.__table__,
    Venue.__table__,
    ProductLaunch.__table__,
    Exhibitor.__table__,
    SessionSpeaker.__table__,
    session_topics,
    Topic.__table__,
)


def data_version() -> DataVersion | None:
    """One round trip of scalar subqueries; None when there is no conference at all.

    Counts catch rows added or removed (which leave no newer updated_at behind).
    """
    newest = [
        sa.select(sa.func.max(model.updated_at)).scalar_subquery() for model in VERSIONED_MODELS
    ]
    counts = [
        sa.select(sa.func.count()).select_from(table).scalar_subquery() for table in COUNTED_TABLES
    ]
    row = db.session.execute(sa.select(*newest, *counts)).one()
    moments = [moment for moment in row[: len(newest)] if moment is not None]
    if not moments:
        return None
    return DataVersion(last_modified=max(moments), counts=tuple(row[len(newest) :]))


# --- the organizers' lists (dashboard) -----------------------------------------------------


def exhibitors_to_choose() -> list[Exhibitor]:
    """Every exhibitor a launch's form offers, by company."""
    return list(db.session.scalars(sa.select(Exhibitor).order_by(Exhibitor.company, Exhibitor.id)))


def dashboard_exhibitors(
    *, q: str = "", page: int = 1, per_page: int
) -> Page[tuple[Exhibitor, int]]:
    """Exhibitors with their number of launches, by hall and booth, by company or booth."""
    launches = (
        sa.select(sa.func.count(ProductLaunch.id))
        .where(ProductLaunch.exhibitor_id == Exhibitor.id)
        .scalar_subquery()
    )
    query = sa.select(Exhibitor).order_by(Exhibitor.hall, Exhibitor.booth, Exhibitor.id)
    if q:
        query = query.where(
            contains_text(q, Exhibitor.company, Exhibitor.company_zh, Exhibitor.booth)
        )
    found = paginate(query, page, per_page, past_last="last")
    counts = dict(
        db.session.execute(
            sa.select(Exhibitor.id, launches).where(
                Exhibitor.id.in_([exhibitor.id for exhibitor in found.items])
            )
        ).all()
    )
    return replace(found, items=[(exhibitor, counts[exhibitor.id]) for exhibitor in found.items])


def dashboard_launches(*, q: str = "", page: int = 1, per_page: int) -> Page[ProductLaunch]:
    """Launches in time order, by product or exhibitor in either language."""
    query = (
        sa.select(ProductLaunch)
        .join(ProductLaunch.exhibitor)
        .options(contains_eager(ProductLaunch.exhibitor))
        .order_by(ProductLaunch.starts_at, ProductLaunch.id)
    )
    if q:
        query = query.where(
            contains_text(
                q,
                ProductLaunch.product,
                ProductLaunch.product_zh,
                Exhibitor.company,
                Exhibitor.company_zh,
            )
        )
    return paginate(query, page, per_page, past_last="last")


# --- statistics for the organizers: one GROUP BY each, whatever the number of exhibitors ------


def exhibitors_by_sector(conference: Conference) -> list[tuple[Sector, int]]:
    """Most first, ties by the sector's stored value."""
    return _exhibitor_counts(conference, Exhibitor.sector)


def exhibitors_by_hall(conference: Conference) -> list[tuple[str, int]]:
    """In the halls' natural order (hall 2 before hall 10)."""
    counts = _exhibitor_counts(conference, Exhibitor.hall)
    return sorted(counts, key=lambda row: natural_key(row[0]))


def exhibitors_by_country(conference: Conference) -> list[tuple[str, int]]:
    return _exhibitor_counts(conference, Exhibitor.country)


def _exhibitor_counts(conference: Conference, column: sa.ColumnElement) -> list:
    count = sa.func.count(Exhibitor.id)
    rows = db.session.execute(
        sa.select(column, count)
        .where(Exhibitor.conference_id == conference.id)
        .group_by(column)
        .order_by(count.desc(), column)
    )
    return [(row[0], row[1]) for row in rows]
