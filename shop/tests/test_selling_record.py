"""One stock record sells a product: basket, listing, product page and order placement agree.

A product stocked at a sales point has two stock records: its producer's and
the point's. The point's record is created first here (lower primary key, other
price, other count), so any page that still took "the first record" would show
it and fail.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.tests.factories import CertificateFactory, ProductFactory, StockRecordFactory
from shop.checkout.tests.factories import basket_with, submission
from shop.order import services

pytestmark = pytest.mark.django_db

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


def product_with_two_records(*, producer_stock: int, point_stock: int):
    product = ProductFactory(title="Trà sâm Ngọc Linh")
    CertificateFactory(product=product)
    point = Partner.objects.create(name="Điểm bán OCOP Hội An")
    point_record = StockRecordFactory(product=product, partner=point, price=Decimal("99000"), num_in_stock=point_stock)
    own = StockRecordFactory(product=product, price=Decimal("150000"), num_in_stock=producer_stock)
    assert point_record.pk < own.pk
    return product, own, point_record


def listed(client, **params) -> dict:
    response = client.get(reverse("catalogue:index"), params)
    return {p.pk: p for p in response.context["products"]}, response.content.decode()


def test_every_page_and_the_order_sell_from_the_producers_own_record(client):
    product, own, point_record = product_with_two_records(producer_stock=3, point_stock=40)

    basket = basket_with((product, 2))
    line = basket.all_lines()[0]
    assert line.stockrecord_id == own.pk
    assert line.unit_price_incl_tax == Decimal("150000")

    cards, html = listed(client)
    assert product.pk in cards and "150.000" in html and "99.000" not in html
    in_stock, _html = listed(client, in_stock="1")
    assert product.pk in in_stock
    cheap, _html = listed(client, price_max="100000")
    assert product.pk not in cheap

    page = client.get(product.get_absolute_url()).content.decode()
    assert "150.000" in page and "99.000" not in page
    assert "Còn hàng" in page

    order = services.place_order(**submission(basket))
    assert order.lines.get().stockrecord_id == own.pk
    assert order.basket_total_incl_tax == Decimal("300000")
    own.refresh_from_db()
    point_record.refresh_from_db()
    assert (own.num_allocated, point_record.num_allocated) == (2, None)


def test_stock_at_a_sales_point_does_not_make_a_sold_out_product_buyable(client):
    product, own, point_record = product_with_two_records(producer_stock=0, point_stock=40)

    cards, _html = listed(client)
    assert product.pk in cards
    in_stock, _html = listed(client, in_stock="1")
    assert product.pk not in in_stock

    page = client.get(product.get_absolute_url()).content.decode()
    assert "Còn hàng" not in page

    offer = basket_with().strategy.fetch_for_product(product)  # what the basket would be told
    assert offer.stockrecord == own
    assert not offer.availability.is_available_to_buy
