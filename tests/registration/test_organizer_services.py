"""What organizers do to registrations from the dashboard: reject, reset to pending, move a
seat, promote a waitlist place by hand, and one decision over many delegates at once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import OPERATOR, fresh, reload
from tests.helpers.registration import register, seats_taken
from wuzhen_events.audit.actors import Actor, ActorKind
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.extensions import db
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.program.models import Subforum
from wuzhen_events.registration import services
from wuzhen_events.registration.bulk import BulkAction, Refused, apply_to_delegates
from wuzhen_events.registration.enums import DelegateCategory, DelegateStatus, SeatStatus
from wuzhen_events.registration.services import RegistrationError

GOVERNMENT = DelegateCategory.GOVERNMENT
ORGANIZER = Actor(ActorKind.ORGANIZER, "7")  # organizer account 7, signed in to the dashboard


def places(delegate) -> list[tuple[str, SeatStatus]]:
    delegate = reload(delegate)
    return [(booking.subforum.slug, booking.status) for booking in delegate.seats]


def actions(delegate) -> list[tuple[str, str, str]]:
    db.session.expire_all()
    rows = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.delegate_id == delegate.id).order_by(AuditEntry.id)
    )
    return [(entry.actor_label, entry.action, entry.object_type) for entry in rows]


def mail_kinds(delegate) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(OutboxMessage.kind)
            .where(OutboxMessage.delegate_id == delegate.id)
            .order_by(OutboxMessage.id)
        )
    )


def set_capacity(subforum, capacity: int) -> None:
    db.session.execute(
        sa.update(Subforum).where(Subforum.id == subforum.id).values(capacity=capacity)
    )
    db.session.commit()


# --- reject ---------------------------------------------------------------------------------


def test_rejecting_a_pending_delegate_keeps_their_requests_and_records_the_organizer(setting):
    envoy = register(setting, "envoy@example.org", setting.fintech, category=GOVERNMENT)

    services.reject_delegate(fresh(envoy), actor=ORGANIZER)

    assert reload(envoy).status is DelegateStatus.REJECTED
    assert reload(envoy).is_active is False
    assert places(envoy) == [("fintech", SeatStatus.WANTED)]
    assert seats_taken(setting.fintech) == 0
    assert actions(envoy)[-1] == ("organizer:7", "reject_delegate", "delegates")


@pytest.mark.parametrize("status", ["confirmed", "rejected"])
def test_only_a_pending_registration_can_be_rejected(setting, status):
    delegate = register(setting, "envoy@example.org", category=GOVERNMENT)
    if status == "confirmed":
        services.approve_delegate(fresh(delegate), actor=OPERATOR)
    else:
        services.reject_delegate(fresh(delegate), actor=OPERATOR)

    with pytest.raises(RegistrationError) as refused:
        services.reject_delegate(fresh(delegate), actor=ORGANIZER)

    assert refused.value.message == "Only a registration waiting for approval can be rejected."
    assert reload(delegate).status is DelegateStatus(status)


def test_a_rejected_delegate_cannot_add_a_subforum(setting):
    envoy = register(setting, "envoy@example.org", category=GOVERNMENT)
    services.reject_delegate(fresh(envoy), actor=OPERATOR)

    with pytest.raises(RegistrationError) as refused:
        services.add_subforum(fresh(envoy), fresh(setting.economy), actor=Actor.delegate(envoy))

    assert refused.value.message == "This registration was not approved."
    assert places(envoy) == []


# --- reset to pending -----------------------------------------------------------------------


def test_resetting_a_seated_delegate_frees_the_seat_for_the_first_waiting(setting):
    seated = register(setting, "a@example.com", setting.economy)
    waiting = register(setting, "b@example.com", setting.economy)

    services.reset_to_pending(fresh(seated), actor=ORGANIZER)

    seated = reload(seated)
    assert (seated.status, seated.approved_at) == (DelegateStatus.PENDING, None)
    assert places(seated) == [("economy", SeatStatus.WANTED)]
    assert places(waiting) == [("economy", SeatStatus.CONFIRMED)]
    assert seats_taken(setting.economy) == 1
    assert actions(seated)[-2:] == [
        ("organizer:7", "reset_to_pending", "delegates"),
        ("organizer:7", "reset_to_pending", "seat_bookings"),
    ]
    assert actions(waiting)[-1] == ("system:waitlist", "promote_from_waitlist", "seat_bookings")
    assert mail_kinds(waiting) == ["confirmation", "waitlist_promotion"]


def test_resetting_a_waitlisted_delegate_takes_them_out_of_the_queue(setting):
    register(setting, "a@example.com", setting.economy)
    waiting = register(setting, "b@example.com", setting.economy)

    services.reset_to_pending(fresh(waiting), actor=ORGANIZER)

    assert places(waiting) == [("economy", SeatStatus.WANTED)]
    assert seats_taken(setting.economy) == 1


def test_a_reset_and_approved_again_delegate_gets_a_seat_as_approval_gives_it(setting):
    envoy = register(setting, "envoy@example.org", setting.fintech, category=GOVERNMENT)
    services.reject_delegate(fresh(envoy), actor=OPERATOR)

    services.reset_to_pending(fresh(envoy), actor=ORGANIZER)
    services.approve_delegate(fresh(envoy), actor=ORGANIZER)

    assert reload(envoy).status is DelegateStatus.CONFIRMED
    assert places(envoy) == [("fintech", SeatStatus.CONFIRMED)]
    assert seats_taken(setting.fintech) == 1


def test_a_cancelled_registration_is_reopened_without_places(setting):
    delegate = register(setting, "a@example.com", setting.economy)
    services.cancel_registration(fresh(delegate), actor=OPERATOR)

    services.reset_to_pending(fresh(delegate), actor=ORGANIZER)

    delegate = reload(delegate)
    assert (delegate.status, delegate.cancelled_at) == (DelegateStatus.PENDING, None)
    assert places(delegate) == []
    assert seats_taken(setting.economy) == 0


def test_resetting_a_pending_or_erased_registration_is_refused(setting):
    pending = register(setting, "envoy@example.org", category=GOVERNMENT)
    erased = register(setting, "gone@example.com")
    services.erase_registration(fresh(erased), actor=OPERATOR)

    with pytest.raises(RegistrationError) as waiting:
        services.reset_to_pending(fresh(pending), actor=ORGANIZER)
    with pytest.raises(RegistrationError) as gone:
        services.reset_to_pending(fresh(erased), actor=ORGANIZER)

    assert waiting.value.message == "This registration is already waiting for approval."
    assert gone.value.message == "This registration has already been erased."
    assert reload(erased).status is DelegateStatus.CANCELLED


# --- seats ----------------------------------------------------------------------------------


def test_moving_a_seat_takes_one_in_the_target_and_gives_the_freed_one_to_the_waitlist(setting):
    set_capacity(setting.fintech, 1)
    moving = register(setting, "a@example.com", setting.fintech)
    waiting = register(setting, "b@example.com", setting.fintech)

    services.move_seat(
        fresh(moving), fresh(setting.fintech), fresh(setting.economy), actor=ORGANIZER
    )

    assert places(moving) == [("economy", SeatStatus.CONFIRMED)]
    assert places(waiting) == [("fintech", SeatStatus.CONFIRMED)]
    assert (seats_taken(setting.fintech), seats_taken(setting.economy)) == (1, 1)
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "move_seat")).one()
    assert (entry.actor_label, entry.before, entry.after) == (
        "organizer:7",
        {"subforum_id": setting.fintech.id},
        {"subforum_id": setting.economy.id},
    )


def test_a_move_into_a_full_subforum_is_refused_naming_it_and_changes_nothing(setting):
    register(setting, "seated@example.com", setting.economy)
    moving = register(setting, "a@example.com", setting.fintech)

    with pytest.raises(RegistrationError) as refused:
        services.move_seat(
            fresh(moving), fresh(setting.fintech), fresh(setting.economy), actor=ORGANIZER
        )

    assert (refused.value.message, refused.value.field) == (
        "“Digital economy” is full: no seat is free there.",
        "target",
    )
    assert places(moving) == [("fintech", SeatStatus.CONFIRMED)]
    assert (seats_taken(setting.fintech), seats_taken(setting.economy)) == (1, 1)


def test_a_move_needs_a_seat_in_the_source_and_no_place_in_the_target(setting):
    delegate = register(setting, "a@example.com", setting.fintech, setting.economy)

    with pytest.raises(RegistrationError) as no_seat:
        services.move_seat(
            fresh(delegate), fresh(setting.culture), fresh(setting.economy), actor=ORGANIZER
        )
    with pytest.raises(RegistrationError) as held:
        services.move_seat(
            fresh(delegate), fresh(setting.fintech), fresh(setting.economy), actor=ORGANIZER
        )
    with pytest.raises(RegistrationError) as clash:
        services.move_seat(
            fresh(delegate), fresh(setting.economy), fresh(setting.culture), actor=ORGANIZER
        )

    assert no_seat.value.message == "This delegate holds no seat in “Culture”."
    assert held.value.message == "This delegate already has a place in “Digital economy”."
    assert clash.value.message == (
        "“Fintech” and “Culture” take place at the same time; please choose one of them."
    )
    assert places(delegate) == [
        ("fintech", SeatStatus.CONFIRMED),
        ("economy", SeatStatus.CONFIRMED),
    ]


def test_promoting_by_hand_seats_the_delegate_when_a_seat_is_free(setting):
    register(setting, "a@example.com", setting.economy)
    first = register(setting, "b@example.com", setting.economy)
    second = register(setting, "c@example.com", setting.economy)
    set_capacity(setting.economy, 2)

    services.promote_waitlisted(fresh(second), fresh(setting.economy), actor=ORGANIZER)

    assert places(second) == [("economy", SeatStatus.CONFIRMED)]
    assert places(first) == [("economy", SeatStatus.WAITLISTED)]
    assert seats_taken(setting.economy) == 2
    assert actions(second)[-1] == ("organizer:7", "promote_waitlisted", "seat_bookings")
    assert mail_kinds(second) == ["confirmation", "waitlist_promotion"]


def test_promoting_into_a_full_subforum_or_someone_not_waiting_is_refused(setting):
    seated = register(setting, "a@example.com", setting.economy)
    waiting = register(setting, "b@example.com", setting.economy)

    with pytest.raises(RegistrationError) as full:
        services.promote_waitlisted(fresh(waiting), fresh(setting.economy), actor=ORGANIZER)
    with pytest.raises(RegistrationError) as not_waiting:
        services.promote_waitlisted(fresh(seated), fresh(setting.economy), actor=ORGANIZER)

    assert full.value.message == "“Digital economy” is full: no seat is free there."
    assert not_waiting.value.message == (
        "This delegate is not on the waitlist of “Digital economy”."
    )
    assert places(waiting) == [("economy", SeatStatus.WAITLISTED)]
    assert seats_taken(setting.economy) == 1


# --- one decision over many -----------------------------------------------------------------


def test_a_bulk_approval_changes_each_it_can_and_names_each_it_cannot(setting):
    envoys = [
        register(setting, f"envoy{n}@example.org", setting.fintech, category=GOVERNMENT)
        for n in range(3)
    ]
    confirmed = register(setting, "confirmed@example.com", name="Zhang Min", name_zh="张敏")
    cancelled = register(setting, "cancelled@example.com", name="Li Wei")
    services.cancel_registration(fresh(cancelled), actor=OPERATOR)
    gone = cancelled.id + 1_000  # above every id, whatever the database's sequence reached
    ids = [d.id for d in envoys] + [confirmed.id, cancelled.id, gone]

    result = apply_to_delegates(BulkAction.APPROVE, ids, actor=ORGANIZER)

    assert (result.changed, result.already) == (["Li Wei"] * 3, ["Zhang Min (张敏)"])
    assert result.refused == [
        Refused(
            cancelled.id, "Li Wei", "Only a registration waiting for approval can be approved."
        ),
        Refused(gone, f"#{gone}", "no longer registered"),
    ]
    assert [reload(d).status for d in envoys] == [DelegateStatus.CONFIRMED] * 3
    assert (seats_taken(setting.fintech)) == 2  # the third waits: approval never oversells


def test_the_same_bulk_action_twice_changes_nothing_the_second_time(setting):
    envoys = [register(setting, f"envoy{n}@example.org", category=GOVERNMENT) for n in range(2)]
    ids = [d.id for d in envoys]
    apply_to_delegates(BulkAction.REJECT, ids, actor=ORGANIZER)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))

    again = apply_to_delegates(BulkAction.REJECT, ids, actor=ORGANIZER)

    assert (again.changed, again.already, again.refused) == ([], ["Li Wei", "Li Wei"], [])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == before
