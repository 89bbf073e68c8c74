"""Printing badges from the dashboard: the filtered table's confirmed delegates in one PDF, one
delegate's badge from their page, each refusal a clear 4xx, and only organizers may print."""

from __future__ import annotations

import html
import re

import pytest

from tests.factories import OPERATOR
from tests.helpers.accounts import log_in, make_account
from tests.helpers.pdf import extracted_text, page_count, page_lines, qr_codes
from tests.helpers.queries import count_queries
from tests.helpers.registration import register
from tests.worlds import overlapping_subforums
from wuzhen_events.accounts.enums import Role
from wuzhen_events.extensions import db
from wuzhen_events.registration import rotation, services
from wuzhen_events.registration.enums import DelegateCategory
from wuzhen_events.registration.tokens import Secret

BADGES = "/dashboard/delegates/badges"
BULK = "/dashboard/delegates/badges.pdf"


def one(delegate_id: int) -> str:
    return f"/dashboard/delegates/{delegate_id}/badge.pdf"


@pytest.fixture
def world(app):
    setting = overlapping_subforums()
    zhang = register(
        setting, "zhang@example.com", setting.fintech, name="Zhang Min", name_zh="张敏"
    )
    script = register(
        setting,
        "script@example.com",
        setting.economy,
        name="<script>alert(1)</script>",
        organisation="<img src=x onerror=alert(1)>",
        category=DelegateCategory.MEDIA,
    )
    envoy = register(
        setting,
        "envoy@example.org",
        setting.fintech,
        name="Ana Silva",
        category=DelegateCategory.GOVERNMENT,
    )  # waiting for approval
    gone = register(setting, "gone@example.com", setting.culture, name="Gone Away")
    services.cancel_registration(gone, actor=OPERATOR)
    organizer = make_account(Role.ORGANIZER)
    host = make_account(Role.SUBFORUM_HOST, subforums=[setting.economy])
    return locals()


def signed_in(app, account):
    client = app.test_client()
    log_in(client, account)
    return client


def qr(delegate) -> str:
    return f"WIC2018:{rotation.secret_of(delegate, Secret.CHECKIN)}"


def description(response) -> str:
    body = response.get_data(as_text=True)
    return html.unescape(re.search(r"<h1>.*?</h1>\s*<p>(.*?)</p>", body, re.S).group(1))


def test_the_bulk_file_holds_the_confirmed_delegates_of_the_filter_in_the_tables_order(app, world):
    client = signed_in(app, world["organizer"])

    response = client.get(BULK, query_string={"sort": "name", "layout": "a6"})

    assert response.status_code == 200
    assert response.content_type == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="wic2018-badges-a6-2018-11-07.pdf"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_data()
    # "<script>…" sorts before "Zhang Min"; Ana Silva is pending, Gone Away cancelled
    assert qr_codes(data) == [[qr(world["script"])], [qr(world["zhang"])]]
    assert [lines[3] for lines in page_lines(data)] == ["<script>alert(1)</script>", "张敏"]
    assert "张敏" in extracted_text(data)[1]
    assert "Media" in " ".join(extracted_text(data)[0])


@pytest.mark.parametrize(("layout", "pages"), [("a6", 2), ("4x3", 2), ("a4-a6", 1), ("a4-4x3", 1)])
def test_the_bulk_file_in_each_layout(app, world, layout, pages):
    client = signed_in(app, world["organizer"])

    data = client.get(BULK, query_string={"layout": layout}).get_data()

    assert page_count(data) == pages
    assert sorted(code for codes in qr_codes(data) for code in codes) == sorted(
        [qr(world["zhang"]), qr(world["script"])]
    )


def test_the_bulk_file_keeps_the_tables_filter(app, world):
    client = signed_in(app, world["organizer"])

    data = client.get(BULK, query_string={"category": "media"}).get_data()

    assert qr_codes(data) == [[qr(world["script"])]]


def test_the_bulk_file_runs_the_same_queries_for_two_badges_or_twenty(app, world):
    client = signed_in(app, world["organizer"])
    with count_queries(db.engine) as few:
        assert client.get(BULK).status_code == 200
    setting = world["setting"]
    for number in range(18):
        register(setting, f"more{number}@example.com", name=f"More {number}", name_zh="李四")
    with count_queries(db.engine) as many:
        response = client.get(BULK)

    assert page_count(response.get_data()) == 20
    assert many.count == few.count


