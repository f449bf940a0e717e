"""A shopper browses to a 5★ product and puts it in the basket, in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

FIVE_STAR = "Bánh dừa nướng Quý Thu"


def test_a_shopper_finds_a_five_star_product_and_puts_it_in_the_basket(page, live_server, demo_data):
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_contain_text("Sản phẩm OCOP chính hiệu của Quảng Nam")
    expect(page.locator(".home-featured .product_pod").first).to_be_visible()
    expect(page.locator(".home-featured")).to_contain_text(FIVE_STAR)

    page.locator(".home-hero a.btn").click()
    expect(page).to_have_url(re.compile(r"/catalogue/$"))
    cards = page.locator(".product_pod")
    expect(cards.first).to_be_visible()
    expect(page.locator(".product_pod .ocop-badge--4").first).to_be_visible()

    page.locator('[data-facet="stars"] a', has_text="5").first.click()
    expect(page).to_have_url(re.compile(r"stars=5"))
    expect(cards).to_have_count(2)  # the demo's two 5★ products
    expect(page.locator(".product_pod .ocop-badge--5")).to_have_count(2)
    expect(page.locator(".product_pod .ocop-badge--4")).to_have_count(0)

    page.locator(".product_pod h3 a", has_text=FIVE_STAR).click()
    expect(page.locator("h1")).to_contain_text(FIVE_STAR)
    expect(page.locator("body")).to_contain_text("OCOP 5 sao")
    expect(page.locator("body")).to_contain_text("377/QĐ")

    with page.expect_navigation():
        page.locator("#add_to_basket_form button[type=submit]").click()
    page.goto(live_server.url + "/basket/")
    expect(page.locator("#basket_formset, .basket-items").first).to_contain_text(FIVE_STAR)
