"""The e-mails a delegate receives: queued in the outbox by the registration services as a kind
and a small context, rendered in the delegate's language by the sender right before it sends
them, through `render_delegate_message`, which create_app registers for every DelegateMessage
(register_renderers). The outbox itself knows no delegates.

Every sentence is translated here, once, for both parts: templates/emails/ only lays the
sentences out, so no wording can hide in a `.txt` template that the catalogue never extracts.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, current_app, has_request_context, request
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from wuzhen_events.audit.actors import MAIL_SENDER
from wuzhen_events.extensions import db
from wuzhen_events.i18n import clock_time, localized, short_datetime
from wuzhen_events.ical import build_calendar
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.mail.outbox import Attachment, one_line_subject, queue_unrendered
from wuzhen_events.mail.rendering import (
    MessageSuperseded,
    MessageUnrenderable,
    RenderedMessage,
    register_renderer,
)
from wuzhen_events.program.calendar_events import SESSION_LOAD, session_event
from wuzhen_events.program.models import ProgramSession, Subforum
from wuzhen_events.registration import rotation
from wuzhen_events.registration.enums import DelegateMessage, DelegateStatus, SeatStatus
from wuzhen_events.registration.models import Delegate, SeatBooking
from wuzhen_events.registration.queries import session_change_recipients, waitlist_positions
from wuzhen_events.registration.tokens import Secret
from wuzhen_events.text import one_line
from wuzhen_events.urls import external_url, is_trusted_base_url

__all__ = [
    "preview_session_change",
    "queue_delegate_message",
    "queue_session_change",
    "register_renderers",
    "render_delegate_message",
]

CALENDAR_FILENAME = "wic2018-my-sessions.ics"
CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"
# Messages sent when the delegate holds seats, so they carry those sessions as a calendar.
WITH_CALENDAR = frozenset(
    {
        DelegateMessage.CONFIRMATION,
        DelegateMessage.APPROVED,
        DelegateMessage.WAITLIST_PROMOTION,
    }
)

SUBJECTS = {
    DelegateMessage.CONFIRMATION: _l(
        "Your registration for the World Internet Conference 2018 is confirmed"
    ),
    DelegateMessage.PENDING_APPROVAL: _l(
        "We have received your registration for the World Internet Conference 2018"
    ),
    DelegateMessage.APPROVED: _l(
        "Your registration for the World Internet Conference 2018 has been approved"
    ),
    DelegateMessage.WAITLIST_PROMOTION: _l("A seat is now yours: %(subforum)s"),
    DelegateMessage.CANCELLATION: _l(
        "Your registration for the World Internet Conference 2018 has been cancelled"
    ),
    DelegateMessage.REJECTION: _l(
        "Your registration for the World Internet Conference 2018 was not approved"
    ),
    DelegateMessage.MANAGE_LINK: _l(
        "Your link to your registration for the World Internet Conference 2018"
    ),
    DelegateMessage.REGISTRATION_ATTEMPT: _l(
        "Your address was used to register again for the World Internet Conference 2018"
    ),
    DelegateMessage.SESSION_CHANGED: _l("A session of yours has moved: %(session)s"),
}
# Messages that end a registration: no seats to list, no address left to confirm.
CLOSING_MESSAGES = frozenset({DelegateMessage.CANCELLATION, DelegateMessage.REJECTION})
CANCELLED_SUBJECT = _l("A session of yours is cancelled: %(session)s")
# A registration whose address is not yet confirmed is asked to confirm it first.
UNVERIFIED_SUBJECT = _l("Please confirm your e-mail address for the World Internet Conference 2018")

INTRODUCTIONS = {
    DelegateMessage.CONFIRMATION: (
        _l(
            "Thank you for registering for the Fifth World Internet Conference in Wuzhen, "
            "7–9 November 2018. Your registration is confirmed."
        ),
    ),
    DelegateMessage.PENDING_APPROVAL: (
        _l(
            "Thank you for registering for the Fifth World Internet Conference in Wuzhen, "
            "7–9 November 2018."
        ),
        _l(
            "Registrations in your category are approved by the organizers. We will write to "
            "you again as soon as yours is approved; the subforums you chose are requested "
            "until then and take a seat, or a waitlist place, on approval."
        ),
    ),
    DelegateMessage.APPROVED: (
        _l(
            "The organizers have approved your registration for the Fifth World Internet "
            "Conference in Wuzhen, 7–9 November 2018. Your registration is confirmed."
        ),
    ),
    DelegateMessage.WAITLIST_PROMOTION: (
        _l(
            "A seat has become free in “%(subforum)s” and it is now yours: you have moved up "
            "from the waitlist."
        ),
    ),
    DelegateMessage.CANCELLATION: (
        _l(
            "Your registration for the Fifth World Internet Conference has been cancelled and "
            "your seats have been released."
        ),
        _l("If you change your mind, you are welcome to register again."),
    ),
    DelegateMessage.REJECTION: (
        _l(
            "The organizers could not approve your registration for the Fifth World Internet "
            "Conference in Wuzhen, 7–9 November 2018, and the subforums you requested hold no "
            "seat."
        ),
        _l("If you believe this is a mistake, please contact the conference organizers."),
    ),
    DelegateMessage.MANAGE_LINK: (
        _l("You asked for the link to your registration again. Here it is."),
        _l("If you did not ask for it, you can ignore this e-mail: nothing has changed."),
    ),
    DelegateMessage.REGISTRATION_ATTEMPT: (
        _l(
            "Someone, perhaps you, tried to register this e-mail address for the World Internet "
            "Conference 2018. It is registered already, so nothing has changed."
        ),
        _l("Your registration and your private link are below."),
        _l("If it was not you, you can ignore this e-mail."),
    ),
    DelegateMessage.SESSION_CHANGED: (
        _l(
            "The session “%(session)s”, for which you hold a seat or which you starred, has "
            "moved. Its new time and place are below; your calendar subscription shows the "
            "change too."
        ),
    ),
}
CANCELLED_INTRODUCTION = (
    _l(
        "The session “%(session)s”, for which you hold a seat or which you starred, has been "
        "cancelled. We are sorry for the inconvenience."
    ),
)
UNVERIFIED_INTRODUCTION = (
    _l(
        "Thank you for registering for the Fifth World Internet Conference in Wuzhen, "
        "7–9 November 2018."
    ),
    _l(
        "Please open your personal page with the button below: this confirms that the address "
        "is yours and completes your registration."
    ),
)
HELD_NOTE = _l(
    "Your seats are held for you until %(deadline)s. If the address is not confirmed by then, "
    "they go to the people on the waitlist."
)


@dataclass(frozen=True)
class SeatSummary:
    """One chosen subforum as the e-mail lists it, every label already in the right language."""

    title: str
    when: str
    where: str
    state: str
    is_confirmed: bool
    held_until: datetime | None = None
    subforum_id: int = 0


@dataclass(frozen=True)
class Wording:
    """Every sentence of one e-mail, translated, for the text and the HTML templates alike."""

    subject: str
    brand: str
    greeting: str
    introduction: list[str]
    status: str
    seats_heading: str
    no_seats: str
    manage_intro: str
    manage_button: str
    manage_warning: str
    calendar_note: str
    signature: str
    footer: str
    highlight: str = ""
    seats: list[SeatSummary] = field(default_factory=list)


def queue_delegate_message(
    kind: DelegateMessage, delegate: Delegate, *, subforum: Subforum | None = None
) -> OutboxMessage:
    """Add `kind` for `delegate` to the caller's transaction; the sender renders it.

    `subforum` names the subforum of a waitlist promotion. Nothing else of the delegate's row
    changes here: the caller may hold a subforum's lock (a waitlist promotion), under which
    locking another delegate's row could deadlock with that delegate's own change.
    """
    kind = DelegateMessage(kind)
    if kind is DelegateMessage.WAITLIST_PROMOTION and subforum is None:
        raise ValueError("A waitlist promotion names its subforum.")
    context: dict[str, object] = {}
    if subforum is not None:
        context["subforum_id"] = subforum.id
    base_url = _request_base_url()
    if base_url:
        context["base_url"] = base_url
    message = queue_unrendered(
        kind=kind.value, recipient=delegate.email, locale=delegate.locale, context=context
    )
    # The delegate may be new: the flush that inserts it fills in delegate_id.
    delegate.outbox_messages.add(message)
    return message


def queue_session_change(
    session: ProgramSession, *, delegate_id: int, recipient: str, locale: str
) -> OutboxMessage:
    """One delegate's notice of a moved or cancelled session, keyed by the session's sequence
    (the change it reports): `session_change_sent` finds it again, so a notice goes out once."""
    context: dict[str, object] = {"session_id": session.id, "sequence": session.sequence}
    base_url = _request_base_url()
    if base_url:
        context["base_url"] = base_url
    message = queue_unrendered(
        kind=DelegateMessage.SESSION_CHANGED.value,
        recipient=recipient,
        locale=locale,
        context=context,
    )
    message.delegate_id = delegate_id
    return message


def session_change_sent(session: ProgramSession, delegate_ids: list[int]) -> set[int]:
    """The delegates among `delegate_ids` already sent the notice of this change of `session`."""
    rows = db.session.execute(
        sa.select(OutboxMessage.delegate_id, OutboxMessage.context).where(
            OutboxMessage.kind == DelegateMessage.SESSION_CHANGED.value,
            OutboxMessage.delegate_id.in_(delegate_ids),
        )
    )
    return {
        row.delegate_id
        for row in rows
        if (row.context or {}).get("session_id") == session.id
        and (row.context or {}).get("sequence") == session.sequence
    }


def session_change_waiting(session: ProgramSession) -> int:
    """How many of the session's delegates have not been sent the notice of its last change."""
    recipients = db.session.scalars(
        session_change_recipients(session).with_only_columns(Delegate.id)
    ).all()
    return len(recipients) - len(session_change_sent(session, list(recipients)))


