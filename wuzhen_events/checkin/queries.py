"""Reads for the doors: which doors an account scans at, a scan's answer in words, live counts,
history, conflicts, the name search and the offline data a scanning page keeps."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from wuzhen_events import clock
from wuzhen_events.accounts.enums import Permission, Role
from wuzhen_events.accounts.models import Account
from wuzhen_events.checkin.enums import Direction, DoorKind, ScanReason
from wuzhen_events.checkin.models import Door, Scan, ScannerDevice, door_accounts
from wuzhen_events.db import contains_text
from wuzhen_events.extensions import db
from wuzhen_events.i18n import clock_time, localized
from wuzhen_events.program.enums import SessionStatus
from wuzhen_events.program.models import Conference, ProgramSession, Subforum
from wuzhen_events.registration.enums import DelegateStatus, SeatStatus
from wuzhen_events.registration.models import Delegate, FallbackHash, SeatBooking
from wuzhen_events.registration.tokens import Secret

SEARCH_MIN_LENGTH = 2
SEARCH_MAX_LENGTH = 100
SEARCH_LIMIT = 20
HISTORY_LIMIT = 20
SEATED = (SeatStatus.CONFIRMED, SeatStatus.HELD)


# --- doors an account may scan at ---------------------------------------------------------------


def _scanning_doors(account: Account) -> sa.Select:
    query = sa.select(Door)
    if not account.can(Permission.CHECK_IN):
        return query.where(sa.false())
    if account.role in (Role.ADMIN, Role.ORGANIZER):
        return query
    assigned = sa.select(door_accounts.c.door_id).where(door_accounts.c.account_id == account.id)
    if account.role.is_scoped:
        hosted = Door.subforum_id.in_(account.scope.subforum_ids or ())
        return query.where(sa.or_(Door.id.in_(assigned), hosted))
    return query.where(Door.id.in_(assigned))


def doors_for(account: Account, conference: Conference) -> list[Door]:
    """Check-in staff: the doors assigned to them; hosts: their subforums' doors; organizers:
    every door. Main entrance first, then halls by name."""
    return list(
        db.session.scalars(
            _scanning_doors(account)
            .where(Door.conference_id == conference.id)
            .options(joinedload(Door.subforum))
            .order_by(Door.kind, Door.name)
        )
    )


def door_for(account: Account, door_id: int) -> Door | None:
    """The door, if the account may scan at it; None is a 404 (another door is not theirs)."""
    return db.session.scalar(
        _scanning_doors(account)
        .where(Door.id == door_id)
        .options(joinedload(Door.subforum).joinedload(Subforum.venue))
    )


def door_of_conference(conference_id: int, door_id: int) -> Door | None:
    return db.session.scalar(
        sa.select(Door).where(Door.id == door_id, Door.conference_id == conference_id)
    )


def all_doors(conference: Conference) -> list[Door]:
    return list(
        db.session.scalars(
            sa.select(Door)
            .where(Door.conference_id == conference.id)
            .options(joinedload(Door.subforum), selectinload(Door.staff))
            .order_by(Door.kind, Door.name)
        )
    )


def door_label(door: Door) -> str:
    return localized(door, "name") or door.name


def door_caption(door: Door) -> str:
    """The door's kind, and its subforum unless the door's name already says it (the seeded
    hall doors are named after their subforum)."""
    title = localized(door.subforum, "title") if door.subforum else ""
    if not title or title in door_label(door):
        return door.kind.label
    return _("%(kind)s: %(subforum)s", kind=door.kind.label, subforum=title)


# --- a scan's answer ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeatToday:
    title: str
    hall: str
    starts_at: datetime
    ends_at: datetime

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "hall": self.hall,
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
        }


@dataclass(frozen=True)
class Answer:
    admitted: bool
    reason: ScanReason | None
    message: str
    delegate: dict | None
    seats: list[SeatToday] = field(default_factory=list)

    @property
    def is_warning(self) -> bool:
        return self.admitted and self.reason is not None

    def to_dict(self) -> dict:
        return {
            "admitted": self.admitted,
            "reason": self.reason.value if self.reason else None,
            "message": self.message,
            "delegate": self.delegate,
            "seats": [seat.to_dict() for seat in self.seats],
        }


def answer_for(scan: Scan) -> Answer:
    """What the door shows for the scan, in the page's language. The scan just recorded comes
    with its door and delegate loaded (record_scan keeps them): nothing is read again."""
    delegate = scan.delegate
    seats = seats_today(delegate) if delegate is not None else []
    return Answer(
        admitted=scan.admitted,
        reason=scan.reason,
        message=_message(scan),
        delegate=delegate_summary(delegate) if delegate is not None else None,
        seats=seats,
    )


def delegate_summary(delegate: Delegate) -> dict:
    return {
        "name": delegate.name,
        "name_zh": delegate.name_zh,
        "organisation": delegate.organisation,
        "category": delegate.category.label,
    }


def _message(scan: Scan) -> str:
    door = scan.door
    subforum = localized(door.subforum, "title") if door.subforum else ""
    if scan.reason is ScanReason.ALREADY_CHECKED_IN:
        first = _first_entry(scan)
        if first is not None:
            return _("Already checked in at %(time)s at %(door)s by %(who)s.", **first)
        return _("Already checked in at this door.")
    if scan.reason is ScanReason.UNKNOWN_CODE:
        return _("Unknown code: no registration of this conference has this badge.")
    if scan.reason is ScanReason.CANCELLED:
        return _("Registration cancelled: this badge no longer admits anyone.")
    if scan.reason is ScanReason.PENDING_APPROVAL:
        return _("Registration waiting for approval: not admitted yet.")
    if scan.reason is ScanReason.REJECTED:
        return _("Registration not approved: not admitted.")
    if scan.reason is ScanReason.NO_SEAT:
        return _("No seat in “%(subforum)s”.", subforum=subforum)
    if scan.reason is ScanReason.WAITLISTED:
        return _(
            "On the waitlist of “%(subforum)s”: no seat is free for them now.", subforum=subforum
        )
    if scan.direction is Direction.EXIT:
        return _("Exit recorded.")
    if not scan.admitted:
        return _("Turned away at the door while offline.")
    return _("Admitted.")


def _first_entry(scan: Scan) -> dict | None:
    """Time, door and scanner of the badge's first admitted entry at this door."""
    first = db.session.scalar(
        sa.select(Scan)
        .where(
            Scan.delegate_id == scan.delegate_id,
            Scan.door_id == scan.door_id,
            Scan.admitted,
            Scan.direction == Direction.ENTRY,
            Scan.id < scan.id,
        )
        .options(joinedload(Scan.account), joinedload(Scan.device))
        .order_by(Scan.id)
        .limit(1)
    )
    if first is None:
        return None
    return {
        "time": clock_time(first.scanned_at),
        "door": door_label(scan.door),
        "who": scanner(first),
    }


