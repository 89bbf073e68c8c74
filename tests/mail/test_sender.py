"""Delivery over real SMTP (aiosmtpd on loopback): what arrives, what a failing server leaves
behind, backoff, the retry window, outages, two senders at once, and the log when no server is
configured."""

from __future__ import annotations

import logging
import smtplib
import socket
import ssl
import threading
import time
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from tests.factories import OPERATOR, reload
from tests.helpers.registration import register_ada as register
from tests.helpers.smtp import (
    PUBLIC_BASE_URL,
    SENDER_ADDRESS,
    SMTP_PASSWORD,
    SMTP_USER,
    SmtpServer,
)
from wuzhen_events.db import utcnow
from wuzhen_events.extensions import db
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.mail.outbox import queue_message
from wuzhen_events.mail.sender import (
    CLAIM_LEASE,
    DeliveryReport,
    Failure,
    MailConfigurationError,
    SmtpSettings,
    claim_due,
    classify_failure,
    compose_email,
    deliver_pending,
    parse_mail_url,
    retry_delay,
)
from wuzhen_events.registration import services
from wuzhen_events.registration.enums import DelegateCategory, DelegateMessage
from wuzhen_events.registration.mails import CALENDAR_FILENAME, queue_delegate_message

CONFIRMED_SUBJECT = "Your registration for the World Internet Conference 2018 is confirmed"


def outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def due_now() -> datetime:
    """A whole second after everything queued so far, as the Date header shows it."""
    return utcnow().replace(microsecond=0) + timedelta(seconds=1)


def content(part: EmailMessage) -> str:
    return part.get_content().replace("\r\n", "\n")


def delivery_state(message: OutboxMessage) -> tuple:
    message = reload(message)
    return (
        message.status,
        message.attempts,
        message.next_attempt_at,
        message.last_error,
        message.sent_at,
    )


@pytest.fixture
def stopped_server(mail_app):
    """A server MAIL_URL points at, not running yet: connections are refused."""
    server = SmtpServer()
    mail_app.config["MAIL_URL"] = server.url
    yield server
    server.stop()


def test_a_confirmation_arrives_as_text_html_and_calendar(mail_app, smtp_server, program):
    registration = register(program, "ada@example.com", program.fintech)
    (queued,) = outbox()
    now = due_now()

    report = deliver_pending(now=now)

    assert report == DeliveryReport(sent=1)
    (received,) = smtp_server.mailbox.received
    assert (received.mail_from, received.rcpt_tos) == (SENDER_ADDRESS, ["ada@example.com"])
    email = received.message
    assert {name: str(email[name]) for name in HEADERS} == {
        "From": "Wuzhen Events <no-reply@wuzhen-events.example>",
        "To": "ada@example.com",
        "Subject": CONFIRMED_SUBJECT,
        "Message-ID": queued.message_id,
        "Date": format_datetime(now),
        "Content-Language": "en",
        "Auto-Submitted": "auto-generated",
    }
    assert [part.get_content_type() for part in email.walk()] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    text = email.get_body(preferencelist=("plain",))
    html = email.get_body(preferencelist=("html",))
    stored = reload(queued)  # rendered right before sending, and kept as sent
    assert (content(text), content(html)) == (stored.text_body + "\n", stored.html_body + "\n")
    assert (stored.subject, stored.rendered_at) == (CONFIRMED_SUBJECT, now)
    assert f"https://events.example/me/{registration.manage_token}/" in content(text)
    (attachment,) = email.iter_attachments()
    assert (
        attachment.get_filename(),
        attachment.get_content_type(),
        attachment.get_param("method"),
    ) == (CALENDAR_FILENAME, "text/calendar", "PUBLISH")
    calendar = Calendar.from_ical(attachment.get_content())
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert [component.name for component in calendar.walk() if "ORGANIZER" in component] == []
    host = mail_app.config["CALENDAR_UID_HOST"]
    assert [str(event["UID"]) for event in calendar.walk("VEVENT")] == [
        f"wic2018-session-{session.id}@{host}" for session in program.fintech_sessions
    ]
    status, attempts, _next_attempt_at, last_error, sent_at = delivery_state(queued)
    assert (status, attempts, last_error, sent_at) == (OutboxStatus.SENT, 1, "", now)


HEADERS = ("From", "To", "Subject", "Message-ID", "Date", "Content-Language", "Auto-Submitted")


def test_a_retry_sends_the_email_rendered_for_the_first_attempt(smtp_server, program):
    registration = register(program, "ada@example.com", program.fintech)
    (queued,) = outbox()
    smtp_server.mailbox.refuse_data = "451 4.3.0 Try again later"
    now = due_now()
    assert deliver_pending(now=now) == DeliveryReport(failed_temporarily=1)
    first_try = reload(queued)

    services.update_details(
        reload(registration.delegate),
        services.DelegateDetails(
            name="Ada King",
            email="ada@example.com",
            organisation="Analytical Engines Ltd",
            country="GB",
            category=DelegateCategory.ENTERPRISE,
        ),
        actor=OPERATOR,
    )
    smtp_server.mailbox.refuse_data = None
    assert deliver_pending(now=now + timedelta(minutes=1)) == DeliveryReport(sent=1)

    (email,) = smtp_server.messages
    text = content(email.get_body(preferencelist=("plain",)))
    assert (first_try.rendered_at, text.splitlines()[0]) == (now, "Dear Ada Lovelace,")
    assert (str(email["Message-ID"]), text) == (first_try.message_id, first_try.text_body + "\n")


