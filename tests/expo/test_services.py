"""Every rule of the Expo services: what they store, and the exact refusal when they don't."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from tests.factories import count_rows, make_conference, make_exhibitor, make_launch, reload
from wuzhen_events.db import Provenance
from wuzhen_events.expo.enums import Sector
from wuzhen_events.expo.models import Exhibitor, ProductLaunch
from wuzhen_events.expo.services import ExpoError
from wuzhen_events.extensions import db

WUZHEN = ZoneInfo("Asia/Shanghai")
# The factory conference's Expo: 6 November 09:30 to 10 November 12:00, Wuzhen time.
EXPO_OPENS = datetime(2018, 11, 6, 9, 30, tzinfo=WUZHEN)
EXPO_CLOSES = datetime(2018, 11, 10, 12, 0, tzinfo=WUZHEN)


# --- exhibitors -----------------------------------------------------------------------------


def test_add_exhibitor_stores_the_exhibitor(app):
    conference = make_conference()

    exhibitor = make_exhibitor(
        conference,
        slug="sogou",
        company="  Sogou  ",
        company_zh="搜狗",
        sector=Sector.ARTIFICIAL_INTELLIGENCE,
        country="cn",
        hall="1",
        booth="A101",
        website="https://www.sogou.com",
        provenance=Provenance.SOURCED,
        source_note="S21",
    )

    stored = reload(exhibitor)
    assert (stored.slug, stored.company, stored.company_zh, stored.country) == (
        "sogou",
        "Sogou",
        "搜狗",
        "CN",
    )
    assert (stored.hall, stored.booth, stored.sector, stored.conference_id) == (
        "1",
        "A101",
        Sector.ARTIFICIAL_INTELLIGENCE,
        conference.id,
    )
    assert (stored.provenance, stored.source_note) == (Provenance.SOURCED, "S21")


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        ({"company": ""}, "A company name of 1 to 200 characters is required.", "company"),
        ({"company": "   "}, "A company name of 1 to 200 characters is required.", "company"),
        ({"company": "C" * 201}, "A company name of 1 to 200 characters is required.", "company"),
        ({"country": "CHN"}, "The country must be a two-letter ISO code.", "country"),
        ({"country": "C"}, "The country must be a two-letter ISO code.", "country"),
        ({"country": ""}, "The country must be a two-letter ISO code.", "country"),
        ({"country": "C1"}, "The country must be a two-letter ISO code.", "country"),
        ({"country": "中国"}, "The country must be a two-letter ISO code.", "country"),
    ],
    ids=[
        "empty-company",
        "blank-company",
        "long-company",
        "three-letter-country",
        "one-letter-country",
        "empty-country",
        "digit-in-country",
        "non-ascii-country",
    ],
)
def test_add_exhibitor_refuses_bad_input(app, overrides, message, field):
    conference = make_conference()

    with pytest.raises(ExpoError) as refused:
        make_exhibitor(conference, **overrides)

    assert (refused.value.message, refused.value.field) == (message, field)
    assert count_rows(Exhibitor) == 0


def test_add_exhibitor_refuses_a_slug_in_use(app):
    conference = make_conference()
    make_exhibitor(conference, slug="huawei", booth="A201")

    with pytest.raises(ExpoError) as refused:
        make_exhibitor(conference, slug="huawei", booth="A202")

    assert (refused.value.message, refused.value.field) == (
        "The slug 'huawei' is already in use.",
        "slug",
    )
    assert count_rows(Exhibitor) == 1


def test_add_exhibitor_refuses_a_taken_booth(app):
    conference = make_conference()
    make_exhibitor(conference, hall="2", booth="A201")

    with pytest.raises(ExpoError) as refused:
        make_exhibitor(conference, hall="2", booth="A201")

    assert (refused.value.message, refused.value.field) == (
        "Booth A201 in hall 2 is already taken.",
        "booth",
    )
    assert count_rows(Exhibitor) == 1


def test_add_exhibitor_allows_the_same_booth_number_in_another_hall(app):
    conference = make_conference()
    make_exhibitor(conference, hall="2", booth="A201")

    make_exhibitor(conference, hall="3", booth="A201")

    rows = db.session.execute(sa.select(Exhibitor.hall, Exhibitor.booth).order_by(Exhibitor.hall))
    assert [tuple(row) for row in rows] == [("2", "A201"), ("3", "A201")]


# --- launches -------------------------------------------------------------------------------


def test_schedule_launch_stores_the_launch_in_utc(app):
    conference = make_conference()
    exhibitor = make_exhibitor(conference)

    launch = make_launch(
        exhibitor,
        conference,
        product=" Xinhua–Sogou AI news anchors ",
        product_zh="新华社—搜狗AI合成主播",
        starts_at=datetime(2018, 11, 7, 10, 0, tzinfo=WUZHEN),
        ends_at=datetime(2018, 11, 7, 10, 30, tzinfo=WUZHEN),
        stage="Sogou booth",
        stage_zh="搜狗展台",
    )

    stored = reload(launch)
    assert (stored.product, stored.product_zh, stored.stage, stored.stage_zh) == (
        "Xinhua–Sogou AI news anchors",
        "新华社—搜狗AI合成主播",
        "Sogou booth",
        "搜狗展台",
    )
    assert (stored.starts_at, stored.ends_at, stored.exhibitor_id) == (
        datetime(2018, 11, 7, 2, 0, tzinfo=UTC),
        datetime(2018, 11, 7, 2, 30, tzinfo=UTC),
        exhibitor.id,
    )


def test_exhibitor_and_launch_keep_their_chinese_source_notes(app):
    conference = make_conference()
    exhibitor = make_exhibitor(conference, source_note="S21", source_note_zh="S21；展位为演示安排")

    launch = make_launch(exhibitor, conference, source_note="S21, S39", source_note_zh="S21、S39")

    assert (reload(exhibitor).source_note_zh, reload(launch).source_note_zh) == (
        "S21；展位为演示安排",
        "S21、S39",
    )


def test_schedule_launch_accepts_the_expo_s_first_and_last_minutes(app):
    conference = make_conference()
    exhibitor = make_exhibitor(conference)

    first = make_launch(exhibitor, conference, starts_at=EXPO_OPENS)
    last = make_launch(
        exhibitor, conference, starts_at=EXPO_CLOSES - timedelta(minutes=30), ends_at=EXPO_CLOSES
    )

    assert (reload(first).starts_at, reload(last).ends_at) == (EXPO_OPENS, EXPO_CLOSES)


def test_schedule_launch_accepts_any_time_when_the_expo_has_no_hours(app):
    conference = make_conference(expo_opens_at=None, expo_closes_at=None)
    exhibitor = make_exhibitor(conference)
    long_after = datetime(2019, 1, 1, 9, 0, tzinfo=WUZHEN)

    launch = make_launch(exhibitor, conference, starts_at=long_after)

    assert reload(launch).starts_at == long_after


NAIVE = datetime(2018, 11, 7, 14, 0)
AWARE = datetime(2018, 11, 7, 14, 0, tzinfo=WUZHEN)
TIMES_REFUSED = "A launch must have a timezone and end after it starts."
OUTSIDE_HOURS = "A launch must take place while the Expo is open."


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        ({"product": ""}, "A product name of 1 to 200 characters is required.", "product"),
        ({"product": " "}, "A product name of 1 to 200 characters is required.", "product"),
        ({"product": "P" * 201}, "A product name of 1 to 200 characters is required.", "product"),
        ({"starts_at": NAIVE, "ends_at": AWARE}, TIMES_REFUSED, "ends_at"),
        ({"starts_at": AWARE, "ends_at": NAIVE + timedelta(hours=1)}, TIMES_REFUSED, "ends_at"),
        ({"starts_at": AWARE, "ends_at": AWARE}, TIMES_REFUSED, "ends_at"),
        ({"starts_at": AWARE, "ends_at": AWARE - timedelta(minutes=1)}, TIMES_REFUSED, "ends_at"),
        ({"starts_at": EXPO_OPENS - timedelta(minutes=30)}, OUTSIDE_HOURS, "starts_at"),
        ({"starts_at": EXPO_CLOSES}, OUTSIDE_HOURS, "starts_at"),
        (
            {
                "starts_at": EXPO_CLOSES - timedelta(minutes=10),
                "ends_at": EXPO_CLOSES + timedelta(minutes=20),
            },
            OUTSIDE_HOURS,
            "starts_at",
        ),
        ({"starts_at": datetime(2018, 11, 5, 14, 0, tzinfo=WUZHEN)}, OUTSIDE_HOURS, "starts_at"),
    ],
    ids=[
        "empty-product",
        "blank-product",
        "long-product",
        "naive-start",
        "naive-end",
        "zero-length",
        "ends-before-start",
        "before-opening",
        "at-closing",
        "runs-past-closing",
        "day-before-the-expo",
    ],
)
def test_schedule_launch_refuses_bad_input(app, overrides, message, field):
    conference = make_conference()
    exhibitor = make_exhibitor(conference)

    with pytest.raises(ExpoError) as refused:
        make_launch(exhibitor, conference, **overrides)

    assert (refused.value.message, refused.value.field) == (message, field)
    assert count_rows(ProductLaunch) == 0


# --- organizers' edits (the dashboard's Expo area) -----------------------------------------


@pytest.fixture
def organizer(app):
    from tests.helpers.accounts import make_account
    from wuzhen_events.accounts.enums import Role
    from wuzhen_events.audit.actors import Actor

    return Actor.account(make_account(Role.ORGANIZER, email="expo@organizers.example"))


def trail(table: str, row_id: int) -> list[tuple]:
    from wuzhen_events.audit.services import entries_for

    return [
        (entry.actor_id, entry.action, entry.fields, entry.before, entry.after)
        for entry in entries_for(table, row_id)
    ]


def test_update_exhibitor_moves_it_to_a_free_booth_and_records_it(app, organizer):
    from wuzhen_events.expo.services import update_exhibitor

    conference = make_conference()
    exhibitor = make_exhibitor(conference, company="Sogou", hall="1", booth="A001")

    update_exhibitor(
        reload(exhibitor), actor=organizer, company_zh="搜狗", hall="2", booth="B002", country="cn"
    )

    exhibitor = reload(exhibitor)
    assert (exhibitor.company_zh, exhibitor.hall, exhibitor.booth, exhibitor.country) == (
        "搜狗",
        "2",
        "B002",
        "CN",
    )
    assert trail("exhibitors", exhibitor.id)[1:] == [
        (
            organizer.ident,
            "update_exhibitor",
            ["booth", "company_zh", "hall"],
            {"booth": "A001", "company_zh": "", "hall": "1"},
            {"booth": "B002", "company_zh": "搜狗", "hall": "2"},
        )
    ]


def test_update_exhibitor_refuses_a_booth_held_by_another(app, organizer):
    from wuzhen_events.expo.services import update_exhibitor

    conference = make_conference()
    make_exhibitor(conference, hall="1", booth="A001")
    other = make_exhibitor(conference, hall="1", booth="A002")

    with pytest.raises(ExpoError) as refused:
        update_exhibitor(reload(other), actor=organizer, booth="A001")

    assert (refused.value.message, refused.value.field) == (
        "Booth A001 in hall 1 is already taken.",
        "booth",
    )
    assert reload(other).booth == "A002"
    update_exhibitor(reload(other), actor=organizer, booth="A002", website="https://x.example")
    assert reload(other).website == "https://x.example"  # its own booth is no clash


def test_delete_exhibitor_refuses_one_with_launches_and_deletes_one_without(app, organizer):
    from wuzhen_events.expo.services import delete_exhibitor

    conference = make_conference()
    launching = make_exhibitor(conference)
    make_launch(launching, conference)
    quiet = make_exhibitor(conference, company="Quiet Co.")
    quiet_id = quiet.id

    with pytest.raises(ExpoError) as refused:
        delete_exhibitor(reload(launching), actor=organizer)
    delete_exhibitor(reload(quiet), actor=organizer)

    assert (
        refused.value.message == "This exhibitor still has product launches (1): delete them first."
    )
    assert count_rows(Exhibitor) == 1
    (_ident, action, _fields, before, after) = trail("exhibitors", quiet_id)[-1]
    assert (action, before["company"], after) == ("delete_exhibitor", "Quiet Co.", None)


def test_update_launch_keeps_it_within_the_expo_hours(app, organizer):
    from wuzhen_events.expo.services import update_launch

    conference = make_conference()
    launch = make_launch(make_exhibitor(conference), conference, product="AI anchor")
    later = datetime(2018, 11, 8, 14, 0, tzinfo=WUZHEN)

    update_launch(
        reload(launch),
        conference,
        actor=organizer,
        starts_at=later,
        ends_at=later + timedelta(minutes=45),
        product_zh="AI 主播",
    )
    with pytest.raises(ExpoError) as refused:
        update_launch(
            reload(launch),
            conference,
            actor=organizer,
            starts_at=EXPO_CLOSES,
            ends_at=EXPO_CLOSES + timedelta(hours=1),
        )

    launch = reload(launch)
    assert (launch.starts_at, launch.product_zh) == (later, "AI 主播")
    assert (refused.value.message, refused.value.field) == (
        "A launch must take place while the Expo is open.",
        "starts_at",
    )
    assert [entry[1] for entry in trail("product_launches", launch.id)] == [
        "schedule_launch",
        "update_launch",
    ]


def test_delete_launch_removes_it_and_records_it(app, organizer):
    from wuzhen_events.expo.services import delete_launch

    conference = make_conference()
    launch = make_launch(make_exhibitor(conference), conference, product="Gone")
    launch_id = launch.id

    delete_launch(reload(launch), actor=organizer)

    assert count_rows(ProductLaunch) == 0
    assert trail("product_launches", launch_id)[-1][1] == "delete_launch"
