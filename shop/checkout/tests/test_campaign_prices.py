"""A campaign's discount is what the buyer sees and what checkout charges, by cash and by card — and only then."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product
from cms.tests.factories import make_campaign
from shop.checkout.tests.conftest import place_order_data

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def place(client, data, callbacks):
    with callbacks(execute=True):
        client.post(reverse("checkout:preview"), data)
    return Order.objects.get()


def test_a_guest_pays_the_campaign_price_with_cash_on_delivery(
    client, checkout_as_guest, django_capture_on_commit_callbacks
):
    tea = make_certified_product(title="Trà sâm Ngọc Linh", price=Decimal("150000"))
    make_campaign(products=[tea], percent=10)
    product_page = client.get(tea.get_absolute_url()).content.decode()

    checkout_as_guest((tea, 2))
    basket_page = client.get(reverse("basket:summary")).content.decode()
    order = place(client, place_order_data(client), django_capture_on_commit_callbacks)

    assert "135.000" in product_page
    assert "270.000" in basket_page
    line = order.lines.get()
    assert line.line_price_before_discounts_incl_tax == Decimal("300000")
    assert line.line_price_incl_tax == Decimal("270000")
    assert order.total_discount_incl_tax == Decimal("30000")
    assert order.total_incl_tax == Decimal("270000") + Decimal("30000") + Decimal("10000")  # 1 kg of parcels
    assert order.discounts.get().offer_id is not None


def test_a_card_payment_asks_for_the_campaign_price(
    client, checkout_as_guest, stripe_settings, django_capture_on_commit_callbacks
):
    tea = make_certified_product(title="Trà sâm Ngọc Linh", price=Decimal("150000"))
    make_campaign(products=[tea], percent=10)

    checkout_as_guest((tea, 2), method="card")
    order = place(client, place_order_data(client), django_capture_on_commit_callbacks)

    assert order.stripe_payment.amount == order.total_incl_tax == Decimal("310000")


@pytest.mark.parametrize(
    "campaign",
    [
        {"starts_in": datetime.timedelta(days=2)},  # not started
        {"starts_in": datetime.timedelta(days=-10), "lasts": datetime.timedelta(days=3)},  # over
        {"publish": False},  # never published
    ],
    ids=["upcoming", "ended", "unpublished"],
)
def test_a_discount_outside_its_window_or_unpublished_changes_no_price(
    client, checkout_as_guest, django_capture_on_commit_callbacks, campaign
):
    tea = make_certified_product(title="Trà sâm Ngọc Linh", price=Decimal("150000"))
    make_campaign(products=[tea], percent=10, **campaign)

    product_page = client.get(tea.get_absolute_url()).content.decode()
    checkout_as_guest((tea, 2))
    basket_page = client.get(reverse("basket:summary")).content.decode()
    order = place(client, place_order_data(client), django_capture_on_commit_callbacks)

    assert "135.000" not in product_page
    assert "270.000" not in basket_page
    assert order.total_discount_incl_tax == 0
    assert order.total_incl_tax == Decimal("300000") + Decimal("30000") + Decimal("10000")


def test_a_campaign_unpublished_after_the_product_went_into_the_basket_charges_full_price(
    client, checkout_as_guest, django_capture_on_commit_callbacks
):
    tea = make_certified_product(title="Trà sâm Ngọc Linh", price=Decimal("150000"))
    campaign = make_campaign(products=[tea], percent=10)
    checkout_as_guest((tea, 1))

    campaign.unpublish()
    order = place(client, place_order_data(client), django_capture_on_commit_callbacks)

    assert order.total_discount_incl_tax == 0
    assert order.lines.get().line_price_incl_tax == Decimal("150000")


def test_the_budget_caps_the_discount_given(client, checkout_as_guest, django_capture_on_commit_callbacks):
    tea = make_certified_product(title="Trà sâm Ngọc Linh", price=Decimal("150000"))
    make_campaign(products=[tea], percent=10, budget=Decimal("20000"))

    checkout_as_guest((tea, 2))
    order = place(client, place_order_data(client), django_capture_on_commit_callbacks)

    assert order.total_discount_incl_tax == Decimal("20000")
    assert "135.000" not in client.get(tea.get_absolute_url()).content.decode()  # the budget is spent
