"""Reads for the delegate's own pages: who a secret belongs to, and their agenda."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from wuzhen_events.extensions import db
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.program.models import Conference, ProgramSession, Subforum
from wuzhen_events.program.queries import CARD_OPTIONS
from wuzhen_events.registration import tokens
from wuzhen_events.registration.choices import Offered
from wuzhen_events.registration.enums import DelegateStatus, SeatStatus
from wuzhen_events.registration.models import (
    Bookmark,
    Delegate,
    FallbackHash,
    Invitation,
    SeatBooking,
)
from wuzhen_events.registration.rotation import SECRET_COLUMNS
from wuzhen_events.registration.tokens import Secret


@dataclass(frozen=True)
class SeatLine:
    booking: SeatBooking
    waitlist_position: int | None


def delegate_by_secret(purpose: Secret, candidate: str, *, lock: bool = False) -> Delegate | None:
    """The delegate a secret belongs to; malformed or unknown secrets find nobody.

    One indexed lookup by the secret's hash; a secret made before SECRET_KEY was rotated has its
    hash among the fallback hashes, a second one. Either way the seed must derive the secret
    under the current key or a fallback (compared in constant time). With `lock`, the row is
    read as of its lock (FOR NO KEY UPDATE, as registration takes it) in the same statement.
    """
    if not tokens.is_token_shaped(candidate):
        return None
    seed, stored_hash = SECRET_COLUMNS[purpose]
    token_hash = tokens.fingerprint(candidate)
    delegate = db.session.scalar(
        _locked(sa.select(Delegate).where(stored_hash == token_hash), lock)
    )
    if delegate is None:
        delegate = db.session.scalar(
            _locked(
                sa.select(Delegate)
                .join(FallbackHash, FallbackHash.delegate_id == Delegate.id)
                .where(FallbackHash.token_hash == token_hash, FallbackHash.purpose == purpose),
                lock,
            )
        )
    if delegate is None or not tokens.matches(purpose, getattr(delegate, seed.key), candidate):
        return None
    return delegate


def _locked(query: sa.Select, lock: bool) -> sa.Select:
    if not lock:
        return query
    return query.with_for_update(key_share=True, of=Delegate).execution_options(
        populate_existing=True
    )


def seat_lines(delegate: Delegate) -> list[SeatLine]:
    """Each chosen subforum with the delegate's waitlist position, in program order."""
    bookings = db.session.scalars(
        sa.select(SeatBooking)
        .where(SeatBooking.delegate_id == delegate.id)
        .options(
            selectinload(SeatBooking.subforum).selectinload(Subforum.venue),
            selectinload(SeatBooking.subforum).selectinload(Subforum.sessions),
        )
    ).all()
    positions = waitlist_positions([b.id for b in bookings if b.status is SeatStatus.WAITLISTED])
    lines = [SeatLine(booking, positions.get(booking.id)) for booking in bookings]
    return sorted(lines, key=_program_order)


def waitlist_positions(booking_ids: list[int]) -> dict[int, int]:
    """1-based places in each subforum's queue (ordered by booking id), in one query."""
    if not booking_ids:
        return {}
    queue = (
        sa.select(
            SeatBooking.id,
            sa.func.row_number()
            .over(partition_by=SeatBooking.subforum_id, order_by=SeatBooking.id)
            .label("position"),
        )
        .where(SeatBooking.status == SeatStatus.WAITLISTED)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(queue.c.id, queue.c.position).where(queue.c.id.in_(booking_ids))
    )
    return dict(rows.tuples().all())


def starred_sessions(delegate: Delegate) -> list[ProgramSession]:
    return list(
        db.session.scalars(
            sa.select(ProgramSession)
            .join(Bookmark, Bookmark.session_id == ProgramSession.id)
            .where(Bookmark.delegate_id == delegate.id, ProgramSession.is_public)
            .options(*CARD_OPTIONS)
            .order_by(ProgramSession.starts_at, ProgramSession.id)
        )
    )


def starred_session_ids(delegate: Delegate) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(Bookmark.session_id).where(Bookmark.delegate_id == delegate.id)
        )
    )


