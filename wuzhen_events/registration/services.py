"""Every write to registrations. Each service is one transaction; seats are taken and freed
with conditional updates inside it, so no subforum is ever oversold, on SQLite or PostgreSQL."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from limits import parse_many
from sqlalchemy.exc import IntegrityError

from wuzhen_events import clock
from wuzhen_events.audit import services as audit
from wuzhen_events.audit.actors import WAITLIST, Actor
from wuzhen_events.db import utcnow
from wuzhen_events.errors import DomainError, LazyString, _l, when_shown
from wuzhen_events.extensions import db
from wuzhen_events.i18n import localized
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.program.models import Conference, ProgramSession, Subforum
from wuzhen_events.registration import rotation, tokens
from wuzhen_events.registration.choices import Offered
from wuzhen_events.registration.enums import (
    DelegateCategory,
    DelegateMessage,
    DelegateStatus,
    SeatStatus,
    category_list,
)
from wuzhen_events.registration.mails import (
    queue_delegate_message,
    queue_session_change,
    session_change_sent,
)
from wuzhen_events.registration.models import (
    Bookmark,
    ClosedCategory,
    Delegate,
    FallbackHash,
    Invitation,
    SeatBooking,
)
from wuzhen_events.registration.queries import (
    SubforumChoice,
    erased_manage_hash,
    session_change_recipients,
)
from wuzhen_events.registration.tokens import Secret
from wuzhen_events.text import check_lines, normalise_email
from wuzhen_events.transactions import check_text_lengths, write

# What a delegate typed that e-mails and listings print on one line (wuzhen_events/text.py).
DELEGATE_LINES = ("name", "name_zh", "email", "organisation", "job_title", "country", "locale")


class RegistrationError(DomainError):
    """A registration change that breaks a rule; the message is safe to show."""


@dataclass(frozen=True)
class DelegateDetails:
    """What a person types about themselves; the form has checked shapes and limits."""

    name: str
    email: str
    organisation: str
    country: str
    category: DelegateCategory
    name_zh: str = ""
    job_title: str = ""
    locale: str = "en"


@dataclass(frozen=True)
class Registration:
    """What a submitted registration led to. For an address registered already, `delegate`
    and `manage_token` are None: the answer must not reveal that the address is known, and its
    owner gets their link by e-mail instead. The manage token exists in plain text only here."""

    delegate: Delegate | None
    manage_token: str | None
    # Only a registration whose address is proven may be handed its link in the browser.
    opens_manage_page: bool = False


def register_delegate(
    conference: Conference,
    details: DelegateDetails,
    *,
    subforums: Sequence[Offered] = (),
    invitation_code: str = "",
    submission_key: str | None = None,
    email_verified: bool = False,
    actor: Actor,
) -> Registration:
    """Confirm at once, or hold as pending until an invitation or approval, with seats taken,
    held, waitlisted or requested, and the e-mail queued, all in one transaction.

    `submission_key` identifies the browser session and form that sent it: the same form sent
    twice finds the registration it made. `email_verified` says the caller knows the address is
    the person's (an organizer); an e-mailed invitation code proves it too. Without either, seats
    are held until the person opens the link we send, or until the hold expires.
    """
    # Read before write(): it ends the view's read, which expires what it loaded.
    conference_id = conference.id
    chosen = [SubforumChoice.of(s) for s in subforums]
    email = normalise_email(details.email)
    try:
        with write(error=None):
            if submission_key and (earlier := _delegate_with_submission(submission_key)):
                return _registration_of(earlier)
            taken, closed = _registration_blockers(conference_id, email, details.category)
            if closed:
                raise RegistrationError(
                    _l(
                        "Registration is closed for the category “%(category)s”.",
                        category=when_shown(lambda: details.category.label),
                    ),
                    field="category",
                )
            _refuse_overlaps(chosen)
            _refuse_restricted(chosen, details.category)
            invitation = _usable_invitation(conference_id, invitation_code, email, details.category)
            if taken:
                return _answer_taken_address(conference_id, email, submission_key)
            confirmed = invitation is not None or not details.category.needs_invitation
            verified = email_verified or invitation is not None
            now = clock.now()
            delegate = Delegate(
                conference_id=conference_id,
                name=details.name.strip(),
                name_zh=details.name_zh.strip(),
                email=email,
                organisation=details.organisation.strip(),
                job_title=details.job_title.strip(),
                country=details.country.upper(),
                category=details.category,
                status=DelegateStatus.CONFIRMED if confirmed else DelegateStatus.PENDING,
                locale=details.locale,
                approved_at=now if confirmed else None,
                email_verified_at=now if verified else None,
                submission_key=submission_key or None,
                seats=[],  # a new delegate has none: appending later needs no query to find out
            )
            manage_token = _issue_secrets(delegate)
            check_text_lengths(delegate, error=RegistrationError)
            check_lines(delegate, DELEGATE_LINES, error=RegistrationError)
            if invitation is not None:
                db.session.add(delegate)
                db.session.flush()
                _claim_invitation(invitation, delegate)
                audit.record(
                    actor,
                    "register_delegate",
                    "invitations",
                    invitation.id,
                    {"used_at": None, "delegate_id": None},
                    {"used_at": now, "delegate_id": delegate.id},
                    delegate_id=delegate.id,
                )
            # Seats first, in subforum id order so concurrent registrations lock subforum rows
            # in one order; then one flush, at commit, inserts the delegate, bookings and e-mail.
            places = [(s.id, _place_status(delegate, s.id)) for s in sorted(chosen, key=_by_id)]
            for subforum_id, status in places:
                _add_booking(delegate, subforum_id, status)
            db.session.add(delegate)
            kind = DelegateMessage.CONFIRMATION if confirmed else DelegateMessage.PENDING_APPROVAL
            queue_delegate_message(kind, delegate)
            db.session.flush()  # the ids the entries name
            audit.created(
                actor, "register_delegate", delegate, *delegate.seats, delegate_id=delegate.id
            )
    except IntegrityError:
        # The same form raced itself (UNIQUE submission key), or two forms raced with the same
        # address (UNIQUE conference and e-mail): answer as the request that won was answered.
        return _answer_lost_race(conference_id, email, submission_key)
    return Registration(delegate, manage_token, opens_manage_page=verified)


def verify_email(delegate: Delegate, *, actor: Actor) -> bool:
    """The person opened a link we e-mailed: the address is theirs, and held seats become
    confirmed. False when it was verified already (every later visit)."""
    if delegate.email_verified_at is not None:
        return False
    with write(error=RegistrationError):
        now = clock.now()
        # False when a second tab verified it a moment ago.
        verified = _claim(delegate, Delegate.email_verified_at.is_(None), email_verified_at=now)
        if verified:
            audit.record(
                actor,
                "verify_email",
                "delegates",
                delegate.id,
                {"email_verified_at": None},
                {"email_verified_at": now},
                delegate_id=delegate.id,
            )
            held = db.session.scalars(
                sa.select(SeatBooking).where(
                    SeatBooking.delegate_id == delegate.id, SeatBooking.status == SeatStatus.HELD
                )
            )
            for booking in held:
                before = audit.snapshot(booking)
                booking.status, booking.confirmed_at, booking.held_until = (
                    SeatStatus.CONFIRMED,
                    now,
                    None,
                )
                audit.changed(actor, "verify_email", booking, before, delegate_id=delegate.id)
    db.session.refresh(delegate)
    return verified


def release_expired_holds(*, actor: Actor, now: datetime | None = None, limit: int = 500) -> int:
    """Seats held for addresses nobody confirmed in time go to the waitlist; run from cron or
    the mail loop. Returns how many seats were released."""
    now = now or clock.now()
    with write(error=RegistrationError):
        return _release_expired_holds(now, limit, actor)


def _release_expired_holds(now: datetime, limit: int, actor: Actor) -> int:
    expired = db.session.scalars(
        sa.select(SeatBooking)
        .join(SeatBooking.delegate)
        .where(SeatBooking.status == SeatStatus.HELD, SeatBooking.held_until <= now)
        # Subforum order, as registrations lock subforum rows, so the two never deadlock.
        .order_by(SeatBooking.subforum_id, SeatBooking.id)
        .limit(limit)
        # The delegate's row too, locked first as every change to a registration does; one
        # being changed right now (its address confirmed, its seats left) is left to that change.
        .with_for_update(of=(SeatBooking, Delegate), key_share=True, skip_locked=True)
    ).all()
    released = 0
    for booking in expired:
        delegate = booking.delegate
        before = audit.snapshot(booking)
        if delegate.email_verified_at is not None:
            # Promoted to a hold while their address was being confirmed: the seat is theirs.
            _set_place(booking, SeatStatus.CONFIRMED)
            audit.changed(actor, "release_expired_holds", booking, before, delegate_id=delegate.id)
            continue
        booking_id = booking.id
        _release(booking)
        audit.removed(
            actor,
            "release_expired_holds",
            "seat_bookings",
            booking_id,
            before,
            delegate_id=delegate.id,
        )
        delegate.updated_at = now  # the personal feed must drop the held sessions
        released += 1
    return released


def approve_delegate(delegate: Delegate, *, actor: Actor) -> Delegate:
    """Organizer approval: requested subforums become seats, or waitlist places when full."""
    with write(error=RegistrationError):
        # Two approvals at once (a double click), or an approval racing a cancellation: the
        # second waits for the first to commit, then reads the status and seats it left.
        _lock(delegate)
        db.session.refresh(delegate, ["status", "seats"])
        if delegate.status is not DelegateStatus.PENDING:
            raise RegistrationError(_l("Only a registration waiting for approval can be approved."))
        before = audit.snapshot(delegate)
        delegate.status = DelegateStatus.CONFIRMED
        delegate.approved_at = clock.now()
        audit.changed(actor, "approve_delegate", delegate, before, delegate_id=delegate.id)
        for booking in sorted(delegate.seats, key=lambda booking: booking.subforum_id):
            status = _seat_status(delegate, booking.subforum_id)
            before = audit.snapshot(booking)
            if status is SeatStatus.WAITLISTED:
                booking_id = booking.id
                queued = _join_waitlist_now(delegate, booking)
                audit.removed(
                    actor,
                    "approve_delegate",
                    "seat_bookings",
                    booking_id,
                    before,
                    note="requested seat moved to the end of the waitlist",
                    delegate_id=delegate.id,
                )
                db.session.flush()
                audit.created(actor, "approve_delegate", queued, delegate_id=delegate.id)
            else:
                _set_place(booking, status)
                audit.changed(actor, "approve_delegate", booking, before, delegate_id=delegate.id)
        queue_delegate_message(DelegateMessage.APPROVED, delegate)
    return delegate


def reject_delegate(delegate: Delegate, *, actor: Actor) -> Delegate:
    """Organizers decline a registration waiting for approval. It is REJECTED, not cancelled,
    so lists and the delegate's page tell the two apart; its requests hold no seat and stay,
    so a reset to pending reopens it as it was."""
    with write(error=RegistrationError):
        _lock(delegate)  # a double click, or a race with an approval: one after the other
        db.session.refresh(delegate, ["status"])
        if delegate.status is not DelegateStatus.PENDING:
            raise RegistrationError(_l("Only a registration waiting for approval can be rejected."))
        before = audit.snapshot(delegate)
        delegate.status = DelegateStatus.REJECTED
        audit.changed(actor, "reject_delegate", delegate, before, delegate_id=delegate.id)
        queue_delegate_message(DelegateMessage.REJECTION, delegate)
    return delegate


def reset_to_pending(delegate: Delegate, *, actor: Actor) -> Delegate:
    """Back to waiting for approval, to decide again: seats and waitlist places become requests
    (a freed seat goes to the first waiting, in the same transaction), as a pending delegate's."""
    with write(error=RegistrationError):
        _lock(delegate)
        db.session.refresh(delegate, ["status", "erased_at", "seats"])
        if delegate.erased_at is not None:
            raise RegistrationError(_l("This registration has already been erased."))
        if delegate.status is DelegateStatus.PENDING:
            raise RegistrationError(_l("This registration is already waiting for approval."))
        before = audit.snapshot(delegate)
        delegate.status = DelegateStatus.PENDING
        delegate.approved_at = None
        delegate.cancelled_at = None
        audit.changed(actor, "reset_to_pending", delegate, before, delegate_id=delegate.id)
        # Subforum order, as every change locks subforum rows, so two never deadlock.
        for booking in sorted(delegate.seats, key=lambda booking: booking.subforum_id):
            if booking.status is SeatStatus.WANTED:
                continue
            held_a_seat = booking.status in SEAT_HOLDING
            before = audit.snapshot(booking)
            _set_place(booking, SeatStatus.WANTED)
            db.session.flush()  # no longer in the queue the freed seat is given to
            audit.changed(actor, "reset_to_pending", booking, before, delegate_id=delegate.id)
            if held_a_seat:
                _serve_waitlist(booking.subforum_id, _free_one_seat(booking.subforum_id))
    return delegate


