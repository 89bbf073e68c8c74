"""Form pieces shared by every domain's filter and entry forms."""

from __future__ import annotations

from flask_babel import gettext as _
from wtforms import Form, SearchField, SelectField
from wtforms.validators import ValidationError


class StrippedSearchField(SearchField):
    """A search box that ignores surrounding blanks and NUL bytes no real browser sends."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = (self.data or "").replace("\x00", "").strip()


class ChoiceFilterField(SelectField):
    """A select whose refusal names the rejected value, in the page's language."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("default", "")
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form) -> None:
        if self.data not in {value for value, _label in self.choices}:
            # gettext, not lazy_gettext: a lazy string renders as Markup, unescaping the value.
            raise ValidationError(
                _("“%(value)s” is not one of the choices.", value=str(self.data)[:80])
            )


class FilterForm(Form):
    """GET filter forms: no CSRF (nothing changes), every value validated before use."""
