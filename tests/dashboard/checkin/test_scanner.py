"""What the scanning page gives its script (static/js/checkin.js): the reader, the words in the
page's language, and the only policy of the site that lets a page use the camera and compile
WebAssembly."""

from __future__ import annotations

import json
import re

import pytest

from tests.factories import OPERATOR, fresh
from tests.helpers.accounts import log_in, make_account
from wuzhen_events.accounts.enums import Role
from wuzhen_events.checkin import services


@pytest.fixture
def entrance_page(client, world) -> str:
    account = make_account(Role.CHECKIN_STAFF, name="Li Wei")
    services.assign_door_staff(fresh(world.entrance), [account], actor=OPERATOR)
    log_in(client, account)
    return f"/dashboard/checkin/doors/{world.entrance.id}/"


def script_words(html: str) -> dict[str, str]:
    found = re.search(r'<script type="application/json" id="checkin-texts">(.*?)</script>', html)
    return json.loads(found.group(1))


def test_only_the_scanning_page_may_use_the_camera_and_compile_webassembly(client, entrance_page):
    scanning = client.get(entrance_page)
    doors = client.get("/dashboard/checkin/")

    assert scanning.status_code == 200
    assert scanning.headers.getlist("Permissions-Policy") == [
        "camera=(self), microphone=(), geolocation=()"
    ]
    assert scanning.headers.getlist("Content-Security-Policy") == [
        "default-src 'self'; img-src 'self' data:; style-src 'self'; "
        "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    ]
    assert doors.headers.getlist("Permissions-Policy") == [
        "camera=(), microphone=(), geolocation=()"
    ]
    assert "wasm-unsafe-eval" not in doors.headers["Content-Security-Policy"]


def test_the_scanning_page_loads_its_script_and_points_the_reader_at_our_wasm(
    client, entrance_page
):
    html = client.get(entrance_page).get_data(as_text=True)

    assert '<script src="/static/js/checkin.js" defer></script>' in html
    assert 'data-reader-script="/static/vendor/zxing-wasm/zxing-reader.iife.js"' in html
    assert 'data-reader-wasm="/static/vendor/zxing-wasm/zxing_reader.wasm"' in html
    assert 'data-timezone="Asia/Shanghai"' in html
    # Hidden until the script shows it: without JavaScript nothing of the camera is on the page.
    assert re.search(r'<div id="checkin-scanner" class="checkin-scanner" hidden', html)


def test_the_vendored_reader_and_its_wasm_are_served_from_our_static_folder(client):
    script = client.get("/static/vendor/zxing-wasm/zxing-reader.iife.js")
    wasm = client.get("/static/vendor/zxing-wasm/zxing_reader.wasm")

    assert (script.status_code, wasm.status_code) == (200, 200)
    assert wasm.mimetype == "application/wasm"  # compiled while it streams in
    assert wasm.get_data()[:4] == b"\0asm"


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ("Start camera", "ADMITTED", "Scans waiting to be sent: {count}")),
        ("zh", ("启动摄像头", "准许入场", "待发送的扫描：{count}")),
    ],
    ids=["en", "zh"],
)
def test_the_scripts_words_come_in_the_pages_language(client, entrance_page, language, words):
    client.get(f"/language/{language}")

    html = client.get(entrance_page).get_data(as_text=True)

    start, admitted, waiting = words
    texts = script_words(html)
    assert (f">{start}</button>" in html, texts["admitted"], texts["waiting"]) == (
        True,
        admitted,
        waiting,
    )


def test_no_word_of_the_script_is_left_in_english_on_the_chinese_page(client, entrance_page):
    english = script_words(client.get(entrance_page).get_data(as_text=True))
    client.get("/language/zh")
    chinese = script_words(client.get(entrance_page).get_data(as_text=True))

    assert sorted(chinese) == sorted(english)
    assert [key for key in english if chinese[key] == english[key] or not chinese[key]] == []
