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
        self.day.choices = [(day.isoformat(), short_day(day)) for day in days]
        if not self.day.raw_data:
            self.day.data = default_day.isoformat()
        everything = ("", str(_l("All")))
        self.topic.choices = [everything] + [(t.slug, localized(t, "name")) for t in topics]
        self.venue.choices = [everything] + [(v.slug, venue_label(v)) for v in venues]
        self.subforum.choices = [everything] + [(s.slug, localized(s, "title")) for s in subforums]
        limit = current_app.config["MAX_QUERY_LENGTH"]
        self.q.validators = [
            Length(max=limit, message=_("Search for at most %(max)d characters.", max=limit))
        ]


class SpeakerSearchForm(FilterForm):
    q = StrippedSearchField(_l("Search speakers"))

    def __init__(self, formdata):
        super().__init__(formdata)
        limit = current_app.config["MAX_QUERY_LENGTH"]
        self.q.validators = [
            Length(max=limit, message=_("Search for at most %(max)d characters.", max=limit))
        ]


def venue_label(venue: Venue) -> str:
    hall = localized(venue, "hall")
    building = localized(venue, "building")
    return f"{building} · {hall}" if hall else building