def test_a_message_already_rendered_when_queued_is_sent_as_stored(smtp_server, app):
    queue_message(
        kind="notice",
        recipient="ada@example.com",
        subject="Hall 3 has moved",
        text_body="Hall 3 is now Hall 5.",
        html_body="",
    )
    db.session.commit()

    assert deliver_pending(now=due_now()) == DeliveryReport(sent=1)

    (email,) = smtp_server.messages
    assert (str(email["Subject"]), content(email.get_body(preferencelist=("plain",)))) == (
        "Hall 3 has moved",
        "Hall 3 is now Hall 5.\n",
    )


def test_a_message_about_a_deleted_delegate_is_given_up_at_once(smtp_server, program):
    gone = register(program, "gone@example.com").delegate
    register(program, "ada@example.com")
    db.session.delete(reload(gone))
    db.session.commit()

    assert deliver_pending(now=due_now()) == DeliveryReport(sent=1, failed_permanently=1)

    assert [(row.recipient, row.status, row.attempts, row.last_error) for row in outbox()] == [
        (
            "gone@example.com",
            OutboxStatus.FAILED,
            1,
            "The message cannot be rendered: The delegate this e-mail is about no longer exists.",
        ),
        ("ada@example.com", OutboxStatus.SENT, 1, ""),
    ]
    assert [str(email["To"]) for email in smtp_server.messages] == ["ada@example.com"]


def test_a_chinese_delegate_receives_chinese_mail(smtp_server, program):
    register(program, "li@example.cn", program.economy, name="Li Wei", name_zh="李伟", locale="zh")

    assert deliver_pending(now=due_now()) == DeliveryReport(sent=1)

    (email,) = smtp_server.messages
    assert (str(email["Subject"]), str(email["Content-Language"])) == (
        "您的2018世界互联网大会注册已确认",
        "zh-Hans",
    )
    assert content(email.get_body(preferencelist=("plain",))).splitlines()[:3] == [
        "尊敬的李伟：",
        "",
        "感谢您注册2018年11月7日至9日在乌镇举行的第五届世界互联网大会。您的注册已确认。",
    ]


def test_markup_in_a_name_arrives_escaped_in_the_html_part(smtp_server, program):
    register(program, "mallory@example.com", name="<script>alert(1)</script>")

    deliver_pending(now=due_now())

    (email,) = smtp_server.messages
    html = content(email.get_body(preferencelist=("html",)))
    text = content(email.get_body(preferencelist=("plain",)))
    assert ("<script>" in html, "Dear &lt;script&gt;alert(1)&lt;/script&gt;," in html) == (
        False,
        True,
    )
    assert text.splitlines()[0] == "Dear <script>alert(1)</script>,"


def test_a_server_that_is_down_loses_nothing_and_the_next_run_delivers(stopped_server, program):
    register(program, "ada@example.com")
    (queued,) = outbox()
    now = due_now()
    refused = (
        f"Could not connect to 127.0.0.1:{stopped_server.port}: [Errno 111] Connection refused"
    )

    assert deliver_pending(now=now) == DeliveryReport(failed_temporarily=1)
    assert delivery_state(queued) == (
        OutboxStatus.PENDING,
        1,
        now + timedelta(minutes=1),
        refused,
        None,
    )

    assert deliver_pending(now=now + timedelta(seconds=59)) == DeliveryReport()
    assert deliver_pending(now=now + timedelta(minutes=1)) == DeliveryReport(failed_temporarily=1)
    assert delivery_state(queued) == (
        OutboxStatus.PENDING,
        2,
        now + timedelta(minutes=3),
        refused,
        None,
    )

    stopped_server.start()
    assert deliver_pending(now=now + timedelta(minutes=3)) == DeliveryReport(sent=1)
    assert [str(email["To"]) for email in stopped_server.messages] == ["ada@example.com"]
    assert delivery_state(queued)[:2] + delivery_state(queued)[3:] == (
        OutboxStatus.SENT,
        3,
        refused,  # the last failure stays on record
        now + timedelta(minutes=3),
    )


@pytest.mark.parametrize(
    ("refusal", "last_error"),
    [
        ({"refuse_data": "451 4.3.0 Try again later"}, "SMTP 451 4.3.0 Try again later"),
        (
            {"refusals": {"ada@example.com": "450 4.2.1 Mailbox busy"}},
            "SMTP 450 4.2.1 Mailbox busy",
        ),
    ],
    ids=["451-at-data", "450-at-recipient"],
)
def test_a_refusing_server_keeps_the_message_for_a_retry(smtp_server, program, refusal, last_error):
    register(program, "ada@example.com")
    (queued,) = outbox()
    for name, value in refusal.items():
        setattr(smtp_server.mailbox, name, value)
    now = due_now()

    assert deliver_pending(now=now) == DeliveryReport(failed_temporarily=1)
    assert delivery_state(queued) == (
        OutboxStatus.PENDING,
        1,
        now + timedelta(minutes=1),
        last_error,
        None,
    )

    smtp_server.mailbox.refuse_data = None
    smtp_server.mailbox.refusals = {}
    assert deliver_pending(now=now + timedelta(minutes=1)) == DeliveryReport(sent=1)
    assert [str(email["To"]) for email in smtp_server.messages] == ["ada@example.com"]


