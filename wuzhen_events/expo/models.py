"""Expo models: who exhibits where, and what they launch on which stage."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wuzhen_events.db import ProvenanceMixin, TimestampMixin, UTCDateTime, enum_column
from wuzhen_events.expo.enums import Sector
from wuzhen_events.extensions import db


class Exhibitor(ProvenanceMixin, TimestampMixin, db.Model):
    __tablename__ = "exhibitors"
    __table_args__ = (sa.UniqueConstraint("hall", "booth"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conferences.id"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
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
