"""The scanning page with its script in Chromium: a badge read by the camera (Chromium's fake
capture device playing a video of the badge's QR code), typed codes and a scanner's keystrokes,
scans made offline and sent by themselves when the connection returns, and two devices that
admitted one badge offline.

The page is opened as check-in staff assigned to the main entrance, under the site's real
Content-Security-Policy (no bypass): the QR reader's WebAssembly must compile under it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.factories import OPERATOR
from tests.helpers.accounts import PASSWORD, make_account
from tests.helpers.live import CHROMIUM, CHROMIUM_ARGS, require_chromium
from tests.helpers.video import badge_payload, write_y4m
from wuzhen_events.accounts.enums import Role
from wuzhen_events.checkin.enums import DoorKind
from wuzhen_events.checkin.models import Door, Scan
from wuzhen_events.checkin.services import assign_door_staff
from wuzhen_events.extensions import db

pytestmark = pytest.mark.e2e

STAFF = "e2e-entrance-staff@organizers.example"
ORGANIZER = "e2e-checkin-organizer@organizers.example"
SENT_WITHIN_SECONDS = 20  # the queue's first retry comes after 2 s; the 'online' event sooner


@dataclass(frozen=True)
class Badge:
    delegate_id: int
    code: str
    name: str
    name_zh: str


@dataclass(frozen=True)
class ScanRow:
    delegate_id: int | None
    direction: str
    admitted: bool
    offline: bool
    offline_answer: str | None
    conflict: bool


@pytest.fixture(scope="session")
def entrance(live_app) -> int:
    """The main entrance (the seed's, else one made here), with check-in staff assigned."""
    from wuzhen_events.checkin.services import DoorDetails, create_door
    from wuzhen_events.program.queries import current_conference

    with live_app.test_request_context():
        door = db.session.scalar(
            sa.select(Door).where(Door.kind == DoorKind.MAIN_ENTRANCE).order_by(Door.id)
        )
        if door is None:
            door = create_door(
                current_conference(), DoorDetails(name="East Gate", name_zh="东门"), actor=OPERATOR
            )
        staff = make_account(Role.CHECKIN_STAFF, email=STAFF, name="Wu Lei")
        assign_door_staff(door, [*door.staff, staff], actor=OPERATOR)
        door_id = door.id
        db.session.remove()
    return door_id


@pytest.fixture
def make_badge(live_app) -> Callable[[str, str, str], Badge]:
    """A confirmed delegate (made through the registration service) and their badge code."""
    from wuzhen_events.program.queries import current_conference
    from wuzhen_events.registration import rotation
    from wuzhen_events.registration.enums import DelegateCategory
    from wuzhen_events.registration.models import Delegate
    from wuzhen_events.registration.services import DelegateDetails, register_delegate
    from wuzhen_events.registration.tokens import Secret

    def make(email: str, name: str, name_zh: str) -> Badge:
        with live_app.test_request_context():
            register_delegate(
                current_conference(),
                DelegateDetails(
                    name=name,
                    name_zh=name_zh,
                    email=email,
                    organisation="Hangzhou Demo Networks",
                    job_title="Engineer",
                    country="CN",
                    category=DelegateCategory.ENTERPRISE,
                ),
                subforums=[],
                email_verified=True,
                actor=OPERATOR,
            )
            delegate = db.session.scalar(sa.select(Delegate).where(Delegate.email == email))
            badge = Badge(delegate.id, rotation.secret_of(delegate, Secret.CHECKIN), name, name_zh)
            db.session.remove()
        return badge

    return make


def scans_of(live_app, badges: list[Badge]) -> list[ScanRow]:
    """The recorded scans of these badges, oldest first."""
    with live_app.app_context():
        rows = db.session.scalars(
            sa.select(Scan)
            .where(Scan.delegate_id.in_([badge.delegate_id for badge in badges]))
            .order_by(Scan.id)
        ).all()
        found = [
            ScanRow(
                delegate_id=row.delegate_id,
                direction=row.direction.value,
                admitted=row.admitted,
                offline=row.offline,
                offline_answer=row.offline_answer.value if row.offline_answer else None,
                conflict=row.conflict,
            )
            for row in rows
        ]
        db.session.remove()
    return found


def wait_for_scans(live_app, badges: list[Badge], count: int) -> list[ScanRow]:
    """The scans once `count` of them are recorded, waiting at most SENT_WITHIN_SECONDS."""
    deadline = time.monotonic() + SENT_WITHIN_SECONDS
    found = scans_of(live_app, badges)
    while len(found) < count and time.monotonic() < deadline:
        time.sleep(0.25)
        found = scans_of(live_app, badges)
    return found


@pytest.fixture(scope="session")
def organizer_account(live_app) -> str:
    with live_app.app_context():
        make_account(Role.ORGANIZER, email=ORGANIZER, name="Lin Fang")
        db.session.remove()
    return ORGANIZER


def sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form.entry-form button[type=submit]").click()


def open_door(context: BrowserContext, door_id: int) -> Page:
    """The scanning page as the staff member opens it, once its script has saved the door list."""
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, STAFF)
    page.goto(f"/dashboard/checkin/doors/{door_id}/")
    page.locator("#checkin-status[data-list='saved']").wait_for()
    return page


