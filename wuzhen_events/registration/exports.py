"""Registrations as spreadsheet rows: delegates (with the table's filter), seats and waitlists
per subforum, invitations. Each export is its column titles and a generator of plain tuples
read in batches of BATCH_SIZE (a server-side cursor on PostgreSQL), so an export of 100,000
delegates never holds them all; every batch costs a fixed number of queries, never one per row.
Secrets and their hashes (manage, feed and check-in tokens, invitation codes) are never read."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from wuzhen_events.extensions import db
from wuzhen_events.program.models import Conference, Subforum
from wuzhen_events.registration.directory import DelegateFilter, delegate_query
from wuzhen_events.registration.enums import SeatStatus
from wuzhen_events.registration.models import Delegate, Invitation, SeatBooking
from wuzhen_events.spreadsheets import local_time

BATCH_SIZE = 1000
PLACE_SEPARATOR = "; "
# A subforum's places in the order a host reads them: seats, then the queue, then requests.
PLACE_ORDER = (SeatStatus.CONFIRMED, SeatStatus.HELD, SeatStatus.WAITLISTED, SeatStatus.WANTED)

DELEGATE_COLUMNS = (
    _l("ID"),
    _l("Name"),
    _l("Name (Chinese)"),
    _l("E-mail address"),
    _l("Organisation"),
    _l("Job title"),
    _l("Country"),
    _l("Category"),
    _l("Status"),
    _l("Language"),
    _l("Registered at"),
    _l("Approved at"),
    _l("Checked in at"),
    _l("Subforum places"),
)

SEAT_COLUMNS = (
    _l("Subforum ID"),
    _l("Subforum"),
    _l("Subforum (Chinese)"),
    _l("Delegate ID"),
    _l("Name"),
    _l("Name (Chinese)"),
    _l("E-mail address"),
    _l("Organisation"),
    _l("Country"),
    _l("Category"),
    _l("Registration status"),
    _l("Place"),
    _l("Waitlist position"),
    _l("Booked at"),
    _l("Confirmed at"),
    _l("Held until"),
)

INVITATION_COLUMNS = (
    _l("ID"),
    _l("E-mail address"),
    _l("Category"),
    _l("State"),
    _l("Created at"),
    _l("Expires at"),
    _l("Used at"),
    _l("Delegate ID"),
    _l("Delegate name"),
    _l("Delegate name (Chinese)"),
)


def delegate_rows(
    conference: Conference,
    wanted: DelegateFilter,
    *,
    subforum_ids: Collection[int] | None = None,
    language: str = "en",
) -> Iterator[tuple]:
    """The delegates the table's filter shows, in its order; a scoped account's places column
    names only its own subforums. Two queries, then one more per batch of delegates."""
    zone = ZoneInfo(conference.timezone)
    titles = _subforum_titles(conference.id, language)
    columns = (
        Delegate.id,
        Delegate.name,
        Delegate.name_zh,
        Delegate.email,
        Delegate.organisation,
        Delegate.job_title,
        Delegate.country,
        Delegate.category,
        Delegate.status,
        Delegate.locale,
        Delegate.created_at,
        Delegate.approved_at,
        Delegate.checked_in_at,
    )
    query = delegate_query(conference.id, wanted, subforum_ids=subforum_ids).with_only_columns(
        *columns, maintain_column_froms=True
    )
    result = db.session.execute(query.execution_options(yield_per=BATCH_SIZE))
    for batch in result.partitions():
        places = _places_of([row.id for row in batch], titles, subforum_ids)
        for row in batch:
            yield (
                row.id,
                row.name,
                row.name_zh,
                row.email,
                row.organisation,
                row.job_title,
                row.country,
                row.category.value,
                row.status.value,
                row.locale,
                local_time(row.created_at, zone),
                local_time(row.approved_at, zone),
                local_time(row.checked_in_at, zone),
                PLACE_SEPARATOR.join(places.get(row.id, ())),
            )


def _subforum_titles(conference_id: int, language: str) -> dict[int, str]:
    rows = db.session.execute(
        sa.select(Subforum.id, Subforum.title, Subforum.title_zh).where(
            Subforum.conference_id == conference_id
        )
    )
    return {row.id: (row.title_zh or row.title) if language == "zh" else row.title for row in rows}


def _places_of(
    delegate_ids: list[int], titles: dict[int, str], subforum_ids: Collection[int] | None
) -> dict[int, list[str]]:
    """ "Title (state)" of each delegate's places, in booking order, in one query per batch."""
    query = (
        sa.select(SeatBooking.delegate_id, SeatBooking.subforum_id, SeatBooking.status)
        .where(SeatBooking.delegate_id.in_(delegate_ids))
        .order_by(SeatBooking.id)
    )
    if subforum_ids is not None:
        query = query.where(SeatBooking.subforum_id.in_(sorted(subforum_ids)))
    places: dict[int, list[str]] = {}
    for delegate_id, subforum_id, status in db.session.execute(query):
        title = titles.get(subforum_id, str(subforum_id))
        places.setdefault(delegate_id, []).append(f"{title} ({status.value})")
    return places


