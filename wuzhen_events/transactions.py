"""How services end their transaction: check the row against its columns, then commit."""

from __future__ import annotations

from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from wuzhen_events.errors import DomainError
from wuzhen_events.extensions import db

Row = TypeVar("Row")


def save(row: Row, *, error: type[DomainError] = DomainError) -> Row:
    """Commit `row`, or roll back and raise `error` so nothing half-written stays in the session."""
    try:
        check_text_lengths(row, error=error)
        db.session.add(row)
        db.session.commit()
    except IntegrityError as conflict:
        db.session.rollback()
        raise error("This change conflicts with data that is already stored.") from conflict
    except DomainError:
        # Relationship back-references may already hold the new row; rolling back forgets it.
        db.session.rollback()
        raise
    return row


def check_text_lengths(row: object, *, error: type[DomainError] = DomainError) -> None:
    """Refuse text longer than its column, which PostgreSQL would reject with an error page."""
    for column in sa.inspect(type(row)).columns:
        limit = getattr(column.type, "length", None)
        value = getattr(row, column.key, None)
        if limit and isinstance(value, str) and len(value) > limit:
            label = column.key.replace("_zh", " (Chinese)").replace("_", " ")
            raise error(f"The {label} is longer than {limit} characters.", field=column.key)


def begin_write() -> None:
    """Open the service's transaction as a writer: SQLite takes its write lock now (BEGIN
    IMMEDIATE), so a read made earlier in the request can never turn into a failed upgrade."""
    if db.session().in_transaction():
        db.session.commit()  # views only read; this ends their read transaction
    db.session.connection(execution_options={"sqlite_immediate": True})
