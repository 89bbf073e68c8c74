"""Reads shaped for the registration pages: the form's subforum choices in one query, and
the data a delegate downloads about themselves."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa

from tests import factories
from tests.factories import OPERATOR, reload, utc
from tests.helpers.registration import register
from wuzhen_events.db import utcnow
from wuzhen_events.extensions import db
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.mail.sender import deliver_pending
from wuzhen_events.registration import queries, services, tokens
from wuzhen_events.registration.enums import DelegateCategory
from wuzhen_events.registration.queries import SubforumChoice
from wuzhen_events.registration.tokens import Secret


def test_subforum_choices_carry_seats_and_the_span_of_the_sessions(setting):
    late = factories.make_session(
        setting.conference, subforum=setting.economy, starts_at=utc(8, 11), ends_at=utc(8, 12)
    )
    factories.make_subforum(setting.conference, slug="closed", title="No seats", capacity=0)
    untimed = factories.make_subforum(setting.conference, slug="tba", title="To be announced")

    choices = queries.subforum_choices(setting.conference.id)

    # Program order: by first start, then title; subforums without sessions last.
    assert choices == [
        SubforumChoice(
            setting.culture.id, "culture", "Culture", "", 2, 0, [], utc(8, 0, 30), utc(8, 3, 35)
        ),
        SubforumChoice(
            setting.fintech.id, "fintech", "Fintech", "", 2, 0, [], utc(8, 0, 30), utc(8, 3, 30)
        ),
        SubforumChoice(
            setting.economy.id,
            "economy",
            "Digital economy",
            "",
            1,
            0,
            [],
            utc(8, 6, 30),
            late.ends_at,
        ),
        SubforumChoice(untimed.id, "tba", "To be announced", "", 100, 0, [], None, None),
    ]


def test_subforum_choices_agree_with_the_subforum_rows(setting):
    choices = queries.subforum_choices(setting.conference.id)

    rows = [db.session.get(type(setting.fintech), choice.id) for choice in choices]
    assert [(c.title, c.seats_left, c.is_full, c.starts_at, c.ends_at) for c in choices] == [
        (r.title, r.seats_left, r.is_full, r.starts_at, r.ends_at) for r in rows
    ]


def test_subforum_choices_is_one_query(setting, query_counter):
    conference_id = setting.conference.id

    with query_counter(db.engine) as log:
        queries.subforum_choices(conference_id)

    assert log.count == 1


# --- the delegate's own data ----------------------------------------------------------------------


def test_delegate_data_holds_everything_stored_about_the_delegate(app, setting):
    first = register(setting, "first@example.com", setting.economy)
    delegate = register(
        setting,
        "li.wei@example.com",
        setting.fintech,
        setting.economy,
        name_zh="李伟",
        job_title="CTO",
        locale="zh",
    )
    panel = setting.fintech.sessions[0]
    services.star_session(reload(delegate), panel, actor=OPERATOR)
    deliver_pending(now=utcnow() + timedelta(seconds=1))  # no MAIL_URL: the log "sends" them
    services.send_manage_link(setting.conference, "li.wei@example.com")

    row = reload(delegate)
    data = queries.delegate_data(row)

    fintech_seat, economy_place = sorted(row.seats, key=lambda booking: booking.subforum_id)
    star = row.bookmarks[0]
    sent, queued = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.delegate_id == row.id)
        .order_by(OutboxMessage.id)
    ).all()
    assert data == {
        "conference": "Fifth World Internet Conference",
        "registration": {
            "name": "Li Wei",
            "name_zh": "李伟",
            "email": "li.wei@example.com",
            "organisation": "Demo Networks",
            "job_title": "CTO",
            "country": "CN",
            "category": "enterprise",
            "status": "confirmed",
            "email_language": "zh",
            "registered_at": row.created_at.isoformat(),
            "updated_at": row.updated_at.isoformat(),
            "consented_at": row.consented_at.isoformat(),
            "email_verified_at": row.email_verified_at.isoformat(),
            "approved_at": row.approved_at.isoformat(),
            "cancelled_at": None,
            "checked_in_at": None,
        },
        "invitation": None,
        "subforums": [
            {
                "subforum": "Fintech",
                "subforum_zh": "",
                "status": "confirmed",
                "waitlist_position": None,
                "chosen_at": fintech_seat.created_at.isoformat(),
                "confirmed_at": fintech_seat.confirmed_at.isoformat(),
                "held_until": None,
            },
            {
                "subforum": "Digital economy",
                "subforum_zh": "",
                "status": "waitlisted",
                "waitlist_position": 1,
                "chosen_at": economy_place.created_at.isoformat(),
                "confirmed_at": None,
                "held_until": None,
            },
        ],
        "starred_sessions": [
            {
                "session": panel.title,
                "session_zh": "",
                "subforum": "Fintech",
                "starts_at": "2018-11-08T00:30:00+00:00",
                "starred_at": star.created_at.isoformat(),
            }
        ],
        "emails": [
            {
                "kind": "confirmation",
                "subject": "您的2018世界互联网大会注册已确认",
                "status": "sent",
                "queued_at": sent.created_at.isoformat(),
                "sent_at": sent.sent_at.isoformat(),
            },
            {
                "kind": "manage_link",
                "subject": None,  # rendered, and so known, only when the sender takes it
                "status": "pending",
                "queued_at": queued.created_at.isoformat(),
                "sent_at": None,
            },
        ],
    }
    assert first.email not in json.dumps(data)


def test_delegate_data_shows_the_invitation_and_no_secret_seed_or_hash(setting):
    invitation, code = services.create_invitation(
        setting.conference,
        email="minister@example.gov",
        category=DelegateCategory.GOVERNMENT,
        actor=OPERATOR,
    )
    delegate = register(
        setting,
        "minister@example.gov",
        category=DelegateCategory.GOVERNMENT,
        invitation_code=code,
    )
    deliver_pending(now=utcnow() + timedelta(seconds=1))
    row = reload(delegate)

    data = queries.delegate_data(row)

    invitation = reload(invitation)
    assert data["invitation"] == {
        "category": "government",
        "created_at": invitation.created_at.isoformat(),
        "expires_at": None,
        "used_at": invitation.used_at.isoformat(),
    }
    text = json.dumps(data, ensure_ascii=False)
    message = db.session.scalar(sa.select(OutboxMessage))
    secrets = {
        "manage seed": row.manage_seed,
        "feed seed": row.feed_seed,
        "check-in seed": row.checkin_seed,
        "manage hash": row.manage_token_hash,
        "feed hash": row.feed_token_hash,
        "check-in hash": row.checkin_code_hash,
        "manage token": tokens.derive(Secret.MANAGE, row.manage_seed),
        "feed token": tokens.derive(Secret.FEED, row.feed_seed),
        "check-in code": tokens.derive(Secret.CHECKIN, row.checkin_seed),
        "invitation code": tokens.normalise_invitation_code(code),
        "invitation hash": invitation.code_hash,
        "message id": message.message_id,
    }
    assert [name for name, secret in secrets.items() if secret in text] == []
    assert "/me/" not in text


def test_delegate_data_takes_as_many_queries_for_many_rows_as_for_one(setting, query_counter):
    def statements_for(delegate) -> int:
        row = reload(delegate)
        with query_counter(db.engine) as log:
            queries.delegate_data(row)
        return log.count

    register(setting, "first@example.com", setting.economy)
    delegate = register(setting, "li@example.com", setting.economy)
    services.star_session(reload(delegate), setting.economy.sessions[0], actor=OPERATOR)
    one_of_each = statements_for(delegate)
    services.add_subforum(reload(delegate), setting.fintech, actor=OPERATOR)
    services.star_session(reload(delegate), setting.fintech.sessions[0], actor=OPERATOR)
    services.send_manage_link(setting.conference, "li@example.com")

    assert (one_of_each, statements_for(delegate)) == (10, 10)
