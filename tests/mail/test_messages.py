"""The delegate e-mails as the registration services queue them and the sender renders them:
what a queued row holds, then wording, language, seats, link, escaping and which ones carry a
calendar."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.extract import DEFAULT_KEYWORDS
from icalendar import Calendar
from jinja2.ext import babel_extract

from tests.factories import OPERATOR
from tests.helpers.registration import register_ada as register
from tests.helpers.smtp import PUBLIC_BASE_URL
from wuzhen_events.extensions import db
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.registration import services, tokens
from wuzhen_events.registration.enums import DelegateCategory, DelegateMessage
from wuzhen_events.registration.mails import (
    CALENDAR_CONTENT_TYPE,
    CALENDAR_FILENAME,
    render_delegate_message,
)
from wuzhen_events.registration.models import Delegate

EMAIL_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "emails"


@dataclass(frozen=True)
class Mail:
    """A queued row with the e-mail the sender would render from it now."""

    kind: str
    recipient: str
    subject: str
    locale: str
    delegate_id: int | None
    status: OutboxStatus
    attempts: int
    sent_at: datetime | None
    text_body: str
    html_body: str
    attachments: list[dict[str, str]]


def outbox() -> list[Mail]:
    rows = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return [rendered(row) for row in rows]


def rendered(row: OutboxMessage) -> Mail:
    assert row.rendered_at is None  # the sender renders what the services queued
    mail = render_delegate_message(row)
    return Mail(
        kind=row.kind,
        recipient=row.recipient,
        subject=mail.subject,
        locale=row.locale,
        delegate_id=row.delegate_id,
        status=row.status,
        attempts=row.attempts,
        sent_at=row.sent_at,
        text_body=mail.text_body,
        html_body=mail.html_body,
        attachments=[attachment.to_json() for attachment in mail.attachments],
    )


def manage_url(registration) -> str:
    return f"{PUBLIC_BASE_URL}/me/{registration.manage_token}/"


def calendar_of(message: Mail) -> Calendar:
    (attachment,) = message.attachments
    return Calendar.from_ical(base64.b64decode(attachment["data_base64"]))


def event_uids(calendar: Calendar) -> list[str]:
    return [str(event["UID"]) for event in calendar.walk("VEVENT")]


def uid(app, session) -> str:
    return f"wic2018-session-{session.id}@{app.config['CALENDAR_UID_HOST']}"


def test_a_queued_message_holds_what_to_render_and_nothing_rendered(program):
    registration = register(program, "ada@example.com", program.fintech)

    (row,) = db.session.scalars(sa.select(OutboxMessage)).all()
    assert (
        row.kind,
        row.recipient,
        row.locale,
        row.delegate_id,
        row.context,
        row.subject,
        row.text_body,
        row.html_body,
        row.attachments,
        row.rendered_at,
    ) == (
        "confirmation",
        "ada@example.com",
        "en",
        registration.delegate.id,
        {},
        "",
        "",
        "",
        [],
        None,
    )


def test_a_promotion_names_its_subforum_in_the_context(program):
    seated = register(program, "seated@example.com", program.fintech)
    register(program, "waiting@example.com", program.fintech)

    services.cancel_registration(seated.delegate, actor=OPERATOR)

    contexts = db.session.execute(
        sa.select(OutboxMessage.kind, OutboxMessage.context).order_by(OutboxMessage.id)
    ).all()
    assert contexts[-2:] == [
        ("waitlist_promotion", {"subforum_id": program.fintech.id}),
        ("cancellation", {}),
    ]


def test_links_point_at_the_host_the_registration_came_through(app, program):
    """Without PUBLIC_BASE_URL a link uses the request's host, even rendered later by the CLI."""
    app.config["PUBLIC_BASE_URL"] = None
    app.config["TRUSTED_HOST_NAMES"] = ("wuzhen.example",)  # as TRUSTED_HOSTS=wuzhen.example
    response = app.test_client().post(
        "https://wuzhen.example/register/",
        data={
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "organisation": "Analytical Engines Ltd",
            "country": "GB",
            "category": "enterprise",
            "locale": "en",
            "subforums": [str(program.fintech.id)],
            "consent": "y",
        },
    )
    delegate = db.session.scalar(sa.select(Delegate))
    token = tokens.derive(tokens.Secret.MANAGE, delegate.manage_seed)
    # Opening the link confirms the held seat before the sender renders: a calendar is attached.
    app.test_client().get(f"https://wuzhen.example/me/{token}/")

    assert response.headers["Location"] == "/register/check-inbox"
    (row,) = db.session.scalars(sa.select(OutboxMessage)).all()
    assert row.context == {"base_url": "https://wuzhen.example/"}
    mail = rendered(row)
    assert f"https://wuzhen.example/me/{token}/" in mail.text_body.splitlines()
    assert str(calendar_of(mail).walk("VEVENT")[0]["URL"]).startswith(
        "https://wuzhen.example/sessions/"
    )


