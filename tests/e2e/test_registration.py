"""A delegate registers, keeps their private link, leaves a subforum and cancels, in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

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


def test_register_open_the_link_leave_a_subforum_and_cancel(page):
    fill_registration(page, "zhang.min@example.com")
    page.get_by_role("button", name="Register", exact=True).click()

    expect(page).to_have_url(re.compile(r"/me/[A-Za-z0-9_-]{43}/$"))
    expect(page.locator(".flash-success")).to_contain_text("your registration is saved")
    expect(page.locator(".status")).to_have_text("Confirmed")
    expect(page.locator(".seat-list li")).to_have_count(2)
    private_link = page.url

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
    expect(page.locator("#email-errors")).to_have_text("Please enter a valid e-mail address.")
    expect(page.get_by_label("Full name")).to_have_value("Zhang Min")
    expect(page.get_by_label(re.compile(f"^{re.escape(FINTECH)}"))).to_be_checked()


def test_the_badge_prints_a_qr_code(page):
    fill_registration(page, "badge.holder@example.com")
    page.get_by_role("button", name="Register", exact=True).click()
    page.get_by_role("link", name="Show my badge").click()

    expect(page.locator(".badge-name")).to_have_text("Zhang Min")
    expect(page.locator(".badge-qr svg")).to_be_visible()