def move_seat(
    delegate: Delegate, source: Subforum, target: Subforum, *, actor: Actor
) -> SeatBooking:
    """Organizers move a delegate's seat to another subforum. The target's seat is taken by the
    conditional UPDATE registration uses, so a full subforum refuses and nothing is oversold;
    an organizer's move goes ahead of the target's waitlist, by decision. The seat freed in the
    source goes to its first waiting, in the same transaction."""
    with write(error=RegistrationError):
        _lock(delegate)
        db.session.refresh(delegate, ["status", "seats"])
        _require_active(delegate)
        booking = next((b for b in delegate.seats if b.subforum_id == source.id), None)
        if booking is None or booking.status not in SEAT_HOLDING:
            raise RegistrationError(
                _l("This delegate holds no seat in “%(title)s”.", title=_shown_title(source)),
                field="subforum",
            )
        if source.id == target.id or any(b.subforum_id == target.id for b in delegate.seats):
            raise RegistrationError(
                _l(
                    "This delegate already has a place in “%(title)s”.",
                    title=_shown_title(target),
                ),
                field="target",
            )
        others = [b.subforum for b in delegate.seats if b.subforum_id != source.id]
        _refuse_overlaps([*others, target])
        _refuse_restricted([target], delegate.category)
        # Both subforum rows locked in id order, as registrations lock them.
        for subforum_id in sorted((source.id, target.id)):
            db.session.execute(LOCK_SUBFORUM, {"subforum_id": subforum_id})
        if not _take_seat_by_hand(target.id):
            raise _full(target)
        before = audit.snapshot(booking)
        booking.subforum_id = target.id
        db.session.flush()
        audit.changed(actor, "move_seat", booking, before, delegate_id=delegate.id)
        _serve_waitlist(source.id, _free_one_seat(source.id))
        db.session.expire(booking, ["subforum"])
        delegate.updated_at = clock.now()  # the personal feed must move
    return booking


