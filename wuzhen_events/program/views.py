"""Public program pages: the program by day, subforums, sessions and speakers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext

from wuzhen_events import clock
from wuzhen_events.program import queries
from wuzhen_events.program.cards import session_card
from wuzhen_events.program.forms import ProgramFilterForm, SpeakerSearchForm
from wuzhen_events.program.models import Conference, Subforum, Topic
from wuzhen_events.program.queries import seats_taken
from wuzhen_events.program.sources import REFERENCES
from wuzhen_events.serving import prepared_page

bp = Blueprint("program", __name__)

# The day page points to that day's Expo launches. The program never imports the Expo (the Expo
# builds on it), so the factory hands the count over: register_launch_count.
LAUNCH_COUNT = "wuzhen_events.program.launch_count"


def register_launch_count(app: Flask, count: Callable[[Conference, date], int]) -> None:
    """How many launches a program day points to, given by the factory; none without it."""
    app.extensions[LAUNCH_COUNT] = count


def launch_count_on(conference: Conference, day: date) -> int:
    count = current_app.extensions.get(LAUNCH_COUNT)
    return count(conference, day) if count is not None else 0


PART_PARAMETER = "time"  # ?time=HH:MM: the part of a busy day starting then


@dataclass(frozen=True)
class DayTab:
    day: date
    url: str | None  # None: a search found nothing that day, so there is nowhere to go
    session_count: int
    current: bool


@dataclass(frozen=True)
class TopicLink:
    topic: Topic
    url: str


def default_day(conference: Conference, days: list[date]) -> date:
    """Today while the conference runs; otherwise its first main day."""
    today = clock.now().astimezone(conference.tzinfo).date()
    return today if today in days else conference.starts_on


# Without ?day= the page shows today (default_day), which turns at midnight in the conference's
# time zone; every time zone's midnight falls on a quarter hour of UTC.
@bp.get("/program/")
@prepared_page(
    clock_step=timedelta(minutes=15), query=(*ProgramFilterForm.parameter_names(), PART_PARAMETER)
)
def program():
    """One day of the program (a busy day in parts by start time); a text search instead spans
    every day, grouped by day."""
    conference = queries.conference_or_404()
    days = queries.program_days(conference)
    form = ProgramFilterForm(
        request.args,
        days=days,
        default_day=default_day(conference, days),
        topics=queries.topics_in_use(conference),
        venues=queries.venues_in_use(conference),
        subforums=queries.subforum_filter_options(conference),
    )
    valid = form.validate()
    filters = form.applied_filters()
    starts = queries.match_starts(conference, filters)
    counts = {day: sum(found.values()) for day, found in starts.items()}
    parts: list[queries.DayPart] = []
    part = None
    if filters.spans_every_day:
        sessions = queries.search_program(conference, filters)
        shown_days = queries.group_by_day(conference, sessions)
        launch_count = 0  # launches belong to a day; a search is about the whole program
    else:
        size = current_app.config["PROGRAM_PART_SIZE"]
        parts = queries.day_parts(starts.get(filters.day, {}), size)
        part = chosen_part(parts, request.args.get(PART_PARAMETER, ""), conference)
    if valid and request.args.getlist(PART_PARAMETER) != part_value(parts, part, conference):
        # One address per part (a page is kept per address): any other value is sent there.
        return redirect(program_url(filters, part_value(parts, part, conference)))
    if not filters.spans_every_day:
        sessions = queries.sessions_for_day(conference, filters, part if len(parts) > 1 else None)
        slots = queries.group_by_start(sessions)
        shown_days = [queries.ProgramDay(filters.day, slots)] if slots else []
        launch_count = launch_count_on(conference, filters.day)
    tabs = part_tabs(parts, part, filters, conference)
    later = next((tabs[n + 1] for n, tab in enumerate(tabs[:-1]) if tab.current), None)
    page = render_template(
        "program/program.html",
        conference=conference,
        form=form,
        problems=form.error_summary(),
        filters=filters,
        day_tabs=day_tabs(days, counts, filters),
        part_tabs=tabs,
        later_part=later,
        program_days=shown_days,
        session_card=session_card,
        session_total=counts.get(filters.day, 0) if tabs else len(sessions),
        empty_message=empty_message(filters),
        launch_count=launch_count,
        launches_url=url_for("expo.launches", day=filters.day.isoformat()),
        clear_url=url_for(".program", day=filters.day.isoformat()),
    )
    return page, 200 if valid else 400


@dataclass(frozen=True)
class PartTab:
    part: queries.DayPart
    url: str
    current: bool


def chosen_part(
    parts: list[queries.DayPart], requested: str, conference: Conference
) -> queries.DayPart | None:
    """The part named by ?time= (HH:MM, or HH:MM-N for the Nth piece of a cut time slot), or
    else the one holding that time of day; the first part otherwise."""
    if not parts:
        return None
    clock_part, _, piece = requested.partition("-")
    try:
        wanted = time.fromisoformat(clock_part) if len(clock_part) == 5 else None
    except ValueError:
        wanted = None
    if wanted is None:
        return parts[0]
    day = parts[0].starts_at.astimezone(conference.tzinfo).date()
    moment = datetime.combine(day, wanted, tzinfo=conference.tzinfo)
    earlier = [part for part in parts if part.starts_at <= moment]
    if not earlier:
        return parts[0]
    named = [part for part in earlier if part.starts_at == moment and str(part.piece) == piece]
    return named[0] if named else next(p for p in earlier if p.starts_at == earlier[-1].starts_at)


def part_value(
    parts: list[queries.DayPart], part: queries.DayPart | None, conference: Conference
) -> list[str]:
    """The part's ?time= values: none for the first part (the day's own address) or an
    unsplit day."""
    if part is None or len(parts) < 2 or part is parts[0]:
        return []
    value = part.starts_at.astimezone(conference.tzinfo).strftime("%H:%M")
    return [f"{value}-{part.piece}" if part.piece > 1 else value]


def program_url(filters: queries.ProgramFilters, part: list[str]) -> str:
    """The program with these filters, at this part of the day."""
    kept = {
        name: value
        for name, value in (
            ("topic", filters.topic),
            ("venue", filters.venue),
            ("subforum", filters.subforum),
            ("q", filters.q),
        )
        if value
    }
    if filters.spans_every_day:
        return url_for(".program", **kept)
    extra = {PART_PARAMETER: part[0]} if part else {}
    return url_for(".program", day=filters.day.isoformat(), **kept, **extra)


def part_tabs(
    parts: list[queries.DayPart],
    current: queries.DayPart | None,
    filters: queries.ProgramFilters,
    conference: Conference,
) -> list[PartTab]:
    """Links to each part of a busy day; none for a day shown whole."""
    if len(parts) < 2:
        return []
    return [
        PartTab(part, program_url(filters, part_value(parts, part, conference)), part is current)
        for part in parts
    ]


def day_tabs(
    days: list[date], counts: dict[date, int], filters: queries.ProgramFilters
) -> list[DayTab]:
    """Each day with its matches: a link to that day with the same filters, or, for a search
    over every day, to that day's results further down the page."""
    if filters.spans_every_day:
        return [
            DayTab(
                day,
                f"#day-{day.isoformat()}" if counts.get(day) else None,
                counts.get(day, 0),
                False,
            )
            for day in days
        ]
    kept = {
        name: value
        for name, value in (
            ("topic", filters.topic),
            ("venue", filters.venue),
            ("subforum", filters.subforum),
        )
        if value
    }
    return [
        DayTab(
            day,
            url_for(".program", day=day.isoformat(), **kept),
            counts.get(day, 0),
            day == filters.day,
        )
        for day in days
    ]


