"""Reading exhibitor applications for the organizers' review."""

from __future__ import annotations

import sqlalchemy as sa

from wuzhen_events.expo.enums import ApplicationStatus
from wuzhen_events.expo.models import Exhibitor, ExhibitorApplication
from wuzhen_events.extensions import db


def applications_statement(conference_id: int, status: ApplicationStatus) -> sa.Select:
    """Waiting ones oldest first (first come, first served); decided ones newest first."""
    order = (
        (ExhibitorApplication.created_at, ExhibitorApplication.id)
        if status is ApplicationStatus.APPLIED
        else (ExhibitorApplication.decided_at.desc(), ExhibitorApplication.id.desc())
    )
    return (
        sa.select(ExhibitorApplication)
        .where(
            ExhibitorApplication.conference_id == conference_id,
            ExhibitorApplication.status == status,
        )
        .order_by(*order)
    )


def status_counts(conference_id: int) -> dict[ApplicationStatus, int]:
    rows = db.session.execute(
        sa.select(ExhibitorApplication.status, sa.func.count().label("count"))
        .where(ExhibitorApplication.conference_id == conference_id)
        .group_by(ExhibitorApplication.status)
    )
    counts = dict.fromkeys(ApplicationStatus, 0)
    counts.update({row.status: row.count for row in rows})
    return counts


def taken_booths(hall: str) -> list[str]:
    """The booths of a hall that exhibitors hold, for the approval form's hint."""
    return list(
        db.session.scalars(
            sa.select(Exhibitor.booth).where(Exhibitor.hall == hall).order_by(Exhibitor.booth)
        )
    )
