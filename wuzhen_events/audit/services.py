"""Writing the audit trail, inside the service's own transaction (transactions.write()).

Each service says what it changed: `create(...)`, `add_new(...)` or `created(...)` for a new
row, `changed(...)` with a snapshot taken before the change, or `removed(...)`. Only the columns
allowed for a table are recorded with their values; a changed column outside that list (a seed,
a token hash) is named, never its value.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

import sqlalchemy as sa

from wuzhen_events.audit.actors import Actor
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.db import utcnow
from wuzhen_events.errors import DomainError
from wuzhen_events.extensions import db
from wuzhen_events.transactions import check_text_lengths, write

Row = TypeVar("Row")

# Bookkeeping every row has; never worth an entry of its own.
BOOKKEEPING = frozenset({"id", "created_at", "updated_at"})

# Columns recorded with their values, per table: an allow-list, so a secret column added later
# is never recorded by mistake. None: every column (tables that hold no secret).
RECORDED: dict[str, frozenset[str] | None] = {
    "delegates": frozenset(
        {
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
            "approved_at",
            "email_verified_at",
            "erased_at",
            "cancelled_at",
            "checked_in_at",
        }
    ),
    "seat_bookings": frozenset(
        {"delegate_id", "subforum_id", "status", "confirmed_at", "held_until"}
    ),
    "bookmarks": frozenset({"delegate_id", "session_id"}),
    "invitations": frozenset(
        {"conference_id", "email", "category", "expires_at", "used_at", "delegate_id"}
    ),
    "closed_categories": frozenset({"conference_id", "category"}),
    # Organizers' own texts and the filter they chose: nothing secret (no link is stored).
    "campaigns": None,
    "outbox_messages": frozenset({"status", "next_attempt_at", "first_failed_at", "failed_at"}),
    "exhibitor_applications": None,
    # Never the password hash or the login epoch: they are named as changed, not shown.
    "accounts": frozenset(
        {"email", "name", "role", "active", "last_login_at", "password_changed_at", "subforum_ids"}
    ),
    "conferences": None,
    "venues": None,
    "topics": None,
    "subforums": None,
    "speakers": None,
    "program_sessions": None,
    "exhibitors": None,
    "product_launches": None,
    # Check-in: doors and scans hold no secret; a device's token hash is never recorded.
    "doors": None,
    "scans": None,
    "scanner_devices": frozenset({"conference_id", "name", "created_by_id", "revoked_at"}),
}

# A person's values that erasing their registration blanks in the entries about them.
PERSONAL: dict[str, frozenset[str]] = {
    "delegates": frozenset({"name", "name_zh", "email", "organisation", "job_title"}),
    "invitations": frozenset({"email"}),
}


def snapshot(row: object) -> dict[str, Any]:
    """The row's column values now, as JSON values (secret ones included: only `_entry`
    decides what is written, and it drops them)."""
    mapper = sa.inspect(type(row))
    return {
        column.key: _json(getattr(row, column.key))
        for column in mapper.column_attrs
        if column.key not in BOOKKEEPING
    }


def created(
    actor: Actor, action: str, *rows: object, note: str = "", delegate_id: int | None = None
) -> None:
    """`rows` were made; they must have their ids (flushed). One INSERT for them all."""
    _insert(
        _entry(actor, action, _table(row), _key(row), None, snapshot(row), note, delegate_id)
        for row in rows
    )


def add_new(
    row: Row,
    *,
    actor: Actor,
    action: str,
    error: type[DomainError] = DomainError,
    delegate_id: int | None = None,
) -> Row:
    """What every service that makes a row does, inside its write(): refuse text too long for
    its column, store the row, and record it with the id it was given."""
    check_text_lengths(row, error=error)
    db.session.add(row)
    db.session.flush()
    created(actor, action, row, delegate_id=delegate_id)
    return row


def create(
    model: type[Row],
    *,
    actor: Actor,
    action: str,
    error: type[DomainError] = DomainError,
    **fields: Any,
) -> Row:
    """A service that only makes one row: built inside its own write(), so that a relationship
    it names cannot drag it into the caller's session before the transaction starts."""
    with write(error=error):
        return add_new(model(**fields), actor=actor, action=action, error=error)


def changed(
    actor: Actor,
    action: str,
    row: object,
    before: Mapping[str, Any],
    *,
    note: str = "",
    delegate_id: int | None = None,
) -> None:
    """`row` changed since `before` (its snapshot); nothing is written when nothing changed."""
    _insert(
        [_entry(actor, action, _table(row), _key(row), before, snapshot(row), note, delegate_id)]
    )


