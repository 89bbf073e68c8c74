"""Doors (check-in lists), the accounts and devices that scan at them, and every scan made."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wuzhen_events.accounts.models import Account
from wuzhen_events.checkin.enums import Direction, DoorKind, OfflineAnswer, ScanReason
from wuzhen_events.db import TimestampMixin, UTCDateTime, enum_column, utcnow
from wuzhen_events.extensions import db
from wuzhen_events.program.models import Conference, Subforum
from wuzhen_events.registration.models import Delegate

door_accounts = sa.Table(
    "door_accounts",
    db.metadata,
    sa.Column("door_id", sa.ForeignKey("doors.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("account_id", sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
)

device_doors = sa.Table(
    "device_doors",
    db.metadata,
    sa.Column(
        "device_id", sa.ForeignKey("scanner_devices.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("door_id", sa.ForeignKey("doors.id", ondelete="CASCADE"), primary_key=True),
)


class Door(TimestampMixin, db.Model):
    """A check-in list: the main entrance admits every confirmed delegate, a hall door those
    seated in its subforum."""

    __tablename__ = "doors"
    __table_args__ = (sa.UniqueConstraint("conference_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conferences.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    name_zh: Mapped[str] = mapped_column(sa.String(60), default="")
    kind: Mapped[DoorKind] = mapped_column(enum_column(DoorKind))
    subforum_id: Mapped[int | None] = mapped_column(sa.ForeignKey("subforums.id"), index=True)
    # Waitlisted delegates take a seat still free once the session has started.
    admits_walk_ins: Mapped[bool] = mapped_column(default=False)

    conference: Mapped[Conference] = relationship()
    subforum: Mapped[Subforum | None] = relationship()
    staff: Mapped[list[Account]] = relationship(secondary=door_accounts, order_by=Account.name)


class ScannerDevice(db.Model):
    """A scanner app's bearer token: only its hash is kept; revoking it ends its access."""

    __tablename__ = "scanner_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conferences.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    doors: Mapped[list[Door]] = relationship(secondary=device_doors, order_by=Door.id)
    created_by: Mapped[Account | None] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class Scan(db.Model):
    """One badge read at a door, kept whatever the answer; its nonce makes a retry a no-op."""

    __tablename__ = "scans"
    __table_args__ = (
        # The door's history, newest first, and its admitted count for a day.
        sa.Index("ix_scans_door_recorded", "door_id", "recorded_at"),
        # A delegate's scans at a door: the "already checked in" answer and conflicts.
        sa.Index("ix_scans_delegate_door", "delegate_id", "door_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    door_id: Mapped[int] = mapped_column(sa.ForeignKey("doors.id", ondelete="CASCADE"))
    # None for a code that found nobody; kept (the attempt is history), cleared if erased.
    delegate_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("delegates.id", ondelete="SET NULL")
    )
    direction: Mapped[Direction] = mapped_column(enum_column(Direction))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime())  # the device's clock
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    account_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    device_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("scanner_devices.id", ondelete="SET NULL"), index=True
    )
    device_label: Mapped[str] = mapped_column(sa.String(120), default="")
    offline: Mapped[bool] = mapped_column(default=False)
    nonce: Mapped[str] = mapped_column(sa.String(64), unique=True)
    admitted: Mapped[bool]
    reason: Mapped[ScanReason | None] = mapped_column(enum_column(ScanReason))
    offline_answer: Mapped[OfflineAnswer | None] = mapped_column(enum_column(OfflineAnswer))
    # This scan is the delegate's check-in: their first admitted entry anywhere.
    is_checkin: Mapped[bool] = mapped_column(default=False)
    # An offline admission that clashed with one recorded before it (or with the server's answer).
    conflict: Mapped[bool] = mapped_column(default=False, index=True)
    # An organizer checked the conflict with the delegate: when, who, and what they found.
    conflict_reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    conflict_reviewed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL")
    )
    conflict_note: Mapped[str] = mapped_column(sa.String(500), default="")

    door: Mapped[Door] = relationship()
    delegate: Mapped[Delegate | None] = relationship()
    account: Mapped[Account | None] = relationship(foreign_keys=[account_id])
    device: Mapped[ScannerDevice | None] = relationship()
    conflict_reviewed_by: Mapped[Account | None] = relationship(
        foreign_keys=[conflict_reviewed_by_id]
    )
