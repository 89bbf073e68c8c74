"""The scanning page without JavaScript, its JSON, and the pages that manage doors and devices,
in English and Chinese."""

from __future__ import annotations

import hashlib
import hmac
import re

import pytest
import sqlalchemy as sa

from tests.factories import OPERATOR, count_rows, fresh, reload
from tests.helpers.accounts import log_in, make_account
from tests.helpers.checkin import code_of, nonce, offline_conflict, person
from wuzhen_events.accounts.enums import Role
from wuzhen_events.checkin import services
from wuzhen_events.checkin.enums import DoorKind
from wuzhen_events.checkin.models import Door, Scan, ScannerDevice
from wuzhen_events.extensions import db
from wuzhen_events.registration import services as registration


def door_url(door, suffix: str = "") -> str:
    return f"/dashboard/checkin/doors/{door.id}/{suffix}"


def page_nonce(html: str) -> str:
    return re.search(r'id="checkin-nonce"[^>]*value="([^"]+)"', html).group(1)


def answer_panel(html: str) -> str:
    section = re.search(r'<section id="checkin-answer"[^>]*>(.*?)</section>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", section).split())


@pytest.fixture
def staff(app, client, world):
    account = make_account(Role.CHECKIN_STAFF, name="Li Wei")
    services.assign_door_staff(fresh(world.entrance), [account], actor=OPERATOR)
    log_in(client, account)
    return account


def test_the_scanning_page_has_the_hooks_the_script_uses(client, world, staff):
    html = client.get(door_url(world.entrance)).get_data(as_text=True)

    assert f'data-door-id="{world.entrance.id}"' in html
    assert f'data-scans-url="/dashboard/checkin/doors/{world.entrance.id}/scans.json"' in html
    assert f'data-offline-url="/dashboard/checkin/doors/{world.entrance.id}/offline.json"' in html
    assert f'data-counts-url="/dashboard/checkin/doors/{world.entrance.id}/counts.json"' in html
    for hook in (
        'id="checkin-scan-form"',
        'id="checkin-code"',
        'id="checkin-nonce"',
        'id="checkin-device"',
        'name="direction" required type="radio" value="entry"',
        'name="direction" required type="radio" value="exit"',
        'id="checkin-answer"',
        'aria-live="assertive"',
        'id="checkin-counts"',
        'data-count="admitted"',
        'data-count="expected"',
        'id="checkin-search"',
        'id="checkin-history"',
    ):
        assert (hook, hook in html) == (hook, True)
    code_input = re.search(r'<input[^>]*id="checkin-code"[^>]*>', html).group(0)
    assert " autofocus " in code_input


def test_the_counts_name_seats_left_at_a_hall_door_only(client, world, staff):
    services.assign_door_staff(fresh(world.hall), [staff], actor=OPERATOR)

    entrance = client.get(door_url(world.entrance)).get_data(as_text=True)
    hall = client.get(door_url(world.hall)).get_data(as_text=True)

    assert "Seats left in the hall" not in entrance
    assert re.search(r'data-count="seats_left">(\d+)<', hall).group(1) == "2"


def test_only_the_scanning_page_may_use_the_camera(client, world, staff):
    scanning = client.get(door_url(world.entrance))
    listing = client.get("/dashboard/checkin/")

    assert scanning.headers["Permissions-Policy"] == "camera=(self), microphone=(), geolocation=()"
    assert listing.headers["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"


def test_a_typed_code_is_answered_admitted_with_names_and_seats(client, world, staff):
    delegate = person(world, "a@example.com", world.subforum, name="Ada Lovelace", name_zh="艾达")
    page = client.get(door_url(world.entrance)).get_data(as_text=True)

    response = client.post(
        door_url(world.entrance),
        data={"code": code_of(delegate), "direction": "entry", "nonce": page_nonce(page)},
    )

    assert response.status_code == 200
    assert answer_panel(response.get_data(as_text=True)) == (
        "ADMITTED Admitted. Ada Lovelace 艾达 Demo Networks · Enterprise "
        "Artificial Intelligence, Hall A, 10:00–11:00"
    )
    assert reload(delegate).checked_in_at is not None


def test_an_admission_in_chinese_lists_the_seats_with_chinese_commas(client, world, staff):
    delegate = person(world, "a@example.com", world.subforum, name="Ada Lovelace", name_zh="艾达")

    response = client.post(
        door_url(world.entrance),
        data={"code": code_of(delegate), "nonce": nonce(), "direction": "entry"},
        headers={"Accept-Language": "zh-CN"},
    )

    assert answer_panel(response.get_data(as_text=True)) == (
        "准许入场 准许入场。 Ada Lovelace 艾达 Demo Networks · 企业代表 人工智能，A厅，10:00–11:00"
    )


def test_a_second_scan_says_when_where_and_by_whom(client, world, staff):
    delegate = person(world, "a@example.com")
    client.post(
        door_url(world.entrance),
        data={"code": code_of(delegate), "nonce": nonce(), "direction": "entry"},
    )

    response = client.post(
        door_url(world.entrance),
        data={"code": code_of(delegate), "nonce": nonce(), "direction": "entry"},
    )

    assert answer_panel(response.get_data(as_text=True)).startswith(
        "REFUSED Already checked in at 09:12 at East Gate by Li Wei."
    )


def test_the_same_form_submitted_twice_records_once(client, world, staff):
    delegate = person(world, "a@example.com")
    form = {"code": code_of(delegate), "nonce": nonce(), "direction": "entry"}

    first = client.post(door_url(world.entrance), data=form)
    second = client.post(door_url(world.entrance), data=form)

    assert (first.status_code, second.status_code) == (200, 200)
    assert "This scan was recorded already" in second.get_data(as_text=True)
    assert count_rows(Scan) == 1


def test_a_refusal_is_red_and_in_words_in_chinese(client, world, staff):
    delegate = person(world, "a@example.com")
    registration.cancel_registration(fresh(delegate), actor=OPERATOR)

    response = client.post(
        door_url(world.entrance),
        data={"code": code_of(delegate), "nonce": nonce(), "direction": "entry"},
        headers={"Accept-Language": "zh-CN"},
    )

    html = response.get_data(as_text=True)
    assert 'class="checkin-answer is-refused"' in html
    assert answer_panel(html).startswith("拒绝入场 报名已取消：此胸卡不再有效。")


@pytest.mark.parametrize(
    "code", ["", "x" * 5000, "<script>alert(1)</script>"], ids=["empty", "huge", "script"]
)
def test_bad_codes_get_a_clear_422_and_change_nothing(client, world, staff, code):
    response = client.post(
        door_url(world.entrance), data={"code": code, "nonce": nonce(), "direction": "entry"}
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<script>alert" not in html
    assert count_rows(Scan) == 0


def test_search_is_empty_until_typed_and_admits_without_showing_a_code(client, world, staff):
    delegate = person(world, "a@example.com", name="Zhang Min", name_zh="张敏")
    empty = client.get(door_url(world.entrance)).get_data(as_text=True)
    one_letter = client.get(door_url(world.entrance) + "?q=Z").get_data(as_text=True)

    found = client.get(door_url(world.entrance) + "?q=张敏").get_data(as_text=True)

    assert "Zhang Min" not in empty
    assert "Zhang Min" not in one_letter.split('id="checkin-search"')[1]
    assert "Zhang Min" in found
    assert code_of(delegate) not in found
    admitted = client.post(
        door_url(world.entrance, "admit"),
        data={"delegate_id": delegate.id, "nonce": nonce(), "direction": "entry"},
    )
    assert answer_panel(admitted.get_data(as_text=True)).startswith("ADMITTED Admitted. Zhang Min")


def test_staff_reach_only_their_doors(client, world, staff):
    assert client.get(door_url(world.hall)).status_code == 404
    assert client.get(door_url(world.hall, "offline.json")).status_code == 404
    assert client.get("/dashboard/checkin/manage/doors/").status_code == 403
    listing = client.get("/dashboard/checkin/").get_data(as_text=True)
    assert "East Gate" in listing
    assert "Hall A door" not in listing


def test_a_host_scans_only_at_their_subforums_halls(app, world):
    host = make_account(Role.SUBFORUM_HOST, subforums=[world.subforum])
    client = app.test_client()
    log_in(client, host)

    assert client.get(door_url(world.hall)).status_code == 200
    assert client.get(door_url(world.entrance)).status_code == 404


def test_scans_json_records_answers_and_is_idempotent(client, world, staff):
    delegate = person(world, "a@example.com")
    body = {
        "code": f"WIC2018:{code_of(delegate)}",
        "nonce": nonce(),
        "direction": "entry",
        "device": "Phone 1",
        "offline": False,
        "offline_answer": None,
    }

    first = client.post(door_url(world.entrance, "scans.json"), json=body)
    again = client.post(door_url(world.entrance, "scans.json"), json=body)

    assert first.status_code == 201
    assert again.status_code == 200
    assert first.json == {
        "duplicate": False,
        "conflict": False,
        "answer": {
            "admitted": True,
            "reason": None,
            "message": "Admitted.",
            "delegate": {
                "name": delegate.name,
                "name_zh": "",
                "organisation": "Demo Networks",
                "category": "Enterprise",
            },
            "seats": [],
        },
        "counts": {"admitted": 1, "expected": 1, "seats_left": None},
    }
    assert again.json == {**first.json, "duplicate": True}
    assert count_rows(Scan) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("not json", None),
        ([1, 2], None),
        ({"nonce": "n" * 20}, "code"),
        ({"code": "A" * 43}, "nonce"),
        ({"code": "A" * 43, "nonce": "n" * 20, "direction": "sideways"}, "direction"),
        ({"code": "A" * 43, "nonce": "n" * 20, "offline": "yes"}, "offline"),
        ({"code": "A" * 43, "nonce": "n" * 20, "scanned_at": "yesterday"}, "scanned_at"),
        ({"code": "A" * 43, "nonce": "n" * 20, "scanned_at": "2018-11-07T09:00:00"}, "scanned_at"),
        ({"code": "<script>", "nonce": "n" * 20}, "code"),
        ({"code": "A" * 43, "nonce": "n" * 20, "extra": 1}, "extra"),
    ],
    ids=[
        "text",
        "array",
        "no-code",
        "no-nonce",
        "direction",
        "offline",
        "time",
        "naive",
        "script",
        "extra",
    ],
)
def test_scans_json_refuses_bad_bodies_with_400_and_records_nothing(
    client, world, staff, body, field
):
    url = door_url(world.entrance, "scans.json")
    if isinstance(body, str):
        response = client.post(url, data=body, content_type="application/json")
    else:
        response = client.post(url, json=body)

    assert response.status_code == 400
    assert response.json["error"]["field"] == field
    assert response.json["error"]["message"]
    assert count_rows(Scan) == 0


def test_counts_json(client, world, staff):
    person(world, "a@example.com")

    response = client.get(door_url(world.entrance, "counts.json"))

    assert response.json == {"admitted": 0, "expected": 1, "seats_left": None}


def test_every_check_in_answer_tells_the_servers_time(client, world, staff):
    """The scanning page times its scans by it: a device's own clock may be wrong."""
    answers = [
        client.get(door_url(world.entrance, suffix))
        for suffix in ("", "counts.json", "offline.json")
    ]

    assert [answer.headers["X-Server-Time"] for answer in answers] == [
        "2018-11-07T01:12:00.000+00:00"
    ] * 3


def test_offline_json_holds_keyed_hashes_not_codes(client, world, staff):
    delegate = person(world, "a@example.com", name="Ada Lovelace", name_zh="艾达")
    cancelled = person(world, "c@example.com")
    registration.cancel_registration(fresh(cancelled), actor=OPERATOR)

    response = client.get(door_url(world.entrance, "offline.json"))

    data = response.json
    assert code_of(delegate) not in response.get_data(as_text=True)
    assert reload(delegate).checkin_code_hash not in response.get_data(as_text=True)
    salt = bytes.fromhex(data["salt"])
    key = hmac.new(
        salt, hashlib.sha256(code_of(delegate).encode()).hexdigest().encode(), hashlib.sha256
    ).hexdigest()
    entries = {entry["key"]: entry for entry in data["entries"]}
    assert entries[key] == {
        "key": key,
        "name": "Ada Lovelace",
        "name_zh": "艾达",
        "organisation": "Demo Networks",
        "category": "Enterprise",
        "admitted": True,
        "reason": None,
        "message": "Admitted.",
        "seats": [],
    }
    assert sorted((e["admitted"], e["reason"]) for e in data["entries"]) == [
        (False, "cancelled"),
        (True, None),
    ]
    assert data["door"] == {"id": world.entrance.id, "name": "East Gate"}
    assert client.get(door_url(world.entrance, "offline.json")).json["salt"] != data["salt"]
    assert set(data["sentences"]) >= {"admitted", "refused", "offline", "queued"}


def test_an_organizer_makes_a_door_assigns_staff_and_a_device(app, world):
    organizer = make_account(Role.ORGANIZER)
    staff_account = make_account(Role.CHECKIN_STAFF, name="Gate keeper")
    client = app.test_client()
    log_in(client, organizer)

    made = client.post(
        "/dashboard/checkin/manage/doors/new",
        data={"name": "North Gate", "name_zh": "北门", "kind": "main_entrance", "subforum_id": ""},
    )
    door = db.session.scalar(sa.select(Door).where(Door.name == "North Gate"))
    staffed = client.post(
        f"/dashboard/checkin/manage/doors/{door.id}/staff", data={"accounts": [staff_account.id]}
    )
    device_page = client.post(
        "/dashboard/checkin/manage/devices/new", data={"name": "Gate phone", "doors": [door.id]}
    )

    assert (made.status_code, staffed.status_code, device_page.status_code) == (303, 303, 200)
    assert [a.name for a in reload(door).staff] == ["Gate keeper"]
    token = re.search(r'id="device-token">([^<]+)<', device_page.get_data(as_text=True)).group(1)
    device = db.session.scalar(sa.select(ScannerDevice))
    assert services.device_by_token(token).id == device.id
    revoked = client.post(f"/dashboard/checkin/manage/devices/{device.id}/revoke")
    assert revoked.status_code == 303
    assert reload(device).revoked_at is not None


def test_a_hall_door_without_a_subforum_is_refused(app, world):
    client = app.test_client()
    log_in(client, make_account(Role.ORGANIZER))

    response = client.post(
        "/dashboard/checkin/manage/doors/new",
        data={"name": "Hall X", "kind": DoorKind.SUBFORUM.value, "subforum_id": ""},
    )

    assert response.status_code == 422
    assert "Please choose the subforum of this hall door." in response.get_data(as_text=True)


def test_the_conflicts_page_lists_flagged_scans(app, world):
    offline_conflict(world, person(world, "a@example.com", name="Ada Lovelace"))
    client = app.test_client()
    log_in(client, make_account(Role.ORGANIZER))

    html = client.get(f"/dashboard/checkin/manage/conflicts/?door={world.entrance.id}").get_data(
        as_text=True
    )

    assert html.count("Ada Lovelace") == 1
    assert "Phone 2" in html


def table_rows(html: str) -> list[str]:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in body.split("</tr>")[:-1]]