def scanner(scan: Scan) -> str:
    """Who scanned: the account's name, else the device's, else a generic word."""
    if scan.account is not None:
        return scan.account.name
    if scan.device_label:
        return scan.device_label
    if scan.device is not None:
        return scan.device.name
    return _("a scanner")


def seats_today(delegate: Delegate, today: date | None = None) -> list[SeatToday]:
    """The delegate's seats in subforums meeting today, with hall and times (one query)."""
    conference = db.session.get(Conference, delegate.conference_id)
    return _seats_today_for(conference, [delegate.id], today).get(delegate.id, [])


def _seats_today_for(
    conference: Conference, delegate_ids: list[int], today: date | None = None
) -> dict[int, list]:
    if not delegate_ids:
        return {}
    tz = conference.tzinfo
    day = today or clock.now().astimezone(tz).date()
    start = datetime.combine(day, time(), tzinfo=tz)
    end = start + timedelta(days=1)
    rows = db.session.execute(
        sa.select(SeatBooking.delegate_id, ProgramSession)
        .join(ProgramSession, ProgramSession.subforum_id == SeatBooking.subforum_id)
        .where(
            SeatBooking.delegate_id.in_(delegate_ids),
            SeatBooking.status.in_(SEATED),
            ProgramSession.starts_at >= start,
            ProgramSession.starts_at < end,
            ProgramSession.status != SessionStatus.CANCELLED,
        )
        .options(
            joinedload(ProgramSession.subforum),
            joinedload(ProgramSession.venue),
        )
        .order_by(ProgramSession.starts_at)
    ).all()
    spans: dict[tuple[int, int], list[ProgramSession]] = defaultdict(list)
    for delegate_id, session in rows:
        spans[(delegate_id, session.subforum_id)].append(session)
    seats: dict[int, list[SeatToday]] = defaultdict(list)
    for (delegate_id, _subforum_id), sessions in spans.items():
        first = sessions[0]
        venue = first.venue or first.subforum.venue
        seats[delegate_id].append(
            SeatToday(
                title=localized(first.subforum, "title"),
                hall=localized(venue, "hall") if venue else "",
                starts_at=min(s.starts_at for s in sessions),
                ends_at=max(s.ends_at for s in sessions),
            )
        )
    return seats


