"""A conference at scale in seconds: 100,000 delegates with their seats, and the 1,900-talk
program of benchmarks/data, written by bulk inserts (`sa.insert` executemany), not through the
services, which would take an hour and are tested elsewhere.

The rows keep the domain's rules: each subforum's confirmed seats never pass its capacity and
`seats_taken` counts them (the rest of its confirmed delegates wait on its list); a pending
delegate's choices are WANTED; a cancelled delegate holds nothing. Everything is deterministic
(one seeded random generator), so counts are the same on every run and database.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa

from wuzhen_events.db import Provenance
from wuzhen_events.extensions import db
from wuzhen_events.program.enums import SessionKind
from wuzhen_events.program.models import Conference, ProgramSession, Subforum, Venue
from wuzhen_events.registration.enums import DelegateCategory, DelegateStatus, SeatStatus
from wuzhen_events.registration.models import Delegate, SeatBooking

BENCHMARK_DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"
# Weighted like an international conference hosted in China.
COUNTRIES = ("CN",) * 12 + ("US", "GB", "DE", "FR", "JP", "KR", "RU", "IN", "BR", "ZA", "SG")
COUNTRIES += ("AU", "CA", "IT", "ES", "NL", "SE", "CH", "TH", "MY", "ID", "PK", "EG", "NG")
CATEGORIES = tuple(DelegateCategory)
REGISTRATION_DAYS = 60  # registrations arrive over the two months before the conference
BATCH = 10_000  # rows per executemany: bounded memory whatever the count


DELEGATE_COLUMNS = (
    "id",
    "conference_id",
    "name",
    "name_zh",
    "email",
    "organisation",
    "job_title",
    "country",
    "category",
    "status",
    "locale",
    "consented_at",
    "approved_at",
    "email_verified_at",
    "erased_at",
    "submission_key",
    "cancelled_at",
    "checked_in_at",
    "manage_seed",
    "manage_token_hash",
    "feed_seed",
    "feed_token_hash",
    "checkin_seed",
    "checkin_code_hash",
    "created_at",
    "updated_at",
)
BOOKING_COLUMNS = (
    "id",
    "delegate_id",
    "subforum_id",
    "status",
    "created_at",
    "confirmed_at",
    "held_until",
)
SLOT_MINUTES = 10  # registration instants fall on ten-minute marks: few distinct values to format


def insert_delegates(
    conference: Conference,
    count: int,
    *,
    subforums: Sequence[Subforum] = (),
    seed: int = 2018,
) -> None:
    """`count` delegates of `conference` spread over categories, countries, statuses and
    registration days, each choosing one or two of `subforums` (all the conference's when
    none are given); committed, with the subforums' `seats_taken` brought up to date.

    Rows go to the driver as tuples of stored values (enum values, naive UTC instants, as
    text on SQLite): SQLAlchemy's per-value type processing would take most of the time."""
    rng = random.Random(seed)
    if not subforums:
        subforums = db.session.scalars(
            sa.select(Subforum).where(Subforum.conference_id == conference.id).order_by(Subforum.id)
        ).all()
    subforum_ids = [subforum.id for subforum in subforums]
    seats_left = {subforum.id: subforum.capacity - subforum.seats_taken for subforum in subforums}
    taken = dict.fromkeys(seats_left, 0)
    first_id = (db.session.scalar(sa.select(sa.func.max(Delegate.id))) or 0) + 1
    booking_id = (db.session.scalar(sa.select(sa.func.max(SeatBooking.id))) or 0) + 1
    sqlite = db.session.connection().dialect.name == "sqlite"
    opening = datetime.combine(conference.starts_on, time(0), tzinfo=UTC)
    stamps: dict[int, object] = {}
    slots = REGISTRATION_DAYS * 24 * 60 // SLOT_MINUTES
    cancelled, pending = DelegateStatus.CANCELLED.value, DelegateStatus.PENDING.value
    confirmed = DelegateStatus.CONFIRMED.value
    delegates: list[tuple] = []
    bookings: list[tuple] = []
    for number in range(first_id, first_id + count):
        category = CATEGORIES[rng.randrange(len(CATEGORIES))]
        status = _status(rng, category).value
        slot = rng.randrange(slots)
        stamp = stamps.get(slot)
        if stamp is None:
            moment = opening - timedelta(minutes=SLOT_MINUTES * (slot + 1))
            stamp = stamps[slot] = _stored(moment, sqlite)
        seed_text = f"{number:032x}"
        delegates.append(
            (
                number,
                conference.id,
                f"Delegate {number}",
                f"代表{number}",
                f"delegate-{number}@scale.example",
                f"Organisation {number % 997}",
                "",
                COUNTRIES[rng.randrange(len(COUNTRIES))],
                category.value,
                status,
                "zh" if number % 3 == 0 else "en",
                stamp,
                stamp if status == confirmed else None,
                stamp,
                None,
                None,
                stamp if status == cancelled else None,
                None,
                seed_text,
                f"m{number:063x}",
                seed_text,
                f"f{number:063x}",
                seed_text,
                f"c{number:063x}",
                stamp,
                stamp,
            )
        )
        if status != cancelled and subforum_ids:
            for index in rng.sample(
                range(len(subforum_ids)), k=min(len(subforum_ids), 1 + number % 2)
            ):
                subforum_id = subforum_ids[index]
                if status == pending:
                    seat = SeatStatus.WANTED
                elif seats_left[subforum_id] > 0:
                    seats_left[subforum_id] -= 1
                    taken[subforum_id] += 1
                    seat = SeatStatus.CONFIRMED
                else:
                    seat = SeatStatus.WAITLISTED
                bookings.append(
                    (
                        booking_id,
                        number,
                        subforum_id,
                        seat.value,
                        stamp,
                        stamp if seat is SeatStatus.CONFIRMED else None,
                        None,
                    )
                )
                booking_id += 1
        if len(delegates) >= BATCH:
            _flush(delegates, bookings)
    _flush(delegates, bookings)
    for subforum_id, seats in taken.items():
        if seats:
            db.session.execute(
                sa.update(Subforum)
                .where(Subforum.id == subforum_id)
                .values(seats_taken=Subforum.seats_taken + seats)
            )
    _advance_sequences(Delegate, SeatBooking)
    db.session.commit()
    db.session.expire_all()
    _analyze("delegates", "seat_bookings")


