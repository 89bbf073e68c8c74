"""Every change a delegate can make, sent several times at once (a double click, two tabs, a
proxy retrying): each copy through its own test client on its own thread and connection,
released together by a barrier. One effect, one e-mail, and an ordinary answer for every copy."""

from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa

from tests.factories import OPERATOR, count_rows, reload
from tests.helpers.registration import details, seats_taken
from tests.helpers.threads import run_together
from wuzhen_events.extensions import db
from wuzhen_events.mail.enums import OutboxStatus
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.mail.sender import deliver_pending
from wuzhen_events.program.models import ProgramSession
from wuzhen_events.registration import services, tokens
from wuzhen_events.registration.enums import DelegateCategory, DelegateStatus, SeatStatus
from wuzhen_events.registration.models import Bookmark, Delegate
from wuzhen_events.registration.tokens import Secret

COPIES = 8
ROUNDS = 3


def sent_at_once(app, method: str, path: str, data: dict | None = None) -> Counter:
    """The answers to COPIES identical requests sent together: status codes, or the name of
    the exception a request raised (the test app lets errors through instead of a 500)."""
    answers: list[int] = []

    def send() -> None:
        answers.append(app.test_client().open(path, method=method, data=data).status_code)

    errors = run_together(app, [send] * COPIES)
    db.session.rollback()  # the copies committed after this thread last read
    return Counter(answers) + Counter(type(error).__name__ for error in errors)


def registered(setting, email: str, *subforums, verified: bool = True) -> tuple[Delegate, str]:
    registration = services.register_delegate(
        setting.conference,
        details(email),
        subforums=subforums,
        email_verified=verified,
        actor=OPERATOR,
    )
    return registration.delegate, registration.manage_token


def places(delegate) -> list[tuple[str, SeatStatus]]:
    return [(booking.subforum.slug, booking.status) for booking in reload(delegate).seats]


def mails(kind: str) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(OutboxMessage.recipient)
            .where(OutboxMessage.kind == kind)
            .order_by(OutboxMessage.id)
        )
    )


def public_session_of(subforum) -> int:
    return db.session.scalar(
        sa.select(ProgramSession.id).where(ProgramSession.subforum_id == subforum.id)
    )


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_adding_a_subforum_at_once_adds_one_place(app, setting, round_):
    delegate, token = registered(setting, "li@example.com")

    answers = sent_at_once(app, "POST", f"/me/{token}/seats", {"subforum": setting.economy.id})

    assert answers == {303: COPIES}
    assert places(delegate) == [("economy", SeatStatus.CONFIRMED)]
    assert seats_taken(setting.economy) == 1


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_adding_a_full_subforum_at_once_queues_once(app, setting, round_):
    registered(setting, "seated@example.com", setting.economy)
    delegate, token = registered(setting, "li@example.com")

    answers = sent_at_once(app, "POST", f"/me/{token}/seats", {"subforum": setting.economy.id})

    assert answers == {303: COPIES}
    assert places(delegate) == [("economy", SeatStatus.WAITLISTED)]
    assert seats_taken(setting.economy) == 1


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_dropping_a_seat_at_once_promotes_one_and_e_mails_once(app, setting, round_):
    delegate, token = registered(setting, "li@example.com", setting.economy)
    waiting, _token = registered(setting, "waiting@example.com", setting.economy)
    registered(setting, "next@example.com", setting.economy)

    answers = sent_at_once(app, "POST", f"/me/{token}/seats/{setting.economy.id}/drop")

    assert answers == {303: COPIES}
    assert places(delegate) == []
    assert places(waiting) == [("economy", SeatStatus.CONFIRMED)]
    assert seats_taken(setting.economy) == 1
    assert mails("waitlist_promotion") == ["waiting@example.com"]


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_cancelling_at_once_cancels_promotes_and_e_mails_once(app, setting, round_):
    delegate, token = registered(setting, "li@example.com", setting.fintech, setting.economy)
    waiting, _token = registered(setting, "waiting@example.com", setting.economy)

    answers = sent_at_once(app, "POST", f"/me/{token}/cancel")

    assert answers == {303: COPIES}
    assert reload(delegate).status is DelegateStatus.CANCELLED
    assert places(waiting) == [("economy", SeatStatus.CONFIRMED)]
    assert (seats_taken(setting.fintech), seats_taken(setting.economy)) == (0, 1)
    assert mails("cancellation") == ["li@example.com"]
    assert mails("waitlist_promotion") == ["waiting@example.com"]


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_erasing_at_once_erases_and_promotes_once(app, setting, round_):
    delegate, token = registered(setting, "li@example.com", setting.economy)
    waiting, _token = registered(setting, "waiting@example.com", setting.economy)

    answers = sent_at_once(app, "POST", f"/me/{token}/erase")

    assert answers == {303: COPIES}
    assert reload(delegate).email == f"erased-{delegate.id}@erased.invalid"
    assert places(waiting) == [("economy", SeatStatus.CONFIRMED)]
    assert seats_taken(setting.economy) == 1
    assert mails("waitlist_promotion") == ["waiting@example.com"]
    assert mails("cancellation") == []


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_opening_the_e_mailed_link_at_once_confirms_once(app, setting, round_):
    delegate, token = registered(setting, "li@example.com", setting.economy, verified=False)
    thanked: list[bool] = []

    def open_link() -> None:
        page = app.test_client().get(f"/me/{token}/")
        thanked.append("your e-mail address is confirmed" in page.get_data(as_text=True))

    errors = run_together(app, [open_link] * COPIES)

    assert errors == []
    assert sorted(thanked) == [False] * (COPIES - 1) + [True]
    assert places(delegate) == [("economy", SeatStatus.CONFIRMED)]
    assert seats_taken(setting.economy) == 1


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_starring_at_once_stars_once(app, setting, round_):
    _delegate, token = registered(setting, "li@example.com")
    session_id = public_session_of(setting.fintech)

    answers = sent_at_once(app, "POST", f"/me/{token}/stars/{session_id}")

    assert answers == {303: COPIES}
    assert db.session.scalars(sa.select(Bookmark.session_id)).all() == [session_id]


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_unstarring_at_once_unstars(app, setting, round_):
    delegate, token = registered(setting, "li@example.com")
    session_id = public_session_of(setting.fintech)
    services.star_session(
        reload(delegate), db.session.get(ProgramSession, session_id), actor=OPERATOR
    )

    answers = sent_at_once(app, "POST", f"/me/{token}/stars/{session_id}", {"action": "unstar"})

    assert answers == {303: COPIES}
    assert count_rows(Bookmark) == 0


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_renewing_the_feed_at_once_leaves_one_working_address(app, setting, round_):
    delegate, token = registered(setting, "li@example.com", setting.economy)
    old_feed = tokens.derive(Secret.FEED, delegate.feed_seed)

    answers = sent_at_once(app, "POST", f"/me/{token}/feed")

    new_feed = tokens.derive(Secret.FEED, reload(delegate).feed_seed)
    client = app.test_client()
    assert answers == {303: COPIES}
    assert client.get(f"/calendar/me/{old_feed}.ics").status_code == 404
    assert client.get(f"/calendar/me/{new_feed}.ics").status_code == 200
    assert f"/calendar/me/{new_feed}.ics" in client.get(f"/me/{token}/").get_data(as_text=True)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_saving_details_at_once_saves_them(app, setting, round_):
    delegate, token = registered(setting, "li@example.com")
    edited = {
        "name": "李伟",
        "organisation": "新网络",
        "country": "CN",
        "category": "expert",
        "locale": "zh",
    }

    answers = sent_at_once(app, "POST", f"/me/{token}/details", edited)

    delegate = reload(delegate)
    assert answers == {303: COPIES}
    assert (delegate.name, delegate.organisation, delegate.category.value, delegate.locale) == (
        "李伟",
        "新网络",
        "expert",
        "zh",
    )


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_asking_for_the_link_at_once_e_mails_it_once(app, setting, round_):
    registered(setting, "li@example.com")

    answers = sent_at_once(app, "POST", "/register/resend-link", {"resend-email": "li@example.com"})
    deliver_pending()

    links = db.session.scalars(
        sa.select(OutboxMessage.status).where(OutboxMessage.kind == "manage_link")
    ).all()
    assert answers == {200: COPIES}
    assert Counter(links) == {OutboxStatus.SENT: 1, OutboxStatus.SUPERSEDED: COPIES - 1}