# --- counts, history, conflicts -------------------------------------------------------------------


@dataclass(frozen=True)
class DoorCounts:
    admitted: int
    expected: int
    seats_left: int | None

    def to_dict(self) -> dict:
        return {"admitted": self.admitted, "expected": self.expected, "seats_left": self.seats_left}


def door_counts(door: Door) -> DoorCounts:
    """Delegates admitted today at the door, those expected, and the hall's free seats: one
    query, whatever the numbers (and the door's conference, when not loaded with it)."""
    conference = door.conference
    start = datetime.combine(clock.now().astimezone(conference.tzinfo).date(), time())
    start = start.replace(tzinfo=conference.tzinfo)
    admitted = (
        sa.select(sa.func.count(sa.distinct(Scan.delegate_id)))
        .where(
            Scan.door_id == door.id,
            Scan.admitted,
            Scan.direction == Direction.ENTRY,
            Scan.delegate_id.is_not(None),
            Scan.scanned_at >= start,
            Scan.scanned_at < start + timedelta(days=1),
        )
        .scalar_subquery()
    )
    if door.kind is DoorKind.SUBFORUM:
        expected = (
            sa.select(sa.func.count())
            .select_from(SeatBooking)
            .where(SeatBooking.subforum_id == door.subforum_id, SeatBooking.status.in_(SEATED))
            .scalar_subquery()
        )
        seats_left = (
            sa.select(Subforum.capacity - Subforum.seats_taken)
            .where(Subforum.id == door.subforum_id)
            .scalar_subquery()
        )
    else:
        expected = (
            sa.select(sa.func.count())
            .select_from(Delegate)
            .where(
                Delegate.conference_id == door.conference_id,
                Delegate.status == DelegateStatus.CONFIRMED,
            )
            .scalar_subquery()
        )
        seats_left = sa.null()
    row = db.session.execute(sa.select(admitted, expected, seats_left)).one()
    left = None if row[2] is None else max(int(row[2]), 0)
    return DoorCounts(admitted=int(row[0]), expected=int(row[1]), seats_left=left)


def door_history(door: Door, limit: int = HISTORY_LIMIT) -> list[Scan]:
    """The door's latest scans, newest first, with who and whom loaded."""
    return list(
        db.session.scalars(
            sa.select(Scan)
            .where(Scan.door_id == door.id)
            .options(joinedload(Scan.delegate), joinedload(Scan.account), joinedload(Scan.device))
            .order_by(Scan.id.desc())
            .limit(limit)
        )
    )


def conflicts(
    conference: Conference, door: Door | None = None, *, reviewed: bool | None = False
) -> list[Scan]:
    """Flagged offline scans, newest first, for the whole conference or one door: those still
    to review (the default), those reviewed, or all (reviewed=None)."""
    query = (
        sa.select(Scan)
        .join(Door, Door.id == Scan.door_id)
        .where(Scan.conflict, Door.conference_id == conference.id)
        .options(
            joinedload(Scan.door),
            joinedload(Scan.delegate),
            joinedload(Scan.account),
            joinedload(Scan.device),
            joinedload(Scan.conflict_reviewed_by),
        )
        .order_by(Scan.id.desc())
        .limit(500)
    )
    if door is not None:
        query = query.where(Scan.door_id == door.id)
    if reviewed is not None:
        review = Scan.conflict_reviewed_at
        query = query.where(review.is_not(None) if reviewed else review.is_(None))
    return list(db.session.scalars(query))


def conflict(conference: Conference, scan_id: int) -> Scan | None:
    """A flagged scan of the conference with who and where loaded; None for any other scan."""
    return db.session.scalar(
        sa.select(Scan)
        .join(Door, Door.id == Scan.door_id)
        .where(Scan.id == scan_id, Scan.conflict, Door.conference_id == conference.id)
        .options(
            joinedload(Scan.door).joinedload(Door.conference),
            joinedload(Scan.delegate),
            joinedload(Scan.account),
            joinedload(Scan.device),
            joinedload(Scan.conflict_reviewed_by),
        )
    )