def empty_message(filters: queries.ProgramFilters) -> str:
    if filters.spans_every_day:
        return gettext("No session on any day of the program matches these filters.")
    if filters.is_narrowed:
        return gettext("No session on this day matches these filters.")
    return gettext("There are no sessions on this day.")


@bp.get("/subforums/")
@prepared_page(depends=seats_taken)
def subforums():
    conference = queries.conference_or_404()
    return render_template(
        "program/subforums.html",
        conference=conference,
        subforums=queries.subforums_for_conference(conference),
    )


@bp.get("/subforums/<slug:slug>/")
@prepared_page(depends=seats_taken)
def subforum_detail(slug: str):
    conference = queries.conference_or_404()
    subforum = queries.subforum_by_slug(slug)
    if subforum is None:
        abort(404)
    links = [TopicLink(topic, topic_url(conference, subforum, topic)) for topic in subforum.topics]
    sessions = [session for session in subforum.sessions if session.is_public]
    return render_template(
        "program/subforum_detail.html", subforum=subforum, sessions=sessions, topic_links=links
    )


def topic_url(conference: Conference, subforum: Subforum, topic: Topic) -> str:
    """The program filtered to a topic, on the subforum's own day when it has one."""
    if subforum.starts_at is None:
        return url_for(".program", topic=topic.slug)
    day = subforum.starts_at.astimezone(conference.tzinfo).date()
    return url_for(".program", day=day.isoformat(), topic=topic.slug)


@bp.get("/sessions/<int(max=2147483647):session_id>/")
@prepared_page
def session_detail(session_id: int):
    conference = queries.conference_or_404()
    session = queries.session_by_id(session_id)
    if session is None:
        abort(404)
    session_day = session.starts_at.astimezone(conference.tzinfo).date()
    return render_template("program/session_detail.html", session=session, session_day=session_day)


@bp.get("/speakers/")
@prepared_page(query=SpeakerSearchForm.parameter_names())
def speakers():
    form = SpeakerSearchForm(request.args)
    valid = form.validate()
    found = queries.speakers_listing(form.q.data if valid else "")
    page = render_template(
        "program/speakers.html", form=form, problems=form.error_summary(), speakers=found
    )
    return page, 200 if valid else 400


@bp.get("/speakers/<slug:slug>/")
@prepared_page
def speaker_detail(slug: str):
    speaker = queries.speaker_by_slug(slug)
    if speaker is None:
        abort(404)
    return render_template(
        "program/speaker_detail.html",
        speaker=speaker,
        appearances=queries.public_appearances(speaker),
    )


@bp.get("/sources/")
def sources():
    return render_template("program/sources.html", references=REFERENCES)
