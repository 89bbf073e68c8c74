"""The organizers' dashboard in Chromium: signing in, the pages at a phone's and a laptop's
width in English and Chinese, and the flows an organizer clicks through."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

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
    "my-account": "/dashboard/account/",
}


@pytest.fixture(scope="session")
def admin(live_app) -> str:
    with live_app.app_context():
        make_account(Role.ADMIN, email=ADMIN, name="Chen Jie")
        db.session.remove()
    return ADMIN


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
def test_dashboard_page_fits_the_screen_and_passes_the_scan(name, width, language, signed_in_tabs):
    page = signed_in_tabs(width, language)

    response = page.goto(DASHBOARD_PAGES[name])

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