def test_one_refused_recipient_does_not_hold_up_the_others(smtp_server, program):
    register(program, "busy@example.com")
    register(program, "ada@example.com")
    smtp_server.mailbox.refusals = {"busy@example.com": "450 4.2.1 Mailbox busy"}

    assert deliver_pending(now=due_now()) == DeliveryReport(sent=1, failed_temporarily=1)

    assert [(row.recipient, row.status, row.attempts) for row in outbox()] == [
        ("busy@example.com", OutboxStatus.PENDING, 1),
        ("ada@example.com", OutboxStatus.SENT, 1),
    ]


@pytest.mark.parametrize(
    ("refusal", "last_error"),
    [
        (
            {"refusals": {"gone@example.com": "550 5.1.1 No such mailbox here"}},
            "SMTP 550 5.1.1 No such mailbox here",
        ),
        (
            {"refuse_data": "554 5.7.1 Message refused"},
            "SMTP 554 5.7.1 Message refused",
        ),
    ],
    ids=["550-at-recipient", "554-at-data"],
)
def test_a_permanent_refusal_fails_the_message_at_once_and_keeps_the_answer(
    smtp_server, program, refusal, last_error
):
    register(program, "gone@example.com")
    for name, value in refusal.items():
        setattr(smtp_server.mailbox, name, value)
    now = due_now()

    report = deliver_pending(now=now)
    later = deliver_pending(now=now + timedelta(days=1))

    assert (report, later) == (DeliveryReport(failed_permanently=1), DeliveryReport())
    assert [
        (row.status, row.attempts, row.last_error, row.sent_at, row.failed_at) for row in outbox()
    ] == [(OutboxStatus.FAILED, 1, last_error, None, now)]


def test_a_non_ascii_domain_travels_as_idna(smtp_server, program):
    register(program, "li@bücher.example")

    assert deliver_pending(now=due_now()) == DeliveryReport(sent=1)

    (received,) = smtp_server.mailbox.received
    assert (received.rcpt_tos, str(received.message["To"])) == (
        ["li@xn--bcher-kva.example"],
        "li@xn--bcher-kva.example",
    )


def test_a_non_ascii_local_part_fails_at_once_on_a_server_without_smtputf8(smtp_server, program):
    register(program, "李@example.com")

    assert deliver_pending(now=due_now()) == DeliveryReport(failed_permanently=1)
    assert [(row.status, row.attempts, row.last_error) for row in outbox()] == [
        (
            OutboxStatus.FAILED,
            1,
            "The mail server does not support SMTPUTF8, which this address needs "
            "(non-ASCII characters before the @).",
        )
    ]


def test_a_non_ascii_local_part_goes_out_through_a_server_with_smtputf8(mail_app, program):
    server = SmtpServer(smtputf8=True)
    server.start()
    mail_app.config["MAIL_URL"] = server.url
    try:
        register(program, "李@example.com")
        report = deliver_pending(now=due_now())
    finally:
        server.stop()

    assert report == DeliveryReport(sent=1)
    (received,) = server.mailbox.received
    assert (received.rcpt_tos, str(received.message["To"])) == (
        ["李@example.com"],
        "李@example.com",
    )


def retry_until_given_up(queued: OutboxMessage, now: datetime, *, runs: int) -> list[float]:
    """Run the sender each time the message is due until it fails; the waits, in minutes."""
    delays = []
    for _ in range(runs):
        report = deliver_pending(now=now)
        if report == DeliveryReport(failed_permanently=1):
            return delays
        assert report == DeliveryReport(failed_temporarily=1)
        next_attempt_at = reload(queued).next_attempt_at
        delays.append((next_attempt_at - now) / timedelta(minutes=1))
        now = next_attempt_at
    raise AssertionError(f"still pending after {runs} runs")


def test_a_server_down_for_days_is_retried_hourly_for_three_days_then_given_up(
    stopped_server, program
):
    register(program, "ada@example.com")
    (queued,) = outbox()
    first_failure = due_now()
    refused = (
        f"Could not connect to 127.0.0.1:{stopped_server.port}: [Errno 111] Connection refused"
    )

    delays = retry_until_given_up(queued, first_failure, runs=100)

    # 1, 2, 4 ... minutes, then hourly; the last try falls on the window's end (72 h = 4320 min).
    assert delays == [1, 2, 4, 8, 16, 32, *[60] * 70, 57]
    assert sum(delays) == 72 * 60
    given_up = reload(queued)
    assert (
        given_up.status,
        given_up.attempts,
        given_up.first_failed_at,
        given_up.failed_at,
        given_up.last_error,
    ) == (
        OutboxStatus.FAILED,
        78,
        first_failure,
        first_failure + timedelta(days=3),
        refused,
    )
    assert deliver_pending(now=first_failure + timedelta(days=30)) == DeliveryReport()


