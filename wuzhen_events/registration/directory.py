"""Which delegates an organizer's list shows: one filter for the table, its exports and its
e-mails, and the scope of the account looking, applied in SQL so nothing outside it is loaded."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import sqlalchemy as sa

from wuzhen_events.registration.enums import DelegateCategory, DelegateStatus, SeatStatus
from wuzhen_events.registration.models import Delegate, SeatBooking

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
        conditions.append(
            sa.or_(
                *(
                    column.icontains(wanted.q, autoescape=True)
                    for column in (
                        Delegate.name,
                        Delegate.name_zh,
                        Delegate.email,
                        Delegate.organisation,
                    )
                )
            )
        )
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
