"""Forms and buttons that looked broken: each check measures what a person saw, in Chromium."""

from __future__ import annotations

import pytest

from tests.helpers.live import register_delegate_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def box(page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return {**found, "right": found["x"] + found["width"], "bottom": found["y"] + found["height"]}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_the_consent_box_sits_beside_its_label(page, viewport):
    page.set_viewport_size(viewport)
    page.goto("/register/")

    checkbox = box(page, "input#consent")
    label = box(page, "label[for=consent]")

    assert (checkbox["right"] < label["x"], checkbox["y"] < label["bottom"]) == (True, True)


def test_the_resend_button_lines_up_with_its_address_box(page):
    page.set_viewport_size(DESKTOP)
    page.goto("/register/")
    form = "form[action$='/register/resend-link']"

    field = box(page, f"{form} input[type=email]")
    button = box(page, f"{form} button")

    edges = [round(side) for side in (button["y"], button["bottom"], field["y"], field["bottom"])]
    assert edges[:2] == edges[2:]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("path", ["/expo/", "/program/?day=2018-11-08"], ids=["expo", "program"])
def test_filter_menus_show_their_choice_whole_at_the_search_box_height(page, viewport, path):
    page.set_viewport_size(viewport)
    page.goto(path)

    # A copy of each menu holding only its chosen option is exactly as wide as that label needs.
    cut_off = page.evaluate(
        """() => [...document.querySelectorAll(".filters select")].filter((menu) => {
            const copy = menu.cloneNode(false);
            copy.append(menu.selectedOptions[0].cloneNode(true));
            copy.style.width = "auto";
            copy.style.maxWidth = "none";
            copy.style.position = "absolute";
            document.body.append(copy);
            const needed = copy.offsetWidth;
            copy.remove();
            return menu.offsetWidth < needed;
        }).map((menu) => menu.name)"""
    )
    heights = page.evaluate(
        """() => [...document.querySelectorAll(
            ".filters select, .filters input[type=search], .filters input[type=text]"
        )].map((control) => control.offsetHeight)"""
    )

    assert (cut_off, set(heights)) == ([], {heights[0]})


def test_calendar_buttons_are_evenly_spaced_and_never_touch(page):
    page.set_viewport_size(PHONE)
    page.goto("/calendar/")

    gaps = page.evaluate(
        """() => [...document.querySelectorAll(".button-row")].map((row) => {
            const [first, second] = [...row.children].map((b) => b.getBoundingClientRect());
            return second.top >= first.bottom
                ? Math.round(second.top - first.bottom)
                : Math.round(second.left - first.right);
        })"""
    )

    assert set(gaps) == {8}


def test_my_calendar_buttons_share_one_style(page, live_app):
    page.set_viewport_size(DESKTOP)
    page.goto(f"/me/{register_delegate_in(live_app, 'calendar.style@example.com')}/")

    styles = page.evaluate(
        """() => [...document.querySelectorAll("#calendar a, #calendar button")].map((b) => {
            const style = getComputedStyle(b);
            return [style.fontSize, style.paddingTop, style.borderRadius, b.offsetHeight];
        })"""
    )

    assert (len(styles), len(set(map(tuple, styles)))) == (3, 1)
