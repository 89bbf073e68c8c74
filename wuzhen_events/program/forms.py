"""Program filter forms: GET forms with limits on every field."""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import Length

from wuzhen_events.forms import FilterForm, FilterSelectField, StrippedSearchField
from wuzhen_events.i18n import localized, short_day
from wuzhen_events.program.models import Subforum, Topic, Venue
from wuzhen_events.program.queries import ProgramFilters

# How much of a refused value an error message repeats: enough to recognise, never a page.
SHOWN_VALUE_LIMIT = 24


class ProgramFilterForm(FilterForm):
    day = FilterSelectField(
        _l("Day"), invalid_message=_l("Choose a day of the program from the list.")
    )
    topic = FilterSelectField(_l("Topic"), invalid_message=_l("Choose a topic from the list."))
    venue = FilterSelectField(_l("Venue"), invalid_message=_l("Choose a venue from the list."))
    subforum = FilterSelectField(
        _l("Subforum"), invalid_message=_l("Choose a subforum from the list.")
    )
    q = StrippedSearchField(_l("Search titles, speakers and subforums"))

    def __init__(
        self,
        formdata,
        *,
        days: list[date],
        default_day: date,
        topics: list[Topic],
        venues: list[Venue],
        subforums: list[Subforum],
    ):
        super().__init__(formdata)
        self.default_day = default_day
        self.day.choices = [(day.isoformat(), short_day(day)) for day in days]
        if not self.day.data:  # absent or empty: the default day, as if none had been asked for
            self.day.data = default_day.isoformat()
        everything = ("", str(_l("All")))
        self.topic.choices = [everything] + [(t.slug, localized(t, "name")) for t in topics]
        self.venue.choices = [everything] + [(v.slug, venue_label(v)) for v in venues]
        self.subforum.choices = [everything] + [(s.slug, localized(s, "title")) for s in subforums]
        limit = current_app.config["MAX_QUERY_LENGTH"]
        self.q.validators = [
            Length(max=limit, message=_("Search for at most %(max)d characters.", max=limit))
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.day.errors:
            self.day.errors = [
                _(
                    "“%(value)s” is not a day of the program, so %(day)s is shown. "
                    "Choose a day of the program from the list.",
                    value=shown_value(self.day.data),
                    day=short_day(self.default_day),
                )
            ]
        return valid

    def applied_filters(self) -> ProgramFilters:
        """The filters the page uses, also set on the controls so menus and page agree.

        Call after validate(): when anything is invalid the page shows the whole of the asked
        day (the default day if the day itself is invalid), as the error summary says; a
        refused search stays in its box so it can be corrected.
        """
        if not any(field.errors for field in self):
            return ProgramFilters(
                day=date.fromisoformat(self.day.data),
                topic=self.topic.data,
                venue=self.venue.data,
                subforum=self.subforum.data,
                q=self.q.data,
            )
        day = self.default_day if self.day.errors else date.fromisoformat(self.day.data)
        self.day.data = day.isoformat()
        for field in (self.topic, self.venue, self.subforum):
            field.data = ""
        if not self.q.errors:
            self.q.data = ""
        return ProgramFilters(day=day)


class SpeakerSearchForm(FilterForm):
    q = StrippedSearchField(_l("Search speakers"))

    def __init__(self, formdata):
        super().__init__(formdata)
        limit = current_app.config["MAX_QUERY_LENGTH"]
        self.q.validators = [
            Length(max=limit, message=_("Search for at most %(max)d characters.", max=limit))
        ]


def shown_value(raw: str) -> str:
    """A refused value as a message may quote it: printable characters, cut short."""
    printable = "".join(char for char in raw if char.isprintable())
    if len(printable) > SHOWN_VALUE_LIMIT:
        return printable[: SHOWN_VALUE_LIMIT - 1] + "…"
    return printable


def venue_label(venue: Venue) -> str:
    hall = localized(venue, "hall")
    building = localized(venue, "building")
    return f"{building} · {hall}" if hall else building
