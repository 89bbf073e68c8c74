"""A campaign delivered to a real SMTP server (aiosmtpd): each delegate's language, their own
link, and the pace: campaign messages spread a minute apart at a rate of one a minute, while a
registration e-mail queued after the campaign goes out in the first run."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.campaigns.helpers import delegates, draft
from tests.factories import OPERATOR
from tests.helpers.registration import details
from tests.helpers.smtp import PUBLIC_BASE_URL, SmtpServer
from wuzhen_events.campaigns.services import queue_campaign
from wuzhen_events.db import utcnow
from wuzhen_events.extensions import db
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.mail.sender import DeliveryReport, deliver_pending
from wuzhen_events.registration import services as registration

MINUTE = timedelta(minutes=1)


@pytest.fixture
def smtp_server(app):
    app.config["PUBLIC_BASE_URL"] = PUBLIC_BASE_URL
    server = SmtpServer()
    server.start()
    app.config["MAIL_URL"] = server.url
    yield server
    server.stop()


def test_a_campaign_arrives_in_each_language_at_its_pace(app, smtp_server, client):
    world = delegates()
    # The registrations' own confirmations went out already.
    db.session.execute(sa.update(OutboxMessage).values(status=OutboxStatus.SENT))
    db.session.commit()
    app.config["MAIL_CAMPAIGN_RATE_PER_MINUTE"] = 1
    start = utcnow()
    queue_campaign(draft(world.conference).id, actor=OPERATOR, now=start)
    # Registered after the campaign was queued: its confirmation must not wait behind it.
    registration.register_delegate(
        world.conference, details("late@example.com"), email_verified=True, actor=OPERATOR
    )

    first = deliver_pending(now=utcnow())
    second = deliver_pending(now=start + MINUTE)
    third = deliver_pending(now=start + 2 * MINUTE)
    nothing_left = deliver_pending(now=start + 10 * MINUTE)

    assert (first, second, third, nothing_left) == (
        DeliveryReport(sent=2),
        DeliveryReport(sent=1),
        DeliveryReport(sent=1),
        DeliveryReport(),
    )
    received = smtp_server.mailbox.received
    assert [message.rcpt_tos for message in received] == [
        ["late@example.com"],  # a person's own e-mail before a mailing's
        ["ada@example.com"],
        ["li.wei@example.cn"],
        ["press@example.org"],
    ]
    english, chinese = received[1].message, received[2].message
    assert (str(english["Subject"]), english["Content-Language"]) == (
        "Your badge, Ada Lovelace",
        "en",
    )
    assert (str(chinese["Subject"]), chinese["Content-Language"]) == ("李伟，您的证件", "zh-Hans")
    english_text = english.get_body(("plain",)).get_content().replace("\r\n", "\n")
    chinese_text = chinese.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert english_text.startswith("Dear Ada Lovelace,\n\nDear guests,\n\nBadges are ready.\n")
    assert chinese_text.startswith("尊敬的李伟：\n\n各位来宾：\n\n证件已备好。\n")
    links = [
        next(line for line in text.splitlines() if PUBLIC_BASE_URL in line).split("：")[-1]
        for text in (english_text, chinese_text)
    ]
    links = [link.removeprefix("Manage: ") for link in links]
    assert all(link.startswith(f"{PUBLIC_BASE_URL}/me/") for link in links)
    assert links[0] != links[1]
    assert f'<a href="{links[1]}"' in chinese.get_body(("html",)).get_content()
    # Each link opens its delegate's own page.
    assert "Ada Lovelace" in client.get(links[0].removeprefix(PUBLIC_BASE_URL)).get_data(
        as_text=True
    )


def test_after_an_outage_a_registration_e_mail_goes_before_the_campaign_backlog(app, smtp_server):
    world = delegates()
    db.session.execute(sa.update(OutboxMessage).values(status=OutboxStatus.SENT))
    db.session.commit()
    start = utcnow()
    queue_campaign(draft(world.conference).id, actor=OPERATOR, now=start)
    registration.register_delegate(
        world.conference, details("late@example.com"), email_verified=True, actor=OPERATOR
    )

    # The sender was down for ten minutes: the whole campaign is due, and so is the confirmation.
    report = deliver_pending(now=start + 10 * MINUTE, limit=1)

    assert report == DeliveryReport(sent=1)
    assert [received.rcpt_tos for received in smtp_server.mailbox.received] == [
        ["late@example.com"]
    ]