def promote_waitlisted(delegate: Delegate, subforum: Subforum, *, actor: Actor) -> SeatBooking:
    """Organizers give a waiting delegate a seat by hand, ahead of the queue, only if one is
    free: the same conditional UPDATE as registration decides, so nothing is oversold."""
    with write(error=RegistrationError):
        _lock(delegate)
        db.session.refresh(delegate, ["status", "seats"])
        _require_active(delegate)
        booking = next((b for b in delegate.seats if b.subforum_id == subforum.id), None)
        if booking is None or booking.status is not SeatStatus.WAITLISTED:
            raise RegistrationError(
                _l(
                    "This delegate is not on the waitlist of “%(title)s”.",
                    title=_shown_title(subforum),
                ),
                field="subforum",
            )
        if not _take_seat_by_hand(subforum.id):
            raise _full(subforum)
        before = audit.snapshot(booking)
        _set_place(booking, _seat_for(delegate))
        audit.changed(actor, "promote_waitlisted", booking, before, delegate_id=delegate.id)
        queue_delegate_message(DelegateMessage.WAITLIST_PROMOTION, delegate, subforum=subforum)
    return booking


def seat_walk_in(delegate: Delegate, subforum: Subforum, *, actor: Actor) -> SeatBooking | None:
    """A waitlisted delegate at the hall door once the session has started takes a seat still
    free, through the same conditional UPDATE as an organizer's promotion: never beyond capacity.
    None when they are not waiting there or no seat is free (they stay on the waitlist)."""
    with write(error=RegistrationError):
        _lock(delegate)
        db.session.refresh(delegate, ["status", "seats"])
        if delegate.status is not DelegateStatus.CONFIRMED:
            return None
        booking = next((b for b in delegate.seats if b.subforum_id == subforum.id), None)
        if booking is None or booking.status is not SeatStatus.WAITLISTED:
            return None
        if not _take_seat_by_hand(subforum.id):
            return None
        before = audit.snapshot(booking)
        # They are at the door in person: the seat is theirs, whatever their address's state.
        _set_place(booking, SeatStatus.CONFIRMED)
        audit.changed(actor, "seat_walk_in", booking, before, delegate_id=delegate.id)
    return booking


def serve_waitlist(subforum: Subforum, *, actor: Actor) -> int:
    """Seats that a larger capacity made free go to those waiting, in the order they joined, as
    a freed seat does, told by e-mail; the promotions are recorded as the doing of whoever raised
    the capacity. Meanwhile no newcomer can take them (TAKE_FREE_SEAT leaves a seat to whoever
    waits). Returns how many."""
    with write(error=RegistrationError):
        free = db.session.execute(LOCK_SUBFORUM, {"subforum_id": subforum.id}).scalar_one()
        return _serve_waitlist(subforum.id, free, by=actor, action="serve_waitlist")


def _full(subforum: Subforum) -> RegistrationError:
    return RegistrationError(
        _l("“%(title)s” is full: no seat is free there.", title=_shown_title(subforum)),
        field="target",
    )


# An organizer's seat: the conditional UPDATE of registration without its waitlist condition
# (the organizer decides who goes first); rowcount 0 means full.
TAKE_SEAT_BY_HAND = (
    sa.update(Subforum)
    .where(Subforum.id == sa.bindparam("subforum_id"), Subforum.seats_taken < Subforum.capacity)
    .values(seats_taken=Subforum.seats_taken + 1)
    .execution_options(synchronize_session=False)
)


def _take_seat_by_hand(subforum_id: int) -> bool:
    return db.session.execute(TAKE_SEAT_BY_HAND, {"subforum_id": subforum_id}).rowcount == 1