def preview_session_change(session: ProgramSession, *, locale: str) -> RenderedMessage:
    """The notice as a delegate reading `locale` gets it, for an example delegate and link."""
    with force_locale(locale):
        example = Delegate(
            name=gettext("Delegate's name"),
            status=DelegateStatus.CONFIRMED,
            email_verified_at=session.updated_at,
        )
        manage_url = gettext("(the delegate's own link)")
    return _render_for(
        DelegateMessage.SESSION_CHANGED,
        example,
        None,
        locale=locale,
        session=session,
        link=manage_url,
    )


def register_renderers(app: Flask) -> None:
    """The sender renders every delegate message here; called from create_app."""
    register_renderer(app, DelegateMessage, render_delegate_message)


def _request_base_url() -> str | None:
    """The address links would have pointed at, had the e-mail been rendered in this request:
    the sender, which has no request, renders them the same way."""
    if current_app.config.get("PUBLIC_BASE_URL") or not has_request_context():
        return None
    return request.url_root


def render_delegate_message(message: OutboxMessage) -> RenderedMessage:
    """The e-mail queued by `queue_delegate_message`, as it reads now, in the message's language.

    It shows the registration as it stands when the sender renders it, a moment after the change
    that queued it; a later change queues its own e-mail.
    """
    kind = DelegateMessage(message.kind)
    context = message.context or {}
    delegate = db.session.get(Delegate, message.delegate_id) if message.delegate_id else None
    if delegate is None:
        raise MessageUnrenderable("The delegate this e-mail is about no longer exists.")
    if delegate.erased_at is not None:
        raise MessageUnrenderable("The delegate this e-mail is about erased their registration.")
    _renew_secret_hashes(delegate)
    subforum = None
    if context.get("subforum_id") is not None:
        subforum = db.session.get(
            Subforum, context["subforum_id"], options=[selectinload(Subforum.sessions)]
        )
        if subforum is None:
            raise MessageUnrenderable("The subforum this e-mail is about no longer exists.")
    elif kind is DelegateMessage.WAITLIST_PROMOTION:
        raise MessageUnrenderable("A waitlist promotion names its subforum.")
    if kind is DelegateMessage.WAITLIST_PROMOTION and _shown_already(message, subforum.id):
        raise MessageSuperseded(f"An earlier e-mail showed the seat in subforum {subforum.id}.")
    session = None
    if kind is DelegateMessage.SESSION_CHANGED:
        session = db.session.get(ProgramSession, context.get("session_id") or 0)
        if session is None:
            raise MessageUnrenderable("The session this e-mail is about no longer exists.")
    if kind is DelegateMessage.MANAGE_LINK and _link_went_out_since(message):
        raise MessageSuperseded("Another e-mail carried the link after this one was asked for.")
    base_url = context.get("base_url")
    with ExitStack() as stack:
        # Queued before the Host check existed, a forged host may be stored: never link to it.
        if (
            base_url
            and not current_app.config.get("PUBLIC_BASE_URL")
            and is_trusted_base_url(base_url)
        ):
            stack.enter_context(current_app.test_request_context(base_url=base_url))
        return _render_for(kind, delegate, subforum, locale=message.locale, session=session)


