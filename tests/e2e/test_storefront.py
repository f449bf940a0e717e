"""The storefront on a phone (390×844, and 360 px wide), in a real Chromium: what a shopper sees first."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def overflow(page) -> int:
    """How many pixels the page sticks out past the right edge of the screen."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_phone_shopper_sees_two_cards_on_the_first_screen_and_filters_in_a_drawer(page, live_server, demo_data):
    page.set_viewport_size(PHONE)
    for url in ("/catalogue/", "/search/?q=tra"):
        page.goto(live_server.url + url)
        cards = page.locator("#content_inner .product_pod")
        first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
        # The first card's picture and title are on the first screen, its neighbour beside it.
        title = cards.nth(0).locator(".ocop-card__title").bounding_box()
        assert title["y"] + title["height"] <= PHONE["height"], (url, title)
        assert second["y"] == first["y"] and second["x"] > first["x"] + first["width"] - 1, url
        expect(page.locator("header #id_q")).to_be_in_viewport()
        assert overflow(page) == 0, url

    # One menu button; the basket shows its count.
    expect(page.locator("header [data-target='#ocop-menu']")).to_have_count(1)
    expect(page.get_by_test_id("basket-count")).to_have_text("0")

    # The filters wait in a drawer behind "Lọc (0)"; picking one reloads with "Lọc (1)" and fewer products.
    page.goto(live_server.url + "/catalogue/")
    total = int(re.search(r"\d+", page.locator(".ocop-listing__count").inner_text())[0])
    stars = page.locator('[data-facet="stars"] a').first
    expect(stars).to_be_hidden()
    page.get_by_role("button", name="Lọc (0)").click()
    expect(stars).to_be_visible()
    page.keyboard.press("Escape")
    expect(stars).to_be_hidden()
    expect(page.get_by_role("button", name="Lọc (0)")).to_be_focused()
    page.get_by_role("button", name="Lọc (0)").click()
    stars.click()
    expect(page.get_by_role("button", name="Lọc (1)")).to_be_visible()
    narrowed = int(re.search(r"\d+", page.locator(".ocop-listing__count").inner_text())[0])
    assert 0 < narrowed < total

    # The menu opens below the header with the groups that have something to buy.
    page.locator("header [data-target='#ocop-menu']").click()
    expect(page.locator("#ocop-menu").get_by_role("link", name="Đồ uống")).to_be_visible()
    assert overflow(page) == 0


def test_nothing_sticks_out_of_a_360_pixel_screen(page, live_server, demo_data):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/catalogue/")
    product_url = page.locator("#content_inner .product_pod h3 a").first.get_attribute("href")
    page.locator("#content_inner .product_pod form button").first.click()
    expect(page.get_by_test_id("basket-count")).to_have_text("1")
    for url in ("/", "/catalogue/", product_url, "/basket/", "/search/?q=nuoc+mam", "/accounts/login/"):
        page.goto(live_server.url + url)
        assert overflow(page) == 0, url
