"""A guest buys from two producers with cash on delivery on a phone-sized screen (390×844), in a real Chromium."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product
from shop.checkout.tests.factories import ensure_vietnam
from tests.e2e.steps import guest_checkout_with_cash_on_delivery

Order = get_model("order", "Order")


@pytest.mark.e2e
def test_guest_buys_from_two_producers_with_cash_on_delivery_on_a_phone(live_server, transactional_db, page):
    page.set_viewport_size({"width": 390, "height": 844})
    ensure_vietnam()
    tea = make_certified_product(price=Decimal("120000"), stock=5, title="Trà sâm Ngọc Linh")
    mat = make_certified_product(price=Decimal("90000"), stock=5, title="Chiếu cói Duy Xuyên")

    for product in (tea, mat):
        page.goto(live_server.url + product.get_absolute_url())
        page.locator("#add_to_basket_form button[type=submit]").click()
        page.wait_for_load_state()

    guest_checkout_with_cash_on_delivery(page, live_server.url)
    order = Order.objects.get()
    body = page.locator("body").inner_text()
    assert order.number in body
    assert tea.producer.partner.name in body and mat.producer.partner.name in body
    assert page.locator(".order-part").count() == 2
    assert order.lines.count() == 2
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
