"""Program models: what happens, where, when and with whom."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wuzhen_events.db import ProvenanceMixin, TimestampMixin, UTCDateTime, enum_column
from wuzhen_events.extensions import db
from wuzhen_events.program.enums import SessionKind, SessionStatus, SpeakerRole
from wuzhen_events.routing import SLUG_LIMIT

subforum_topics = sa.Table(
    "subforum_topics",
    db.metadata,
    sa.Column("subforum_id", sa.ForeignKey("subforums.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("topic_id", sa.ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
)

session_topics = sa.Table(
    "session_topics",
    db.metadata,
    sa.Column(
        "session_id", sa.ForeignKey("program_sessions.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("topic_id", sa.ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
)


class Conference(TimestampMixin, db.Model):
    __tablename__ = "conferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(SLUG_LIMIT), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_zh: Mapped[str] = mapped_column(sa.String(200), default="")
    edition: Mapped[int]
    theme: Mapped[str] = mapped_column(sa.String(300))
    theme_zh: Mapped[str] = mapped_column(sa.String(300), default="")
    city: Mapped[str] = mapped_column(sa.String(200))
    city_zh: Mapped[str] = mapped_column(sa.String(200), default="")
    venue_name: Mapped[str] = mapped_column(sa.String(200))
    venue_name_zh: Mapped[str] = mapped_column(sa.String(200), default="")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Asia/Shanghai")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    expo_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expo_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    invited_delegates: Mapped[int] = mapped_column(default=0)
    countries_and_regions: Mapped[int] = mapped_column(default=0)
    enterprises_confirmed: Mapped[int] = mapped_column(default=0)
    organisers: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class Venue(ProvenanceMixin, db.Model):
    """A room people can be sent to: building, hall and room number."""

    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(SLUG_LIMIT), unique=True)
    building: Mapped[str] = mapped_column(sa.String(200))
    building_zh: Mapped[str] = mapped_column(sa.String(200), default="")
    hall: Mapped[str] = mapped_column(sa.String(200), default="")
    hall_zh: Mapped[str] = mapped_column(sa.String(200), default="")
    room_number: Mapped[str] = mapped_column(sa.String(20), default="")
    capacity: Mapped[int | None]


class Topic(db.Model):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(SLUG_LIMIT), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    name_zh: Mapped[str] = mapped_column(sa.String(120), default="")


class Subforum(ProvenanceMixin, TimestampMixin, db.Model):
    """A subforum with bookable seats; the database itself refuses to oversell them."""

    __tablename__ = "subforums"
    __table_args__ = (
        sa.CheckConstraint(
            "seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conferences.id"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(SLUG_LIMIT), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    title_zh: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_zh: Mapped[str] = mapped_column(sa.Text, default="")
    host_organisations: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    host_organisations_zh: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # Delegate category values that may take a seat; empty means open to every category.
    restricted_to: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venues.id"), index=True)
    capacity: Mapped[int] = mapped_column(default=0)
    seats_taken: Mapped[int] = mapped_column(default=0, server_default="0")

    venue: Mapped[Venue | None] = relationship()
    topics: Mapped[list[Topic]] = relationship(secondary=subforum_topics, order_by=Topic.name)
    sessions: Mapped[list[ProgramSession]] = relationship(
        back_populates="subforum", order_by="ProgramSession.starts_at"
    )

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_taken >= self.capacity

    @property
    def starts_at(self) -> datetime | None:
        return self.sessions[0].starts_at if self.sessions else None

    @property
    def ends_at(self) -> datetime | None:
        return max((session.ends_at for session in self.sessions), default=None)


class Speaker(ProvenanceMixin, TimestampMixin, db.Model):
    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(SLUG_LIMIT), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_zh: Mapped[str] = mapped_column(sa.String(200), default="")
    title: Mapped[str] = mapped_column(sa.String(300), default="")
    title_zh: Mapped[str] = mapped_column(sa.String(300), default="")
    affiliation: Mapped[str] = mapped_column(sa.String(300), default="")
    affiliation_zh: Mapped[str] = mapped_column(sa.String(300), default="")
    country: Mapped[str] = mapped_column(sa.String(2), default="")
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    bio_zh: Mapped[str] = mapped_column(sa.Text, default="")
    # The frab person guid of an imported speaker (program.frab_import), so a re-import finds
    # them after a rename; None for speakers entered by hand.
    guid: Mapped[str | None] = mapped_column(sa.String(36), unique=True)

    appearances: Mapped[list[SessionSpeaker]] = relationship(back_populates="speaker")


class ProgramSession(ProvenanceMixin, TimestampMixin, db.Model):
    """One slot of the program; `sequence` counts changes of time, place or status for calendars."""

    __tablename__ = "program_sessions"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.UniqueConstraint("conference_id", "guid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conferences.id"), index=True)
    subforum_id: Mapped[int | None] = mapped_column(sa.ForeignKey("subforums.id"), index=True)
    kind: Mapped[SessionKind] = mapped_column(enum_column(SessionKind))
    title: Mapped[str] = mapped_column(sa.String(300))
    title_zh: Mapped[str] = mapped_column(sa.String(300), default="")
    abstract: Mapped[str] = mapped_column(sa.Text, default="")
    abstract_zh: Mapped[str] = mapped_column(sa.Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venues.id"), index=True)
    status: Mapped[SessionStatus] = mapped_column(
        enum_column(SessionStatus), default=SessionStatus.SCHEDULED
    )
    is_public: Mapped[bool] = mapped_column(default=True)
    sequence: Mapped[int] = mapped_column(default=0)
    # The frab event guid of an imported session (program.frab_import): re-importing the file
    # updates it instead of adding another; None for sessions made by hand.
    guid: Mapped[str | None] = mapped_column(sa.String(36))

    subforum: Mapped[Subforum | None] = relationship(back_populates="sessions")
    venue: Mapped[Venue | None] = relationship()
    topics: Mapped[list[Topic]] = relationship(secondary=session_topics, order_by=Topic.name)
    speaker_roles: Mapped[list[SessionSpeaker]] = relationship(
        back_populates="session",
        order_by="SessionSpeaker.position",
        cascade="all, delete-orphan",
    )

    @property
    def is_cancelled(self) -> bool:
        return self.status is SessionStatus.CANCELLED


class SessionSpeaker(db.Model):
    """A speaker's part in one session, in the order the program lists them."""

    __tablename__ = "session_speakers"
    __table_args__ = (sa.UniqueConstraint("session_id", "speaker_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("program_sessions.id", ondelete="CASCADE"), index=True
    )
    speaker_id: Mapped[int] = mapped_column(
        sa.ForeignKey("speakers.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[SpeakerRole] = mapped_column(enum_column(SpeakerRole), default=SpeakerRole.SPEAKER)
    position: Mapped[int] = mapped_column(default=0)

    session: Mapped[ProgramSession] = relationship(back_populates="speaker_roles")
    speaker: Mapped[Speaker] = relationship(back_populates="appearances")