def test_asking_for_the_link_again_after_it_went_out_sends_it_again(app, setting):
    registered(setting, "li@example.com")
    services.send_manage_link(setting.conference, "li@example.com")
    deliver_pending()

    services.send_manage_link(setting.conference, "li@example.com")
    deliver_pending()

    assert mails("manage_link") == ["li@example.com", "li@example.com"]
    assert db.session.scalars(
        sa.select(OutboxMessage.status).where(OutboxMessage.kind == "manage_link")
    ).all() == [OutboxStatus.SENT, OutboxStatus.SENT]


def awaiting_approval(setting) -> Delegate:
    """A government envoy who registered without an invitation, asking for the economy seat."""
    return services.register_delegate(
        setting.conference,
        details("envoy@example.org", category=DelegateCategory.GOVERNMENT),
        subforums=[setting.economy],
        email_verified=True,
        actor=OPERATOR,
    ).delegate


def approving(delegate_id: int):
    """The approval as a job for another thread, which loads the delegate in its own session."""
    return lambda: services.approve_delegate(db.session.get(Delegate, delegate_id), actor=OPERATOR)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_approving_at_once_approves_seats_and_e_mails_once(app, setting, round_):
    pending = awaiting_approval(setting)
    pending_id = pending.id  # read here: each thread has its own session

    errors = run_together(app, [approving(pending_id)] * COPIES)
    db.session.rollback()  # the threads committed after this one last read

    assert sorted(str(error) for error in errors) == [
        "Only a registration waiting for approval can be approved."
    ] * (COPIES - 1)
    assert reload(pending).status is DelegateStatus.CONFIRMED
    assert places(pending) == [("economy", SeatStatus.CONFIRMED)]
    assert seats_taken(setting.economy) == 1
    assert mails("approved") == ["envoy@example.org"]


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_an_approval_racing_a_cancellation_never_revives_it(app, setting, round_):
    pending = awaiting_approval(setting)
    pending_id = pending.id  # read here: each thread has its own session

    def cancel() -> None:
        services.cancel_registration(db.session.get(Delegate, pending_id), actor=OPERATOR)

    errors = run_together(app, [approving(pending_id), cancel])
    db.session.rollback()  # the threads committed after this one last read

    status = reload(pending).status
    assert status is DelegateStatus.CANCELLED
    assert [str(error) for error in errors] in (
        [],  # approved first, then cancelled
        ["Only a registration waiting for approval can be approved."],
    )
    assert seats_taken(setting.economy) == 0
    assert places(pending) == []
