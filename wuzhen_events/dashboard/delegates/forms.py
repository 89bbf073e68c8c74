"""The delegates table's filter (GET, read back by dashboard/filters.py), its bulk form, and the
decision and seat forms of a delegate's page."""

from __future__ import annotations

import wtforms
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import InputRequired

from wuzhen_events.forms import FilterForm, FilterSelectField, StrippedSearchField
from wuzhen_events.i18n import country_name, localized
from wuzhen_events.program.models import Subforum
from wuzhen_events.registration.badge_pdf import DEFAULT_LAYOUT, LAYOUTS
from wuzhen_events.registration.bulk import BulkAction
from wuzhen_events.registration.enums import DelegateCategory, DelegateStatus, SeatStatus

# More than the conference's delegates; a form sending more is refused, not worked through.
MAX_SELECTED = 10_000
CHOOSE_ACTION = _l("Choose an action from the list.")
CHOOSE_LAYOUT = _l("Choose a badge layout from the list.")


class DelegateFilterForm(FilterForm):
    """Only shown: the filter itself is read by delegate_filter_from, which drops bad values."""

    q = StrippedSearchField(_l("Search names, e-mail addresses and organisations"))
    category = FilterSelectField(_l("Category"), invalid_message=CHOOSE_ACTION)
    status = FilterSelectField(_l("Status"), invalid_message=CHOOSE_ACTION)
    country = FilterSelectField(_l("Country or region"), invalid_message=CHOOSE_ACTION)
    subforum = FilterSelectField(_l("Subforum"), invalid_message=CHOOSE_ACTION)
    seat = FilterSelectField(_l("Place"), invalid_message=CHOOSE_ACTION)
    checked_in = FilterSelectField(_l("Checked in"), invalid_message=CHOOSE_ACTION)

    def __init__(self, formdata, *, subforums: list[Subforum], countries: list[str]):
        super().__init__(formdata)
        self.q.render_kw = {"maxlength": 200}
        self.category.choices = [
            ("", _("All categories")),
            *((c.value, c.label) for c in DelegateCategory),
        ]
        self.status.choices = [
            ("", _("All statuses")),
            *((s.value, s.label) for s in DelegateStatus),
        ]
        self.country.choices = [
            ("", _("All countries and regions")),
            *((code, f"{country_name(code)} ({code})") for code in countries),
        ]
        self.subforum.choices = [
            ("", _("All subforums")),
            *((str(s.id), localized(s, "title")) for s in subforums),
        ]
        self.seat.choices = [
            ("", _("Any place")),
            *((s.value, s.organizer_label) for s in SeatStatus),
        ]
        self.checked_in.choices = [("", _("Either")), ("yes", _("Yes")), ("no", _("No"))]


class IdListField(wtforms.Field):
    """The ticked rows: whole numbers, anything else ignored (a tampered form changes nothing)."""

    def process_data(self, value) -> None:
        self.data = []

    def process_formdata(self, valuelist) -> None:
        self.data = sorted(
            {int(v) for v in valuelist if v.isascii() and v.isdigit() and len(v) <= 9}
        )

    def pre_validate(self, form) -> None:
        if len(self.data) > MAX_SELECTED:
            raise wtforms.ValidationError(
                _("Choose at most %(count)d delegates at once.", count=MAX_SELECTED)
            )


def action_choices() -> list[tuple[str, str]]:
    return [(action.value, action.label) for action in BulkAction]


class BulkForm(FlaskForm):
    """The table is this form: ticked rows, or every row the filter finds ("matching")."""

    action = SelectField(
        _l("Action"), validators=[InputRequired(CHOOSE_ACTION)], validate_choice=False
    )
    delegate = IdListField()
    apply_to = SelectField(
        _l("Apply to"),
        choices=[("selected", _l("Ticked delegates")), ("matching", _l("Every matching delegate"))],
        default="selected",
        validate_choice=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = action_choices()

    def validate_action(self, field) -> None:
        if field.data not in {value for value, _label in action_choices()}:
            raise wtforms.ValidationError(str(CHOOSE_ACTION))

    def validate_apply_to(self, field) -> None:
        if field.data not in ("selected", "matching"):
            raise wtforms.ValidationError(_("Choose the ticked delegates or every matching one."))

    def validate_delegate(self, field) -> None:
        if self.apply_to.data == "selected" and not field.data:
            raise wtforms.ValidationError(_("Tick at least one delegate."))


class DecisionForm(FlaskForm):
    """One of the four decisions on a delegate's page."""

    action = SelectField(
        _l("Action"), validators=[InputRequired(CHOOSE_ACTION)], validate_choice=False
    )

    def validate_action(self, field) -> None:
        if field.data not in {value for value, _label in action_choices()}:
            raise wtforms.ValidationError(str(CHOOSE_ACTION))


class SubforumIdField(SelectField):
    """A subforum id chosen from the account's subforums."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, coerce=_subforum_id, validate_choice=False, **kwargs)


def _subforum_id(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


class MoveSeatForm(FlaskForm):
    source = SubforumIdField(_l("From"))
    target = SubforumIdField(_l("Move the seat to"))

    def validate_source(self, field) -> None:
        if field.data is None:
            raise wtforms.ValidationError(_("Choose a subforum from the list."))

    def validate_target(self, field) -> None:
        if field.data is None:
            raise wtforms.ValidationError(_("Choose a subforum from the list."))


class PromoteForm(FlaskForm):
    subforum = SubforumIdField(_l("Subforum"))

    def validate_subforum(self, field) -> None:
        if field.data is None:
            raise wtforms.ValidationError(_("Choose a subforum from the list."))


class BadgeLayoutForm(FilterForm):
    """The badge size asked for (GET): the PDF views read it back with `badges.layout_named`."""

    layout = FilterSelectField(
        _l("Badge layout"), invalid_message=CHOOSE_LAYOUT, default=DEFAULT_LAYOUT
    )

    def __init__(self, formdata=None):
        super().__init__(formdata)
        self.layout.choices = [(key, str(layout.label)) for key, layout in LAYOUTS.items()]
