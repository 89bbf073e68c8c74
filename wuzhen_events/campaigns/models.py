"""A campaign and the outbox messages it queued: the outbox knows no campaign, so the link
lives here, one row per address written to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wuzhen_events.db import UTCDateTime, utcnow
from wuzhen_events.extensions import db

SUBJECT_LIMIT = 200
BODY_LIMIT = 20_000
KEY_LIMIT = 64


class Campaign(db.Model):
    """One e-mail to many delegates, written in English and Chinese; a draft until queued."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        sa.ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str] = mapped_column(sa.String(SUBJECT_LIMIT))
    subject_zh: Mapped[str] = mapped_column(sa.String(SUBJECT_LIMIT))
    body: Mapped[str] = mapped_column(sa.Text)
    body_zh: Mapped[str] = mapped_column(sa.Text)
    # The delegates table's filter (and the composer's scope) it goes to, as JSON values.
    recipient_filter: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # From the compose form: the same form sent twice (two tabs, a retried timeout) makes one.
    idempotency_key: Mapped[str] = mapped_column(sa.String(KEY_LIMIT), unique=True)
    # The organizer account who wrote it; kept when the account is deleted, as a number.
    created_by: Mapped[int | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # None while a draft; set once, under the row's lock, when its messages are queued.
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recipient_count: Mapped[int] = mapped_column(default=0)

    @property
    def is_draft(self) -> bool:
        return self.queued_at is None


class CampaignMessage(db.Model):
    """The outbox message one address received of a campaign. UNIQUE(campaign, address): two
    delegates sharing an address receive one e-mail, whatever raced to queue it."""

    __tablename__ = "campaign_messages"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    # Erasing a registration deletes its outbox messages, and so these rows with its address.
    outbox_message_id: Mapped[int] = mapped_column(
        sa.ForeignKey("outbox_messages.id", ondelete="CASCADE"), unique=True
    )
    delegate_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("delegates.id", ondelete="SET NULL"), index=True
    )
    email: Mapped[str] = mapped_column(sa.String(254))  # normalised: what "one address" means
