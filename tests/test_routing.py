"""Slugs: what the services store is exactly what the URL converter matches."""

from __future__ import annotations

import pytest

from tests import factories
from wuzhen_events.expo.services import ExpoError
from wuzhen_events.extensions import db
from wuzhen_events.program.services import ProgramError
from wuzhen_events.routing import is_valid_slug


@pytest.mark.parametrize(
    ("slug", "valid"),
    [
        ("fintech-credit-society", True),
        ("5g", True),
        ("a" * 120, True),
        ("a" * 121, False),
        ("", False),
        ("Fintech", False),
        ("double--hyphen", False),
        ("-leading", False),
        ("trailing-", False),
        ("金融", False),
        ("nul\x00", False),
        ("<script>", False),
        ("../etc", False),
    ],
)
def test_is_valid_slug(slug, valid):
    assert is_valid_slug(slug) is valid


@pytest.mark.parametrize("slug", ["Fintech", "with space", "<b>", "金融"])
def test_program_services_refuse_slugs_no_url_could_reach(app, slug):
    with pytest.raises(ProgramError) as refused:
        factories.make_speaker(slug=slug)

    assert (
        refused.value.message == "A slug is 1 to 120 lower-case letters, digits and single hyphens."
    )


def test_expo_services_refuse_slugs_no_url_could_reach(app):
    conference = factories.make_conference()

    with pytest.raises(ExpoError) as refused:
        factories.make_exhibitor(conference, slug="Huawei")

    assert (
        refused.value.message == "A slug is 1 to 120 lower-case letters, digits and single hyphens."
    )


def test_a_slug_outside_the_pattern_is_404_before_any_query(client, query_counter):
    with query_counter(db.engine) as log:
        response = client.get("/speakers/%00/")

    assert response.status_code == 404
    assert log.count == 0
