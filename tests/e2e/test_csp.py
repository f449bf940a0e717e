"""With the Content-Security-Policy on, every page of a whole journey loads with no violation, in a real Chromium.

A guest browses (home, catalogue, a product) and buys with cash on delivery; then the
administrator opens the Oscar dashboard (orders, a product form with its editor) and the
Wagtail admin (the dashboard and the edit form of an event, with its date pickers and
inline panels). Chromium reports each blocked script, style, frame or connection as a
``securitypolicyviolation`` event and on the console; the test collects both.
"""

import pytest
from oscar.core.loading import get_model

from cms.models import CampaignIndexPage, HomePage
from tests.e2e.steps import guest_checkout_with_cash_on_delivery

Order = get_model("order", "Order")

LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = event.target && event.target.outerHTML ? event.target.outerHTML.slice(0, 120) : "";
  const blocked = event.blockedURI || "inline";
  console.error(`CSP violation: ${event.violatedDirective} blocked ${blocked} on ${location.pathname} ${where}`);
});
"""


@pytest.fixture
def csp_on(settings):
    settings.CONTENT_SECURITY_POLICY = True
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = False


@pytest.fixture
def violations(page):
    found: list[str] = []
    page.add_init_script(LISTEN)

    def collect(message):
        if "Content Security Policy" in message.text or "CSP violation" in message.text:
            found.append(f"{page.url}: {message.text}")

    page.on("console", collect)
    return found


def visit(page, url: str, *, scripts: str = "script-src 'self' 'nonce-") -> None:
    response = page.goto(url)
    assert response.status == 200, url
    assert scripts in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")


@pytest.mark.e2e
def test_a_guest_purchase_and_the_staff_admin_pages_load_with_no_csp_violation(
    page, live_server, demo_data, csp_on, violations, sign_in
):
    url = live_server.url
    visit(page, url + "/")
    visit(page, url + "/catalogue/")
    visit(page, url + "/catalogue/")  # again: from the page cache, with this response's nonce
    page.locator(".product_pod a").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.wait_for_load_state()

    guest_checkout_with_cash_on_delivery(page, url, email="khach-csp@example.vn")
    page.wait_for_load_state("networkidle")
    order = Order.objects.latest("id")

    sign_in("admin@demo.ocop.vn")
    some_product = get_model("catalogue", "Product").objects.filter(parent=None).first()
    for path in (
        "/dashboard/",
        "/dashboard/orders/",
        f"/dashboard/orders/{order.number}/",
        f"/dashboard/catalogue/products/{some_product.pk}/",
    ):
        visit(page, url + path)
    # Wagtail's widgets write inline scripts no nonce can reach (wagtail/wagtail#1288): own origin, inline allowed.
    for path in (
        "/cms-admin/",
        f"/cms-admin/pages/{HomePage.objects.get().pk}/edit/",
        f"/cms-admin/pages/add/cms/campaignpage/{CampaignIndexPage.objects.get().pk}/",  # date pickers, panels
    ):
        visit(page, url + path, scripts="script-src 'self' 'unsafe-inline' https://js.stripe.com")

    assert violations == [], "\n".join(violations)