def test_a_link_never_points_at_an_untrusted_host_a_queued_message_kept(app, program):
    """A row queued before the Host check existed may hold a forged host: the link then points
    where the sender points without a request."""
    app.config["PUBLIC_BASE_URL"] = None
    registration = register(program, "ada@example.com", program.fintech)
    row = db.session.scalar(sa.select(OutboxMessage))
    row.context = {**(row.context or {}), "base_url": "http://evil.example/"}
    db.session.commit()

    mail = rendered(row)

    assert f"http://localhost:5000/me/{registration.manage_token}/" in mail.text_body.splitlines()
    assert "evil.example" not in mail.text_body + mail.html_body
    assert str(calendar_of(mail).walk("VEVENT")[0]["URL"]).startswith(
        "http://localhost:5000/sessions/"
    )


def test_confirmation_in_english_lists_seats_link_and_calendar(mail_app, program):
    registration = register(program, "ada@example.com", program.fintech, program.economy)

    (message,) = outbox()
    assert (
        message.kind,
        message.recipient,
        message.subject,
        message.locale,
        message.delegate_id,
        message.status,
        message.attempts,
        message.sent_at,
    ) == (
        "confirmation",
        "ada@example.com",
        "Your registration for the World Internet Conference 2018 is confirmed",
        "en",
        registration.delegate.id,
        OutboxStatus.PENDING,
        0,
        None,
    )
    assert message.text_body == (
        "Dear Ada Lovelace,\n"
        "\n"
        "Thank you for registering for the Fifth World Internet Conference in Wuzhen, "
        "7–9 November 2018. Your registration is confirmed.\n"
        "\n"
        "Registration status: Confirmed\n"
        "\n"
        "Your subforums\n"
        "- Fintech and Cybersecurity: Seat confirmed\n"
        "  Thu 8 Nov, 08:30–12:00 · WIICEC, Hall 3\n"
        "- Digital Economy: Seat confirmed\n"
        "  Thu 8 Nov, 14:30–16:30\n"
        "\n"
        "On your personal page you can see your registration, change your subforums, "
        "build your agenda or cancel:\n"
        f"{manage_url(registration)}\n"
        "\n"
        "Keep this link to yourself: anyone who has it can change your registration.\n"
        "\n"
        "Your confirmed sessions are in the attached calendar file (wic2018-my-sessions.ics): "
        "open it to add them to your calendar.\n"
        "\n"
        "The World Internet Conference 2018 team\n"
        "\n"
        "-- \n"
        "You receive this e-mail because this address was used to register for the "
        "Fifth World Internet Conference, Wuzhen, 7–9 November 2018."
    )
    assert message.html_body.count(f'href="{manage_url(registration)}"') == 2
    assert [(a["filename"], a["content_type"]) for a in message.attachments] == [
        (CALENDAR_FILENAME, CALENDAR_CONTENT_TYPE)
    ]
    sessions = [*program.fintech_sessions, program.economy_session]
    assert event_uids(calendar_of(message)) == [uid(mail_app, s) for s in sessions]


