"""States and kinds of program rows, with the labels pages show for them."""

import enum

from flask_babel import lazy_gettext as _l

from wuzhen_events.enums import LabelledEnum


class SessionKind(LabelledEnum):
    CEREMONY = "ceremony", _l("Ceremony")
    PLENARY = "plenary", _l("Plenary")
    KEYNOTE = "keynote", _l("Keynote")
    PANEL = "panel", _l("Panel")
    SUBFORUM_SESSION = "subforum_session", _l("Subforum session")
    LAUNCH = "launch", _l("Launch")
    RELEASE = "release", _l("Release")
    PRESS_CONFERENCE = "press_conference", _l("Press conference")
    SOCIAL = "social", _l("Social event")


class SessionStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class SpeakerRole(LabelledEnum):
    SPEAKER = "speaker", _l("Speaker")
    MODERATOR = "moderator", _l("Moderator")
    HOST = "host", _l("Host")
