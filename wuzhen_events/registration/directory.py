"""Which delegates an organizer's list shows: one filter for the table, its exports and its
e-mails, and the scope of the account looking, applied in SQL so nothing outside it is loaded."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from wuzhen_events.db import contains_text
from wuzhen_events.extensions import db
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.pagination import Page, paginate
from wuzhen_events.program.models import Subforum
from wuzhen_events.registration.enums import DelegateCategory, DelegateStatus, SeatStatus
from wuzhen_events.registration.models import SEARCHED_COLUMNS, Delegate, SeatBooking
from wuzhen_events.registration.queries import waitlist_positions

# The orders the table offers, by the name its links use; ties are broken by id.
SORT_COLUMNS: dict[str, sa.ColumnElement] = {
    "registered": Delegate.created_at,
    "name": Delegate.name,
    "organisation": Delegate.organisation,
    "country": Delegate.country,
    "category": Delegate.category,
    "status": Delegate.status,
}
DEFAULT_SORT = "registered"


@dataclass(frozen=True)
class DelegateFilter:
    q: str = ""  # a part of the name (English or Chinese), e-mail address or organisation
    category: DelegateCategory | None = None
    status: DelegateStatus | None = None
    country: str = ""  # ISO 3166 alpha-2
    subforum_id: int | None = None  # holds a place of any kind in this subforum
    seat: SeatStatus | None = None  # holds a place in this state (in that subforum, if given)
    checked_in: bool | None = None
    sort: str = DEFAULT_SORT
    descending: bool = False


def delegate_query(
    conference_id: int, wanted: DelegateFilter, *, subforum_ids: Collection[int] | None = None
) -> sa.Select:
    """The delegates `wanted` describes, in its order; `subforum_ids` (an account's scope)
    keeps only those holding a place in one of them: None is every delegate."""
    query = sa.select(Delegate).where(Delegate.conference_id == conference_id)
    for condition in delegate_conditions(wanted, subforum_ids=subforum_ids):
        query = query.where(condition)
    column = SORT_COLUMNS.get(wanted.sort, SORT_COLUMNS[DEFAULT_SORT])
    if wanted.descending:
        return query.order_by(column.desc(), Delegate.id.desc())
    return query.order_by(column, Delegate.id)


def delegate_conditions(
    wanted: DelegateFilter, *, subforum_ids: Collection[int] | None = None
) -> list[sa.ColumnElement[bool]]:
    """The WHERE conditions alone, for counts and statistics over the same set."""
    conditions: list[sa.ColumnElement[bool]] = []
    if wanted.q:
        searched = (getattr(Delegate, column) for column in SEARCHED_COLUMNS)
        conditions.append(contains_text(wanted.q, *searched))
    if wanted.category is not None:
        conditions.append(Delegate.category == wanted.category)
    if wanted.status is not None:
        conditions.append(Delegate.status == wanted.status)
    if wanted.country:
        conditions.append(Delegate.country == wanted.country)
    if wanted.subforum_id is not None or wanted.seat is not None:
        place = sa.select(SeatBooking.id).where(SeatBooking.delegate_id == Delegate.id)
        if wanted.subforum_id is not None:
            place = place.where(SeatBooking.subforum_id == wanted.subforum_id)
        if wanted.seat is not None:
            place = place.where(SeatBooking.status == wanted.seat)
        conditions.append(place.exists())
    if wanted.checked_in is not None:
        conditions.append(
            Delegate.checked_in_at.is_not(None)
            if wanted.checked_in
            else Delegate.checked_in_at.is_(None)
        )
    if subforum_ids is not None:
        in_scope = sa.select(SeatBooking.id).where(
            SeatBooking.delegate_id == Delegate.id,
            SeatBooking.subforum_id.in_(sorted(subforum_ids)),
        )
        conditions.append(in_scope.exists())
    return conditions


# --- the pages the dashboard shows ---------------------------------------------------------


@dataclass(frozen=True)
class PlaceLine:
    """One of a delegate's places as an organizer reads it: where, in what state, what rank."""

    booking_id: int
    subforum: Subforum
    status: SeatStatus
    position: int | None  # on the waitlist: 1 is next


@dataclass(frozen=True)
class DelegateRow:
    delegate: Delegate
    places: list[PlaceLine]  # those the account looking may see


def delegate_page(
    conference_id: int,
    wanted: DelegateFilter,
    page: int,
    per_page: int,
    *,
    subforum_ids: Collection[int] | None = None,
) -> Page[DelegateRow]:
    """A count and one page of rows with their places: four queries whatever the page size."""
    statement = delegate_query(conference_id, wanted, subforum_ids=subforum_ids).options(
        selectinload(Delegate.seats).selectinload(SeatBooking.subforum)
    )
    found = paginate(statement, page, per_page, past_last="last")
    rows = [
        DelegateRow(
            delegate,
            [
                PlaceLine(booking.id, booking.subforum, booking.status, None)
                for booking in delegate.seats
                if subforum_ids is None or booking.subforum_id in subforum_ids
            ],
        )
        for delegate in found.items
    ]
    return replace(found, items=rows)


def matching_ids(
    conference_id: int, wanted: DelegateFilter, *, subforum_ids: Collection[int] | None = None
) -> list[int]:
    """Every delegate the filter finds, for an action over the whole filtered set."""
    query = delegate_query(conference_id, wanted, subforum_ids=subforum_ids)
    return list(db.session.scalars(query.with_only_columns(Delegate.id)))


def ids_in_scope(
    conference_id: int, delegate_ids: Collection[int], *, subforum_ids: Collection[int] | None
) -> list[int]:
    """Of the ids a form sent, those of this conference the account may act on."""
    if not delegate_ids:
        return []
    query = sa.select(Delegate.id).where(
        Delegate.conference_id == conference_id, Delegate.id.in_(sorted(delegate_ids))
    )
    for condition in delegate_conditions(DelegateFilter(), subforum_ids=subforum_ids):
        query = query.where(condition)
    return list(db.session.scalars(query.order_by(Delegate.id)))


def delegate_in_scope(
    conference_id: int, delegate_id: int, *, subforum_ids: Collection[int] | None = None
) -> Delegate | None:
    """None for a delegate of another conference or outside the account's subforums."""
    query = sa.select(Delegate).where(
        Delegate.conference_id == conference_id, Delegate.id == delegate_id
    )
    for condition in delegate_conditions(DelegateFilter(), subforum_ids=subforum_ids):
        query = query.where(condition)
    return db.session.scalar(query)


def delegate_places(
    delegate: Delegate, *, subforum_ids: Collection[int] | None = None
) -> list[PlaceLine]:
    """Seats, requests and waitlist places with their rank, in two queries."""
    bookings = db.session.scalars(
        sa.select(SeatBooking)
        .where(SeatBooking.delegate_id == delegate.id)
        .options(joinedload(SeatBooking.subforum))
        .order_by(SeatBooking.subforum_id)
    ).all()
    shown = [b for b in bookings if subforum_ids is None or b.subforum_id in subforum_ids]
    waiting = [b.id for b in shown if b.status is SeatStatus.WAITLISTED]
    positions = waitlist_positions(waiting)
    return [PlaceLine(b.id, b.subforum, b.status, positions.get(b.id)) for b in shown]


def sent_emails(delegate: Delegate, limit: int = 200) -> list[OutboxMessage]:
    """The e-mails about this registration, newest first."""
    return list(
        db.session.scalars(
            delegate.outbox_messages.select()
            .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
            .limit(limit)
        )
    )


def subforums_in_scope(
    conference_id: int, *, subforum_ids: Collection[int] | None = None
) -> list[Subforum]:
    """The subforums an account may filter by and move seats to, in title order."""
    query = sa.select(Subforum).where(Subforum.conference_id == conference_id)
    if subforum_ids is not None:
        query = query.where(Subforum.id.in_(sorted(subforum_ids)))
    return list(db.session.scalars(query.order_by(Subforum.title, Subforum.id)))


def delegate_countries(
    conference_id: int, *, subforum_ids: Collection[int] | None = None
) -> list[str]:
    """The countries the account's delegates come from, for the filter."""
    query = sa.select(Delegate.country).where(Delegate.conference_id == conference_id)
    for condition in delegate_conditions(DelegateFilter(), subforum_ids=subforum_ids):
        query = query.where(condition)
    return list(db.session.scalars(query.distinct().order_by(Delegate.country)))