def _renew_secret_hashes(delegate: Delegate) -> None:
    """After a SECRET_KEY rotation the e-mail's link is made with the new key: the hashes move to
    it here, in a transaction of their own that locks only this delegate's row."""
    # At call time: registration.services queues its messages through this module.
    from wuzhen_events.registration.services import renew_secret_hashes

    renew_secret_hashes(delegate, actor=MAIL_SENDER)


def _link_went_out_since(message: OutboxMessage) -> bool:
    """Whether another link e-mail was rendered after this one was asked for, and so carried
    the same link: a request sent twice at once (a double click) sends the link once. (Not only
    an earlier id: rows inserted at once take ids in another order than the sender takes them.)"""
    return bool(
        db.session.scalar(
            sa.select(
                sa.exists().where(
                    OutboxMessage.delegate_id == message.delegate_id,
                    OutboxMessage.kind == DelegateMessage.MANAGE_LINK.value,
                    OutboxMessage.id != message.id,
                    OutboxMessage.rendered_at >= message.created_at,
                )
            )
        )
    )


def _shown_already(message: OutboxMessage, subforum_id: int) -> bool:
    """Whether an earlier e-mail to the delegate listed the seat as confirmed: the first e-mail of
    a delegate promoted before it went out already says "Seat confirmed"."""
    earlier = db.session.scalars(
        sa.select(OutboxMessage.context).where(
            OutboxMessage.delegate_id == message.delegate_id,
            OutboxMessage.id < message.id,
            OutboxMessage.rendered_at.is_not(None),
        )
    )
    return any(subforum_id in (context or {}).get("shown_seats", ()) for context in earlier)


