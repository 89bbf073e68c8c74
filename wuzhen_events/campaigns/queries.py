"""Reads for the campaign pages and the services: who a campaign goes to (the delegates table's
filter, one message per address), its messages' states, and its log."""

from __future__ import annotations

import enum
import types
import typing
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, fields
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from wuzhen_events.campaigns.models import Campaign, CampaignMessage
from wuzhen_events.extensions import db
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.pagination import Page, paginate
from wuzhen_events.registration.directory import DelegateFilter, delegate_query
from wuzhen_events.registration.models import Delegate
from wuzhen_events.text import normalise_email

SCOPE_KEY = "subforum_ids"  # beside the filter's own fields in Campaign.recipient_filter
LOG_PAGE_SIZE = 100
DEFAULT_RATE_PER_MINUTE = 60


@dataclass(frozen=True)
class Recipient:
    delegate_id: int
    email: str  # as the delegate gave it
    locale: str

    @property
    def address(self) -> str:
        return normalise_email(self.email)


@dataclass(frozen=True)
class CampaignSummary:
    campaign: Campaign
    counts: dict[OutboxStatus, int]


def filter_to_json(wanted: DelegateFilter, subforum_ids: Collection[int] | None) -> dict[str, Any]:
    """What Campaign.recipient_filter stores: the filter's fields, enums by value, and the scope
    of the account that wrote it."""
    stored: dict[str, Any] = {
        item.name: _json(getattr(wanted, item.name)) for item in fields(DelegateFilter)
    }
    stored[SCOPE_KEY] = None if subforum_ids is None else sorted(subforum_ids)
    return stored


def filter_from_json(stored: dict[str, Any]) -> tuple[DelegateFilter, frozenset[int] | None]:
    """The filter and scope back from JSON; a field the filter no longer has is left out."""
    hints = typing.get_type_hints(DelegateFilter)
    values = {}
    for item in fields(DelegateFilter):
        if item.name in stored:
            values[item.name] = _from_json(stored[item.name], hints[item.name])
    scope = stored.get(SCOPE_KEY)
    return DelegateFilter(**values), None if scope is None else frozenset(scope)


def campaign_filter(campaign: Campaign) -> tuple[DelegateFilter, frozenset[int] | None]:
    return filter_from_json(campaign.recipient_filter or {})


def _recipient_query(
    conference_id: int, wanted: DelegateFilter, subforum_ids: Collection[int] | None
) -> sa.Select:
    """The filter's delegates who can receive e-mail: not erased, with an address."""
    return delegate_query(conference_id, wanted, subforum_ids=subforum_ids).where(
        Delegate.erased_at.is_(None), Delegate.email != ""
    )


def recipients(
    conference_id: int, wanted: DelegateFilter, *, subforum_ids: Collection[int] | None = None
) -> list[Recipient]:
    """One per address, in the filter's order: of delegates sharing an address, the first one
    (their name and language) is written to. Columns only, no ORM objects: 100,000 rows stay
    cheap."""
    query = _recipient_query(conference_id, wanted, subforum_ids).with_only_columns(
        Delegate.id, Delegate.email, Delegate.locale, maintain_column_froms=True
    )
    found: dict[str, Recipient] = {}
    for delegate_id, email, locale in db.session.execute(query):
        recipient = Recipient(delegate_id, email, locale or "en")
        found.setdefault(recipient.address, recipient)
    return list(found.values())


def recipient_count(
    conference_id: int, wanted: DelegateFilter, *, subforum_ids: Collection[int] | None = None
) -> int:
    """How many e-mails the filter would queue (distinct addresses), in one query."""
    delegates = _recipient_query(conference_id, wanted, subforum_ids).order_by(None).subquery()
    return (
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(sa.func.lower(sa.func.trim(delegates.c.email)))))
        )
        or 0
    )


def preview_candidates(
    conference_id: int,
    wanted: DelegateFilter,
    *,
    subforum_ids: Collection[int] | None = None,
    limit: int = 50,
) -> list[Delegate]:
    """The first recipients, to choose whose e-mail the preview shows."""
    query = _recipient_query(conference_id, wanted, subforum_ids).limit(limit)
    return list(db.session.scalars(query))


