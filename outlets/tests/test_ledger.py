import random
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product
from outlets import selectors, services, stock
from outlets.models import StockMovement
from outlets.tests.factories import make_outlet, manager, stock_at

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")


def on_hand(outlet, product) -> int:
    return StockRecord.objects.get(partner=outlet.partner, product=product).num_in_stock


def test_counter_movements_change_the_shelf_and_write_the_ledger():
    ana = manager("ana@example.vn")
    point = make_outlet(managers=[ana])
    tea = make_certified_product(title="Trà sâm")

    services.record_movement(outlet=point, product=tea, kind="receipt", quantity=10, by=ana)
    services.record_movement(outlet=point, product=tea, kind="sale", quantity=3, by=ana)
    services.record_movement(outlet=point, product=tea, kind="adjustment", quantity=-1, reason="Vỡ chai", by=ana)

    assert on_hand(point, tea) == 6
    rows = list(StockMovement.objects.order_by("pk").values_list("kind", "on_hand_delta", "reason", "created_by"))
    assert rows == [("receipt", 10, "", ana.pk), ("sale", -3, "", ana.pk), ("adjustment", -1, "Vỡ chai", ana.pk)]
    assert selectors.ledger_problems() == []


def test_a_sale_beyond_the_free_stock_is_refused_and_changes_nothing():
    ana = manager("ana@example.vn")
    point = make_outlet(managers=[ana])
    tea = make_certified_product(title="Trà sâm")
    record = stock_at(point, tea, 2)
    stock.allocate([stock.Need(record.pk, 1, "Trà sâm")])

    with pytest.raises(ValidationError) as refused:
        services.record_movement(outlet=point, product=tea, kind="sale", quantity=2, by=ana)

    assert refused.value.message_dict["quantity"] == ["Điểm bán này chỉ còn 1 “Trà sâm” chưa giữ cho ai."]
    assert on_hand(point, tea) == 2


def test_an_adjustment_needs_a_reason():
    ana = manager("ana@example.vn")
    point = make_outlet(managers=[ana])
    with pytest.raises(ValidationError) as refused:
        services.record_movement(outlet=point, product=make_certified_product(), kind="adjustment", quantity=-1, by=ana)
    assert "reason" in refused.value.message_dict


def test_a_manager_records_movements_for_their_own_point_only():
    ana = manager("ana@example.vn")
    make_outlet(managers=[ana])
    other = make_outlet()
    with pytest.raises(PermissionDenied):
        services.record_movement(outlet=other, product=make_certified_product(), kind="receipt", quantity=1, by=ana)
    assert not StockMovement.objects.exists()


def test_a_transfer_writes_both_sides_or_neither():
    ana = manager("ana@example.vn")
    source, target = make_outlet(managers=[ana]), make_outlet()
    tea = make_certified_product()
    stock_at(source, tea, 5)

    services.transfer_stock(source=source, target=target, product=tea, quantity=4, by=ana)
    with pytest.raises(ValidationError):
        services.transfer_stock(source=source, target=target, product=tea, quantity=2, by=ana)

    assert (on_hand(source, tea), on_hand(target, tea)) == (1, 4)
    into, out = StockMovement.objects.filter(kind__startswith="transfer").order_by("kind")
    assert (into.kind, into.on_hand_delta, into.counterpart, into.outlet) == ("transfer_in", 4, source, target)
    assert (out.kind, out.on_hand_delta, out.counterpart, out.outlet) == ("transfer_out", -4, target, source)
    assert selectors.ledger_problems() == []


def test_check_stock_ledger_fails_when_a_count_was_changed_behind_the_ledger(capsys):
    point = make_outlet(name="Điểm Hội An")
    record = stock_at(point, make_certified_product(), 5)
    call_command("check_stock_ledger")
    assert "equals its ledger" in capsys.readouterr().out

    StockRecord.objects.filter(pk=record.pk).update(num_in_stock=7)

    with pytest.raises(CommandError):
        call_command("check_stock_ledger")
    assert "Điểm Hội An" in capsys.readouterr().err


@pytest.mark.slow
def test_the_ledger_survives_thousands_of_random_movements():
    rng = random.Random(20250701)
    ana = manager("ana@example.vn")
    points = [make_outlet(managers=[ana]) for _ in range(3)]
    products = [make_certified_product() for _ in range(3)]
    for _ in range(1500):
        point, product = rng.choice(points), rng.choice(products)
        record = stock.shelf(product=product, partner=point.partner)
        action = rng.choice(["receipt", "sale", "adjustment", "transfer", "reserve", "release", "collect"])
        quantity = rng.randint(1, 6)
        try:
            if action in ("receipt", "sale"):
                services.record_movement(outlet=point, product=product, kind=action, quantity=quantity, by=ana)
            elif action == "adjustment":
                services.record_movement(
                    outlet=point,
                    product=product,
                    kind=action,
                    quantity=rng.choice([-1, 1]) * quantity,
                    by=ana,
                    reason="Kiểm kê",
                )
            elif action == "transfer":
                target = rng.choice([p for p in points if p != point])
                services.transfer_stock(source=point, target=target, product=product, quantity=quantity, by=ana)
            elif action == "reserve":
                stock.allocate([stock.Need(record.pk, quantity)])
            elif action == "release":
                stock.release(record_id=record.pk, quantity=quantity)
            else:
                stock.consume(record_id=record.pk, quantity=quantity)
        except (ValidationError, stock.InsufficientStock):
            pass

    assert selectors.ledger_problems() == []
    assert not StockRecord.objects.filter(partner__outlet__isnull=False, num_in_stock__lt=0).exists()
    assert StockMovement.objects.count() > 500


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_ledger_holds_under_concurrent_reservations_sales_and_receipts():
    ana = manager("ana@example.vn")
    point = make_outlet(managers=[ana])
    products = [make_certified_product() for _ in range(2)]
    records = [stock_at(point, product, 10) for product in products]
    start = threading.Barrier(8)

    def worker(seed: int):
        rng = random.Random(seed)
        try:
            start.wait()
            for _ in range(40):
                i = rng.randrange(2)
                try:
                    action = rng.choice(["reserve", "release", "sale", "receipt", "collect"])
                    if action == "reserve":
                        stock.allocate([stock.Need(records[i].pk, rng.randint(1, 3))])
                    elif action == "release":
                        stock.release(record_id=records[i].pk, quantity=rng.randint(1, 3))
                    elif action == "collect":
                        stock.consume(record_id=records[i].pk, quantity=1)
                    else:
                        kind = "sale" if action == "sale" else "receipt"
                        services.record_movement(
                            outlet=point, product=products[i], kind=kind, quantity=rng.randint(1, 3), by=ana
                        )
                except (ValidationError, stock.InsufficientStock):
                    pass
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert selectors.ledger_problems() == []
    assert StockMovement.objects.count() > 100
