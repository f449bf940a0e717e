"""A producer's order pages: the list of orders holding their lines, and handling those lines."""

import pytest
from django.core import mail
from django.urls import reverse

from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import producer_user
from shop.order.tests.factories import place_order, place_two_producer_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def two_producer_order():
    return place_two_producer_order()


def test_producer_ships_from_the_order_page(client, two_producer_order, django_capture_on_commit_callbacks):
    order, producer_a, _b = two_producer_order
    client.force_login(producer_a.partner.users.get())
    line = order.lines.get(partner=producer_a.partner)
    client.post(reverse("portal:line_confirm", args=[line.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:order_ship", args=[order.number]), {"lines": [line.pk], "tracking_number": "VN777"}
        )
    assert response.status_code == 302
    page = client.get(reverse("portal:order_detail", args=[order.number]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "VN777" in page and "Shipped" in page
    assert len(mail.outbox) == 1


def test_order_list_query_count_is_constant(client, django_assert_max_num_queries):
    user, producer = producer_user("a@x.vn")
    product = make_certified_product(producer=producer, stock=100)
    client.force_login(user)
    place_order(product)
    with django_assert_max_num_queries(20) as baseline:
        client.get(reverse("portal:order_list"))
    for _ in range(5):
        place_order(product)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = client.get(reverse("portal:order_list"))
    assert response.content.decode().count("data-order=") == 6