def _free_one_seat(subforum_id: int) -> int:
    """Give a seat back to the subforum; returns how many are free now."""
    return db.session.execute(
        sa.update(Subforum)
        .where(Subforum.id == subforum_id)
        .values(seats_taken=Subforum.seats_taken - 1)
        .returning(Subforum.capacity - Subforum.seats_taken)
        .execution_options(synchronize_session=False)
    ).scalar_one()


def add_subforum(delegate: Delegate, subforum: Subforum, *, actor: Actor) -> SeatBooking | None:
    """None when the delegate has it already: a repeated "add" changes nothing."""
    with write(error=RegistrationError):
        _lock(delegate)
        _require_active(delegate)
        if any(booking.subforum_id == subforum.id for booking in delegate.seats):
            return None
        _refuse_overlaps([*(booking.subforum for booking in delegate.seats), subforum])
        _refuse_restricted([subforum], delegate.category)
        booking = _place(delegate, subforum.id)
        audit.created(actor, "add_subforum", booking, delegate_id=delegate.id)
    return booking


def drop_subforum(delegate: Delegate, subforum: Subforum, *, actor: Actor) -> None:
    """Free the seat and, in the same transaction, give it to the first on the waitlist."""
    with write(error=RegistrationError):
        _lock(delegate)
        booking = next((b for b in delegate.seats if b.subforum_id == subforum.id), None)
        if booking is None:
            raise RegistrationError(
                _l("You have no place in “%(title)s”.", title=_shown_title(subforum)),
                field="subforum",
            )
        _release_recorded(booking, actor, "drop_subforum")
        # Removals leave no row behind; the personal feed must move.
        delegate.updated_at = clock.now()


def cancel_registration(delegate: Delegate, *, actor: Actor) -> Delegate:
    """Cancelling twice, even at once from two tabs, cancels and e-mails once."""
    with write(error=RegistrationError):
        still_active = Delegate.status != DelegateStatus.CANCELLED
        before = audit.snapshot(delegate)
        if not _claim(
            delegate, still_active, status=DelegateStatus.CANCELLED, cancelled_at=clock.now()
        ):
            raise RegistrationError(_l("This registration is already cancelled."))
        db.session.refresh(delegate)
        audit.changed(actor, "cancel_registration", delegate, before, delegate_id=delegate.id)
        _release_every_place(delegate, actor, "cancel_registration")
        queue_delegate_message(DelegateMessage.CANCELLATION, delegate)
    return delegate


def update_details(delegate: Delegate, details: DelegateDetails, *, actor: Actor) -> Delegate:
    """Name, organisation, title, country, category and language; the address stays the key."""
    with write(error=RegistrationError):
        _require_active(delegate)
        if details.category is not delegate.category:
            if delegate.category.needs_invitation != details.category.needs_invitation:
                raise RegistrationError(
                    _l(
                        "Changing to or from an invited category needs the organizers: "
                        "please write to them."
                    ),
                    field="category",
                )
            if _is_closed(db.session.get(Conference, delegate.conference_id), details.category):
                raise RegistrationError(
                    _l(
                        "Registration is closed for the category “%(category)s”.",
                        category=when_shown(lambda: details.category.label),
                    ),
                    field="category",
                )
        before = audit.snapshot(delegate)
        delegate.name = details.name.strip()
        delegate.name_zh = details.name_zh.strip()
        delegate.organisation = details.organisation.strip()
        delegate.job_title = details.job_title.strip()
        delegate.country = details.country.upper()
        delegate.category = details.category
        delegate.locale = details.locale
        check_text_lengths(delegate, error=RegistrationError)
        check_lines(delegate, DELEGATE_LINES, error=RegistrationError)
        audit.changed(actor, "update_details", delegate, before, delegate_id=delegate.id)
    return delegate


def star_session(delegate: Delegate, session: ProgramSession, *, actor: Actor) -> None:
    """Starring twice is harmless: the agenda simply keeps the star."""
    try:
        with write(error=None):
            _require_active(delegate)
            if not session.is_public:
                raise RegistrationError(_l("This session is not part of the public program."))
            exists = db.session.scalar(
                sa.select(Bookmark.id).where(
                    Bookmark.delegate_id == delegate.id, Bookmark.session_id == session.id
                )
            )
            if exists is None:
                audit.add_new(
                    Bookmark(delegate_id=delegate.id, session_id=session.id),
                    actor=actor,
                    action="star_session",
                    error=RegistrationError,
                    delegate_id=delegate.id,
                )
    except IntegrityError:
        pass  # a double click raced itself; the star is there


def unstar_session(delegate: Delegate, session: ProgramSession, *, actor: Actor) -> None:
    with write(error=RegistrationError):
        removed = db.session.execute(
            sa.delete(Bookmark)
            .where(Bookmark.delegate_id == delegate.id, Bookmark.session_id == session.id)
            .returning(Bookmark.id, Bookmark.delegate_id, Bookmark.session_id)
            .execution_options(synchronize_session=False)
        ).all()
        for row in removed:
            audit.removed(
                actor,
                "unstar_session",
                "bookmarks",
                row.id,
                {"delegate_id": row.delegate_id, "session_id": row.session_id},
                delegate_id=delegate.id,
            )
        # Removals leave no row behind; the personal feed must move.
        delegate.updated_at = clock.now()


def send_manage_link(conference: Conference, email: str) -> None:
    """Queue the link for an active registration; say nothing either way (the view answers
    the same whether or not the address is registered, and past the address's limit)."""
    conference_id = conference.id
    with write(error=RegistrationError):
        delegate = _delegate_with_email(conference_id, normalise_email(email))
        if delegate is not None and delegate.is_active and not _manage_links_used_up(delegate):
            queue_delegate_message(DelegateMessage.MANAGE_LINK, delegate)


# The e-mails that give a delegate their link again on someone's request: "send me my link
# again", and registering an address that is registered already.
LINK_AGAIN_MESSAGES = (
    DelegateMessage.MANAGE_LINK.value,
    DelegateMessage.REGISTRATION_ATTEMPT.value,
)


