from decimal import Decimal

import pytest
from django.utils import translation

from shop.shipping.methods import HomeDelivery, delivery_fee


@pytest.fixture(autouse=True)
def _fees(settings):
    settings.SHIPPING_BASE_FEE = 30000
    settings.SHIPPING_FEE_PER_KG = 10000
    settings.SHIPPING_FREE_THRESHOLD = 500000


@pytest.mark.parametrize(
    ("grams", "fee"),
    [(0, 30000), (500, 40000), (1000, 40000), (1001, 50000), (3200, 70000)],
)
def test_home_delivery_costs_the_base_fee_plus_each_started_kilogram(grams, fee):
    assert delivery_fee(weight_grams=grams, basket_total=Decimal("200000")) == Decimal(fee)


def test_home_delivery_is_free_from_the_threshold():
    assert delivery_fee(weight_grams=5000, basket_total=Decimal("499999")) == Decimal(80000)
    assert delivery_fee(weight_grams=5000, basket_total=Decimal("500000")) == Decimal(0)


def test_fees_follow_the_settings(settings):
    settings.SHIPPING_BASE_FEE = 25000
    settings.SHIPPING_FEE_PER_KG = 5000
    assert delivery_fee(weight_grams=2000, basket_total=Decimal("100000")) == Decimal(35000)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("vi", "Giao tận nhà. Miễn phí cho đơn hàng từ 500.000\xa0₫."),
        ("en", "Delivered to your door. Free for orders of ₫500,000 or more."),
    ],
)
def test_free_delivery_threshold_is_shown_as_money_in_the_pages_language(language, text):
    with translation.override(language):
        assert str(HomeDelivery().description) == text
