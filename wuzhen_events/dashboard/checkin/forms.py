"""The scanning page's forms and the forms that manage doors, staff and devices."""

from __future__ import annotations

import uuid

import wtforms
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from wuzhen_events.checkin.enums import Direction, DoorKind
from wuzhen_events.checkin.services import (
    CODE_INPUT_LIMIT,
    CONFLICT_NOTE_LIMIT,
    DEVICE_LABEL_LIMIT,
)
from wuzhen_events.forms import (
    CheckboxesField,
    ChoiceField,
    MultiLineField,
    OneLineField,
    StrippedSearchField,
    max_length,
)

FROM_THE_LIST = _l("Please choose from the list.")


def _direction_choices() -> list[tuple[str, str]]:
    return [(direction.value, direction.label) for direction in Direction]


class ScanMixin:
    """Every scan carries a nonce made for the rendered form, so a double submit records once."""

    direction = wtforms.RadioField(
        _l("Direction"),
        id="checkin-direction",
        choices=_direction_choices,
        default=Direction.ENTRY.value,
        validators=[InputRequired(FROM_THE_LIST)],
    )
    nonce = HiddenField(id="checkin-nonce", validators=[DataRequired(), max_length(64)])
    device = HiddenField(
        id="checkin-device", validators=[Optional(), max_length(DEVICE_LABEL_LIMIT)]
    )

    def fresh_nonce(self) -> None:
        self.nonce.data = str(uuid.uuid4())


class ScanForm(ScanMixin, FlaskForm):
    code = wtforms.StringField(
        _l("Badge code"),
        id="checkin-code",
        validators=[
            DataRequired(_l("Please scan a badge or type its code.")),
            max_length(CODE_INPUT_LIMIT),
        ],
        render_kw={
            "autofocus": True,
            "autocomplete": "off",
            "autocapitalize": "off",
            "spellcheck": "false",
        },
    )


class AdmitForm(ScanMixin, FlaskForm):
    """A search result admitted by hand: the server scans the delegate's own code."""

    delegate_id = IntegerField(
        validators=[InputRequired(FROM_THE_LIST), NumberRange(min=1, max=2**31 - 1)]
    )


class SearchForm(wtforms.Form):
    q = StrippedSearchField(
        _l("Name (English or Chinese)"),
        id="checkin-search-q",
        validators=[Optional(), max_length(100)],
    )


def _kind_choices() -> list[tuple[str, str]]:
    return [(kind.value, kind.label) for kind in DoorKind]


class DoorForm(FlaskForm):
    name = OneLineField(
        _l("Name"), validators=[DataRequired(_l("Please give the door a name.")), max_length(120)]
    )
    name_zh = OneLineField(_l("Name in Chinese"), validators=[Optional(), max_length(60)])
    kind = ChoiceField(_l("Kind"), choices=_kind_choices, invalid_message=FROM_THE_LIST)
    subforum_id = ChoiceField(
        _l("Subforum (for a hall door)"),
        coerce=lambda value: int(value) if value not in (None, "") else None,
        invalid_message=FROM_THE_LIST,
    )
    admits_walk_ins = BooleanField(
        _l("Seat waitlisted delegates in free seats once the session has started")
    )


class StaffForm(FlaskForm):
    accounts = CheckboxesField(_l("Accounts that scan at this door"))


class DeviceForm(FlaskForm):
    name = OneLineField(
        _l("Device name"),
        validators=[DataRequired(_l("Please give the device a name.")), max_length(120)],
    )
    doors = CheckboxesField(
        _l("Doors it may scan at"),
        validators=[DataRequired(_l("Please choose at least one door."))],
    )


class ConfirmForm(FlaskForm):
    """A button that changes something: its CSRF token is the whole form."""


class ConflictReviewForm(FlaskForm):
    note = MultiLineField(
        _l("What you found (optional)"), validators=[max_length(CONFLICT_NOTE_LIMIT)]
    )