def insert_program(conference: Conference, *, name: str = "large", capacity: int = 2_000) -> list:
    """The rooms, tracks (as subforums of `capacity` seats) and talks of the benchmark program
    (benchmarks/data/program_<name>.json.gz: 19 tracks, 1,900 talks for "large"); committed.
    Answers the subforums in the program's order."""
    with gzip.open(BENCHMARK_DATA / f"program_{name}.json.gz", "rt", encoding="utf-8") as file:
        program = json.load(file)
    now = datetime.now(UTC)
    venue_ids = _insert(
        Venue,
        [
            {
                "slug": f"scale-room-{conference.id}-{room['id']}",
                "building": room["name"],
                "capacity": room["capacity"],
            }
            for room in program["rooms"]
        ],
    )
    subforum_ids = _insert(
        Subforum,
        [
            {
                "conference_id": conference.id,
                "slug": f"scale-track-{conference.id}-{track['id']}",
                "title": track["name"],
                "description": track["description"],
                "capacity": capacity,
                "seats_taken": 0,
                "created_at": now,
                "updated_at": now,
            }
            for track in program["tracks"]
        ],
    )
    rooms = dict(zip((room["id"] for room in program["rooms"]), venue_ids, strict=True))
    tracks = dict(zip((track["id"] for track in program["tracks"]), subforum_ids, strict=True))
    _insert(
        ProgramSession,
        [
            {
                "conference_id": conference.id,
                "subforum_id": tracks[talk["track_id"]],
                "venue_id": rooms[talk["room_id"]],
                "kind": SessionKind.SUBFORUM_SESSION,
                "title": talk["title"],
                "abstract": talk["abstract"],
                "starts_at": datetime.fromisoformat(talk["start"]),
                "ends_at": datetime.fromisoformat(talk["end"]),
                "created_at": now,
                "updated_at": now,
            }
            for talk in program["talks"]
        ],
    )
    _advance_sequences(Venue, Subforum, ProgramSession)
    db.session.commit()
    return list(
        db.session.scalars(
            sa.select(Subforum).where(Subforum.id.in_(subforum_ids)).order_by(Subforum.id)
        )
    )


def _status(rng: random.Random, category: DelegateCategory) -> DelegateStatus:
    """About one in twenty cancelled; invited categories often still waiting for approval."""
    roll = rng.random()
    if roll < 0.05:
        return DelegateStatus.CANCELLED
    if category.needs_invitation and roll < 0.35:
        return DelegateStatus.PENDING
    return DelegateStatus.CONFIRMED


def _flush(delegates: list[tuple], bookings: list[tuple]) -> None:
    _insert_rows("delegates", DELEGATE_COLUMNS, delegates)
    _insert_rows("seat_bookings", BOOKING_COLUMNS, bookings)
    delegates.clear()
    bookings.clear()


def _insert_rows(table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    """One executemany straight to the driver; on PostgreSQL a COPY, many times faster."""
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.dbapi_connection.cursor()
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.close()
        return
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([marker] * len(columns))})",
        rows,
    )