def changed_rows(
    actor: Actor,
    action: str,
    changes: Iterable[tuple[object, Mapping[str, Any], Mapping[str, Any]]],
) -> None:
    """Many rows changed, each as (row, before, extra): `extra` adds values no column holds
    (a session's speakers) to both sides. One INSERT for them all; unchanged rows write none."""
    _insert(
        _entry(
            actor,
            action,
            _table(row),
            _key(row),
            {**before, **{k: _json(v[0]) for k, v in extra.items()}},
            {**snapshot(row), **{k: _json(v[1]) for k, v in extra.items()}},
            "",
            None,
        )
        for row, before, extra in changes
    )


def removed(
    actor: Actor,
    action: str,
    table: str,
    object_id: int | str,
    before: Mapping[str, Any],
    *,
    note: str = "",
    delegate_id: int | None = None,
) -> None:
    _insert([_entry(actor, action, table, object_id, dict(before), None, note, delegate_id)])


def record(
    actor: Actor,
    action: str,
    table: str,
    object_id: int | str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    *,
    note: str = "",
    delegate_id: int | None = None,
) -> None:
    """A change known by its values rather than by a loaded row (a conditional UPDATE)."""
    before = None if before is None else {k: _json(v) for k, v in before.items()}
    after = None if after is None else {k: _json(v) for k, v in after.items()}
    _insert([_entry(actor, action, table, object_id, before, after, note, delegate_id)])


def blank_personal_values(delegate_id: int, *, also: Iterable[tuple[str, int]] = ()) -> None:
    """Erasure: the entries about this person keep the fact of each change (who, when, which
    fields) and lose the personal values. The one update the app makes to an entry.

    `also` names their rows recorded before they were theirs (an invitation sent to their
    address, before they registered with it), as (table, id)."""
    about_them = AuditEntry.delegate_id == delegate_id
    for table, object_id in also:
        about_them |= (AuditEntry.object_type == table) & (AuditEntry.object_id == str(object_id))
    for entry in db.session.scalars(sa.select(AuditEntry).where(about_them)):
        personal = PERSONAL.get(entry.object_type, frozenset())
        for side in ("before", "after"):
            values = getattr(entry, side)
            if values and personal & values.keys():
                setattr(entry, side, {k: "" if k in personal else v for k, v in values.items()})


def entries_for(table: str, object_id: int | str) -> list[AuditEntry]:
    """The trail of one object, oldest first."""
    return list(
        db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.object_type == table, AuditEntry.object_id == str(object_id))
            .order_by(AuditEntry.id)
        )
    )


def _insert(entries: Iterable[dict[str, Any] | None]) -> None:
    """Core, not ORM: entries need no ids back, so any number of them is one statement."""
    rows = [entry for entry in entries if entry is not None]
    if rows:
        db.session.execute(sa.insert(AuditEntry), rows)


def _entry(
    actor: Actor,
    action: str,
    table: str,
    object_id: int | str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    note: str,
    delegate_id: int | None,
) -> dict[str, Any] | None:
    """The entry's columns; None when nothing changed."""
    if table not in RECORDED:
        raise LookupError(f"No audit policy for the table {table!r}: add it to RECORDED.")
    if before is not None and after is not None:
        fields = sorted(k for k in after.keys() | before.keys() if before.get(k) != after.get(k))
        if not fields:
            return None
        before = {k: before.get(k) for k in fields}
        after = {k: after.get(k) for k in fields}
    else:
        fields = sorted((before or after or {}).keys())
    allowed = RECORDED[table]
    return {
        "at": utcnow(),
        "actor_kind": actor.kind,
        "actor_id": actor.ident,
        "action": action,
        "object_type": table,
        "object_id": str(object_id),
        "fields": fields,
        "before": _allowed(before, allowed),
        "after": _allowed(after, allowed),
        "note": note,
        "delegate_id": delegate_id,
    }


def _allowed(values: Mapping[str, Any] | None, allowed: Iterable[str] | None) -> dict | None:
    if values is None or allowed is None:
        return None if values is None else dict(values)
    return {k: v for k, v in values.items() if k in allowed}


def _key(row: object) -> str:
    return ":".join(str(_json(part)) for part in sa.inspect(row).identity)


def _table(row: object) -> str:
    return type(row).__tablename__


def _json(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
