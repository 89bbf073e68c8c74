"""The statistics page and the home page's figures: exact numbers in the tables of a small
known world, the charts with their names, who may open them, and a constant query count."""

from __future__ import annotations

import lxml.html
import pytest

from tests.factories import make_conference, make_exhibitor, make_subforum
from tests.helpers.accounts import log_in, make_account
from tests.helpers.queries import count_queries
from tests.helpers.scale import insert_delegates
from tests.helpers.statistics import counted_world
from wuzhen_events.accounts.enums import Role
from wuzhen_events.expo.enums import Sector
from wuzhen_events.extensions import db

STATISTICS = "/dashboard/statistics/"


@pytest.fixture
def world(app):
    world = counted_world()
    make_exhibitor(world.conference, sector=Sector.FINTECH, country="CN", hall="2", booth="A1")
    make_exhibitor(world.conference, sector=Sector.FINTECH, country="DE", hall="10", booth="B1")
    make_exhibitor(world.conference, sector=Sector.ROBOTICS, country="CN", hall="2", booth="A2")
    return world


@pytest.fixture
def viewer(client, app):
    log_in(client, make_account(Role.VIEWER))
    return client


def parse_html(body: str):
    return lxml.html.fromstring(body)


def texts(page, xpath: str) -> list[str]:
    return [element.text_content().strip() for element in page.xpath(xpath)]


def table(page, identifier: str) -> list[list[str]]:
    """The rows of the figure's table, header row and totals included, as the page shows them."""
    rows = page.xpath(f'//div[@id="{identifier}"]//table//tr')
    return [[cell.text_content().strip() for cell in row.xpath("th|td")] for row in rows]


def test_the_tables_hold_the_exact_figures(world, viewer):
    page = parse_html(viewer.get(STATISTICS).get_data(as_text=True))

    assert table(page, "registrations-per-day") == [
        ["Day", "Government delegate", "Enterprise", "Expert or academia", "Media", "Total"],
        ["2018-11-05", "0", "0", "1", "1", "2"],
        ["2018-11-06", "1", "2", "0", "0", "3"],
        ["Total", "1", "2", "1", "1", "5"],
    ]
    assert table(page, "registrations-by-category") == [
        ["Category", "Waiting for approval", "Confirmed", "Cancelled", "Not approved", "Total"],
        ["Government delegate", "1", "0", "0", "0", "1"],
        ["Enterprise", "0", "2", "0", "0", "2"],
        ["Expert or academia", "0", "1", "0", "0", "1"],
        ["Media", "0", "0", "1", "0", "1"],
        ["Total", "1", "3", "1", "0", "5"],
    ]
    assert table(page, "registrations-by-country") == [
        ["Country or region", "Count"],
        ["China", "2"],
        ["United Kingdom", "1"],
        ["United States", "1"],
        ["Total", "4"],
    ]
    assert table(page, "subforum-fill") == [
        ["Subforum", "Capacity", "Confirmed", "Held", "Filled", "Waitlist", "Requested"],
        ["AI", "3", "2", "0", "67%", "0", "1"],
        ["IoT", "1", "1", "0", "100%", "1", "0"],
        ["Total", "4", "3", "0", "", "1", "1"],
    ]
    assert table(page, "exhibitors-by-sector") == [
        ["Sector", "Exhibitors"],
        ["Fintech", "2"],
        ["Robotics", "1"],
        ["Total", "3"],
    ]
    assert table(page, "exhibitors-by-hall") == [
        ["Hall", "Exhibitors"],
        ["Hall 2", "2"],
        ["Hall 10", "1"],
        ["Total", "3"],
    ]
    assert table(page, "exhibitors-by-country") == [
        ["Country or region", "Count"],
        ["China", "2"],
        ["Germany", "1"],
        ["Total", "3"],
    ]
    # Each registration queued a message: none was sent yet.
    assert table(page, "emails-by-state") == [
        ["State", "Messages"],
        ["Waiting to be sent", "6"],
        ["Sent", "0"],
        ["Failed", "0"],
        ["Not sent (superseded)", "0"],
        ["Total", "6"],
    ]


