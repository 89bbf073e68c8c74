"""Organizer actions on the outbox, for the CLI now and the dashboard later."""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime, timedelta

import sqlalchemy as sa

from wuzhen_events.audit import services as audit
from wuzhen_events.audit.actors import Actor
from wuzhen_events.db import utcnow
from wuzhen_events.extensions import db
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.transactions import write

LOGGER = logging.getLogger("wuzhen_events.mail")


def requeue_failed_messages(
    *,
    actor: Actor,
    message_ids: Collection[int] | None = None,
    failed_since: datetime | None = None,
    now: datetime | None = None,
    spacing: timedelta = timedelta(0),
) -> int:
    """Give failed e-mails another chance after an outage or a fixed setting: due at once, with
    a new retry window. Only FAILED rows change (a sent or superseded one never goes twice);
    `message_ids` and `failed_since` narrow the choice, neither means every failed e-mail.
    `spacing` paces them: the n-th (from 0) is due `n * spacing` after `now`, for a mailing
    that must not reach the mail server all at once. Returns how many were re-queued."""
    now = now or utcnow()
    conditions = [OutboxMessage.status == OutboxStatus.FAILED]
    if message_ids is not None:
        conditions.append(OutboxMessage.id.in_(list(message_ids)))
    if failed_since is not None:
        conditions.append(OutboxMessage.failed_at >= failed_since)
    with write():
        # The attempts and the last error stay on record; the window restarts at the next failure.
        failed = db.session.scalars(
            sa.select(OutboxMessage).where(*conditions).order_by(OutboxMessage.id)
        ).all()
        for position, message in enumerate(failed):
            before = audit.snapshot(message)
            message.status = OutboxStatus.PENDING
            message.next_attempt_at = now + position * spacing
            message.first_failed_at = message.failed_at = None
            audit.changed(actor, "requeue_failed_messages", message, before)
    LOGGER.info("%s re-queued %s failed e-mails", actor, len(failed))
    return len(failed)
