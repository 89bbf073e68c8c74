"""Database outages: which errors mean "out of reach for now", and ending a request's session
when its connection died, so pages answer 503 and the next request works without a restart.

A write conflict (PostgreSQL's deadlock or serialization failure) is no outage: the server is
there and has rolled one transaction back so the other could go on; trying again works at once.
"""

from __future__ import annotations

import sqlite3

from flask import Flask, current_app
from sqlalchemy import exc

from wuzhen_events.extensions import db

# SQLite's primary result codes that mean the file cannot be used right now, not a fault in the
# code: busy or locked beyond the busy timeout, out of memory, read-only, disk I/O error, disk
# full, cannot open. "no such table" and the like stay errors (500 with a traceback).
SQLITE_OUTAGE_CODES = frozenset(
    {
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_NOMEM,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_CANTOPEN,
    }
)
# Every error SQLAlchemy raises when the server or the pool cannot serve a request.
OUTAGE_ERRORS = (
    exc.OperationalError,
    exc.InterfaceError,
    exc.DisconnectionError,
    exc.TimeoutError,  # no pooled connection came free within pool_timeout
)
SUMMARY_LENGTH = 200
# SQLSTATEs of a transaction PostgreSQL rolled back for another's sake (class 40): a
# serialization failure, a deadlock.
WRITE_CONFLICT_STATES = frozenset({"40001", "40P01"})


def is_write_conflict(error: BaseException) -> bool:
    """True when the database rolled this transaction back to let a concurrent one finish."""
    original = getattr(error, "orig", None)
    # psycopg 3 names it sqlstate, psycopg2 pgcode.
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return isinstance(error, exc.DBAPIError) and state in WRITE_CONFLICT_STATES


def is_database_outage(error: BaseException) -> bool:
    """True when the database is out of reach or out of room, so trying again later may work."""
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    if not isinstance(error, OUTAGE_ERRORS) or is_write_conflict(error):
        return False
    original = getattr(error, "orig", None)
    if isinstance(original, sqlite3.Error):
        # The extended code (e.g. SQLITE_IOERR_WRITE) carries the primary one in its low byte.
        code = getattr(original, "sqlite_errorcode", None)
        return code is not None and code & 0xFF in SQLITE_OUTAGE_CODES
    return True


def describe(error: BaseException) -> str:
    """The error's class and first line, without the SQL or its parameters (they hold
    personal data): one short line for the log or the command line."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    message = lines[0].strip() if lines else ""
    if len(message) > SUMMARY_LENGTH:
        message = message[: SUMMARY_LENGTH - 1] + "…"
    return f"{type(original).__name__}: {message}" if message else type(original).__name__


def discard_session() -> None:
    """End the request's session; when its connection died, drop the connection instead of
    rolling it back, so the error goes no further and the pool opens a fresh one."""
    try:
        db.session.remove()
    except exc.SQLAlchemyError:
        db.session().invalidate()
        db.session.remove()


def end_request_session(_error: BaseException | None = None) -> None:
    """Teardown: a session whose connection died at the end of a request (the database stopped
    just then) must not turn an answered request into the WSGI server's bare 500."""
    try:
        discard_session()
    except exc.SQLAlchemyError as error:
        db.session.registry.clear()
        current_app.logger.warning("Could not close a database session: %s", describe(error))


def init_outage_handling(app: Flask) -> None:
    # Registered after Flask-SQLAlchemy's teardown, so it runs first (teardowns run in reverse)
    # and leaves Flask-SQLAlchemy nothing to close.
    app.teardown_appcontext(end_request_session)