def test_the_retry_window_and_the_longest_wait_are_settings(mail_app, stopped_server, program):
    mail_app.config.update(MAIL_RETRY_DAYS=1, MAIL_RETRY_MAX_DELAY_MINUTES=720)
    register(program, "ada@example.com")
    (queued,) = outbox()
    first_failure = due_now()

    delays = retry_until_given_up(queued, first_failure, runs=20)

    assert delays == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 417]
    assert (reload(queued).status, reload(queued).failed_at) == (
        OutboxStatus.FAILED,
        first_failure + timedelta(days=1),
    )


def test_the_old_attempts_setting_is_ignored_and_the_log_says_so(
    mail_app, stopped_server, program, caplog
):
    mail_app.config["MAIL_MAX_ATTEMPTS"] = 2
    register(program, "ada@example.com")
    now = due_now()
    caplog.set_level(logging.WARNING, logger="wuzhen_events.mail")

    reports = [deliver_pending(now=now + timedelta(minutes=minutes)) for minutes in (0, 1, 3)]

    assert reports == [DeliveryReport(failed_temporarily=1)] * 3
    assert [(row.status, row.attempts) for row in outbox()] == [(OutboxStatus.PENDING, 3)]
    assert [
        record.getMessage()
        for record in caplog.records
        if "MAIL_MAX_ATTEMPTS" in record.getMessage()
    ] == [
        "MAIL_MAX_ATTEMPTS is no longer read: a message is retried for MAIL_RETRY_DAYS (3) "
        "from its first failure. Remove it from the configuration."
    ] * 3


@pytest.mark.parametrize(
    ("failing_for", "minutes"),
    [
        *[(-5, 1), (0, 1), (1, 2), (3, 4), (7, 8), (15, 16), (31, 32)],
        *[(58, 59), (59, 60), (63, 60), (60 * 24 * 3, 60)],
    ],
    ids=lambda value: str(value),
)
def test_retry_delay_is_a_minute_more_than_the_failing_time_up_to_an_hour(failing_for, minutes):
    assert retry_delay(timedelta(minutes=failing_for)) == timedelta(minutes=minutes)


def test_retry_delay_stops_at_the_longest_wait_it_is_given():
    longest = timedelta(minutes=5)

    delays = [retry_delay(timedelta(minutes=minutes), longest=longest) for minutes in (0, 3, 4, 9)]

    assert delays == [timedelta(minutes=minutes) for minutes in (1, 4, 5, 5)]


@pytest.mark.parametrize(
    ("error", "failure"),
    [
        (ConnectionRefusedError(111, "Connection refused"), Failure.CONNECTION),
        (TimeoutError("timed out"), Failure.CONNECTION),
        (ssl.SSLError("wrong version number"), Failure.CONNECTION),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), Failure.CONNECTION),
        (smtplib.SMTPHeloError(501, b"Syntax error"), Failure.CONNECTION),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (421, b"Closing")}), Failure.CONNECTION),
        (smtplib.SMTPSenderRefused(421, b"Closing", "s@example.com"), Failure.CONNECTION),
        (smtplib.SMTPDataError(421, b"Closing"), Failure.CONNECTION),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (450, b"Busy")}), Failure.TEMPORARY),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (452, b"Full")}), Failure.TEMPORARY),
        (smtplib.SMTPDataError(451, b"Try again later"), Failure.TEMPORARY),
        (smtplib.SMTPSenderRefused(451, b"Try again", "s@example.com"), Failure.TEMPORARY),
        # The site's own sender address: its messages wait for the setting to be fixed.
        (smtplib.SMTPSenderRefused(553, b"Not yours", "s@example.com"), Failure.TEMPORARY),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"No such")}), Failure.PERMANENT),
        (smtplib.SMTPDataError(554, b"Refused"), Failure.PERMANENT),
        (smtplib.SMTPNotSupportedError("SMTPUTF8 not supported"), Failure.PERMANENT),
    ],
    ids=[
        "refused",
        "timeout",
        "tls",
        "disconnected",
        "helo-501",
        "rcpt-421",
        "mail-421",
        "data-421",
        "rcpt-450",
        "rcpt-452",
        "data-451",
        "mail-451",
        "mail-553",
        "rcpt-550",
        "data-554",
        "smtputf8",
    ],
)
def test_classify_failure(error, failure):
    assert classify_failure(error) is failure


# --- outages ---------------------------------------------------------------------------------


def test_an_smtp_outage_longer_than_the_old_retry_window_loses_nothing(stopped_server, program):
    recipients = [f"delegate{number}@example.com" for number in range(5)]
    for recipient in recipients:
        register(program, recipient)
    start = due_now()

    # Three hours with nothing listening on the server's port, the sender running every minute.
    down = [deliver_pending(now=start + timedelta(minutes=minute)) for minute in range(181)]
    stopped_server.start()  # the same port, now answering
    up = [deliver_pending(now=start + timedelta(minutes=minute)) for minute in range(181, 250)]

    tries = [minute for minute, report in enumerate(down) if report != DeliveryReport()]
    assert tries == [0, 1, 3, 7, 15, 31, 63, 123]  # one connection attempt each, then hourly
    assert {report for report in down if report != DeliveryReport()} == {
        DeliveryReport(failed_temporarily=5)
    }
    # Due again at minute 183 (123 + 60): the whole batch goes in that run, and nothing later.
    assert [(181 + index, report) for index, report in enumerate(up) if report.sent] == [
        (183, DeliveryReport(sent=5))
    ]
    assert sum(report != DeliveryReport() for report in up) == 1
    assert sorted(str(email["To"]) for email in stopped_server.messages) == recipients
    assert sorted(str(email["Message-ID"]) for email in stopped_server.messages) == sorted(
        row.message_id for row in outbox()
    )
    assert [(row.status, row.sent_at) for row in outbox()] == [
        (OutboxStatus.SENT, start + timedelta(minutes=183))
    ] * 5
    assert deliver_pending(now=start + timedelta(days=3)) == DeliveryReport()
    assert len(stopped_server.messages) == 5