@dataclass(frozen=True)
class SubforumChoice:
    """A bookable subforum as the registration form offers and checks it: its seats and the
    span of its sessions (first start, last end, as `Subforum.starts_at`/`ends_at`), no rows."""

    id: int
    slug: str
    title: str
    title_zh: str
    capacity: int
    seats_taken: int
    restricted_to: list[str]
    starts_at: datetime | None
    ends_at: datetime | None

    @classmethod
    def of(cls, subforum: Offered) -> SubforumChoice:
        """A plain copy of a `Subforum` row (or of a choice), which a commit cannot expire."""
        return cls(
            subforum.id,
            subforum.slug,
            subforum.title,
            subforum.title_zh,
            subforum.capacity,
            subforum.seats_taken,
            list(subforum.restricted_to),
            subforum.starts_at,
            subforum.ends_at,
        )

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_taken >= self.capacity


def _subforum_choices_statement() -> sa.Select:
    span = (
        sa.select(
            ProgramSession.subforum_id,
            sa.func.min(ProgramSession.starts_at).label("starts_at"),
            sa.func.max(ProgramSession.ends_at).label("ends_at"),
        )
        .where(ProgramSession.subforum_id.is_not(None))
        .group_by(ProgramSession.subforum_id)
        .subquery()
    )
    return (
        sa.select(
            Subforum.id,
            Subforum.slug,
            Subforum.title,
            Subforum.title_zh,
            Subforum.capacity,
            Subforum.seats_taken,
            Subforum.restricted_to,
            span.c.starts_at,
            span.c.ends_at,
        )
        .outerjoin(span, span.c.subforum_id == Subforum.id)
        .where(Subforum.conference_id == sa.bindparam("conference_id"), Subforum.capacity > 0)
        # Program order: the form groups them by day, in time order.
        .order_by(span.c.starts_at.is_(None), span.c.starts_at, Subforum.title, Subforum.id)
    )


# Built once: every registration POST runs it, and building it costs as much as running it.
SUBFORUM_CHOICES = _subforum_choices_statement()


def subforum_choices(conference_id: int) -> list[SubforumChoice]:
    """The registration form's subforums in one query: what it lists, and what its POST needs to
    validate the choices and refuse overlaps, without loading sessions and venues."""
    rows = db.session.execute(SUBFORUM_CHOICES, {"conference_id": conference_id})
    return [SubforumChoice(*row) for row in rows]


def bookable_subforums(conference_id: int) -> list[Subforum]:
    """Subforums open to seat booking, in program order, with their sessions and venue."""
    subforums = db.session.scalars(
        sa.select(Subforum)
        .where(Subforum.conference_id == conference_id, Subforum.capacity > 0)
        .options(selectinload(Subforum.sessions), selectinload(Subforum.venue))
    ).all()
    return sorted(subforums, key=lambda s: (s.starts_at is None, s.starts_at or 0, s.title))


def _program_order(line: SeatLine):
    starts_at = line.booking.subforum.starts_at
    return (starts_at is None, starts_at or 0, line.booking.subforum.title)


@dataclass(frozen=True)
class StarChoice:
    session: ProgramSession
    starred: bool


def star_choices(delegate: Delegate) -> list[StarChoice]:
    """Every public session in program order, marked when the delegate has starred it."""
    starred = starred_session_ids(delegate)
    sessions = db.session.scalars(
        sa.select(ProgramSession)
        .where(ProgramSession.conference_id == delegate.conference_id, ProgramSession.is_public)
        .options(selectinload(ProgramSession.subforum))
        .order_by(ProgramSession.starts_at, ProgramSession.id)
    )
    return [StarChoice(session, session.id in starred) for session in sessions]


# --- the delegate's own data, and erased registrations ------------------------------------------


