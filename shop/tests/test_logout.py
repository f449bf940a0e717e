"""Signing out takes a POST: a link or an image on any page cannot sign a customer out."""

import html

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(client):
    user = get_user_model().objects.create_user(username="khach", email="khach@example.vn", password="x")
    client.force_login(user)
    return user


def test_a_get_to_the_logout_address_keeps_the_customer_signed_in_and_offers_a_button(
    client, customer, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30):
        response = client.get("/accounts/logout/")

    assert response.status_code == 200
    assert "_auth_user_id" in client.session
    page = html.unescape(response.content.decode())
    assert "Bạn muốn đăng xuất khỏi Chợ OCOP Quảng Nam?" in page
    assert 'method="post" action="/accounts/logout/"' in page


def test_a_post_signs_the_customer_out(client, customer):
    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_post_without_the_csrf_token_is_refused(customer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)

    assert client.post("/accounts/logout/").status_code == 403
    assert "_auth_user_id" in client.session