def test_a_server_out_of_reach_costs_one_try_per_run_not_one_per_message(
    stopped_server, program, caplog
):
    for name in ("first", "second", "third", "fourth", "fifth"):
        register(program, f"{name}@example.com")
    now = due_now()
    refused = (
        f"Could not connect to 127.0.0.1:{stopped_server.port}: [Errno 111] Connection refused"
    )
    caplog.set_level(logging.WARNING, logger="wuzhen_events.mail")

    first_run = deliver_pending(now=now)
    first_run_log = [record.getMessage() for record in caplog.records]
    after_first = [(row.attempts, row.next_attempt_at, row.last_error) for row in outbox()]
    second_run = deliver_pending(now=now + timedelta(minutes=1))
    after_second = [(row.attempts, row.next_attempt_at, row.first_failed_at) for row in outbox()]

    assert (first_run, second_run) == (DeliveryReport(failed_temporarily=5),) * 2
    # The first message was tried; the others waited behind it and back off with it.
    assert after_first == [
        (1, now + timedelta(minutes=1), refused),
        *[(0, now + timedelta(minutes=1), refused)] * 4,
    ]
    assert after_second == [
        (2, now + timedelta(minutes=3), now),
        *[(0, now + timedelta(minutes=3), now)] * 4,
    ]
    # Two lines a run, however many messages wait.
    next_try = (now + timedelta(minutes=1)).isoformat(timespec="seconds")
    assert first_run_log == [
        f"E-mail {outbox()[0].id} to first@example.com not sent (attempt 1), "
        f"next try at {next_try}: {refused}",
        f"4 more e-mails wait for the mail server: {refused}",
    ]


def test_a_server_that_stops_answering_mid_message_ends_the_run(mail_app, smtp_server, program):
    for name in ("first", "second", "third"):
        register(program, f"{name}@example.com")
    mail_app.config["MAIL_TIMEOUT"] = 0.2
    smtp_server.mailbox.delay_seconds = 1.0  # the answer to DATA comes after the timeout
    now = due_now()

    report = deliver_pending(now=now)

    # One timeout, not one per message: the others wait for the next run.
    assert (report, smtp_server.mailbox.tried) == (
        DeliveryReport(failed_temporarily=3),
        ["first@example.com"],
    )
    lost = f"Lost the connection to 127.0.0.1:{smtp_server.port}: no answer within 0.2 s"
    assert [(row.status, row.attempts, row.last_error) for row in outbox()] == [
        (OutboxStatus.PENDING, 1, lost),
        (OutboxStatus.PENDING, 0, lost),
        (OutboxStatus.PENDING, 0, lost),
    ]


def test_a_421_closing_the_session_ends_the_run_and_keeps_every_message(smtp_server, program):
    register(program, "first@example.com")
    register(program, "second@example.com")
    smtp_server.mailbox.refusals = {"first@example.com": "421 4.3.2 Service shutting down"}
    now = due_now()

    report = deliver_pending(now=now)

    assert (report, smtp_server.mailbox.tried) == (
        DeliveryReport(failed_temporarily=2),
        ["first@example.com"],
    )
    closed = (
        f"Lost the connection to 127.0.0.1:{smtp_server.port}: SMTP 421 4.3.2 Service shutting down"
    )
    assert [(row.status, row.attempts, row.last_error) for row in outbox()] == [
        (OutboxStatus.PENDING, 1, closed),
        (OutboxStatus.PENDING, 0, closed),
    ]

    smtp_server.mailbox.refusals = {}
    assert deliver_pending(now=now + timedelta(minutes=1)) == DeliveryReport(sent=2)
    assert [str(email["To"]) for email in smtp_server.messages] == [
        "first@example.com",
        "second@example.com",
    ]


@pytest.mark.parametrize(
    "refusal",
    [
        {"refusals": {"ada@example.com": "421 4.3.2 Service shutting down"}},
        {"refusals": {"ada@example.com": "450 4.2.1 Mailbox busy"}},
        {"refuse_data": "451 4.3.0 Try again later"},
    ],
    ids=["421-at-recipient", "450-at-recipient", "451-at-data"],
)
def test_a_temporary_reply_keeps_the_message_past_the_old_eight_attempts(
    smtp_server, program, refusal
):
    register(program, "ada@example.com")
    (queued,) = outbox()
    for name, value in refusal.items():
        setattr(smtp_server.mailbox, name, value)
    now = due_now()

    for _ in range(10):
        assert deliver_pending(now=now) == DeliveryReport(failed_temporarily=1)
        now = reload(queued).next_attempt_at
    still = (reload(queued).status, reload(queued).attempts, reload(queued).failed_at)
    smtp_server.mailbox.refusals, smtp_server.mailbox.refuse_data = {}, None
    sent = deliver_pending(now=now)

    assert still == (OutboxStatus.PENDING, 10, None)
    assert sent == DeliveryReport(sent=1)
    assert [str(email["To"]) for email in smtp_server.messages] == ["ada@example.com"]


