"""Audit entries as the dashboard shows them: who by name, and each field's before and after."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from wuzhen_events.accounts.models import Account
from wuzhen_events.audit.actors import ActorKind
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.extensions import db


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    actor: str  # "Li Wei (organizer)", "cli:ops", "delegate:42", "system:waitlist"
    action: str
    object_type: str
    object_id: str
    changes: list[FieldChange]
    note: str
    # The delegate the entry is about (their row, or a seat, star or e-mail of theirs).
    delegate_id: int | None = None


def history_lines(entries: Sequence[AuditEntry]) -> list[HistoryLine]:
    """One query for the names of the organizer accounts among the actors, whatever the count."""
    account_ids = {
        int(entry.actor_id)
        for entry in entries
        if entry.actor_kind is ActorKind.ORGANIZER and entry.actor_id.isdigit()
    }
    names: dict[str, str] = {}
    if account_ids:
        rows = db.session.execute(
            sa.select(Account.id, Account.name, Account.email).where(Account.id.in_(account_ids))
        )
        names = {str(row.id): f"{row.name} <{row.email}>" for row in rows}
    return [
        HistoryLine(
            at=entry.at,
            actor=names.get(entry.actor_id, entry.actor_label)
            if entry.actor_kind is ActorKind.ORGANIZER
            else entry.actor_label,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            changes=[
                FieldChange(
                    field,
                    _shown((entry.before or {}).get(field)),
                    _shown((entry.after or {}).get(field)),
                )
                for field in entry.fields
            ],
            note=entry.note,
            delegate_id=_delegate_of(entry),
        )
        for entry in entries
    ]


def _shown(value: Any) -> str:
    """A recorded value as text; a field recorded without its value (a secret) shows nothing."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _delegate_of(entry: AuditEntry) -> int | None:
    if entry.delegate_id is not None:
        return entry.delegate_id
    if entry.object_type == "delegates" and entry.object_id.isdigit():
        return int(entry.object_id)
    return None
