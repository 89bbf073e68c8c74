"""The JSON API: every endpoint and filter, pagination, errors, CORS and query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests import factories
from tests.factories import utc
from tests.worlds import LAST_CHANGE
from wuzhen_events.expo.enums import Sector
from wuzhen_events.expo.models import ProductLaunch
from wuzhen_events.extensions import db
from wuzhen_events.program.enums import SessionKind, SpeakerRole
from wuzhen_events.program.models import ProgramSession

JSON = "application/json"


def ids(response) -> list[int]:
    return [row["id"] for row in response.json["data"]]


def slugs(response) -> list[str]:
    return [row["slug"] for row in response.json["data"]]


def error(status: int, code: str, message: str, field: str | None = None) -> dict:
    return {"error": {"status": status, "code": code, "message": message, "field": field}}


def venue_json(venue, **expected) -> dict:
    return {
        "id": venue.id,
        "slug": venue.slug,
        "building": "WIICEC",
        "building_zh": "",
        "hall": "Tong'an Hall",
        "hall_zh": "",
        "room_number": "217",
        "capacity": 400,
        "provenance": "inferred",
        "source_note": "",
        "source_note_zh": "",
        **expected,
    }


# --- conference and venues ---


def test_conference_answers_the_conference_with_both_time_forms(client, program):
    response = client.get("/api/v1/conference")

    assert response.status_code == 200
    assert response.mimetype == JSON
    assert response.json == {
        "data": {
            "slug": "wic2018",
            "name": "Fifth World Internet Conference",
            "name_zh": "第五届世界互联网大会",
            "edition": 5,
            "theme": "Creating a Digital World for Mutual Trust and Collective Governance",
            "theme_zh": "",
            "city": "Wuzhen",
            "city_zh": "",
            "venue_name": "Wuzhen Internet International Convention and Exhibition Center",
            "venue_name_zh": "",
            "timezone": "Asia/Shanghai",
            "starts_on": "2018-11-07",
            "ends_on": "2018-11-09",
            "expo_opens_at": "2018-11-06T09:30:00+08:00",
            "expo_opens_at_utc": "2018-11-06T01:30:00Z",
            "expo_closes_at": "2018-11-10T12:00:00+08:00",
            "expo_closes_at_utc": "2018-11-10T04:00:00Z",
            "days": ["2018-11-06", "2018-11-07", "2018-11-08", "2018-11-09", "2018-11-10"],
            "expo_days": ["2018-11-06", "2018-11-07", "2018-11-08", "2018-11-09", "2018-11-10"],
            "invited_delegates": 1500,
            "countries_and_regions": 76,
            "enterprises_confirmed": 0,
            "organisers": [],
            "updated_at": "2018-11-01T12:00:00+08:00",
            "updated_at_utc": "2018-11-01T04:00:00Z",
            "url": "http://localhost/",
            "schedule_json_url": "http://localhost/schedule.json",
            "schedule_xml_url": "http://localhost/schedule.xml",
        }
    }


def test_conference_is_not_found_before_one_is_published(client):
    response = client.get("/api/v1/conference")

    assert response.status_code == 404
    assert response.json == error(404, "not_found", "No conference has been published yet.")


def test_venues_are_listed_by_building_and_hall(client, program):
    response = client.get("/api/v1/venues")

    assert response.status_code == 200
    assert response.json == {
        "data": [
            venue_json(program.venues["tongan"]),
            venue_json(
                program.venues["wuzhen"],
                building_zh="乌镇互联网国际会展中心",
                hall="Wuzhen Hall",
                hall_zh="乌镇厅",
                room_number="",
                capacity=3000,
                provenance="sourced",
            ),
        ],
        "meta": {"total": 2, "page": 1, "per_page": 20, "pages": 1},
    }


# --- subforums ---


def test_subforums_come_in_program_order_with_seats_left(client, program):
    response = client.get("/api/v1/subforums")

    assert slugs(response) == ["ai-forum", "fintech-forum"]
    ai, fintech = response.json["data"]
    assert ai == {
        "id": program.subforums["ai"].id,
        "slug": "ai-forum",
        "title": "AI Forum",
        "title_zh": "人工智能论坛",
        "description": "Artificial intelligence.",
        "description_zh": "",
        "host_organisations": ["Zhejiang University"],
        "host_organisations_zh": ["浙江大学"],
        "venue": venue_json(program.venues["tongan"]),
        "topics": [{"slug": "ai", "name": "Artificial intelligence", "name_zh": "人工智能"}],
        "capacity": 100,
        "seats_taken": 30,
        "seats_left": 70,
        "is_full": False,
        "starts_at": "2018-11-08T08:30:00+08:00",
        "starts_at_utc": "2018-11-08T00:30:00Z",
        "ends_at": "2018-11-08T10:05:00+08:00",
        "ends_at_utc": "2018-11-08T02:05:00Z",
        "session_count": 1,
        "provenance": "sourced",
        "source_note": "",
        "source_note_zh": "",
        "updated_at": "2018-11-01T12:00:00+08:00",
        "updated_at_utc": "2018-11-01T04:00:00Z",
        "url": "http://localhost/subforums/ai-forum/",
        "api_url": "http://localhost/api/v1/subforums/ai-forum",
    }
    assert (fintech["seats_left"], fintech["provenance"]) == (50, "demo")


def test_a_subforum_without_sessions_lists_last_with_no_times(client, program):
    factories.make_subforum(program.conference, slug="aaa-forum", title="AAA Forum", capacity=0)

    response = client.get("/api/v1/subforums")

    assert slugs(response) == ["ai-forum", "fintech-forum", "aaa-forum"]
    last = response.json["data"][2]
    assert (last["starts_at"], last["ends_at_utc"], last["is_full"]) == (None, None, True)
    assert (last["session_count"], last["venue"]) == (0, None)


def test_subforum_detail_holds_its_public_sessions(client, program):
    response = client.get("/api/v1/subforums/ai-forum")

    assert response.status_code == 200
    assert response.json["data"]["seats_left"] == 70
    assert [s["title"] for s in response.json["data"]["sessions"]] == ["AI keynotes"]


@pytest.mark.parametrize(
    "path", ["/api/v1/subforums/no-such-forum", "/api/v1/subforums/Not_A_Slug"], ids=str
)
def test_unknown_subforums_are_not_found_in_the_error_shape(client, program, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert response.json["error"]["status"] == 404


# --- sessions ---


def test_sessions_are_public_ones_in_program_order_cancelled_included(client, program):
    response = client.get("/api/v1/sessions")

    s = program.sessions
    assert ids(response) == [s["opening"].id, s["keynotes"].id, s["panel"].id, s["closing"].id]
    assert [row["status"] for row in response.json["data"]] == [
        "scheduled",
        "scheduled",
        "scheduled",
        "cancelled",
    ]
    assert response.json["meta"] == {"total": 4, "page": 1, "per_page": 20, "pages": 1}


def test_one_session_answers_every_field(client, program):
    keynotes = program.sessions["keynotes"]
    ai, ada, yang = program.subforums["ai"], program.speakers["ada"], program.speakers["yang"]

    response = client.get(f"/api/v1/sessions/{keynotes.id}")

    assert response.status_code == 200
    assert response.json == {
        "data": {
            "id": keynotes.id,
            "title": "AI keynotes",
            "title_zh": "人工智能主旨演讲",
            "kind": "subforum_session",
            "kind_label": "Subforum session",
            "kind_label_zh": "分论坛活动",
            "status": "scheduled",
            "abstract": "",
            "abstract_zh": "",
            "day": "2018-11-08",
            "starts_at": "2018-11-08T08:30:00+08:00",
            "starts_at_utc": "2018-11-08T00:30:00Z",
            "ends_at": "2018-11-08T10:05:00+08:00",
            "ends_at_utc": "2018-11-08T02:05:00Z",
            "duration_minutes": 95,
            "venue": venue_json(program.venues["tongan"]),
            "subforum": {
                "id": ai.id,
                "slug": "ai-forum",
                "title": "AI Forum",
                "title_zh": "人工智能论坛",
                "url": "http://localhost/subforums/ai-forum/",
                "api_url": "http://localhost/api/v1/subforums/ai-forum",
            },
            "topics": [],
            "speakers": [
                {
                    "id": ada.id,
                    "slug": "ada-li",
                    "name": "Ada Li",
                    "name_zh": "",
                    "role": "speaker",
                    "role_label": "Speaker",
                    "role_label_zh": "演讲嘉宾",
                    "url": "http://localhost/speakers/ada-li/",
                    "api_url": "http://localhost/api/v1/speakers/ada-li",
                },
                {
                    "id": yang.id,
                    "slug": "yang-rui",
                    "name": "Yang Rui",
                    "name_zh": "",
                    "role": "moderator",
                    "role_label": "Moderator",
                    "role_label_zh": "对话主持人",
                    "url": "http://localhost/speakers/yang-rui/",
                    "api_url": "http://localhost/api/v1/speakers/yang-rui",
                },
            ],
            "sequence": 0,
            "provenance": "demo",
            "source_note": "Invented for the demo.",
            "source_note_zh": "为本演示虚构。",
            "updated_at": "2018-11-01T12:00:00+08:00",
            "updated_at_utc": "2018-11-01T04:00:00Z",
            "url": f"http://localhost/sessions/{keynotes.id}/",
            "api_url": f"http://localhost/api/v1/sessions/{keynotes.id}",
        }
    }


def test_a_private_session_is_not_found(client, program):
    dinner = program.sessions["dinner"]

    response = client.get(f"/api/v1/sessions/{dinner.id}")

    assert response.status_code == 404
    assert response.json == error(404, "not_found", f"No public session has the id {dinner.id}.")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("day=2018-11-07", ["opening"]),
        ("day=2018-11-08", ["keynotes", "panel"]),
        ("day=2018-11-06", []),
        ("subforum=ai-forum", ["keynotes"]),
        ("subforum=fintech-forum&day=2018-11-08", ["panel"]),
        ("topic=ai", ["keynotes"]),  # through its subforum's topics
        ("topic=fintech", ["panel"]),  # its own topic
        ("topic=unused", []),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_session_filters(client, program, query, expected):
    response = client.get(f"/api/v1/sessions?{query}")

    assert response.status_code == 200
    assert ids(response) == [program.sessions[name].id for name in expected]


def test_updated_since_keeps_sessions_changed_at_or_after_the_instant(client, program):
    panel = program.sessions["panel"]
    db.session.execute(
        sa.update(ProgramSession)
        .where(ProgramSession.id == panel.id)
        .values(updated_at=LAST_CHANGE + timedelta(hours=2))
    )
    db.session.commit()

    # 14:00 in Wuzhen is 06:00 UTC: exactly the panel's change.
    response = client.get("/api/v1/sessions?updated_since=2018-11-01T14:00:00%2B08:00")
    unencoded_plus = client.get("/api/v1/sessions?updated_since=2018-11-01T14:00:00+08:00")
    in_utc = client.get("/api/v1/sessions?updated_since=2018-11-01T06:00:00.5Z")
    everything = client.get("/api/v1/sessions?updated_since=2018-11-01T03:59:59Z")

    assert ids(response) == [panel.id]
    assert ids(unencoded_plus) == [panel.id]
    assert ids(in_utc) == []
    assert len(ids(everything)) == 4


def test_updated_since_at_the_edges_of_the_calendar_is_not_a_failure(client, program):
    earliest = client.get("/api/v1/sessions?updated_since=0001-01-01T00:00:00%2B08:00")
    latest = client.get("/api/v1/sessions?updated_since=9999-12-31T23:59:59-08:00")

    assert (earliest.status_code, len(ids(earliest))) == (200, 4)
    assert (latest.status_code, ids(latest)) == (200, [])


# --- speakers ---


def test_speakers_by_name_with_their_public_appearances(client, program):
    response = client.get("/api/v1/speakers")

    assert slugs(response) == ["ada-li", "pony-ma", "yang-rui"]
    pony = response.json["data"][1]
    opening, panel = program.sessions["opening"], program.sessions["panel"]
    assert [appearance["session"]["id"] for appearance in pony["appearances"]] == [
        opening.id,
        panel.id,
    ]
    assert pony["appearances"][0] == {
        "role": "speaker",
        "role_label": "Speaker",
        "role_label_zh": "演讲嘉宾",
        "session": {
            "id": opening.id,
            "title": "Opening ceremony",
            "title_zh": "开幕式",
            "kind": "ceremony",
            "status": "scheduled",
            "starts_at": "2018-11-07T10:30:00+08:00",
            "starts_at_utc": "2018-11-07T02:30:00Z",
            "ends_at": "2018-11-07T11:30:00+08:00",
            "ends_at_utc": "2018-11-07T03:30:00Z",
            "url": f"http://localhost/sessions/{opening.id}/",
            "api_url": f"http://localhost/api/v1/sessions/{opening.id}",
        },
    }
    assert (pony["country"], pony["affiliation_zh"], pony["title"]) == (
        "CN",
        "腾讯",
        "Chairman and CEO",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [("q=pony", ["pony-ma"]), ("q=马化", ["pony-ma"]), ("q=university", ["ada-li"]), ("q=%25", [])],
    ids=["name", "chinese-name", "affiliation", "like-wildcard"],
)
def test_speaker_search(client, program, query, expected):
    assert slugs(client.get(f"/api/v1/speakers?{query}")) == expected


def test_speaker_detail_and_unknown_speaker(client, program):
    found = client.get("/api/v1/speakers/yang-rui")
    missing = client.get("/api/v1/speakers/nobody")

    assert found.json["data"]["appearances"][0]["role"] == "moderator"
    assert missing.status_code == 404
    assert missing.json == error(404, "not_found", "No speaker has the slug nobody.")


# --- exhibitors and launches ---


def test_exhibitors_by_company_with_their_launches(client, program):
    response = client.get("/api/v1/exhibitors")

    assert slugs(response) == ["nokia", "quiet-co", "sogou"]
    nokia, _quiet, sogou = response.json["data"]
    assert nokia["website"] is None  # a javascript: address is never handed out
    assert sogou == {
        "id": program.exhibitors["sogou"].id,
        "slug": "sogou",
        "company": "Sogou",
        "company_zh": "搜狗",
        "sector": "artificial-intelligence",
        "sector_label": "Artificial intelligence",
        "sector_label_zh": "人工智能",
        "country": "CN",
        "hall": "1",
        "booth": "A101",
        "website": "https://www.sogou.com",
        "description": "",
        "description_zh": "",
        "launches": [
            {
                "id": program.launches["anchor"].id,
                "product": "AI news anchor",
                "product_zh": "AI合成主播",
                "description": "",
                "description_zh": "",
                "day": "2018-11-07",
                "starts_at": "2018-11-07T10:00:00+08:00",
                "starts_at_utc": "2018-11-07T02:00:00Z",
                "ends_at": "2018-11-07T10:30:00+08:00",
                "ends_at_utc": "2018-11-07T02:30:00Z",
                "stage": "Sogou booth",
                "stage_zh": "搜狗展台",
                "provenance": "sourced",
                "source_note": "",
                "source_note_zh": "",
                "updated_at": "2018-11-01T12:00:00+08:00",
                "updated_at_utc": "2018-11-01T04:00:00Z",
                "url": "http://localhost/expo/launches/?day=2018-11-07",
            }
        ],
        "provenance": "sourced",
        "source_note": "",
        "source_note_zh": "",
        "updated_at": "2018-11-01T12:00:00+08:00",
        "updated_at_utc": "2018-11-01T04:00:00Z",
        "url": "http://localhost/expo/sogou/",
        "api_url": "http://localhost/api/v1/exhibitors/sogou",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=sog", ["sogou"]),
        ("q=搜狗", ["sogou"]),
        ("q=base+station", ["nokia"]),  # a product name finds its exhibitor
        (f"sector={Sector.TELECOM_5G.value}", ["nokia"]),
        ("hall=2", ["nokia", "quiet-co"]),
        ("country=CN", ["quiet-co", "sogou"]),
        ("launches=1", ["nokia", "sogou"]),
        ("launches=0", ["nokia", "quiet-co", "sogou"]),
        ("hall=2&launches=1", ["nokia"]),
        ("q=nothing-matches", []),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_exhibitor_search_and_filters(client, program, query, expected):
    response = client.get(f"/api/v1/exhibitors?{query}")

    assert response.status_code == 200
    assert slugs(response) == expected
    assert response.json["meta"]["total"] == len(expected)


def test_exhibitor_detail_and_unknown_exhibitor(client, program):
    found = client.get("/api/v1/exhibitors/nokia")
    missing = client.get("/api/v1/exhibitors/nobody")

    assert [launch["product"] for launch in found.json["data"]["launches"]] == ["5G base station"]
    assert missing.json == error(404, "not_found", "No exhibitor has the slug nobody.")


def test_launches_by_start_with_their_exhibitor(client, program):
    response = client.get("/api/v1/launches")

    anchor, station = program.launches["anchor"], program.launches["base-station"]
    assert ids(response) == [anchor.id, station.id]
    assert response.json["data"][1]["exhibitor"] == {
        "id": program.exhibitors["nokia"].id,
        "slug": "nokia",
        "company": "Nokia",
        "company_zh": "",
        "hall": "2",
        "booth": "B01",
        "url": "http://localhost/expo/nokia/",
        "api_url": "http://localhost/api/v1/exhibitors/nokia",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("day=2018-11-07", ["anchor"]),
        ("day=2018-11-08&stage=Launch+Stage+A", ["base-station"]),
        ("stage=Sogou+booth", ["anchor"]),
        ("day=2018-11-10", []),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_launch_filters(client, program, query, expected):
    response = client.get(f"/api/v1/launches?{query}")

    assert response.status_code == 200
    assert ids(response) == [program.launches[name].id for name in expected]


# --- filters: an empty value is no filter; a value nothing has lists nothing ---

EMPTY_FILTERS = {
    "/api/v1/sessions": "day=&subforum=&topic=&updated_since=",
    "/api/v1/exhibitors": "q=&sector=&hall=&country=&launches=",
    "/api/v1/launches": "day=&stage=",
}


@pytest.mark.parametrize(("path", "query"), EMPTY_FILTERS.items(), ids=list(EMPTY_FILTERS))
def test_an_empty_filter_is_the_same_as_none(client, program, path, query):
    """As an HTML form sends it: every field, the unused ones empty."""
    response = client.get(f"{path}?{query}")

    assert response.status_code == 200
    assert response.json["meta"]["total"] == LIST_TOTALS[path]
    assert response.json["data"] == client.get(path).json["data"]


UNMATCHED = [
    "/api/v1/sessions?day=2019-11-08",
    "/api/v1/sessions?day=0001-01-01",
    "/api/v1/sessions?day=9999-12-31",
    "/api/v1/sessions?subforum=nope",
    "/api/v1/sessions?topic=nope",
    "/api/v1/sessions?topic=ai&subforum=fintech-forum",
    "/api/v1/exhibitors?hall=9",
    "/api/v1/exhibitors?hall=Hall+1",
    "/api/v1/exhibitors?country=ZZ",
    "/api/v1/launches?day=2018-11-11",
    "/api/v1/launches?day=9999-12-31",
    "/api/v1/launches?stage=Main",
]


@pytest.mark.parametrize("url", UNMATCHED, ids=str)
def test_a_well_formed_value_nothing_has_lists_nothing(client, program, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response.json == {
        "data": [],
        "meta": {"total": 0, "page": 1, "per_page": 20, "pages": 1},
    }


# --- pagination ---


def test_pages_carry_totals_and_rfc_8288_links_keeping_the_filters(client, program):
    response = client.get("/api/v1/speakers?q=a&per_page=1&page=2")

    assert slugs(response) == ["pony-ma"]
    assert response.json["meta"] == {"total": 3, "page": 2, "per_page": 1, "pages": 3}
    base = "http://localhost/api/v1/speakers?q=a"
    assert response.headers["Link"] == (
        f'<{base}&page=1&per_page=1>; rel="first", '
        f'<{base}&page=1&per_page=1>; rel="prev", '
        f'<{base}&page=3&per_page=1>; rel="next", '
        f'<{base}&page=3&per_page=1>; rel="last"'
    )


def test_the_first_and_last_pages_have_no_prev_or_next(client, program):
    first = client.get("/api/v1/sessions?per_page=2")
    last = client.get("/api/v1/sessions?per_page=2&page=2")

    base = "http://localhost/api/v1/sessions"
    assert first.headers["Link"] == (
        f'<{base}?page=1&per_page=2>; rel="first", '
        f'<{base}?page=2&per_page=2>; rel="next", '
        f'<{base}?page=2&per_page=2>; rel="last"'
    )
    assert last.headers["Link"] == (
        f'<{base}?page=1&per_page=2>; rel="first", '
        f'<{base}?page=1&per_page=2>; rel="prev", '
        f'<{base}?page=2&per_page=2>; rel="last"'
    )


LIST_TOTALS = {
    "/api/v1/venues": 2,
    "/api/v1/subforums": 2,
    "/api/v1/sessions": 4,
    "/api/v1/speakers": 3,
    "/api/v1/exhibitors": 3,
    "/api/v1/launches": 2,
}


@pytest.mark.parametrize(("path", "total"), LIST_TOTALS.items(), ids=list(LIST_TOTALS))
def test_the_page_after_the_last_is_empty_so_paging_until_empty_stops(client, program, path, total):
    last = client.get(f"{path}?per_page=1&page={total}")
    after = client.get(f"{path}?per_page=1&page={total + 1}")

    assert (last.status_code, len(last.json["data"])) == (200, 1)
    assert after.status_code == 200
    assert after.json == {
        "data": [],
        "meta": {"total": total, "page": total + 1, "per_page": 1, "pages": total},
    }
    base = f"http://localhost{path}"
    assert after.headers["Link"] == (
        f'<{base}?page=1&per_page=1>; rel="first", '
        f'<{base}?page={total}&per_page=1>; rel="prev", '
        f'<{base}?page={total}&per_page=1>; rel="last"'
    )


@pytest.mark.parametrize("path", list(LIST_TOTALS), ids=list(LIST_TOTALS))
def test_a_page_far_past_the_end_is_empty_and_keeps_the_filters(client, program, path):
    response = client.get(f"{path}?per_page=2&page=99999")

    assert response.status_code == 200
    assert response.json["data"] == []
    assert response.json["meta"]["page"] == 99999
    assert 'rel="next"' not in response.headers["Link"]


@pytest.mark.parametrize("query", ["chehade", "CHEHADE", "Chehadé", "切哈德"], ids=str)
def test_speaker_search_ignores_accents_and_case(client, program, query):
    factories.make_speaker(slug="fadi-chehade", name="Fadi Chehadé", name_zh="法迪·切哈德")

    response = client.get(f"/api/v1/speakers?q={query}")

    assert slugs(response) == ["fadi-chehade"]


@pytest.mark.parametrize("query", ["societe", "SOCIETE", "Société", "数字社会"], ids=str)
def test_exhibitor_search_ignores_accents_and_case(client, program, query):
    factories.make_exhibitor(
        program.conference,
        slug="societe-numerique",
        company="Société Numérique",
        company_zh="数字社会",
    )

    response = client.get(f"/api/v1/exhibitors?q={query}")

    assert slugs(response) == ["societe-numerique"]


def test_a_search_past_its_last_page_is_empty(client, program):
    response = client.get("/api/v1/exhibitors?q=nokia&page=2")

    assert response.json == {
        "data": [],
        "meta": {"total": 1, "page": 2, "per_page": 20, "pages": 1},
    }


def test_an_empty_list_has_one_empty_page(client, program):
    response = client.get("/api/v1/sessions?day=2018-11-10")

    assert response.json == {
        "data": [],
        "meta": {"total": 0, "page": 1, "per_page": 20, "pages": 1},
    }
    assert 'rel="last"' in response.headers["Link"]


# --- invalid parameters ---

INVALID = [
    ("/api/v1/sessions?page=0", "page", "page is a whole number from 1 to 100000."),
    ("/api/v1/sessions?page=abc", "page", "page is a whole number from 1 to 100000."),
    ("/api/v1/sessions?page=" + "9" * 5000, "page", "page is a whole number from 1 to 100000."),
    ("/api/v1/venues?page=100001", "page", "page is a whole number from 1 to 100000."),
    ("/api/v1/venues?per_page=101", "per_page", "per_page is a whole number from 1 to 100."),
    ("/api/v1/venues?per_page=-1", "per_page", "per_page is a whole number from 1 to 100."),
    ("/api/v1/sessions?page=1&page=2", "page", "Give page at most once."),
    (
        "/api/v1/sessions?day=2018-02-30",
        "day",
        "day is a date written YYYY-MM-DD (the schedule's days: 2018-11-06 to 2018-11-10).",
    ),
    (
        "/api/v1/sessions?day=20181108",
        "day",
        "day is a date written YYYY-MM-DD (the schedule's days: 2018-11-06 to 2018-11-10).",
    ),
    (
        "/api/v1/sessions?subforum=%00",
        "subforum",
        "subforum is a slug: 1 to 120 lower-case letters, digits and single hyphens.",
    ),
    (
        "/api/v1/sessions?topic=AI",
        "topic",
        "topic is a slug: 1 to 120 lower-case letters, digits and single hyphens.",
    ),
    (
        "/api/v1/sessions?updated_since=2018-11-01",
        "updated_since",
        "updated_since is a date and time with a UTC offset, e.g. 2018-11-08T09:00:00+08:00.",
    ),
    (
        "/api/v1/sessions?updated_since=2018-11-01T10:00:00",
        "updated_since",
        "updated_since is a date and time with a UTC offset, e.g. 2018-11-08T09:00:00+08:00.",
    ),
    (
        "/api/v1/sessions?updated_since=2018-11-01T25:00:00Z",
        "updated_since",
        "updated_since is a date and time with a UTC offset, e.g. 2018-11-08T09:00:00+08:00.",
    ),
    ("/api/v1/speakers?q=" + "x" * 201, "q", "q is at most 200 characters."),
    # The limit is on the value as sent, even when control characters would be dropped.
    ("/api/v1/speakers?q=" + "x" * 199 + "%00%1A", "q", "q is at most 200 characters."),
    ("/api/v1/exhibitors?q=" + "x" * 201, "q", "Search for at most 200 characters."),
    ("/api/v1/exhibitors?sector=nope", "sector", "Choose a sector from the list."),
    (
        "/api/v1/exhibitors?hall=" + "9" * 21,
        "hall",
        "hall is at most 20 characters, with no control characters.",
    ),
    (
        "/api/v1/exhibitors?hall=1%0A",
        "hall",
        "hall is at most 20 characters, with no control characters.",
    ),
    (
        "/api/v1/exhibitors?country=cn",
        "country",
        "country is a two-letter ISO 3166 code in capitals, e.g. CN.",
    ),
    (
        "/api/v1/exhibitors?country=CHN",
        "country",
        "country is a two-letter ISO 3166 code in capitals, e.g. CN.",
    ),
    ("/api/v1/exhibitors?launches=yes", "launches", "This box can only be ticked or left empty."),
    ("/api/v1/exhibitors?hall=1&hall=2", "hall", "Give hall at most once."),
    (
        "/api/v1/launches?day=11/11/2018",
        "day",
        "day is a date written YYYY-MM-DD (the schedule's days: 2018-11-06 to 2018-11-10).",
    ),
    (
        "/api/v1/launches?stage=%00",
        "stage",
        "stage is at most 120 characters, with no control characters.",
    ),
    (
        "/api/v1/launches?stage=" + "x" * 121,
        "stage",
        "stage is at most 120 characters, with no control characters.",
    ),
]


@pytest.mark.parametrize(("url", "field", "message"), INVALID, ids=[i[0][:60] for i in INVALID])
def test_invalid_parameters_answer_400_naming_the_field(client, program, url, field, message):
    response = client.get(url)

    assert response.status_code == 400
    assert response.mimetype == JSON
    assert response.json == error(400, "invalid_parameter", message, field)


def test_error_messages_follow_the_clients_language(client, program):
    response = client.get("/api/v1/exhibitors?sector=nope", headers={"Accept-Language": "zh"})

    assert response.json["error"]["field"] == "sector"
    assert response.json["error"]["message"] == "请从列表中选择领域。"


def test_labels_do_not_follow_the_clients_language(client, program):
    opening = program.sessions["opening"]

    response = client.get(f"/api/v1/sessions/{opening.id}", headers={"Accept-Language": "zh"})

    assert (response.json["data"]["kind_label"], response.json["data"]["kind_label_zh"]) == (
        "Ceremony",
        "仪式",
    )


# --- errors outside the views, CORS ---


def test_unknown_api_addresses_answer_the_error_shape(client, program):
    response = client.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.json == error(404, "not_found", "Nothing is found at this address.")


@pytest.mark.parametrize("path", ["/api/v1/sessions", "/api/v1/conference", "/api/v1/openapi.json"])
def test_a_foreign_host_answers_400_in_the_error_shape(client, program, path):
    """Every answer holds absolute links made from the host."""
    response = client.get(path, headers={"Host": "evil.example"})

    assert response.status_code == 400
    assert response.json == error(400, "bad_request", "The request could not be understood.")


def test_a_write_method_answers_405_in_the_error_shape_with_allow(client, program):
    response = client.post("/api/v1/sessions", data={"title": "x"})

    assert response.status_code == 405
    assert response.json == error(
        405, "method_not_allowed", "This address only answers GET, HEAD and OPTIONS requests."
    )
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_a_write_method_answers_405_even_with_csrf_protection_on(empty_database_url):
    from tests.helpers.apps import make_app

    protected = make_app(empty_database_url, WTF_CSRF_ENABLED=True)

    response = protected.test_client().post("/api/v1/venues")

    assert response.status_code == 405
    assert response.json["error"]["code"] == "method_not_allowed"


def test_a_server_error_answers_500_in_the_error_shape(app, client):
    def broken():
        raise RuntimeError("boom")

    app.add_url_rule("/api/v1/broken", "broken", broken)

    response = client.get("/api/v1/broken")

    assert response.status_code == 500
    assert response.json == error(
        500, "server_error", "The server could not complete this request."
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [
        ("application/json", JSON),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html"),
        ("*/*", "text/html"),
        (None, "text/html"),
    ],
    ids=["json", "browser", "anything", "no-accept"],
)
def test_html_pages_answer_json_errors_to_json_clients(client, accept, mimetype):
    headers = {"Accept": accept} if accept else {}

    response = client.get("/no-such-page/", headers=headers)

    assert (response.status_code, response.mimetype) == (404, mimetype)
    if mimetype == JSON:
        assert response.json == error(404, "not_found", "Nothing is found at this address.")


@pytest.mark.parametrize(
    "path", ["/api/v1/sessions", "/api/v1/nothing-here", "/schedule.json", "/schedule.xml"]
)
def test_cors_lets_any_page_read(client, program, path):
    response = client.get(path)

    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Expose-Headers"] == "Link, ETag, Last-Modified"


@pytest.mark.parametrize("path", ["/api/v1/sessions", "/api/v1/sessions/1", "/schedule.xml"])
def test_cors_preflight_for_get_is_answered(client, program, path):
    response = client.options(
        path,
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response.headers["Access-Control-Allow-Headers"] == (
        "Accept, Accept-Language, If-None-Match, If-Modified-Since"
    )
    assert response.headers["Access-Control-Max-Age"] == "86400"


def test_pages_of_the_site_get_no_cors_headers(client, program):
    assert "Access-Control-Allow-Origin" not in client.get("/program/").headers


# --- demo conference ---


def test_the_demo_conference_through_the_api(demo_client):
    counts = {
        path: demo_client.get(f"/api/v1/{path}?per_page=1").json["meta"]["total"]
        for path in ("sessions", "subforums", "exhibitors", "launches", "speakers", "venues")
    }

    assert counts == {
        "sessions": 48,
        "subforums": 19,
        "exhibitors": 424,
        "launches": 151,
        "speakers": 60,
        "venues": 11,
    }


def test_demo_sessions_of_one_day_and_one_subforum(demo_client):
    day = demo_client.get("/api/v1/sessions?day=2018-11-09&per_page=100")
    subforum = demo_client.get("/api/v1/sessions?subforum=5g-era")

    assert day.json["meta"]["total"] == 13
    assert [row["title"] for row in subforum.json["data"]] == [
        "Opening and keynote speeches",
        "Panel discussion",
    ]
    assert [row["starts_at"] for row in subforum.json["data"]] == [
        "2018-11-09T08:00:00+08:00",
        "2018-11-09T09:15:00+08:00",
    ]


def test_demo_exhibitors_filtered_as_the_expo_directory(demo_client):
    launching = db.session.scalar(sa.select(sa.func.count(sa.distinct(ProductLaunch.exhibitor_id))))

    response = demo_client.get("/api/v1/exhibitors?launches=1&hall=3&per_page=100")
    everyone = demo_client.get("/api/v1/exhibitors?launches=1&per_page=100&page=2")

    assert everyone.json["meta"] == {"total": launching, "page": 2, "per_page": 100, "pages": 2}
    assert {row["hall"] for row in response.json["data"]} == {"3"}
    assert all(row["launches"] for row in response.json["data"])


# --- query counts ---


def grow(program, first: int, count: int) -> None:
    """Per number: a venue, a subforum there, a speaker, a session with both, a launch."""
    conference = program.conference
    for number in range(first, first + count):
        venue = factories.make_venue(slug=f"extra-hall-{number}", capacity=500)
        subforum = factories.make_subforum(
            conference,
            slug=f"extra-forum-{number}",
            venue=venue,
            topics=[program.topics["fintech"]],
        )
        speaker = factories.make_speaker(slug=f"extra-speaker-{number}", name=f"Extra {number}")
        factories.make_session(
            conference,
            kind=SessionKind.PANEL,
            starts_at=utc(8, 8) + timedelta(minutes=number),
            venue=venue,
            subforum=program.subforums["ai"] if number % 2 else subforum,
            topics=[program.topics["fintech"]],
            speakers=[(speaker, SpeakerRole.SPEAKER), (program.speakers["yang"], SpeakerRole.HOST)],
        )
        exhibitor = factories.make_exhibitor(
            conference, slug=f"extra-{number}", company=f"Extra {number}", booth=f"X{number}"
        )
        factories.make_launch(
            exhibitor, conference, starts_at=utc(9, 2) + timedelta(minutes=number)
        )


LISTS = [
    "/api/v1/sessions?per_page=100",
    "/api/v1/sessions?per_page=100&day=2018-11-08&subforum=ai-forum&topic=fintech",
    "/api/v1/sessions?per_page=100&updated_since=2018-11-02T00:00:00Z",
    "/api/v1/subforums?per_page=100",
    "/api/v1/speakers?per_page=100",
    "/api/v1/venues?per_page=100",
    "/api/v1/exhibitors?per_page=100&launches=1",
    "/api/v1/launches?per_page=100&day=2018-11-09",
]


def count_list_queries(client, query_counter, path) -> tuple[int, int]:
    db.session.expire_all()
    with query_counter(db.engine) as log:
        response = client.get(path)
    assert response.status_code == 200
    return log.count, len(response.json["data"])


@pytest.mark.parametrize("path", LISTS)
def test_list_query_counts_do_not_grow_with_rows(client, program, query_counter, path):
    grow(program, 0, 5)
    small, small_rows = count_list_queries(client, query_counter, path)
    grow(program, 5, 45)
    large, large_rows = count_list_queries(client, query_counter, path)

    assert large_rows > small_rows
    assert large == small


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/api/v1/sessions", 8),
        ("/api/v1/sessions?subforum=fintech-forum&topic=fintech", 8),
        ("/api/v1/subforums", 6),
        ("/api/v1/speakers", 5),
        ("/api/v1/venues", 2),
        ("/api/v1/exhibitors", 4),
        ("/api/v1/launches", 3),
    ],
)
def test_list_query_counts(client, program, query_counter, path, queries):
    assert count_list_queries(client, query_counter, path)[0] == queries


# --- hostile input ---

HOSTILE_QUERIES = [
    "day=banana",
    "day=2018-02-30",
    "page=-1",
    "page=" + "9" * 5000,
    "per_page=1e3",
    "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "q=" + "x" * 10_000,
    "q=%00",
    "q=%25%27%22%3B--",
    "topic=%3Cscript%3E&subforum=..%2F..%2Fetc",
    "sector=nope&hall=%3Cb%3E&country=ZZZ&launches=maybe&stage=%00",
    "hall=%FF%FE&stage=%ED%A0%80",
    "updated_since=" + "2018-11-01T00:00:00 " * 500,
    "updated_since=%00",
    "day=2018-11-08&day=2018-11-09",
]
API_LISTS = ["/api/v1/sessions", "/api/v1/speakers", "/api/v1/exhibitors", "/api/v1/launches"]


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=[q[:40] for q in HOSTILE_QUERIES])
@pytest.mark.parametrize("path", API_LISTS)
def test_hostile_queries_get_an_answer_not_a_failure(demo_client, path, query):
    response = demo_client.get(f"{path}?{query}")

    assert response.status_code in {200, 400}, response.status_code
    assert response.mimetype == JSON
    assert "<script>" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/sessions/0",
        "/api/v1/sessions/2147483648",
        "/api/v1/sessions/-1",
        "/api/v1/subforums/" + "a" * 5000,
        "/api/v1/speakers/%00",
        "/api/v1/exhibitors/%3Cscript%3E",
        "/api/v1/exhibitors/..%2F..%2Fetc%2Fpasswd",
        "/api/v2/sessions",
    ],
    ids=lambda path: path[:40],
)
def test_hostile_paths_are_not_found_in_the_error_shape(demo_client, path):
    response = demo_client.get(path)

    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