def test_a_conflict_is_reviewed_from_its_page_and_leaves_the_open_list(app, world):
    delegate = person(world, "a@example.com", name="Ada Lovelace", name_zh="艾达")
    conflict = offline_conflict(world, delegate)
    client = app.test_client()
    log_in(client, make_account(Role.ORGANIZER, name="Chen Jie"))
    page_url = f"/dashboard/checkin/manage/conflicts/{conflict.id}"

    page = client.get(page_url).get_data(as_text=True)
    reviewed = client.post(f"{page_url}/review", data={"note": "Lent badge <script>x</script>"})
    after = client.get(page_url).get_data(as_text=True)
    still_open = client.get("/dashboard/checkin/manage/conflicts/").get_data(as_text=True)
    done = client.get("/dashboard/checkin/manage/conflicts/?state=reviewed").get_data(as_text=True)
    unknown_state = client.get("/dashboard/checkin/manage/conflicts/?state=<b>").get_data(
        as_text=True
    )
    doors = client.get("/dashboard/checkin/manage/doors/").get_data(as_text=True)

    assert table_rows(page) == [
        "Wed 7 Nov, 09:12 · offline Entry admitted · check-in Phone 1",
        "Wed 7 Nov, 09:12 · offline Entry admitted: Already checked in · conflict Phone 2",
    ]
    assert "Mark as reviewed" in page
    assert (reviewed.status_code, reviewed.location) == (303, page_url)
    assert "Reviewed by Chen Jie, Wed 7 Nov, 09:12." in after
    assert "Lent badge &lt;script&gt;x&lt;/script&gt;" in after
    assert "Mark as reviewed" not in after
    assert "No conflict to review." in still_open
    assert "No conflict to review." in unknown_state  # an unknown state lists those to review
    assert "Ada Lovelace" in done
    assert re.search(rf'<tr id="door-{world.entrance.id}">.*?<td>0</td>', doors, re.S)


