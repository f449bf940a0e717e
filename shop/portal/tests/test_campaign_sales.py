"""A producer sees what a campaign took off their sales: on the order page and in the sales by product."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import producer_user
from cms.tests.factories import make_campaign, place_order

pytestmark = pytest.mark.django_db


def test_the_producer_sees_the_campaign_discount_on_the_order_and_in_sales(client):
    user, producer = producer_user("htx@example.vn")
    tea = make_certified_product(title="Trà sâm", producer=producer, price=Decimal("150000"))
    make_campaign(products=[tea], percent=10)
    order = place_order((tea, 2))
    client.force_login(user)

    detail = client.get(reverse("portal:order_detail", args=[order.number])).content.decode()
    sales = client.get(reverse("portal:sales")).content.decode()

    assert "270.000" in detail and "<del>300.000" in detail
    assert "270.000" in sales and "−30.000" in sales
