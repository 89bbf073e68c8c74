"""Registration forms: Flask-WTF, so every POST carries a CSRF token; limits live on fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    SelectMultipleField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from wuzhen_events.forms import (
    ChoiceField,
    CountryField,
    MailableEmail,
    OneLineField,
    country_choices,
    max_length,
)
from wuzhen_events.registration.enums import DelegateCategory

SUBMISSION_ID_SHAPE = r"^[A-Za-z0-9_-]{22,64}\Z"  # \Z: "$" would let a trailing newline in
SUBFORUMS_FROM_THE_LIST = _l("Please choose subforums from the list.")


class CheckboxListField(SelectMultipleField):
    """A group of checkboxes, keyboard-usable and labelled one by one."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(SUBFORUMS_FROM_THE_LIST)) from error

    def pre_validate(self, form) -> None:
        offered = {value for value, _label in self.choices or ()}
        if any(value not in offered for value in self.data or ()):
            raise ValidationError(str(SUBFORUMS_FROM_THE_LIST))


def category_choices() -> list[tuple[str, str]]:
    return [(category.value, category.label) for category in DelegateCategory]


class DelegateDetailsForm(FlaskForm):
    name = OneLineField(
        _l("Full name"),
        validators=[DataRequired(_l("Please enter your name.")), max_length(120)],
    )
    name_zh = OneLineField(_l("Chinese name (optional)"), validators=[Optional(), max_length(60)])
    organisation = OneLineField(
        _l("Organisation"),
        validators=[DataRequired(_l("Please enter your organisation.")), max_length(200)],
    )
    job_title = OneLineField(_l("Job title"), validators=[Optional(), max_length(120)])
    country = CountryField(
        _l("Country or region"),
        validators=[InputRequired(_l("Please choose your country or region."))],
    )
    category = ChoiceField(
        _l("Delegate category"),
        validators=[InputRequired(_l("Please choose a category."))],
        invalid_message=_l("Please choose a category from the list."),
    )
    locale = ChoiceField(
        _l("Language for e-mails"),
        choices=[("en", "English"), ("zh", "中文")],
        default="en",
        invalid_message=_l("Please choose English or 中文 as the language for e-mails."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("Choose…")), *country_choices()]
        self.category.choices = [("", _l("Choose…")), *category_choices()]


class RegistrationForm(DelegateDetailsForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Please enter your e-mail address.")),
            max_length(254),
            MailableEmail(),
        ],
    )
    invitation_code = OneLineField(_l("Invitation code"), validators=[Optional(), max_length(40)])
    subforums = CheckboxListField(_l("Subforums you would like to attend"), coerce=int)
    consent = BooleanField(
        _l("I agree that my details are used to run my registration, as the privacy notice says."),
        validators=[DataRequired(_l("Registration needs your consent to the privacy notice."))],
    )
    # Random per form shown: sent twice (a double click, a reload), it finds the first answer.
    submission_id = HiddenField(
        validators=[
            Optional(),
            Regexp(SUBMISSION_ID_SHAPE, message=_l("Please submit the form again.")),
        ]
    )

    def __init__(self, *args, subforum_choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.subforums.choices = subforum_choices


class AddSubforumForm(FlaskForm):
    subforum = ChoiceField(
        _l("Add a subforum"),
        coerce=int,
        invalid_message=_l("Please choose a subforum from the list."),
    )

    def __init__(self, *args, subforum_choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.subforum.choices = subforum_choices


class ResendLinkForm(FlaskForm):
    """Prefixed, because it shares pages with forms that have an e-mail field of their own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="resend", **kwargs)

    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Please enter your e-mail address.")),
            max_length(254),
            MailableEmail(),
        ],
    )


class ConfirmForm(FlaskForm):
    """A button with a CSRF token: dropping a seat, starring, cancelling, renewing the feed."""
