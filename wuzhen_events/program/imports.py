"""Importing a frab schedule: the plan of program.frab_import, written in one transaction.

Every row is made or changed in bulk (a few statements whatever the file's size), and every
one leaves its audit entry. A session's `sequence` goes up only when its time, place or status
changes, so calendar clients notice those and nothing else; an unchanged row is not written at
all, so re-importing the same file changes nothing, not even `updated_at`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from wuzhen_events.audit import services as audit
from wuzhen_events.audit.actors import Actor
from wuzhen_events.db import utcnow
from wuzhen_events.errors import _l
from wuzhen_events.extensions import db
from wuzhen_events.program.enums import SpeakerRole
from wuzhen_events.program.frab_import import (
    DEFAULT_MAX_BYTES,
    DEFAULT_SUBFORUM_CAPACITY,
    Action,
    FrabSchedule,
    ImportPlan,
    Kind,
    Ref,
    load_existing,
    parse_schedule,
    plan_import,
)
from wuzhen_events.program.models import (
    Conference,
    ProgramSession,
    SessionSpeaker,
    Speaker,
    Subforum,
    Venue,
)
from wuzhen_events.program.services import ProgramError
from wuzhen_events.transactions import check_text_lengths, write

ACTION = "import_schedule"
# Changes that calendar clients must notice (RFC 5545 SEQUENCE).
PLACE_AND_TIME = frozenset({"starts_at", "ends_at", "venue", "status"})


def import_schedule(
    source: bytes | FrabSchedule,
    *,
    actor: Actor,
    conference: Conference,
    max_bytes: int = DEFAULT_MAX_BYTES,
    subforum_capacity: int = DEFAULT_SUBFORUM_CAPACITY,
    sha256: str | None = None,
) -> ImportPlan:
    """Apply a schedule file; planned again inside the transaction, so what is written is
    what the program holds now. `sha256`, when given, must be the file's (the previewed one)."""
    schedule = (
        source if isinstance(source, FrabSchedule) else parse_schedule(source, max_bytes=max_bytes)
    )
    if sha256 is not None and sha256 != schedule.sha256:
        raise ProgramError(
            _l("The file is not the one previewed; preview it again before importing."),
            field="file",
        )
    with write(error=ProgramError):
        existing, rows = load_existing(conference, subforum_capacity=subforum_capacity)
        plan = plan_import(schedule, existing)
        if plan.changes_anything:
            _apply(plan, conference, actor, rows)
    return plan


