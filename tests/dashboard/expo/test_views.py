"""The Expo area of the dashboard: exhibitors and launches listed, added, edited and deleted."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests.factories import count_rows, make_conference, make_exhibitor, make_launch, reload
from tests.helpers.accounts import log_in, make_account
from tests.helpers.queries import count_queries
from wuzhen_events.accounts.enums import Role
from wuzhen_events.audit.models import AuditEntry
from wuzhen_events.expo.models import Exhibitor, ProductLaunch
from wuzhen_events.extensions import db


@pytest.fixture
def organizer(app):
    return make_account(Role.ORGANIZER, name="Zhang Min")


@pytest.fixture
def conference(app):
    return make_conference()


def signed_in(app, account):
    client = app.test_client()
    log_in(client, account)
    return client


def exhibitor_form(**overrides) -> dict:
    data = {
        "company": "Sogou",
        "company_zh": "搜狗",
        "sector": "artificial-intelligence",
        "country": "CN",
        "hall": "1",
        "booth": "A010",
        "website": "",
        "description": "",
        "description_zh": "",
    }
    data.update(overrides)
    return data


def text(response) -> str:
    return response.get_data(as_text=True)


def test_an_organizer_adds_an_exhibitor_recorded_as_theirs(app, conference, organizer):
    response = signed_in(app, organizer).post(
        "/dashboard/expo/exhibitors/new", data=exhibitor_form(slug="sogou")
    )

    exhibitor = db.session.scalar(sa.select(Exhibitor).where(Exhibitor.slug == "sogou"))
    assert response.status_code == 303
    assert (exhibitor.company, exhibitor.company_zh, exhibitor.hall, exhibitor.booth) == (
        "Sogou",
        "搜狗",
        "1",
        "A010",
    )
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.object_type == "exhibitors"))
    assert (entry.action, entry.actor_id) == ("add_exhibitor", str(organizer.id))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"company": ""}, "Company: This field is required."),
        ({"company": "x" * 201}, "Company: Please use at most 200 characters (this has 201)."),
        (
            {"country": "中国"},
            "Country (two-letter code): The country must be a two-letter ISO code.",
        ),
        ({"booth": "A001"}, "Booth: Booth A001 in hall 1 is already taken."),
        ({"sector": "tobacco"}, "Sector: Choose a sector from the list."),
    ],
    ids=["empty", "huge", "chinese-country", "taken-booth", "bad-sector"],
)
def test_bad_exhibitor_input_gets_a_message_and_changes_nothing(
    app, conference, organizer, overrides, message
):
    make_exhibitor(conference, hall="1", booth="A001")
    edited = make_exhibitor(conference, company="Edited", hall="1", booth="A002")

    response = signed_in(app, organizer).post(
        f"/dashboard/expo/exhibitors/{edited.id}/", data=exhibitor_form(**overrides)
    )

    assert response.status_code == 422
    assert message in text(response)
    assert (reload(edited).company, reload(edited).booth) == ("Edited", "A002")


def test_an_exhibitor_with_launches_is_not_deleted(app, conference, organizer):
    exhibitor = make_exhibitor(conference)
    make_launch(exhibitor, conference)
    client = signed_in(app, organizer)

    response = client.post(f"/dashboard/expo/exhibitors/{exhibitor.id}/delete")

    assert "This exhibitor still has product launches (1): delete them first." in text(
        client.get(response.location)
    )
    assert count_rows(Exhibitor) == 1


def test_a_launch_is_moved_in_conference_time_and_then_deleted(app, conference, organizer):
    launch = make_launch(make_exhibitor(conference), conference, product="AI anchor")
    client = signed_in(app, organizer)

    moved = client.post(
        f"/dashboard/expo/launches/{launch.id}/",
        data={
            "product": "AI anchor",
            "product_zh": "AI 合成主播",
            "starts_at": "2018-11-08T14:00",
            "ends_at": "2018-11-08T14:30",
            "stage": "Stage A",
            "stage_zh": "A 舞台",
        },
    )
    launch = reload(launch)
    assert moved.status_code == 303
    assert (launch.starts_at, launch.product_zh) == (
        datetime(2018, 11, 8, 6, 0, tzinfo=UTC),
        "AI 合成主播",
    )

    deleted = client.post(f"/dashboard/expo/launches/{launch.id}/delete")
    assert (deleted.status_code, count_rows(ProductLaunch)) == (303, 0)


def test_a_launch_outside_the_expo_hours_is_refused_on_the_form(app, conference, organizer):
    exhibitor = make_exhibitor(conference)

    response = signed_in(app, organizer).post(
        "/dashboard/expo/launches/new",
        data={
            "exhibitor": str(exhibitor.id),
            "product": "Late",
            "starts_at": "2018-11-12T10:00",
            "ends_at": "2018-11-12T11:00",
            "stage": "Stage A",
        },
    )

    assert response.status_code == 422
    assert "Starts (conference time): A launch must take place while the Expo is open." in text(
        response
    )
    assert count_rows(ProductLaunch) == 0


@pytest.mark.parametrize("path", ["/dashboard/expo/", "/dashboard/expo/launches/"])
def test_expo_lists_run_the_same_queries_for_1_row_or_20(app, conference, organizer, path):
    client = signed_in(app, organizer)

    def measured():
        client.get(path)
        db.session.expire_all()
        with count_queries(db.engine) as log:
            response = client.get(path)
        assert response.status_code == 200
        return log.count

    make_launch(make_exhibitor(conference), conference)
    few = measured()
    for _number in range(19):
        make_launch(make_exhibitor(conference), conference)
    many = measured()

    assert many == few


@pytest.mark.parametrize("role", [Role.SUBFORUM_HOST, Role.VIEWER, Role.CHECKIN_STAFF])
def test_the_expo_area_is_the_organizers_only(app, conference, role):
    response = signed_in(app, make_account(role)).get("/dashboard/expo/")

    assert response.status_code == 403


def test_the_lists_search_exhibitors_and_launches_in_either_language(app, conference, organizer):
    tencent = make_exhibitor(conference, company="Tencent", company_zh="腾讯")
    make_exhibitor(conference, company="Alibaba Group", company_zh="阿里巴巴集团")
    make_launch(tencent, conference, product="WeChat Pay abroad", product_zh="微信支付境外版")
    client = signed_in(app, organizer)

    exhibitors = text(client.get("/dashboard/expo/?q=%E8%85%BE%E8%AE%AF"))
    launches = text(client.get("/dashboard/expo/launches/?q=tencent"))
    none = text(client.get("/dashboard/expo/launches/?q=100%25"))

    assert "Entries 1–1 of 1" in exhibitors
    assert ("Tencent" in exhibitors, "Alibaba" in exhibitors) == (True, False)
    assert "Entries 1–1 of 1" in launches
    assert "WeChat Pay abroad" in launches
    assert "Nothing matches “100%”." in none
