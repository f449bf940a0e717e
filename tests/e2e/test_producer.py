"""The demo producer runs its own shop, in a real Chromium.

It adds a product with two images and an OCOP certificate, sees it wait for
approval; staff approve product and certificate in the moderation queue; the
product is on sale with its badge; an order arrives and the producer ships it.
"""

import re

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from catalog.tests.factories import days_ago
from catalog.tests.helpers import image_bytes, pdf_bytes

pytestmark = pytest.mark.e2e

Product = get_model("catalogue", "Product")
OcopCertificate = get_model("catalogue", "OcopCertificate")
Line = get_model("order", "Line")

TITLE = "Trà túi lọc sâm Ngọc Linh thử nghiệm"


def log_in(page, base_url: str, email: str) -> None:
    from catalog import demo

    page.goto(base_url + "/accounts/login/")
    page.fill("#id_login-username", email)
    page.fill("#id_login-password", demo.DEMO_PASSWORD)
    page.click("button[name=login_submit]")
    page.wait_for_load_state()


def test_producer_lists_a_product_gets_it_approved_and_ships_an_order(page, browser, live_server, demo_data, tmp_path):
    base = live_server.url
    front, back = tmp_path / "mat-truoc.jpg", tmp_path / "mat-sau.png"
    front.write_bytes(image_bytes("JPEG", size=(800, 600)))
    back.write_bytes(image_bytes("PNG", size=(600, 600), color=(20, 120, 40)))
    scan = tmp_path / "quyet-dinh.pdf"
    scan.write_bytes(pdf_bytes())

    # On a phone, the producer changes the price of one of its demo products and saves on the first try.
    log_in(page, base, "nhasanxuat@demo.ocop.vn")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/producer/products/")
    demo_product = Product.objects.get(pk=page.locator("tr[data-product]").first.get_attribute("data-product"))
    page.locator("tr[data-product] td a[href*='/producer/products/']").first.click()
    page.fill("#id_price", "199000")
    page.get_by_test_id("product-form").locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(".invalid-feedback")).to_have_count(0)
    assert demo_product.stockrecords.filter(price=199000).exists()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
    page.set_viewport_size({"width": 1280, "height": 900})

    # The producer adds a product with two images.
    page.goto(base + "/producer/")
    expect(page.get_by_test_id("portal-nav")).to_contain_text("HTX Bảo Tâm")
    page.goto(base + "/producer/products/new/")
    page.fill("#id_title", TITLE)
    page.fill("#id_description", "Trà túi lọc từ lá sâm Ngọc Linh trồng dưới tán rừng.")
    page.select_option("#id_category", index=1)
    page.fill("#id_price", "120000")
    page.fill("#id_stock", "15")
    page.fill("#id_weight_grams", "200")
    page.set_input_files("#id_images", [str(front), str(back)])
    page.get_by_test_id("product-form").locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/producer/products/\d+/$"))
    product = Product.objects.get(title=TITLE)
    assert product.images.count() == 2 and product.moderation == "pending"
    expect(page.get_by_test_id("product-status").locator(".badge-warning")).to_be_visible()

    # ... and its OCOP certificate.
    page.goto(base + f"/producer/products/{product.pk}/certificates/new/")
    page.select_option("#id_stars", "4")
    page.fill("#id_score", "78")
    page.fill("#id_decision_number", "1234/QĐ-UBND")
    page.fill("#id_decision_date", days_ago(30).isoformat())
    page.select_option("#id_level", "province")
    page.set_input_files("#id_scan_file", str(scan))
    page.get_by_test_id("certificate-form").locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/producer/products/{product.pk}/$"))
    certificate = OcopCertificate.objects.get(product=product)
    assert certificate.status == "pending"
    page.goto(base + "/producer/products/")
    row = page.locator(f'tr[data-product="{product.pk}"]')
    expect(row.get_by_test_id("moderation-status")).to_have_class(re.compile("badge-warning"))
    expect(row.locator(".ocop-badge")).to_have_count(0)
    expect(row.locator("img")).to_have_count(1)  # the thumbnail

    # Not in the shop yet.
    assert page.goto(base + product.get_absolute_url()).status == 404

    # Staff approve product and certificate in one queue.
    staff_context = browser.new_context(locale="vi-VN")
    staff = staff_context.new_page()
    log_in(staff, base, "admin@demo.ocop.vn")
    staff.goto(base + "/moderation/")
    staff.locator(f'[data-decide="product-{product.pk}"] button[value=approved]').click()
    staff.wait_for_load_state()
    staff.locator(f'[data-decide="certificate-{certificate.pk}"] button[value=approved]').click()
    staff.wait_for_load_state()
    expect(staff.get_by_test_id("decision-log")).to_contain_text(TITLE)
    staff_context.close()

    # On sale, with its badge.
    page.goto(base + product.get_absolute_url())
    expect(page.locator("h1")).to_contain_text(TITLE)
    expect(page.locator(".ocop-badge--4").first).to_be_visible()
    expect(page.locator("#add_to_basket_form")).to_be_visible()

    # An order arrives; the producer confirms and ships it.
    from shop.order.tests.factories import place_order

    order = place_order((Product.objects.get(pk=product.pk), 2), email="khach@example.vn")
    page.goto(base + "/producer/orders/")
    page.locator(f'tr[data-order="{order.number}"] a').click()
    expect(page.get_by_test_id("delivery")).to_contain_text("Hội An")
    page.locator("[data-line] button.btn-success").click()
    page.wait_for_load_state()
    page.fill("#tracking", "VNPOST123456789")
    page.get_by_test_id("ship-form").locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("line-status")).to_contain_text("VNPOST123456789")
    line = Line.objects.get(order=order)
    assert line.status == "shipped" and line.tracking_number == "VNPOST123456789"
    order.refresh_from_db()
    assert order.status == "shipped"
    page.screenshot(path="/tmp/e2e-producer-shipped.png", full_page=True)
