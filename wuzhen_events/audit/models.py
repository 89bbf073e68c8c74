"""An audit entry per changed object; the app inserts them and never updates or deletes one
(but for erasure, which blanks the erased person's personal values)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wuzhen_events.audit.actors import ActorKind
from wuzhen_events.db import UTCDateTime, enum_column, utcnow
from wuzhen_events.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (sa.Index("ix_audit_entries_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_kind: Mapped[ActorKind] = mapped_column(enum_column(ActorKind))
    actor_id: Mapped[str] = mapped_column(sa.String(120), default="")
    action: Mapped[str] = mapped_column(sa.String(64))  # the service: "cancel_registration"
    object_type: Mapped[str] = mapped_column(sa.String(64))  # the table: "delegates"
    # The primary key, as text: "42", or "1:media" for a composite one.
    object_id: Mapped[str] = mapped_column(sa.String(64))
    fields: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)  # None: the object was made
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)  # None: the object was removed
    note: Mapped[str] = mapped_column(sa.String(200), default="")
    # Whose personal values the entry may hold, so erasing that registration can blank them.
    delegate_id: Mapped[int | None] = mapped_column(index=True)

    @property
    def actor_label(self) -> str:
        kind = self.actor_kind.value
        return f"{kind}:{self.actor_id}" if self.actor_id else kind
