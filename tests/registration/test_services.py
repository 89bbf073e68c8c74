"""Every registration rule, with the seats, queues, statuses and e-mails each leaves behind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests import factories
from tests.factories import OPERATOR, count_rows, fresh, reload
from tests.helpers.registration import details, register, seats_taken
from wuzhen_events import clock
from wuzhen_events.extensions import db
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.program.models import Subforum
from wuzhen_events.registration import queries, services, tokens
from wuzhen_events.registration.enums import DelegateCategory, DelegateStatus, SeatStatus
from wuzhen_events.registration.models import Bookmark, Delegate, Invitation, SeatBooking
from wuzhen_events.registration.services import RegistrationError
from wuzhen_events.registration.tokens import Secret

GOVERNMENT = DelegateCategory.GOVERNMENT


def seats(delegate) -> list[tuple[str, SeatStatus]]:
    delegate = reload(delegate)
    return [(booking.subforum.slug, booking.status) for booking in delegate.seats]


def mails() -> list[tuple[str, str]]:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))
    return [(message.recipient, message.kind) for message in rows]


# --- registering ---------------------------------------------------------------------------------


def test_enterprise_delegate_is_confirmed_with_a_seat_and_a_confirmation_mail(setting):
    delegate = register(setting, "Li.Wei@Example.com", setting.fintech, setting.economy)

    assert delegate.status is DelegateStatus.CONFIRMED
    assert delegate.email == "li.wei@example.com"
    assert seats(delegate) == [("fintech", SeatStatus.CONFIRMED), ("economy", SeatStatus.CONFIRMED)]
    assert (seats_taken(setting.fintech), seats_taken(setting.economy)) == (1, 1)
    assert mails() == [("li.wei@example.com", "confirmation")]


def test_a_full_subforum_puts_the_delegate_on_its_waitlist_in_order(setting):
    register(setting, "a@example.com", setting.economy)
    second = register(setting, "b@example.com", setting.economy)
    third = register(setting, "c@example.com", setting.economy)

    assert seats(second) == [("economy", SeatStatus.WAITLISTED)]
    lines = queries.seat_lines(reload(third))
    assert [(line.booking.status, line.waitlist_position) for line in lines] == [
        (SeatStatus.WAITLISTED, 2)
    ]
    assert seats_taken(setting.economy) == 1


def test_government_delegate_without_invitation_waits_holding_no_seat(setting):
    delegate = register(setting, "gov@example.gov", setting.economy, category=GOVERNMENT)

    assert delegate.status is DelegateStatus.PENDING
    assert seats(delegate) == [("economy", SeatStatus.WANTED)]
    assert seats_taken(setting.economy) == 0
    assert mails() == [("gov@example.gov", "pending_approval")]


def test_a_valid_invitation_confirms_a_government_delegate_and_is_used_up(setting):
    invitation, code = services.create_invitation(
        setting.conference, email="Minister@Example.gov", category=GOVERNMENT, actor=OPERATOR
    )

    delegate = register(
        setting,
        "minister@example.gov",
        setting.economy,
        category=GOVERNMENT,
        invitation_code=code.lower().replace("-", " "),
    )

    assert delegate.status is DelegateStatus.CONFIRMED
    assert seats(delegate) == [("economy", SeatStatus.CONFIRMED)]
    assert reload(invitation).delegate_id == delegate.id
    with pytest.raises(RegistrationError) as refused:
        register(setting, "minister@example.gov ", category=GOVERNMENT, invitation_code=code)
    # Only the holder of the code learns that it was used: nothing about the address is said.
    assert (refused.value.field, refused.value.message) == (
        "invitation_code",
        "This invitation code is not valid for this e-mail address and category.",
    )


@pytest.mark.parametrize(
    ("case", "message"),
    [
        (
            "other-address",
            "This invitation code is not valid for this e-mail address and category.",
        ),
        (
            "other-category",
            "This invitation code is not valid for this e-mail address and category.",
        ),
        ("malformed", "This invitation code is not valid for this e-mail address and category."),
        ("expired", "This invitation code has expired."),
        ("used", "This invitation code is not valid for this e-mail address and category."),
    ],
)
def test_an_unusable_invitation_is_refused_and_nothing_is_written(app, setting, case, message):
    _invitation, code = services.create_invitation(
        setting.conference,
        email="envoy@example.org",
        category=GOVERNMENT,
        expires_at=clock.now() + timedelta(days=1),
        actor=OPERATOR,
    )
    email, category = "envoy@example.org", GOVERNMENT
    if case == "other-address":
        email = "someone.else@example.org"
    elif case == "other-category":
        category = DelegateCategory.INTERNATIONAL_ORGANISATION
    elif case == "malformed":
        code = "WIC-1234"
    elif case == "expired":
        app.config["FROZEN_NOW"] = clock.now() + timedelta(days=2)
    elif case == "used":
        db.session.execute(sa.update(Invitation).values(used_at=clock.now()))
        db.session.commit()
    delegates_before = count_rows(Delegate)

    with pytest.raises(RegistrationError) as refused:
        register(setting, email, setting.economy, category=category, invitation_code=code)

    assert (refused.value.message, refused.value.field) == (message, "invitation_code")
    assert count_rows(Delegate) == delegates_before
    assert seats_taken(setting.economy) == 0


def test_one_registration_per_address_whatever_its_case_and_the_owner_is_told(setting):
    first = register(setting, "li.wei@example.com", setting.fintech)

    again = register(setting, "  LI.WEI@example.com", setting.economy)

    assert again is None  # the same answer as a new registration: nothing to tell the caller
    assert count_rows(Delegate) == 1
    assert seats_taken(setting.economy) == 0
    assert mails() == [
        ("li.wei@example.com", "confirmation"),
        ("li.wei@example.com", "registration_attempt"),
    ]
    assert seats(first) == [("fintech", SeatStatus.CONFIRMED)]


def test_a_closed_category_refuses_new_registrations_until_reopened(setting):
    services.close_category(setting.conference, DelegateCategory.MEDIA, actor=OPERATOR)

    with pytest.raises(RegistrationError) as refused:
        register(setting, "press@example.com", category=DelegateCategory.MEDIA)
    services.open_category(setting.conference, DelegateCategory.MEDIA, actor=OPERATOR)
    delegate = register(setting, "press@example.com", category=DelegateCategory.MEDIA)

    assert refused.value.message == "Registration is closed for the category “Media”."
    assert delegate.status is DelegateStatus.CONFIRMED


def test_two_subforums_at_the_same_time_are_refused_by_name(setting):
    with pytest.raises(RegistrationError) as refused:
        register(setting, "li@example.com", setting.culture, setting.fintech)

    assert refused.value.message == (
        "“Fintech” and “Culture” take place at the same time; please choose one of them."
    )
    assert count_rows(Delegate) == 0
    assert count_rows(SeatBooking) == 0


def test_overlong_text_is_refused_before_anything_is_stored(setting):
    with pytest.raises(RegistrationError) as refused:
        register(setting, "li@example.com", setting.economy, name="李" * 121)

    assert refused.value.message == "The name is longer than 120 characters."
    assert seats_taken(setting.economy) == 0
    assert count_rows(OutboxMessage) == 0


def test_the_three_secrets_differ_and_only_their_hashes_are_stored(setting):
    registration = services.register_delegate(
        setting.conference, details("li@example.com"), actor=OPERATOR
    )
    delegate = registration.delegate
    manage = registration.manage_token
    feed = tokens.derive(Secret.FEED, delegate.feed_seed)
    checkin = tokens.derive(Secret.CHECKIN, delegate.checkin_seed)

    assert len({manage, feed, checkin}) == 3
    assert all(len(secret) == 43 for secret in (manage, feed, checkin))
    stored = db.session.execute(sa.select(Delegate.__table__)).one()._asdict()
    assert not {manage, feed, checkin} & {str(value) for value in stored.values()}
    assert queries.delegate_by_secret(Secret.MANAGE, manage).id == delegate.id
    assert queries.delegate_by_secret(Secret.MANAGE, feed) is None
    assert queries.delegate_by_secret(Secret.FEED, feed).id == delegate.id
    tampered = manage[:-1] + ("A" if manage[-1] != "A" else "B")
    assert queries.delegate_by_secret(Secret.MANAGE, tampered) is None
    assert queries.delegate_by_secret(Secret.MANAGE, "short") is None


# --- seats after registering ----------------------------------------------------------------------


def test_dropping_a_seat_promotes_the_first_waitlisted_and_tells_them(setting):
    holder = register(setting, "holder@example.com", setting.economy)
    first = register(setting, "first@example.com", setting.economy)
    register(setting, "second@example.com", setting.economy)

    services.drop_subforum(reload(holder), setting.economy, actor=OPERATOR)

    assert seats(holder) == []
    assert seats(first) == [("economy", SeatStatus.CONFIRMED)]
    assert seats_taken(setting.economy) == 1
    assert mails()[-1] == ("first@example.com", "waitlist_promotion")
    second = db.session.scalar(sa.select(Delegate).where(Delegate.email == "second@example.com"))
    assert [line.waitlist_position for line in queries.seat_lines(second)] == [1]


def test_dropping_a_waitlist_place_frees_no_seat(setting):
    register(setting, "holder@example.com", setting.economy)
    waiting = register(setting, "waiting@example.com", setting.economy)

    services.drop_subforum(reload(waiting), setting.economy, actor=OPERATOR)

    assert seats_taken(setting.economy) == 1
    assert [kind for _, kind in mails()] == ["confirmation", "confirmation"]


def test_cancelling_releases_every_place_and_promotes_in_each_subforum(setting):
    leaving = register(setting, "leaving@example.com", setting.fintech, setting.economy)
    waiting = register(setting, "waiting@example.com", setting.economy)

    services.cancel_registration(reload(leaving), actor=OPERATOR)

    assert reload(leaving).status is DelegateStatus.CANCELLED
    assert seats(leaving) == []
    assert seats(waiting) == [("economy", SeatStatus.CONFIRMED)]
    assert (seats_taken(setting.fintech), seats_taken(setting.economy)) == (0, 1)
    assert mails()[-2:] == [
        ("waiting@example.com", "waitlist_promotion"),
        ("leaving@example.com", "cancellation"),
    ]
    with pytest.raises(RegistrationError, match="already cancelled"):
        services.cancel_registration(reload(leaving), actor=OPERATOR)


def free_a_seat_behind_the_waitlist(subforum) -> None:
    """A seat left free while someone waits, as a release that missed a waitlist place being
    committed at that moment left it (issue 9, item 2)."""
    db.session.execute(
        sa.update(Subforum)
        .where(Subforum.id == subforum.id)
        .values(seats_taken=Subforum.seats_taken - 1)
    )
    db.session.commit()


def test_a_newcomer_never_takes_a_seat_someone_is_waiting_for(setting):
    register(setting, "holder@example.com", setting.economy)
    waiting = register(setting, "waiting@example.com", setting.economy)
    free_a_seat_behind_the_waitlist(setting.economy)

    newcomer = register(setting, "newcomer@example.com", setting.economy)

    assert seats(waiting) == [("economy", SeatStatus.CONFIRMED)]
    assert seats(newcomer) == [("economy", SeatStatus.WAITLISTED)]
    assert seats_taken(setting.economy) == 1
    assert mails()[-2:] == [
        ("waiting@example.com", "waitlist_promotion"),
        ("newcomer@example.com", "confirmation"),
    ]


def test_a_release_seats_as_many_waiting_as_there_are_free_seats(setting):
    holders = [register(setting, f"holder{n}@example.com", setting.fintech) for n in range(2)]
    waiting = [register(setting, f"waiting{n}@example.com", setting.fintech) for n in range(3)]
    free_a_seat_behind_the_waitlist(setting.fintech)

    services.drop_subforum(reload(holders[0]), setting.fintech, actor=OPERATOR)

    assert [seats(delegate) for delegate in waiting] == [
        [("fintech", SeatStatus.CONFIRMED)],
        [("fintech", SeatStatus.CONFIRMED)],
        [("fintech", SeatStatus.WAITLISTED)],
    ]
    assert seats_taken(setting.fintech) == 2
    assert mails()[-2:] == [
        ("waiting0@example.com", "waitlist_promotion"),
        ("waiting1@example.com", "waitlist_promotion"),
    ]


def test_approval_turns_requests_into_seats_or_waitlist_places(setting):
    register(setting, "first@example.com", setting.economy)
    pending = register(
        setting, "gov@example.gov", setting.fintech, setting.economy, category=GOVERNMENT
    )

    services.approve_delegate(reload(pending), actor=OPERATOR)

    assert reload(pending).status is DelegateStatus.CONFIRMED
    assert seats(pending) == [("fintech", SeatStatus.CONFIRMED), ("economy", SeatStatus.WAITLISTED)]
    assert (seats_taken(setting.fintech), seats_taken(setting.economy)) == (1, 1)
    assert mails()[-1] == ("gov@example.gov", "approved")
    with pytest.raises(RegistrationError) as refused:
        services.approve_delegate(reload(pending), actor=OPERATOR)
    assert refused.value.message == "Only a registration waiting for approval can be approved."


def test_an_approved_request_joins_the_waitlist_behind_those_already_waiting(setting):
    pending = register(setting, "gov@example.gov", setting.economy, category=GOVERNMENT)
    seated = register(setting, "seated@example.com", setting.economy)
    waiting = register(setting, "waiting@example.com", setting.economy)

    services.approve_delegate(reload(pending), actor=OPERATOR)
    services.cancel_registration(reload(seated), actor=OPERATOR)

    assert seats(waiting) == [("economy", SeatStatus.CONFIRMED)]
    lines = queries.seat_lines(reload(pending))
    assert [(line.booking.status, line.waitlist_position) for line in lines] == [
        (SeatStatus.WAITLISTED, 1)
    ]
    assert seats_taken(setting.economy) == 1


def test_add_subforum_takes_a_seat_ignores_repeats_and_refuses_clashes(setting):
    delegate = register(setting, "li@example.com", setting.fintech)

    added = services.add_subforum(reload(delegate), setting.economy, actor=OPERATOR)
    repeat = services.add_subforum(reload(delegate), setting.economy, actor=OPERATOR)
    with pytest.raises(RegistrationError) as clash:
        services.add_subforum(reload(delegate), setting.culture, actor=OPERATOR)

    assert (added.status, repeat) == (SeatStatus.CONFIRMED, None)
    assert seats(delegate) == [("fintech", SeatStatus.CONFIRMED), ("economy", SeatStatus.CONFIRMED)]
    assert seats_taken(setting.economy) == 1
    assert clash.value.message.startswith("“Fintech” and “Culture” take place at the same time")


def test_a_cancelled_registration_cannot_take_seats_again(setting):
    delegate = register(setting, "li@example.com")
    services.cancel_registration(reload(delegate), actor=OPERATOR)

    with pytest.raises(RegistrationError) as refused:
        services.add_subforum(reload(delegate), setting.economy, actor=OPERATOR)

    assert refused.value.message == "This registration has been cancelled."
    assert seats_taken(setting.economy) == 0


# --- details, stars, links ------------------------------------------------------------------------


def test_update_details_keeps_the_address_and_refuses_invited_categories(setting):
    delegate = register(setting, "li@example.com")

    services.update_details(
        reload(delegate),
        details("ignored@example.com", name="李伟 Li Wei", organisation="新公司", locale="zh"),
        actor=OPERATOR,
    )
    with pytest.raises(RegistrationError) as refused:
        services.update_details(
            reload(delegate), details("x@example.com", category=GOVERNMENT), actor=OPERATOR
        )

    changed = reload(delegate)
    assert (changed.email, changed.name, changed.organisation, changed.locale) == (
        "li@example.com",
        "李伟 Li Wei",
        "新公司",
        "zh",
    )
    assert refused.value.field == "category"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "Li\nWei", "The name contains a line break (U+000A), which cannot be stored."),
        (
            "organisation",
            "Demo\r\nApproved: yes",
            "The organisation contains a line break (U+000D), which cannot be stored.",
        ),
        (
            "job_title",
            "CTO\tgovernment",
            "The job title contains a control character (U+0009), which cannot be stored.",
        ),
        (
            "name_zh",
            "李\u202e伟",
            "The name (Chinese) contains a control character (U+202E), which cannot be stored.",
        ),
    ],
    ids=["name-lf", "organisation-crlf", "job-title-tab", "name-zh-bidi"],
)
def test_registering_refuses_a_line_break_whoever_calls_and_queues_no_mail(
    setting, field, value, message
):
    with pytest.raises(RegistrationError) as refused:
        register(setting, "li@example.com", setting.fintech, **{field: value})

    assert (refused.value.field, refused.value.message) == (field, message)
    assert (count_rows(Delegate), count_rows(SeatBooking), mails()) == (0, 0, [])
    assert seats_taken(setting.fintech) == 0


def test_updating_details_refuses_a_line_break_and_changes_nothing(setting):
    delegate = register(setting, "li@example.com")

    with pytest.raises(RegistrationError) as refused:
        services.update_details(
            reload(delegate), details("li@example.com", name="Li\u2028Wei"), actor=OPERATOR
        )

    assert refused.value.message == (
        "The name contains a line break (U+2028), which cannot be stored."
    )
    assert reload(delegate).name == "Li Wei"


def test_an_invitation_for_an_address_with_a_line_break_is_refused(setting):
    with pytest.raises(RegistrationError) as refused:
        services.create_invitation(
            setting.conference,
            email="envoy@example.org\nBcc: eve@example.com",
            category=GOVERNMENT,
            actor=OPERATOR,
        )

    assert refused.value.message == (
        "The email contains a line break (U+000A), which cannot be stored."
    )
    assert count_rows(Invitation) == 0


def test_stars_are_idempotent_and_only_for_public_sessions(setting):
    delegate = register(setting, "li@example.com")
    public = factories.make_session(setting.conference, title="Opening")
    private = factories.make_session(setting.conference, title="Closed", is_public=False)

    services.star_session(reload(delegate), public, actor=OPERATOR)
    services.star_session(reload(delegate), public, actor=OPERATOR)
    with pytest.raises(RegistrationError):
        services.star_session(reload(delegate), private, actor=OPERATOR)
    assert [s.title for s in queries.starred_sessions(reload(delegate))] == ["Opening"]

    services.unstar_session(reload(delegate), public, actor=OPERATOR)
    assert count_rows(Bookmark) == 0


def test_renewing_the_feed_token_revokes_the_old_one(setting):
    delegate = register(setting, "li@example.com")
    old = tokens.derive(Secret.FEED, delegate.feed_seed)

    new = services.renew_feed_token(reload(delegate), actor=OPERATOR)

    assert new != old
    assert queries.delegate_by_secret(Secret.FEED, old) is None
    assert queries.delegate_by_secret(Secret.FEED, new).email == "li@example.com"


def test_send_manage_link_only_mails_active_registrations(setting):
    register(setting, "li@example.com")
    gone = register(setting, "gone@example.com")
    services.cancel_registration(reload(gone), actor=OPERATOR)

    for address in ["LI@example.com", "nobody@example.com", "gone@example.com"]:
        services.send_manage_link(setting.conference, address)

    assert [m for m in mails() if m[1] == "manage_link"] == [("li@example.com", "manage_link")]


# --- erasure ----------------------------------------------------------------------------------

ERASED_AT = datetime(2018, 12, 1, 4, 0, tzinfo=UTC)


def commits_during(action) -> int:
    """How many transactions `action` committed on the database."""
    commits = []

    def count(connection) -> None:
        commits.append(connection)

    sa.event.listen(db.engine, "commit", count)
    try:
        action()
    finally:
        sa.event.remove(db.engine, "commit", count)
    return len(commits)


def test_erasing_releases_every_place_and_promotes_the_waitlist_in_one_commit(setting):
    leaving = register(setting, "leaving@example.com", setting.fintech, setting.economy)
    waiting = register(setting, "waiting@example.com", setting.economy)

    delegate = fresh(leaving)

    commits = commits_during(lambda: services.erase_registration(delegate, actor=OPERATOR))

    assert commits == 1
    assert seats(leaving) == []
    assert seats(waiting) == [("economy", SeatStatus.CONFIRMED)]
    assert (seats_taken(setting.fintech), seats_taken(setting.economy)) == (0, 1)
    assert mails() == [
        ("waiting@example.com", "confirmation"),
        ("waiting@example.com", "waitlist_promotion"),
    ]


def test_erasing_removes_personal_data_and_keeps_the_decision(app, setting):
    delegate = register(
        setting, "li.wei@example.com", setting.fintech, name_zh="李伟", job_title="CTO"
    )
    services.star_session(reload(delegate), setting.fintech.sessions[0], actor=OPERATOR)
    approved_at = reload(delegate).approved_at
    app.config["FROZEN_NOW"] = ERASED_AT

    services.erase_registration(fresh(delegate), actor=OPERATOR)

    row = reload(delegate)
    assert (
        row.name,
        row.name_zh,
        row.email,
        row.organisation,
        row.job_title,
        row.submission_key,
    ) == ("", "", f"erased-{row.id}@erased.invalid", "", "", None)
    assert (
        row.country,
        row.category,
        row.status,
        row.approved_at,
        row.cancelled_at,
        row.erased_at,
    ) == (
        "CN",
        DelegateCategory.ENTERPRISE,
        DelegateStatus.CANCELLED,
        approved_at,
        ERASED_AT,
        ERASED_AT,
    )
    assert (count_rows(Delegate), count_rows(Bookmark), count_rows(SeatBooking)) == (1, 0, 0)
    assert count_rows(OutboxMessage) == 0


def test_erasing_a_cancelled_registration_keeps_its_cancellation_date(app, setting):
    delegate = register(setting, "li@example.com", setting.economy)
    services.cancel_registration(reload(delegate), actor=OPERATOR)
    cancelled_at = reload(delegate).cancelled_at
    app.config["FROZEN_NOW"] = ERASED_AT

    services.erase_registration(fresh(delegate), actor=OPERATOR)

    row = reload(delegate)
    assert (row.status, row.cancelled_at, row.erased_at) == (
        DelegateStatus.CANCELLED,
        cancelled_at,
        ERASED_AT,
    )
    assert mails() == []


def test_erasing_a_pending_registration_withdraws_its_requests(setting):
    pending = register(setting, "gov@example.gov", setting.economy, category=GOVERNMENT)

    services.erase_registration(fresh(pending), actor=OPERATOR)

    assert (reload(pending).status, reload(pending).approved_at) == (DelegateStatus.CANCELLED, None)
    assert (count_rows(SeatBooking), seats_taken(setting.economy)) == (0, 0)
    with pytest.raises(RegistrationError, match="Only a registration waiting for approval"):
        services.approve_delegate(reload(pending), actor=OPERATOR)


def test_erased_secrets_find_nobody(setting):
    delegate = register(setting, "li@example.com")
    secrets_before = {
        purpose: tokens.derive(purpose, getattr(delegate, f"{purpose.value}_seed"))
        for purpose in Secret
    }

    services.erase_registration(fresh(delegate), actor=OPERATOR)

    assert {
        purpose: queries.delegate_by_secret(purpose, secret)
        for purpose, secret in secrets_before.items()
    } == {Secret.MANAGE: None, Secret.FEED: None, Secret.CHECKIN: None}
    row = reload(delegate)
    assert {
        purpose: queries.delegate_by_secret(
            purpose, tokens.derive(purpose, getattr(row, f"{purpose.value}_seed"))
        )
        for purpose in Secret
    } == {Secret.MANAGE: None, Secret.FEED: None, Secret.CHECKIN: None}
    assert queries.is_erased_manage_token(secrets_before[Secret.MANAGE]) is True
    assert queries.is_erased_manage_token(secrets_before[Secret.FEED]) is False


def test_erasing_removes_the_address_from_the_invitation_it_used(setting):
    invitation, code = services.create_invitation(
        setting.conference, email="minister@example.gov", category=GOVERNMENT, actor=OPERATOR
    )
    delegate = register(setting, "minister@example.gov", category=GOVERNMENT, invitation_code=code)

    services.erase_registration(fresh(delegate), actor=OPERATOR)

    row = reload(invitation)
    assert (row.email, row.category, row.delegate_id, row.used_at is not None) == (
        f"erased-{delegate.id}@erased.invalid",
        GOVERNMENT,
        delegate.id,
        True,
    )


def test_erasing_twice_is_refused_and_changes_nothing(setting):
    delegate = register(setting, "li@example.com", setting.economy)
    services.erase_registration(fresh(delegate), actor=OPERATOR)
    before = {column: getattr(reload(delegate), column) for column in ERASED_COLUMNS}

    with pytest.raises(RegistrationError, match="already been erased"):
        services.erase_registration(fresh(delegate), actor=OPERATOR)

    assert {column: getattr(reload(delegate), column) for column in ERASED_COLUMNS} == before


ERASED_COLUMNS = (
    "email",
    "status",
    "cancelled_at",
    "erased_at",
    "manage_seed",
    "manage_token_hash",
    "feed_token_hash",
    "checkin_code_hash",
)


def test_an_erased_registration_gets_no_link_by_email(setting):
    delegate = register(setting, "li@example.com")
    services.erase_registration(fresh(delegate), actor=OPERATOR)

    services.send_manage_link(setting.conference, "li@example.com")
    services.send_manage_link(setting.conference, f"erased-{delegate.id}@erased.invalid")

    assert mails() == []
