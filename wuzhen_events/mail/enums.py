"""What an outbox message is about, and where it stands on its way to the mail server."""

import enum


class OutboxStatus(enum.StrEnum):
    """PENDING until the server accepts it (retries included); FAILED after the last attempt;
    SUPERSEDED when an earlier e-mail already said all it would say (it is never sent)."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    SUPERSEDED = "superseded"


class DelegateMessage(enum.StrEnum):
    """The e-mails a delegate receives; each value names its templates in templates/emails/."""

    CONFIRMATION = "confirmation"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    WAITLIST_PROMOTION = "waitlist_promotion"
    CANCELLATION = "cancellation"
    MANAGE_LINK = "manage_link"
    REGISTRATION_ATTEMPT = "registration_attempt"
