"""The composer, the recipients filter it is written for, and the campaign page's buttons."""

from __future__ import annotations

import secrets

import wtforms
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired

from wuzhen_events.campaigns.models import BODY_LIMIT, KEY_LIMIT, SUBJECT_LIMIT
from wuzhen_events.forms import FilterForm, MultiLineField, OneLineField, max_length
from wuzhen_events.registration.enums import (
    ORGANIZER_SEAT_LABELS,
    DelegateCategory,
    DelegateStatus,
)

PLACEHOLDER_HINT = _l(
    "Placeholders: {name} is the delegate's name, {manage_link} the link to their registration "
    "(made for each delegate when the e-mail is sent). Write {{ or }} for a brace."
)


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(24)


class CampaignForm(FlaskForm):
    subject = OneLineField(
        _l("Subject in English"),
        validators=[
            DataRequired(_l("Please write the English subject.")),
            max_length(SUBJECT_LIMIT),
        ],
    )
    subject_zh = OneLineField(
        _l("Subject in Chinese"),
        validators=[
            DataRequired(_l("Please write the Chinese subject.")),
            max_length(SUBJECT_LIMIT),
        ],
    )
    body = MultiLineField(
        _l("Message in English"),
        validators=[DataRequired(_l("Please write the English message.")), max_length(BODY_LIMIT)],
        render_kw={"rows": 10},
    )
    body_zh = MultiLineField(
        _l("Message in Chinese"),
        validators=[DataRequired(_l("Please write the Chinese message.")), max_length(BODY_LIMIT)],
        render_kw={"rows": 10},
    )
    # One per opened composer: the same form sent twice saves one campaign.
    idempotency_key = HiddenField(validators=[max_length(KEY_LIMIT)])


class ActionForm(FlaskForm):
    """A button that changes something (send, retry): CSRF only."""


def _choices(enum_class) -> list[tuple[str, str]]:
    return [("", _l("Any"))] + [(member.value, member.label) for member in enum_class]


class RecipientsForm(FilterForm):
    """The delegates table's filters, read by dashboard.filters.delegate_filter_from: this form
    only draws them (with the values the query string holds)."""

    q = wtforms.SearchField(_l("Name, e-mail or organisation"))
    category = wtforms.SelectField(_l("Category"), choices=_choices(DelegateCategory))
    status = wtforms.SelectField(_l("Status"), choices=_choices(DelegateStatus))
    country = wtforms.StringField(_l("Country (two letters)"))
    subforum = wtforms.SelectField(_l("Subforum"), choices=[("", _l("Any"))])
    # In the organizers' words, as the delegates table offers them (labels speak to delegates).
    seat = wtforms.SelectField(
        _l("Seat"),
        choices=[
            ("", _l("Any")),
            *((state.value, label) for state, label in ORGANIZER_SEAT_LABELS.items()),
        ],
    )
    checked_in = wtforms.SelectField(
        _l("Checked in"), choices=[("", _l("Any")), ("yes", _l("Yes")), ("no", _l("No"))]
    )
