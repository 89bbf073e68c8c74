"""Registration models: delegates, their seats and bookmarks, and invitation codes."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from wuzhen_events.db import TimestampMixin, UTCDateTime, enum_column, utcnow
from wuzhen_events.extensions import db
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.program.models import ProgramSession, Subforum
from wuzhen_events.registration.enums import DelegateCategory, DelegateStatus, SeatStatus
from wuzhen_events.registration.tokens import Secret

# The delegate columns the organizers' search looks into for a part of their text.
SEARCHED_COLUMNS = ("name", "name_zh", "email", "organisation")


class Delegate(TimestampMixin, db.Model):
    """One registration; its three secrets are derived from seeds and stored only as hashes."""

    __tablename__ = "delegates"
    __table_args__ = (
        sa.UniqueConstraint("conference_id", "email"),
        # The organizers' list in registration order, and registrations by day and category.
        sa.Index("ix_delegates_registered", "conference_id", "created_at", "category"),
        # Counts by category and status, and by country (with the distinct countries offered
        # as filters), read from these indexes alone, without the rows.
        sa.Index("ix_delegates_category_status", "conference_id", "category", "status"),
        sa.Index("ix_delegates_country_status", "conference_id", "country", "status"),
        # The list's search for a part of a name, address or organisation: trigram indexes on
        # PostgreSQL answer an ILIKE '%...%' of three characters or more without a scan.
        *(
            sa.Index(
                f"ix_delegates_{column}_trigrams",
                column,
                postgresql_using="gin",
                postgresql_ops={column: "public.gin_trgm_ops"},
            ).ddl_if(dialect="postgresql")
            for column in SEARCHED_COLUMNS
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conferences.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    name_zh: Mapped[str] = mapped_column(sa.String(60), default="")
    email: Mapped[str] = mapped_column(sa.String(254))
    organisation: Mapped[str] = mapped_column(sa.String(200))
    job_title: Mapped[str] = mapped_column(sa.String(120), default="")
    country: Mapped[str] = mapped_column(sa.String(2))
    category: Mapped[DelegateCategory] = mapped_column(enum_column(DelegateCategory))
    status: Mapped[DelegateStatus] = mapped_column(enum_column(DelegateStatus), index=True)
    locale: Mapped[str] = mapped_column(sa.String(8), default="en")
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when the person opened a link sent to the address (or used an e-mailed invitation).
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when the person erased their registration: personal fields are blanked, counts stay.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Hash of the browser session and form that created it, so a repeated submit finds it.
    submission_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    manage_seed: Mapped[str] = mapped_column(sa.String(32))
    manage_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    feed_seed: Mapped[str] = mapped_column(sa.String(32))
    feed_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    checkin_seed: Mapped[str] = mapped_column(sa.String(32))
    checkin_code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)

    seats: Mapped[list[SeatBooking]] = relationship(
        back_populates="delegate", order_by="SeatBooking.id", cascade="all, delete-orphan"
    )
    bookmarks: Mapped[list[Bookmark]] = relationship(
        back_populates="delegate", cascade="all, delete-orphan"
    )
    # The e-mails about this registration, linked from here (the outbox knows no delegates), so
    # one queued for a delegate not yet inserted gets its delegate_id from the same flush. Never
    # loaded whole; the database, not the ORM, clears delegate_id when a delegate is deleted.
    outbox_messages: WriteOnlyMapped[OutboxMessage] = relationship(passive_deletes=True)

    @property
    def is_active(self) -> bool:
        return self.status in (DelegateStatus.PENDING, DelegateStatus.CONFIRMED)


class SeatBooking(db.Model):
    """A delegate's place in a subforum: a seat, a waitlist place (queued by id), or a request."""

    __tablename__ = "seat_bookings"
    __table_args__ = (
        sa.UniqueConstraint("delegate_id", "subforum_id"),
        # Every subforum's places by state, counted from the index alone.
        sa.Index("ix_seat_bookings_subforum_status", "subforum_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delegate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("delegates.id", ondelete="CASCADE"), index=True
    )
    subforum_id: Mapped[int] = mapped_column(sa.ForeignKey("subforums.id"), index=True)
    status: Mapped[SeatStatus] = mapped_column(enum_column(SeatStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A seat of an unverified registration is held until then, and freed for the waitlist after.
    held_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    delegate: Mapped[Delegate] = relationship(back_populates="seats")
    subforum: Mapped[Subforum] = relationship()


class Bookmark(db.Model):
    """A starred session for the personal agenda; stars hold no seat."""

    __tablename__ = "bookmarks"
    __table_args__ = (sa.UniqueConstraint("delegate_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delegate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("delegates.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("program_sessions.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    delegate: Mapped[Delegate] = relationship(back_populates="bookmarks")
    session: Mapped[ProgramSession] = relationship()


class FallbackHash(db.Model):
    """The hash a delegate secret had under an earlier SECRET_KEY: links made before the key
    was rotated keep finding their delegate while that key is one of SECRET_KEY_FALLBACKS."""

    __tablename__ = "fallback_hashes"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("delegates.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[Secret] = mapped_column(enum_column(Secret))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Invitation(db.Model):
    """A single-use code for one e-mail address and category; only its hash is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conferences.id"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    category: Mapped[DelegateCategory] = mapped_column(enum_column(DelegateCategory))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delegate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("delegates.id"))


class ClosedCategory(db.Model):
    """A category organizers closed: new registrations in it are refused."""

    __tablename__ = "closed_categories"

    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conferences.id"), primary_key=True)
    category: Mapped[DelegateCategory] = mapped_column(
        enum_column(DelegateCategory), primary_key=True
    )
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
