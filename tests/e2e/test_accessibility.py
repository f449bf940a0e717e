"""axe-core (vendored in static/vendor/axe-core) finds no serious or critical problem on the pages
that a buyer and a producer use, in a real Chromium."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from oscar.core.loading import get_model
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

Product = get_model("catalogue", "Product")
AXE = Path(settings.BASE_DIR, "static", "vendor", "axe-core", "axe.min.js").read_text(encoding="utf-8")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def serious_violations(page) -> list[str]:
    """Each serious or critical axe-core violation as "rule: target — what is wrong"."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE)
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".flatMap(v => v.nodes.map(n => `${v.id}: ${n.target.join(' ')} — `"
        " + (n.any[0] || n.all[0] || n.none[0] || {}).message))"
    )


def test_shop_checkout_and_portal_pages_have_no_serious_accessibility_violations(
    page, browser, live_server, demo_data, sign_in
):
    base = live_server.url
    found = {}

    def check(label: str) -> None:
        problems = serious_violations(page)
        if problems:
            found[label] = problems

    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.goto(base + "/")
        check(f"home {size['width']}")
        page.goto(base + "/catalogue/")
        check(f"catalogue {size['width']}")
        product_url = page.locator("#content_inner .product_pod h3 a").first.get_attribute("href")
        page.goto(base + product_url)
        check(f"product {size['width']}")

    page.goto(base + "/catalogue/")
    page.locator("#content_inner .product_pod form button").first.click()
    page.goto(base + "/basket/")
    expect(page.locator("#basket_formset")).to_be_attached()
    check("basket")
    page.goto(base + "/checkout/")
    check("checkout sign-in")
    page.fill("#id_username", "khach@example.vn")
    page.check("input[name=options][value=anonymous]")
    page.locator("form:has(#id_username) button[type=submit]").click()
    page.wait_for_load_state()
    check("checkout address")

    sign_in("nhasanxuat@demo.ocop.vn")
    for path in ("/producer/", "/producer/products/", "/producer/products/new/", "/producer/orders/"):
        page.goto(base + path)
        check(path)

    # The staff dashboard's order page runs its scripts without an error (Oscar's initTable was missing).
    from catalog import demo
    from shop.order.tests.factories import place_order

    order = place_order(Product.objects.get(pk=re.search(r"_(\d+)/$", product_url)[1]))
    staff = browser.new_context(locale="vi-VN").new_page()
    errors = []
    staff.on("pageerror", lambda error: errors.append(str(error)))
    staff.on("console", lambda message: message.type == "error" and errors.append(message.text))
    staff.goto(base + "/accounts/login/")
    staff.fill("#id_login-username", "admin@demo.ocop.vn")
    staff.fill("#id_login-password", demo.DEMO_PASSWORD)
    staff.click("button[name=login_submit]")
    staff.wait_for_load_state()
    staff.goto(base + f"/dashboard/orders/{order.number}/")
    staff.wait_for_load_state("networkidle")
    expect(staff.locator("#order_status_form select option").first).to_be_attached()
    staff.context.close()
    assert errors == []

    assert not found, "\n".join(f"{label}:\n  " + "\n  ".join(problems) for label, problems in found.items())
