"""Registration forms: Flask-WTF, so every POST carries a CSRF token; limits live on fields."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from flask_babel import get_locale
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

from wuzhen_events.forms import ChoiceField, MailableEmail, OneLineField, max_length
from wuzhen_events.registration.enums import DelegateCategory

NOT_REGIONS = {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"}
SUBMISSION_ID_SHAPE = r"^[A-Za-z0-9_-]{22,64}\Z"  # \Z: "$" would let a trailing newline in
SUBFORUMS_FROM_THE_LIST = _l("Please choose subforums from the list.")
COUNTRY_FROM_THE_LIST = _l("Please choose a country or region from the list.")


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


def country_choices() -> list[tuple[str, str]]:
    return list(_country_choices(str(get_locale() or "en")))


@lru_cache(maxsize=8)
def _country_choices(locale: str) -> tuple[tuple[str, str], ...]:
    """Sorted once per language: every form with a country field needs the list."""
    territories = Locale.parse(locale).territories
    codes = [
        code
        for code in territories
        if len(code) == 2 and code.isalpha() and code not in NOT_REGIONS
    ]
    return tuple(sorted(((code, territories[code]) for code in codes), key=lambda pair: pair[1]))


@lru_cache(maxsize=8)
def _country_codes(locale: str) -> frozenset[str]:
    return frozenset(code for code, _name in _country_choices(locale))


class CountryField(ChoiceField):
    """A select of some 250 regions whose choice is checked against a set, not a list scan."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("invalid_message", COUNTRY_FROM_THE_LIST)
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form) -> None:
        if self.data != "" and self.data not in _country_codes(str(get_locale() or "en")):
            raise ValidationError(str(self.invalid_message))


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