def test_confirmation_in_chinese(mail_app, program):
    registration = register(
        program, "li@example.cn", program.fintech, name="Li Wei", name_zh="李伟", locale="zh"
    )

    (message,) = outbox()
    assert (message.subject, message.locale) == ("您的2018世界互联网大会注册已确认", "zh")
    assert message.text_body.splitlines()[:12] == [
        "尊敬的李伟：",
        "",
        "感谢您注册2018年11月7日至9日在乌镇举行的第五届世界互联网大会。您的注册已确认。",
        "",
        "注册状态：已确认",
        "",
        "您的分论坛",
        "- 金融科技与安全：座位已确认",
        "  11月8日 周四 08:30–12:00 · 乌镇互联网国际会展中心, 3号厅",
        "",
        "在您的个人页面上，您可以查看注册信息、更改分论坛、安排日程或取消注册：",
        manage_url(registration),
    ]
    assert '<html lang="zh-Hans">' in message.html_body
    assert '<p style="margin:0 0 16px;">尊敬的李伟：</p>' in message.html_body
    calendar = calendar_of(message)
    assert [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")] == [
        "金融科技：开幕 · 金融科技与安全",
        "金融科技：圆桌 · 金融科技与安全",
    ]
    assert str(calendar["X-WR-CALNAME"]) == "我的2018世界互联网大会"


def test_waitlisted_only_confirmation_shows_the_position_and_carries_no_calendar(program):
    register(program, "first@example.com", program.fintech)
    register(program, "second@example.com", program.fintech)
    register(program, "third@example.com", program.fintech)

    third = outbox()[-1]
    assert third.text_body.splitlines()[6:9] == [
        "Your subforums",
        "- Fintech and Cybersecurity: On the waitlist, position 2",
        "  Thu 8 Nov, 08:30–12:00 · WIICEC, Hall 3",
    ]
    assert third.attachments == []
    assert "attached calendar" not in third.text_body


def test_pending_approval_then_approval(mail_app, program):
    registration = register(
        program, "envoy@example.org", program.economy, category=DelegateCategory.GOVERNMENT
    )
    pending = outbox()[-1]
    assert (pending.kind, pending.subject) == (
        "pending_approval",
        "We have received your registration for the World Internet Conference 2018",
    )
    assert pending.text_body.splitlines()[2:11] == [
        "Thank you for registering for the Fifth World Internet Conference in Wuzhen, "
        "7–9 November 2018.",
        "",
        "Registrations in your category are approved by the organizers. We will write to you "
        "again as soon as yours is approved; the subforums you chose are requested until then "
        "and take a seat, or a waitlist place, on approval.",
        "",
        "Registration status: Waiting for approval",
        "",
        "Your subforums",
        "- Digital Economy: Requested, held after approval",
        "  Thu 8 Nov, 14:30–16:30",
    ]
    assert pending.attachments == []

    services.approve_delegate(registration.delegate, actor=OPERATOR)

    approved = outbox()[-1]
    assert (approved.kind, approved.subject) == (
        "approved",
        "Your registration for the World Internet Conference 2018 has been approved",
    )
    assert "- Digital Economy: Seat confirmed" in approved.text_body.splitlines()
    assert event_uids(calendar_of(approved)) == [uid(mail_app, program.economy_session)]


def test_a_rejection_tells_the_delegate_in_their_language_with_no_seat_list(mail_app, program):
    english = register(
        program, "envoy@example.org", program.economy, category=DelegateCategory.GOVERNMENT
    )
    chinese = register(
        program,
        "daibiao@example.cn",
        program.economy,
        category=DelegateCategory.GOVERNMENT,
        locale="zh",
    )

    services.reject_delegate(english.delegate, actor=OPERATOR)
    services.reject_delegate(chinese.delegate, actor=OPERATOR)

    rejected, rejected_zh = outbox()[-2:]
    assert (rejected.kind, rejected.recipient, rejected.subject) == (
        "rejection",
        "envoy@example.org",
        "Your registration for the World Internet Conference 2018 was not approved",
    )
    assert rejected.text_body.splitlines()[2:10] == [
        "The organizers could not approve your registration for the Fifth World Internet "
        "Conference in Wuzhen, 7–9 November 2018, and the subforums you requested hold no seat.",
        "",
        "If you believe this is a mistake, please contact the conference organizers.",
        "",
        "Registration status: Not approved",
        "",
        "Your personal page still shows your registration:",
        manage_url(english),
    ]
    assert "Your subforums" not in rejected.text_body
    assert rejected.attachments == []
    assert (rejected_zh.kind, rejected_zh.subject) == (
        "rejection",
        "您的2018世界互联网大会注册未获批准",
    )
    assert "注册状态：未获批准" in rejected_zh.text_body.splitlines()


