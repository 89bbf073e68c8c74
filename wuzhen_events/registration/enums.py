"""Categories and states of delegates and their seats, with the labels pages show."""

import enum
from collections.abc import Iterable

from flask_babel import gettext
from flask_babel import lazy_gettext as _l


class DelegateCategory(enum.StrEnum):
    GOVERNMENT = "government"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    ENTERPRISE = "enterprise"
    EXPERT = "expert"
    MEDIA = "media"
    GENERAL = "general"

    @property
    def label(self) -> str:
        return str(CATEGORY_LABELS[self])

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


CATEGORY_LABELS = {
    DelegateCategory.GOVERNMENT: _l("Government delegate"),
    DelegateCategory.INTERNATIONAL_ORGANISATION: _l("International organisation"),
    DelegateCategory.ENTERPRISE: _l("Enterprise"),
    DelegateCategory.EXPERT: _l("Expert or academia"),
    DelegateCategory.MEDIA: _l("Media"),
    DelegateCategory.GENERAL: _l("General attendee"),
}


class DelegateStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(DELEGATE_STATUS_LABELS[self])


DELEGATE_STATUS_LABELS = {
    DelegateStatus.PENDING: _l("Waiting for approval"),
    DelegateStatus.CONFIRMED: _l("Confirmed"),
    DelegateStatus.CANCELLED: _l("Cancelled"),
}


class SeatStatus(enum.StrEnum):
    """A pending delegate's choice is WANTED: it holds no seat and no waitlist place yet. An
    unverified delegate's seat is HELD: it counts against capacity until verified or expired."""

    CONFIRMED = "confirmed"
    HELD = "held"
    WAITLISTED = "waitlisted"
    WANTED = "wanted"

    @property
    def label(self) -> str:
        return str(SEAT_STATUS_LABELS[self])


SEAT_STATUS_LABELS = {
    SeatStatus.CONFIRMED: _l("Seat confirmed"),
    SeatStatus.HELD: _l("Seat held until you confirm your e-mail address"),
    SeatStatus.WAITLISTED: _l("On the waitlist"),
    SeatStatus.WANTED: _l("Requested, held after approval"),
}
