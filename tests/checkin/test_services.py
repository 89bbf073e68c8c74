"""Every answer a door gives, the nonce, offline conflicts and walk-in seats."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import OPERATOR, count_rows, fresh, reload
from tests.helpers.accounts import make_account
from tests.helpers.checkin import (
    MORNING,
    SESSION_START,
    code_of,
    nonce,
    offline_conflict,
    pending,
    person,
    scan,
)
from tests.helpers.registration import seats_taken
from wuzhen_events.accounts.enums import Role
from wuzhen_events.audit.actors import Actor
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.checkin import services
from wuzhen_events.checkin.enums import Direction, OfflineAnswer, ScanReason
from wuzhen_events.checkin.models import Scan
from wuzhen_events.extensions import db
from wuzhen_events.registration import services as registration
from wuzhen_events.registration.enums import SeatStatus


def outcome(result) -> tuple:
    row = reload(result.scan)
    return (row.admitted, row.reason, row.is_checkin, row.conflict, result.duplicate)


def test_a_confirmed_delegate_is_admitted_at_the_entrance_and_checked_in(world):
    delegate = person(world, "a@example.com")

    result = scan(world.entrance, delegate)

    assert outcome(result) == (True, None, True, False, False)
    assert reload(delegate).checked_in_at == MORNING


def test_a_second_entry_at_the_same_door_the_same_day_is_refused_and_kept_as_history(world):
    delegate = person(world, "a@example.com")
    scan(world.entrance, delegate)

    second = scan(world.entrance, delegate)

    assert outcome(second) == (False, ScanReason.ALREADY_CHECKED_IN, False, False, False)
    assert count_rows(Scan) == 2
    assert reload(delegate).checked_in_at == MORNING


def test_the_next_days_first_entry_is_admitted_though_nobody_scanned_out_at_night(world, app):
    delegate = person(world, "a@example.com")
    scan(world.entrance, delegate)  # 09:12 on 7 November in Wuzhen
    app.config["FROZEN_NOW"] = MORNING + timedelta(days=1)

    next_morning = scan(world.entrance, delegate)
    again = scan(world.entrance, delegate)

    assert [outcome(next_morning), outcome(again)] == [
        (True, None, False, False, False),
        (False, ScanReason.ALREADY_CHECKED_IN, False, False, False),
    ]
    assert reload(delegate).checked_in_at == MORNING


def test_an_exit_then_an_entry_is_plain_history(world):
    delegate = person(world, "a@example.com")
    scan(world.entrance, delegate)
    scan(world.entrance, delegate, direction=Direction.EXIT)

    again = scan(world.entrance, delegate)

    assert outcome(again) == (True, None, False, False, False)


@pytest.mark.parametrize("door_name", ["entrance", "hall"])
def test_refusals_by_registration_state(world, door_name):
    door = getattr(world, door_name)
    cancelled = person(world, "c@example.com", world.subforum)
    registration.cancel_registration(fresh(cancelled), actor=OPERATOR)
    waiting = pending(world, "p@example.org")
    rejected = pending(world, "r@example.org")
    registration.reject_delegate(fresh(rejected), actor=OPERATOR)

    answers = [
        outcome(scan(door, cancelled))[:2],
        outcome(scan(door, waiting))[:2],
        outcome(scan(door, rejected))[:2],
        outcome(scan(door, "A" * 43))[:2],
    ]

    assert answers == [
        (False, ScanReason.CANCELLED),
        (False, ScanReason.PENDING_APPROVAL),
        (False, ScanReason.REJECTED),
        (False, ScanReason.UNKNOWN_CODE),
    ]
    assert [reload(d).checked_in_at for d in (cancelled, waiting, rejected)] == [None] * 3


def test_a_hall_door_admits_a_seat_and_refuses_no_seat_and_the_waitlist(world):
    seated = person(world, "s1@example.com", world.subforum)
    person(world, "s2@example.com", world.subforum)
    waitlisted = person(world, "w@example.com", world.subforum)
    nobody = person(world, "n@example.com")

    answers = [outcome(scan(world.hall, d))[:2] for d in (seated, waitlisted, nobody)]

    assert answers == [(True, None), (False, ScanReason.WAITLISTED), (False, ScanReason.NO_SEAT)]


def test_a_walk_in_door_seats_the_waitlisted_once_the_session_started_if_a_seat_is_free(app, world):
    first = person(world, "s1@example.com", world.subforum)
    person(world, "s2@example.com", world.subforum)
    waitlisted = person(world, "w@example.com", world.subforum)
    services.update_door(
        fresh(world.hall),
        services.DoorDetails(
            name="Hall A door",
            kind=world.hall.kind,
            subforum_id=world.subforum.id,
            admits_walk_ins=True,
        ),
        actor=OPERATOR,
    )
    # Before the session: still the waitlist, even with a seat freed.
    db.session.execute(
        sa.update(type(world.subforum))
        .where(type(world.subforum).id == world.subforum.id)
        .values(capacity=3)
    )
    db.session.commit()
    before = outcome(scan(world.hall, waitlisted))[:2]
    app.config["FROZEN_NOW"] = SESSION_START

    during = outcome(scan(world.hall, waitlisted))[:2]

    assert (before, during) == ((False, ScanReason.WAITLISTED), (True, None))
    assert seats_taken(world.subforum) == 3
    statuses = db.session.scalars(
        sa.select(type(first.seats[0]).status).order_by(type(first.seats[0]).id)
    ).all()
    assert statuses == [SeatStatus.CONFIRMED] * 3


def test_the_same_nonce_five_times_records_one_scan(world):
    delegate = person(world, "a@example.com")
    same = nonce()

    results = [scan(world.entrance, delegate, nonce=same) for _ in range(5)]

    assert [r.duplicate for r in results] == [False, True, True, True, True]
    assert {r.scan.id for r in results} == {results[0].scan.id}
    assert count_rows(Scan) == 1


def test_a_nonce_used_at_another_door_is_refused(world):
    delegate = person(world, "a@example.com", world.subforum)
    same = nonce()
    scan(world.entrance, delegate, nonce=same)

    with pytest.raises(services.CheckinError) as refused:
        scan(world.hall, delegate, nonce=same)

    assert refused.value.field == "nonce"
    assert count_rows(Scan) == 1


@pytest.mark.parametrize(
    ("code", "field"),
    [("", "code"), ("   ", "code"), ("x" * 201, "code"), ("<script>alert(1)</script>", "code")],
    ids=["empty", "blank", "huge", "script"],
)
def test_input_that_is_no_code_is_refused_and_records_nothing(world, code, field):
    with pytest.raises(services.CheckinError) as refused:
        scan(world.entrance, code)

    assert refused.value.field == field
    assert count_rows(Scan) == 0


def test_a_qr_payload_and_a_typed_code_in_groups_find_the_delegate(world):
    delegate = person(world, "a@example.com")
    code = code_of(delegate)
    grouped = " ".join(code[i : i + 4] for i in range(0, len(code), 4))

    results = [scan(world.entrance, f"WIC2018:{code}"), scan(world.entrance, grouped)]

    assert [reload(r.scan).delegate_id for r in results] == [delegate.id, delegate.id]


def test_two_offline_admissions_at_one_door_are_both_kept_the_later_flagged(world):
    delegate = person(world, "a@example.com")
    offline = {"offline": True, "offline_answer": OfflineAnswer.ADMITTED}

    first = scan(world.entrance, delegate, device_label="Phone 1", **offline)
    second = scan(world.entrance, delegate, device_label="Phone 2", **offline)

    assert [outcome(first), outcome(second)] == [
        (True, None, True, False, False),
        (True, ScanReason.ALREADY_CHECKED_IN, False, True, False),
    ]


def test_an_offline_admission_of_a_refused_badge_is_flagged(world):
    delegate = person(world, "a@example.com")
    registration.cancel_registration(fresh(delegate), actor=OPERATOR)

    result = scan(world.entrance, delegate, offline=True, offline_answer=OfflineAnswer.ADMITTED)

    assert outcome(result) == (True, ScanReason.CANCELLED, False, True, False)


def test_a_scan_leaves_an_audit_entry_and_the_check_in_is_recorded(world):
    delegate = person(world, "a@example.com")

    result = scan(world.entrance, delegate)

    rows = db.session.scalars(
        sa.select(AuditEntry.object_type, AuditEntry.action)
        .where(AuditEntry.action == "record_scan")
        .order_by(AuditEntry.id)
    )
    assert rows.all() == ["scans", "delegates"]
    assert result.scan.id is not None


def test_a_device_may_scan_only_at_its_doors(world):
    device, _token = services.create_device(
        fresh(world.conference),
        "Gate phone",
        [fresh(world.entrance)],
        created_by=None,
        actor=OPERATOR,
    )
    delegate = person(world, "a@example.com", world.subforum)

    with pytest.raises(services.CheckinError):
        scan(world.hall, delegate, device=fresh(device))

    assert count_rows(Scan) == 0


def test_doors_are_made_changed_and_deleted_only_while_unscanned(world):
    door = services.create_door(
        fresh(world.conference),
        services.DoorDetails(name="  North Gate ", name_zh="北门", admits_walk_ins=True),
        actor=OPERATOR,
    )
    # A walk-in flag means nothing at an entrance: it is not kept.
    assert (door.name, door.name_zh, door.admits_walk_ins) == ("North Gate", "北门", False)

    with pytest.raises(services.CheckinError) as taken:
        services.update_door(fresh(door), services.DoorDetails(name="East Gate"), actor=OPERATOR)
    assert taken.value.message == "Another door already has this name."

    scan(world.entrance, "A" * 43)
    with pytest.raises(services.CheckinError):
        services.delete_door(fresh(world.entrance), actor=OPERATOR)
    services.delete_door(fresh(door), actor=OPERATOR)
    assert db.session.get(type(door), door.id) is None


def test_only_accounts_that_scan_are_assigned_to_doors(world):
    from tests.helpers.accounts import make_account
    from wuzhen_events.accounts.enums import Role

    viewer = make_account(Role.VIEWER, name="Viewer")

    with pytest.raises(services.CheckinError) as refused:
        services.assign_door_staff(fresh(world.entrance), [viewer], actor=OPERATOR)

    assert refused.value.message == "Viewer's role does not scan badges."
    assert reload(world.entrance).staff == []


def test_a_revoked_token_finds_its_device_marked_revoked(world):
    device, token = services.create_device(
        fresh(world.conference),
        "Phone",
        [fresh(world.entrance)],
        created_by=None,
        actor=OPERATOR,
    )
    services.revoke_device(fresh(device), actor=OPERATOR)

    found = services.device_by_token(token)

    assert (found.id, found.is_revoked) == (device.id, True)
    assert reload(device).token_hash != token
    assert services.device_by_token("x" * 43) is None


# --- reviewing a conflict -------------------------------------------------------------------------


def test_a_reviewed_conflict_keeps_its_flag_and_says_who_when_and_what(app, world):
    delegate = person(world, "a@example.com")
    conflict = offline_conflict(world, delegate)
    reviewer = make_account(Role.ORGANIZER, name="Chen Jie")

    services.review_conflict(
        fresh(conflict),
        "  Badge lent to a colleague; <b>seen</b> in person.  ",
        actor=Actor.account(reviewer),
    )

    row = reload(conflict)
    assert (row.conflict, row.conflict_reviewed_at, row.conflict_reviewed_by_id) == (
        True,
        MORNING,
        reviewer.id,
    )
    assert row.conflict_note == "Badge lent to a colleague; <b>seen</b> in person."
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "review_conflict"))
    assert (entry.actor_id, entry.object_id, entry.delegate_id) == (
        str(reviewer.id),
        str(conflict.id),
        delegate.id,
    )
    assert entry.after == {
        "conflict_note": "Badge lent to a colleague; <b>seen</b> in person.",
        "conflict_reviewed_at": "2018-11-07T01:12:00+00:00",
        "conflict_reviewed_by_id": reviewer.id,
    }


def test_a_conflict_is_reviewed_once(app, world):
    conflict = offline_conflict(world, person(world, "a@example.com"))
    services.review_conflict(fresh(conflict), "Checked.", actor=OPERATOR)

    with pytest.raises(services.CheckinError) as refused:
        services.review_conflict(fresh(conflict), "Again.", actor=OPERATOR)

    assert refused.value.message == "This conflict was reviewed already."
    assert reload(conflict).conflict_note == "Checked."
    reviews = sa.select(AuditEntry.id).where(AuditEntry.action == "review_conflict")
    assert len(db.session.scalars(reviews).all()) == 1


@pytest.mark.parametrize(
    ("note", "message"),
    [("x" * 501, "The note is longer than 500 characters."), ("", None)],
    ids=["too-long", "empty-is-fine"],
)
def test_a_review_note_is_at_most_500_characters(app, world, note, message):
    conflict = offline_conflict(world, person(world, "a@example.com"))

    if message is None:
        services.review_conflict(fresh(conflict), note, actor=OPERATOR)
        assert reload(conflict).conflict_reviewed_at == MORNING
    else:
        with pytest.raises(services.CheckinError) as refused:
            services.review_conflict(fresh(conflict), note, actor=OPERATOR)
        assert (refused.value.message, refused.value.field) == (message, "note")
        assert reload(conflict).conflict_reviewed_at is None


def test_only_a_flagged_scan_is_reviewed(app, world):
    plain = scan(world.entrance, person(world, "a@example.com")).scan

    with pytest.raises(services.CheckinError) as refused:
        services.review_conflict(fresh(plain), "", actor=OPERATOR)

    assert refused.value.message == "This scan is not flagged as a conflict."
    assert reload(plain).conflict_reviewed_at is None
