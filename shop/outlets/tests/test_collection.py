"""Collect at a sales point: offered where every line is held, reserved on placing, then ready and collected."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product
from outlets import selectors as outlet_selectors
from outlets.models import StockMovement
from outlets.tests.factories import make_outlet, manager, stock_at
from shop.checkout.tests.factories import basket_with, checkout_concurrently, shipping_address, submission
from shop.order import collection, services, statuses
from shop.shipping.methods import CollectAtPoint
from shop.shipping.repository import Repository

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")


def collect_submission(basket, outlet, **kwargs):
    method = CollectAtPoint(outlet)
    return {**submission(basket, **kwargs), "shipping_method": method, "shipping_charge": method.calculate(basket)}


def free(record) -> int:
    record.refresh_from_db()
    return record.num_in_stock - (record.num_allocated or 0)


@pytest.mark.django_db
def test_checkout_offers_the_open_points_that_hold_every_line_of_the_basket():
    tea, mat = make_certified_product(title="Trà"), make_certified_product(title="Chiếu cói")
    both, tea_only, closed = make_outlet(name="Có cả hai"), make_outlet(name="Chỉ có trà"), make_outlet(name="Đóng")
    for point in (both, closed):
        stock_at(point, tea, 3)
        stock_at(point, mat, 3)
    stock_at(tea_only, tea, 9)
    closed.is_open = False
    closed.save()

    methods = Repository().get_shipping_methods(basket_with((tea, 2), (mat, 1)), shipping_addr=shipping_address())

    assert [m.code for m in methods] == ["home-delivery", f"collect-{both.pk}"]
    assert methods[1].calculate(basket_with((tea, 1))).incl_tax == 0
    assert [m.code for m in Repository().get_shipping_methods(basket_with((tea, 1)))] == ["home-delivery"]
    assert [
        m.code for m in Repository().get_shipping_methods(basket_with((tea, 4)), shipping_addr=shipping_address())
    ] == [
        "home-delivery",
        f"collect-{tea_only.pk}",
    ]


@pytest.mark.django_db
def test_a_collection_order_reserves_at_the_point_and_is_marked_ready_then_collected(
    django_capture_on_commit_callbacks,
):
    point = make_outlet(name="Điểm bán OCOP Hội An")
    tea = make_certified_product(title="Trà sâm", stock=10)
    shelf = stock_at(point, tea, 4)
    producer_record = tea.stockrecords.get(partner=tea.producer.partner)

    with django_capture_on_commit_callbacks(execute=True):
        order = services.place_order(**collect_submission(basket_with((tea, 3)), point))

    line = order.lines.get()
    assert (line.stockrecord_id, line.partner_id) == (shelf.pk, point.partner_id)
    assert order.shipping_incl_tax == 0 and order.shipping_code == f"collect-{point.pk}"
    assert (free(shelf), free(producer_record)) == (1, 10)
    assert StockMovement.objects.get(kind="reservation").reference == order.number

    with django_capture_on_commit_callbacks(execute=True):
        collection.mark_ready(order=order, outlet=point)
    assert "Điểm bán OCOP Hội An" in mail.outbox[-1].body

    with django_capture_on_commit_callbacks(execute=True):
        order = collection.mark_collected(order=order, outlet=point)

    shelf.refresh_from_db()
    assert (shelf.num_in_stock, shelf.num_allocated) == (1, 0)
    assert order.status == statuses.COMPLETED
    assert StockMovement.objects.filter(kind="collection", on_hand_delta=-3, reserved_delta=-3).exists()
    assert outlet_selectors.ledger_problems() == []
    assert len(mail.outbox) == 3  # confirmation, ready, collected


@pytest.mark.django_db
def test_an_order_not_collected_in_time_goes_back_on_the_shelf(django_capture_on_commit_callbacks):
    point = make_outlet()
    tea = make_certified_product(title="Trà sâm")
    shelf = stock_at(point, tea, 2)
    order = services.place_order(**collect_submission(basket_with((tea, 2)), point))
    collection.mark_ready(order=order, outlet=point)
    order.lines.update(confirmed_at=timezone.now() - timedelta(days=8))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("release_uncollected_orders")

    assert free(shelf) == 2 and shelf.num_in_stock == 2
    assert Order.objects.get(pk=order.pk).status == statuses.CANCELLED
    assert "Trà sâm" in mail.outbox[-1].body
    assert outlet_selectors.ledger_problems() == []


@pytest.mark.django_db
def test_the_manager_sees_the_reservation_and_records_the_collection(client):
    ana = manager("ana@example.vn")
    point = make_outlet(managers=[ana])
    tea = make_certified_product(title="Trà sâm")
    shelf = stock_at(point, tea, 2)
    order = services.place_order(**collect_submission(basket_with((tea, 1)), point))
    client.force_login(ana)

    page = client.get(reverse("outlets:collections", kwargs={"slug": point.slug})).content.decode()
    assert order.number in page and "Trà sâm" in page
    client.post(
        reverse("outlets:collection_action", kwargs={"slug": point.slug, "number": order.number, "action": "collected"})
    )

    assert free(shelf) == 1 and shelf.num_in_stock == 1
    other = make_outlet()
    refused = client.post(
        reverse("outlets:collection_action", kwargs={"slug": other.slug, "number": order.number, "action": "collected"})
    )
    assert refused.status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_collection_checkouts_for_five_units_make_five_orders():
    point = make_outlet()
    tea = make_certified_product(title="Trà sâm", stock=100)
    shelf = stock_at(point, tea, 5)
    submissions = [collect_submission(basket_with((tea, 1)), point) for _ in range(20)]
    outcomes = checkout_concurrently(submissions)

    assert (outcomes.count("ordered"), outcomes.count("sold out")) == (5, 15)
    assert Order.objects.count() == 5
    shelf.refresh_from_db()
    assert (shelf.num_in_stock, shelf.num_allocated) == (5, 5)
    assert StockMovement.objects.filter(kind="reservation").count() == 5
    assert outlet_selectors.ledger_problems() == []
