"""The basket's lines come loaded with everything pages and the OCOP availability rule read."""

import pytest
from oscar.core.loading import get_class, get_model

from catalog.tests.factories import make_certified_product

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")


def basket_with(*products) -> Basket:
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for product in products:
        basket.add_product(product)
    return Basket.objects.get(pk=basket.pk)


def test_lines_answer_price_availability_badge_producer_and_image_without_a_query_per_line(
    django_assert_num_queries,
):
    basket = basket_with(*[make_certified_product(stars=4) for _ in range(3)], make_certified_product(lapsed=True))
    basket.strategy = Selector().strategy()

    with django_assert_num_queries(5):  # lines, attributes, images, stock records, certificates
        lines = list(basket.all_lines())
    with django_assert_num_queries(0):
        seen = [
            (
                line.product.producer.name,
                line.product.producer.district.name,
                line.product.get_product_class().requires_shipping,
                line.product.primary_image(),
                line.product.current_certificate and line.product.current_certificate.stars,
                line.purchase_info.availability.is_available_to_buy,
                line.unit_price_incl_tax,
                line.stockrecord.partner.name,
                list(line.attributes.all()),
            )
            for line in lines
        ]

    assert [row[4] for row in seen] == [4, 4, 4, None]
    assert [row[5] for row in seen] == [True, True, True, False]
    assert all(row[6] == 150000 for row in seen)


def test_lines_are_loaded_once_and_reloaded_after_a_change(django_assert_num_queries):
    basket = basket_with(make_certified_product())

    lines = basket.all_lines()
    list(lines)
    assert basket.all_lines() is lines
    with django_assert_num_queries(0):
        assert len(basket.all_lines()) == 1

    basket.strategy = Selector().strategy()
    basket.add_product(make_certified_product())

    assert len(basket.all_lines()) == 2


def test_a_basket_not_yet_saved_has_no_lines_and_compiles_no_query(django_assert_num_queries, monkeypatch):
    from django.db.models.sql.compiler import SQLCompiler

    def compiled(*args, **kwargs):  # the header asks a new visitor's basket for its count on every page
        raise AssertionError("an unsaved basket's lines compiled a query")

    monkeypatch.setattr(SQLCompiler, "as_sql", compiled)
    basket = Basket()

    with django_assert_num_queries(0):
        assert list(basket.all_lines()) == []
        assert basket.num_lines == 0


def test_a_shoppers_basket_counts_the_lines_it_loads_and_a_reports_basket_counts_without_loading_them(
    django_assert_num_queries,
):
    products = [make_certified_product() for _ in range(3)]
    shoppers = basket_with(*products)
    shoppers.strategy = Selector().strategy()
    reported = Basket.objects.get(pk=shoppers.pk)  # as the dashboard's basket reports read them: no strategy

    with django_assert_num_queries(5):  # the lines and their prefetches, which the page reads next anyway
        assert shoppers.num_lines == 3 and not shoppers.is_empty
    with django_assert_num_queries(0):
        assert shoppers.product_quantity(products[0]) == 1
    with django_assert_num_queries(1):  # one COUNT, no lines loaded
        assert reported.num_lines == 3