def _stored(moment: datetime, sqlite: bool):
    """An instant as UTCDateTime stores it: naive UTC, as text in SQLAlchemy's SQLite format."""
    naive = moment.astimezone(UTC).replace(tzinfo=None)
    return naive.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else naive


def _insert(model, rows: list[dict]) -> list[int]:
    """Rows with ids chosen here, so no RETURNING is needed; answers the ids in order."""
    first = (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1
    ids = list(range(first, first + len(rows)))
    if hasattr(model, "provenance"):
        rows = [{"provenance": Provenance.DEMO, **row} for row in rows]
    db.session.execute(
        sa.insert(model.__table__), [{"id": id_, **row} for id_, row in zip(ids, rows, strict=True)]
    )
    return ids


def _advance_sequences(*models) -> None:
    """Ids were given explicitly: PostgreSQL's sequences must move past them, so the services
    can insert after the fixture."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        table = model.__tablename__
        db.session.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )


def _analyze(*tables: str) -> None:
    """Fresh planner statistics, as autovacuum keeps them for a table that grew gradually: after
    one COPY of 100,000 rows PostgreSQL still plans for a few dozen and picks an index scan."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text(f"ANALYZE {', '.join(tables)}"))
        db.session.commit()


def remove_delegates() -> None:
    """Every delegate and what hangs on them, quickly: the app fixture's row-by-row DELETE
    checks each foreign key per row, longer than PostgreSQL's statement timeout at 100,000."""
    db.session.rollback()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            sa.text("TRUNCATE seat_bookings, bookmarks, fallback_hashes, delegates CASCADE")
        )
    else:
        for table in ("seat_bookings", "bookmarks", "fallback_hashes", "outbox_messages"):
            db.session.execute(sa.text(f"DELETE FROM {table}"))
        db.session.execute(sa.text("UPDATE invitations SET delegate_id = NULL"))
        db.session.execute(sa.text("DELETE FROM delegates"))
    db.session.commit()


# --- delegates alone, numbered: the exports' tests read their rows back ---------------------

INSERT_BATCH = 5000
PLAIN_COUNTRIES = ("CN", "US", "GB", "DE", "FR", "JP", "KR", "RU", "IN", "BR", "ZA", "SG")
PLAIN_CATEGORIES = tuple(DelegateCategory)
# Mostly confirmed, some waiting and some cancelled, as a real conference's list.
PLAIN_STATUSES = (DelegateStatus.CONFIRMED,) * 8 + (
    DelegateStatus.PENDING,
    DelegateStatus.CANCELLED,
)
FIRST_REGISTRATION = datetime(2018, 9, 1, tzinfo=UTC)


def insert_plain_delegates(conference: Conference, count: int, *, start: int = 0) -> None:
    """Delegates alone (no seats), named so a test can predict them: `count` delegates
    numbered from `start` (distinct e-mails, hashes and names), spread over
    the categories, statuses and countries and over two months of registrations; committed."""
    for first in range(start, start + count, INSERT_BATCH):
        last = min(first + INSERT_BATCH, start + count)
        # Core's executemany on the table: the ORM's bulk path costs twice as much per row.
        db.session.connection().execute(
            sa.insert(Delegate.__table__),
            [_plain_delegate(conference.id, number) for number in range(first, last)],
        )
    db.session.commit()


def _plain_delegate(conference_id: int, number: int) -> dict:
    registered = FIRST_REGISTRATION + timedelta(minutes=number)
    status = PLAIN_STATUSES[number % len(PLAIN_STATUSES)]
    return {
        "conference_id": conference_id,
        "name": f"Delegate {number:06d}",
        "name_zh": f"代表{number:06d}",
        "email": f"delegate-{number:06d}@scale.example",
        "organisation": f"Organisation {number % 500}",
        "job_title": "",
        "country": PLAIN_COUNTRIES[number % len(PLAIN_COUNTRIES)],
        "category": PLAIN_CATEGORIES[number % len(PLAIN_CATEGORIES)],
        "status": status,
        "locale": "zh" if number % 3 == 0 else "en",
        "consented_at": registered,
        "approved_at": registered if status is DelegateStatus.CONFIRMED else None,
        "cancelled_at": registered if status is DelegateStatus.CANCELLED else None,
        "manage_seed": f"m{number:031d}",
        "manage_token_hash": f"m{number:063d}",
        "feed_seed": f"f{number:031d}",
        "feed_token_hash": f"f{number:063d}",
        "checkin_seed": f"c{number:031d}",
        "checkin_code_hash": f"c{number:063d}",
        "created_at": registered,
        "updated_at": registered,
    }
