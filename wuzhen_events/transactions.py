"""The one way a service writes: `with write(error=...)` around the change.

It opens the transaction as a writer (SQLite's BEGIN IMMEDIATE), commits when the block ends, rolls
back when it raises, and turns an integrity conflict into the service's domain error. It never
commits what it did not open: a caller's read transaction is ended by a rollback, and a caller
with changes of its own still pending is a programming error (`PendingChanges`). Inside another
service's `write()`, a block is a savepoint of the outer transaction, which alone commits; a
conflict in it rolls back to the savepoint and raises the domain error, and the outer block may
go on or fail as it chooses.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from wuzhen_events.errors import DomainError, LazyString, _l, field_label
from wuzhen_events.extensions import db

CONFLICT_MESSAGE = _l("This change conflicts with data that is already stored.")

# Keys in Session.info: the session wrote something in its open transaction; a write() is open.
_WROTE = "wuzhen_events.wrote"
_WRITING = "wuzhen_events.writing"


class PendingChanges(RuntimeError):
    """A service was called while its caller had uncommitted changes: committing them with the
    service's would write what nobody decided to, so the call is refused (a bug, not user input)."""


@contextmanager
def write(
    *,
    error: type[DomainError] | None = DomainError,
    message: LazyString = CONFLICT_MESSAGE,
    field: str | None = None,
    keep_loaded: bool = False,
) -> Iterator[Session]:
    """One service's transaction; an IntegrityError becomes `error(message, field=field)`, or,
    with `error=None`, is raised after the rollback for the service to handle itself.

    `keep_loaded` leaves the rows read and written loaded after the commit instead of expiring
    them, for a caller that answers from them at once (a door's scan: each reload is a round
    trip); the block must then keep in step any row it changes by a bulk UPDATE."""
    session = db.session()
    if session.info.get(_WRITING):
        with _savepoint(session, error, message, field):
            yield session
        return
    if has_pending_writes(session):
        raise PendingChanges(
            "The session holds changes no service made; commit or roll them back first."
        )
    if session.in_transaction():
        session.rollback()  # the caller only read: end that read without committing anything
    # SQLite takes its write lock now, so a read in the block can never fail to upgrade.
    session.connection(execution_options={"sqlite_immediate": True})
    session.info[_WRITING] = True
    try:
        yield session
        session.expire_on_commit = not keep_loaded
        session.commit()
    except IntegrityError as conflict:
        _roll_back(session)
        if error is None:
            raise
        raise error(message, field=field) from conflict
    except BaseException:
        _roll_back(session)
        raise
    finally:
        session.info.pop(_WRITING, None)
        session.expire_on_commit = True


@contextmanager
def _savepoint(
    session: Session, error: type[DomainError] | None, message: LazyString, field: str | None
) -> Iterator[None]:
    savepoint = session.begin_nested()
    try:
        yield
        savepoint.commit()
    except IntegrityError as conflict:
        _roll_back_to(session, savepoint)
        if error is None:
            raise
        raise error(message, field=field) from conflict
    except BaseException:
        _roll_back_to(session, savepoint)
        raise


def _roll_back_to(session: Session, savepoint: SessionTransaction) -> None:
    """Undo the block's changes and leave the outer transaction usable. A flush that failed in
    the block (an integrity conflict) left the savepoint deactivated, not rolled back: it is no
    longer `is_active` but still open, and until it is rolled back every statement of the outer
    transaction fails with PendingRollbackError."""
    current = session.get_nested_transaction()
    while current is not None and current is not savepoint:
        current = current.parent
    if current is savepoint:  # still open (a commit that failed has not closed it either)
        savepoint.rollback()


def _roll_back(session: Session) -> None:
    # A dead connection (an outage) cannot roll back: the request's teardown discards the
    # session, and the error that got us here is the one to report.
    with suppress(SQLAlchemyError):
        session.rollback()


def has_pending_writes(session: Session) -> bool:
    """Changes not yet committed: objects added, deleted or modified, or already flushed or
    written by an UPDATE, INSERT or DELETE in the open transaction."""
    if session.new or session.deleted or session.info.get(_WROTE):
        return True
    return any(session.is_modified(row) for row in session.dirty)


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _flush_context) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_writes(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_WROTE, None)


def check_text_lengths(row: object, *, error: type[DomainError] = DomainError) -> None:
    """Refuse text longer than its column, which PostgreSQL would reject with an error page."""
    for key, limit in _text_limits(type(row)):
        value = getattr(row, key, None)
        if isinstance(value, str) and len(value) > limit:
            raise error(
                _l(
                    "The %(field)s is longer than %(limit)d characters.",
                    field=field_label(key),
                    limit=limit,
                ),
                field=key,
            )


@functools.cache
def _text_limits(model: type) -> tuple[tuple[str, int], ...]:
    """The model's columns with a length, read once: an import checks thousands of rows."""
    return tuple(
        (column.key, column.type.length)
        for column in sa.inspect(model).columns
        if getattr(column.type, "length", None)
    )
