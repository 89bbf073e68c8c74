"""Queue an e-mail in the caller's transaction: it is sent only if the change it reports commits.

Either already rendered (`queue_message`), or as what to render (`queue_unrendered`): the sender
renders the latter right before its first attempt, through the renderer its domain registered
for its kind (mail.rendering), so the request that queues it pays for one small INSERT, not for
templates and a calendar file. The outbox knows no domain: registration/mails.py queues and
renders the e-mails about a delegate."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import make_msgid, parseaddr
from typing import Any

from flask import current_app

from wuzhen_events.db import utcnow
from wuzhen_events.extensions import db
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


def one_line_subject(subject: str) -> str:
    """One line (a header cannot break) that fits its column, whatever a title holds."""
    return " ".join(subject.split())[:SUBJECT_LIMIT]


def _sender_domain() -> str:
    """Message-IDs in the sender's own domain (make_msgid would otherwise ask DNS for ours)."""
    _name, address = parseaddr(current_app.config["MAIL_SENDER"])
    return address.rpartition("@")[2] or "localhost"
