"""Reads of the outbox for organizers: the count of messages in each state."""

from __future__ import annotations

import sqlalchemy as sa

from wuzhen_events.extensions import db
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.mail.outbox import queue_message
from wuzhen_events.mail.queries import messages_by_status


def queue(number: int, status: OutboxStatus) -> None:
    message = queue_message(
        kind="test", recipient=f"r{number}@example.org", subject="S", text_body="T", html_body=""
    )
    db.session.flush()
    db.session.execute(
        sa.update(OutboxMessage).where(OutboxMessage.id == message.id).values(status=status)
    )


def test_messages_by_status_counts_every_state_zero_included(app, query_counter):
    for number, status in enumerate(
        [OutboxStatus.PENDING, OutboxStatus.PENDING, OutboxStatus.SENT, OutboxStatus.FAILED]
    ):
        queue(number, status)
    db.session.commit()

    with query_counter(db.engine) as log:
        counts = messages_by_status()

    assert counts == {
        OutboxStatus.PENDING: 2,
        OutboxStatus.SENT: 1,
        OutboxStatus.FAILED: 1,
        OutboxStatus.SUPERSEDED: 0,
    }
    assert list(counts) == list(OutboxStatus)
    assert log.count == 1


def test_an_empty_outbox_counts_zeros(app):
    assert messages_by_status() == dict.fromkeys(OutboxStatus, 0)