def test_the_print_page_says_how_many_badges_and_who_is_left_out(app, world):
    client = signed_in(app, world["organizer"])

    body = client.get(BADGES, query_string={"subforum": world["setting"].fintech.id}).get_data(
        as_text=True
    )

    assert "1 badge will be printed." in body
    assert "1 delegate the filter finds is not confirmed and gets no badge." in body
    form = body.split('action="/dashboard/delegates/badges.pdf"')[1].split("</form>")[0]
    hidden = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form)
    assert hidden == [("subforum", str(world["setting"].fintech.id))]
    assert '<select id="layout" name="layout">' in form


def test_the_delegates_table_links_to_printing_its_filter(app, world):
    client = signed_in(app, world["organizer"])

    body = client.get("/dashboard/delegates/", query_string={"category": "media"}).get_data(
        as_text=True
    )

    assert '<a href="/dashboard/delegates/badges?category=media">Print badges</a>' in body


def test_one_badge_from_the_delegates_page(app, world):
    client = signed_in(app, world["organizer"])
    page = client.get(f"/dashboard/delegates/{world['zhang'].id}/").get_data(as_text=True)

    response = client.get(one(world["zhang"].id), query_string={"layout": "4x3"})

    assert f'action="{one(world["zhang"].id)}"' in page
    assert "Badge (PDF)" in page
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'inline; filename="wic2018-badge-{world["zhang"].id}-4x3.pdf"'
    )
    assert qr_codes(response.get_data()) == [[qr(world["zhang"])]]


@pytest.mark.parametrize(
    ("who", "status", "message"),
    [
        (
            "envoy",
            409,
            "This registration is waiting for approval: its badge can be printed once it is "
            "confirmed.",
        ),
        ("gone", 409, "This registration is cancelled: it has no badge."),
    ],
    ids=["pending", "cancelled"],
)
def test_a_registration_that_is_not_confirmed_gets_no_badge(app, world, who, status, message):
    client = signed_in(app, world["organizer"])
    page = client.get(f"/dashboard/delegates/{world[who].id}/").get_data(as_text=True)

    response = client.get(one(world[who].id))

    assert (response.status_code, description(response)) == (status, message)
    assert "Badge (PDF)" not in page
    assert "Badges are printed for confirmed registrations only." in page


@pytest.mark.parametrize(
    ("url", "args", "status", "message"),
    [
        (
            BULK,
            {"layout": "a5"},
            400,
            "Unknown badge layout “a5”: choose A6, 4 × 3 in, or an A4 sheet.",
        ),
        (
            BULK,
            {"status": "pending"},
            422,
            "No confirmed delegate matches this filter: there is no badge to print.",
        ),
        (
            BULK,
            {"q": "nobody at all"},
            422,
            "No confirmed delegate matches this filter: there is no badge to print.",
        ),
        (
            "zhang",
            {"layout": "<script>"},
            400,
            "Unknown badge layout “<script>”: choose A6, 4 × 3 in, or an A4 sheet.",
        ),
    ],
    ids=["bulk-layout", "bulk-pending-only", "bulk-nobody", "one-layout"],
)
def test_bad_requests_are_refused_with_the_reason(app, world, url, args, status, message):
    client = signed_in(app, world["organizer"])
    address = one(world["zhang"].id) if url == "zhang" else url

    response = client.get(address, query_string=args)

    assert (response.status_code, description(response)) == (status, message)


def test_an_unknown_delegate_is_not_found(app, world):
    client = signed_in(app, world["organizer"])

    assert client.get(one(999_999)).status_code == 404


@pytest.mark.parametrize("role", [Role.SUBFORUM_HOST, Role.VIEWER, Role.CHECKIN_STAFF])
def test_only_organizers_print_badges(app, world, role):
    account = world["host"] if role is Role.SUBFORUM_HOST else make_account(role)
    client = signed_in(app, account)
    # the host's own subforum's delegate and another subforum's alike
    answers = [
        client.get(url).status_code
        for url in (BADGES, BULK, one(world["script"].id), one(world["zhang"].id))
    ]
    table = client.get("/dashboard/delegates/").get_data(as_text=True)

    assert answers == [403, 403, 403, 403]
    assert "Print badges" not in table
