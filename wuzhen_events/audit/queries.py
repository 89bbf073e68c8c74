"""Reading the audit trail: one object's history, one delegate's, or the whole log filtered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from wuzhen_events.audit.actors import ActorKind
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.extensions import db


@dataclass(frozen=True)
class AuditFilter:
    actor_kind: ActorKind | None = None
    actor_id: str = ""  # with actor_kind: one account, one delegate, one job
    object_type: str = ""  # a table: "delegates", "program_sessions"
    object_id: str = ""
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive


def entries_query(wanted: AuditFilter) -> sa.Select:
    """Newest first, as a log is read."""
    query = sa.select(AuditEntry)
    if wanted.actor_kind is not None:
        query = query.where(AuditEntry.actor_kind == wanted.actor_kind)
        if wanted.actor_id:
            query = query.where(AuditEntry.actor_id == wanted.actor_id)
    if wanted.object_type:
        query = query.where(AuditEntry.object_type == wanted.object_type)
        if wanted.object_id:
            query = query.where(AuditEntry.object_id == wanted.object_id)
    if wanted.since is not None:
        query = query.where(AuditEntry.at >= wanted.since)
    if wanted.until is not None:
        query = query.where(AuditEntry.at < wanted.until)
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def object_history(object_type: str, object_id: int | str) -> list[AuditEntry]:
    """Every entry about one row, oldest first, as a history is read."""
    return list(
        db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.object_type == object_type, AuditEntry.object_id == str(object_id))
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    )


def delegate_history(delegate_id: int) -> list[AuditEntry]:
    """The delegate's row and everything recorded as theirs (seats, stars, e-mails), oldest
    first."""
    return list(
        db.session.scalars(
            sa.select(AuditEntry)
            .where(
                sa.or_(
                    AuditEntry.delegate_id == delegate_id,
                    sa.and_(
                        AuditEntry.object_type == "delegates",
                        AuditEntry.object_id == str(delegate_id),
                    ),
                )
            )
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    )


def object_types() -> list[str]:
    """The kinds of object the trail holds entries about, for the log's filter."""
    return list(
        db.session.scalars(
            sa.select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type)
        )
    )