def scan_typed(page: Page, code: str) -> None:
    """A code typed into the field and sent with Enter, as a person or a USB scanner does."""
    page.locator("#checkin-code").fill(code)
    page.locator("#checkin-code").press("Enter")


def expect_answer(page: Page, kind: str, badge: Badge) -> None:
    expect(page.locator(f"#checkin-answer.is-{kind} .checkin-name")).to_have_text(
        f"{badge.name} {badge.name_zh}"
    )


@pytest.fixture
def staff_context(browser: Browser, live_server, entrance) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_server, locale="en-GB")
    yield context
    context.close()


# --- the camera ----------------------------------------------------------------------------


@pytest.fixture
def camera_browser(tmp_path, make_badge) -> Iterator[tuple[Browser, Badge]]:
    """A Chromium whose camera plays a video of one delegate's badge: the badge for a second,
    then five seconds of an empty view, in a loop."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    badge = make_badge("camera.badge@example.com", "Zhao Lei", "赵磊")
    video = write_y4m(tmp_path / "badge.y4m", [badge_payload(badge.code), *[None] * 5])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        yield browser, badge
        browser.close()


def test_the_camera_reads_a_badge_and_the_page_admits_the_delegate(
    camera_browser, live_app, live_server, entrance
):
    browser, badge = camera_browser
    context = browser.new_context(base_url=live_server, locale="en-GB")
    page = open_door(context, entrance)
    start, stop = page.locator("[data-camera-start]"), page.locator("[data-camera-stop]")
    expect(stop).to_be_hidden()  # one button at a time: Start, then Stop

    start.click()
    expect_answer(page, "admitted", badge)
    expect(start).to_be_hidden()
    stop.click()

    assert scans_of(live_app, [badge]) == [
        ScanRow(badge.delegate_id, "entry", True, False, None, False)
    ]
    assert page.evaluate("window.wicCheckin.timings.length") == 1
    expect(start).to_be_visible()
    expect(stop).to_be_hidden()
    context.close()


def test_a_refused_camera_is_said_and_the_code_can_still_be_typed(
    camera_browser, live_app, live_server, entrance, make_badge
):
    browser, _ = camera_browser
    context = browser.new_context(base_url=live_server, locale="en-GB")
    context.add_init_script(
        """navigator.mediaDevices.getUserMedia = () =>
            Promise.reject(new DOMException("Permission denied", "NotAllowedError"));"""
    )
    page = open_door(context, entrance)
    badge = make_badge("refused.camera@example.com", "Qian Hao", "钱浩")

    page.get_by_role("button", name="Start camera").click()
    expect(page.locator("[data-camera-message]")).to_have_text(
        "The camera was refused: allow it in the browser's site settings, or type the code."
    )
    scan_typed(page, badge.code)
    expect_answer(page, "admitted", badge)
    context.close()


def test_a_device_without_a_camera_is_told_so(staff_context, entrance):
    page = open_door(staff_context, entrance)

    page.get_by_role("button", name="Start camera").click()

    expect(page.locator("[data-camera-message]")).to_have_text(
        "No camera could be used on this device: type the code or use a scanner."
    )
    expect(page.get_by_role("button", name="Start camera")).to_be_visible()


# --- typed codes and scanners --------------------------------------------------------------


def test_a_typed_code_is_answered_in_place_and_the_field_is_ready_for_the_next(
    staff_context, live_app, entrance, make_badge
):
    badge = make_badge("typed.badge@example.com", "Sun Li", "孙丽")
    page = open_door(staff_context, entrance)
    page.evaluate("window.stillTheSamePage = true")
    grouped = " ".join(badge.code[i : i + 4] for i in range(0, len(badge.code), 4))

    scan_typed(page, grouped)  # as printed under the QR code, in groups of four

    expect_answer(page, "admitted", badge)
    expect(page.locator("#checkin-code")).to_be_focused()
    expect(page.locator("#checkin-code")).to_have_value("")
    assert page.evaluate("window.stillTheSamePage") is True  # no page load
    assert scans_of(live_app, [badge]) == [
        ScanRow(badge.delegate_id, "entry", True, False, None, False)
    ]


def test_a_scanner_typing_badges_back_to_back_records_each_once(
    staff_context, live_app, entrance, make_badge
):
    first = make_badge("scanner.first@example.com", "Zhou Yu", "周宇")
    second = make_badge("scanner.second@example.com", "Wu Xia", "吴霞")
    page = open_door(staff_context, entrance)
    page.locator("#checkin-code").focus()

    # A USB or Bluetooth scanner is a keyboard: the payload, then Enter, at once for both.
    page.keyboard.type(badge_payload(first.code) + "\n", delay=2)
    page.keyboard.type(badge_payload(second.code) + "\n", delay=2)

    expect_answer(page, "admitted", second)
    assert wait_for_scans(live_app, [first, second], 2) == [
        ScanRow(first.delegate_id, "entry", True, False, None, False),
        ScanRow(second.delegate_id, "entry", True, False, None, False),
    ]


def test_a_second_look_at_an_admitted_badge_is_refused_saying_when(
    staff_context, live_app, entrance, make_badge
):
    badge = make_badge("twice.badge@example.com", "Zheng Bo", "郑波")
    page = open_door(staff_context, entrance)

    scan_typed(page, badge.code)
    expect_answer(page, "admitted", badge)
    scan_typed(page, badge.code)

    expect_answer(page, "refused", badge)
    expect(page.locator("#checkin-answer .checkin-message")).to_contain_text(
        "Already checked in at"
    )


def test_an_unknown_code_is_refused_with_the_reason(staff_context, entrance):
    page = open_door(staff_context, entrance)

    scan_typed(page, "A" * 43)

    expect(page.locator("#checkin-answer.is-refused")).to_contain_text("Unknown code")


# --- offline -------------------------------------------------------------------------------


def test_offline_scans_are_answered_then_sent_by_themselves_once_each(
    staff_context, live_app, entrance, make_badge
):
    badges = [
        make_badge("offline.one@example.com", "Feng Rui", "冯瑞"),
        make_badge("offline.two@example.com", "Chen Xue", "陈雪"),
        make_badge("offline.three@example.com", "Chu Ming", "褚明"),
    ]
    page = open_door(staff_context, entrance)

    staff_context.set_offline(True)
    for badge in badges:
        scan_typed(page, badge.code)
        expect_answer(page, "admitted", badge)
        expect(page.locator("#checkin-answer .checkin-note")).to_have_text(
            "Offline: answered from this device's list; scans are sent when the connection returns."
        )
    expect(page.locator("#checkin-status")).to_have_attribute("data-waiting", "3")
    recorded_while_offline = scans_of(live_app, badges)
    staff_context.set_offline(False)
    recorded = wait_for_scans(live_app, badges, 3)

    assert recorded_while_offline == []
    assert recorded == [
        ScanRow(badge.delegate_id, "entry", True, True, "admitted", False) for badge in badges
    ]
    expect(page.locator("#checkin-status")).to_have_attribute("data-waiting", "0")
    time.sleep(1)  # a retry that would record twice has had its chance
    assert len(scans_of(live_app, badges)) == 3


def test_a_device_whose_clock_is_twenty_minutes_fast_times_its_scans_by_the_server(
    staff_context, live_app, entrance, make_badge
):
    """A laptop at the door with a wrong clock: its scans, online and offline, are admitted and
    recorded at the server's time, not refused as made in the future."""
    online, offline = (
        make_badge("fast.clock.one@example.com", "Gao Yan", "高燕"),
        make_badge("fast.clock.two@example.com", "Hu Bo", "胡波"),
    )
    staff_context.clock.set_system_time(datetime.now(UTC) + timedelta(minutes=20))
    page = open_door(staff_context, entrance)

    scan_typed(page, online.code)
    expect_answer(page, "admitted", online)
    staff_context.set_offline(True)
    scan_typed(page, offline.code)
    expect_answer(page, "admitted", offline)
    staff_context.set_offline(False)
    recorded = wait_for_scans(live_app, [online, offline], 2)

    assert [row.offline for row in recorded] == [False, True]
    with live_app.app_context():
        times = db.session.scalars(
            sa.select(Scan.scanned_at)
            .where(Scan.delegate_id.in_([online.delegate_id, offline.delegate_id]))
            .order_by(Scan.id)
        ).all()
        db.session.remove()
    assert [abs(datetime.now(UTC) - at) < timedelta(minutes=2) for at in times] == [True, True]
    expect(page.locator("#checkin-status")).to_have_attribute("data-waiting", "0")