def delegate_data(delegate: Delegate) -> dict:
    """Everything stored about the delegate, as the JSON they download from their page: no
    secret, seed or hash, and no e-mail body (bodies carry the private link)."""
    conference = db.session.get(Conference, delegate.conference_id)
    stars = db.session.scalars(
        sa.select(Bookmark)
        .where(Bookmark.delegate_id == delegate.id)
        .options(selectinload(Bookmark.session).selectinload(ProgramSession.subforum))
    ).all()
    emails = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.delegate_id == delegate.id)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.delegate_id == delegate.id)
    )
    return {
        "conference": conference.name if conference is not None else None,
        "registration": {
            "name": delegate.name,
            "name_zh": delegate.name_zh,
            "email": delegate.email,
            "organisation": delegate.organisation,
            "job_title": delegate.job_title,
            "country": delegate.country,
            "category": delegate.category.value,
            "status": delegate.status.value,
            "email_language": delegate.locale,
            "registered_at": _instant(delegate.created_at),
            "updated_at": _instant(delegate.updated_at),
            "consented_at": _instant(delegate.consented_at),
            "email_verified_at": _instant(delegate.email_verified_at),
            "approved_at": _instant(delegate.approved_at),
            "cancelled_at": _instant(delegate.cancelled_at),
            "checked_in_at": _instant(delegate.checked_in_at),
        },
        "invitation": (
            {
                "category": invitation.category.value,
                "created_at": _instant(invitation.created_at),
                "expires_at": _instant(invitation.expires_at),
                "used_at": _instant(invitation.used_at),
            }
            if invitation is not None
            else None
        ),
        "subforums": [
            {
                "subforum": line.booking.subforum.title,
                "subforum_zh": line.booking.subforum.title_zh,
                "status": line.booking.status.value,
                "waitlist_position": line.waitlist_position,
                "chosen_at": _instant(line.booking.created_at),
                "confirmed_at": _instant(line.booking.confirmed_at),
                "held_until": _instant(line.booking.held_until),
            }
            for line in seat_lines(delegate)
        ],
        "starred_sessions": [
            {
                "session": star.session.title,
                "session_zh": star.session.title_zh,
                "subforum": star.session.subforum.title if star.session.subforum else None,
                "starts_at": _instant(star.session.starts_at),
                "starred_at": _instant(star.created_at),
            }
            for star in sorted(stars, key=lambda star: (star.session.starts_at, star.session_id))
        ],
        "emails": [
            {
                "kind": message.kind,
                "subject": message.subject if message.rendered_at is not None else None,
                "status": message.status.value,
                "queued_at": _instant(message.created_at),
                "sent_at": _instant(message.sent_at),
            }
            for message in emails
        ],
    }


def _instant(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def erased_manage_hash(manage_token_hash: str) -> str:
    """What the manage link's hash becomes on erasure: no token has it as its fingerprint, yet
    a second "erase" sent with the old link can still tell that the erasure is done."""
    return tokens.fingerprint(f"erased:{manage_token_hash}")


def is_erased_manage_token(candidate: str) -> bool:
    """Whether this old manage link belongs to a registration erased since."""
    if not tokens.is_token_shaped(candidate):
        return False
    erased_hash = erased_manage_hash(tokens.fingerprint(candidate))
    erased = db.session.scalar(
        sa.select(Delegate.id).where(
            Delegate.manage_token_hash == erased_hash, Delegate.erased_at.is_not(None)
        )
    )
    if erased is None:  # a link made before SECRET_KEY was rotated
        erased = db.session.scalar(
            sa.select(Delegate.id)
            .join(FallbackHash, FallbackHash.delegate_id == Delegate.id)
            .where(
                FallbackHash.token_hash == erased_hash,
                FallbackHash.purpose == Secret.MANAGE,
                Delegate.erased_at.is_not(None),
            )
        )
    return erased is not None


def invitations_statement(conference_id: int) -> sa.Select:
    """The conference's invitations, newest first (pair a page with used_by_names)."""
    return (
        sa.select(Invitation)
        .where(Invitation.conference_id == conference_id)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )


def used_by_names(invitations: list[Invitation]) -> dict[int, str]:
    """Who used each used invitation of a page, by delegate id: one query for the page."""
    ids = {invitation.delegate_id for invitation in invitations if invitation.delegate_id}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(Delegate.id, Delegate.name).where(Delegate.id.in_(ids)))
    return {row.id: row.name for row in rows}


def session_change_recipients(session: ProgramSession) -> sa.Select:
    """(id, email, locale) of the active delegates holding a seat in the session's subforum or
    having starred it, each once: who hears of its move or cancellation."""
    holds_seat = sa.select(SeatBooking.delegate_id).where(
        SeatBooking.subforum_id == session.subforum_id,
        SeatBooking.status.in_([SeatStatus.CONFIRMED, SeatStatus.HELD]),
    )
    starred = sa.select(Bookmark.delegate_id).where(Bookmark.session_id == session.id)
    return (
        sa.select(Delegate.id, Delegate.email, Delegate.locale)
        .where(
            Delegate.status != DelegateStatus.CANCELLED,
            Delegate.erased_at.is_(None),
            Delegate.id.in_(holds_seat) | Delegate.id.in_(starred),
        )
        .order_by(Delegate.id)
    )


def session_change_recipient_count(session: ProgramSession) -> int:
    counted = session_change_recipients(session).order_by(None).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(counted))
