"""The data migration that consumes the stock of lines shipped before shipping consumed it."""

import importlib

import pytest
from django.apps import apps

from catalog.tests.factories import make_certified_product
from shop.order import statuses
from shop.order.tests.factories import place_order

consume_migration = importlib.import_module("shop.order.migrations.0023_consume_allocations_of_shipped_lines")


@pytest.mark.django_db
def test_lines_shipped_before_the_fix_give_up_their_allocation_and_sellable_stock_is_unchanged():
    product = make_certified_product(stock=10)
    shipped = place_order((product, 4)).lines.get()
    waiting = place_order((product, 1)).lines.get()
    product.stockrecords.update(num_allocated=5)  # what checkout allocated for both
    shipped.__class__.objects.filter(pk=shipped.pk).update(status=statuses.LINE_SHIPPED)

    consume_migration.consume(apps, None)
    consume_migration.consume(apps, None)  # a second run finds nothing left to consume

    record = product.stockrecords.get()
    shipped.refresh_from_db()
    waiting.refresh_from_db()
    assert (record.num_in_stock, record.num_allocated, record.net_stock_level) == (6, 1, 5)
    assert (shipped.num_allocated, waiting.num_allocated) == (0, 1)
