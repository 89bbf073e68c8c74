"""One invitation, or a file of them; the expiry is a conference day, inclusive."""

from __future__ import annotations

import wtforms
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField
from wtforms.validators import DataRequired, Optional

from wuzhen_events.forms import ChoiceField, MailableEmail, max_length
from wuzhen_events.registration.enums import DelegateCategory


class DayField(wtforms.DateField):
    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("Please give a date as YYYY-MM-DD.")) from error


def _category_choices() -> list[tuple[str, str]]:
    return [(category.value, category.label) for category in DelegateCategory]


class ExpiryMixin:
    expires_on = DayField(_l("Valid until (inclusive, conference time)"), validators=[Optional()])


class InvitationForm(ExpiryMixin, FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Please give the e-mail address.")),
            max_length(254),
            MailableEmail(),
        ],
    )
    category = ChoiceField(
        _l("Category"),
        choices=_category_choices,
        invalid_message=_l("Please choose a category from the list."),
    )


class UploadForm(ExpiryMixin, FlaskForm):
    file = FileField(
        _l("CSV file (columns name, email, category; UTF-8)"),
        validators=[FileRequired(_l("Please choose a CSV file."))],
    )
