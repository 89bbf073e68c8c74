"""Edit forms of the Expo area; limits live on the fields, rules in expo/services.py."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField
from wtforms.validators import DataRequired, InputRequired

from wuzhen_events.dashboard.program.forms import LOCAL_TIME, REQUIRED, TEXT_LIMIT, SlugMixin
from wuzhen_events.expo.enums import Sector
from wuzhen_events.forms import ChoiceField, MultiLineField, OneLineField, max_length


class ExhibitorForm(FlaskForm):
    company = OneLineField(_l("Company"), [DataRequired(REQUIRED), max_length(200)])
    company_zh = OneLineField(_l("Company (Chinese)"), [max_length(200)])
    sector = ChoiceField(
        _l("Sector"),
        choices=[(sector.value, sector.label) for sector in Sector],
        invalid_message=_l("Choose a sector from the list."),
    )
    country = OneLineField(_l("Country (two-letter code)"), [DataRequired(REQUIRED), max_length(2)])
    hall = OneLineField(_l("Hall"), [DataRequired(REQUIRED), max_length(20)])
    booth = OneLineField(_l("Booth"), [DataRequired(REQUIRED), max_length(20)])
    website = OneLineField(_l("Website"), [max_length(300)])
    description = MultiLineField(_l("Description"), [max_length(TEXT_LIMIT)])
    description_zh = MultiLineField(_l("Description (Chinese)"), [max_length(TEXT_LIMIT)])


class NewExhibitorForm(SlugMixin, ExhibitorForm):
    pass


class LaunchForm(FlaskForm):
    product = OneLineField(_l("Product"), [DataRequired(REQUIRED), max_length(200)])
    product_zh = OneLineField(_l("Product (Chinese)"), [max_length(200)])
    starts_at = DateTimeLocalField(
        _l("Starts (conference time)"), [InputRequired(REQUIRED)], format=LOCAL_TIME
    )
    ends_at = DateTimeLocalField(
        _l("Ends (conference time)"), [InputRequired(REQUIRED)], format=LOCAL_TIME
    )
    stage = OneLineField(_l("Stage"), [DataRequired(REQUIRED), max_length(120)])
    stage_zh = OneLineField(_l("Stage (Chinese)"), [max_length(120)])
    description = MultiLineField(_l("Description"), [max_length(TEXT_LIMIT)])
    description_zh = MultiLineField(_l("Description (Chinese)"), [max_length(TEXT_LIMIT)])


class NewLaunchForm(LaunchForm):
    exhibitor = ChoiceField(
        _l("Exhibitor"), coerce=int, invalid_message=_l("Choose an exhibitor from the list.")
    )
