from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from catalog.tests.factories import ProductFactory, StockRecordFactory
from outlets import stock

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")


def counts(record) -> tuple[int | None, int | None]:
    record.refresh_from_db()
    return record.num_in_stock, record.num_allocated


def test_allocate_sets_aside_every_need_or_none_and_names_the_short_product():
    tea = StockRecordFactory(num_in_stock=5, product__title="Trà")
    mat = StockRecordFactory(num_in_stock=1, product__title="Chiếu cói")

    with pytest.raises(stock.InsufficientStock) as short:
        stock.allocate(
            [stock.Need(tea.pk, 2, "Trà"), stock.Need(mat.pk, 1, "Chiếu cói"), stock.Need(mat.pk, 1, "Chiếu cói")]
        )

    assert (short.value.title, short.value.available) == ("Chiếu cói", 1)
    assert "Chiếu cói" in str(short.value)
    assert counts(tea) == (5, None) and counts(mat) == (1, None)

    stock.allocate([stock.Need(tea.pk, 2, "Trà"), stock.Need(mat.pk, 1, "Chiếu cói")])
    assert counts(tea) == (5, 2) and counts(mat) == (1, 1)
    assert not stock.can_allocate([stock.Need(tea.pk, 4)])
    assert counts(tea) == (5, 2)


def test_release_gives_back_at_most_what_was_set_aside():
    record = StockRecordFactory(num_in_stock=5, num_allocated=2)

    stock.release(record_id=record.pk, quantity=3)

    assert counts(record) == (5, 0)


def test_consume_takes_set_aside_units_off_the_shelf_and_refuses_more():
    record = StockRecordFactory(num_in_stock=5, num_allocated=2)

    stock.consume(record_id=record.pk, quantity=2)
    assert counts(record) == (3, 0)

    with pytest.raises(stock.InsufficientStock):
        stock.consume(record_id=record.pk, quantity=1)
    assert counts(record) == (3, 0)


def test_adjust_never_takes_away_units_set_aside_for_orders():
    record = StockRecordFactory(num_in_stock=5, num_allocated=3)

    with pytest.raises(stock.InsufficientStock) as short:
        stock.adjust(record_id=record.pk, delta=-3)

    assert short.value.available == 2
    assert stock.adjust(record_id=record.pk, delta=-2).num_in_stock == 3
    assert stock.adjust(record_id=record.pk, delta=10).num_in_stock == 13


def test_set_level_updates_the_partners_record_or_creates_it():
    record = StockRecordFactory(num_in_stock=5, price=Decimal("100000"))

    same = stock.set_level(product=record.product, partner=record.partner, num_in_stock=8, price=Decimal("120000"))
    other = ProductFactory(producer=record.product.producer)
    new = stock.set_level(product=other, partner=record.partner, num_in_stock=2, price=Decimal("5000"), sku="X-1")

    assert same.pk == record.pk and counts(record) == (8, None)
    assert StockRecord.objects.get(pk=record.pk).price == Decimal("120000")
    assert (new.partner_sku, new.num_in_stock) == ("X-1", 2)


def test_the_selling_record_is_the_producers_own_whatever_the_order_of_records():
    product = ProductFactory()
    point = get_model("partner", "Partner").objects.create(name="Điểm bán")
    StockRecordFactory(product=product, partner=point, num_in_stock=50)
    own = StockRecordFactory(product=product, num_in_stock=1)

    assert stock.selling_record(product) == own
    loaded = (
        get_model("catalogue", "Product").objects.prefetch_related(stock.prefetch_selling_records()).get(pk=product.pk)
    )
    assert loaded.stockrecords.all()[0] == own and stock.selling_record(loaded) == own
    annotated = get_model("catalogue", "Product").objects.annotate(free=stock.selling_net_stock()).get(pk=product.pk)
    assert annotated.free == 1
