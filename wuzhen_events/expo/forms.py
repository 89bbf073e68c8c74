"""Filter forms for Expo pages: GET forms, so plain WTForms with no CSRF token in the URL."""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import Length

from wuzhen_events.expo.enums import Sector
from wuzhen_events.expo.queries import DirectoryFilters, LaunchFilters, Stage
from wuzhen_events.forms import (
    SWITCH_ON,
    FilterForm,
    FilterSelectField,
    PageField,
    StrippedSearchField,
    SwitchField,
)
from wuzhen_events.i18n import country_name, localized, short_day


class DirectoryFilterForm(FilterForm):
    q = StrippedSearchField(_l("Search companies and products"))
    sector = FilterSelectField(_l("Sector"), invalid_message=_l("Choose a sector from the list."))
    hall = FilterSelectField(_l("Hall"), invalid_message=_l("Choose a hall from the list."))
    country = FilterSelectField(
        _l("Country or region"),
        invalid_message=_l("Choose a country or region from the list."),
    )
    launches = SwitchField(
        _l("Only exhibitors launching a product"),
        invalid_message=_l("This box can only be ticked or left empty."),
    )
    page = PageField()

    def __init__(self, formdata, *, halls: list[str], countries: list[str]):
        super().__init__(formdata)
        limit = current_app.config["MAX_QUERY_LENGTH"]
        self.q.validators = [
            Length(max=limit, message=_("Search for at most %(max)d characters.", max=limit))
        ]
        self.q.render_kw = {"maxlength": limit}
        self.sector.choices = [
            ("", _("All sectors")),
            *((sector.value, sector.label) for sector in Sector),
        ]
        self.hall.choices = [
            ("", _("All halls")),
            *((hall, _("Hall %(hall)s", hall=hall)) for hall in halls),
        ]
        named = sorted(((country_name(code), code) for code in countries), key=_casefold_first)
        self.country.choices = [
            ("", _("All countries and regions")),
            *((code, name) for name, code in named),
        ]

    def filters(self) -> DirectoryFilters:
        return DirectoryFilters(
            q=self.q.data,
            sector=Sector(self.sector.data) if self.sector.data else None,
            hall=self.hall.data,
            country=self.country.data,
            launching=self.launches.data,
        )

    def query_args(self) -> dict[str, str]:
        """The filters as they appear in the address, so page links keep them."""
        args = {
            "q": self.q.data,
            "sector": self.sector.data,
            "hall": self.hall.data,
            "country": self.country.data,
            "launches": SWITCH_ON if self.launches.data else "",
        }
        return {name: value for name, value in args.items() if value}


class LaunchFilterForm(FilterForm):
    day = FilterSelectField(
        _l("Day"), invalid_message=_l("Choose a day of the Expo from the list.")
    )
    stage = FilterSelectField(_l("Stage"), invalid_message=_l("Choose a stage from the list."))

    def __init__(self, formdata, *, days: list[date], stages: list[Stage]):
        super().__init__(formdata)
        self.day.choices = [
            ("", _("All days")),
            *((day.isoformat(), short_day(day)) for day in days),
        ]
        self.stage.choices = [
            ("", _("All stages")),
            *((stage.stage, localized(stage, "stage")) for stage in stages),
        ]

    def filters(self) -> LaunchFilters:
        return LaunchFilters(
            day=date.fromisoformat(self.day.data) if self.day.data else None,
            stage=self.stage.data,
        )


def _casefold_first(pair: tuple[str, str]) -> tuple[str, str]:
    return pair[0].casefold(), pair[1]
