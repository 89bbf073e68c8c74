"""Writing and sending campaigns. A campaign is saved as a draft (once per compose form: its
idempotency key is unique), then queued under its row's lock (once: a queued campaign is never
queued again), one outbox message per address in one transaction of bulk inserts, paced."""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from wuzhen_events.audit import services as audit
from wuzhen_events.audit.actors import Actor
from wuzhen_events.campaigns import queries
from wuzhen_events.campaigns.mails import CAMPAIGN_KIND, campaign_context
from wuzhen_events.campaigns.models import (
    BODY_LIMIT,
    KEY_LIMIT,
    SUBJECT_LIMIT,
    Campaign,
    CampaignMessage,
)
from wuzhen_events.campaigns.placeholders import (
    BODY_PLACEHOLDERS,
    SUBJECT_PLACEHOLDERS,
    TEXT_LABELS,
    PlaceholderProblem,
    pieces,
)
from wuzhen_events.db import utcnow
from wuzhen_events.errors import DomainError, _l
from wuzhen_events.extensions import db
from wuzhen_events.mail.outbox import UnrenderedMessage, queue_unrendered_many
from wuzhen_events.mail.services import requeue_failed_messages
from wuzhen_events.program.models import Conference
from wuzhen_events.registration.directory import DelegateFilter
from wuzhen_events.transactions import write

LOGGER = logging.getLogger("wuzhen_events.campaigns")


class CampaignError(DomainError):
    """A campaign that cannot be saved or sent as asked; nothing was saved or queued."""


@dataclass(frozen=True)
class CampaignDraft:
    subject: str
    subject_zh: str
    body: str
    body_zh: str


def create_campaign(
    conference: Conference,
    draft: CampaignDraft,
    *,
    recipients: DelegateFilter,
    subforum_ids: Collection[int] | None,
    idempotency_key: str,
    created_by: int | None,
    actor: Actor,
) -> Campaign:
    """Save the draft, or answer the one this compose form already saved (its key): a form sent
    twice makes one campaign. Refused, and nothing saved, when a text is empty, too long, or
    names a placeholder that does not exist."""
    _check_texts(draft)
    key = (idempotency_key or "").strip()
    if not key or len(key) > KEY_LIMIT:
        raise CampaignError(_l("This form has expired: please open the composer again."))
    existing = queries.campaign_by_key(key)
    if existing is not None:
        return existing
    conference_id = conference.id
    try:
        with write(error=None):
            campaign = Campaign(
                conference_id=conference_id,
                subject=draft.subject,
                subject_zh=draft.subject_zh,
                body=draft.body,
                body_zh=draft.body_zh,
                recipient_filter=queries.filter_to_json(recipients, subforum_ids),
                idempotency_key=key,
                created_by=created_by,
            )
            audit.add_new(campaign, actor=actor, action="create_campaign", error=CampaignError)
    except IntegrityError:
        # The same form, sent at the same instant from another tab, saved it first.
        existing = queries.campaign_by_key(key)
        if existing is None:
            raise
        return existing
    return campaign


@dataclass(frozen=True)
class QueueResult:
    queued: int  # messages, one per address
    first_due: datetime
    last_due: datetime


