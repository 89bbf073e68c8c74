"""Who renders a message queued unrendered: each domain registers a renderer for its kinds from
create_app, so the outbox and its sender know no domain and no template of theirs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask import Flask, current_app

from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.mail.outbox import Attachment

RENDERERS = "wuzhen_events.mail.renderers"


class MessageUnrenderable(ValueError):
    """What the message is about no longer exists (a deleted delegate or subforum)."""


class MessageSuperseded(Exception):
    """An earlier e-mail, rendered after this one was queued, already told everything it says."""


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text_body: str
    html_body: str
    attachments: list[Attachment]
    # Subforums the e-mail lists as confirmed seats: a promotion it already shows needs no e-mail.
    shown_seats: list[int] = field(default_factory=list)


Renderer = Callable[[OutboxMessage], RenderedMessage]


def register_renderer(app: Flask, kinds: Iterable[str], renderer: Renderer) -> None:
    """The sender renders messages of `kinds` with `renderer`; a kind has one renderer."""
    renderers = app.extensions.setdefault(RENDERERS, {})
    for kind in map(str, kinds):
        if renderers.get(kind, renderer) is not renderer:
            raise ValueError(f"E-mails of kind {kind!r} already have a renderer.")
        renderers[kind] = renderer


def render(message: OutboxMessage) -> RenderedMessage:
    """The message as its domain renders it now; unrenderable when no domain claims its kind."""
    renderer = current_app.extensions.get(RENDERERS, {}).get(message.kind)
    if renderer is None:
        raise MessageUnrenderable(
            f"No renderer is registered for e-mails of kind {message.kind!r}."
        )
    return renderer(message)
