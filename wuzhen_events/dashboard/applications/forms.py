"""The two decisions on an application; the services keep the rules (a booth held by another
exhibitor, a decision already made), these the limits."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import DataRequired

from wuzhen_events.expo.applications.services import BOOTH_LIMIT, HALLS, REASON_LIMIT
from wuzhen_events.forms import ChoiceField, MultiLineField, OneLineField, max_length


class ApproveForm(FlaskForm):
    hall = ChoiceField(
        _l("Hall"),
        choices=[(hall, hall) for hall in HALLS],
        invalid_message=_l("Please choose a hall from the list."),
    )
    booth = OneLineField(
        _l("Booth"),
        validators=[DataRequired(_l("Please give the booth number.")), max_length(BOOTH_LIMIT)],
    )
    note = MultiLineField(_l("Note (optional)"), validators=[max_length(REASON_LIMIT)])


class RejectForm(FlaskForm):
    reason = MultiLineField(
        _l("Reason"),
        validators=[
            DataRequired(_l("Please give the reason for the rejection.")),
            max_length(REASON_LIMIT),
        ],
    )
