"""`flask --app wuzhen_events send-emails`: one bounded run and a one-line account of it."""

from __future__ import annotations

import sqlalchemy as sa

from tests.mail.conftest import SmtpServer, register
from wuzhen_events.extensions import db
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.models import OutboxMessage


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
    assert statuses() == [
        ("ada@example.com", OutboxStatus.PENDING, 1),
        ("bob@example.com", OutboxStatus.PENDING, 1),
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
        "The e-mails given up on will not be sent; "
        "`flask --app wuzhen_events mail failed` lists them with the server's answer.\n",
    )
    (queued,) = [row for row in failed_rows() if row.recipient == "gone@example.com"]
    assert (listed.exit_code, listed.output) == (
        0,
        "queued (UTC)\trecipient\tkind\tattempts\tlast error\n"
        f"{queued.created_at:%Y-%m-%d %H:%M}\tgone@example.com\tconfirmation\t1\t"
        "SMTP 550 5.1.1 No such mailbox here\n",
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