def test_offline_a_second_look_on_the_same_device_is_refused(
    staff_context, live_app, entrance, make_badge
):
    badge = make_badge("offline.twice@example.com", "Wei Lan", "卫兰")
    page = open_door(staff_context, entrance)

    staff_context.set_offline(True)
    scan_typed(page, badge.code)
    expect_answer(page, "admitted", badge)
    scan_typed(page, badge.code)
    expect_answer(page, "refused", badge)
    staff_context.set_offline(False)

    assert wait_for_scans(live_app, [badge], 2) == [
        ScanRow(badge.delegate_id, "entry", True, True, "admitted", False),
        ScanRow(badge.delegate_id, "entry", False, True, "refused", False),
    ]


def test_two_offline_devices_admitting_one_badge_are_both_recorded_one_flagged(
    browser, live_server, live_app, entrance, make_badge, organizer_account
):
    badge = make_badge("two.devices@example.com", "Jiang Tao", "蒋涛")
    devices = [browser.new_context(base_url=live_server, locale="en-GB") for _ in range(2)]
    pages = [open_door(device, entrance) for device in devices]

    for device, page in zip(devices, pages, strict=True):
        device.set_offline(True)
        scan_typed(page, badge.code)
        expect_answer(page, "admitted", badge)
    for device in devices:
        device.set_offline(False)
    recorded = wait_for_scans(live_app, [badge], 2)

    assert recorded == [
        ScanRow(badge.delegate_id, "entry", True, True, "admitted", False),
        ScanRow(badge.delegate_id, "entry", True, True, "admitted", True),
    ]
    # The door's history marks it, and the organizers' conflicts page for the door lists it.
    pages[0].reload()
    expect(pages[0].locator("#checkin-history tr.is-conflict")).to_contain_text(badge.name)
    organizer = browser.new_context(base_url=live_server, locale="en-GB").new_page()
    sign_in(organizer, organizer_account)
    organizer.goto(f"/dashboard/checkin/manage/conflicts/?door={entrance}")
    flagged = organizer.locator("table tbody tr").filter(has_text=badge.name)
    expect(flagged).to_have_count(1)
    # Checked with the delegate: marked as reviewed, it leaves the list of those to review.
    flagged.get_by_role("link", name="Review").click()
    organizer.get_by_label("What you found (optional)").fill("Both gates let them in.")
    organizer.get_by_role("button", name="Mark as reviewed").click()
    expect(organizer.get_by_text("The conflict is marked as reviewed.")).to_be_visible()
    organizer.goto(f"/dashboard/checkin/manage/conflicts/?door={entrance}")
    expect(organizer.locator("table tbody tr").filter(has_text=badge.name)).to_have_count(0)
    organizer.context.close()
    for device in devices:
        device.close()


