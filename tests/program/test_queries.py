"""Program reads: what each returns, in what order, and at what cost in queries."""

from __future__ import annotations

from datetime import date

import pytest

from tests import factories
from tests.factories import OPERATOR, utc
from wuzhen_events.extensions import db
from wuzhen_events.program import queries, services
from wuzhen_events.program.enums import SpeakerRole
from wuzhen_events.program.models import Conference


@pytest.fixture
def conference(app):
    return factories.make_conference()


def test_program_days_span_the_expo_around_the_conference(conference):
    assert queries.program_days(conference) == [date(2018, 11, day) for day in range(6, 11)]


def test_program_days_without_expo_hours_are_the_conference_days(app):
    conference = factories.make_conference(expo_opens_at=None, expo_closes_at=None)

    assert queries.program_days(conference) == [
        date(2018, 11, 7),
        date(2018, 11, 8),
        date(2018, 11, 9),
    ]


def test_day_bounds_are_midnight_to_midnight_in_wuzhen(conference):
    assert queries.day_bounds(conference, date(2018, 11, 8)) == (utc(7, 16), utc(8, 16))


def test_sessions_for_day_uses_conference_time_not_utc(conference):
    late = factories.make_session(conference, title="Late on the 7th", starts_at=utc(7, 15, 30))
    early = factories.make_session(conference, title="Early on the 8th", starts_at=utc(7, 16, 0))

    seventh = queries.sessions_for_day(conference, queries.ProgramFilters(day=date(2018, 11, 7)))
    eighth = queries.sessions_for_day(conference, queries.ProgramFilters(day=date(2018, 11, 8)))

    assert seventh == [late]
    assert eighth == [early]


def test_sessions_for_day_leaves_out_private_sessions(conference):
    shown = factories.make_session(conference, title="Public")
    factories.make_session(conference, title="Closed meeting", is_public=False)

    found = queries.sessions_for_day(conference, queries.ProgramFilters(day=date(2018, 11, 7)))

    assert found == [shown]


def test_group_by_start_puts_parallel_sessions_in_one_slot(conference):
    first = factories.make_session(conference, starts_at=utc(8, 0, 30))
    parallel = factories.make_session(conference, starts_at=utc(8, 0, 30))
    later = factories.make_session(conference, starts_at=utc(8, 6))

    slots = queries.group_by_start([first, parallel, later])

    assert [(slot.starts_at, slot.sessions) for slot in slots] == [
        (utc(8, 0, 30), [first, parallel]),
        (utc(8, 6), [later]),
    ]


def test_whats_on_during_a_session(conference):
    running = factories.make_session(conference, starts_at=utc(8, 1), ends_at=utc(8, 3))
    upcoming = factories.make_session(conference, starts_at=utc(8, 4))
    cancelled = factories.make_session(conference, starts_at=utc(8, 5))
    services.cancel_session(cancelled, actor=OPERATOR)

    result = queries.whats_on(conference, utc(8, 2))

    assert (result.now, result.next, result.phase) == ([running], [upcoming], "during")


@pytest.mark.parametrize(
    ("moment", "phase"),
    [(utc(1, 0), "before"), (utc(20, 0), "after")],
    ids=["a-week-before", "after-the-end"],
)
def test_whats_on_phase_outside_the_conference(conference, moment, phase):
    factories.make_session(conference, starts_at=utc(7, 2, 30))

    assert queries.whats_on(conference, moment).phase == phase


def test_match_counts_by_day_count_in_conference_time(conference):
    factories.make_session(conference, starts_at=utc(7, 15))
    factories.make_session(conference, starts_at=utc(7, 16))
    factories.make_session(conference, starts_at=utc(8, 1))
    factories.make_session(conference, starts_at=utc(8, 2), is_public=False)

    counts = queries.match_counts_by_day(conference, queries.ProgramFilters(day=date(2018, 11, 7)))

    assert counts == {date(2018, 11, 7): 1, date(2018, 11, 8): 2}


def test_match_counts_by_day_count_only_matches_of_the_filters(conference):
    factories.make_session(conference, title="Opening ceremony", starts_at=utc(7, 2))
    factories.make_session(conference, title="Closing ceremony", starts_at=utc(9, 8))
    factories.make_session(conference, title="Closing remarks", starts_at=utc(8, 9))
    factories.make_session(conference, title="Panel", starts_at=utc(8, 10))
    filters = queries.ProgramFilters(day=date(2018, 11, 7), q="closing")

    counts = queries.match_counts_by_day(conference, filters)

    assert counts == {date(2018, 11, 8): 1, date(2018, 11, 9): 1}


def test_search_program_finds_sessions_on_every_day_in_time_order(conference):
    later = factories.make_session(conference, title="Closing ceremony", starts_at=utc(9, 8))
    earlier = factories.make_session(conference, title="Closing remarks", starts_at=utc(8, 1))
    factories.make_session(conference, title="Opening ceremony", starts_at=utc(7, 2))
    factories.make_session(conference, title="Closing dinner", starts_at=utc(8, 2), is_public=False)
    filters = queries.ProgramFilters(day=date(2018, 11, 7), q="CLOSING")

    assert queries.search_program(conference, filters) == [earlier, later]


