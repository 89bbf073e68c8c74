"""Categories and states of delegates and their seats, with the labels pages show; the kinds
of e-mail a delegate receives."""

import enum
from collections.abc import Iterable

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from wuzhen_events.enums import LabelledEnum


class DelegateCategory(LabelledEnum):
    GOVERNMENT = "government", _l("Government delegate")
    INTERNATIONAL_ORGANISATION = "international_organisation", _l("International organisation")
    ENTERPRISE = "enterprise", _l("Enterprise")
    EXPERT = "expert", _l("Expert or academia")
    MEDIA = "media", _l("Media")
    GENERAL = "general", _l("General attendee")

    @property
    def needs_invitation(self) -> bool:
        """Government and international-organisation delegates come by invitation or approval."""
        return self in INVITED_CATEGORIES


INVITED_CATEGORIES = frozenset(
    {DelegateCategory.GOVERNMENT, DelegateCategory.INTERNATIONAL_ORGANISATION}
)


def category_list(values: Iterable[str]) -> str:
    """Category values as the labels a sentence lists, in the visitor's language."""
    return gettext(", ").join(DelegateCategory(value).label for value in values)


class DelegateStatus(LabelledEnum):
    PENDING = "pending", _l("Waiting for approval")
    CONFIRMED = "confirmed", _l("Confirmed")
    CANCELLED = "cancelled", _l("Cancelled")
    # Declined by the organizers; its requested places stay requests, so a reset reopens it.
    REJECTED = "rejected", _l("Not approved")


class SeatStatus(LabelledEnum):
    """A pending delegate's choice is WANTED: it holds no seat and no waitlist place yet. An
    unverified delegate's seat is HELD: it counts against capacity until verified or expired."""

    CONFIRMED = "confirmed", _l("Seat confirmed")
    HELD = "held", _l("Seat held until you confirm your e-mail address")
    WAITLISTED = "waitlisted", _l("On the waitlist")
    WANTED = "wanted", _l("Requested, held after approval")

    @property
    def organizer_label(self) -> str:
        """The state as organizers read it: the label speaks to the delegate ("you")."""
        return str(ORGANIZER_SEAT_LABELS[self])


ORGANIZER_SEAT_LABELS = {
    SeatStatus.CONFIRMED: _l("seat"),
    SeatStatus.HELD: _l("seat held, address not yet confirmed"),
    SeatStatus.WAITLISTED: _l("waitlisted"),
    SeatStatus.WANTED: _l("requested, waiting for approval"),
}


class DelegateMessage(enum.StrEnum):
    """The e-mails a delegate receives; each value names its templates in templates/emails/."""

    CONFIRMATION = "confirmation"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    WAITLIST_PROMOTION = "waitlist_promotion"
    CANCELLATION = "cancellation"
    REJECTION = "rejection"  # the organizers did not approve a registration waiting for them
    MANAGE_LINK = "manage_link"
    REGISTRATION_ATTEMPT = "registration_attempt"
    # A session they hold a seat for or starred was moved or cancelled.
    SESSION_CHANGED = "session_changed"
