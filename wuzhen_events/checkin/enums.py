"""Kinds of doors, scan directions and the answers a door gives, with the labels pages show."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from wuzhen_events.enums import LabelledEnum


class DoorKind(LabelledEnum):
    MAIN_ENTRANCE = "main_entrance", _l("Main entrance")
    SUBFORUM = "subforum", _l("Subforum hall")


class Direction(LabelledEnum):
    ENTRY = "entry", _l("Entry")
    EXIT = "exit", _l("Exit")


class OfflineAnswer(LabelledEnum):
    """What a device answered from its offline data before the server heard of the scan."""

    ADMITTED = "admitted", _l("Admitted")
    REFUSED = "refused", _l("Refused")


class ScanReason(LabelledEnum):
    """Why a door refused a badge; on an offline admission that clashed, why it is flagged."""

    ALREADY_CHECKED_IN = "already_checked_in", _l("Already checked in")
    NO_SEAT = "no_seat", _l("No seat in this subforum")
    WAITLISTED = "waitlisted", _l("On the waitlist")
    CANCELLED = "cancelled", _l("Registration cancelled")
    PENDING_APPROVAL = "pending_approval", _l("Waiting for approval")
    REJECTED = "rejected", _l("Registration not approved")
    UNKNOWN_CODE = "unknown_code", _l("Unknown code")
