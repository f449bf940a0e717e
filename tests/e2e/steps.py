"""Steps that several browser journeys take the same way."""

import re


def assert_checkout_steps_fit(page) -> None:
    """Every step of the checkout's bar ends inside the window (on a phone steps 3 and 4 ran to 640 px)."""
    right = page.evaluate(
        "Math.max(...[...document.querySelectorAll('nav.nav-checkout li')].map(li => li.getBoundingClientRect().right))"
    )
    assert 0 < right <= page.evaluate("window.innerWidth"), right


def guest_checkout_with_cash_on_delivery(page, base_url: str, *, email: str = "khach@example.vn") -> None:
    """From a filled basket to the thank-you page: a guest delivering to Hội An who pays cash on delivery.

    When a sales point holds the basket, the shop asks delivery or collection first: the step chooses delivery.
    """
    page.goto(base_url + "/checkout/")
    page.fill("#id_username", email)
    page.check("input[name=options][value=anonymous]")
    page.locator("form:has(#id_username) button[type=submit]").click()
    page.wait_for_url(re.compile(r"/checkout/(shipping-method|shipping-address)/"))
    if "/checkout/shipping-method/" in page.url:
        page.locator("form:has(input[name=method_code]) button[type=submit]").first.click()
        page.wait_for_url(re.compile(r"/checkout/shipping-address/"))
    assert_checkout_steps_fit(page)
    page.fill("#id_first_name", "Nguyễn Thị Lan")
    page.fill("#id_phone_number", "0905 123 456")
    page.fill("#id_line1", "12 Trần Hưng Đạo")
    page.select_option("#id_ward", "20410")  # Phường Hội An, Đà Nẵng (offered first)
    page.locator("form:has(#id_line1) button[type=submit]").click()
    page.wait_for_url(re.compile(r"/checkout/payment-method/"))
    assert_checkout_steps_fit(page)
    page.check("input[name=method][value=cod]")
    page.click("#choose-payment")
    page.wait_for_url(re.compile(r"/checkout/preview/"))
    page.click("#place-order")
    page.wait_for_url(re.compile(r"/checkout/thank-you/"))
    assert page.locator("nav.nav-checkout").count() == 0  # the order is placed: no steps left to take
