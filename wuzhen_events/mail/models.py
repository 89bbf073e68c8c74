"""The outbox: an e-mail is a row, committed with the change that caused it, until it is sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wuzhen_events.db import UTCDateTime, enum_column, utcnow
from wuzhen_events.extensions import db
from wuzhen_events.mail.enums import OutboxStatus


class OutboxMessage(db.Model):
    """One e-mail. A message queued unrendered is stored as its kind, recipient and `context`,
    and the sender renders it on its first attempt through the renderer registered for its kind
    (keeping what it rendered, so a retry sends the same e-mail); a message queued already
    rendered carries its `rendered_at` from the start."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        # The sender's scan: due pending rows, oldest first.
        sa.Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300), default="")
    text_body: Mapped[str] = mapped_column(sa.Text, default="")
    html_body: Mapped[str] = mapped_column(sa.Text, default="")
    # [{"filename": ..., "content_type": ..., "data_base64": ...}]
    attachments: Mapped[list[dict[str, str]]] = mapped_column(sa.JSON, default=list)
    locale: Mapped[str] = mapped_column(sa.String(8), default="en")
    # What the renderer reads besides delegate_id, e.g. {"subforum_id": 3}.
    context: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    # None until subject, bodies and attachments hold the e-mail as it is (or was) sent.
    rendered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Fixed when queued, so a retry the server may already have accepted is recognisably the same.
    message_id: Mapped[str] = mapped_column(sa.String(255), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str] = mapped_column(sa.String(1000), default="")
    # Part of a mailing to many (a campaign): due ones are sent after every due message about
    # one person's own registration, so a mailing's backlog (after an outage) never holds those.
    bulk: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The retry window (MAIL_RETRY_DAYS) runs from the first failure, not from queueing, so a
    # sender that was not running does not shorten it; a requeue clears it for a new window.
    first_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When it was given up: `mail requeue --since` picks the failures of an outage by it.
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The registration a message is about, if any: registration links its own messages
    # (Delegate.outbox_messages), and erasing it deletes them; the outbox only stores the key.
    # The database, not the ORM, clears it when a delegate is deleted.
    delegate_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("delegates.id", ondelete="SET NULL"), index=True
    )
