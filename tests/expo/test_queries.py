"""Expo reads: filters, pages, facets and the launch schedule, with exact results."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tests import factories
from tests.worlds import ALL_COMPANIES
from wuzhen_events.expo.enums import Sector
from wuzhen_events.expo.queries import (
    DirectoryFilters,
    LaunchFilters,
    Stage,
    directory_facets,
    exhibitor_by_slug,
    expo_days,
    launch_schedule,
    launch_stages,
    natural_key,
    search_exhibitors,
)
from wuzhen_events.extensions import db
from wuzhen_events.program.queries import current_conference

WUZHEN = ZoneInfo("Asia/Shanghai")


def companies(exhibitors) -> list[str]:
    return [exhibitor.company for exhibitor in exhibitors]


def test_directory_facets_list_halls_naturally_and_countries_and_count_everyone(expo):
    facets = directory_facets(expo.conference)

    assert facets.total == 7
    assert facets.halls == ["1", "2", "10", "A"]
    assert facets.countries == ["CN", "DE", "FI", "JP", "US"]


def test_natural_key_puts_hall_2_before_hall_10():
    halls = ["Hall 10", "B", "Hall 2", "10", "2", "Hall 1"]

    assert sorted(halls, key=natural_key) == ["2", "10", "B", "Hall 1", "Hall 2", "Hall 10"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (DirectoryFilters(), ALL_COMPANIES),
        (DirectoryFilters(sector=Sector.TELECOM_5G), ["Nokia"]),
        (DirectoryFilters(hall="2"), ["Cloud Rise Technologies", "Qualcomm"]),
        (
            DirectoryFilters(country="CN"),
            ["100% Digital Media", "Alibaba Cloud", "Cloud Rise Technologies"],
        ),
        (
            DirectoryFilters(launching=True),
            [
                "100% Digital Media",
                "Alibaba Cloud",
                "Cloud Rise Technologies",
                "Nokia",
                "Under_Score Robotics",
            ],
        ),
        (DirectoryFilters(q="CLOUD"), ["Alibaba Cloud", "Cloud Rise Technologies"]),
        (DirectoryFilters(q="云启"), ["Cloud Rise Technologies"]),
        (DirectoryFilters(q="edge ai"), ["Cloud Rise Technologies"]),
        (DirectoryFilters(q="城市大脑"), ["Alibaba Cloud"]),
        (DirectoryFilters(q="%"), ["100% Digital Media"]),
        (DirectoryFilters(q="_"), ["Under_Score Robotics"]),
        (DirectoryFilters(q="\\"), []),
        (
            DirectoryFilters(q="cloud", country="CN", hall="1", launching=True),
            ["Alibaba Cloud"],
        ),
    ],
    ids=[
        "none",
        "sector",
        "hall",
        "country",
        "launching",
        "company-any-case",
        "company-zh",
        "product",
        "product-zh",
        "percent-literal",
        "underscore-literal",
        "backslash-literal",
        "combined",
    ],
)
def test_search_exhibitors_applies_filters(expo, filters, expected):
    found = search_exhibitors(expo.conference, filters, page=1, per_page=24)

    assert companies(found.items) == expected
    assert found.total == len(expected)
    assert found.page == 1


def test_search_exhibitors_counts_every_match_but_returns_one_page(expo):
    found = search_exhibitors(expo.conference, DirectoryFilters(), page=2, per_page=3)

    assert companies(found.items) == ["Nokia", "Qualcomm", "Under_Score Robotics"]
    assert (found.total, found.page) == (7, 2)


@pytest.mark.parametrize("page", [4, 99, 10**9], ids=["next", "far", "huge"])
def test_search_exhibitors_past_the_end_returns_the_last_page(expo, page):
    found = search_exhibitors(expo.conference, DirectoryFilters(), page=page, per_page=3)

    assert companies(found.items) == ["Zeta Security"]
    assert (found.total, found.page) == (7, 3)


def test_search_exhibitors_with_no_match_stays_on_page_one(expo):
    found = search_exhibitors(expo.conference, DirectoryFilters(q="nothing"), page=5, per_page=3)

    assert (found.items, found.total, found.page) == ([], 0, 1)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("societe", ["Société Numérique"]),
        ("SOCIÉTÉ NUMÉRIQUE", ["Société Numérique"]),
        ("cafe", ["Société Numérique"]),
        ("数字", ["Société Numérique"]),
        ("ALIBABA", ["Alibaba Cloud"]),
    ],
    ids=["unaccented", "upper-case-accented", "accented-product", "chinese", "ascii-case"],
)
def test_search_exhibitors_ignores_accents_and_case(expo, query, expected):
    societe = factories.make_exhibitor(
        expo.conference, company="Société Numérique", company_zh="数字社会"
    )
    factories.make_launch(societe, expo.conference, product="Café Connecté")

    found = search_exhibitors(expo.conference, DirectoryFilters(q=query), page=1, per_page=24)

    assert companies(found.items) == expected


def fresh_conference():
    """A new session, as a new request would have, so nothing is already loaded."""
    db.session.remove()
    return current_conference()


def test_search_exhibitors_loads_launches_with_the_page(expo, query_counter):
    conference = fresh_conference()
    with query_counter(db.engine) as log:
        found = search_exhibitors(conference, DirectoryFilters(), page=1, per_page=24)
        products = [[launch.product for launch in e.launches] for e in found.items]

    assert products == [
        ["Wuzhen VR Tour"],
        ["ET City Brain 2.0"],
        ["Rise Edge AI Box"],
        ["5G Base Station"],
        [],
        ["Helper Robot"],
        [],
    ]
    assert log.count == 3  # count, page, launches


def test_exhibitor_by_slug_loads_its_launches(expo):
    exhibitor = exhibitor_by_slug("alibaba-cloud")

    assert exhibitor.company == "Alibaba Cloud"
    assert [launch.product for launch in exhibitor.launches] == ["ET City Brain 2.0"]


@pytest.mark.parametrize(
    "slug", ["unknown", "", "alibaba-cloud\x00", "a" * 121], ids=["unknown", "empty", "nul", "long"]
)
def test_exhibitor_by_slug_finds_nothing_for_unknown_or_impossible_slugs(expo, slug):
    assert exhibitor_by_slug(slug) is None


def test_expo_days_run_from_opening_to_closing_in_conference_time(expo):
    assert expo_days(expo.conference) == [date(2018, 11, day) for day in range(6, 11)]


def test_expo_days_fall_back_to_the_conference_days_without_expo_hours(app):
    conference = factories.make_conference(expo_opens_at=None, expo_closes_at=None)

    assert expo_days(conference) == [date(2018, 11, 7), date(2018, 11, 8), date(2018, 11, 9)]


def outline(days) -> list[tuple[date, list[tuple[str, list[str]]]]]:
    return [
        (
            day.day,
            [
                (
                    slot.starts_at.strftime("%H:%M"),
                    [launch.product for launch in slot.launches],
                )
                for slot in day.slots
            ],
        )
        for day in days
    ]


def test_launch_schedule_groups_by_conference_day_then_start_then_stage(expo):
    days = launch_schedule(expo.conference, LaunchFilters())

    assert outline(days) == [
        (date(2018, 11, 6), [("10:00", ["Wuzhen VR Tour"])]),
        (
            date(2018, 11, 7),
            [
                ("07:30", ["Helper Robot"]),
                ("14:00", ["ET City Brain 2.0", "Rise Edge AI Box"]),
            ],
        ),
        (date(2018, 11, 8), [("10:00", ["5G Base Station"])]),
    ]
    assert days[1].slots[0].starts_at == datetime.combine(
        date(2018, 11, 7), time(7, 30), tzinfo=WUZHEN
    )
    assert [day.anchor for day in days] == ["day-2018-11-06", "day-2018-11-07", "day-2018-11-08"]


def test_launch_schedule_day_filter_uses_conference_time(expo):
    days = launch_schedule(expo.conference, LaunchFilters(day=date(2018, 11, 7)))

    assert outline(days) == [
        (
            date(2018, 11, 7),
            [
                ("07:30", ["Helper Robot"]),
                ("14:00", ["ET City Brain 2.0", "Rise Edge AI Box"]),
            ],
        )
    ]


def test_launch_schedule_stage_filter(expo):
    days = launch_schedule(expo.conference, LaunchFilters(stage="Launch Stage A"))

    assert outline(days) == [
        (date(2018, 11, 7), [("14:00", ["ET City Brain 2.0"])]),
        (date(2018, 11, 8), [("10:00", ["5G Base Station"])]),
    ]


def test_launch_schedule_loads_exhibitors_in_the_same_query(expo, query_counter):
    conference = fresh_conference()
    with query_counter(db.engine) as log:
        days = launch_schedule(conference, LaunchFilters())
        names = [
            launch.exhibitor.company for day in days for s in day.slots for launch in s.launches
        ]

    assert names == [
        "100% Digital Media",
        "Under_Score Robotics",
        "Alibaba Cloud",
        "Cloud Rise Technologies",
        "Nokia",
    ]
    assert log.count == 1


def test_launch_stages_count_launches_per_stage(expo):
    assert launch_stages(expo.conference) == [
        Stage("Internet Theatre", "网剧场", 1),
        Stage("Launch Stage A", "发布台A", 2),
        Stage("Launch Stage B", "", 2),
    ]


def test_exhibitor_counts_by_sector_hall_and_country(app, query_counter):
    from wuzhen_events.expo.queries import (
        exhibitors_by_country,
        exhibitors_by_hall,
        exhibitors_by_sector,
    )

    conference = factories.make_conference()
    other = factories.make_conference(slug="other")
    for sector, hall, country, booth in [
        (Sector.FINTECH, "10", "DE", "A1"),
        (Sector.ROBOTICS, "2", "CN", "A2"),
        (Sector.FINTECH, "2", "CN", "A3"),
        (Sector.CYBERSECURITY, "1", "US", "A4"),
    ]:
        factories.make_exhibitor(conference, sector=sector, hall=hall, country=country, booth=booth)
    factories.make_exhibitor(other, sector=Sector.ROBOTICS, hall="2", booth="Z9")
    db.session.refresh(conference)

    with query_counter(db.engine) as log:
        sectors = exhibitors_by_sector(conference)
        halls = exhibitors_by_hall(conference)
        countries = exhibitors_by_country(conference)

    assert sectors == [(Sector.FINTECH, 2), (Sector.CYBERSECURITY, 1), (Sector.ROBOTICS, 1)]
    assert halls == [("1", 1), ("2", 2), ("10", 1)]
    assert countries == [("CN", 2), ("DE", 1), ("US", 1)]
    assert log.count == 3