def _render_for(
    kind: DelegateMessage,
    delegate: Delegate,
    subforum: Subforum | None,
    *,
    locale: str,
    session: ProgramSession | None = None,
    link: str | None = None,
) -> RenderedMessage:
    manage_url = link or external_url(
        "registration.manage", token=rotation.secret_of(delegate, Secret.MANAGE)
    )
    with force_locale(locale):
        listed = kind not in (*CLOSING_MESSAGES, DelegateMessage.SESSION_CHANGED)
        seats = _seat_summaries(delegate) if listed else []
        attachments = _calendar_attachments(kind, delegate, locale=locale)
        wording = _wording(kind, delegate, subforum, seats, has_calendar=bool(attachments))
        if session is not None:
            wording = _session_change_wording(wording, session)
        context = {
            "kind": kind.value,
            "t": wording,
            "manage_url": manage_url,
            "lang": "zh-Hans" if locale == "zh" else "en",
        }
        text_body = _render(f"emails/{kind.value}.txt", context)
        html_body = _render(f"emails/{kind.value}.html", context)
    return RenderedMessage(
        subject=one_line_subject(wording.subject),
        text_body=text_body,
        html_body=html_body,
        attachments=attachments,
        shown_seats=[seat.subforum_id for seat in seats if seat.is_confirmed],
    )


def _render(template_name: str, context: dict) -> str:
    """Render without the site's context processors: they read a request an e-mail may lack."""
    return current_app.jinja_env.get_template(template_name).render(context)


def _wording(
    kind: DelegateMessage,
    delegate: Delegate,
    subforum: Subforum | None,
    seats: list[SeatSummary],
    *,
    has_calendar: bool,
) -> Wording:
    subforum_title = localized(subforum, "title") if subforum is not None else ""
    values = {"subforum": subforum_title, "session": ""}
    cancelled = kind in CLOSING_MESSAGES
    subject = str(SUBJECTS[kind]) % values
    introduction = [str(paragraph) % values for paragraph in INTRODUCTIONS[kind]]
    if delegate.email_verified_at is None and not cancelled:
        if kind is DelegateMessage.CONFIRMATION:
            subject, introduction = (
                str(UNVERIFIED_SUBJECT),
                [str(p) for p in UNVERIFIED_INTRODUCTION],
            )
        held_until = [seat.held_until for seat in seats if seat.held_until is not None]
        if held_until:
            introduction.append(str(HELD_NOTE) % {"deadline": short_datetime(min(held_until))})
    highlight = ""
    if subforum is not None and subforum.starts_at is not None:
        highlight = f"{subforum_title} · {_time_range(subforum)}"
    return Wording(
        subject=subject,
        brand=gettext("World Internet Conference 2018"),
        # One line whatever is stored: a name saved before line breaks were refused stays one.
        greeting=gettext("Dear %(name)s,", name=one_line(localized(delegate, "name"))),
        introduction=introduction,
        status=gettext("Registration status: %(status)s", status=delegate.status.label),
        seats_heading=gettext("Your subforums"),
        no_seats=gettext("You have not chosen any subforum."),
        manage_intro=(
            gettext("Your personal page still shows your registration:")
            if cancelled
            else gettext(
                "On your personal page you can see your registration, change your subforums, "
                "build your agenda or cancel:"
            )
        ),
        manage_button=gettext("Open my registration"),
        manage_warning=gettext(
            "Keep this link to yourself: anyone who has it can change your registration."
        ),
        calendar_note=(
            gettext(
                "Your confirmed sessions are in the attached calendar file (%(filename)s): "
                "open it to add them to your calendar.",
                filename=CALENDAR_FILENAME,
            )
            if has_calendar
            else ""
        ),
        signature=gettext("The World Internet Conference 2018 team"),
        footer=gettext(
            "You receive this e-mail because this address was used to register for the "
            "Fifth World Internet Conference, Wuzhen, 7–9 November 2018."
        ),
        highlight=highlight,
        seats=seats,
    )