def _apply(plan: ImportPlan, conference: Conference, actor: Actor, rows: dict) -> None:
    made: dict[tuple[str, str], Any] = {}  # (kind, key) -> new row
    new_rows: list[object] = []
    for planned in plan.of(Kind.VENUE, Action.CREATE):
        venue = Venue(**planned.values)
        made["venue", planned.key] = venue
        new_rows.append(venue)
    for planned in plan.of(Kind.SUBFORUM, Action.CREATE):
        subforum = Subforum(conference_id=conference.id, **planned.values)
        made["subforum", planned.key] = subforum
        new_rows.append(subforum)
    for planned in plan.of(Kind.SPEAKER, Action.CREATE):
        speaker = Speaker(**planned.values)
        made["speaker", planned.key] = speaker
        new_rows.append(speaker)
    changes: list[tuple[object, dict, dict]] = []
    for planned in plan.of(Kind.SPEAKER, Action.CHANGE):
        speaker = rows["speakers"][planned.id]
        before = audit.snapshot(speaker)
        for name, value in planned.values.items():
            setattr(speaker, name, value)
        check_text_lengths(speaker, error=ProgramError)
        changes.append((speaker, before, {}))
    for row in new_rows:
        check_text_lengths(row, error=ProgramError)
    _number(new_rows)
    db.session.add_all(new_rows)
    db.session.flush()

    def resolve(kind: str, ref: Ref | None, loaded: dict) -> Any:
        if ref is None:
            return None
        return loaded[ref] if isinstance(ref, int) else made[kind, ref]

    new_sessions = []
    for planned in plan.of(Kind.SESSION, Action.CREATE):
        values = dict(planned.values)
        speakers = values.pop("speakers")
        session = ProgramSession(
            conference_id=conference.id,
            venue=resolve("venue", values.pop("venue"), rows["venues"]),
            subforum=resolve("subforum", values.pop("subforum"), rows["subforums"]),
            **values,
        )
        session.speaker_roles = [
            SessionSpeaker(
                speaker=resolve("speaker", ref, rows["speakers"]),
                role=SpeakerRole.SPEAKER,
                position=position,
            )
            for position, ref in enumerate(speakers)
        ]
        check_text_lengths(session, error=ProgramError)
        new_sessions.append(session)
    for planned in [
        *plan.of(Kind.SESSION, Action.CHANGE),
        *plan.of(Kind.SESSION, Action.CANCEL),
    ]:
        session = rows["sessions"][planned.id]
        before = audit.snapshot(session)
        extra = {}
        for name, value in planned.values.items():
            if name == "venue":
                session.venue = resolve("venue", value, rows["venues"])
            elif name == "subforum":
                session.subforum = resolve("subforum", value, rows["subforums"])
            elif name == "speakers":
                old_ids = [
                    role.speaker_id
                    for role in session.speaker_roles
                    if role.role is SpeakerRole.SPEAKER
                ]
                extra["speakers"] = (old_ids, None)
                session.speaker_roles = _roles(session, value, rows, resolve)
            else:
                setattr(session, name, value)
        if PLACE_AND_TIME & set(planned.changes):
            session.sequence += 1
        else:
            # Speakers or words only: feeds date their events by updated_at, which a change of
            # speakers alone (another table) would not move.
            session.updated_at = utcnow()
        check_text_lengths(session, error=ProgramError)
        changes.append((session, before, extra))
    _number(new_sessions)
    _number([role for session in new_sessions for role in session.speaker_roles])
    db.session.add_all(new_sessions)
    db.session.flush()
    audit.created(actor, ACTION, *new_rows, *new_sessions)
    audit.changed_rows(
        actor,
        ACTION,
        (
            (
                row,
                before,
                {key: (old, _speaker_ids(row)) for key, (old, _) in extra.items()},
            )
            for row, before, extra in changes
        ),
    )


def _number(rows: list) -> None:
    """Give new rows their ids on SQLite, where SQLAlchemy cannot insert many rows in one
    statement and still learn each one's id, and so would insert them one by one (thousands of
    statements for a large program). The write transaction holds SQLite's one write lock, so no
    other writer can take these ids; PostgreSQL batches on its own and keeps its sequences."""
    if not rows or db.session.get_bind().dialect.name != "sqlite":
        return
    for model in dict.fromkeys(type(row) for row in rows):
        with db.session.no_autoflush:  # the rows are not ready to be written yet
            next_id = (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1
        for row in rows:
            if type(row) is model and row.id is None:
                row.id = next_id
                next_id += 1


def _roles(session: ProgramSession, refs: tuple, rows: dict, resolve) -> list[SessionSpeaker]:
    """The session's speakers in the file's order, keeping the rows of those who stay (a new
    row for the same speaker would clash with the old one's unique key before it is deleted)."""
    kept = {
        role.speaker_id: role for role in session.speaker_roles if role.role is SpeakerRole.SPEAKER
    }
    others = [role for role in session.speaker_roles if role.role is not SpeakerRole.SPEAKER]
    roles = []
    for position, ref in enumerate(refs):
        speaker = resolve("speaker", ref, rows["speakers"])
        role = kept.pop(speaker.id, None) if speaker.id is not None else None
        if role is None:
            role = SessionSpeaker(speaker=speaker, role=SpeakerRole.SPEAKER)
        role.position = position
        roles.append(role)
    for position, role in enumerate(others, start=len(roles)):
        role.position = position  # moderators and hosts added by hand stay, after them
    return roles + others


def _speaker_ids(session: ProgramSession) -> list[int]:
    return [role.speaker_id for role in session.speaker_roles if role.role is SpeakerRole.SPEAKER]
