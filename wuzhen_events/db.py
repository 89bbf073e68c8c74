"""Declarative base, column types and engine settings shared by every domain package."""

from __future__ import annotations

import enum
import sqlite3
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints let Alembic alter and drop them identically on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """Stores instants as naive UTC so SQLite and PostgreSQL agree, and hands back aware UTC."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def enum_column(enum_class: type[enum.Enum]) -> sa.Enum:
    """Store enum values (not names) as plain strings, so no database-specific enum type exists."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def contains_text(text: str, *columns: sa.ColumnElement[str]) -> sa.ColumnElement[bool]:
    """Any of `columns` holds `text`, case aside; a % or _ typed is a character, not a wildcard."""
    return sa.or_(*(column.icontains(text, autoescape=True) for column in columns))


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def made_on(dialect_name: str):
    """Alembic's `include_object` for a database of `dialect_name`: it leaves out the indexes
    that exist only on another dialect (`Index(...).ddl_if(dialect=...)`), which Alembic's
    comparison would otherwise report missing."""

    def include_object(item, name, type_, reflected, compare_to) -> bool:
        condition = getattr(item, "_ddl_if", None)
        return condition is None or condition.dialect in (None, dialect_name)

    return include_object


# The delegates' search indexes use pg_trgm's operator class (a trusted extension since
# PostgreSQL 13: the database's owner may install it); migration 0013 installs it the same way,
# in the schema `public` by name, so a database whose search_path leads elsewhere (each test's
# own schema) still finds the one operator class the indexes name.
sa.event.listen(
    Base.metadata,
    "before_create",
    sa.DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public").execute_if(
        dialect="postgresql"
    ),
)


class Provenance(enum.StrEnum):
    """Where a row of the demo conference comes from, so invented content is never shown as fact."""

    SOURCED = "sourced"
    INFERRED = "inferred"
    DEMO = "demo"


class ProvenanceMixin:
    provenance: Mapped[Provenance] = mapped_column(
        enum_column(Provenance), default=Provenance.SOURCED
    )
    source_note: Mapped[str] = mapped_column(sa.String(500), default="")
    source_note_zh: Mapped[str] = mapped_column(sa.String(500), default="")

    @property
    def is_demo(self) -> bool:
        return self.provenance is Provenance.DEMO


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    """Let SQLAlchemy, not pysqlite, emit BEGIN, so write transactions can take the lock early."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    # The busy timeout is pysqlite's `timeout` (DATABASE_STATEMENT_TIMEOUT, config.py).
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection: sa.Connection) -> None:
    """Writers ask for BEGIN IMMEDIATE so two writers queue instead of failing on lock upgrade."""
    if connection.dialect.name != "sqlite":
        return
    immediate = connection.get_execution_options().get("sqlite_immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