def test_search_program_keeps_the_other_filters(conference):
    fintech = factories.make_subforum(conference, slug="fintech")
    inside = factories.make_session(
        conference, title="Closing remarks", subforum=fintech, starts_at=utc(9, 1)
    )
    factories.make_session(conference, title="Closing ceremony", starts_at=utc(9, 8))
    filters = queries.ProgramFilters(day=date(2018, 11, 7), subforum="fintech", q="closing")

    assert queries.search_program(conference, filters) == [inside]


def test_search_program_finds_speakers_with_accents_folded(conference):
    chehade = factories.make_speaker(name="Fadi Chehadé", name_zh="法迪·切哈德")
    talk = factories.make_session(
        conference, title="Keynote", speakers=[(chehade, SpeakerRole.SPEAKER)]
    )
    factories.make_session(conference, title="Panel")

    found = [
        queries.search_program(conference, queries.ProgramFilters(day=date(2018, 11, 7), q=q))
        for q in ("chehade", "CHEHADÉ", "切哈德")
    ]

    assert found == [[talk], [talk], [talk]]


def test_group_by_day_groups_in_conference_time_then_by_start(conference):
    late_seventh = factories.make_session(conference, starts_at=utc(7, 15))
    eighth = factories.make_session(conference, starts_at=utc(7, 16))
    parallel = factories.make_session(conference, starts_at=utc(7, 16))
    ninth = factories.make_session(conference, starts_at=utc(9, 1))

    days = queries.group_by_day(conference, [late_seventh, eighth, parallel, ninth])

    assert [(day.day, day.anchor, [slot.sessions for slot in day.slots]) for day in days] == [
        (date(2018, 11, 7), "day-2018-11-07", [[late_seventh]]),
        (date(2018, 11, 8), "day-2018-11-08", [[eighth, parallel]]),
        (date(2018, 11, 9), "day-2018-11-09", [[ninth]]),
    ]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Fadi Chehadé", "fadi chehade"),
        ("CHEHADÉ", "chehade"),
        ("Łódź Øresund Æbeltoft Œuvre", "lodz oresund aebeltoft oeuvre"),
        ("Straße", "strasse"),
        ("ＡＩ", "ai"),
        ("马化腾", "马化腾"),
    ],
    ids=["acute", "upper-case", "letters-without-marks", "sharp-s", "full-width", "chinese"],
)
def test_fold_drops_accents_and_case(text, folded):
    assert queries.fold(text) == folded


def test_public_appearances_are_in_program_order_without_private_sessions(conference):
    speaker = factories.make_speaker(slug="pony-ma")
    later = factories.make_session(
        conference, starts_at=utc(8, 1), speakers=[(speaker, SpeakerRole.SPEAKER)]
    )
    earlier = factories.make_session(
        conference, starts_at=utc(7, 2), speakers=[(speaker, SpeakerRole.HOST)]
    )
    factories.make_session(conference, is_public=False, speakers=[(speaker, SpeakerRole.SPEAKER)])
    expected = [earlier.id, later.id]
    db.session.expunge_all()

    loaded = queries.speaker_by_slug("pony-ma")

    assert [role.session.id for role in queries.public_appearances(loaded)] == expected


@pytest.mark.parametrize(
    "slug",
    ["", "nope", "nul\x00", "<b>", "a" * 121],
    ids=["empty", "unknown", "nul", "markup", "long"],
)
def test_lookups_by_impossible_slug_find_nothing(conference, slug):
    assert queries.subforum_by_slug(slug) is None
    assert queries.speaker_by_slug(slug) is None


def test_speakers_listing_matches_names_in_both_languages_and_organisations(app):
    factories.make_speaker(name="Pony Ma", name_zh="马化腾", affiliation="Tencent")
    factories.make_speaker(name="Ding Lei", name_zh="丁磊", affiliation="NetEase")

    assert [s.name for s in queries.speakers_listing()] == ["Ding Lei", "Pony Ma"]
    assert [s.name for s in queries.speakers_listing("马化")] == ["Pony Ma"]
    assert [s.name for s in queries.speakers_listing("netease")] == ["Ding Lei"]
    assert [s.name for s in queries.speakers_listing("%")] == []
    assert [s.name for s in queries.speakers_listing("_")] == []


@pytest.mark.parametrize(
    "query",
    ["chehade", "CHEHADE", "Chehadé", "fadi chehade", "法迪", "icann"],
    ids=["plain", "upper-case", "accented", "full-name", "chinese", "organisation"],
)
def test_speakers_listing_ignores_accents_and_case(app, query):
    factories.make_speaker(name="Fadi Chehadé", name_zh="法迪·切哈德", affiliation="ICANN")
    factories.make_speaker(name="Pony Ma", name_zh="马化腾", affiliation="Tencent")

    assert [s.name for s in queries.speakers_listing(query)] == ["Fadi Chehadé"]


def test_subforums_for_conference_load_cards_in_a_fixed_number_of_queries(
    conference, query_counter
):
    conference_id = conference.id
    for index in range(12):
        subforum = factories.make_subforum(
            conference, venue=factories.make_venue(), topics=[factories.make_topic()]
        )
        factories.make_session(conference, subforum=subforum, starts_at=utc(8, index))
    db.session.expunge_all()
    conference = db.session.get(Conference, conference_id)

    with query_counter(db.engine) as log:
        subforums = queries.subforums_for_conference(conference)
        touched = [(s.venue.slug, [t.slug for t in s.topics], s.starts_at) for s in subforums]

    assert len(touched) == 12
    assert [s.starts_at for s in subforums] == [utc(8, index) for index in range(12)]
    assert log.count == 4
