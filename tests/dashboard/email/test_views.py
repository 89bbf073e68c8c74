"""The e-mail area: compose for a filter with its recipient count, a preview of one delegate's
e-mail, sending once, the message log and the retry of its failures; bad input refused."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from tests.campaigns.helpers import delegates
from tests.factories import count_rows
from tests.helpers.accounts import log_in, make_account
from tests.helpers.queries import count_queries
from wuzhen_events.accounts.enums import Role
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.campaigns.mails import CAMPAIGN_KIND
from wuzhen_events.campaigns.models import Campaign
from wuzhen_events.extensions import db
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.models import OutboxMessage

TEXTS = {
    "subject": "Badges, {name}",
    "subject_zh": "{name}，证件",
    "body": "Dear guests,\n\nYour badge: {manage_link}",
    "body_zh": "各位来宾：\n\n证件：{manage_link}",
}


@pytest.fixture
def world(app):
    return delegates()


@pytest.fixture
def organizer(client, world):
    account = make_account(Role.ORGANIZER)
    log_in(client, account)
    return account


def text(response) -> str:
    """What the page reads, without its tags."""
    words = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(words))


def compose(client, query="", key="form-key-1", **changes):
    return client.post(
        f"/dashboard/email/new{query}", data={**TEXTS, "idempotency_key": key, **changes}
    )


def campaign_messages() -> list[OutboxMessage]:
    db.session.rollback()
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.kind == CAMPAIGN_KIND)
            .order_by(OutboxMessage.id)
        )
    )


def test_the_composer_counts_the_filtered_recipients(client, organizer):
    everyone = client.get("/dashboard/email/new")
    media = client.get("/dashboard/email/new?category=media")

    assert everyone.status_code == media.status_code == 200
    assert "Addresses that receive this e-mail: 3 " in text(everyone)
    assert "Addresses that receive this e-mail: 1 " in text(media)
    assert re.search(
        r'name="idempotency_key" type="hidden" value="[\w-]{32}"', everyone.get_data(as_text=True)
    )


def test_saving_keeps_the_filter_and_shows_the_preview(client, organizer, world):
    response = compose(client, "?category=media")

    campaign = db.session.scalar(sa.select(Campaign))
    assert response.status_code == 303
    assert response.location == f"/dashboard/email/{campaign.id}/"
    assert campaign.recipient_filter["category"] == "media"
    assert (campaign.created_by, campaign.subject, campaign.body_zh) == (
        organizer.id,
        "Badges, {name}",
        "各位来宾：\n\n证件：{manage_link}",
    )
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.object_type == "campaigns"))
    assert (entry.actor_label, entry.action) == (f"organizer:{organizer.id}", "create_campaign")

    page = client.get(response.location)

    assert page.status_code == 200
    assert "Addresses that receive this e-mail: 1 " in text(page)
    assert "Badges, Press Desk" in text(page)
    assert "Send to every recipient (1)" in text(page)
    assert campaign_messages() == []  # a draft queues nothing


def test_the_preview_shows_the_chosen_delegate_in_their_language(client, organizer, world):
    campaign_url = compose(client).location

    page = client.get(f"{campaign_url}?recipient={world.li.id}")

    body = text(page)
    assert "李伟，证件" in body
    assert "尊敬的李伟：" in body
    assert "/me/your-private-link/" in body  # a stand-in: no delegate secret on the page
    # A delegate outside the campaign is not shown: the first recipient is.
    other = client.get(f"{campaign_url}?recipient=999999")
    assert "Badges, Ada Lovelace" in text(other)


def test_the_same_form_sent_twice_saves_one_campaign(client, organizer):
    first = compose(client, key="same")
    second = compose(client, key="same")

    assert first.location == second.location
    assert count_rows(Campaign) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"subject": ""}, "Subject in English: Please write the English subject."),
        ({"body_zh": "   "}, "Message in Chinese: Please write the Chinese message."),
        (
            {"body": "x" * 20_001},
            "Message in English: Please use at most 20000 characters (this has 20001).",
        ),
        (
            {"body": "Hello {nmae}"},
            "Message in English: The English message uses {nmae}, which is not a placeholder. "
            "Placeholders: {name}, {manage_link}.",
        ),
        (
            {"subject_zh": "{name 证件"},
            "Subject in Chinese: The Chinese subject has a brace that opens or closes no "
            "placeholder: write {{ or }} for a brace itself. Placeholders: {name}.",
        ),
        ({"subject": "Two\nlines"}, "Please write this on one line, without line breaks."),
    ],
    ids=[
        "empty-subject",
        "blank-chinese-body",
        "huge-body",
        "unknown-placeholder",
        "brace",
        "newline",
    ],
)
def test_bad_input_is_refused_and_nothing_saved(client, organizer, changes, message):
    response = compose(client, **changes)

    assert response.status_code == 422
    assert message in text(response)
    assert count_rows(Campaign) == 0


def test_an_expired_form_without_its_key_saves_nothing(client, organizer):
    response = compose(client, key="")

    assert response.status_code == 422
    assert "This form has expired: please open the composer again." in text(response)
    assert count_rows(Campaign) == 0


def test_html_in_the_body_is_shown_escaped_in_the_preview(client, organizer):
    campaign_url = compose(client, body="<script>alert('x')</script> & {name}").location

    page = client.get(campaign_url).get_data(as_text=True)

    assert "<script>alert" not in page
    # The preview's HTML sits escaped in srcdoc, and escaped again inside it.
    assert (
        "&amp;lt;script&amp;gt;alert(&amp;#39;x&amp;#39;)&amp;lt;/script&amp;gt; "
        "&amp;amp; Ada Lovelace" in page
    )


def test_sending_queues_once_and_a_second_send_says_so(client, organizer, world):
    campaign_url = compose(client).location
    send_url = f"{campaign_url}send"

    first = client.post(send_url)
    second = client.post(send_url, follow_redirects=True)

    assert first.status_code == 303
    assert [(m.recipient, m.locale) for m in campaign_messages()] == [
        ("ada@example.com", "en"),
        ("li.wei@example.cn", "zh"),
        ("press@example.org", "en"),
    ]
    assert "This e-mail has been sent already: it was not queued a second time." in text(second)


def test_the_log_counts_states_lists_failures_with_their_reason_and_retries_them(
    client, organizer, world
):
    campaign_url = compose(client).location
    client.post(f"{campaign_url}send")
    failed, sent, _pending = campaign_messages()
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == failed.id)
        .values(
            status=OutboxStatus.FAILED,
            failed_at=datetime(2018, 11, 1, tzinfo=UTC),
            last_error="SMTP 550 5.1.1 No such mailbox here",
        )
    )
    db.session.execute(
        sa.update(OutboxMessage).where(OutboxMessage.id == sent.id).values(status=OutboxStatus.SENT)
    )
    db.session.commit()

    with count_queries(db.engine) as log:
        page = client.get(campaign_url)

    body = text(page)
    assert "Waiting: 1 Sent: 1 Failed: 1 Not needed: 0" in body
    assert "ada@example.com Failed 0 SMTP 550 5.1.1 No such mailbox here" in body
    assert log.count <= 8
    only_failed = text(client.get(f"{campaign_url}?state=failed"))
    assert "Messages 1–1 of 1" in only_failed

    retried = client.post(f"{campaign_url}retry", follow_redirects=True)

    assert "1 failed e-mails will be sent again." in text(retried)
    assert [m.status for m in campaign_messages()] == [
        OutboxStatus.PENDING,
        OutboxStatus.SENT,
        OutboxStatus.PENDING,
    ]
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "retry_failed_campaign_messages")
    )
    assert entry.actor_label == f"organizer:{organizer.id}"
    again = client.post(f"{campaign_url}retry", follow_redirects=True)
    assert "No e-mail of this campaign has failed: nothing to send again." in text(again)


def test_the_index_lists_campaigns_with_their_counts(client, organizer):
    campaign_url = compose(client).location
    client.post(f"{campaign_url}send")
    compose(client, key="second", subject="Draft only")

    body = text(client.get("/dashboard/email/"))

    assert "Draft only Draft 0 0 0 0 0" in body
    assert "Badges, {name} Queued 3 3 0 0 0" in body


@pytest.mark.parametrize("url", ["/dashboard/email/999999/", "/dashboard/email/99999999999/"])
def test_an_unknown_campaign_is_not_found(client, organizer, url):
    assert client.get(url).status_code == 404


def test_a_host_or_viewer_cannot_write_to_delegates(client, world):
    log_in(client, make_account(Role.VIEWER))

    assert client.get("/dashboard/email/new").status_code == 403
    assert compose(client).status_code == 403
    assert count_rows(Campaign) == 0


def test_two_tabs_sending_at_once_queue_once(app, client, organizer):
    from tests.helpers.threads import run_together

    campaign_url = compose(client).location
    signed_in = SimpleNamespace(get_id=(lambda user_id: lambda: user_id)(organizer.get_id()))
    db.session.remove()
    answers: list[int] = []

    def send_from_a_tab():
        tab = app.test_client()
        log_in(tab, signed_in)
        answers.append(tab.post(f"{campaign_url}send").status_code)

    errors = run_together(app, [send_from_a_tab, send_from_a_tab])

    assert (errors, answers) == ([], [303, 303])
    assert len(campaign_messages()) == 3
    queued = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.action == "queue_campaign")
    ).all()
    assert queued == ["queue_campaign"]


def test_two_tabs_saving_one_form_at_once_save_one_campaign(app, client, organizer):
    from tests.helpers.threads import run_together

    signed_in = SimpleNamespace(get_id=(lambda user_id: lambda: user_id)(organizer.get_id()))
    db.session.remove()
    locations: list[str] = []

    def save_from_a_tab():
        tab = app.test_client()
        log_in(tab, signed_in)
        locations.append(compose(tab, key="one-form").location)

    errors = run_together(app, [save_from_a_tab, save_from_a_tab])

    assert errors == []
    assert len(set(locations)) == 1
    assert count_rows(Campaign) == 1


def test_the_composer_and_a_refusal_read_in_chinese(client, organizer):
    headers = {"Accept-Language": "zh-CN,zh;q=0.9"}

    page = client.get("/dashboard/email/new", headers=headers)
    refused = client.post(
        "/dashboard/email/new",
        data={**TEXTS, "body": "{nmae}", "idempotency_key": "zh-form"},
        headers=headers,
    )

    assert page.status_code == 200
    assert refused.status_code == 422
    assert "英文正文中的 {nmae} 不是占位符。可用的占位符：{name}, {manage_link}。" in text(refused)


def test_the_seat_filter_reads_in_the_organizers_words_as_the_delegates_table_does(
    client, organizer
):
    page = client.get("/dashboard/email/new").get_data(as_text=True)
    table = client.get("/dashboard/delegates/").get_data(as_text=True)

    def seat_options(html_text: str) -> list[str]:
        (select,) = re.findall(r'<select[^>]*name="seat"[^>]*>(.*?)</select>', html_text, re.S)
        return [html.unescape(label) for label in re.findall(r">([^<]*)</option>", select)]

    assert seat_options(page)[1:] == [
        "seat",
        "seat held, address not yet confirmed",
        "waitlisted",
        "requested, waiting for approval",
    ]
    assert seat_options(page)[1:] == seat_options(table)[1:]