def test_a_second_review_is_refused_in_words_and_changes_nothing(app, world):
    conflict = offline_conflict(world, person(world, "a@example.com"))
    client = app.test_client()
    log_in(client, make_account(Role.ORGANIZER))
    review_url = f"/dashboard/checkin/manage/conflicts/{conflict.id}/review"
    services.review_conflict(fresh(conflict), "First.", actor=OPERATOR)

    again = client.post(review_url, data={"note": "Second."}, headers={"Accept-Language": "zh-CN"})

    assert again.status_code == 422
    assert "<h1>东门的冲突</h1>" in again.get_data(as_text=True)
    assert "此冲突已经复核过。" in again.get_data(as_text=True)
    assert reload(conflict).conflict_note == "First."


def test_a_scan_that_is_no_conflict_has_no_conflict_page(app, world):
    plain = services.record_scan(
        fresh(world.entrance),
        code_of(person(world, "a@example.com")),
        nonce=nonce(),
        actor=OPERATOR,
    ).scan
    client = app.test_client()
    log_in(client, make_account(Role.ORGANIZER))

    answers = [
        client.get(f"/dashboard/checkin/manage/conflicts/{plain.id}").status_code,
        client.post(f"/dashboard/checkin/manage/conflicts/{plain.id}/review").status_code,
        client.get("/dashboard/checkin/manage/conflicts/999999").status_code,
    ]

    assert answers == [404, 404, 404]
    assert reload(plain).conflict_reviewed_at is None


def test_the_door_form_speaks_chinese(app, world):
    client = app.test_client()
    log_in(client, make_account(Role.ORGANIZER))
    zh = {"Accept-Language": "zh-CN"}

    response = client.post(
        "/dashboard/checkin/manage/doors/new",
        data={"name": "", "kind": "subforum", "subforum_id": ""},
        headers=zh,
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<h1>新建入口</h1>" in html
    assert "请填写入口名称。" in html
    assert count_rows(Door) == 2


def test_an_unknown_door_is_404_for_everyone(app, world):
    client = app.test_client()
    log_in(client, make_account(Role.ADMIN))

    answers = [
        client.get("/dashboard/checkin/doors/999999/").status_code,
        client.get("/dashboard/checkin/doors/99999999999/").status_code,
        client.post("/dashboard/checkin/doors/999999/scans.json", json={}).status_code,
        client.get("/dashboard/checkin/manage/doors/999999/edit").status_code,
        client.get("/dashboard/checkin/manage/conflicts/?door=abc").status_code,
    ]

    assert answers == [404, 404, 404, 404, 404]
