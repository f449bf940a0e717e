"""A buyer finds the points in Hội An, sees which hold a product, collects it there; the manager records it."""

import re
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from catalog.tests.factories import DistrictFactory, make_certified_product
from outlets.selectors import ledger_problems
from outlets.tests.factories import make_outlet, manager, stock_at
from shop.checkout.tests.factories import ensure_vietnam

Order = get_model("order", "Order")


@pytest.mark.e2e
def test_a_buyer_collects_a_product_at_a_point_in_hoi_an_and_the_manager_records_it(
    live_server, transactional_db, page, browser
):
    ensure_vietnam()
    hoi_an, tam_ky = DistrictFactory(name="Hội An", slug="hoi-an"), DistrictFactory(name="Tam Kỳ", slug="tam-ky")
    ana = manager("ana@example.vn")
    point = make_outlet(name="Điểm bán OCOP Phố Cổ", district=hoi_an, managers=[ana])
    make_outlet(name="Trung tâm OCOP Tam Kỳ", district=tam_ky, lat="15.5736", lng="108.4740")
    tea = make_certified_product(price=Decimal("120000"), stock=5, title="Trà sâm Ngọc Linh")
    shelf = stock_at(point, tea, 3)

    # The map, filtered to Hội An: the point is listed (and pinned) and its page says it holds the tea.
    page.goto(live_server.url + "/sales-points/?district=hoi-an")
    listed = page.locator("[data-testid=outlet-list]").inner_text()
    assert "Điểm bán OCOP Phố Cổ" in listed and "Tam Kỳ" not in listed
    assert page.locator(".leaflet-marker-icon").count() == 1
    page.click("text=Điểm bán OCOP Phố Cổ")
    assert "Trà sâm Ngọc Linh" in page.locator("[data-testid=outlet-stock]").inner_text()

    # The product page names the point; the buyer orders it for collection there.
    page.goto(live_server.url + tea.get_absolute_url())
    assert "Điểm bán OCOP Phố Cổ" in page.locator("[data-testid=available-at]").inner_text()
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/checkout/")
    page.fill("#id_username", "khach@example.vn")
    page.check("input[name=options][value=anonymous]")
    page.locator("form:has(#id_username) button[type=submit]").click()
    # Delivery or collection comes first: collecting at the point needs no delivery address.
    page.wait_for_url(re.compile(r"/checkout/shipping-method/"))
    page.locator(f"form:has(input[name=method_code][value=collect-{point.pk}]) button[type=submit]").click()
    page.wait_for_url(re.compile(r"/checkout/shipping-address/"))
    assert "Điểm bán OCOP Phố Cổ" in page.locator("[data-testid=collection-point]").inner_text()
    assert page.locator("#id_line1").count() == 0 and page.locator("#id_ward").count() == 0
    page.fill("#id_first_name", "Nguyễn Thị Lan")
    page.fill("#id_phone_number", "0905 123 456")
    page.locator("form:has(#id_first_name) button[type=submit]").click()
    page.wait_for_url(re.compile(r"/checkout/payment-method/"))
    cash = page.locator("label[for=id_method_0]").inner_text()
    assert "Thanh toán khi nhận hàng tại điểm bán" in cash and "người giao hàng" not in cash
    page.check("input[name=method][value=cod]")
    page.click("#choose-payment")
    page.wait_for_url(re.compile(r"/checkout/preview/"))
    assert "Thanh toán khi nhận hàng tại điểm bán" in page.locator("#chosen-payment-method").inner_text()
    page.click("#place-order")
    page.wait_for_url(re.compile(r"/checkout/thank-you/"))
    assert "Thanh toán khi nhận hàng tại điểm bán" in page.locator("#order-payment").inner_text()
    order = Order.objects.get()
    assert order.shipping_code == f"collect-{point.pk}"
    assert (order.shipping_address.first_name, order.shipping_address.line1) == ("Nguyễn Thị Lan", point.street)

    # The manager sees the reservation and records the collection.
    staff_page = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}).new_page()
    staff_page.goto(live_server.url + "/accounts/login/")
    staff_page.fill("#id_login-username", "ana@example.vn")
    staff_page.fill("#id_login-password", "mat-khau-123")
    staff_page.click("button[name=login_submit]")
    staff_page.wait_for_load_state()
    staff_page.goto(live_server.url + f"/sales-points/{point.slug}/collections/")
    row = staff_page.locator(f"[data-order='{order.number}']")
    assert "Trà sâm Ngọc Linh" in row.inner_text()
    assert "Thanh toán khi nhận hàng tại điểm bán" in row.locator("[data-testid=collection-payment]").inner_text()
    row.locator("button:has-text('Đã nhận hàng')").click()
    staff_page.wait_for_load_state()

    shelf.refresh_from_db()
    assert (shelf.num_in_stock, shelf.num_allocated) == (2, 0)
    assert ledger_problems() == []
    staff_page.context.close()
