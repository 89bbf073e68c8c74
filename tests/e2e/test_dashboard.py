"""The organizers' dashboard in Chromium: signing in, the pages at a phone's and a laptop's
width in English and Chinese, and the flows an organizer clicks through."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.accounts import PASSWORD, make_account
from tests.helpers.browser import axe_violations, overflowing_elements
from wuzhen_events.accounts.enums import Role
from wuzhen_events.extensions import db

pytestmark = pytest.mark.e2e

ADMIN = "e2e-admin@organizers.example"
WIDTHS = {390: 844, 1280: 800}
LOCALES = {"en": "en-GB", "zh": "zh-CN"}

# Dashboard pages an administrator opens, by name; each must fit and pass the scan.
DASHBOARD_PAGES = {
    "overview": "/dashboard/",
    "program": "/dashboard/program/",
    "session": "/dashboard/program/sessions/1/",
    "new-session": "/dashboard/program/sessions/new",
    "subforums": "/dashboard/program/subforums/",
    "venues": "/dashboard/program/venues/",
    "speakers": "/dashboard/program/speakers/",
    "exhibitors": "/dashboard/expo/",
    "launches": "/dashboard/expo/launches/",
    "import": "/dashboard/program/import/",
    "delegates": "/dashboard/delegates/",
    "delegate": "/dashboard/delegates/{delegate}/",
    "badges": "/dashboard/delegates/badges",
    "invitations": "/dashboard/invitations/",
    "invitation-upload": "/dashboard/invitations/upload",
    "applications": "/dashboard/applications/",
    "email": "/dashboard/email/",
    "compose": "/dashboard/email/new",
    "exports": "/dashboard/exports/",
    "statistics": "/dashboard/statistics/",
    "accounts": "/dashboard/accounts/",
    "new-account": "/dashboard/accounts/new",
    "audit": "/dashboard/audit/",
    "my-account": "/dashboard/account/",
    # check-in: door 1 is the demo's main entrance, door 2 a subforum hall
    "checkin": "/dashboard/checkin/",
    "checkin-entrance": "/dashboard/checkin/doors/1/",
    "checkin-hall": "/dashboard/checkin/doors/2/",
    "checkin-search": "/dashboard/checkin/doors/1/?q=Li",
    "checkin-doors": "/dashboard/checkin/manage/doors/",
    "checkin-new-door": "/dashboard/checkin/manage/doors/new",
    "checkin-edit-door": "/dashboard/checkin/manage/doors/2/edit",
    "checkin-staff": "/dashboard/checkin/manage/doors/1/staff",
    "checkin-devices": "/dashboard/checkin/manage/devices/",
    "checkin-new-device": "/dashboard/checkin/manage/devices/new",
    "checkin-conflicts": "/dashboard/checkin/manage/conflicts/",
    "checkin-conflict": "/dashboard/checkin/manage/conflicts/{conflict}",
}


@pytest.fixture(scope="session")
def admin(live_app) -> str:
    with live_app.app_context():
        make_account(Role.ADMIN, email=ADMIN, name="Chen Jie")
        db.session.remove()
    return ADMIN


@pytest.fixture(scope="session")
def layout_delegate(live_app) -> int:
    """A delegate with a seat, whose dashboard page is one of the pages checked."""
    import sqlalchemy as sa

    from tests.helpers.live import register_delegate_in
    from wuzhen_events.registration.models import Delegate

    register_delegate_in(live_app, "dashboard.layout@example.com")
    with live_app.app_context():
        found = db.session.scalar(
            sa.select(Delegate.id).where(Delegate.email == "dashboard.layout@example.com")
        )
        db.session.remove()
    return found


@pytest.fixture(scope="session")
def layout_conflict(live_app) -> int:
    """A badge two phones let in at the main entrance while offline: the conflict's page is
    one of the pages checked."""
    from tests.factories import OPERATOR
    from wuzhen_events.checkin import services as checkin
    from wuzhen_events.checkin.enums import OfflineAnswer
    from wuzhen_events.checkin.models import Door

    with live_app.app_context():
        entrance = db.session.get(Door, 1)
        for number in (1, 2):
            flagged = checkin.record_scan(
                entrance,
                "C" * 43,
                nonce=f"layout-conflict-{number}",
                device_label=f"Phone {number}",
                offline=True,
                offline_answer=OfflineAnswer.ADMITTED,
                actor=OPERATOR,
            ).scan.id
        db.session.remove()
    return flagged


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    with page.expect_navigation():
        page.locator("form.entry-form button[type=submit]").click()


@pytest.fixture(scope="session")
def signed_in_tabs(browser: Browser, live_server, admin) -> Iterator:
    """One signed-in tab per width and language, reused by every page in turn."""
    current: dict[tuple[int, str], Page] = {}

    def tab(width: int, language: str) -> Page:
        key = (width, language)
        if key not in current:
            for old in current.values():
                old.context.close()
            current.clear()
            context = browser.new_context(
                base_url=live_server,
                viewport={"width": width, "height": WIDTHS[width]},
                locale=LOCALES[language],
                bypass_csp=True,  # axe is injected as an inline script
            )
            page = context.new_page()
            page.set_default_timeout(15_000)
            sign_in(page, admin)
            current[key] = page
        return current[key]

    yield tab
    for old in current.values():
        old.context.close()


def assert_fits_and_passes_the_scan(page: Page) -> None:
    width_used, width_shown = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    too_wide = overflowing_elements(page) if width_used > width_shown else []
    violations = axe_violations(page)
    assert (width_used <= width_shown, violations) == (True, []), json.dumps(
        {"width": width_used, "too_wide": too_wide, "violations": violations},
        indent=1,
        ensure_ascii=False,
    )


@pytest.mark.parametrize(
    ("name", "width", "language"),
    [
        pytest.param(name, width, language, id=f"{name}-{width}-{language}")
        for width in WIDTHS
        for language in LOCALES
        for name in DASHBOARD_PAGES
    ],
)
def test_dashboard_page_fits_the_screen_and_passes_the_scan(
    name, width, language, signed_in_tabs, layout_delegate, layout_conflict
):
    page = signed_in_tabs(width, language)
    path = DASHBOARD_PAGES[name].replace("{delegate}", str(layout_delegate))

    response = page.goto(path.replace("{conflict}", str(layout_conflict)))

    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == ("zh-Hans" if language == "zh" else "en")
    assert_fits_and_passes_the_scan(page)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_sign_in_page_fits_and_passes_the_scan(browser, live_server, width):
    context = browser.new_context(
        base_url=live_server, viewport={"width": width, "height": WIDTHS[width]}, bypass_csp=True
    )
    page = context.new_page()
    page.goto("/dashboard/")

    assert page.url.endswith("/login?next=/dashboard/")
    assert_fits_and_passes_the_scan(page)
    context.close()


def test_sign_in_switch_to_chinese_and_sign_out(page, admin):
    sign_in(page, admin)
    assert page.locator("h1").inner_text() == "Dashboard"

    with page.expect_navigation():
        page.locator(".language-switch a[lang=zh]").click()
    assert page.locator("h1").inner_text() == "管理后台"
    assert page.locator(".dashboard-account-bar p").inner_text() == "已登录：Chen Jie（管理员）"

    with page.expect_navigation():
        page.locator(".dashboard-account-bar button").click()
    assert page.locator("h1").inner_text() == "组织者登录"
    page.goto("/dashboard/")
    assert "/login?next=" in page.url


def test_a_wrong_password_is_said_beside_the_field(page, admin):
    sign_in(page, admin, "not the password at all")

    assert page.locator("#password-errors").inner_text() == (
        "The e-mail address or the password is not right."
    )
    assert page.url.endswith("/login")


# --- what an organizer clicks through ---------------------------------------------------------


def pending_delegates(live_app, organisation: str, names: list[str]) -> list[int]:
    """Government delegates waiting for approval, made through the service in the live database."""
    from types import SimpleNamespace

    from tests.helpers.registration import register
    from wuzhen_events.program.queries import current_conference
    from wuzhen_events.registration.enums import DelegateCategory

    with live_app.test_request_context():
        world = SimpleNamespace(conference=current_conference())
        ids = [
            register(
                world,
                f"{name.lower().replace(' ', '.')}@{organisation.lower()}.example",
                name=name,
                organisation=organisation,
                category=DelegateCategory.GOVERNMENT,
            ).id
            for name in names
        ]
        db.session.remove()
    return ids


def statuses(live_app, ids: list[int]) -> list[str]:
    import sqlalchemy as sa

    from wuzhen_events.registration.models import Delegate

    with live_app.app_context():
        found = db.session.scalars(sa.select(Delegate).where(Delegate.id.in_(ids))).all()
        values = [delegate.status.value for delegate in sorted(found, key=lambda d: d.id)]
        db.session.remove()
    return values


def test_approve_one_pending_delegate_from_their_page(page, live_app, admin):
    (delegate_id,) = pending_delegates(live_app, "Envoys", ["Amina Diallo"])
    sign_in(page, admin)

    page.goto("/dashboard/delegates/?status=pending&q=Envoys")
    with page.expect_navigation():
        page.get_by_role("link", name="Amina Diallo").click()
    with page.expect_navigation():
        page.locator(".delegate-decisions button", has_text="Approve").click()

    assert page.locator(".flash-success").inner_text() == "Amina Diallo is approved."
    assert statuses(live_app, [delegate_id]) == ["confirmed"]


def test_bulk_approve_the_filtered_set(page, live_app, admin):
    ids = pending_delegates(live_app, "Ministry", ["Ivan Petrov", "Maria Silva", "Kofi Mensah"])
    sign_in(page, admin)

    page.goto("/dashboard/delegates/?status=pending&q=Ministry")
    assert page.locator("#delegates-totals").inner_text() == "1–3 of 3"
    page.locator("select[name=action]").select_option("approve")
    page.locator("#apply_to").select_option("matching")
    with page.expect_navigation():
        page.locator(".bulk-actions button[type=submit]").click()

    assert page.locator(".bulk-result").inner_text().startswith("Approved 3.")
    assert statuses(live_app, ids) == ["confirmed", "confirmed", "confirmed"]


def test_move_a_session_and_its_calendar_feed_says_so(page, live_app, admin):
    from tests.factories import make_session
    from wuzhen_events.program.queries import current_conference

    with live_app.test_request_context():
        session_id = make_session(current_conference(), title="Browser-moved panel").id
        db.session.remove()
    before = page.request.get(f"/calendar/sessions/{session_id}.ics").text()
    sign_in(page, admin)

    page.goto(f"/dashboard/program/sessions/{session_id}/")
    page.locator("#ends_at").fill("2018-11-07T11:00")
    with page.expect_navigation():
        page.locator("form.entry-form button[type=submit]").first.click()
    after = page.request.get(f"/calendar/sessions/{session_id}.ics").text()

    assert ("SEQUENCE" not in before or "SEQUENCE:0" in before) and "SEQUENCE:1" in after
    assert "DTEND;TZID=Asia/Shanghai:20181107T110000" in after


def test_compose_and_preview_an_email_in_both_languages(page, live_app, live_server, admin):
    pending_delegates(live_app, "Preview", ["Wang Fang"])
    sign_in(page, admin)

    page.goto("/dashboard/email/new?q=Preview")
    assert (
        page.locator("#recipient-count")
        .inner_text()
        .startswith("Addresses that receive this e-mail: 1 ")
    )
    page.locator("#subject").fill("Welcome, {name}")
    page.locator("#body").fill("Your page, {name}: {manage_link}")
    page.locator("#subject_zh").fill("欢迎，{name}")
    page.locator("#body_zh").fill("{name}，您好。")
    with page.expect_navigation():
        page.locator("form.entry-form button[type=submit]").click()

    assert page.locator("#preview-subject").inner_text() == "Welcome, Wang Fang"
    page.locator(".email-preview summary").click()
    text = page.locator("#preview-text").inner_text().split("\n\n")
    assert text[:2] == [
        "Dear Wang Fang,",
        f"Your page, Wang Fang: {live_server}/me/your-private-link/",
    ]


def test_download_the_delegates_export(page, live_app, admin):
    pending_delegates(live_app, "Exported", ["Lin Hui"])
    sign_in(page, admin)

    page.goto("/dashboard/exports/")
    with page.expect_download() as download:
        page.locator("a[href^='/dashboard/exports/delegates.csv']").first.click()
    body = download.value.path().read_bytes()

    assert body.startswith("\ufeff".encode())
    assert b"Lin Hui" in body and b"lin.hui@exported.example" in body


def test_print_the_badges_of_a_filtered_table(page, live_app, admin, layout_delegate):
    from tests.helpers.pdf import page_count, qr_codes

    sign_in(page, admin)
    page.goto("/dashboard/delegates/?status=confirmed")
    page.get_by_role("link", name="Print badges").click()
    page.get_by_label("Badge layout").select_option("a4-4x3")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the badges (PDF)").click()
    body = download.value.path().read_bytes()

    assert download.value.suggested_filename == "wic2018-badges-a4-4x3-2018-11-07.pdf"
    assert body.startswith(b"%PDF-")
    assert page_count(body) >= 1
    assert all(code.startswith("WIC2018:") for codes in qr_codes(body) for code in codes)


@pytest.fixture(scope="session")
def layout_badge(live_app, layout_delegate) -> str:
    """The check-in code on the layout delegate's badge."""
    from wuzhen_events.registration import rotation
    from wuzhen_events.registration.models import Delegate
    from wuzhen_events.registration.tokens import Secret

    with live_app.app_context():
        code = rotation.secret_of(db.session.get(Delegate, layout_delegate), Secret.CHECKIN)
        db.session.remove()
    return code


