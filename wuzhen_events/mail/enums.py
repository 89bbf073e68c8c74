"""Where an outbox message stands on its way to the mail server."""

import enum


class OutboxStatus(enum.StrEnum):
    """PENDING until the server accepts it (retries included); FAILED after the last attempt;
    SUPERSEDED when an earlier e-mail already said all it would say (it is never sent)."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    SUPERSEDED = "superseded"