def test_cancellation_promotes_the_first_waitlisted_who_is_told_with_the_subforum(
    mail_app, program
):
    seated = register(program, "seated@example.com", program.fintech)
    waiting = register(program, "waiting@example.com", program.fintech, program.economy)

    services.cancel_registration(seated.delegate, actor=OPERATOR)

    promotion, cancellation = outbox()[-2:]  # the freed seat moves before the cancellation
    assert (cancellation.kind, cancellation.recipient, cancellation.subject) == (
        "cancellation",
        "seated@example.com",
        "Your registration for the World Internet Conference 2018 has been cancelled",
    )
    assert cancellation.text_body.splitlines()[2:9] == [
        "Your registration for the Fifth World Internet Conference has been cancelled and "
        "your seats have been released.",
        "",
        "If you change your mind, you are welcome to register again.",
        "",
        "Registration status: Cancelled",
        "",
        "Your personal page still shows your registration:",
    ]
    assert cancellation.attachments == []
    assert (promotion.kind, promotion.recipient, promotion.subject) == (
        "waitlist_promotion",
        "waiting@example.com",
        "A seat is now yours: Fintech and Cybersecurity",
    )
    assert promotion.text_body.splitlines()[2:12] == [
        "A seat has become free in “Fintech and Cybersecurity” and it is now yours: "
        "you have moved up from the waitlist.",
        "",
        ">> Fintech and Cybersecurity · Thu 8 Nov, 08:30–12:00",
        "",
        "Registration status: Confirmed",
        "",
        "Your subforums",
        "- Fintech and Cybersecurity: Seat confirmed",
        "  Thu 8 Nov, 08:30–12:00 · WIICEC, Hall 3",
        "- Digital Economy: Seat confirmed",
    ]
    assert manage_url(waiting) in promotion.text_body
    sessions = [*program.fintech_sessions, program.economy_session]
    assert event_uids(calendar_of(promotion)) == [uid(mail_app, s) for s in sessions]


def test_resend_link_sends_the_same_manage_link(program):
    registration = register(program, "ada@example.com")

    services.send_manage_link(program.conference, "ADA@example.com")

    message = outbox()[-1]
    assert (message.kind, message.recipient, message.subject) == (
        "manage_link",
        "ada@example.com",
        "Your link to your registration for the World Internet Conference 2018",
    )
    assert message.text_body.splitlines()[2:5] == [
        "You asked for the link to your registration again. Here it is.",
        "",
        "If you did not ask for it, you can ignore this e-mail: nothing has changed.",
    ]
    assert message.text_body.splitlines()[8:13] == [
        "Your subforums",
        "You have not chosen any subforum.",
        "",
        "On your personal page you can see your registration, change your subforums, "
        "build your agenda or cancel:",
        manage_url(registration),
    ]
    assert message.attachments == []


def test_a_name_with_markup_is_escaped_in_html_and_kept_in_text(program):
    register(program, "mallory@example.com", name='<script>alert("x")</script>')

    (message,) = outbox()
    assert "<script>" not in message.html_body
    assert "Dear &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;," in message.html_body
    assert message.text_body.splitlines()[0] == 'Dear <script>alert("x")</script>,'


def test_a_name_with_a_line_break_cannot_reach_an_e_mail(program):
    with pytest.raises(services.RegistrationError):
        register(program, "mallory@example.com", name="Mallory\r\nYour seat is cancelled.")

    assert outbox() == []


