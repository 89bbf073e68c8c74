"""Re-queueing failed e-mails: only failed ones, chosen by id or failure time, with a new window."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import OPERATOR, reload, utc
from tests.helpers.registration import register_ada as register
from tests.helpers.smtp import SmtpServer
from wuzhen_events.db import utcnow
from wuzhen_events.extensions import db
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.mail.outbox import queue_message
from wuzhen_events.mail.sender import DeliveryReport, deliver_pending
from wuzhen_events.mail.services import requeue_failed_messages

NOW = utc(9, 12)


def stored_message(recipient: str, status: OutboxStatus, **fields) -> OutboxMessage:
    """A rendered message as the sender leaves it in `status`."""
    message = queue_message(
        kind="notice",
        recipient=recipient,
        subject="Hall 3 has moved",
        text_body="Hall 3 is now Hall 5.",
        html_body="",
    )
    message.status = status
    for name, value in fields.items():
        setattr(message, name, value)
    db.session.commit()
    return message


def failed_message(recipient: str, *, failed_at, **fields) -> OutboxMessage:
    return stored_message(
        recipient,
        OutboxStatus.FAILED,
        attempts=78,
        first_failed_at=failed_at - timedelta(days=3),
        failed_at=failed_at,
        last_error="Could not connect to mail.example:25: [Errno 111] Connection refused",
        **fields,
    )


def state(message: OutboxMessage) -> tuple:
    message = reload(message)
    return (
        message.status,
        message.attempts,
        message.next_attempt_at,
        message.first_failed_at,
        message.failed_at,
        message.last_error,
        message.sent_at,
    )


@pytest.fixture
def outbox_rows(app) -> dict[str, OutboxMessage]:
    """Two failed messages (7 and 8 November), and one of every other state."""
    return {
        "failed_early": failed_message("ada@example.com", failed_at=utc(7, 10)),
        "failed_late": failed_message("bob@example.com", failed_at=utc(8, 15, 30)),
        "sent": stored_message("carol@example.com", OutboxStatus.SENT, attempts=1, sent_at=NOW),
        "superseded": stored_message("dan@example.com", OutboxStatus.SUPERSEDED),
        "pending": stored_message(
            "eve@example.com",
            OutboxStatus.PENDING,
            attempts=2,
            first_failed_at=utc(9, 11),
            last_error="SMTP 451 4.3.0 Try again later",
        ),
    }


@pytest.mark.parametrize(
    ("choice", "requeued"),
    [
        ({}, ["failed_early", "failed_late"]),
        ({"message_ids": ["failed_late"]}, ["failed_late"]),
        ({"message_ids": ["failed_early", "sent", "superseded", "pending"]}, ["failed_early"]),
        ({"message_ids": []}, []),
        ({"failed_since": utc(8, 15, 30)}, ["failed_late"]),
        ({"failed_since": utc(7, 10)}, ["failed_early", "failed_late"]),
        ({"failed_since": utc(8, 15, 31)}, []),
        ({"message_ids": ["failed_early"], "failed_since": utc(8, 0)}, []),
    ],
    ids=[
        "every-failed",
        "one-id",
        "ids-of-every-state",
        "no-ids",
        "since-the-second-failure",
        "since-the-first-failure",
        "since-after-both",
        "id-and-since",
    ],
)
def test_requeue_changes_only_the_chosen_failed_messages(outbox_rows, choice, requeued):
    before = {name: state(message) for name, message in outbox_rows.items()}
    if "message_ids" in choice:
        choice["message_ids"] = [outbox_rows[name].id for name in choice["message_ids"]]

    count = requeue_failed_messages(actor=OPERATOR, now=NOW, **choice)

    after = {name: state(message) for name, message in outbox_rows.items()}
    expected = {
        name: (
            (OutboxStatus.PENDING, 78, NOW, None, None, before[name][5], None)
            if name in requeued
            else before[name]
        )
        for name in outbox_rows
    }
    assert (count, after) == (len(requeued), expected)


def test_requeue_logs_who_did_it(outbox_rows, caplog):
    caplog.set_level(logging.INFO, logger="wuzhen_events.mail")

    requeue_failed_messages(actor=OPERATOR, now=NOW)

    assert [(record.levelname, record.getMessage()) for record in caplog.records] == [
        ("INFO", "cli:tests re-queued 2 failed e-mails")
    ]


def test_a_requeued_message_gets_a_new_retry_window(mail_app, program):
    server = SmtpServer()  # not started: connections are refused
    mail_app.config.update(MAIL_URL=server.url, MAIL_RETRY_DAYS=0.5)
    register(program, "ada@example.com")
    (queued,) = db.session.scalars(sa.select(OutboxMessage)).all()
    start = utcnow().replace(microsecond=0) + timedelta(seconds=1)

    deliver_pending(now=start)
    given_up = deliver_pending(now=start + timedelta(hours=12))
    count = requeue_failed_messages(actor=OPERATOR, now=start + timedelta(hours=13))
    still_down = deliver_pending(now=start + timedelta(hours=13))
    waiting = state(queued)
    server.start()
    try:
        back = deliver_pending(now=start + timedelta(hours=13, minutes=1))
    finally:
        server.stop()

    assert (given_up, count, still_down, back) == (
        DeliveryReport(failed_permanently=1),
        1,
        DeliveryReport(failed_temporarily=1),
        DeliveryReport(sent=1),
    )
    # Failed again only 12 hours after this failure, not at once.
    assert waiting[:5] == (
        OutboxStatus.PENDING,
        3,
        start + timedelta(hours=13, minutes=1),
        start + timedelta(hours=13),
        None,
    )
    assert [str(email["To"]) for email in server.messages] == ["ada@example.com"]
