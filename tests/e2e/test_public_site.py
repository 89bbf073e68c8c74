"""What a delegate clicks through on the public site, in a real Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

FINTECH = "Fintech and Building a Credit Society"


def test_browse_the_program_by_day_and_open_a_session(page):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Program").click()

    page.get_by_role("navigation", name="Days").get_by_role(
        "link", name=re.compile("Thu 8 Nov")
    ).click()

    expect(page).to_have_url(re.compile(r"/program/\?day=2018-11-08$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Program")
    expect(page.locator(".lead")).to_have_text("Thursday, November 8, 2018")
    fintech_cards = page.locator(".session-card").filter(has_text=FINTECH)
    expect(fintech_cards).to_have_count(2)

    first = fintech_cards.first.get_by_role("heading", level=3).get_by_role("link")
    title = first.inner_text()
    first.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.locator(".facts")).to_contain_text("Longfeng Hall")
    expect(page.locator(".facts")).to_contain_text("Thu 8 Nov, 08:30")


def test_filter_the_program_by_subforum_with_the_form(page):
    page.goto("/program/?day=2018-11-08")

    page.get_by_label("Subforum", exact=True).select_option(label=FINTECH)
    page.get_by_role("button", name="Show sessions").click()

    expect(page).to_have_url(re.compile(r"subforum="))
    expect(page.locator(".results-count")).to_have_text("2 sessions")
    expect(page.locator(".session-card .subforum-link")).to_have_text([FINTECH, FINTECH])
    page.get_by_role("link", name="Clear filters").click()
    expect(page.locator(".session-card")).not_to_have_count(2)


def test_search_the_program_from_one_day_finds_sessions_on_another(page):
    page.goto("/program/?day=2018-11-07")

    page.get_by_label("Search titles, speakers and subforums").fill("closing")
    page.get_by_role("button", name="Show sessions").click()

    expect(page.locator(".results-count")).to_have_text("1 session")
    expect(page.locator(".day-heading")).to_have_text(["Friday, November 9, 2018"])
    expect(page.locator(".session-card h3")).to_have_text(["Closing ceremony"])
    page.get_by_role("navigation", name="Days").get_by_role(
        "link", name=re.compile("Fri 9 Nov")
    ).click()
    expect(page).to_have_url(re.compile(r"#day-2018-11-09$"))


def test_a_bad_filter_in_the_address_is_explained_not_failed(page):
    response = page.goto("/program/?day=banana")

    assert response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("Choose a day of the program from the list.")
    page.get_by_role("alert").get_by_role("link").click()
    expect(page.get_by_label("Day", exact=True)).to_be_focused()


def test_switch_to_chinese_and_back_keeps_the_page(page):
    page.goto("/subforums/")

    page.get_by_role("navigation", name="Language").get_by_role("link", name="中文").click()

    expect(page).to_have_url(re.compile(r"/subforums/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("link", name="金融科技与信用社会建设")).to_be_visible()

    page.goto("/program/?day=2018-11-08")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/program/\?day=2018-11-08$"))


def test_search_the_expo_directory(page):
    page.goto("/expo/")
    expect(page.locator(".results-count")).to_have_text("424 exhibitors")

    page.get_by_label("Search companies and products").fill("华为")
    page.keyboard.press("Enter")

    expect(page.locator(".results-count")).to_have_text("1 of 424 exhibitors matches")
    page.get_by_role("link", name="Huawei").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Huawei")


def test_expo_filters_for_launching_exhibitors_page_through_results(page):
    page.goto("/expo/")

    page.get_by_label("Only exhibitors launching a product").check()
    page.get_by_role("button", name="Show exhibitors").click()

    expect(page.locator(".results-count")).to_have_text("151 of 424 exhibitors match")
    expect(page.locator(".badge-launch")).to_have_count(24)
    page.get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"launches=1.*page=2|page=2.*launches=1"))
    expect(page.locator(".exhibitor-card")).to_have_count(24)


def test_keyboard_user_can_skip_to_content(page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator("main")).to_be_focused()


def test_pages_render_without_console_errors_or_blocked_resources(page):
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    # A navigation aborts the previous page's pending loads (ERR_ABORTED): that is not a failure.
    page.on(
        "requestfailed",
        lambda request: (
            problems.append(request.url) if request.failure != "net::ERR_ABORTED" else None
        ),
    )

    for path in ["/", "/program/", "/subforums/", "/speakers/", "/expo/", "/expo/launches/"]:
        response = page.goto(path)
        assert response.status == 200, path

    assert problems == []
