"""Reads of the outbox for the organizers: what could not be delivered, and why."""

from __future__ import annotations

import sqlalchemy as sa

from wuzhen_events.extensions import db
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.models import OutboxMessage


def failed_messages() -> list[OutboxMessage]:
    """Newest first: the organizers look for what failed since they last checked."""
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.FAILED)
            .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        )
    )


def messages_by_status() -> dict[OutboxStatus, int]:
    """Outbox rows in each state, every state present (zero when none), in one GROUP BY."""
    rows = db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count(OutboxMessage.id)).group_by(
            OutboxMessage.status
        )
    )
    counts = dict.fromkeys(OutboxStatus, 0)
    counts.update({row[0]: row[1] for row in rows})
    return counts
