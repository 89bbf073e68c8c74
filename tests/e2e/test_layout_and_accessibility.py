"""Every page a visitor or delegate can reach fits a phone and passes an axe-core scan.

Each page is opened at 390 x 844 (a phone) and at 1280 x 800, in English and in Chinese: it
must not scroll sideways, and axe-core (vendored in tests/e2e/vendor/) must find no serious or
critical violation. To check one more page, add a line to PAGES.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page

from tests.helpers.browser import axe_violations, overflowing_elements
from tests.helpers.live import register_delegate_in

pytestmark = pytest.mark.e2e

WIDTHS = {390: 844, 1280: 800}  # a phone and a laptop: width -> height
LOCALES = {"en": "en-GB", "zh": "zh-CN"}  # the browser's preference chooses the site's language


RESEND_FORM = "form[action$='/register/resend-link']"


def send_resend_form(page: Page, email: str, *, expired: bool = False) -> int:
    """Fill in and send the "Already registered?" form of /register/, as a person does."""
    page.goto("/register/")
    form = page.locator(RESEND_FORM)
    form.locator("input[type=email]").fill(email)
    if expired:  # as if the session had ended since the page was loaded
        form.locator("input[name$=csrf_token]").evaluate("(token) => { token.value = 'stale'; }")
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").click()
    response = navigation.value
    assert response is not None
    return response.status


def resend_link_answer(page: Page, run: str) -> int:
    # One address per run: asking for a link is rate-limited per address.
    return send_resend_form(page, f"resend-{run}@example.com")


def expired_form(page: Page, run: str) -> int:
    return send_resend_form(page, "late@example.com", expired=True)


def send_registration(page: Page, email: str, *, complete: bool, extra_bytes: int = 0) -> int:
    """Send /register/ as a person does: whole (it lands on "check your inbox"), or with the
    name left out (the page comes back with its error summary); `extra_bytes` more text in one
    more field make the body as large as a pasted document would."""
    page.goto("/register/")
    form = page.locator("form[action$='/register/']")
    if complete:
        form.locator("#name").fill("Zhang Min")
    form.locator("#email").fill(email)
    form.locator("#organisation").fill("Hangzhou Demo Networks")
    form.locator("#country").select_option("CN")
    form.locator("#category").select_option("enterprise")
    form.locator("[data-clash-check] input[type=checkbox]").first.check()
    form.locator("#consent").check()
    if extra_bytes:
        form.evaluate(
            """(form, size) => {
                const pasted = document.createElement("textarea");
                pasted.name = "pasted";
                pasted.hidden = true;
                pasted.value = "x".repeat(size);
                form.append(pasted);
            }""",
            extra_bytes,
        )
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").click()
    response = navigation.value
    assert response is not None
    return response.status


def check_inbox(page: Page, run: str) -> int:
    return send_registration(page, f"inbox-{run}@example.com", complete=True)


def registration_errors(page: Page, run: str) -> int:
    return send_registration(page, f"errors-{run}@example.com", complete=False)


def too_large_form(page: Page, run: str) -> int:
    # Half as much again as MAX_CONTENT_LENGTH (1 MiB).
    return send_registration(page, f"large-{run}@example.com", complete=True, extra_bytes=1_500_000)


@dataclass(frozen=True)
class PageToCheck:
    name: str
    path: str = ""  # "{token}" stands for the test delegate's manage token
    status: int = 200
    submit: Callable[[Page, str], int] | None = None  # a page that answers a form instead
    server: str = "live_server"  # the fixture serving `path`: "outage_server" has no database
    # The first heading in English and Chinese, where the page must say what happened.
    heading: dict[str, str] | None = None

    def open(self, page: Page, run: str, fixture: Callable[[str], str]) -> int:
        """Open the page; `fixture` gives the test delegate's token or another server lazily."""
        if self.submit is not None:
            return self.submit(page, run)
        path = self.path.replace("{token}", fixture("delegate_token"))
        if self.server != "live_server":  # the tab's base URL is the live server's
            path = fixture(self.server) + path
        response = page.goto(path)
        assert response is not None
        return response.status