def scans_that_day(scan: Scan) -> list[Scan]:
    """The delegate's scans at the scan's door on its day, in the order they were made: what a
    conflict clashed with."""
    if scan.delegate_id is None:
        return [scan]
    zone = scan.door.conference.tzinfo
    start = datetime.combine(scan.scanned_at.astimezone(zone).date(), time(), tzinfo=zone)
    return list(
        db.session.scalars(
            sa.select(Scan)
            .where(
                Scan.delegate_id == scan.delegate_id,
                Scan.door_id == scan.door_id,
                Scan.scanned_at >= start,
                Scan.scanned_at < start + timedelta(days=1),
            )
            .options(joinedload(Scan.account), joinedload(Scan.device))
            .order_by(Scan.scanned_at, Scan.id)
        )
    )


def open_conflict_counts(conference: Conference) -> dict[int, int]:
    """Conflicts still to review, per door id: one query for every door."""
    return dict(
        db.session.execute(
            sa.select(Scan.door_id, sa.func.count())
            .join(Door, Door.id == Scan.door_id)
            .where(
                Door.conference_id == conference.id,
                Scan.conflict,
                Scan.conflict_reviewed_at.is_(None),
            )
            .group_by(Scan.door_id)
        ).all()
    )


# --- the name search ---------------------------------------------------------------------


def _door_people(door: Door) -> sa.Select:
    """Delegates the door is about: everyone registered at the entrance; at a hall door those
    with a place (seat or waitlist) in its subforum."""
    query = sa.select(Delegate).where(
        Delegate.conference_id == door.conference_id, Delegate.erased_at.is_(None)
    )
    if door.kind is DoorKind.SUBFORUM:
        placed = sa.select(SeatBooking.delegate_id).where(
            SeatBooking.subforum_id == door.subforum_id
        )
        query = query.where(Delegate.id.in_(placed))
    return query


def search_delegates(door: Door, text: str) -> list[Delegate]:
    """Nobody until at least two characters are typed; names in either script."""
    text = (text or "").strip()
    if len(text) < SEARCH_MIN_LENGTH or len(text) > SEARCH_MAX_LENGTH:
        return []
    return list(
        db.session.scalars(
            _door_people(door)
            .where(contains_text(text, Delegate.name, Delegate.name_zh))
            .order_by(Delegate.name, Delegate.id)
            .limit(SEARCH_LIMIT)
        )
    )


def delegate_at_door(door: Door, delegate_id: int) -> Delegate | None:
    """A search result to admit: only one the door's search could have shown."""
    return db.session.scalar(_door_people(door).where(Delegate.id == delegate_id))


# --- offline data --------------------------------------------------------------------------------


def offline_key(salt: bytes, checkin_code_hash: str) -> str:
    """What the page computes from a scanned code: HMAC-SHA256(salt, sha256(code) hex)."""
    return hmac.new(salt, checkin_code_hash.encode("ascii"), hashlib.sha256).hexdigest()


def offline_data(door: Door) -> dict:
    """Everything the scanning page needs to answer for its door without a connection: no plain
    code, only keyed hashes of the codes' hashes under a salt that is new for each download."""
    salt = secrets.token_bytes(16)
    conference = db.session.get(Conference, door.conference_id)
    delegates = list(
        db.session.scalars(
            sa.select(Delegate)
            .where(Delegate.conference_id == door.conference_id, Delegate.erased_at.is_(None))
            .order_by(Delegate.id)
        )
    )
    places = {}
    if door.kind is DoorKind.SUBFORUM:
        places = dict(
            db.session.execute(
                sa.select(SeatBooking.delegate_id, SeatBooking.status).where(
                    SeatBooking.subforum_id == door.subforum_id
                )
            ).all()
        )
    seats = _seats_today_for(conference, [delegate.id for delegate in delegates])
    # A badge printed before SECRET_KEY was rotated carries a code whose hash is a fallback.
    earlier_hashes = defaultdict(list)
    for delegate_id, token_hash in db.session.execute(
        sa.select(FallbackHash.delegate_id, FallbackHash.token_hash)
        .join(Delegate, Delegate.id == FallbackHash.delegate_id)
        .where(
            FallbackHash.purpose == Secret.CHECKIN,
            Delegate.conference_id == door.conference_id,
        )
    ):
        earlier_hashes[delegate_id].append(token_hash)
    subforum = localized(door.subforum, "title") if door.subforum else ""
    entries = []
    for delegate in delegates:
        reason = offline_reason(door, delegate, places.get(delegate.id))
        entries.extend(
            {
                "key": offline_key(salt, code_hash),
                "name": delegate.name,
                "name_zh": delegate.name_zh,
                "organisation": delegate.organisation,
                "category": delegate.category.label,
                "admitted": reason is None,
                "reason": reason.value if reason else None,
                "message": _offline_message(reason, subforum),
                "seats": [seat.to_dict() for seat in seats.get(delegate.id, [])],
            }
            for code_hash in [delegate.checkin_code_hash, *earlier_hashes[delegate.id]]
        )
    return {
        "door": {"id": door.id, "name": door_label(door)},
        "generated_at": clock.now().isoformat(),
        "salt": salt.hex(),
        "entries": entries,
        "sentences": offline_sentences(),
        "conference": conference.slug if conference else "",
    }


