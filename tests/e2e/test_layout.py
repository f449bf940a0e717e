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


def test_a_phone_reader_in_english_sees_every_certificate_line_without_sideways_scrolling(
    page, live_server, transactional_db, browser
):
    """The certificate registry and a product's certificate history were tables cut off at 390 px; they are
    cards on a phone now, each line headed by its column's name."""
    import datetime

    from catalog.tests.factories import CertificateFactory, make_certified_product

    product = make_certified_product(stars=4, title="Mật ong rừng Chiên Đàn")
    CertificateFactory(product=product, stars=3, score=60, decision_date=datetime.date(2019, 7, 1))
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    phone = context.new_page()

    for url, table in ((product.get_absolute_url(), ".ocop-history table"), ("/chung-nhan/", "table.ocop-stack")):
        phone.goto(live_server.url + url)
        expect(phone.locator(table).first).to_be_visible()
        widest = phone.evaluate(
            """(selector) => Math.max(...[...document.querySelectorAll(selector + ' td')].map(
                   (cell) => cell.getBoundingClientRect().right))""",
            table,
        )
        assert widest <= 390, (url, widest)
        assert phone.evaluate("document.documentElement.scrollWidth") == 390
    context.close()
