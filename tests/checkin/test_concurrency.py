"""One badge scanned at once at two doors, or at one door by two devices; walk-ins raced for
the last seats: threads released together, on SQLite and (with TEST_DATABASE_URL) PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import OPERATOR, fresh
from tests.helpers.checkin import SESSION_START, code_of, nonce, person
from tests.helpers.registration import seats_taken
from tests.helpers.threads import run_together
from wuzhen_events.checkin import services
from wuzhen_events.checkin.enums import Direction
from wuzhen_events.checkin.models import Door, Scan
from wuzhen_events.extensions import db
from wuzhen_events.program.models import Subforum
from wuzhen_events.registration.enums import SeatStatus
from wuzhen_events.registration.models import Delegate, SeatBooking


def scanner(door_id: int, code: str, label: str):
    def job():
        services.record_scan(
            db.session.get(Door, door_id),
            code,
            direction=Direction.ENTRY,
            nonce=nonce(),
            device_label=label,
            actor=OPERATOR,
        )

    return job


def scans_of(delegate_id: int) -> list[tuple]:
    db.session.rollback()
    return db.session.execute(
        sa.select(Scan.door_id, Scan.admitted, Scan.is_checkin)
        .where(Scan.delegate_id == delegate_id)
        .order_by(Scan.door_id)
    ).all()


def test_one_badge_at_two_doors_at_once_is_one_check_in_and_one_history_entry(app, world):
    delegate = person(world, "a@example.com", world.subforum)
    code = code_of(delegate)

    errors = run_together(
        app, [scanner(world.entrance.id, code, "East"), scanner(world.hall.id, code, "Hall")]
    )

    assert errors == []
    scans = scans_of(delegate.id)
    assert sorted((door, admitted) for door, admitted, _ in scans) == [
        (world.entrance.id, True),
        (world.hall.id, True),
    ]
    assert sum(is_checkin for _, _, is_checkin in scans) == 1
    assert db.session.get(Delegate, delegate.id).checked_in_at is not None


def test_one_badge_at_one_door_from_two_devices_is_one_check_in(app, world):
    delegate = person(world, "a@example.com")
    code = code_of(delegate)

    errors = run_together(app, [scanner(world.entrance.id, code, f"Phone {n}") for n in range(4)])

    assert errors == []
    scans = scans_of(delegate.id)
    assert len(scans) == 4
    assert sum(is_checkin for _, _, is_checkin in scans) == 1


def test_the_same_nonce_sent_at_once_four_times_records_one(app, world):
    delegate = person(world, "a@example.com")
    code, same = code_of(delegate), nonce()
    door_id = world.entrance.id

    def job():
        services.record_scan(db.session.get(Door, door_id), code, nonce=same, actor=OPERATOR)

    errors = run_together(app, [job] * 4)

    assert errors == []
    assert len(scans_of(delegate.id)) == 1


def test_walk_ins_raced_for_two_free_seats_take_two(app, world):
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
    seated = [person(world, f"s{n}@example.com", world.subforum) for n in range(2)]
    waiting = [person(world, f"w{n}@example.com", world.subforum) for n in range(6)]
    db.session.execute(
        sa.update(Subforum).where(Subforum.id == world.subforum.id).values(capacity=4)
    )
    db.session.commit()
    app.config["FROZEN_NOW"] = SESSION_START
    jobs = [scanner(world.hall.id, code_of(d), f"Phone {d.id}") for d in waiting]

    errors = run_together(app, jobs)

    assert errors == []
    db.session.rollback()  # end this thread's read snapshot: the workers committed since
    assert seats_taken(world.subforum) == 4
    statuses = db.session.scalars(
        sa.select(SeatBooking.status).where(SeatBooking.subforum_id == world.subforum.id)
    ).all()
    assert sorted(statuses) == sorted([SeatStatus.CONFIRMED] * 4 + [SeatStatus.WAITLISTED] * 4)
    admitted = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Scan)
        .where(Scan.door_id == world.hall.id, Scan.admitted)
    )
    assert admitted == 2
    assert [b.status for d in seated for b in fresh(d).seats] == [SeatStatus.CONFIRMED] * 2
