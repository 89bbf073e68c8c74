"""Every write of check-in: scans decided and recorded, doors, their staff and scanner devices.

A scan is one transaction that reads the delegate's row under its lock, held to the commit, so two
doors or two devices reading one badge at once decide one after the other: exactly one check-in,
the other an entry in the history. The device's nonce is UNIQUE: a retried scan finds the first
one and records nothing new.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from wuzhen_events import clock
from wuzhen_events.accounts.enums import Permission
from wuzhen_events.accounts.models import Account
from wuzhen_events.audit import services as audit
from wuzhen_events.audit.actors import Actor, ActorKind
from wuzhen_events.checkin.enums import Direction, DoorKind, OfflineAnswer, ScanReason
from wuzhen_events.checkin.models import Door, Scan, ScannerDevice
from wuzhen_events.errors import DomainError, _l
from wuzhen_events.extensions import db
from wuzhen_events.program.enums import SessionStatus
from wuzhen_events.program.models import Conference, ProgramSession, Subforum
from wuzhen_events.registration import services as registration
from wuzhen_events.registration import tokens
from wuzhen_events.registration.enums import DelegateStatus, SeatStatus
from wuzhen_events.registration.models import Delegate, SeatBooking
from wuzhen_events.registration.queries import delegate_by_secret
from wuzhen_events.registration.tokens import Secret
from wuzhen_events.transactions import write

QR_PREFIX = "WIC2018:"
CODE_INPUT_LIMIT = 200  # a QR payload or a typed code with its spaces; anything longer is no badge
NONCE_SHAPE = re.compile(r"[A-Za-z0-9_.:-]{8,64}")
DEVICE_LABEL_LIMIT = 120
# A device clock may be a little ahead; a scan "made" further in the future is refused.
CLOCK_SKEW = timedelta(minutes=10)
# A device offline longer than this sends scans of another day: a clock gone wrong, refused.
OFFLINE_LIMIT = timedelta(days=7)
# Codes typed in groups of four: "abcd-efgh-..." (a dash may also be part of a code).
GROUPED = re.compile(r"(?:[A-Za-z0-9_-]{4}-)+[A-Za-z0-9_-]{1,4}")


class CheckinError(DomainError):
    pass


class NonceReused(CheckinError):
    """The nonce belongs to a scan at another door: a client bug or a replay, not a retry."""


@dataclass(frozen=True)
class ScanResult:
    scan: Scan
    duplicate: bool  # the nonce was seen before: this is the first scan, nothing new recorded


# --- codes --------------------------------------------------------------------------------------


def normalise_code(typed: str) -> str | None:
    """The check-in code in a QR payload (`WIC2018:<code>`) or typed by hand with spaces (or
    dashes between groups of four); None when it cannot be a badge code at all."""
    cleaned = re.sub(r"\s+", "", typed or "")
    if cleaned.upper().startswith(QR_PREFIX):
        cleaned = cleaned[len(QR_PREFIX) :]
    if tokens.is_token_shaped(cleaned):
        return cleaned
    if GROUPED.fullmatch(cleaned):
        ungrouped = "".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 5))
        if tokens.is_token_shaped(ungrouped):
            return ungrouped
    return None


def _checked_code(code: str) -> str:
    if not isinstance(code, str) or not code.strip():
        raise CheckinError(_l("Please scan a badge or type its code."), field="code")
    if len(code) > CODE_INPUT_LIMIT:
        raise CheckinError(
            _l("This is not a badge code: it is longer than %(limit)d characters.", limit=200),
            field="code",
        )
    normal = normalise_code(code)
    if normal is None:
        raise CheckinError(
            _l("This is not a badge code: a code has 43 letters, digits, - and _."), field="code"
        )
    return normal


# --- scans --------------------------------------------------------------------------------------


def record_scan(
    door: Door,
    code: str,
    *,
    direction: Direction = Direction.ENTRY,
    nonce: str,
    device: ScannerDevice | None = None,
    device_label: str = "",
    scanned_at: datetime | None = None,
    offline: bool = False,
    offline_answer: OfflineAnswer | None = None,
    actor: Actor,
) -> ScanResult:
    """Decide what the door answers for a badge and record the scan; the same nonce again
    returns the first scan and records nothing."""
    if not isinstance(nonce, str) or NONCE_SHAPE.fullmatch(nonce) is None:
        raise CheckinError(
            _l("The scan carries no valid nonce; reload the page and scan again."), field="nonce"
        )
    normal = _checked_code(code)
    now = clock.now()
    scanned_at = _checked_time(scanned_at, now)
    if len(device_label or "") > DEVICE_LABEL_LIMIT:
        raise CheckinError(
            _l("The device name is longer than %(limit)d characters.", limit=DEVICE_LABEL_LIMIT),
            field="device",
        )
    if device is not None and door.id not in {d.id for d in device.doors}:
        raise CheckinError(_l("This device may not scan at this door."), field="door")
    door_id, subforum_id = door.id, door.subforum_id
    device_id = device.id if device is not None else None
    device_label = device_label or (device.name if device is not None else "")
    try:
        # The reply is built from the rows this block loads: kept loaded, not read again.
        with write(error=None, keep_loaded=True):
            earlier = _scan_with_nonce(nonce)
            if earlier is not None:
                return _duplicate(earlier, door_id)
            door = db.session.get(
                Door,
                door_id,
                options=[joinedload(Door.conference), joinedload(Door.subforum)],
                populate_existing=True,
            )
            # Scans of one badge decide one after the other: the row is read under its lock.
            delegate = delegate_by_secret(Secret.CHECKIN, normal, lock=True)
            if delegate is not None and delegate.conference_id != door.conference_id:
                delegate = None
            scan = Scan(
                door=door,  # held by the scan, so the reply finds them loaded
                delegate=delegate,
                direction=direction,
                scanned_at=scanned_at,
                recorded_at=now,
                account_id=int(actor.ident) if actor.kind is ActorKind.ORGANIZER else None,
                device_id=device_id,
                device_label=device_label,
                offline=bool(offline),
                nonce=nonce,
                offline_answer=offline_answer if offline else None,
                admitted=False,
            )
            _decide(scan, door, subforum_id, delegate, now, actor)
            checks_in = (
                delegate is not None
                and scan.admitted
                and direction is Direction.ENTRY
                and scan.reason in (None, ScanReason.ALREADY_CHECKED_IN)
                and _check_in(delegate, scan.scanned_at)
            )
            scan.is_checkin = checks_in
            db.session.add(scan)
            db.session.flush()
            audit.created(actor, "record_scan", scan, delegate_id=scan.delegate_id)
            if checks_in:
                audit.record(
                    actor,
                    "record_scan",
                    "delegates",
                    delegate.id,
                    {"checked_in_at": None},
                    {"checked_in_at": scan.scanned_at},
                    delegate_id=delegate.id,
                )
    except IntegrityError:
        # The same nonce committed by a request racing this one: answer with its scan.
        earlier = _scan_with_nonce(nonce)
        if earlier is None:
            raise
        return _duplicate(earlier, door_id)
    return ScanResult(scan, duplicate=False)


def _decide(
    scan: Scan,
    door: Door,
    subforum_id: int | None,
    delegate: Delegate | None,
    now: datetime,
    actor: Actor,
) -> None:
    """The door's answer: admitted, or refused with a reason, among them a badge that came in
    at this door today with no exit since (handed back over the barrier, or scanned twice). An
    offline scan records what the device did, and is flagged when the server would have
    answered otherwise."""
    if delegate is None:
        scan.admitted, scan.reason = False, ScanReason.UNKNOWN_CODE
        _flag_offline_admission(scan, server_admits=False)
        return
    if scan.direction is Direction.EXIT:
        scan.admitted, scan.reason = True, None
        return
    refusal = _refusal(delegate)
    if refusal is None and door.kind is DoorKind.SUBFORUM:
        refusal = _seat_refusal(delegate, door, subforum_id, now, scan, actor)
    if refusal is not None:
        scan.admitted, scan.reason = False, refusal
        _flag_offline_admission(scan, server_admits=False)
        return
    if _inside_already(delegate.id, door, scan.scanned_at):
        scan.admitted, scan.reason = False, ScanReason.ALREADY_CHECKED_IN
        # Two devices let the same badge in while neither knew: kept, the later flagged.
        _flag_offline_admission(scan, server_admits=False)
        return
    scan.admitted, scan.reason = True, None
    if scan.offline and scan.offline_answer is OfflineAnswer.REFUSED:
        scan.admitted = False  # the device turned them away: they did not come in


def _flag_offline_admission(scan: Scan, *, server_admits: bool) -> None:
    if scan.offline and scan.offline_answer is OfflineAnswer.ADMITTED and not server_admits:
        scan.conflict = True
        scan.admitted = True  # they came in: the history says so, flagged for the organizers


def _refusal(delegate: Delegate) -> ScanReason | None:
    if delegate.status is DelegateStatus.CANCELLED:
        return ScanReason.CANCELLED
    if delegate.status is DelegateStatus.PENDING:
        return ScanReason.PENDING_APPROVAL
    if delegate.status is DelegateStatus.REJECTED:
        return ScanReason.REJECTED
    return None


def _seat_refusal(
    delegate: Delegate,
    door: Door,
    subforum_id: int | None,
    now: datetime,
    scan: Scan,
    actor: Actor,
) -> ScanReason | None:
    booking = db.session.scalar(
        sa.select(SeatBooking).where(
            SeatBooking.delegate_id == delegate.id, SeatBooking.subforum_id == subforum_id
        )
    )
    if booking is None:
        return ScanReason.NO_SEAT
    if booking.status in (SeatStatus.CONFIRMED, SeatStatus.HELD):
        return None
    if booking.status is not SeatStatus.WAITLISTED:
        return ScanReason.NO_SEAT
    device_refused = scan.offline and scan.offline_answer is OfflineAnswer.REFUSED
    if door.admits_walk_ins and not device_refused and has_started(subforum_id, now):
        subforum = db.session.get(Subforum, subforum_id)
        if registration.seat_walk_in(delegate, subforum, actor=actor) is not None:
            db.session.expire(subforum, ["seats_taken"])  # taken by a conditional UPDATE
            return None
    return ScanReason.WAITLISTED


def has_started(subforum_id: int | None, now: datetime) -> bool:
    """Whether the subforum's first session of the day has begun (walk-ins wait until then)."""
    first = db.session.scalar(
        sa.select(sa.func.min(ProgramSession.starts_at)).where(
            ProgramSession.subforum_id == subforum_id,
            ProgramSession.status != SessionStatus.CANCELLED,
            ProgramSession.ends_at > now - timedelta(hours=12),
        )
    )
    if first is None:
        return False
    if first.tzinfo is None:  # SQLite's aggregate skips the column type's conversion
        first = first.replace(tzinfo=now.tzinfo)
    return first <= now


