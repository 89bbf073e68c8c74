"""Edit forms of the program area; limits live on the fields, rules in program/services.py."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectMultipleField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from wuzhen_events.forms import ChoiceField, MultiLineField, OneLineField, max_length
from wuzhen_events.program.enums import SessionKind

TEXT_LIMIT = 5000
HOSTS_LIMIT = 2000
CAPACITY_LIMIT = 100_000
REQUIRED = _l("This field is required.")
LOCAL_TIME = "%Y-%m-%dT%H:%M"


def lines(text: str | None) -> list[str]:
    """One host per line, blank lines dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SlugMixin:
    slug = OneLineField(
        _l("Slug (part of the public address; cannot change later)"),
        [DataRequired(REQUIRED), max_length(80)],
    )


class VenueForm(FlaskForm):
    building = OneLineField(_l("Building"), [DataRequired(REQUIRED), max_length(200)])
    building_zh = OneLineField(_l("Building (Chinese)"), [max_length(200)])
    hall = OneLineField(_l("Hall"), [max_length(200)])
    hall_zh = OneLineField(_l("Hall (Chinese)"), [max_length(200)])
    room_number = OneLineField(_l("Room number"), [max_length(20)])
    capacity = IntegerField(_l("Seats"), [Optional(), NumberRange(1, CAPACITY_LIMIT)])


class NewVenueForm(SlugMixin, VenueForm):
    pass


class SubforumForm(FlaskForm):
    title = OneLineField(_l("Title"), [DataRequired(REQUIRED), max_length(300)])
    title_zh = OneLineField(_l("Title (Chinese)"), [max_length(300)])
    description = MultiLineField(_l("Description"), [max_length(TEXT_LIMIT)])
    description_zh = MultiLineField(_l("Description (Chinese)"), [max_length(TEXT_LIMIT)])
    hosts = MultiLineField(_l("Hosts, one per line"), [max_length(HOSTS_LIMIT)])
    hosts_zh = MultiLineField(
        _l("Hosts in Chinese, one per line, in the same order"), [max_length(HOSTS_LIMIT)]
    )
    capacity = IntegerField(_l("Seats"), [InputRequired(REQUIRED), NumberRange(0, CAPACITY_LIMIT)])
    venue = ChoiceField(
        _l("Venue"), coerce=int, invalid_message=_l("Choose a venue from the list.")
    )


class NewSubforumForm(SlugMixin, SubforumForm):
    pass


class SpeakerForm(FlaskForm):
    name = OneLineField(_l("Name"), [DataRequired(REQUIRED), max_length(200)])
    name_zh = OneLineField(_l("Name (Chinese)"), [max_length(200)])
    title = OneLineField(_l("Position"), [max_length(300)])
    title_zh = OneLineField(_l("Position (Chinese)"), [max_length(300)])
    affiliation = OneLineField(_l("Affiliation"), [max_length(300)])
    affiliation_zh = OneLineField(_l("Affiliation (Chinese)"), [max_length(300)])
    country = OneLineField(_l("Country (two-letter code)"), [max_length(2)])
    bio = MultiLineField(_l("Biography"), [max_length(TEXT_LIMIT)])
    bio_zh = MultiLineField(_l("Biography (Chinese)"), [max_length(TEXT_LIMIT)])


class NewSpeakerForm(SlugMixin, SpeakerForm):
    pass


class SessionForm(FlaskForm):
    title = OneLineField(_l("Title"), [DataRequired(REQUIRED), max_length(300)])
    title_zh = OneLineField(_l("Title (Chinese)"), [max_length(300)])
    kind = ChoiceField(
        _l("Kind"),
        choices=[(kind.value, kind.label) for kind in SessionKind],
        invalid_message=_l("Choose a kind of session from the list."),
    )
    starts_at = DateTimeLocalField(
        _l("Starts (conference time)"), [InputRequired(REQUIRED)], format=LOCAL_TIME
    )
    ends_at = DateTimeLocalField(
        _l("Ends (conference time)"), [InputRequired(REQUIRED)], format=LOCAL_TIME
    )
    subforum = ChoiceField(
        _l("Subforum"), coerce=int, invalid_message=_l("Choose a subforum from the list.")
    )
    venue = ChoiceField(
        _l("Venue"), coerce=int, invalid_message=_l("Choose a venue from the list.")
    )
    speakers = SelectMultipleField(_l("Speakers"), coerce=int)
    abstract = MultiLineField(_l("Abstract"), [max_length(TEXT_LIMIT)])
    abstract_zh = MultiLineField(_l("Abstract (Chinese)"), [max_length(TEXT_LIMIT)])
    is_public = BooleanField(_l("Shown in the public program"))
    confirmed = BooleanField(_l("Keep it even though a speaker or the day clashes"))


class NotifyForm(FlaskForm):
    # The change the preview showed: a later change needs a new look before sending.
    sequence = HiddenField()


class NewSessionForm(SessionForm):
    pass