def _session_change_wording(wording: Wording, session: ProgramSession) -> Wording:
    """The subject, introduction and highlight of a moved or cancelled session's notice."""
    values = {"session": one_line(localized(session, "title"))}
    cancelled = session.is_cancelled
    subject = CANCELLED_SUBJECT if cancelled else SUBJECTS[DelegateMessage.SESSION_CHANGED]
    introduction = (
        CANCELLED_INTRODUCTION if cancelled else INTRODUCTIONS[DelegateMessage.SESSION_CHANGED]
    )
    when = f"{short_datetime(session.starts_at)}–{clock_time(session.ends_at)}"
    place = ""
    if session.venue is not None:
        parts = [localized(session.venue, "building"), localized(session.venue, "hall")]
        place = ", ".join(part for part in parts if part)
    highlight = " · ".join(part for part in (values["session"], when, place) if part)
    if cancelled:
        highlight = gettext("Cancelled: %(session)s", session=highlight)
    return replace(
        wording,
        subject=str(subject) % values,
        introduction=[str(paragraph) % values for paragraph in introduction],
        highlight=highlight,
    )


def _seat_summaries(delegate: Delegate) -> list[SeatSummary]:
    """The delegate's places in program order, with their subforums' sessions and venues."""
    bookings = sorted(
        db.session.scalars(
            sa.select(SeatBooking)
            .where(SeatBooking.delegate_id == delegate.id)
            .options(
                selectinload(SeatBooking.subforum).selectinload(Subforum.sessions),
                selectinload(SeatBooking.subforum).selectinload(Subforum.venue),
            )
        ),
        key=_program_order,
    )
    positions = waitlist_positions(
        [booking.id for booking in bookings if booking.status is SeatStatus.WAITLISTED]
    )
    summaries = []
    for booking in bookings:
        if booking.status is SeatStatus.WAITLISTED:
            state = gettext(
                "On the waitlist, position %(position)d", position=positions.get(booking.id, 0)
            )
        else:
            state = booking.status.label
        subforum = booking.subforum
        summaries.append(
            SeatSummary(
                title=localized(subforum, "title"),
                when=_time_range(subforum) if subforum.starts_at is not None else "",
                where=_place(subforum),
                state=state,
                is_confirmed=booking.status is SeatStatus.CONFIRMED,
                held_until=booking.held_until,
                subforum_id=booking.subforum_id,
            )
        )
    return summaries


def _program_order(booking: SeatBooking) -> tuple:
    starts_at = booking.subforum.starts_at
    return (starts_at is None, starts_at.timestamp() if starts_at else 0, booking.subforum.title)


def _time_range(subforum: Subforum) -> str:
    return f"{short_datetime(subforum.starts_at)}–{clock_time(subforum.ends_at)}"


def _place(subforum: Subforum) -> str:
    venue = subforum.venue
    if venue is None:
        return ""
    parts = [localized(venue, "building"), localized(venue, "hall")]
    return ", ".join(part for part in parts if part)


def _calendar_attachments(
    kind: DelegateMessage, delegate: Delegate, *, locale: str
) -> list[Attachment]:
    """The delegate's confirmed sessions as an .ics to import (PUBLISH: no invitation to answer)."""
    if kind not in WITH_CALENDAR:
        return []
    sessions = confirmed_sessions(delegate)
    if not sessions:
        return []
    calendar = build_calendar(
        [session_event(session, locale=locale) for session in sessions],
        name=gettext("My World Internet Conference 2018"),
    )
    return [Attachment(CALENDAR_FILENAME, CALENDAR_CONTENT_TYPE, calendar)]


def confirmed_sessions(delegate: Delegate) -> list[ProgramSession]:
    """The public sessions of every subforum where the delegate holds a confirmed seat."""
    return list(
        db.session.scalars(
            sa.select(ProgramSession)
            .join(SeatBooking, SeatBooking.subforum_id == ProgramSession.subforum_id)
            .where(
                SeatBooking.delegate_id == delegate.id,
                SeatBooking.status == SeatStatus.CONFIRMED,
                ProgramSession.is_public,
            )
            .options(*SESSION_LOAD)
            .order_by(ProgramSession.starts_at, ProgramSession.id)
        ).unique()
    )
