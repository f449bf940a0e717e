"""What a producer needs to deliver an order: the customer's note, how they pay, a phone to call."""

import pytest
from django.urls import reverse

from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import producer_user
from shop.order import services
from shop.order.tests.factories import place_order

pytestmark = pytest.mark.django_db


def test_the_order_page_shows_the_delivery_note_cash_on_delivery_and_the_phone_as_written(
    client, django_assert_max_num_queries
):
    product = make_certified_product(title="Chè xanh")
    order = place_order(product)
    order.shipping_address.notes = "Giao giờ hành chính, gọi trước khi giao"
    order.shipping_address.save()
    services._source(order, services.CASH_ON_DELIVERY, amount_allocated=order.total_incl_tax)
    user, _producer = producer_user(producer=product.producer)
    client.force_login(user)

    with django_assert_max_num_queries(25):
        response = client.get(reverse("portal:order_detail", kwargs={"number": order.number}))

    html = response.content.decode()
    assert "Giao giờ hành chính, gọi trước khi giao" in html
    assert "Thu tiền khi giao hàng (COD)" in html
    assert '<a href="tel:0905123456" data-testid="phone">0905 123 456</a>' in html


def test_the_sales_page_says_which_line_statuses_it_counts(client):
    user, _producer = producer_user()
    client.force_login(user)

    html = client.get(reverse("portal:sales")).content.decode()

    assert "Được tính: các dòng hàng của bạn đang chờ xác nhận, đã xác nhận, đã gửi hoặc đã giao" in html