def leave_through_door_one(live_app, code: str) -> None:
    """An exit, so the badge is admitted again at the next run (a second entry is refused)."""
    import uuid

    from tests.factories import OPERATOR
    from wuzhen_events.checkin import services as checkin
    from wuzhen_events.checkin.enums import Direction
    from wuzhen_events.checkin.models import Door

    with live_app.app_context():
        door = db.session.get(Door, 1)
        checkin.record_scan(
            door, code, direction=Direction.EXIT, nonce=str(uuid.uuid4()), actor=OPERATOR
        )
        db.session.remove()


@pytest.mark.parametrize(
    ("width", "language"),
    [
        pytest.param(width, language, id=f"{width}-{language}")
        for width in WIDTHS
        for language in LOCALES
    ],
)
def test_a_scanners_typed_code_and_enter_answer_in_words_that_fit(
    width, language, signed_in_tabs, layout_badge, live_app
):
    """The code typed as a USB scanner types it, then Enter; the answer panel says it in words,
    fits a phone and passes the scan, admitted and refused. The page's script answers in place
    (tests/e2e/test_checkin_scanner.py); without it the form posts: the answer is the same."""
    page = signed_in_tabs(width, language)
    words = {
        "en": ("ADMITTED", "REFUSED"),
        "zh": ("准许入场", "拒绝入场"),
    }[language]
    for code, verdict in ((layout_badge, words[0]), ("A" * 43, words[1])):
        page.goto("/dashboard/checkin/doors/1/")
        # autofocus applies once the page is rendered: wait for it, as a scanner's user would
        page.wait_for_function("document.activeElement?.id === 'checkin-code'", timeout=5_000)
        page.keyboard.type(code)
        page.keyboard.press("Enter")

        expect(page.locator("#checkin-answer .checkin-verdict")).to_have_text(
            re.compile("^" + re.escape(verdict))
        )
        assert_fits_and_passes_the_scan(page)
        if code == layout_badge:
            leave_through_door_one(live_app, code)
