"""Expo models: who exhibits where, and what they launch on which stage."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wuzhen_events.db import ProvenanceMixin, TimestampMixin, UTCDateTime, enum_column
from wuzhen_events.expo.enums import ApplicationStatus, BoothSize, Sector
from wuzhen_events.extensions import db
from wuzhen_events.routing import SLUG_LIMIT


class Exhibitor(ProvenanceMixin, TimestampMixin, db.Model):
    __tablename__ = "exhibitors"
    __table_args__ = (sa.UniqueConstraint("hall", "booth"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conferences.id"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(SLUG_LIMIT), unique=True)
    company: Mapped[str] = mapped_column(sa.String(200), index=True)
    company_zh: Mapped[str] = mapped_column(sa.String(200), default="")
    sector: Mapped[Sector] = mapped_column(enum_column(Sector), index=True)
    country: Mapped[str] = mapped_column(sa.String(2), index=True)
    hall: Mapped[str] = mapped_column(sa.String(20), index=True)
    booth: Mapped[str] = mapped_column(sa.String(20))
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_zh: Mapped[str] = mapped_column(sa.Text, default="")

    launches: Mapped[list[ProductLaunch]] = relationship(
        back_populates="exhibitor", order_by="ProductLaunch.starts_at"
    )


class ProductLaunch(ProvenanceMixin, TimestampMixin, db.Model):
    __tablename__ = "product_launches"
    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibitor_id: Mapped[int] = mapped_column(sa.ForeignKey("exhibitors.id"), index=True)
    product: Mapped[str] = mapped_column(sa.String(200))
    product_zh: Mapped[str] = mapped_column(sa.String(200), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_zh: Mapped[str] = mapped_column(sa.Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    stage: Mapped[str] = mapped_column(sa.String(120))
    stage_zh: Mapped[str] = mapped_column(sa.String(120), default="")

    exhibitor: Mapped[Exhibitor] = relationship(back_populates="launches")


class ExhibitorApplication(TimestampMixin, db.Model):
    """A company asking for a booth (and maybe a launch slot) until organizers decide."""

    __tablename__ = "exhibitor_applications"
    __table_args__ = (
        # One pending application per contact and company, even when two requests race.
        sa.Index(
            "uq_exhibitor_applications_pending",
            "conference_id",
            "contact_email",
            "company_key",
            unique=True,
            sqlite_where=sa.text("status = 'applied'"),
            postgresql_where=sa.text("status = 'applied'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conferences.id"), index=True)
    company: Mapped[str] = mapped_column(sa.String(200))
    company_zh: Mapped[str] = mapped_column(sa.String(200), default="")
    # SHA-256 of the name without case or extra blanks: "ACME  Ltd" and "Acme Ltd" are one
    # company, and a hash keeps the key short whatever the name's script.
    company_key: Mapped[str] = mapped_column(sa.String(64))
    sector: Mapped[Sector] = mapped_column(enum_column(Sector))
    country: Mapped[str] = mapped_column(sa.String(2))
    contact_name: Mapped[str] = mapped_column(sa.String(120))
    contact_email: Mapped[str] = mapped_column(sa.String(254), index=True)
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    requested_hall: Mapped[str | None] = mapped_column(sa.String(20))  # None: no preference
    booth_size: Mapped[BoothSize] = mapped_column(enum_column(BoothSize))
    launch_product: Mapped[str] = mapped_column(sa.String(200), default="")
    launch_description: Mapped[str] = mapped_column(sa.String(2000), default="")
    launch_day: Mapped[date | None] = mapped_column(sa.Date())
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus), default=ApplicationStatus.APPLIED, index=True
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str] = mapped_column(sa.String(500), default="")

    @property
    def reference(self) -> str:
        """The number the applicant quotes to the organizers."""
        return f"EXH-{self.id:05d}"

    @property
    def proposes_launch(self) -> bool:
        return self.launch_day is not None