# --- the page at a phone's and a laptop's width, in English and Chinese --------------------

WIDTHS = {390: 844, 1280: 800}
LOCALES = {"en": "en-GB", "zh": "zh-CN"}
# The script's own words on the page, in each language: nothing left in English on 中文.
WAITING = {"en": "Scans waiting to be sent: 0", "zh": "待发送的扫描：0"}


@pytest.mark.parametrize(
    ("width", "language"),
    [
        pytest.param(width, language, id=f"{width}-{language}")
        for width in WIDTHS
        for language in LOCALES
    ],
)
def test_the_scanning_page_and_its_answers_fit_and_pass_the_scan(
    browser, live_server, entrance, make_badge, width, language
):
    badge = make_badge(f"layout.{width}.{language}@example.com", "Xu Jing", "徐静")
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": width, "height": WIDTHS[width]},
        locale=LOCALES[language],
        bypass_csp=True,  # axe is injected as an inline script
    )
    page = open_door(context, entrance)
    expect(page.locator("#checkin-status")).to_contain_text(WAITING[language])
    failures = {}

    # Each answer told from the one before: the refusals differ by the name shown or not.
    answers = [
        ("admitted", badge.code, "#checkin-answer.is-admitted .checkin-name"),
        ("already here", badge.code, "#checkin-answer.is-refused .checkin-name"),
        ("unknown", "B" * 43, "#checkin-answer.is-refused:not(:has(.checkin-name))"),
    ]
    for answer, code, shown in answers:
        scan_typed(page, code)
        page.locator(shown).wait_for()
        failures[answer] = fit_and_scan_failures(page)
    context.close()

    assert failures == {"admitted": {}, "already here": {}, "unknown": {}}


def fit_and_scan_failures(page: Page) -> dict:
    """What makes the page scroll sideways and what axe finds serious or critical: {} if none."""
    from tests.helpers.browser import axe_violations, overflowing_elements

    width_used, width_shown = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    found = {}
    if width_used > width_shown:
        found["too_wide"] = overflowing_elements(page)
    violations = axe_violations(page)
    if violations:
        found["violations"] = violations
    return found
