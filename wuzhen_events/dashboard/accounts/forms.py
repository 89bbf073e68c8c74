"""The account forms an administrator fills in; the services keep the rules, these the limits."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Optional

from wuzhen_events.accounts.enums import Role
from wuzhen_events.accounts.services import PASSWORD_MAX_LENGTH
from wuzhen_events.forms import CheckboxesField, ChoiceField, OneLineField, max_length

ROLE_FROM_THE_LIST = _l("Please choose a role from the list.")
SUBFORUMS_FROM_THE_LIST = _l("Please choose subforums from the list.")


class SubforumsField(CheckboxesField):
    """Checkboxes of the conference's subforums, by id; an id not offered is refused."""

    not_offered = SUBFORUMS_FROM_THE_LIST


def _role_choices() -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in Role]


class AccountForm(FlaskForm):
    """Who holds the account and what they may do."""

    name = OneLineField(
        _l("Name"),
        validators=[DataRequired(_l("Please give the account holder's name.")), max_length(120)],
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(_l("Please give the e-mail address.")), max_length(254)],
    )
    role = ChoiceField(_l("Role"), choices=_role_choices, invalid_message=ROLE_FROM_THE_LIST)
    subforums = SubforumsField(_l("Subforums (for a subforum host)"))


class NewPasswordMixin:
    password = PasswordField(
        _l("Initial password"),
        validators=[Optional(), max_length(PASSWORD_MAX_LENGTH)],
        render_kw={"autocomplete": "new-password"},
    )
    generate = BooleanField(_l("Generate a password and show it once"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.password.data and not self.generate.data:
            self.password.errors = [
                *self.password.errors,
                str(_l("Please type a password, or tick the box to have one generated.")),
            ]
            return False
        return valid


class NewAccountForm(NewPasswordMixin, AccountForm):
    pass


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[Optional(), max_length(PASSWORD_MAX_LENGTH)],
        render_kw={"autocomplete": "new-password"},
    )


class ConfirmForm(FlaskForm):
    """A button (disable, enable): a POST with its CSRF token and nothing else."""
