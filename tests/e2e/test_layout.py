"""Product cards stack their parts without overlap, on a desktop and on a phone, in a real Chromium."""

import itertools

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# Title, badge, producer · district, price, availability and button: each must start below the one before.
CARD_PARTS = (".ocop-card__badge", ".ocop-card__title", ".ocop-card__producer", ".price_color", "form button")


def card_boxes(card) -> list[dict]:
    return [card.locator(selector).first.bounding_box() for selector in CARD_PARTS]


@pytest.mark.parametrize("width", [1280, 390])
def test_product_cards_stack_title_producer_price_and_button_without_overlap(page, live_server, demo_data, width):
    page.set_viewport_size({"width": width, "height": 900})
    for url in ("/catalogue/", "/"):
        page.goto(live_server.url + url)
        cards = page.locator(".product_pod:has(form button)")
        expect(cards.first).to_be_visible()
        for index in range(min(cards.count(), 8)):
            boxes = card_boxes(cards.nth(index))
            card = cards.nth(index).bounding_box()
            for upper, lower in itertools.pairwise(boxes):
                assert upper["y"] + upper["height"] <= lower["y"] + 0.5, (url, index, boxes)
            assert boxes[-1]["y"] + boxes[-1]["height"] <= card["y"] + card["height"] + 0.5, (url, index)
