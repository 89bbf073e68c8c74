"""One page type for the Expo directory and the API: the same numbers, two ways past the end."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa

from tests import factories
from wuzhen_events.extensions import db
from wuzhen_events.pagination import Page, PageLink, paginate
from wuzhen_events.program.models import Venue


@pytest.fixture
def venues(app) -> sa.Select:
    for number in range(1, 6):
        factories.make_venue(slug=f"room-{number}", building="WIICEC", room_number=str(number))
    return sa.select(Venue).order_by(Venue.room_number)


def rooms(page: Page) -> list[str]:
    return [venue.room_number for venue in page.items]


def test_paginate_counts_every_row_and_loads_one_page(venues):
    page = paginate(venues, 2, 2)

    assert (rooms(page), page.total, page.page, page.pages) == (["3", "4"], 5, 2, 3)


def test_past_the_last_page_the_api_gets_an_empty_page(venues, query_counter):
    with query_counter(db.engine) as queries:
        page = paginate(venues, 9, 2)

    assert (rooms(page), page.total, page.page, page.pages) == ([], 5, 9, 3)
    assert queries.count == 1  # the count alone: no rows to load


def test_past_the_last_page_the_directory_shows_the_last_one(venues):
    page = paginate(venues, 9, 2, past_last="last")

    assert (rooms(page), page.page) == (["5"], 3)


def test_links_mark_the_current_page_and_elide_far_ones():
    page = Page(items=[], total=100, page=5, per_page=10, url_for_page=lambda n: f"?page={n}")

    assert page.links == [
        PageLink(1, "?page=1"),
        PageLink(None, None),
        PageLink(3, "?page=3"),
        PageLink(4, "?page=4"),
        PageLink(5, "?page=5", current=True),
        PageLink(6, "?page=6"),
        PageLink(7, "?page=7"),
        PageLink(None, None),
        PageLink(10, "?page=10"),
    ]
    assert (page.previous_url, page.next_url) == ("?page=4", "?page=6")
    assert (page.first_item, page.last_item) == (41, 50)


def test_the_first_and_last_pages_have_no_link_beyond_them():
    first = Page(items=[], total=30, page=1, per_page=10, url_for_page=lambda n: f"?page={n}")
    last = replace(first, page=3)

    assert (first.previous_url, first.next_url) == (None, "?page=2")
    assert (last.previous_url, last.next_url) == ("?page=2", None)
