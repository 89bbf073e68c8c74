"""Queue an e-mail in the caller's transaction: it is sent only if the change it reports commits.

Either already rendered (`queue_message`), or as what to render (`queue_unrendered`): the sender
renders the latter right before its first attempt, through the renderer its domain registered
for its kind (mail.rendering), so the request that queues it pays for one small INSERT, not for
templates and a calendar file. The outbox knows no domain: registration/mails.py queues and
renders the e-mails about a delegate."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import make_msgid, parseaddr
from typing import Any

import sqlalchemy as sa
from flask import current_app

from wuzhen_events.db import utcnow
from wuzhen_events.extensions import db
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.models import OutboxMessage

SUBJECT_LIMIT = 300  # OutboxMessage.subject's length


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes

    def to_json(self) -> dict[str, str]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "data_base64": base64.b64encode(self.data).decode("ascii"),
        }


def queue_message(
    *,
    kind: str,
    recipient: str,
    subject: str,
    text_body: str,
    html_body: str,
    attachments: Iterable[Attachment] = (),
    locale: str = "en",
) -> OutboxMessage:
    """Add the message to the session without committing: the calling service commits it
    together with the change that caused it, or rolls both back."""
    queued_at = utcnow()
    message = OutboxMessage(
        kind=str(kind),
        recipient=recipient,
        subject=one_line_subject(subject),
        text_body=text_body,
        html_body=html_body,
        attachments=[attachment.to_json() for attachment in attachments],
        locale=locale,
        message_id=make_msgid(domain=_sender_domain()),
        created_at=queued_at,
        next_attempt_at=queued_at,  # due at once
        rendered_at=queued_at,
    )
    db.session.add(message)
    return message


def queue_unrendered(
    *,
    kind: str,
    recipient: str,
    locale: str,
    context: dict[str, Any],
) -> OutboxMessage:
    """Add a message the sender renders from `context` (plain JSON values) with the renderer
    registered for `kind`, without committing, like `queue_message`. The caller links it to
    what it is about (registration: Delegate.outbox_messages)."""
    queued_at = utcnow()
    message = OutboxMessage(
        kind=str(kind),
        recipient=recipient,
        locale=locale,
        context=context,
        attachments=[],
        message_id=make_msgid(domain=_sender_domain()),
        created_at=queued_at,
        next_attempt_at=queued_at,  # due at once
    )
    db.session.add(message)
    return message


@dataclass(frozen=True)
class UnrenderedMessage:
    """One row of `queue_unrendered_many`: who, in which language, about what, and when due."""

    kind: str
    recipient: str
    locale: str
    context: dict[str, Any]
    due_at: datetime
    delegate_id: int | None = None
    bulk: bool = False  # part of a mailing: sent after the due messages that are not


def queue_unrendered_many(messages: Sequence[UnrenderedMessage]) -> list[int]:
    """Insert many unrendered messages in the caller's transaction with one multi-row INSERT
    (not one ORM object and statement each), and return their ids in the order given: a mailing
    to 1,500 people is one transaction of a few statements. Each row keeps its own due time, so
    a caller can pace a large mailing."""
    if not messages:
        return []
    queued_at = utcnow()
    domain = _sender_domain()
    rows = [
        {
            "kind": str(message.kind),
            "recipient": message.recipient,
            "subject": "",
            "text_body": "",
            "html_body": "",
            "attachments": [],
            "locale": message.locale,
            "context": message.context,
            "message_id": make_msgid(domain=domain),
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "last_error": "",
            "created_at": queued_at,
            "next_attempt_at": message.due_at,
            "delegate_id": message.delegate_id,
            "bulk": message.bulk,
        }
        for message in messages
    ]
    # RETURNING in batches of many rows; their order is the database's, so each id is matched
    # to its row by the Message-ID made here (asking for the order makes SQLite go row by row).
    result = db.session.execute(
        sa.insert(OutboxMessage).returning(OutboxMessage.id, OutboxMessage.message_id), rows
    )
    ids = {message_id: row_id for row_id, message_id in result}
    return [ids[row["message_id"]] for row in rows]


def one_line_subject(subject: str) -> str:
    """One line (a header cannot break) that fits its column, whatever a title holds."""
    return " ".join(subject.split())[:SUBJECT_LIMIT]


def _sender_domain() -> str:
    """Message-IDs in the sender's own domain (make_msgid would otherwise ask DNS for ours)."""
    _name, address = parseaddr(current_app.config["MAIL_SENDER"])
    return address.rpartition("@")[2] or "localhost"
