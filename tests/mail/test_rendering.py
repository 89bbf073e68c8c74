"""The renderer registry: the outbox renders a queued message through whatever its domain
registered for the kind, and knows no domain itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from wuzhen_events.db import utcnow
from wuzhen_events.extensions import db
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.mail.outbox import queue_unrendered
from wuzhen_events.mail.rendering import (
    RENDERERS,
    MessageUnrenderable,
    RenderedMessage,
    register_renderer,
    render,
)
from wuzhen_events.mail.sender import DeliveryReport, deliver_pending
from wuzhen_events.registration.enums import DelegateMessage
from wuzhen_events.registration.mails import render_delegate_message


def render_note(message: OutboxMessage) -> RenderedMessage:
    """A renderer of another domain: every value it reads is in the message's context."""
    return RenderedMessage(
        subject=f"Hall {message.context['hall']} has moved",
        text_body=f"Hall {message.context['hall']} is now Hall {message.context['to']}.",
        html_body="",
        attachments=[],
    )


def test_create_app_registers_the_delegate_renderer_for_every_delegate_message(app):
    from wuzhen_events.campaigns.mails import CAMPAIGN_KIND, render_campaign_message

    assert app.extensions[RENDERERS] == {
        **{kind.value: render_delegate_message for kind in DelegateMessage},
        CAMPAIGN_KIND: render_campaign_message,
    }


def test_a_kind_keeps_its_one_renderer(app):
    register_renderer(app, ["hall_moved"], render_note)
    register_renderer(app, ["hall_moved"], render_note)  # the same one again changes nothing

    with pytest.raises(ValueError, match="'hall_moved' already have a renderer"):
        register_renderer(app, ["hall_moved"], render_delegate_message)

    assert app.extensions[RENDERERS]["hall_moved"] is render_note


def test_a_kind_no_domain_claims_cannot_be_rendered(app):
    message = OutboxMessage(kind="unclaimed", recipient="ada@example.com", context={})

    with app.app_context(), pytest.raises(MessageUnrenderable) as refusal:
        render(message)

    assert str(refusal.value) == "No renderer is registered for e-mails of kind 'unclaimed'."


def test_the_sender_renders_another_domains_message_through_its_renderer(app, smtp_server):
    register_renderer(app, ["hall_moved"], render_note)
    queue_unrendered(
        kind="hall_moved", recipient="ada@example.com", locale="en", context={"hall": 3, "to": 5}
    )
    db.session.commit()

    report = deliver_pending(now=utcnow().replace(microsecond=0) + timedelta(seconds=1))

    assert report == DeliveryReport(sent=1)
    (email,) = smtp_server.messages
    plain = email.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert (str(email["Subject"]), plain) == ("Hall 3 has moved", "Hall 3 is now Hall 5.\n")
    row = db.session.scalars(sa.select(OutboxMessage)).one()
    assert (row.status, row.subject, row.delegate_id) == (
        OutboxStatus.SENT,
        "Hall 3 has moved",
        None,
    )


def test_the_sender_gives_up_at_once_on_a_kind_nobody_renders(app, smtp_server):
    queue_unrendered(kind="unclaimed", recipient="ada@example.com", locale="en", context={})
    db.session.commit()

    report = deliver_pending(now=utcnow().replace(microsecond=0) + timedelta(seconds=1))

    assert report == DeliveryReport(failed_permanently=1)
    row = db.session.scalars(sa.select(OutboxMessage)).one()
    assert (row.status, row.last_error, smtp_server.messages) == (
        OutboxStatus.FAILED,
        "The message cannot be rendered: "
        "No renderer is registered for e-mails of kind 'unclaimed'.",
        [],
    )
