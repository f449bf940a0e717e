"""A shopper searches without tone marks, sorts, filters and follows a spelling suggestion, in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

FISH_SAUCES = ["Nước mắm Duy Trinh", "Nước mắm Cửa Khe", "Nước mắm làng Bích Họa", "Nước mắm Tư Tài"]


def card_prices(page) -> list[int]:
    texts = page.locator("#content_inner .product_pod .price_color").all_inner_texts()
    return [int(re.sub(r"\D", "", text)) for text in texts]


def test_a_shopper_finds_fish_sauce_typed_without_tone_marks_and_narrows_it(page, live_server, demo_data):
    page.goto(live_server.url + "/")
    page.fill("header #id_q", "nuoc mam")
    page.press("header #id_q", "Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=nuoc\+mam"))
    expect(page.locator("header #id_q")).to_have_value("nuoc mam")
    listing = page.locator("#content_inner")
    for title in FISH_SAUCES:
        expect(listing).to_contain_text(title)
    expect(listing).not_to_contain_text("Trà")

    # Oscar's script submits the sort form as soon as the order changes.
    page.select_option("#id_sort_by", "price-asc")
    expect(page).to_have_url(re.compile(r"sort_by=price-asc"))
    prices = card_prices(page)
    assert len(prices) == len(FISH_SAUCES) and prices == sorted(prices)

    district = page.locator('[data-facet="district"] a').first
    district_name = district.inner_text().replace("☐", "").strip()
    district.click()
    expect(page).to_have_url(re.compile(r"district="))
    expect(page.locator('[data-facet="district"] a[aria-current="true"]')).to_contain_text(district_name)
    assert len(card_prices(page)) < len(FISH_SAUCES)
    page.screenshot(path="/tmp/e2e-search-filtered.png", full_page=True)

    page.locator("a", has_text="Bỏ tất cả bộ lọc").first.click()
    expect(page.locator("#content_inner .product_pod")).to_have_count(len(FISH_SAUCES))


def test_a_misspelt_search_leads_to_the_products_through_the_suggestion(page, live_server, demo_data):
    page.goto(live_server.url + "/search/?q=nuoc+mamm")

    expect(page.locator("#content_inner")).to_contain_text("Có phải bạn muốn tìm")
    page.locator(".ocop-listing__suggestion a").click()

    expect(page).to_have_url(re.compile(r"q=nuoc\+mam$"))
    expect(page.locator("#content_inner .product_pod")).to_have_count(len(FISH_SAUCES))


def test_a_shopper_picks_a_suggestion_with_the_keyboard(page, live_server, demo_data):
    page.goto(live_server.url + "/")
    box = page.locator("header #id_q")
    box.fill("nuoc mam")

    listbox = page.locator("#ocop-suggest")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.locator('[role="option"]')
    expect(options.first).to_contain_text("Nước mắm")
    page.screenshot(path="/tmp/e2e-search-suggest.png")

    box.press("ArrowDown")
    box.press("ArrowDown")
    second = options.nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    title = second.locator("a").inner_text()
    box.press("Escape")
    expect(listbox).to_be_hidden()

    box.press("ArrowDown")  # opens the list again on its first suggestion
    box.press("ArrowDown")
    box.press("Enter")
    expect(page.locator("h1")).to_contain_text(title)