def _inside_already(delegate_id: int, door: Door, at: datetime) -> bool:
    """The delegate's last admitted scan at this door today is an entry: they came in and never
    left. Yesterday's entry without an exit (nobody scans out at night) does not count."""
    zone = door.conference.tzinfo
    start_of_day = datetime.combine(at.astimezone(zone).date(), time()).replace(tzinfo=zone)
    last = db.session.scalar(
        sa.select(Scan.direction)
        .where(
            Scan.delegate_id == delegate_id,
            Scan.door_id == door.id,
            Scan.admitted,
            Scan.scanned_at >= start_of_day,
        )
        .order_by(Scan.scanned_at.desc(), Scan.id.desc())
        .limit(1)
    )
    return last is Direction.ENTRY


def _check_in(delegate: Delegate, at: datetime) -> bool:
    """The first admitted entry anywhere is the check-in: one conditional UPDATE decides it."""
    taken = db.session.execute(
        sa.update(Delegate)
        .where(Delegate.id == delegate.id, Delegate.checked_in_at.is_(None))
        .values(checked_in_at=at)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        return False
    db.session.expire(delegate, ["checked_in_at", "updated_at"])  # the UPDATE changed them
    return True


def _scan_with_nonce(nonce: str) -> Scan | None:
    return db.session.scalar(sa.select(Scan).where(Scan.nonce == nonce))


def _duplicate(earlier: Scan, door_id: int) -> ScanResult:
    if earlier.door_id != door_id:
        raise NonceReused(
            _l("This scan's nonce was used at another door; scan the badge again."),
            field="nonce",
        )
    return ScanResult(earlier, duplicate=True)


def _checked_time(scanned_at: datetime | None, now: datetime) -> datetime:
    if scanned_at is None:
        return now
    if scanned_at.tzinfo is None:
        raise CheckinError(
            _l("The scan time must name its time zone (e.g. 2018-11-07T09:12:00+08:00)."),
            field="scanned_at",
        )
    if scanned_at > now + CLOCK_SKEW:
        raise CheckinError(_l("The scan time is in the future."), field="scanned_at")
    if scanned_at < now - OFFLINE_LIMIT:
        raise CheckinError(_l("The scan time is more than a week ago."), field="scanned_at")
    return scanned_at


# --- conflicts ------------------------------------------------------------------------------------

CONFLICT_NOTE_LIMIT = 500


def review_conflict(scan: Scan, note: str, *, actor: Actor) -> Scan:
    """An organizer checked a flagged offline scan with the delegate: the flag stays (it is the
    door's history), the review adds when, by whom and what they found. Once: a second review,
    from another tab or another organizer, is refused and changes nothing."""
    note = (note or "").strip()
    if len(note) > CONFLICT_NOTE_LIMIT:
        raise CheckinError(
            _l("The note is longer than %(limit)d characters.", limit=CONFLICT_NOTE_LIMIT),
            field="note",
        )
    scan_id = scan.id
    with write(error=CheckinError):
        # Two organizers reviewing at once decide one after the other.
        scan = db.session.get(Scan, scan_id, with_for_update=True, populate_existing=True)
        if scan is None or not scan.conflict:
            raise CheckinError(_l("This scan is not flagged as a conflict."), field="scan")
        if scan.conflict_reviewed_at is not None:
            raise CheckinError(_l("This conflict was reviewed already."), field="scan")
        before = audit.snapshot(scan)
        scan.conflict_reviewed_at = clock.now()
        scan.conflict_reviewed_by_id = (
            int(actor.ident) if actor.kind is ActorKind.ORGANIZER else None
        )
        scan.conflict_note = note
        db.session.flush()
        audit.changed(actor, "review_conflict", scan, before, delegate_id=scan.delegate_id)
    return scan


# --- doors ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DoorDetails:
    name: str
    name_zh: str = ""
    kind: DoorKind = DoorKind.MAIN_ENTRANCE
    subforum_id: int | None = None
    admits_walk_ins: bool = False


def create_door(conference: Conference, details: DoorDetails, *, actor: Actor) -> Door:
    _check_door(details)
    with write(error=CheckinError, message=_NAME_TAKEN, field="name"):
        door = Door(conference_id=conference.id)
        _apply(door, details)
        return audit.add_new(door, actor=actor, action="create_door", error=CheckinError)


def update_door(door: Door, details: DoorDetails, *, actor: Actor) -> Door:
    _check_door(details)
    with write(error=CheckinError, message=_NAME_TAKEN, field="name"):
        before = audit.snapshot(door)
        _apply(door, details)
        db.session.flush()
        audit.changed(actor, "update_door", door, before)
    return door


def delete_door(door: Door, *, actor: Actor) -> None:
    """Only a door nobody scanned at: the scans are the check-in's history."""
    with write(error=CheckinError):
        used = db.session.scalar(sa.select(sa.exists().where(Scan.door_id == door.id)))
        if used:
            raise CheckinError(
                _l("Badges were scanned at this door: it is kept for its history."), field="door"
            )
        before, door_id = audit.snapshot(door), door.id
        db.session.delete(door)
        db.session.flush()
        audit.removed(actor, "delete_door", "doors", door_id, before)


def assign_door_staff(door: Door, accounts: Iterable[Account], *, actor: Actor) -> Door:
    """The accounts that scan at the door: check-in staff, or hosts of its subforum."""
    with write(error=CheckinError):
        chosen = list(accounts)
        for account in chosen:
            if not account.can(Permission.CHECK_IN):
                raise CheckinError(
                    _l("%(name)s's role does not scan badges.", name=account.name), field="staff"
                )
        before = sorted(account.id for account in door.staff)
        door.staff = sorted(chosen, key=lambda account: account.name)
        db.session.flush()
        after = sorted(account.id for account in chosen)
        if before != after:
            audit.record(
                actor, "assign_door_staff", "doors", door.id, {"staff": before}, {"staff": after}
            )
    return door


_NAME_TAKEN = _l("Another door already has this name.")


def _check_door(details: DoorDetails) -> None:
    if not details.name.strip():
        raise CheckinError(_l("Please give the door a name."), field="name")
    if details.kind is DoorKind.SUBFORUM and details.subforum_id is None:
        raise CheckinError(_l("Please choose the subforum of this hall door."), field="subforum_id")


def _apply(door: Door, details: DoorDetails) -> None:
    door.name = details.name.strip()
    door.name_zh = details.name_zh.strip()
    door.kind = details.kind
    is_hall = details.kind is DoorKind.SUBFORUM
    door.subforum_id = details.subforum_id if is_hall else None
    door.admits_walk_ins = bool(details.admits_walk_ins) and is_hall


# --- devices --------------------------------------------------------------------------------------


def create_device(
    conference: Conference,
    name: str,
    doors: Iterable[Door],
    *,
    created_by: Account | None,
    actor: Actor,
) -> tuple[ScannerDevice, str]:
    """A scanner app's token, returned this once: only its hash is stored."""
    name = (name or "").strip()
    if not name:
        raise CheckinError(_l("Please give the device a name."), field="name")
    chosen = list(doors)
    if not chosen:
        raise CheckinError(_l("Please choose at least one door."), field="doors")
    token = secrets.token_urlsafe(32)
    with write(error=CheckinError):
        device = ScannerDevice(
            conference_id=conference.id,
            name=name,
            token_hash=tokens.fingerprint(token),
            created_by_id=created_by.id if created_by else None,
        )
        device.doors = chosen
        audit.add_new(device, actor=actor, action="create_device", error=CheckinError)
    return device, token


def revoke_device(device: ScannerDevice, *, actor: Actor) -> ScannerDevice:
    with write(error=CheckinError):
        if device.revoked_at is None:
            before = audit.snapshot(device)
            device.revoked_at = clock.now()
            db.session.flush()
            audit.changed(actor, "revoke_device", device, before)
    return device


def device_by_token(token: str) -> ScannerDevice | None:
    """The device a bearer token belongs to, revoked or not (the caller tells them apart), with
    its doors: one query."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    return (
        db.session.scalars(
            sa.select(ScannerDevice)
            .where(ScannerDevice.token_hash == tokens.fingerprint(token))
            .options(joinedload(ScannerDevice.doors))
        )
        .unique()
        .one_or_none()
    )
