"""Door counts, history, search and offline data: exact values, and a number of queries that
does not grow with the delegates."""

from __future__ import annotations

from flask_babel import force_locale

from tests.factories import OPERATOR, fresh
from tests.helpers.checkin import code_of, person, scan
from tests.helpers.queries import count_queries
from wuzhen_events.checkin import queries, services
from wuzhen_events.checkin.enums import Direction, DoorKind
from wuzhen_events.extensions import db
from wuzhen_events.registration import rotation, tokens
from wuzhen_events.registration import services as registration
from wuzhen_events.registration.tokens import Secret


def counted(function, *args):
    db.session.expire_all()
    with count_queries(db.engine) as log:
        result = function(*args)
    return result, log.count


def test_door_counts_at_the_entrance_and_a_hall(world):
    seated = [person(world, f"s{n}@example.com", world.subforum) for n in range(2)]
    person(world, "w@example.com", world.subforum)  # waitlisted: capacity is 2
    cancelled = person(world, "c@example.com")
    registration.cancel_registration(fresh(cancelled), actor=OPERATOR)
    scan(world.entrance, seated[0])
    scan(world.entrance, seated[0])  # the same person twice counts once
    scan(world.hall, seated[1])
    scan(world.hall, seated[1], direction=Direction.EXIT)

    entrance = queries.door_counts(fresh(world.entrance))
    hall = queries.door_counts(fresh(world.hall))

    assert entrance.to_dict() == {"admitted": 1, "expected": 3, "seats_left": None}
    assert hall.to_dict() == {"admitted": 1, "expected": 2, "seats_left": 0}


def test_counts_history_and_offline_data_take_as_many_queries_for_many_delegates(world):
    def measure():
        door = fresh(world.entrance)
        return [
            counted(queries.door_counts, door)[1],
            counted(queries.door_history, door)[1],
            counted(queries.offline_data, door)[1],
            counted(queries.conflicts, fresh(world.conference), door)[1],
        ]

    for n in range(2):
        scan(world.entrance, person(world, f"few{n}@example.com", world.subforum))
    few = measure()
    for n in range(8):
        scan(world.entrance, person(world, f"many{n}@example.com", world.subforum))

    assert measure() == few


def test_search_needs_two_characters_and_finds_both_scripts_at_the_door_only(world):
    in_hall = person(world, "z@example.com", world.subforum, name="Zhang Min", name_zh="张敏")
    person(world, "o@example.com", name="Zhang Wei", name_zh="张伟")

    hall = fresh(world.hall)
    entrance = fresh(world.entrance)

    assert queries.search_delegates(hall, "") == []
    assert queries.search_delegates(hall, "Z") == []
    assert [d.id for d in queries.search_delegates(hall, "张敏")] == [in_hall.id]
    assert [d.id for d in queries.search_delegates(hall, "zhang")] == [in_hall.id]
    assert [d.name for d in queries.search_delegates(entrance, "zhang")] == [
        "Zhang Min",
        "Zhang Wei",
    ]


def test_offline_answers_are_the_doors_answers(world):
    seated = person(world, "s@example.com", world.subforum)
    person(world, "s2@example.com", world.subforum)
    waiting = person(world, "w@example.com", world.subforum)
    nowhere = person(world, "n@example.com")

    data = queries.offline_data(fresh(world.hall))

    salt = bytes.fromhex(data["salt"])
    by_key = {entry["key"]: entry for entry in data["entries"]}
    answers = [
        (by_key[queries.offline_key(salt, fresh(d).checkin_code_hash)]["reason"])
        for d in (seated, waiting, nowhere)
    ]
    assert answers == [None, "waitlisted", "no_seat"]
    assert all(code_of(d) not in str(data) for d in (seated, waiting, nowhere))


def test_offline_data_knows_badges_printed_before_the_key_was_rotated(app, world):
    delegate = person(world, "a@example.com")
    old_code = code_of(delegate)
    app.config["SECRET_KEY_FALLBACKS"] = [app.config["SECRET_KEY"]]
    app.config["SECRET_KEY"] = "a-new-secret-key-for-the-rotation-test-0123456789"
    registration.renew_secret_hashes(fresh(delegate), actor=OPERATOR)
    new_code = rotation.secret_of(fresh(delegate), Secret.CHECKIN)

    data = queries.offline_data(fresh(world.entrance))

    salt = bytes.fromhex(data["salt"])
    keys = {entry["key"] for entry in data["entries"]}
    assert {
        queries.offline_key(salt, tokens.fingerprint(old_code)),
        queries.offline_key(salt, tokens.fingerprint(new_code)),
    } == keys
    assert old_code != new_code
    assert scan(world.entrance, old_code).scan.delegate_id == delegate.id


def test_a_doors_caption_names_its_subforum_unless_its_name_does(app, world):
    named_after = services.create_door(
        fresh(world.conference),
        services.DoorDetails(
            name="Artificial Intelligence (Hall A)",
            kind=DoorKind.SUBFORUM,
            subforum_id=world.subforum.id,
        ),
        actor=OPERATOR,
    )

    captions = [queries.door_caption(fresh(door)) for door in (world.entrance, world.hall)]
    with force_locale("zh"):
        chinese = queries.door_caption(fresh(world.hall))

    assert captions == ["Main entrance", "Subforum hall: Artificial Intelligence"]
    assert queries.door_caption(fresh(named_after)) == "Subforum hall"
    assert chinese == "分论坛会场：人工智能"
