"""`flask --app wuzhen_events send-emails`: one bounded run and a one-line account of it;
`mail failed` and `mail requeue`: what was given up on, and sending it again."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import utc
from tests.helpers.registration import register_ada as register
from tests.helpers.smtp import SmtpServer
from wuzhen_events.extensions import db
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.mail.outbox import queue_message


def statuses() -> list[tuple[str, OutboxStatus, int]]:
    db.session.expire_all()
    return list(
        db.session.execute(
            sa.select(
                OutboxMessage.recipient, OutboxMessage.status, OutboxMessage.attempts
            ).order_by(OutboxMessage.id)
        ).tuples()
    )


def test_send_emails_delivers_and_says_so(runner, smtp_server, program):
    register(program, "ada@example.com")
    register(program, "bob@example.com")

    result = runner.invoke(args=["send-emails"])

    assert (result.exit_code, result.output) == (0, "Sent 2, will retry 0, gave up on 0.\n")
    assert [str(email["To"]) for email in smtp_server.messages] == [
        "ada@example.com",
        "bob@example.com",
    ]


def test_send_emails_with_a_limit(runner, smtp_server, program):
    register(program, "ada@example.com")
    register(program, "bob@example.com")

    outputs = [runner.invoke(args=["send-emails", "--limit", "1"]).output for _ in range(3)]

    assert outputs == [
        "Sent 1, will retry 0, gave up on 0.\n",
        "Sent 1, will retry 0, gave up on 0.\n",
        "Sent 0, will retry 0, gave up on 0.\n",
    ]


def test_send_emails_with_the_server_down_keeps_everything(mail_app, runner, program):
    server = SmtpServer()  # never started: connections are refused
    mail_app.config["MAIL_URL"] = server.url
    register(program, "ada@example.com")
    register(program, "bob@example.com")

    result = runner.invoke(args=["send-emails"])

    assert (result.exit_code, result.output) == (0, "Sent 0, will retry 2, gave up on 0.\n")
    # One connection attempt, made for the first message; the second waits with it.
    assert statuses() == [
        ("ada@example.com", OutboxStatus.PENDING, 1),
        ("bob@example.com", OutboxStatus.PENDING, 0),
    ]


def test_send_emails_refuses_an_unusable_mail_url(mail_app, runner, program):
    mail_app.config["MAIL_URL"] = "smtp://mail.example:port"
    register(program, "ada@example.com")

    result = runner.invoke(args=["send-emails"])

    assert (result.exit_code, result.output) == (
        1,
        "Error: MAIL_URL has a port that is not a number.\n",
    )
    assert statuses() == [("ada@example.com", OutboxStatus.PENDING, 0)]


def test_send_emails_refuses_a_limit_below_one(runner):
    result = runner.invoke(args=["send-emails", "--limit", "0"])

    assert result.exit_code == 2
    assert "Invalid value for '--limit': 0 is not in the range x>=1." in result.output


def test_send_emails_says_when_it_gives_up_and_mail_failed_lists_why(runner, smtp_server, program):
    register(program, "ada@example.com")
    register(program, "gone@example.com")
    smtp_server.mailbox.refusals = {"gone@example.com": "550 5.1.1 No such mailbox here"}

    sent = runner.invoke(args=["send-emails"])
    listed = runner.invoke(args=["mail", "failed"])

    assert (sent.exit_code, sent.output) == (
        0,
        "Sent 1, will retry 0, gave up on 1.\n"
        "The e-mails given up on will not be sent unless re-queued; "
        "`flask --app wuzhen_events mail failed` lists them with the server's answer, "
        "`mail requeue` sends them again.\n",
    )
    (queued,) = [row for row in failed_rows() if row.recipient == "gone@example.com"]
    assert (listed.exit_code, listed.output) == (
        0,
        "id\tqueued (UTC)\tfailed (UTC)\trecipient\tkind\tattempts\tlast error\n"
        f"{queued.id}\t{queued.created_at:%Y-%m-%d %H:%M}\t{queued.failed_at:%Y-%m-%d %H:%M}\t"
        "gone@example.com\tconfirmation\t1\tSMTP 550 5.1.1 No such mailbox here\n",
    )


def test_mail_failed_says_when_nothing_failed(runner, smtp_server, program):
    register(program, "ada@example.com")
    runner.invoke(args=["send-emails"])

    result = runner.invoke(args=["mail", "failed"])

    assert (result.exit_code, result.output) == (0, "No failed e-mails.\n")


def failed_rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
        )
    )


def test_mail_requeue_all_sends_the_failed_emails_again(runner, smtp_server, program):
    register(program, "ada@example.com")
    register(program, "gone@example.com")
    register(program, "bob@example.com")
    smtp_server.mailbox.refusals = {
        "gone@example.com": "550 5.1.1 No such mailbox here",
        "bob@example.com": "554 5.7.1 Refused for now",
    }
    runner.invoke(args=["send-emails"])
    smtp_server.mailbox.refusals = {}  # the organizers fixed what was wrong

    requeued = runner.invoke(args=["mail", "requeue", "--all"])
    after_requeue = statuses()
    sent = runner.invoke(args=["send-emails"])
    again = runner.invoke(args=["mail", "requeue", "--all"])

    assert (requeued.exit_code, requeued.output) == (
        0,
        "Re-queued 2 failed e-mails; the next `send-emails` run sends them.\n",
    )
    assert after_requeue == [
        ("ada@example.com", OutboxStatus.SENT, 1),
        ("gone@example.com", OutboxStatus.PENDING, 1),
        ("bob@example.com", OutboxStatus.PENDING, 1),
    ]
    assert sent.output == "Sent 2, will retry 0, gave up on 0.\n"
    assert (again.exit_code, again.output) == (
        0,
        "No failed e-mail matched; nothing was re-queued.\n",
    )
    assert [str(email["To"]) for email in smtp_server.messages] == [
        "ada@example.com",
        "gone@example.com",
        "bob@example.com",
    ]


def test_mail_requeue_by_id_touches_only_failed_emails(runner, smtp_server, program):
    register(program, "ada@example.com")
    register(program, "gone@example.com")
    register(program, "lost@example.com")
    smtp_server.mailbox.refusals = {
        "gone@example.com": "550 5.1.1 No such mailbox here",
        "lost@example.com": "550 5.1.1 No such mailbox here",
    }
    runner.invoke(args=["send-emails"])
    ids = {row.recipient: row.id for row in all_rows()}

    one = runner.invoke(args=["mail", "requeue", str(ids["gone@example.com"])])
    sent_one = runner.invoke(
        args=["mail", "requeue", str(ids["ada@example.com"]), str(ids["gone@example.com"])]
    )

    assert (one.exit_code, one.output) == (
        0,
        "Re-queued 1 failed e-mail; the next `send-emails` run sends them.\n",
    )
    # ada's was sent and gone's is pending again: neither is failed, so nothing changes.
    assert (sent_one.exit_code, sent_one.output) == (
        0,
        "No failed e-mail matched; nothing was re-queued.\n",
    )
    assert statuses() == [
        ("ada@example.com", OutboxStatus.SENT, 1),
        ("gone@example.com", OutboxStatus.PENDING, 1),
        ("lost@example.com", OutboxStatus.FAILED, 1),
    ]


@pytest.mark.parametrize(
    ("since", "requeued"),
    [
        ("2018-11-08", ["bob@example.com"]),
        ("2018-11-07 10:00", ["ada@example.com", "bob@example.com"]),
        ("2018-11-07T10:01", ["bob@example.com"]),
        ("2018-11-09", []),
    ],
    ids=["date", "time-with-space", "time-with-t", "after-both"],
)
def test_mail_requeue_since_a_utc_time(runner, app, since, requeued):
    for recipient, failed_at in (
        ("ada@example.com", utc(7, 10)),
        ("bob@example.com", utc(8, 15, 30)),
    ):
        message = queue_message(
            kind="notice", recipient=recipient, subject="Hello", text_body="Hello", html_body=""
        )
        message.status, message.attempts, message.failed_at = OutboxStatus.FAILED, 1, failed_at
    db.session.commit()

    result = runner.invoke(args=["mail", "requeue", "--since", since])

    assert result.exit_code == 0
    assert [recipient for recipient, status, _ in statuses() if status is OutboxStatus.PENDING] == (
        requeued
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Error: Name the e-mails to re-queue: IDS, --since DATE or --all."),
        (["--all", "3"], "Error: --all re-queues every failed e-mail: give it alone."),
        (["--all", "--since", "2018-11-08"], "Error: --all re-queues every failed e-mail"),
        (["0"], "Error: Invalid value for '[IDS]...': 0 is not in the range 1<=x<=2147483647."),
        (["--since", "yesterday"], "Error: Invalid value for '--since': 'yesterday' does not"),
    ],
    ids=["no-choice", "all-and-ids", "all-and-since", "id-zero", "since-not-a-date"],
)
def test_mail_requeue_refuses_an_unclear_choice(runner, app, args, message):
    result = runner.invoke(args=["mail", "requeue", *args])

    assert result.exit_code == 2
    assert result.output.splitlines()[-1].startswith(message)


def all_rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))
