"""A delegate registers, keeps their private link, leaves a subforum and cancels, in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.helpers.live import emailed_link

pytestmark = pytest.mark.e2e

FINTECH = "Fintech and Building a Credit Society"
ECONOMY = "Entrepreneurs' Summit Dialogue: Digital Economy in the New Era"


def fill_registration(page, email: str) -> None:
    page.goto("/register/")
    page.get_by_label("Full name").fill("Zhang Min")
    page.get_by_label("Chinese name (optional)").fill("张敏")
    page.get_by_label("E-mail address").first.fill(email)
    page.get_by_label("Organisation").fill("Hangzhou Demo Networks")
    page.get_by_label("Job title").fill("Engineer")
    page.get_by_label("Country or region").select_option("CN")
    page.get_by_label("Delegate category").select_option("enterprise")
    page.get_by_label(re.compile(f"^{re.escape(FINTECH)}")).check()
    page.get_by_label(re.compile(f"^{re.escape(ECONOMY)}")).check()
    page.get_by_label(re.compile("^I agree that my details")).check()


def register_and_open_the_link(page, live_app, email: str) -> str:
    fill_registration(page, email)
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page).to_have_url(re.compile(r"/register/check-inbox$"))
    expect(page.locator("h1")).to_have_text("Check your inbox")
    private_link = emailed_link(live_app, email)
    page.goto(private_link)
    return private_link


def test_register_open_the_link_leave_a_subforum_and_cancel(page, live_app):
    private_link = register_and_open_the_link(page, live_app, "zhang.min@example.com")

    expect(page.locator(".flash-success")).to_contain_text("your e-mail address is confirmed")
    expect(page.locator(".status")).to_have_text("Confirmed")
    expect(page.locator(".seat-status")).to_have_text(["Seat confirmed", "Seat confirmed"])

    page.goto("/")
    page.goto(private_link)
    seat = page.locator(".seat-list li").filter(has_text=FINTECH)
    seat.get_by_role("button", name=re.compile("^Leave")).click()
    expect(page.locator(".flash-success")).to_contain_text(f"You have left “{FINTECH}”.")
    expect(page.locator(".seat-list li")).to_have_count(1)

    page.get_by_role("link", name="Cancel my whole registration…").click()
    page.get_by_role("button", name="Yes, cancel my registration").click()
    expect(page.locator(".status")).to_have_text("Cancelled")
    expect(page.locator(".seat-list li")).to_have_count(0)


def test_a_mistake_is_shown_beside_the_field_and_the_typing_is_kept(page):
    fill_registration(page, "not-an-address")
    page.get_by_role("button", name="Register", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("Your registration could not be saved yet.")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#email-errors")).to_have_text("Please enter a valid e-mail address.")
    expect(page.get_by_label("Full name")).to_have_value("Zhang Min")
    expect(page.get_by_label(re.compile(f"^{re.escape(FINTECH)}"))).to_be_checked()


def test_the_badge_prints_a_qr_code(page, live_app):
    register_and_open_the_link(page, live_app, "badge.holder@example.com")
    page.get_by_role("link", name="Show my badge").click()

    expect(page.locator(".badge-name")).to_have_text("Zhang Min")
    expect(page.locator(".badge-qr svg")).to_be_visible()


def test_a_double_click_on_register_still_leads_to_check_your_inbox(page, live_app):
    fill_registration(page, "double.click@example.com")
    page.get_by_role("button", name="Register", exact=True).dblclick()

    expect(page).to_have_url(re.compile(r"/register/check-inbox$"))
    expect(page.locator("h1")).to_have_text("Check your inbox")


def test_ticking_a_clashing_subforum_marks_it_at_once(page):
    page.goto("/register/")
    subforums = page.locator("[data-clash-check] input[type=checkbox]")
    first = subforums.nth(0)
    first.check()
    first_title = first.get_attribute("data-title")

    clashing = page.locator(".clash-note:not([hidden])")
    expect(clashing.first).to_have_text(f"At the same time as “{first_title}”")
    first.uncheck()
    expect(clashing).to_have_count(0)
