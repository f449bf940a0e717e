"""Every request of a guest's checkout, as ``bench/checkout_steps.py`` times it, in a pinned number of queries.

The pins are the counts measured when the checkout's repeated reads were cut (issue 9): a change that
reads the basket, its lines, their stock or the shipping method once more in a step fails here. The
counts do not depend on how many lines the basket holds (the second test).
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product
from shop.checkout.tests.factories import ADDRESS, ensure_vietnam, free_stock

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

# The second basket add reads the product with its stock records and certificates (3), the basket and
# its lines with their attributes, images, stock records and certificates (6), vouchers and offers (2),
# looks for the line, writes it (3 with the transaction; SQLite's savepoint makes it 4), applies the offers
# again to the lines it kept (1: ``Basket.add_product`` keeps them) and counts the addition (Oscar's analytics).
STEP_QUERIES = {
    "basket add (first product)": 12,
    "basket add (second product)": 17,
    "basket page": 10,
    "e-mail page": 12,
    "e-mail sent": 12,
    "shipping method": 13,
    "address page": 10,
    "address sent": 13,
    "payment method page": 9,
    "payment method sent": 12,
    "preview": 10,
    "place order": 39,
    "thank-you page": 10,
}


def walk_the_checkout(client, products) -> dict[str, int]:
    """A guest's checkout of one of each of ``products``: each request's name and its number of queries."""
    counts = {}

    def step(name, method, url, data=None):
        with CaptureQueriesContext(connection) as captured:
            response = (client.post if method == "POST" else client.get)(url, data or {})
        assert response.status_code in (200, 302), (name, response.status_code)
        counts[name] = len(captured)
        return response

    for number, product in enumerate(products):
        name = "basket add (first product)" if number == 0 else "basket add (second product)"
        step(name, "POST", reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    step("basket page", "GET", reverse("basket:summary"))
    step("e-mail page", "GET", reverse("checkout:index"))
    step("e-mail sent", "POST", reverse("checkout:index"), {"username": "khach@example.vn", "options": "anonymous"})
    step("shipping method", "GET", reverse("checkout:shipping-method"))
    step("address page", "GET", reverse("checkout:shipping-address"))
    step("address sent", "POST", reverse("checkout:shipping-address"), ADDRESS)
    step("payment method page", "GET", reverse("checkout:payment-method"))
    step("payment method sent", "POST", reverse("checkout:payment-method"), {"method": "cod"})
    preview = step("preview", "GET", reverse("checkout:preview"))
    place = {"action": "place_order", "basket_id": preview.context["basket"].id}
    response = step("place order", "POST", reverse("checkout:preview"), place)
    assert response["Location"] == reverse("checkout:thank-you")
    step("thank-you page", "GET", reverse("checkout:thank-you"))
    return counts


def test_every_checkout_request_stays_within_its_pinned_queries(settings):
    settings.MAIL_QUEUE = True  # the deployment's setting: the confirmation is queued with the order
    ensure_vietnam()
    products = [make_certified_product(stock=5) for _ in range(2)]
    walk_the_checkout(Client(), products)  # the first guest fills the caches, as in the bench

    counts = walk_the_checkout(Client(), products)

    over = {name: (count, STEP_QUERIES[name]) for name, count in counts.items() if count > STEP_QUERIES[name]}
    assert not over, f"queries (made, pinned): {over}"
    assert Order.objects.count() == 2
    assert [free_stock(product) for product in products] == [3, 3]


def test_checkout_requests_make_as_many_queries_for_five_lines_as_for_two(settings):
    settings.MAIL_QUEUE = True
    ensure_vietnam()
    products = [make_certified_product(stock=5) for _ in range(5)]
    walk_the_checkout(Client(), products)  # caches filled, and Oscar's analytics has a row for each product
    two = walk_the_checkout(Client(), products[:2])

    five = walk_the_checkout(Client(), products)

    # Writing the order makes one line and its price per basket line: those grow with the lines, nothing
    # else does (the products' purchase counts are raised in one statement, shop.order.services).
    assert five["place order"] == two["place order"] + 3 * 2
    assert {name: count for name, count in five.items() if name != "place order"} == {
        name: count for name, count in two.items() if name != "place order"
    }
