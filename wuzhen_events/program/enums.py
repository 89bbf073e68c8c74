"""States and kinds of program rows, with the labels pages show for them."""

import enum

from flask_babel import lazy_gettext as _l


class SessionKind(enum.StrEnum):
    CEREMONY = "ceremony"
    PLENARY = "plenary"
    KEYNOTE = "keynote"
    PANEL = "panel"
    SUBFORUM_SESSION = "subforum_session"
    LAUNCH = "launch"
    RELEASE = "release"
    PRESS_CONFERENCE = "press_conference"
    SOCIAL = "social"

    @property
    def label(self) -> str:
        return str(SESSION_KIND_LABELS[self])


SESSION_KIND_LABELS = {
    SessionKind.CEREMONY: _l("Ceremony"),
    SessionKind.PLENARY: _l("Plenary"),
    SessionKind.KEYNOTE: _l("Keynote"),
    SessionKind.PANEL: _l("Panel"),
    SessionKind.SUBFORUM_SESSION: _l("Subforum session"),
    SessionKind.LAUNCH: _l("Launch"),
    SessionKind.RELEASE: _l("Release"),
    SessionKind.PRESS_CONFERENCE: _l("Press conference"),
    SessionKind.SOCIAL: _l("Social event"),
}


class SessionStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class SpeakerRole(enum.StrEnum):
    SPEAKER = "speaker"
    MODERATOR = "moderator"
    HOST = "host"

    @property
    def label(self) -> str:
        return str(SPEAKER_ROLE_LABELS[self])


SPEAKER_ROLE_LABELS = {
    SpeakerRole.SPEAKER: _l("Speaker"),
    SpeakerRole.MODERATOR: _l("Moderator"),
    SpeakerRole.HOST: _l("Host"),
}
