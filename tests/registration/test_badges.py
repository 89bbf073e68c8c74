"""Badges of delegates: who has one, how a filter counts them, the layouts a request may name,
and the delegate's own printable badge behind their link."""

from __future__ import annotations

import html
import re

import pytest

from tests.factories import OPERATOR
from tests.helpers.pdf import page_lines, qr_codes
from tests.helpers.registration import register
from wuzhen_events.errors import DomainError
from wuzhen_events.registration import badges, rotation, services
from wuzhen_events.registration.directory import DelegateFilter
from wuzhen_events.registration.enums import DelegateCategory, DelegateStatus
from wuzhen_events.registration.tokens import Secret


@pytest.fixture
def people(setting):
    confirmed = register(setting, "li@example.com", setting.fintech, name="Li Wei", name_zh="李伟")
    pending = register(
        setting, "gov@example.org", setting.fintech, category=DelegateCategory.GOVERNMENT
    )
    cancelled = register(setting, "gone@example.com", setting.economy)
    services.cancel_registration(cancelled, actor=OPERATOR)
    return confirmed, pending, cancelled


def test_a_filter_counts_the_badges_it_prints_and_the_delegates_it_leaves_out(setting, people):
    conference = setting.conference.id

    assert badges.badge_count(conference, DelegateFilter()) == badges.BadgeCount(1, 2)
    assert badges.badge_count(
        conference, DelegateFilter(), subforum_ids=[setting.fintech.id]
    ) == badges.BadgeCount(1, 1)
    # a cancellation gives its seats back: nothing is left of it in the economy subforum
    assert badges.badge_count(
        conference, DelegateFilter(), subforum_ids=[setting.economy.id]
    ) == badges.BadgeCount(0, 0)
    assert badges.badge_count(
        conference, DelegateFilter(status=DelegateStatus.PENDING)
    ) == badges.BadgeCount(0, 1)


@pytest.mark.parametrize(
    ("asked", "key"), [(None, "a6"), ("", "a6"), ("4x3", "4x3"), ("a4-4x3", "a4-4x3")]
)
def test_a_request_names_a_layout_or_gets_a6(app, asked, key):
    assert badges.layout_named(asked).key == key


def test_an_unknown_layout_is_refused_naming_it_cut_short(app):
    with pytest.raises(DomainError) as refused:
        badges.layout_named("x" * 500)

    assert refused.value.message == (
        f"Unknown badge layout “{'x' * 40}”: choose A6, 4 × 3 in, or an A4 sheet."
    )


def test_a_filter_past_the_limit_is_refused_before_anything_is_drawn(setting, people, monkeypatch):
    monkeypatch.setattr(badges, "BADGE_LIMIT", 0)

    with pytest.raises(DomainError) as refused:
        badges.filtered_badges_pdf(setting.conference, DelegateFilter(), badges.layout_named("a6"))

    assert refused.value.message == (
        "More than 0 badges match this filter: print them in parts, for example one category "
        "or subforum at a time."
    )


# --- the delegate's own printable badge --------------------------------------------------------


def token_of(delegate) -> str:
    return rotation.secret_of(delegate, Secret.MANAGE)


def test_a_confirmed_delegate_prints_their_own_badge_from_their_link(client, setting, people):
    confirmed = people[0]
    token = token_of(confirmed)
    page = client.get(f"/me/{token}/badge").get_data(as_text=True)

    response = client.get(f"/me/{token}/badge.pdf", query_string={"layout": "4x3"})

    assert f'<a href="/me/{token}/badge.pdf?layout=a6">PDF, A6</a>' in page
    assert response.status_code == 200
    assert response.content_type == "application/pdf"
    assert response.headers["Content-Disposition"] == 'inline; filename="wic2018-badge-4x3.pdf"'
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert response.headers["Cache-Control"] == "private, no-store"
    data = response.get_data()
    assert qr_codes(data) == [[f"WIC2018:{rotation.secret_of(confirmed, Secret.CHECKIN)}"]]
    assert "李伟" in page_lines(data)[0]


@pytest.mark.parametrize(
    ("index", "args", "status", "message"),
    [
        (
            1,
            {},
            409,
            "This registration is waiting for approval: its badge can be printed once it is "
            "confirmed.",
        ),
        (2, {}, 409, "This registration is cancelled: it has no badge."),
        (
            0,
            {"layout": "a3"},
            400,
            "Unknown badge layout “a3”: choose A6, 4 × 3 in, or an A4 sheet.",
        ),
    ],
    ids=["pending", "cancelled", "unknown-layout"],
)
def test_the_own_badge_is_refused_with_the_reason(
    client, setting, people, index, args, status, message
):
    token = token_of(people[index])

    response = client.get(f"/me/{token}/badge.pdf", query_string=args)

    body = response.get_data(as_text=True)
    described = html.unescape(re.search(r"<h1>.*?</h1>\s*<p>(.*?)</p>", body, re.S).group(1))
    assert (response.status_code, described) == (status, message)
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"


def test_an_unknown_link_has_no_badge(client, setting):
    assert client.get("/me/not-a-token/badge.pdf").status_code == 404