def queue_campaign(campaign_id: int, *, actor: Actor, now: datetime | None = None) -> QueueResult:
    """Queue one message per address of the campaign's recipients, once. Under the campaign
    row's lock (SQLite: the write lock), so of two requests sending it at once the second finds
    it queued and is refused; every message and link row goes in with a few multi-row INSERTs.

    Messages are paced by their due time: at most MAIL_CAMPAIGN_RATE_PER_MINUTE, spread
    evenly, starting after the messages of earlier campaigns that still wait."""
    now = now or utcnow()
    interval = queries.campaign_interval()
    with write():
        campaign = db.session.scalar(
            sa.select(Campaign)
            .where(Campaign.id == campaign_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        if campaign is None:
            raise CampaignError(_l("This e-mail no longer exists."))
        if campaign.queued_at is not None:
            raise CampaignError(
                _l("This e-mail has been sent already: it was not queued a second time.")
            )
        wanted, scope = queries.campaign_filter(campaign)
        found = queries.recipients(campaign.conference_id, wanted, subforum_ids=scope)
        if not found:
            raise CampaignError(
                _l("No delegate matches this e-mail's recipients: nothing was sent.")
            )
        last_slot = db.session.scalar(sa.select(queries.last_campaign_slot()))
        start = max(now, last_slot + interval) if last_slot is not None else now
        context = campaign_context(campaign)
        due = [start + position * interval for position in range(len(found))]
        message_ids = queue_unrendered_many(
            [
                UnrenderedMessage(
                    kind=CAMPAIGN_KIND,
                    recipient=recipient.email,
                    locale=recipient.locale,
                    context=context,
                    due_at=due_at,
                    delegate_id=recipient.delegate_id,
                    bulk=True,
                )
                for recipient, due_at in zip(found, due, strict=True)
            ]
        )
        db.session.execute(
            sa.insert(CampaignMessage),
            [
                {
                    "campaign_id": campaign.id,
                    "outbox_message_id": message_id,
                    "delegate_id": recipient.delegate_id,
                    "email": recipient.address,
                }
                for recipient, message_id in zip(found, message_ids, strict=True)
            ],
        )
        before = audit.snapshot(campaign)
        campaign.queued_at = now
        campaign.recipient_count = len(found)
        audit.changed(actor, "queue_campaign", campaign, before)
    LOGGER.info("%s queued campaign %s to %s addresses", actor, campaign_id, len(found))
    return QueueResult(queued=len(found), first_due=due[0], last_due=due[-1])


def retry_failed_campaign_messages(
    campaign: Campaign, *, actor: Actor, now: datetime | None = None
) -> int:
    """Send the campaign's failed messages again, paced like the first time; the outbox records
    each message's requeue and this records the campaign's. Returns how many."""
    now = now or utcnow()
    campaign_id = campaign.id
    with write():
        failed = queries.failed_message_ids(campaign_id)
        if not failed:
            return 0
        last_slot = db.session.scalar(sa.select(queries.last_campaign_slot()))
        interval = queries.campaign_interval()
        start = max(now, last_slot + interval) if last_slot is not None else now
        # The campaign's entry first: the requeue of each message follows from it.
        audit.record(
            actor,
            "retry_failed_campaign_messages",
            Campaign.__tablename__,
            campaign_id,
            {"failed": len(failed)},
            {"failed": 0},
        )
        count = requeue_failed_messages(
            actor=actor, message_ids=failed, now=start, spacing=interval
        )
    return count


def _check_texts(draft: CampaignDraft) -> None:
    limits = {"subject": SUBJECT_LIMIT, "subject_zh": SUBJECT_LIMIT}
    for column, label in TEXT_LABELS.items():
        text = getattr(draft, column)
        if not (text or "").strip():
            raise CampaignError(_l("Please write the %(field)s.", field=label), field=column)
        limit = limits.get(column, BODY_LIMIT)
        if len(text) > limit:
            raise CampaignError(
                _l(
                    "The %(field)s can have at most %(limit)d characters.", field=label, limit=limit
                ),
                field=column,
            )
        allowed = SUBJECT_PLACEHOLDERS if column.startswith("subject") else BODY_PLACEHOLDERS
        try:
            pieces(text, allowed)
        except PlaceholderProblem as problem:
            names = ", ".join(f"{{{name}}}" for name in allowed)
            if problem.placeholder is None:
                raise CampaignError(
                    _l(
                        "The %(field)s has a brace that opens or closes no placeholder: "
                        "write {{ or }} for a brace itself. Placeholders: %(allowed)s.",
                        field=label,
                        allowed=names,
                    ),
                    field=column,
                ) from None
            raise CampaignError(
                _l(
                    "The %(field)s uses {%(placeholder)s}, which is not a placeholder. "
                    "Placeholders: %(allowed)s.",
                    field=label,
                    placeholder=problem.placeholder,
                    allowed=names,
                ),
                field=column,
            ) from None
