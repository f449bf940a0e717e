"""``make screenshots``: the demo's main pages at phone (390×844) and desktop (1280×900) size, for review.

Not a test (pytest collects only ``test_*.py``): ``make screenshots`` runs this file explicitly. It loads
the demo into the live server's database, walks a buyer's and a producer's pages and writes full-page
PNGs to ``screenshots/`` (kept out of git by .gitignore), named ``<page>-<width>.png``; the buyer's pages
also in English, as ``en-<page>-<width>.png``.
"""

from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.e2e

OUT = Path(settings.BASE_DIR, "screenshots")
SIZES = ({"width": 390, "height": 844}, {"width": 1280, "height": 900})


def shoot(page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    for size in SIZES:
        page.set_viewport_size(size)
        page.screenshot(path=str(OUT / f"{name}-{size['width']}.png"), full_page=True)


def test_write_screenshots(page, browser, live_server, demo_data, sign_in):
    from cms.demo import load_cms_demo
    from cms.models import CampaignPage, EventPage, NewsPage
    from outlets.models import Outlet

    load_cms_demo()
    OUT.mkdir(exist_ok=True)
    base = live_server.url

    def visit(name: str, path: str) -> None:
        page.goto(base + path)
        shoot(page, name)

    def shop_pages(prefix: str) -> None:
        """A buyer's pages, from the home page to the address step, then the editorial and sales point pages."""

        def visit(name: str, path: str) -> None:
            page.goto(base + path)
            shoot(page, prefix + name)

        visit("home", "/")
        visit("catalogue", "/catalogue/")
        visit("search", "/search/?q=tra")
        product_url = page.locator("#content_inner .product_pod h3 a").first.get_attribute("href")
        visit("product", product_url)
        producer_url = page.locator("a[href*='/nha-san-xuat/']").first.get_attribute("href")
        visit("producer-shop", producer_url)
        page.goto(base + product_url)
        page.locator("#add_to_basket_form button[type=submit]").click()
        page.wait_for_load_state()
        visit("basket", "/basket/")
        visit("checkout-gateway", "/checkout/")
        page.fill("#id_username", "khach@example.vn")
        page.check("input[name=options][value=anonymous]")
        page.locator("form:has(#id_username) button[type=submit]").click()
        page.wait_for_load_state()
        shoot(page, prefix + "checkout-address")

        visit("campaign", CampaignPage.objects.live().first().url)
        visit("event", EventPage.objects.live().first().url)
        visit("news", NewsPage.objects.live().first().url)
        visit("sales-points", "/sales-points/")
        visit("sales-point", f"/sales-points/{Outlet.objects.order_by('pk').first().slug}/")
        visit("certificate-registry", "/chung-nhan/")
        visit("not-found", "/khong-co-trang-nay/")

    shop_pages("")
    # The same pages in English (the language cookie the switcher sets), named en-<page>-<width>.png.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    shop_pages("en-")
    page.context.clear_cookies()

    sign_in("nhasanxuat@demo.ocop.vn")
    visit("portal", "/producer/")
    visit("portal-products", "/producer/products/")
    edit_url = page.locator("tr[data-product] a[href*='/producer/products/']").first.get_attribute("href")
    visit("portal-product-edit", edit_url)
    visit("portal-orders", "/producer/orders/")

    staff = browser.new_context(locale="vi-VN").new_page()
    staff.goto(base + "/accounts/login/")
    staff.fill("#id_login-username", "admin@demo.ocop.vn")
    from catalog import demo

    staff.fill("#id_login-password", demo.DEMO_PASSWORD)
    staff.click("button[name=login_submit]")
    staff.wait_for_load_state()
    for name, path in (
        ("programme", "/chuong-trinh/"),
        ("dashboard", "/dashboard/"),
        ("dashboard-orders", "/dashboard/orders/"),
    ):
        staff.goto(base + path)
        shoot(staff, name)
    staff.context.close()
