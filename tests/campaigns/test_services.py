"""Campaigns: saved once per compose form, queued once per address in each delegate's language,
paced, audited; refused with nothing saved when a text is wrong."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.campaigns.helpers import add_delegates, delegates, draft
from tests.factories import OPERATOR, count_rows
from tests.helpers.apps import TEST_DATABASE_URL
from tests.helpers.queries import count_queries
from tests.helpers.threads import run_together
from wuzhen_events.audit.actors import Actor
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.campaigns.mails import CAMPAIGN_KIND, render_campaign_message
from wuzhen_events.campaigns.models import Campaign, CampaignMessage
from wuzhen_events.campaigns.services import (
    CampaignDraft,
    CampaignError,
    queue_campaign,
    retry_failed_campaign_messages,
)
from wuzhen_events.extensions import db
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.registration.directory import DelegateFilter
from wuzhen_events.registration.enums import DelegateCategory
from wuzhen_events.registration.models import Delegate

NOW = datetime(2018, 11, 1, 8, 0, tzinfo=UTC)
ORGANIZER = Actor.cli("organizer")


def campaign_rows() -> list[tuple]:
    db.session.rollback()
    return [
        (m.recipient, m.locale, m.delegate_id, m.context, m.status, m.next_attempt_at)
        for m in db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.kind == CAMPAIGN_KIND)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        )
    ]


def entries(object_type: str) -> list[tuple]:
    db.session.rollback()
    return [
        (e.actor_label, e.action, e.fields, e.before, e.after)
        for e in db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.object_type == object_type)
            .order_by(AuditEntry.id)
        )
    ]


@pytest.fixture
def world(app):
    return delegates()


def test_queueing_makes_one_message_per_delegate_in_their_language_paced_a_second_apart(world):
    campaign = draft(world.conference)

    result = queue_campaign(campaign.id, actor=ORGANIZER, now=NOW)

    context = {"campaign_id": campaign.id}
    second = timedelta(seconds=1)
    assert campaign_rows() == [
        ("ada@example.com", "en", world.ada.id, context, OutboxStatus.PENDING, NOW),
        ("li.wei@example.cn", "zh", world.li.id, context, OutboxStatus.PENDING, NOW + second),
        (
            "press@example.org",
            "en",
            world.media.id,
            context,
            OutboxStatus.PENDING,
            NOW + 2 * second,
        ),
    ]
    assert (result.queued, result.first_due, result.last_due) == (3, NOW, NOW + 2 * second)
    links = db.session.execute(
        sa.select(CampaignMessage.delegate_id, CampaignMessage.email).order_by(CampaignMessage.id)
    ).all()
    assert links == [
        (world.ada.id, "ada@example.com"),
        (world.li.id, "li.wei@example.cn"),
        (world.media.id, "press@example.org"),
    ]
    stored = db.session.get(Campaign, campaign.id)
    assert (stored.queued_at, stored.recipient_count) == (NOW, 3)


def test_only_the_filtered_delegates_receive_it(world):
    campaign = draft(world.conference, recipients=DelegateFilter(category=DelegateCategory.MEDIA))

    queue_campaign(campaign.id, actor=ORGANIZER, now=NOW)

    assert [row[0] for row in campaign_rows()] == ["press@example.org"]


def test_two_delegates_sharing_an_address_receive_one_message(world):
    # A row kept from before addresses were stored in lower case.
    db.session.execute(
        sa.update(Delegate).where(Delegate.id == world.media.id).values(email=" ADA@example.com")
    )
    db.session.commit()
    campaign = draft(world.conference)

    result = queue_campaign(campaign.id, actor=ORGANIZER, now=NOW)

    assert result.queued == 2
    assert [row[:3] for row in campaign_rows()] == [
        ("ada@example.com", "en", world.ada.id),
        ("li.wei@example.cn", "zh", world.li.id),
    ]


def test_erased_delegates_receive_nothing(world):
    from wuzhen_events.registration.services import erase_registration

    erase_registration(db.session.get(Delegate, world.media.id), actor=OPERATOR)
    campaign = draft(world.conference)

    queue_campaign(campaign.id, actor=ORGANIZER, now=NOW)

    assert [row[0] for row in campaign_rows()] == ["ada@example.com", "li.wei@example.cn"]


def test_the_same_compose_form_saves_one_campaign(world):
    first = draft(world.conference, key="form-1")
    second = draft(world.conference, key="form-1")

    assert (second.id, count_rows(Campaign)) == (first.id, 1)
    assert [entry[1] for entry in entries("campaigns")] == ["create_campaign"]


def test_sending_twice_queues_nothing_the_second_time(world):
    campaign = draft(world.conference)
    queue_campaign(campaign.id, actor=ORGANIZER, now=NOW)

    with pytest.raises(CampaignError) as refused:
        queue_campaign(campaign.id, actor=ORGANIZER, now=NOW + timedelta(minutes=5))

    assert refused.value.message == (
        "This e-mail has been sent already: it was not queued a second time."
    )
    assert len(campaign_rows()) == 3
    assert count_rows(CampaignMessage) == 3


def test_a_campaign_nobody_matches_queues_nothing(world):
    campaign = draft(world.conference, recipients=DelegateFilter(country="FR"))

    with pytest.raises(CampaignError) as refused:
        queue_campaign(campaign.id, actor=ORGANIZER, now=NOW)

    assert refused.value.message == (
        "No delegate matches this e-mail's recipients: nothing was sent."
    )
    assert db.session.get(Campaign, campaign.id).queued_at is None
    assert campaign_rows() == []


def test_a_second_campaign_is_paced_after_the_first_and_registration_mail_is_not(app, world):
    app.config["MAIL_CAMPAIGN_RATE_PER_MINUTE"] = 30  # one every two seconds
    queue_campaign(draft(world.conference).id, actor=ORGANIZER, now=NOW)

    queue_campaign(draft(world.conference).id, actor=ORGANIZER, now=NOW)

    assert [row[-1] for row in campaign_rows()] == [
        NOW + timedelta(seconds=2 * position) for position in range(6)
    ]
    # A registration's own e-mail is due at once, not behind the campaigns.
    confirmation = db.session.scalar(
        sa.select(OutboxMessage)
        .where(OutboxMessage.kind != CAMPAIGN_KIND)
        .order_by(OutboxMessage.id)
    )
    assert confirmation.next_attempt_at <= confirmation.created_at


def test_queueing_records_the_campaign_and_its_sending_by_the_organizer(world):
    campaign = draft(world.conference, key="audited", actor=ORGANIZER)

    queue_campaign(campaign.id, actor=ORGANIZER, now=NOW)

    (created, queued) = entries("campaigns")
    assert created[:2] == ("cli:organizer", "create_campaign")
    assert created[4]["subject"] == "Your badge, {name}"
    assert created[4]["idempotency_key"] == "audited"
    assert queued == (
        "cli:organizer",
        "queue_campaign",
        ["queued_at", "recipient_count"],
        {"queued_at": None, "recipient_count": 0},
        {"queued_at": NOW.isoformat(), "recipient_count": 3},
    )


def test_queueing_1500_addresses_is_one_transaction_of_a_few_statements(app, world):
    add_delegates(world.conference, 1500)
    campaign = draft(world.conference)

    with count_queries(db.engine) as log:
        result = queue_campaign(campaign.id, actor=ORGANIZER, now=NOW)

    assert result.queued == 1503
    assert count_rows(CampaignMessage) == 1503
    # Lock, recipients, last slot, the outbox and link INSERTs (batched by the driver's
    # parameter limit), the campaign's UPDATE and its audit entry.
    assert log.count <= 20


@pytest.mark.parametrize(
    ("texts", "message", "field"),
    [
        (
            CampaignDraft("", "主题", "Body", "正文"),
            "Please write the English subject.",
            "subject",
        ),
        (
            CampaignDraft("Subject", "主题", "Body", "   "),
            "Please write the Chinese message.",
            "body_zh",
        ),
        (
            CampaignDraft("Subject", "主题", "x" * 20_001, "正文"),
            "The English message can have at most 20000 characters.",
            "body",
        ),
        (
            CampaignDraft("Subject", "主题", "Hello {nmae}", "正文"),
            "The English message uses {nmae}, which is not a placeholder. "
            "Placeholders: {name}, {manage_link}.",
            "body",
        ),
        (
            CampaignDraft("Hi {manage_link}", "主题", "Body", "正文"),
            "The English subject uses {manage_link}, which is not a placeholder. "
            "Placeholders: {name}.",
            "subject",
        ),
        (
            CampaignDraft("Subject", "主题", "Body", "您好 {name"),
            "The Chinese message has a brace that opens or closes no placeholder: write {{ or }} "
            "for a brace itself. Placeholders: {name}, {manage_link}.",
            "body_zh",
        ),
    ],
    ids=[
        "empty-subject",
        "blank-body",
        "huge-body",
        "unknown-placeholder",
        "link-in-subject",
        "brace",
    ],
)
def test_a_wrong_text_is_refused_and_nothing_is_saved(world, texts, message, field):
    with pytest.raises(CampaignError) as refused:
        draft(world.conference, texts=texts)

    assert (refused.value.message, refused.value.field) == (message, field)
    assert count_rows(Campaign) == 0


def test_each_delegate_reads_their_language_their_name_and_their_own_link(app, client, world):
    app.config["PUBLIC_BASE_URL"] = "https://events.example"
    queue_campaign(draft(world.conference).id, actor=ORGANIZER, now=NOW)
    messages = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.kind == CAMPAIGN_KIND)
        .order_by(OutboxMessage.id)
    ).all()

    english, chinese = (render_campaign_message(message) for message in messages[:2])

    assert english.subject == "Your badge, Ada Lovelace"
    assert chinese.subject == "李伟，您的证件"
    english_link = english.text_body.split("Manage: ")[1].split("\n")[0]
    chinese_link = chinese.text_body.split("管理：")[1].split("\n")[0]
    assert english.text_body == (
        "Dear Ada Lovelace,\n\nDear guests,\n\nBadges are ready.\nManage: "
        f"{english_link}\n\nThe World Internet Conference 2018 team\n\n-- \n"
        "You receive this e-mail because this address was used to register for the Fifth "
        "World Internet Conference, Wuzhen, 7–9 November 2018."
    )
    assert chinese.text_body.startswith(
        "尊敬的李伟：\n\n各位来宾：\n\n证件已备好。\n管理：https://"
    )
    assert english_link != chinese_link
    for link, name in ((english_link, "Ada Lovelace"), (chinese_link, "Li Wei")):
        assert link.startswith("https://events.example/me/")
        page = client.get(link.removeprefix("https://events.example"))
        assert page.status_code == 200
        assert name in page.get_data(as_text=True)
    assert (
        f'<a href="{english_link}" style="color:#0b4f8a;">{english_link}</a>' in english.html_body
    )
    # No link is stored with the campaign or its messages' context.
    assert english_link not in str(entries("campaigns"))
    assert {str(message.context) for message in messages} == {
        str({"campaign_id": messages[0].context["campaign_id"]})
    }


def test_html_in_the_text_is_escaped_in_the_html_part(world):
    texts = CampaignDraft(
        "<b>News</b>", "新闻", "<script>alert(1)</script>\nA & B", "正文 <i>x</i>"
    )
    queue_campaign(draft(world.conference, texts=texts).id, actor=ORGANIZER, now=NOW)
    message = db.session.scalar(
        sa.select(OutboxMessage)
        .where(OutboxMessage.kind == CAMPAIGN_KIND)
        .order_by(OutboxMessage.id)
    )

    rendered = render_campaign_message(message)

    assert "<script>" not in rendered.html_body
    assert (
        '<p style="margin:0 0 16px;">&lt;script&gt;alert(1)&lt;/script&gt;<br>\nA &amp; B</p>'
        in rendered.html_body
    )
    assert "<title>&lt;b&gt;News&lt;/b&gt;</title>" in rendered.html_body
    assert "<script>alert(1)</script>\nA & B" in rendered.text_body


def test_retrying_requeues_only_the_failed_ones_paced_and_audited(world):
    campaign = draft(world.conference)
    queue_campaign(campaign.id, actor=ORGANIZER, now=NOW)
    ids = db.session.scalars(
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.kind == CAMPAIGN_KIND)
        .order_by(OutboxMessage.id)
    ).all()
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids[:2]))
        .values(status=OutboxStatus.FAILED, failed_at=NOW, last_error="SMTP 550 No such user")
    )
    db.session.execute(
        sa.update(OutboxMessage).where(OutboxMessage.id == ids[2]).values(status=OutboxStatus.SENT)
    )
    db.session.commit()
    later = NOW + timedelta(hours=1)

    count = retry_failed_campaign_messages(
        db.session.get(Campaign, campaign.id), actor=ORGANIZER, now=later
    )

    assert count == 2
    db.session.rollback()
    assert [
        (m.status, m.next_attempt_at, m.failed_at)
        for m in db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
        )
    ] == [
        (OutboxStatus.PENDING, later, None),
        (OutboxStatus.PENDING, later + timedelta(seconds=1), None),
        (OutboxStatus.SENT, NOW + timedelta(seconds=2), None),
    ]
    assert entries("campaigns")[-1] == (
        "cli:organizer",
        "retry_failed_campaign_messages",
        ["failed"],
        {"failed": 2},
        {"failed": 0},
    )
    assert [e[1] for e in entries("outbox_messages")] == ["requeue_failed_messages"] * 2
    assert (
        retry_failed_campaign_messages(
            db.session.get(Campaign, campaign.id), actor=ORGANIZER, now=later
        )
        == 0
    )


def test_two_sends_at_once_queue_once(app, world):
    campaign_id = draft(world.conference).id
    db.session.remove()

    errors = run_together(app, [lambda: queue_campaign(campaign_id, actor=ORGANIZER, now=NOW)] * 2)

    assert [type(error) for error in errors] == [CampaignError]
    assert len(campaign_rows()) == 3
    assert count_rows(CampaignMessage) == 3
    assert [e[1] for e in entries("campaigns")] == ["create_campaign", "queue_campaign"]


def test_two_submits_of_one_form_at_once_save_one_campaign(app, world):
    conference_id = world.conference.id
    db.session.remove()
    saved: list[int] = []

    def submit():
        from wuzhen_events.program.models import Conference

        saved.append(draft(db.session.get(Conference, conference_id), key="same-form").id)

    errors = run_together(app, [submit, submit])

    assert errors == []
    assert len(set(saved)) == 1
    assert count_rows(Campaign) == 1


def test_the_race_runs_on_the_database_the_suite_uses():
    """Both race tests above run on PostgreSQL as well when TEST_DATABASE_URL is set."""
    assert TEST_DATABASE_URL == "" or TEST_DATABASE_URL.startswith("postgresql")


def test_erasing_a_registration_deletes_its_campaign_messages_and_address(world):
    from wuzhen_events.registration.services import erase_registration

    campaign = draft(world.conference)
    queue_campaign(campaign.id, actor=ORGANIZER, now=NOW)

    erase_registration(db.session.get(Delegate, world.ada.id), actor=OPERATOR)

    assert [row[0] for row in campaign_rows()] == ["li.wei@example.cn", "press@example.org"]
    emails = db.session.scalars(sa.select(CampaignMessage.email).order_by(CampaignMessage.id))
    assert list(emails) == ["li.wei@example.cn", "press@example.org"]