def test_a_line_break_stored_before_it_was_refused_stays_inside_the_greeting(program):
    register(program, "ada@example.com")
    db.session.execute(
        sa.update(Delegate).values(name="Ada\r\nYour registration is cancelled.\u202e")
    )
    db.session.commit()

    (message,) = outbox()
    assert message.text_body.splitlines()[0] == "Dear Ada Your registration is cancelled.,"
    assert "Dear Ada Your registration is cancelled.," in message.html_body
    assert "\u202e" not in message.text_body + message.html_body


def test_html_part_has_inline_styles_only_and_loads_nothing_remote(program):
    register(program, "ada@example.com", program.fintech)

    (message,) = outbox()
    html = message.html_body.lower()
    assert (html.count("<style"), html.count("<img"), html.count("<link")) == (0, 0, 0)
    assert html.count("http://") == 0


@pytest.mark.parametrize("kind", list(DelegateMessage), ids=str)
def test_every_kind_has_both_templates_extending_the_shared_base(kind):
    for suffix in ("txt", "html"):
        template = (EMAIL_TEMPLATES / f"{kind.value}.{suffix}").read_text(encoding="utf-8")
        assert template.startswith(f'{{% extends "emails/_base.{suffix}" %}}')


def test_text_templates_hold_only_the_seat_line_and_the_catalogue_extracts_it():
    """A .txt template takes its words from `t`, but for the seat line, whose colon is Chinese in
    Chinese; babel.cfg extracts templates/**.txt so the catalogue cannot miss it."""
    found = {}
    for path in sorted(EMAIL_TEMPLATES.glob("*.txt")):
        with path.open("rb") as source:
            messages = list(babel_extract(source, DEFAULT_KEYWORDS, [], {}))
        if messages:
            # Jinja hands a message with keyword arguments over as (msgid, None, None).
            found[path.name] = [message[0] for _line, _function, message, _comments in messages]
    babel_cfg = (EMAIL_TEMPLATES.parents[1] / "babel.cfg").read_text(encoding="utf-8")

    assert found == {"_base.txt": ["%(subforum)s: %(state)s"]}
    assert "[jinja2: templates/**.txt]" in babel_cfg.splitlines()


def test_a_moved_session_is_told_with_its_new_time_and_place_and_no_seat_list(mail_app, program):
    from wuzhen_events.program import services as program_services

    ada = register(program, "ada@example.com", program.fintech).delegate
    session = program.fintech_sessions[0]
    program_services.reschedule_session(
        session,
        actor=OPERATOR,
        starts_at=datetime(2018, 11, 8, 1, 0, tzinfo=UTC),
        ends_at=datetime(2018, 11, 8, 2, 0, tzinfo=UTC),
    )
    db.session.query(OutboxMessage).delete()
    db.session.commit()

    queued = services.notify_session_change(session, actor=OPERATOR, sequence=1)
    (mail,) = outbox()

    assert (queued, mail.kind, mail.recipient, mail.delegate_id) == (
        1,
        "session_changed",
        "ada@example.com",
        ada.id,
    )
    assert mail.subject == "A session of yours has moved: Fintech: opening"
    assert ">> Fintech: opening · Thu 8 Nov, 09:00–10:00 · WIICEC, Hall 3" in mail.text_body
    assert ("Your subforums" in mail.text_body, mail.attachments) == (False, [])


def test_a_cancelled_session_is_told_in_the_delegates_language(mail_app, program):
    from wuzhen_events.program import services as program_services

    register(program, "wang@example.com", program.fintech, locale="zh")
    session = program.fintech_sessions[1]
    program_services.cancel_session(session, actor=OPERATOR)
    db.session.query(OutboxMessage).delete()
    db.session.commit()

    services.notify_session_change(session, actor=OPERATOR, sequence=1)
    (mail,) = outbox()

    assert mail.locale == "zh"
    assert "金融科技：圆桌" in mail.subject
    assert "3号厅" in mail.text_body
