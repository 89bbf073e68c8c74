"""The transactional outbox: a queued e-mail lives or dies with the change that queued it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import flask_migrate
import pytest
import sqlalchemy as sa

from tests.factories import OPERATOR, count_rows, reload
from tests.helpers.apps import database_url, make_app
from tests.helpers.registration import register_ada as register
from wuzhen_events.extensions import db
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.mail.outbox import Attachment, queue_message
from wuzhen_events.registration import services
from wuzhen_events.registration.enums import DelegateCategory, DelegateMessage
from wuzhen_events.registration.mails import queue_delegate_message
from wuzhen_events.registration.models import Delegate


def queue_test_message(**overrides) -> OutboxMessage:
    fields = {
        "kind": "test",
        "recipient": "ada@example.com",
        "subject": "Hello",
        "text_body": "Hello, Ada.",
        "html_body": "<p>Hello, Ada.</p>",
    }
    fields.update(overrides)
    return queue_message(**fields)


def test_queue_message_adds_to_the_session_without_committing(app):
    message = queue_test_message()

    assert message in db.session.new
    db.session.rollback()
    assert count_rows(OutboxMessage) == 0


def test_queue_message_is_stored_when_the_caller_commits(app):
    message = queue_test_message(
        attachments=[Attachment("hello.txt", "text/plain; charset=utf-8", "你好".encode())],
        locale="zh",
    )
    db.session.commit()

    stored = reload(message)
    assert (
        stored.kind,
        stored.recipient,
        stored.subject,
        stored.text_body,
        stored.html_body,
        stored.attachments,
        stored.locale,
        stored.status,
        stored.attempts,
        stored.last_error,
        stored.sent_at,
        stored.delegate_id,
        stored.next_attempt_at == stored.created_at,
    ) == (
        "test",
        "ada@example.com",
        "Hello",
        "Hello, Ada.",
        "<p>Hello, Ada.</p>",
        [
            {
                "filename": "hello.txt",
                "content_type": "text/plain; charset=utf-8",
                "data_base64": "5L2g5aW9",
            }
        ],
        "zh",
        OutboxStatus.PENDING,
        0,
        "",
        None,
        None,
        True,
    )
    assert re.fullmatch(r"<[^@<>]+@wuzhen-events\.example>", stored.message_id)


def test_a_subject_becomes_one_line_that_fits_its_column(app):
    message = queue_test_message(subject="Seat in\r\nBcc: everyone@example.com " + "x" * 400)

    assert message.subject == ("Seat in Bcc: everyone@example.com " + "x" * 400)[:300]


def test_a_rolled_back_change_takes_its_queued_email_with_it(program):
    delegate = register(program, "ada@example.com").delegate
    db.session.commit()
    before = count_rows(OutboxMessage)

    db.session.rollback()  # end the read: what follows is this test's own change
    delegate.name = "Ada King"
    queue_delegate_message(DelegateMessage.MANAGE_LINK, delegate)
    db.session.flush()
    assert count_rows(OutboxMessage) == before  # count_rows rolls the session back

    assert (reload(delegate).name, count_rows(OutboxMessage)) == ("Ada Lovelace", 1)


def test_a_refused_registration_queues_nothing(program):
    register(program, "ada@example.com")
    services.close_category(program.conference, DelegateCategory.MEDIA, actor=OPERATOR)

    with pytest.raises(services.RegistrationError):
        register(program, "grace@example.com", category=DelegateCategory.MEDIA)

    assert (count_rows(Delegate), count_rows(OutboxMessage)) == (1, 1)


def test_registering_a_known_address_again_tells_its_owner_once(program):
    register(program, "ada@example.com")

    again = register(program, "ada@example.com", name="Ada again")

    assert again.delegate is None
    rows = db.session.execute(
        sa.select(OutboxMessage.kind, OutboxMessage.recipient).order_by(OutboxMessage.id)
    ).all()
    assert [tuple(row) for row in rows] == [
        ("confirmation", "ada@example.com"),
        ("registration_attempt", "ada@example.com"),
    ]


def test_the_registration_and_its_email_are_committed_together(program):
    delegate_id = register(program, "ada@example.com", program.fintech).delegate.id
    db.session.remove()  # what a new request would see

    rows = db.session.execute(
        sa.select(OutboxMessage.kind, OutboxMessage.recipient, OutboxMessage.delegate_id)
    ).all()
    assert rows == [("confirmation", "ada@example.com", delegate_id)]


def test_deleting_a_delegate_keeps_their_outbox_rows(program):
    registration = register(program, "ada@example.com")
    message_id = db.session.scalar(sa.select(OutboxMessage.id))

    db.session.delete(db.session.get(Delegate, registration.delegate.id))
    db.session.commit()

    message = db.session.get(OutboxMessage, message_id)
    assert (message.recipient, message.delegate_id) == ("ada@example.com", None)


def test_rows_queued_before_migration_0004_stay_rendered_and_unrendered_ones_fail_on_downgrade(
    tmp_path,
):
    """Upgrading keeps a live outbox sendable; downgrading never leaves an empty e-mail due."""
    app = make_app(database_url("outbox_0004", tmp_path))
    queued = datetime(2018, 11, 1, 8, 0)
    columns = (
        "kind, recipient, subject, text_body, html_body, attachments, locale, message_id, "
        "status, attempts, next_attempt_at, last_error, created_at"
    )
    with app.app_context():
        flask_migrate.upgrade(revision="0003_outbox_applications")
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    f"INSERT INTO outbox_messages ({columns}) VALUES ('confirmation', "
                    "'ada@example.com', 'Hello', 'Hello, Ada.', '', '[]', 'en', '<old@example>', "
                    "'pending', 0, :queued, '', :queued)"
                ),
                {"queued": queued},
            )

        flask_migrate.upgrade(revision="0004_outbox_render_at_send")
        with db.engine.begin() as connection:
            table = OutboxMessage.__table__
            upgraded = connection.execute(
                sa.select(table.c.subject, table.c.context, table.c.rendered_at)
            ).one()
            connection.execute(
                sa.text(
                    f"INSERT INTO outbox_messages ({columns}, context) VALUES ('confirmation', "
                    "'bob@example.com', '', '', '', '[]', 'en', '<new@example>', "
                    "'pending', 0, :queued, '', :queued, '{}')"
                ),
                {"queued": queued},
            )

        flask_migrate.downgrade(revision="0003_outbox_applications")
        with db.engine.connect() as connection:
            downgraded = connection.execute(
                sa.text("SELECT recipient, status FROM outbox_messages ORDER BY id")
            ).all()
        flask_migrate.downgrade(revision="base")
        db.engine.dispose()

    assert tuple(upgraded) == ("Hello", None, queued.replace(tzinfo=UTC))
    assert downgraded == [("ada@example.com", "pending"), ("bob@example.com", "failed")]


def test_messages_failed_before_migration_0006_keep_when_they_failed(tmp_path):
    """`mail requeue --since` finds what an outage gave up before the upgrade: the old sender
    left next_attempt_at at its claim lease (15 minutes) past the run that gave up."""
    app = make_app(database_url("outbox_0006", tmp_path))
    queued = datetime(2018, 11, 7, 8, 0)
    columns = (
        "kind, recipient, subject, text_body, html_body, attachments, locale, message_id, "
        "status, attempts, next_attempt_at, last_error, created_at, rendered_at"
    )
    rows = [
        ("<failed@example>", "failed", 8, datetime(2018, 11, 7, 10, 18)),
        ("<pending@example>", "pending", 3, datetime(2018, 11, 7, 8, 7)),
        ("<sent@example>", "sent", 1, datetime(2018, 11, 7, 8, 15)),
    ]
    with app.app_context():
        flask_migrate.upgrade(revision="0005_verify_erase_restrict")
        with db.engine.begin() as connection:
            for message_id, status, attempts, next_attempt_at in rows:
                connection.execute(
                    sa.text(
                        f"INSERT INTO outbox_messages ({columns}) VALUES ('confirmation', "
                        "'ada@example.com', 'Hello', 'Hello, Ada.', '', '[]', 'en', :message_id, "
                        ":status, :attempts, :next_attempt_at, '', :queued, :queued)"
                    ),
                    {
                        "message_id": message_id,
                        "status": status,
                        "attempts": attempts,
                        "next_attempt_at": next_attempt_at,
                        "queued": queued,
                    },
                )

        flask_migrate.upgrade(revision="0006_outbox_retry_window")
        with db.engine.connect() as connection:
            table = OutboxMessage.__table__
            upgraded = connection.execute(
                sa.select(
                    table.c.message_id, table.c.status, table.c.first_failed_at, table.c.failed_at
                ).order_by(table.c.id)
            ).all()
        flask_migrate.downgrade(revision="base")
        db.engine.dispose()

    assert [tuple(row) for row in upgraded] == [
        ("<failed@example>", OutboxStatus.FAILED, None, datetime(2018, 11, 7, 10, 3, tzinfo=UTC)),
        ("<pending@example>", OutboxStatus.PENDING, None, None),
        ("<sent@example>", OutboxStatus.SENT, None, None),
    ]
