"""The customer's order-line address: a GET leads to the line on its order page, never a 500."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalog.tests.factories import make_certified_product
from shop.checkout.tests.factories import basket_with, submission
from shop.order import services

pytestmark = pytest.mark.django_db


def make_customer(name: str):
    return get_user_model().objects.create_user(username=name, email=f"{name}@example.vn", password="x-secret-123")


def order_for(user):
    basket = basket_with((make_certified_product(stock=5), 1), owner=user)
    return services.place_order(**submission(basket, user=user))


def line_url(order, line_id) -> str:
    return reverse("customer:order-line", kwargs={"order_number": order.number, "line_id": line_id})


def test_an_order_line_address_leads_to_the_line_on_its_order_page(client, django_assert_max_num_queries):
    customer = make_customer("lan")
    order = order_for(customer)
    line = order.lines.get()
    client.force_login(customer)

    with django_assert_max_num_queries(10):
        response = client.get(line_url(order, line.pk))

    assert response.status_code == 302
    assert response["Location"] == reverse("customer:order", kwargs={"order_number": order.number}) + f"#line-{line.pk}"
    assert client.get(response["Location"]).status_code == 200


def test_another_customers_line_and_an_unknown_line_are_not_found(client):
    order = order_for(make_customer("lan"))
    client.force_login(make_customer("hoa"))

    assert client.get(line_url(order, order.lines.get().pk)).status_code == 404
    client.force_login(order.user)
    assert client.get(line_url(order, 987654)).status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client):
    order = order_for(make_customer("lan"))

    response = client.get(line_url(order, order.lines.get().pk))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