def test_one_run_sends_at_most_its_limit_oldest_first(smtp_server, program):
    for name in ("first", "second", "third"):
        register(program, f"{name}@example.com")
    now = due_now()

    reports = [deliver_pending(now=now, limit=2) for _ in range(3)]

    assert reports == [DeliveryReport(sent=2), DeliveryReport(sent=1), DeliveryReport()]
    assert [str(email["To"]) for email in smtp_server.messages] == [
        "first@example.com",
        "second@example.com",
        "third@example.com",
    ]


def test_claimed_messages_are_hidden_from_other_senders_until_the_lease_ends(program):
    register(program, "ada@example.com")
    register(program, "bob@example.com")
    ids = [row.id for row in outbox()]
    now = due_now()

    first = claim_due(now=now, limit=10)
    second = claim_due(now=now, limit=10)
    # A sender that died after claiming: its messages come due again after the lease.
    after_lease = claim_due(now=now + CLAIM_LEASE, limit=10)

    assert (first, second, after_lease) == (ids, [], ids)


def test_two_senders_at_once_never_send_a_message_twice(mail_app, smtp_server, program):
    for number in range(24):
        register(program, f"delegate{number}@example.com")
    smtp_server.mailbox.delay_seconds = 0.002
    now = due_now()
    barrier = threading.Barrier(2)
    reports: list[DeliveryReport] = []
    errors: list[BaseException] = []

    def sender() -> None:
        try:
            with mail_app.app_context():
                barrier.wait()
                while True:
                    report = deliver_pending(now=now, limit=3)
                    reports.append(report)
                    if report == DeliveryReport():
                        return
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    message_ids = [str(email["Message-ID"]) for email in smtp_server.messages]
    assert (len(message_ids), len(set(message_ids))) == (24, 24)
    assert sum(report.sent for report in reports) == 24
    assert {(row.status, row.attempts) for row in outbox()} == {(OutboxStatus.SENT, 1)}


def test_a_server_that_never_answers_times_out(mail_app, program):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # connections complete in the kernel; nobody ever says hello
        port = silent.getsockname()[1]
        mail_app.config.update(MAIL_URL=f"smtp://127.0.0.1:{port}", MAIL_TIMEOUT=0.2)
        register(program, "ada@example.com")

        report = deliver_pending(now=due_now())

    assert report == DeliveryReport(failed_temporarily=1)
    assert [row.last_error for row in outbox()] == [
        f"Could not connect to 127.0.0.1:{port}: no answer within 0.2 s"
    ]


@pytest.fixture
def login_server(mail_app):
    server = SmtpServer(require_login=True)
    server.start()
    yield server
    server.stop()


LOGIN_WITHOUT_TLS = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@LOGIN_WITHOUT_TLS
def test_delivers_through_a_server_that_requires_login(mail_app, login_server, program):
    password = quote(SMTP_PASSWORD, safe="")
    mail_app.config["MAIL_URL"] = f"smtp://{SMTP_USER}:{password}@127.0.0.1:{login_server.port}"
    register(program, "ada@example.com")

    assert deliver_pending(now=due_now()) == DeliveryReport(sent=1)
    assert [str(email["To"]) for email in login_server.messages] == ["ada@example.com"]


@LOGIN_WITHOUT_TLS
def test_a_wrong_password_keeps_the_message(mail_app, login_server, program):
    mail_app.config["MAIL_URL"] = f"smtp://{SMTP_USER}:wrong@127.0.0.1:{login_server.port}"
    register(program, "ada@example.com")

    assert deliver_pending(now=due_now()) == DeliveryReport(failed_temporarily=1)
    assert [(row.status, row.last_error) for row in outbox()] == [
        (
            OutboxStatus.PENDING,
            f"Could not connect to 127.0.0.1:{login_server.port}: "
            "SMTP 535 5.7.8 Authentication credentials invalid",
        )
    ]
    assert login_server.messages == []


def test_a_stored_message_that_cannot_be_composed_does_not_block_the_queue(smtp_server, program):
    register(program, "broken@example.com")
    register(program, "ada@example.com")
    broken = outbox()[0]
    broken.subject, broken.text_body = "Broken", "Its attachment lost its content type."
    broken.attachments = [{"filename": "lost.ics"}]
    broken.rendered_at = utcnow()
    db.session.commit()

    assert deliver_pending(now=due_now()) == DeliveryReport(sent=1, failed_temporarily=1)
    assert [(row.status, row.last_error) for row in outbox()] == [
        (OutboxStatus.PENDING, "The stored message cannot be composed: KeyError('content_type')"),
        (OutboxStatus.SENT, ""),
    ]