def offline_reason(door: Door, delegate: Delegate, place: SeatStatus | None) -> ScanReason | None:
    """The answer the door gives this badge, as far as it can be known in advance (a walk-in
    seat needs the server, so offline a waitlisted delegate is refused)."""
    if delegate.status is DelegateStatus.CANCELLED:
        return ScanReason.CANCELLED
    if delegate.status is DelegateStatus.PENDING:
        return ScanReason.PENDING_APPROVAL
    if delegate.status is DelegateStatus.REJECTED:
        return ScanReason.REJECTED
    if door.kind is DoorKind.SUBFORUM:
        if place is SeatStatus.WAITLISTED:
            return ScanReason.WAITLISTED
        if place not in SEATED:
            return ScanReason.NO_SEAT
    return None


def _offline_message(reason: ScanReason | None, subforum: str) -> str:
    if reason is None:
        return _("Admitted.")
    if reason is ScanReason.CANCELLED:
        return _("Registration cancelled: this badge no longer admits anyone.")
    if reason is ScanReason.PENDING_APPROVAL:
        return _("Registration waiting for approval: not admitted yet.")
    if reason is ScanReason.REJECTED:
        return _("Registration not approved: not admitted.")
    if reason is ScanReason.WAITLISTED:
        return _(
            "On the waitlist of “%(subforum)s”: no seat is free for them now.", subforum=subforum
        )
    return _("No seat in “%(subforum)s”.", subforum=subforum)


def offline_sentences() -> dict[str, str]:
    """The words the page's script shows, in the page's language."""
    return {
        "admitted": _("ADMITTED"),
        "refused": _("REFUSED"),
        "warning": _("ADMITTED, WITH A WARNING"),
        "unknown_code": _("Unknown code: no registration of this conference has this badge."),
        "already_here": _("Already admitted at this door by this device at %(time)s."),
        "offline": _(
            "Offline: answered from this device's list; scans are sent when the connection returns."
        ),
        "queued": _("%(count)d scans waiting to be sent."),
        "sent": _("Every scan has been sent."),
        "conflict": _("Another device admitted this badge too: flagged for the organizers."),
        "not_a_code": _("This is not a badge code."),
        "camera_start": _("Start the camera"),
        "camera_stop": _("Stop the camera"),
        "camera_denied": _("The camera could not be opened; type the code or use a scanner."),
    }


# --- devices -------------------------------------------------------------------------------------


def devices(conference: Conference) -> list[ScannerDevice]:
    return list(
        db.session.scalars(
            sa.select(ScannerDevice)
            .where(ScannerDevice.conference_id == conference.id)
            .options(selectinload(ScannerDevice.doors), joinedload(ScannerDevice.created_by))
            .order_by(ScannerDevice.revoked_at.is_not(None), ScannerDevice.name)
        )
    )


def checkin_accounts() -> list[Account]:
    """The accounts that may scan: check-in staff and subforum hosts, active ones."""
    return list(
        db.session.scalars(
            sa.select(Account)
            .where(Account.active, Account.role.in_((Role.CHECKIN_STAFF, Role.SUBFORUM_HOST)))
            .order_by(Account.name)
        )
    )


def scan_reply(scan: Scan, *, duplicate: bool) -> dict:
    """The JSON answer to a scan, the same for the scanning page's script and scanner apps."""
    return {
        "duplicate": duplicate,
        "conflict": scan.conflict,
        "answer": answer_for(scan).to_dict(),
        "counts": door_counts(scan.door).to_dict(),
    }
