"""Delegates to write to, and campaigns written as an organizer would."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from tests import factories
from tests.factories import OPERATOR
from tests.helpers.registration import details
from wuzhen_events.campaigns.services import CampaignDraft, create_campaign
from wuzhen_events.extensions import db
from wuzhen_events.program.models import Conference
from wuzhen_events.registration import services as registration
from wuzhen_events.registration.directory import DelegateFilter
from wuzhen_events.registration.enums import DelegateCategory, DelegateStatus
from wuzhen_events.registration.models import Delegate

DRAFT = CampaignDraft(
    subject="Your badge, {name}",
    subject_zh="{name}，您的证件",
    body="Dear guests,\n\nBadges are ready.\nManage: {manage_link}",
    body_zh="各位来宾：\n\n证件已备好。\n管理：{manage_link}",
)


@dataclass
class Delegates:
    conference: Conference
    ada: Delegate  # English
    li: Delegate  # Chinese, with a Chinese name
    media: Delegate  # English, category media


def delegates() -> Delegates:
    conference = factories.make_conference()

    def register(email, **fields):
        return registration.register_delegate(
            conference, details(email, **fields), email_verified=True, actor=OPERATOR
        ).delegate

    ada = register("ada@example.com", name="Ada Lovelace")
    li = register("li.wei@example.cn", name="Li Wei", name_zh="李伟", locale="zh")
    media = register("press@example.org", name="Press Desk", category=DelegateCategory.MEDIA)
    return Delegates(conference, ada, li, media)


EVERYONE = DelegateFilter()


def draft(conference, *, key=None, recipients=EVERYONE, texts=DRAFT, actor=OPERATOR):
    return create_campaign(
        conference,
        texts,
        recipients=recipients,
        subforum_ids=None,
        idempotency_key=key or secrets.token_hex(8),
        created_by=None,
        actor=actor,
    )


def add_delegates(conference: Conference, count: int, *, start: int = 0) -> None:
    """`count` confirmed delegates in one INSERT, for the sizes the services must handle."""
    rows = [
        {
            "conference_id": conference.id,
            "name": f"Delegate {number}",
            "name_zh": "",
            "email": f"delegate{number}@example.com",
            "organisation": "Demo",
            "job_title": "",
            "country": "CN",
            "category": DelegateCategory.ENTERPRISE,
            "status": DelegateStatus.CONFIRMED,
            "locale": "zh" if number % 2 else "en",
            "manage_seed": f"m{number:031d}",
            "manage_token_hash": f"m{number:063d}",
            "feed_seed": f"f{number:031d}",
            "feed_token_hash": f"f{number:063d}",
            "checkin_seed": f"c{number:031d}",
            "checkin_code_hash": f"c{number:063d}",
        }
        for number in range(start, start + count)
    ]
    db.session.execute(sa.insert(Delegate), rows)
    db.session.commit()