def test_without_mail_url_messages_go_to_the_log_and_count_as_sent(mail_app, program, caplog):
    mail_app.config["MAIL_URL"] = None
    register(program, "ada@example.com")
    (queued,) = outbox()
    now = due_now()
    caplog.set_level(logging.INFO, logger="wuzhen_events.mail")

    report = deliver_pending(now=now)

    assert report == DeliveryReport(sent=1)
    # One line, without the body and its private link: a production log must not hold them.
    assert [(record.name, record.levelname, record.getMessage()) for record in caplog.records] == [
        (
            "wuzhen_events.mail",
            "INFO",
            f"E-mail not sent (no MAIL_URL is set): {queued.message_id} to ada@example.com, "
            f'subject "{CONFIRMED_SUBJECT}" (MAIL_LOG_BODIES=1 logs whole e-mails)',
        )
    ]
    assert delivery_state(queued)[:2] + delivery_state(queued)[4:] == (
        OutboxStatus.SENT,
        1,
        now,
    )


@pytest.mark.parametrize(
    ("debug", "setting"),
    [(True, None), (False, True)],
    ids=["debug mode", "MAIL_LOG_BODIES"],
)
def test_in_development_the_log_holds_the_whole_message_and_its_link(
    mail_app, program, caplog, debug, setting
):
    mail_app.config.update(MAIL_URL=None, DEBUG=debug, MAIL_LOG_BODIES=setting)
    register(program, "ada@example.com")
    (queued,) = outbox()
    caplog.set_level(logging.INFO, logger="wuzhen_events.mail")

    deliver_pending(now=due_now())

    text_body = reload(queued).text_body
    assert [(record.name, record.levelname, record.getMessage()) for record in caplog.records] == [
        (
            "wuzhen_events.mail",
            "INFO",
            "E-mail not sent (no MAIL_URL is set)\n"
            "To: ada@example.com\n"
            f"Subject: {CONFIRMED_SUBJECT}\n\n" + text_body,
        )
    ]
    assert f"{PUBLIC_BASE_URL}/me/" in text_body  # unmasked: the developer follows it


def test_an_unusable_mail_url_is_refused_before_anything_is_claimed(mail_app, program):
    mail_app.config["MAIL_URL"] = "http://127.0.0.1:8025"
    register(program, "ada@example.com")
    (queued,) = outbox()
    before = delivery_state(queued)

    with pytest.raises(MailConfigurationError) as refused:
        deliver_pending(now=due_now())

    assert str(refused.value) == (
        "MAIL_URL must start with smtp:// or smtps://, e.g. smtp://127.0.0.1:8025."
    )
    assert delivery_state(queued) == before


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("MAIL_TIMEOUT", "soon"),
        ("MAIL_TIMEOUT", -1),
        ("MAIL_RETRY_DAYS", "0"),
        ("MAIL_RETRY_DAYS", "nan"),
        ("MAIL_RETRY_MAX_DELAY_MINUTES", "-5"),
    ],
    ids=["timeout-text", "timeout-negative", "days-zero", "days-nan", "longest-negative"],
)
def test_unusable_mail_settings_are_refused(mail_app, smtp_server, program, setting, value):
    mail_app.config[setting] = value
    register(program, "ada@example.com")

    with pytest.raises(MailConfigurationError) as refused:
        deliver_pending(now=due_now())

    assert str(refused.value) == f"{setting} must be a positive number, not {value!r}."
    assert [(row.status, row.attempts) for row in outbox()] == [(OutboxStatus.PENDING, 0)]


@pytest.mark.parametrize(
    ("url", "settings"),
    [
        ("smtp://127.0.0.1:8025", SmtpSettings("127.0.0.1", 8025)),
        ("smtp://mail.example", SmtpSettings("mail.example", 25)),
        (
            "smtp://wuzhen:s3cret%20pass%2Fword@mail.example:587",
            SmtpSettings("mail.example", 587, "wuzhen", "s3cret pass/word"),
        ),
        (
            "smtp://mail.example:587?starttls=1",
            SmtpSettings("mail.example", 587, starttls=True),
        ),
        ("smtps://mail.example:465", SmtpSettings("mail.example", 465, use_ssl=True)),
        ("smtps://mail.example", SmtpSettings("mail.example", 465, use_ssl=True)),
    ],
    ids=["host-port", "default-port", "login", "starttls", "smtps", "smtps-default-port"],
)
def test_mail_url_forms(url, settings):
    assert parse_mail_url(url) == settings


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mailto:ada@example.com", "MAIL_URL must start with smtp:// or smtps://"),
        ("smtp://:25", "MAIL_URL names no host"),
        ("smtp://mail.example:port", "MAIL_URL has a port that is not a number."),
        ("smtps://mail.example?starttls=1", "MAIL_URL uses smtps:// (TLS already)"),
    ],
    ids=["scheme", "no-host", "bad-port", "tls-twice"],
)
def test_unusable_mail_urls(url, message):
    with pytest.raises(MailConfigurationError) as refused:
        parse_mail_url(url)
    assert str(refused.value).startswith(message)


# --- erased registrations ----------------------------------------------------------------------


def test_no_email_goes_to_a_registration_erased_before_the_sender_runs(smtp_server, program):
    erased = register(program, "ada@example.com", program.fintech).delegate
    register(program, "bob@example.com", program.fintech)  # waitlisted, then promoted

    services.erase_registration(reload(erased), actor=OPERATOR)

    # Bob's first e-mail, rendered after his promotion, shows the seat: no second one.
    assert deliver_pending(now=due_now()) == DeliveryReport(sent=1)
    assert [(str(email["To"]), email["Subject"]) for email in smtp_server.messages] == [
        ("bob@example.com", CONFIRMED_SUBJECT),
    ]