PAGES = [
    PageToCheck("home", "/"),
    PageToCheck("program-day", "/program/?day=2018-11-08"),
    PageToCheck("program-filter", "/program/?day=2018-11-08&subforum=fintech-credit-society"),
    PageToCheck("program-search", "/program/?q=closing"),
    PageToCheck("subforums", "/subforums/"),
    PageToCheck("subforum", "/subforums/fintech-credit-society/"),
    PageToCheck("session", "/sessions/1/"),
    PageToCheck("speakers", "/speakers/"),
    PageToCheck("speaker", "/speakers/ananya-kulkarni/"),
    PageToCheck("expo", "/expo/"),
    PageToCheck("exhibitor", "/expo/alariq-cognitive/"),
    PageToCheck("launches", "/expo/launches/"),
    PageToCheck("calendar", "/calendar/"),
    PageToCheck("register", "/register/"),
    PageToCheck("register-exhibitor", "/register/exhibitor/"),
    PageToCheck("register-errors", status=400, submit=registration_errors),
    PageToCheck("check-inbox", submit=check_inbox),
    PageToCheck("resend-link", submit=resend_link_answer),
    PageToCheck("privacy", "/privacy/"),
    PageToCheck("sources", "/sources/"),
    PageToCheck("me", "/me/{token}/"),
    PageToCheck("me-cancel", "/me/{token}/cancel"),
    PageToCheck("me-erase", "/me/{token}/erase"),
    PageToCheck("badge", "/me/{token}/badge"),
    PageToCheck("not-found", "/no-such-page/", status=404),
    PageToCheck("bad-filter", "/program/?day=banana", status=400),
    PageToCheck("expired-form", status=400, submit=expired_form),
    PageToCheck(
        "too-large",
        status=413,
        submit=too_large_form,
        heading={"en": "413 Request too large", "zh": "413 请求内容过大"},
    ),
    PageToCheck(
        "database-unavailable",
        "/register/",
        status=503,
        server="outage_server",
        heading={"en": "503 Service unavailable", "zh": "503 服务暂不可用"},
    ),
]

RUNS = [
    pytest.param(checked, width, language, id=f"{checked.name}-{width}-{language}")
    for width in WIDTHS
    for language in LOCALES
    for checked in PAGES
]


@pytest.fixture(scope="session")
def delegate_token(live_app) -> str:
    """A delegate with a seat: their private pages are pages too."""
    return register_delegate_in(live_app, "layout.checks@example.com")


@pytest.fixture(scope="session")
def tabs(browser, live_server) -> Iterator[Callable[[int, str], Page]]:
    """One tab per width and language, reused by every page in turn (the runs come grouped)."""
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
                bypass_csp=True,  # the site allows no inline script; axe is injected as one
            )
            current[key] = context.new_page()
            current[key].set_default_timeout(15_000)
        return current[key]

    yield tab
    for old in current.values():
        old.context.close()


@pytest.mark.parametrize(("checked", "width", "language"), RUNS)
def test_page_fits_the_screen_and_passes_the_accessibility_scan(
    checked: PageToCheck, width: int, language: str, tabs, request
):
    page = tabs(width, language)

    status = checked.open(page, f"{width}-{language}", request.getfixturevalue)

    assert status == checked.status
    assert page.locator("html").get_attribute("lang") == ("zh-Hans" if language == "zh" else "en")
    if checked.heading is not None:
        assert page.locator("h1").inner_text() == checked.heading[language]
    # Both checks run before either fails, so one run shows everything wrong with the page.
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


def test_the_scan_reports_a_serious_violation(tabs):
    """The scan itself must work: a button without a name is a critical violation."""
    page = tabs(390, "en")
    page.goto("/")
    page.evaluate("document.querySelector('main').append(document.createElement('button'))")

    violations = axe_violations(page)

    assert [(v["rule"], v["impact"], v["nodes"]) for v in violations] == [
        ("button-name", "critical", ["button"])
    ]
