"""Program filter forms: GET forms with limits on every field."""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import Length

from wuzhen_events.forms import ChoiceFilterField, FilterForm, StrippedSearchField
from wuzhen_events.i18n import localized, short_day
from wuzhen_events.program.models import Subforum, Topic, Venue


class ProgramFilterForm(FilterForm):
    day = ChoiceFilterField(_l("Day"))
    topic = ChoiceFilterField(_l("Topic"))
    venue = ChoiceFilterField(_l("Venue"))
    subforum = ChoiceFilterField(_l("Subforum"))
    q = StrippedSearchField(_l("Search"))

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
