"""Oscar's own strings on the shop's pages come out in the page's language."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.tests.factories import make_certified_product

pytestmark = pytest.mark.django_db


def test_the_basket_button_counts_its_items_in_vietnamese(client, django_assert_max_num_queries):
    product = make_certified_product(title="Nước mắm Cửa Đại")
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 3})

    with django_assert_max_num_queries(30):  # the catalogue's own budget (catalog/tests/test_views.py)
        response = client.get(reverse("catalogue:index"))

    html = response.content.decode()
    assert "Toggle Dropdown" not in html and "Total:" not in html
    assert 'data-testid="basket-count" aria-hidden="true">3</span>' in html
    assert '<span class="sr-only">3 sản phẩm</span>' in html


def test_adding_to_the_basket_tells_the_new_total_in_vietnamese(client):
    product = make_certified_product(title="Nước mắm Cửa Đại", price=Decimal("85000"))

    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 2}, follow=True)

    html = response.content.decode()
    assert "Your basket total is now" not in html
    assert "Tổng tiền giỏ hàng của bạn hiện là <strong>170.000" in html
