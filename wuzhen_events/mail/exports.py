"""The e-mail log as spreadsheet rows: what was queued for whom, and where it stands. Never the
bodies or attachments: they carry the recipients' private links."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import tzinfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from wuzhen_events.extensions import db
from wuzhen_events.mail.models import OutboxMessage
from wuzhen_events.spreadsheets import local_time

BATCH_SIZE = 1000

MESSAGE_COLUMNS = (
    _l("ID"),
    _l("Recipient"),
    _l("Subject"),
    _l("Kind"),
    _l("Status"),
    _l("Attempts"),
    _l("Queued at"),
    _l("Sent at"),
    _l("Failed at"),
    _l("Failure reason"),
)


def message_rows(zone: tzinfo) -> Iterator[tuple]:
    """Every outbox message in the order it was queued; times on the clocks of `zone`."""
    query = sa.select(
        OutboxMessage.id,
        OutboxMessage.recipient,
        OutboxMessage.subject,
        OutboxMessage.kind,
        OutboxMessage.status,
        OutboxMessage.attempts,
        OutboxMessage.created_at,
        OutboxMessage.sent_at,
        OutboxMessage.failed_at,
        OutboxMessage.last_error,
    ).order_by(OutboxMessage.id)
    result = db.session.execute(query.execution_options(yield_per=BATCH_SIZE))
    for row in result.tuples():
        yield (
            *row[:4],
            row[4].value,
            row[5],
            local_time(row[6], zone),
            local_time(row[7], zone),
            local_time(row[8], zone),
            row[9],
        )