def seat_rows(
    conference: Conference, *, subforum_ids: Collection[int] | None = None
) -> Iterator[tuple]:
    """Every place in every subforum (a scoped account's only), subforum by subforum, with each
    waitlisted delegate's position in that subforum's queue. One query."""
    zone = ZoneInfo(conference.timezone)
    rank = sa.case(
        *((SeatBooking.status == status, order) for order, status in enumerate(PLACE_ORDER)),
        else_=len(PLACE_ORDER),
    )
    query = (
        sa.select(
            Subforum.id,
            Subforum.title,
            Subforum.title_zh,
            Delegate.id,
            Delegate.name,
            Delegate.name_zh,
            Delegate.email,
            Delegate.organisation,
            Delegate.country,
            Delegate.category,
            Delegate.status,
            SeatBooking.status,
            SeatBooking.created_at,
            SeatBooking.confirmed_at,
            SeatBooking.held_until,
        )
        .select_from(SeatBooking)
        .join(Delegate, SeatBooking.delegate_id == Delegate.id)
        .join(Subforum, SeatBooking.subforum_id == Subforum.id)
        .where(Subforum.conference_id == conference.id)
        .order_by(Subforum.id, rank, SeatBooking.id)
    )
    if subforum_ids is not None:
        query = query.where(SeatBooking.subforum_id.in_(sorted(subforum_ids)))
    result = db.session.execute(query.execution_options(yield_per=BATCH_SIZE))
    queue_of, position = None, 0
    for row in result.tuples():
        subforum_id, place = row[0], row[11]
        if subforum_id != queue_of:
            queue_of, position = subforum_id, 0
        waitlist_position = None
        if place is SeatStatus.WAITLISTED:
            position += 1  # the queue is in booking order, as waitlist_positions counts it
            waitlist_position = position
        yield (
            *row[:9],
            row[9].value,
            row[10].value,
            place.value,
            waitlist_position,
            local_time(row[12], zone),
            local_time(row[13], zone),
            local_time(row[14], zone),
        )


def invitation_rows(conference: Conference, *, now: datetime) -> Iterator[tuple]:
    """Every invitation with the delegate who used it; the code and its hash are never read."""
    zone = ZoneInfo(conference.timezone)
    query = (
        sa.select(
            Invitation.id,
            Invitation.email,
            Invitation.category,
            Invitation.created_at,
            Invitation.expires_at,
            Invitation.used_at,
            Delegate.id,
            Delegate.name,
            Delegate.name_zh,
        )
        .select_from(Invitation)
        .outerjoin(Delegate, Invitation.delegate_id == Delegate.id)
        .where(Invitation.conference_id == conference.id)
        .order_by(Invitation.id)
    )
    result = db.session.execute(query.execution_options(yield_per=BATCH_SIZE))
    for row in result.tuples():
        created_at, expires_at, used_at = row[3], row[4], row[5]
        yield (
            row[0],
            row[1],
            row[2].value,
            _invitation_state(expires_at, used_at, now),
            local_time(created_at, zone),
            local_time(expires_at, zone),
            local_time(used_at, zone),
            row[6],
            row[7],
            row[8],
        )


def _invitation_state(expires_at: datetime | None, used_at: datetime | None, now: datetime) -> str:
    if used_at is not None:
        return "used"
    if expires_at is not None and expires_at <= now:
        return "expired"
    return "open"
