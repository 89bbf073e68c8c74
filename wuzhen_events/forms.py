"""Form pieces shared by every domain's filter and entry forms."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import wtforms
from babel import Locale
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Form, SearchField, StringField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextArea

from wuzhen_events.text import LINE_BREAKS, code_point, one_line, stray_character, tidy


class StrippedSearchField(SearchField):
    """A search box that ignores surrounding blanks, reads a line break as a space and drops
    other control characters (NUL among them, which PostgreSQL refuses): a search is stored
    nowhere, so it is tidied rather than refused (text.one_line)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = one_line(tidy(self.data))


class OneLineField(StringField):
    """One line of text (wuzhen_events/text.py says what that holds, and why): tidied, then a
    line break or a control character is refused with a message that says which, before any
    other validator speaks."""

    multiline = False

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = tidy(self.data, multiline=self.multiline)

    def pre_validate(self, form) -> None:
        character = stray_character(self.data or "", multiline=self.multiline)
        if character is None:
            return
        if character in LINE_BREAKS:
            raise StopValidation(_("Please write this on one line, without line breaks."))
        raise StopValidation(
            _(
                "Please remove the invisible control character %(character)s.",
                character=code_point(character),
            )
        )


class MultiLineField(OneLineField):
    """Text with paragraphs: line breaks are kept, other control characters refused."""

    multiline = True
    widget = TextArea()


# Digits beyond this stand for "far past the end": the view shows the last page anyway,
# and Python refuses to parse integers of more than about 4,300 digits.
PAGE_DIGITS_LIMIT = 9
SWITCH_ON = "1"


@dataclass(frozen=True)
class ErrorLink:
    message: str
    href: str | None  # the control to fix, or None when the problem is in the address only


class FilterSelectField(wtforms.SelectField):
    """A select whose choices come from the data; anything else is refused with a clear message."""

    def __init__(self, label=None, validators=None, *, invalid_message, **kwargs):
        kwargs.setdefault("default", "")
        super().__init__(label, validators, validate_choice=False, **kwargs)
        self.invalid_message = invalid_message

    def pre_validate(self, form) -> None:
        if self.data not in {value for value, _label in self.choices or ()}:
            raise ValidationError(str(self.invalid_message))


class SwitchField(wtforms.BooleanField):
    """A checkbox filter that is on only as `1`, so a mistyped value is reported, not guessed."""

    def __init__(self, label=None, validators=None, *, invalid_message, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message
        self.raw_value = ""

    def process_formdata(self, valuelist) -> None:
        self.raw_value = valuelist[0] if valuelist else ""
        self.data = self.raw_value == SWITCH_ON

    def _value(self) -> str:
        return SWITCH_ON

    def pre_validate(self, form) -> None:
        if self.raw_value not in ("", "0", SWITCH_ON):
            raise ValidationError(str(self.invalid_message))


class PageField(wtforms.Field):
    """`?page=`: a whole number from 1; numbers past the last page are the view's business."""

    def process_data(self, value) -> None:
        self.data = 1

    def process_formdata(self, valuelist) -> None:
        raw = valuelist[0].strip() if valuelist else ""
        if not raw:
            return
        digits = raw.lstrip("0")
        if not (raw.isascii() and raw.isdigit()) or not digits:
            raise ValueError(_("Page numbers are whole numbers from 1 up."))
        self.data = int(digits) if len(digits) <= PAGE_DIGITS_LIMIT else 10**PAGE_DIGITS_LIMIT


class FilterForm(Form):
    """GET filter forms: no CSRF (nothing changes); problems listed above, linked to controls."""

    @classmethod
    def parameter_names(cls) -> tuple[str, ...]:
        """The query parameters the form reads: what a kept page of its results depends on."""
        return tuple(
            sorted(
                name
                for name in dir(cls)
                if not name.startswith("_") and isinstance(getattr(cls, name), UnboundField)
            )
        )

    def error_summary(self) -> list[ErrorLink]:
        return [
            ErrorLink(message, None if isinstance(field, PageField) else f"#{field.id}")
            for field in self
            for message in field.errors
        ]


def form_problems(form: wtforms.Form) -> list[ErrorLink]:
    """An entry form's errors for the summary that takes focus after a failed submit: each
    names its field and links to it."""
    problems = [ErrorLink(str(message), None) for message in getattr(form, "form_errors", ())]
    for field in form:
        if not field.errors:
            continue
        if field.type in ("CSRFTokenField", "HiddenField"):
            problems.append(
                ErrorLink(_("This form had expired. Please check it and submit it again."), None)
            )
            continue
        # A checkbox's label is a whole sentence: its message says what is missing on its own.
        named = field.type != "BooleanField"
        problems.extend(
            ErrorLink(
                _("%(field)s: %(message)s", field=field.label.text, message=message)
                if named
                else str(message),
                f"#{field.id}",
            )
            for message in field.errors
        )
    return problems


def email_problem(address: str) -> str | None:
    """Why the mail server could not deliver to `address`, or None: the forms and the CLI ask.

    A non-ASCII domain is fine (it travels as IDNA); a non-ASCII local part needs a server
    that speaks SMTPUTF8, which most do not, so it is refused unless MAIL_SMTPUTF8 is set.
    """
    try:
        checked = validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return _("Please enter a valid e-mail address.")
    if checked.ascii_email is None and not current_app.config.get("MAIL_SMTPUTF8"):
        return _(
            "Our mail server cannot deliver to addresses with letters other than a–z before "
            "the @. Please enter another address."
        )
    return None


class MailableEmail:
    """A WTForms validator for every field that takes an e-mail address (see email_problem)."""

    def __call__(self, form, field) -> None:
        problem = email_problem(field.data or "")
        if problem is not None:
            raise ValidationError(problem)


# --- entry forms: every refusal in our words, even for a POST edited by hand ------------------


class ChoiceField(wtforms.SelectField):
    """A select that refuses a value not offered (or not a number, with coerce=int) with
    `invalid_message`, not WTForms' "Not a valid choice" or "could not coerce"."""

    def __init__(self, label=None, validators=None, *, invalid_message, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(self.invalid_message)) from error

    def pre_validate(self, form) -> None:
        if not any(self.data == self.coerce(value) for value, *_rest in self.iter_choices()):
            raise ValidationError(str(self.invalid_message))


def max_length(limit: int) -> Length:
    """Length(max=...) whose message says the limit and how far over it the text is."""
    return Length(
        max=limit,
        message=_l("Please use at most %(max)d characters (this has %(length)d)."),
    )


# --- countries and regions: the delegate's and the exhibitor's forms offer the same list -------


class CheckboxesField(wtforms.SelectMultipleField):
    """Checkboxes by id; an id not offered is refused with the field's `not_offered` sentence,
    never with WTForms' own English."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
    not_offered = _l("Please choose from the list.")

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, coerce=int, **kwargs)

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(self.not_offered)) from error

    def pre_validate(self, form) -> None:
        offered = {value for value, _label in self.choices or ()}
        if any(value not in offered for value in self.data or ()):
            raise wtforms.ValidationError(str(self.not_offered))


NOT_REGIONS = {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"}
COUNTRY_FROM_THE_LIST = _l("Please choose a country or region from the list.")


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