def test_each_chart_is_an_accessible_svg_beside_its_table(world, viewer):
    page = parse_html(viewer.get(STATISTICS).get_data(as_text=True))

    figures = page.xpath('//div[@class="stat-figure"]')
    assert [figure.get("id") for figure in figures] == [
        "registrations-per-day",
        "registrations-by-category",
        "registrations-by-country",
        "subforum-fill",
        "exhibitors-by-sector",
        "exhibitors-by-hall",
        "exhibitors-by-country",
        "emails-by-state",
    ]
    for figure in figures:
        identifier = figure.get("id")
        svg = figure.xpath(".//svg")[0]
        assert (svg.get("role"), svg.get("width"), len(figure.xpath(".//table/caption"))) == (
            "img",
            None,
            1,
        )
        assert svg.get("aria-labelledby") == f"{identifier}-title {identifier}-desc"
    chart = '//div[@id="registrations-per-day"]//svg'
    assert texts(page, f"{chart}/title") == ["Registrations per day"]
    assert texts(page, f"{chart}/rect/title") == ["5 Nov: 2", "6 Nov: 3"]


def test_the_headline_counts_registrations_seats_and_waiting_emails(world, viewer):
    page = parse_html(viewer.get(STATISTICS).get_data(as_text=True))

    figures = dict(
        zip(
            texts(page, '//dl[@class="stat-headline"]/div/dt'),
            texts(page, '//dl[@class="stat-headline"]/div/dd'),
            strict=True,
        )
    )
    assert figures == {
        "Registrations": "5",
        "Waiting for approval": "1",
        "Confirmed": "3",
        "Cancelled": "1",
        "Not approved": "0",
        "Seats filled": "3 of 4 (75%)",
        "E-mails waiting": "6",
        "E-mails failed": "0",
    }


def test_the_home_page_shows_the_headline_to_those_who_may_read_statistics(world, client):
    log_in(client, make_account(Role.ORGANIZER))
    page = parse_html(client.get("/dashboard/").get_data(as_text=True))

    assert texts(page, '//h2[@id="figures-heading"]') == ["At a glance"]
    assert texts(page, '//dl[@class="stat-headline"]/div/dd')[0] == "5"


def test_a_host_sees_no_figures_on_the_home_page_and_may_not_open_statistics(world, client):
    log_in(client, make_account(Role.SUBFORUM_HOST, subforums=[world.ai]))

    home = parse_html(client.get("/dashboard/").get_data(as_text=True))
    assert home.xpath('//dl[@class="stat-headline"]') == []
    assert client.get(STATISTICS).status_code == 403


def test_a_viewer_may_open_statistics(world, viewer):
    response = viewer.get(STATISTICS)

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_in_chinese_the_labels_and_subforum_titles_are_chinese(world, viewer):
    with viewer.session_transaction() as session:
        session["locale"] = "zh"
    page = parse_html(viewer.get(STATISTICS).get_data(as_text=True))

    fill = '//div[@id="subforum-fill"]//svg/text[@class="chart-label"]'
    assert texts(page, fill) == ["人工智能", "物联网"]
    assert texts(page, '//div[@id="registrations-per-day"]//svg/rect/title') == [
        "11月5日: 2",
        "11月6日: 3",
    ]


def test_a_hostile_subforum_title_is_escaped_in_the_chart_and_the_table(app, viewer):
    conference = make_conference()
    make_subforum(conference, title='<script>alert("x")</script>')

    body = viewer.get(STATISTICS).get_data(as_text=True)

    assert "<script>alert" not in body
    assert body.count("&lt;script&gt;alert") == 3  # chart label, its tooltip, the table


def test_with_no_conference_the_page_says_so(app, viewer):
    page = parse_html(viewer.get(STATISTICS).get_data(as_text=True))

    assert texts(page, "//h1/following-sibling::p[1]") == [
        "There is no conference yet, so nothing to count."
    ]


def statistics_queries(client) -> int:
    db.session.expire_all()
    with count_queries(db.engine) as log:
        assert client.get(STATISTICS).status_code == 200
    return log.count


def home_queries(client) -> int:
    db.session.expire_all()
    with count_queries(db.engine) as log:
        assert client.get("/dashboard/").status_code == 200
    return log.count


# The account and its subforums, the conference, then one GROUP BY per figure: registrations
# per day, by country, by category and status; the subforums' places; the Expo's sectors,
# halls and countries; the outbox.
STATISTICS_QUERIES = 10
# The account and its subforums, the conference, and the headline's three GROUP BYs.
HOME_QUERIES = 5


@pytest.mark.parametrize("count", [10, 1_000], ids=["10 delegates", "1,000 delegates"])
def test_the_pages_run_the_same_queries_whatever_the_number_of_delegates(app, viewer, count):
    conference = make_conference()
    for number in range(3):
        make_subforum(conference, capacity=300, title=f"Subforum {number}")
    make_exhibitor(conference)
    insert_delegates(conference, count)

    assert statistics_queries(viewer) == STATISTICS_QUERIES
    assert home_queries(viewer) == HOME_QUERIES