def preview_recipient(campaign: Campaign, delegate_id: int | None) -> Delegate | None:
    """The delegate asked for if the campaign goes to them, else its first recipient."""
    wanted, scope = campaign_filter(campaign)
    query = _recipient_query(campaign.conference_id, wanted, scope)
    if delegate_id is not None:
        chosen = db.session.scalar(query.where(Delegate.id == delegate_id).limit(1))
        if chosen is not None:
            return chosen
    return db.session.scalar(query.limit(1))


def campaign_by_key(idempotency_key: str) -> Campaign | None:
    return db.session.scalar(sa.select(Campaign).where(Campaign.idempotency_key == idempotency_key))


def message_counts(campaign_ids: Iterable[int]) -> dict[int, dict[OutboxStatus, int]]:
    """Messages per state of each campaign, in one grouped query; every state present, 0 or not."""
    ids = list(campaign_ids)
    counts: dict[int, Counter[OutboxStatus]] = {campaign_id: Counter() for campaign_id in ids}
    if ids:
        rows = db.session.execute(
            sa.select(CampaignMessage.campaign_id, OutboxMessage.status, sa.func.count())
            .join(OutboxMessage, OutboxMessage.id == CampaignMessage.outbox_message_id)
            .where(CampaignMessage.campaign_id.in_(ids))
            .group_by(CampaignMessage.campaign_id, OutboxMessage.status)
        )
        for campaign_id, status, count in rows:
            counts[campaign_id][OutboxStatus(status)] += count
    return {
        campaign_id: {status: counter[status] for status in OutboxStatus}
        for campaign_id, counter in counts.items()
    }


def campaign_summaries(conference_id: int) -> list[CampaignSummary]:
    """Every campaign, newest first, with its messages' states: two queries."""
    campaigns = list(
        db.session.scalars(
            sa.select(Campaign)
            .where(Campaign.conference_id == conference_id)
            .order_by(Campaign.created_at.desc(), Campaign.id.desc())
        )
    )
    counts = message_counts(campaign.id for campaign in campaigns)
    return [CampaignSummary(campaign, counts[campaign.id]) for campaign in campaigns]


def campaign_log(campaign: Campaign, *, status: OutboxStatus | None, page: int) -> Page:
    """The campaign's messages, failed ones first, then by address; one page of them."""
    failed_first = sa.case((OutboxMessage.status == OutboxStatus.FAILED, 0), else_=1)
    query = (
        sa.select(OutboxMessage)
        .join(CampaignMessage, CampaignMessage.outbox_message_id == OutboxMessage.id)
        .where(CampaignMessage.campaign_id == campaign.id)
        .order_by(failed_first, OutboxMessage.recipient, OutboxMessage.id)
    )
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return paginate(query, page, LOG_PAGE_SIZE, past_last="last")


def failed_message_ids(campaign_id: int) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage.id)
            .join(CampaignMessage, CampaignMessage.outbox_message_id == OutboxMessage.id)
            .where(
                CampaignMessage.campaign_id == campaign_id,
                OutboxMessage.status == OutboxStatus.FAILED,
            )
            .order_by(OutboxMessage.id)
        )
    )


def last_campaign_slot() -> sa.ScalarSelect:
    """When the last campaign message still waiting is due: a new campaign queues after it, so
    two campaigns together keep the pace of one."""
    return (
        sa.select(sa.func.max(OutboxMessage.next_attempt_at))
        .join(CampaignMessage, CampaignMessage.outbox_message_id == OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.PENDING)
        .scalar_subquery()
    )


def campaign_interval() -> timedelta:
    """The time between two messages of campaigns: a minute over MAIL_CAMPAIGN_RATE_PER_MINUTE."""
    rate = current_app.config.get("MAIL_CAMPAIGN_RATE_PER_MINUTE") or DEFAULT_RATE_PER_MINUTE
    try:
        rate = float(rate)
    except (TypeError, ValueError):
        rate = DEFAULT_RATE_PER_MINUTE
    if not rate > 0:
        rate = DEFAULT_RATE_PER_MINUTE
    return timedelta(minutes=1) / rate


def _json(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _from_json(value: Any, hint: Any) -> Any:
    """An enum member from its value when the field's type holds an enum; a value it no longer
    knows is dropped (None), like a bad value in the table's own query string."""
    if value is None:
        return None
    options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    for option in options:
        if isinstance(option, type) and issubclass(option, enum.Enum):
            try:
                return option(value)
            except ValueError:
                return None
    return value