def _manage_links_used_up(delegate: Delegate) -> bool:
    """RATELIMIT_RESEND_LINK_PER_ADDRESS counted in the outbox, so it holds across workers and
    servers with or without Redis; the delegate's row lock makes two requests count in turn."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return False
    db.session.execute(sa.select(Delegate.id).where(Delegate.id == delegate.id).with_for_update())
    now = utcnow()  # the outbox's created_at is the real clock's, even with FROZEN_NOW
    for limit in parse_many(current_app.config["RATELIMIT_RESEND_LINK_PER_ADDRESS"]):
        queued = db.session.scalar(
            sa.select(sa.func.count(OutboxMessage.id)).where(
                OutboxMessage.delegate_id == delegate.id,
                OutboxMessage.kind.in_(LINK_AGAIN_MESSAGES),
                OutboxMessage.created_at > now - timedelta(seconds=limit.get_expiry()),
            )
        )
        if queued >= limit.amount:
            return True
    return False


def renew_feed_token(delegate: Delegate, *, actor: Actor) -> str:
    """A new personal-feed address; the old one stops working at once."""
    with write(error=RegistrationError):
        before = audit.snapshot(delegate)
        delegate.feed_seed = tokens.new_seed()
        feed_token = tokens.derive(Secret.FEED, delegate.feed_seed)
        delegate.feed_token_hash = tokens.fingerprint(feed_token)
        _delete_fallback_hashes(delegate, Secret.FEED)
        audit.changed(actor, "renew_feed_token", delegate, before, delegate_id=delegate.id)
    return feed_token


def renew_secret_hashes(delegate: Delegate, *, actor: Actor) -> None:
    """After SECRET_KEY was rotated, the registration's pages show links made with the new key;
    the old links keep working while the old key is a fallback. Once per delegate and key."""
    if not rotation.stale_hashes(delegate):
        return
    with write(error=RegistrationError):
        before = audit.snapshot(delegate)
        rotation.renew_hashes(delegate)
        audit.changed(actor, "renew_secret_hashes", delegate, before, delegate_id=delegate.id)


def create_invitation(
    conference: Conference,
    *,
    email: str,
    category: DelegateCategory,
    expires_at: datetime | None = None,
    actor: Actor,
) -> tuple[Invitation, str]:
    """The code is returned once, to be sent to the invitee; only its hash is kept."""
    email = normalise_email(email)
    if expires_at is not None and expires_at <= clock.now():
        raise RegistrationError(_l("An invitation must expire in the future."), field="expires_at")
    code = tokens.new_invitation_code()
    conference_id = conference.id
    with write(error=RegistrationError):
        _refuse_needless_invitation(conference_id, email)
        invitation = Invitation(
            conference_id=conference_id,
            code_hash=tokens.fingerprint(tokens.normalise_invitation_code(code)),
            email=email,
            category=category,
            expires_at=expires_at,
        )
        check_lines(invitation, ("email",), error=RegistrationError)
        audit.add_new(invitation, actor=actor, action="create_invitation", error=RegistrationError)
    return invitation, code


def _refuse_needless_invitation(conference_id: int, email: str) -> None:
    """One open invitation per address, and none for someone registered already: a second
    code would only confuse the invitee, and a registered person needs none. The conference row
    is locked first, so two organizers inviting one address at once make one invitation (on
    SQLite the write lock taken at BEGIN does the same)."""
    db.session.execute(
        sa.select(Conference.id).where(Conference.id == conference_id).with_for_update()
    )
    if _delegate_with_email(conference_id, email) is not None:
        raise RegistrationError(
            _l("A delegate has already registered with this e-mail address."), field="email"
        )
    pending = db.session.scalar(
        sa.select(Invitation.id).where(
            Invitation.conference_id == conference_id,
            Invitation.email == email,
            Invitation.used_at.is_(None),
            sa.or_(Invitation.expires_at.is_(None), Invitation.expires_at > clock.now()),
        )
    )
    if pending is not None:
        raise RegistrationError(
            _l("This e-mail address has an unused invitation already."), field="email"
        )


def close_category(conference: Conference, category: DelegateCategory, *, actor: Actor) -> None:
    with write(error=RegistrationError):
        if not _is_closed(conference, category):
            audit.add_new(
                ClosedCategory(conference_id=conference.id, category=category),
                actor=actor,
                action="close_category",
                error=RegistrationError,
            )


def open_category(conference: Conference, category: DelegateCategory, *, actor: Actor) -> None:
    with write(error=RegistrationError):
        opened = db.session.execute(
            sa.delete(ClosedCategory)
            .where(
                ClosedCategory.conference_id == conference.id, ClosedCategory.category == category
            )
            .execution_options(synchronize_session=False)
        )
        if opened.rowcount:
            audit.record(
                actor,
                "open_category",
                "closed_categories",
                f"{conference.id}:{category.value}",
                {"conference_id": conference.id, "category": category},
                None,
            )


def erase_registration(delegate: Delegate, *, actor: Actor) -> Delegate:
    """The delegate's right to erasure: their places go to the waitlists and nothing that
    identifies them stays, while the decision (category, status, dates) still counts."""
    with write(error=RegistrationError):
        now = clock.now()
        before = audit.snapshot(delegate)
        if not _claim(delegate, Delegate.erased_at.is_(None), erased_at=now):
            raise RegistrationError(_l("This registration has already been erased."))
        db.session.refresh(delegate)
        _release_every_place(delegate, actor, "erase_registration")
        # E-mails to them: pending ones must never go out, and sent ones hold their name and link.
        db.session.execute(
            sa.delete(OutboxMessage)
            .where(OutboxMessage.delegate_id == delegate.id)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            sa.delete(Bookmark)
            .where(Bookmark.delegate_id == delegate.id)
            .execution_options(synchronize_session=False)
        )
        placeholder = erased_email(delegate)
        invitations = db.session.execute(
            sa.update(Invitation)
            .where(Invitation.delegate_id == delegate.id)
            .values(email=placeholder)
            .returning(Invitation.id)
            .execution_options(synchronize_session=False)
        ).scalars()
        invited = [("invitations", invitation_id) for invitation_id in invitations]
        delegate.name = delegate.name_zh = delegate.organisation = delegate.job_title = ""
        delegate.email = placeholder
        delegate.submission_key = None
        _revoke_secrets(delegate)
        if delegate.status is not DelegateStatus.CANCELLED:
            delegate.status = DelegateStatus.CANCELLED
            delegate.cancelled_at = now
        delegate.updated_at = now
        audit.changed(
            actor,
            "erase_registration",
            delegate,
            before,
            note="bookmarks and e-mails deleted",
            delegate_id=delegate.id,
        )
        # Every entry about them keeps the fact of each change, without their personal values.
        audit.blank_personal_values(delegate.id, also=invited)
    return delegate


def erased_email(delegate: Delegate) -> str:
    """Unique per delegate (the address is UNIQUE per conference) and undeliverable by design:
    the .invalid top-level domain never resolves (RFC 2606)."""
    return f"erased-{delegate.id}@erased.invalid"


def _revoke_secrets(delegate: Delegate) -> None:
    """New seeds derive no old secret, and the hashes match no secret derived from any seed."""
    delegate.manage_token_hash = erased_manage_hash(delegate.manage_token_hash)
    # Links made before a key rotation: the manage link's can still tell that erasure is done.
    for fallback in db.session.scalars(
        sa.select(FallbackHash).where(FallbackHash.delegate_id == delegate.id)
    ):
        if fallback.purpose is Secret.MANAGE:
            fallback.token_hash = erased_manage_hash(fallback.token_hash)
        else:
            db.session.delete(fallback)
    delegate.feed_token_hash = tokens.fingerprint(secrets.token_urlsafe(32))
    delegate.checkin_code_hash = tokens.fingerprint(secrets.token_urlsafe(32))
    delegate.manage_seed = tokens.new_seed()
    delegate.feed_seed = tokens.new_seed()
    delegate.checkin_seed = tokens.new_seed()


def _lock(delegate: Delegate) -> None:
    """Hold the delegate's row until commit before reading what the change depends on: the same
    change sent twice at once (a double click, two tabs) runs once after the other, and the
    second sees what the first did. Locks go delegate row first, then subforum rows in id order.
    FOR NO KEY UPDATE, as an UPDATE takes it, lets rows that refer to the delegate be written."""
    db.session.execute(
        sa.select(Delegate.id).where(Delegate.id == delegate.id).with_for_update(key_share=True)
    )


def _claim(delegate: Delegate, unless_done: sa.ColumnElement[bool], **values) -> bool:
    """One conditional UPDATE decides between two requests doing the same at once (a double
    click, two tabs): the one that changes the row goes on; the other waits for its lock, then
    finds it done and changes nothing."""
    changed = db.session.execute(
        sa.update(Delegate)
        .where(Delegate.id == delegate.id, unless_done)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return changed.rowcount == 1


def _release_every_place(delegate: Delegate, actor: Actor, action: str) -> None:
    # In subforum order, as registrations lock subforum rows, so the two never deadlock.
    for booking in sorted(delegate.seats, key=lambda booking: booking.subforum_id):
        _release_recorded(booking, actor, action)


def _release_recorded(booking: SeatBooking, actor: Actor, action: str) -> None:
    before, booking_id, delegate_id = audit.snapshot(booking), booking.id, booking.delegate_id
    _release(booking)
    audit.removed(actor, action, "seat_bookings", booking_id, before, delegate_id=delegate_id)


# --- seats ------------------------------------------------------------------------------------


def _place(delegate: Delegate, subforum_id: int) -> SeatBooking:
    booking = _add_booking(delegate, subforum_id, _place_status(delegate, subforum_id))
    db.session.flush()
    return booking


def _place_status(delegate: Delegate, subforum_id: int) -> SeatStatus:
    """A pending delegate only requests; a confirmed one takes a seat or joins the waitlist."""
    if delegate.status is DelegateStatus.PENDING:
        return SeatStatus.WANTED
    return _seat_status(delegate, subforum_id)


def _seat_status(delegate: Delegate, subforum_id: int) -> SeatStatus:
    """A seat if one is free and nobody waits for it (held while the address is unproven),
    else a waitlist place."""
    if not _take_free_seat(subforum_id) and not _seat_after_waitlist(subforum_id):
        return SeatStatus.WAITLISTED
    return _seat_for(delegate)


def _seat_for(delegate: Delegate) -> SeatStatus:
    return SeatStatus.CONFIRMED if delegate.email_verified_at else SeatStatus.HELD


def _add_booking(delegate: Delegate, subforum_id: int, status: SeatStatus) -> SeatBooking:
    """The booking for a place already decided; the next flush or commit inserts it."""
    booking = SeatBooking(subforum_id=subforum_id)
    _set_place(booking, status)
    # The cascade adds it and the flush sets its delegate_id; adding it as well would list it
    # twice.
    delegate.seats.append(booking)
    return booking


def _join_waitlist_now(delegate: Delegate, request: SeatBooking) -> SeatBooking:
    """A request approved into a full subforum queues behind everyone waiting already: the
    queue is in booking id order, and the request's row is older than theirs, so a new row
    takes its place (drawing its id under the subforum's lock, as every waitlist place does)."""
    delegate.seats.remove(request)
    db.session.flush()  # the old row goes before the new one, which UNIQUE would refuse
    return _add_booking(delegate, request.subforum_id, SeatStatus.WAITLISTED)


def _set_place(booking: SeatBooking, status: SeatStatus) -> None:
    now = clock.now()
    booking.status = status
    booking.confirmed_at = now if status is SeatStatus.CONFIRMED else None
    booking.held_until = now + _hold_period() if status is SeatStatus.HELD else None


def _hold_period() -> timedelta:
    return timedelta(hours=current_app.config["SEAT_HOLD_HOURS"])


def _by_id(subforum: Offered) -> int:
    return subforum.id


# The places that count against a subforum's capacity.
SEAT_HOLDING = frozenset({SeatStatus.CONFIRMED, SeatStatus.HELD})

# Every decision about a subforum's seats and waitlist is made holding its row lock, from the
# decision to the commit: a conditional UPDATE that takes a seat, the UPDATE that frees one, or
# LOCK_SUBFORUM. So a release sees every waitlist place committed before it, and a registration
# deciding "waitlist" waits for a release in progress and sees the seat it freed. (SQLite's
# writers are serialised by BEGIN IMMEDIATE; FOR UPDATE is left out there.)

# A newcomer's seat: rowcount 1 is a seat; 0 means full, or that someone waits for it. On
# PostgreSQL an UPDATE whose WHERE fails leaves the row unlocked, hence LOCK_SUBFORUM after it.
TAKE_FREE_SEAT = (
    sa.update(Subforum)
    .where(
        Subforum.id == sa.bindparam("subforum_id"),
        Subforum.seats_taken < Subforum.capacity,
        ~sa.exists().where(
            SeatBooking.subforum_id == Subforum.id, SeatBooking.status == SeatStatus.WAITLISTED
        ),
    )
    .values(seats_taken=Subforum.seats_taken + 1)
    .execution_options(synchronize_session=False)
)

# Seats free, read with the row lock (FOR NO KEY UPDATE, as an UPDATE takes it: inserts that
# refer to the subforum are not held up); it waits for whoever holds the lock to commit.
LOCK_SUBFORUM = (
    sa.select(Subforum.capacity - Subforum.seats_taken)
    .where(Subforum.id == sa.bindparam("subforum_id"))
    .with_for_update(key_share=True)
)


def _take_free_seat(subforum_id: int) -> bool:
    return db.session.execute(TAKE_FREE_SEAT, {"subforum_id": subforum_id}).rowcount == 1


def _seat_after_waitlist(subforum_id: int) -> bool:
    """The subforum looked full, or someone waits: look again under its lock, where a seat
    freed a moment ago goes first to those waiting, and to the newcomer only if one is left."""
    free = db.session.execute(LOCK_SUBFORUM, {"subforum_id": subforum_id}).scalar_one()
    free -= _serve_waitlist(subforum_id, free)
    if free <= 0:
        return False
    db.session.execute(
        sa.update(Subforum)
        .where(Subforum.id == subforum_id)
        .values(seats_taken=Subforum.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return True


def _release(booking: SeatBooking) -> None:
    """Give up a place; a freed seat goes to the first on the waitlist, who is told by e-mail."""
    subforum_id, delegate = booking.subforum_id, booking.delegate
    # Decide by the row's status at deletion, not as loaded: on PostgreSQL a concurrent release
    # may have just promoted this waitlist place to a seat (the DELETE waits for its lock).
    released_status = db.session.execute(
        sa.delete(SeatBooking)
        .where(SeatBooking.id == booking.id)
        .returning(SeatBooking.status)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    db.session.expunge(booking)
    db.session.expire(delegate, ["seats"])
    if released_status not in SEAT_HOLDING:
        return
    free = db.session.execute(
        sa.update(Subforum)
        .where(Subforum.id == subforum_id)
        .values(seats_taken=Subforum.seats_taken - 1)
        .returning(Subforum.capacity - Subforum.seats_taken)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    _serve_waitlist(subforum_id, free)


def _serve_waitlist(
    subforum_id: int, free: int, *, by: Actor = WAITLIST, action: str = "promote_from_waitlist"
) -> int:
    """Give up to `free` seats to the first waiting, in the order they joined (booking id), and
    tell them by e-mail; the caller holds the subforum's lock. Returns how many were seated.
    Another person's seat changes: by default the waitlist's doing, whoever freed the seat."""
    if free <= 0:
        return 0
    # Under the subforum's lock, only a transaction deleting a waitlist place (its delegate
    # leaving) can hold that place's row: SKIP LOCKED passes over it instead of waiting for it
    # to go. Were that transaction to fail, its place would stay first in line for the next seat.
    first = db.session.scalars(
        sa.select(SeatBooking)
        .where(SeatBooking.subforum_id == subforum_id, SeatBooking.status == SeatStatus.WAITLISTED)
        .order_by(SeatBooking.id)
        .limit(free)
        .with_for_update(skip_locked=True)
    ).all()
    if not first:
        return 0
    db.session.execute(
        sa.update(Subforum)
        .where(Subforum.id == subforum_id)
        .values(seats_taken=Subforum.seats_taken + len(first))
        .execution_options(synchronize_session=False)
    )
    for booking in first:
        before = audit.snapshot(booking)
        _set_place(booking, _seat_for(booking.delegate))
        audit.changed(by, action, booking, before, delegate_id=booking.delegate_id)
        queue_delegate_message(
            DelegateMessage.WAITLIST_PROMOTION, booking.delegate, subforum=booking.subforum
        )
    return len(first)


def _refuse_overlaps(subforums: Iterable[Offered]) -> None:
    """Two chosen subforums running at the same time cannot both be attended."""
    timed = sorted(
        (s for s in subforums if s.starts_at is not None), key=lambda s: (s.starts_at, s.id)
    )
    for index, earlier in enumerate(timed):
        for later in timed[index + 1 :]:
            if later.starts_at >= earlier.ends_at:
                break
            raise RegistrationError(
                _l(
                    "“%(first)s” and “%(second)s” take place at the same time; "
                    "please choose one of them.",
                    first=_shown_title(earlier),
                    second=_shown_title(later),
                ),
                field="subforums",
            )


def _shown_title(subforum: Offered | Subforum) -> LazyString:
    """A subforum's title in the language of whoever reads the refusal, not of whoever caused it."""
    return when_shown(localized, subforum, "title")


def _refuse_restricted(subforums: Iterable[Offered], category: DelegateCategory) -> None:
    """A subforum kept for some categories (an invitation-only roundtable) refuses the rest."""
    for subforum in subforums:
        if subforum.restricted_to and category.value not in subforum.restricted_to:
            raise RegistrationError(
                _l(
                    "“%(title)s” is open only to these delegates: %(categories)s.",
                    title=_shown_title(subforum),
                    categories=when_shown(category_list, subforum.restricted_to),
                ),
                field="subforums",
            )


# --- secrets and invitations -------------------------------------------------------------------


def _issue_secrets(delegate: Delegate) -> str:
    delegate.manage_seed = tokens.new_seed()
    delegate.feed_seed = tokens.new_seed()
    delegate.checkin_seed = tokens.new_seed()
    manage_token = tokens.derive(Secret.MANAGE, delegate.manage_seed)
    delegate.manage_token_hash = tokens.fingerprint(manage_token)
    delegate.feed_token_hash = tokens.fingerprint(tokens.derive(Secret.FEED, delegate.feed_seed))
    delegate.checkin_code_hash = tokens.fingerprint(
        tokens.derive(Secret.CHECKIN, delegate.checkin_seed)
    )
    return manage_token


def _delete_fallback_hashes(delegate: Delegate, purpose: Secret) -> None:
    """A renewed secret's old address stops working under the old keys as well."""
    db.session.execute(
        sa.delete(FallbackHash)
        .where(FallbackHash.delegate_id == delegate.id, FallbackHash.purpose == purpose)
        .execution_options(synchronize_session=False)
    )


def _usable_invitation(
    conference_id: int, typed_code: str, email: str, category: DelegateCategory
) -> Invitation | None:
    if not (typed_code or "").strip():
        return None
    refusal = RegistrationError(
        _l("This invitation code is not valid for this e-mail address and category."),
        field="invitation_code",
    )
    code = tokens.normalise_invitation_code(typed_code)
    if code is None:
        raise refusal
    invitation = db.session.scalar(
        sa.select(Invitation).where(
            Invitation.conference_id == conference_id,
            Invitation.code_hash == tokens.fingerprint(code),
        )
    )
    if (
        invitation is None
        or invitation.email != email
        or invitation.category is not category
        or invitation.used_at is not None
    ):
        raise refusal
    if invitation.expires_at is not None and invitation.expires_at <= clock.now():
        raise RegistrationError(_l("This invitation code has expired."), field="invitation_code")
    return invitation


def _claim_invitation(invitation: Invitation, delegate: Delegate) -> None:
    """Single use even under a race: only the request whose UPDATE finds it unused wins."""
    claimed = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=clock.now(), delegate_id=delegate.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise RegistrationError(
            _l("This invitation code has already been used."), field="invitation_code"
        )


# --- lookups used by the rules ----------------------------------------------------------------


def _delegate_with_email(conference_id: int, email: str) -> Delegate | None:
    return db.session.scalar(
        sa.select(Delegate).where(Delegate.conference_id == conference_id, Delegate.email == email)
    )


def _delegate_with_submission(submission_key: str) -> Delegate | None:
    return db.session.scalar(sa.select(Delegate).where(Delegate.submission_key == submission_key))


def _registration_of(delegate: Delegate) -> Registration:
    """The answer a registration got, given again: its link is derived from its seed."""
    return Registration(
        delegate,
        rotation.secret_of(delegate, Secret.MANAGE),
        opens_manage_page=delegate.email_verified_at is not None,
    )


def _tell_owner_of_attempt(conference_id: int, email: str) -> None:
    """The owner of a registered address learns of the attempt and gets their link."""
    owner = _delegate_with_email(conference_id, email)
    if owner is not None and not _manage_links_used_up(owner):
        queue_delegate_message(DelegateMessage.REGISTRATION_ATTEMPT, owner)


def _answer_lost_race(conference_id: int, email: str, submission_key: str | None) -> Registration:
    with write(error=RegistrationError):
        return _answer_taken_address(conference_id, email, submission_key)


def _answer_taken_address(
    conference_id: int, email: str, submission_key: str | None
) -> Registration:
    """The address is registered: by this same form a moment ago (a double click whose first
    request committed in between), or by someone, whose owner is then told."""
    if submission_key and (earlier := _delegate_with_submission(submission_key)) is not None:
        return _registration_of(earlier)
    _tell_owner_of_attempt(conference_id, email)
    return Registration(None, None)


# Whether the address is registered already and whether the category is closed, in one round
# trip (the UNIQUE constraint still decides a race between two requests). Built once: every
# registration runs it.
REGISTRATION_BLOCKERS = sa.select(
    sa.exists()
    .where(
        Delegate.conference_id == sa.bindparam("conference_id"),
        Delegate.email == sa.bindparam("email"),
    )
    .label("duplicate"),
    sa.exists()
    .where(
        ClosedCategory.conference_id == sa.bindparam("conference_id"),
        ClosedCategory.category == sa.bindparam("category", type_=ClosedCategory.category.type),
    )
    .label("closed"),
)


def _registration_blockers(
    conference_id: int, email: str, category: DelegateCategory
) -> tuple[bool, bool]:
    row = db.session.execute(
        REGISTRATION_BLOCKERS,
        {"conference_id": conference_id, "email": email, "category": category},
    ).one()
    return bool(row.duplicate), bool(row.closed)


def _is_closed(conference: Conference, category: DelegateCategory) -> bool:
    return (
        db.session.scalar(
            sa.select(ClosedCategory.category).where(
                ClosedCategory.conference_id == conference.id,
                ClosedCategory.category == category,
            )
        )
        is not None
    )


def _require_active(delegate: Delegate) -> None:
    if delegate.status is DelegateStatus.CANCELLED:
        raise RegistrationError(_l("This registration has been cancelled."))
    if delegate.status is DelegateStatus.REJECTED:
        raise RegistrationError(_l("This registration was not approved."))


def notify_session_change(session: ProgramSession, *, actor: Actor, sequence: int) -> int:
    """Queue the notice of a moved or cancelled session to each delegate holding a seat in its
    subforum or having starred it, in their language; returns how many were queued.

    Exactly once per delegate and change (the session's `sequence`): the session's row is
    locked (PostgreSQL; SQLite's write lock is held anyway) and the delegates already sent this
    notice are skipped, so a second tab or a double submit queues nothing twice. A preview made
    before a later change is refused: its recipients read another message than was previewed."""
    with write(error=RegistrationError):
        current = db.session.scalar(
            sa.select(ProgramSession.sequence)
            .where(ProgramSession.id == session.id)
            .with_for_update()
        )
        if current != sequence:
            raise RegistrationError(
                _l(
                    "The session has changed again since this preview: look at the message "
                    "again before sending it."
                )
            )
        recipients = db.session.execute(session_change_recipients(session)).all()
        sent = session_change_sent(session, [row.id for row in recipients])
        queued = [row for row in recipients if row.id not in sent]
        for row in queued:
            queue_session_change(
                session, delegate_id=row.id, recipient=row.email, locale=row.locale
            )
        if queued:
            db.session.flush()
            audit.record(
                actor,
                "notify_session_change",
                "program_sessions",
                session.id,
                None,
                {"sequence": sequence, "notified": len(queued)},
            )
    return len(queued)