def test_a_message_claimed_before_the_erasure_is_not_sent(mail_app, smtp_server, program):
    register(program, "bob@example.com")
    erased = register(program, "ada@example.com").delegate
    smtp_server.mailbox.delay_seconds = 1.0  # bob's message holds the sender while ada erases
    now = due_now()
    reports: list[DeliveryReport] = []
    errors: list[BaseException] = []

    def sender() -> None:
        try:
            with mail_app.app_context():
                reports.append(deliver_pending(now=now))
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=sender)
    thread.start()
    deadline = time.monotonic() + 10
    while not all(row.next_attempt_at > now for row in outbox()):
        assert time.monotonic() < deadline, "the sender never claimed the messages"
        db.session.rollback()  # a new read, or SQLite keeps showing the same snapshot
        time.sleep(0.01)  # until the sender has claimed both messages
    services.erase_registration(reload(erased), actor=OPERATOR)
    thread.join(timeout=60)

    assert (errors, reports) == ([], [DeliveryReport(sent=1)])
    assert [str(email["To"]) for email in smtp_server.messages] == ["bob@example.com"]
    assert [(row.recipient, row.status) for row in outbox()] == [
        ("bob@example.com", OutboxStatus.SENT)
    ]


def test_a_message_queued_about_an_erased_delegate_is_given_up_at_once(smtp_server, program):
    erased = register(program, "ada@example.com").delegate
    services.erase_registration(reload(erased), actor=OPERATOR)
    queue_delegate_message(DelegateMessage.MANAGE_LINK, reload(erased))
    db.session.commit()

    assert deliver_pending(now=due_now()) == DeliveryReport(failed_permanently=1)

    assert [(row.status, row.last_error) for row in outbox()] == [
        (
            OutboxStatus.FAILED,
            "The message cannot be rendered: The delegate this e-mail is about erased their "
            "registration.",
        )
    ]
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    ("subject", "raw_lines"),
    [
        (
            "Your registration for the World Internet Conference 2018 has been approved",
            [
                b"Subject: Your registration for the World Internet Conference 2018 has been",
                b" approved",
            ],
        ),
        (
            "您已获得席位：金融科技与网络安全：新时代的数字金融创新与安全治理论坛",
            [
                b"Subject: =?utf-8?b?5oKo5bey6I635b6X5bit5L2N77ya6YeR6J6N56eR5oqA5LiO572R57uc?=",
                b" =?utf-8?b?5a6J5YWo77ya5paw5pe25Luj55qE5pWw5a2X6YeR6J6N5Yib5paw5LiO5a6J5YWo?=",
                b" =?utf-8?b?5rK755CG6K665Z2b?=",
            ],
        ),
    ],
    ids=["english", "chinese"],
)
def test_a_long_subject_folds_inside_its_text_not_after_the_colon(mail_app, subject, raw_lines):
    message = queue_message(
        kind="notice",
        recipient="ada@example.com",
        subject=subject,
        text_body="Hello",
        html_body="",
    )

    raw = compose_email(message, sender=SENDER_ADDRESS, now=due_now()).as_bytes()

    lines = raw.split(b"\r\n")
    start = lines.index(raw_lines[0])
    assert lines[start : start + len(raw_lines) + 1] == [
        *raw_lines,
        b"From: " + SENDER_ADDRESS.encode(),
    ]
    assert str(message_from_bytes(raw, policy=policy.default)["Subject"]) == subject


# --- a promotion the first e-mail already shows --------------------------------------------------


def test_a_delegate_promoted_before_their_first_e_mail_reads_it_once(smtp_server, program):
    seated = register(program, "ada@example.com", program.fintech).delegate
    register(program, "bob@example.com", program.fintech)  # waitlisted
    services.cancel_registration(
        reload(seated), actor=OPERATOR
    )  # bob moves up before anything was sent

    report = deliver_pending(now=due_now())

    bob = [email for email in smtp_server.messages if str(email["To"]) == "bob@example.com"]
    assert [email["Subject"] for email in bob] == [CONFIRMED_SUBJECT]
    assert "Seat confirmed" in bob[0].get_body(("plain",)).get_content()
    assert report == DeliveryReport(sent=3)  # ada's confirmation and cancellation, bob's one
    kinds = [(row.kind, row.status) for row in outbox() if row.recipient == "bob@example.com"]
    assert kinds == [
        ("confirmation", OutboxStatus.SENT),
        ("waitlist_promotion", OutboxStatus.SUPERSEDED),
    ]


def test_a_delegate_told_they_wait_is_told_again_when_they_move_up(smtp_server, program):
    seated = register(program, "ada@example.com", program.fintech).delegate
    register(program, "bob@example.com", program.fintech)
    deliver_pending(now=due_now())  # bob reads "On the waitlist, position 1"

    services.cancel_registration(reload(seated), actor=OPERATOR)
    deliver_pending(now=due_now() + timedelta(minutes=1))

    bob = [
        email["Subject"] for email in smtp_server.messages if str(email["To"]) == "bob@example.com"
    ]
    assert bob == [CONFIRMED_SUBJECT, "A seat is now yours: Fintech and Cybersecurity"]
