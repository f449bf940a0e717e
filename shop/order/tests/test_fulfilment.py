"""Producers confirm, ship and cancel their own lines; the order's status follows its lines."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from oscar.apps.order.exceptions import InvalidOrderStatus

from catalog import services as catalog_services
from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import producer_user
from shop.order import fulfilment, statuses
from shop.order.tests.factories import place_order, place_two_producer_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.mark.parametrize(
    ("lines", "current", "expected"),
    [
        (["cancelled", "cancelled"], "placed", "cancelled"),
        (["delivered", "cancelled"], "shipped", "completed"),
        (["shipped", "delivered"], "placed", "shipped"),
        (["shipped", "pending"], "processing", "partially_shipped"),
        (["confirmed", "pending"], "placed", "processing"),
        (["pending", "cancelled"], "placed", "placed"),
        (["confirmed"], "awaiting_payment", "awaiting_payment"),
        (["cancelled"], "payment_failed", "payment_failed"),
    ],
)
def test_order_status_is_derived_from_its_lines(lines, current, expected):
    assert fulfilment.derive_order_status(lines, current) == expected


@pytest.fixture
def two_producer_order():
    return place_two_producer_order()


def test_confirm_then_ship_moves_the_order_through_its_statuses(two_producer_order, django_capture_on_commit_callbacks):
    order, producer_a, producer_b = two_producer_order
    line_a = order.lines.get(partner=producer_a.partner)
    line_b = order.lines.get(partner=producer_b.partner)
    fulfilment.confirm_line(line=line_a, producer=producer_a)
    order.refresh_from_db()
    assert order.status == statuses.PROCESSING
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment.ship_lines(lines=[line_a], tracking_number="VNP123456", producer=producer_a)
    order.refresh_from_db()
    line_a.refresh_from_db()
    assert order.status == statuses.PARTIALLY_SHIPPED
    assert line_a.status == "shipped" and line_a.tracking_number == "VNP123456" and line_a.shipped_at
    assert mail.outbox[0].to == ["khach@example.vn"] and "VNP123456" in mail.outbox[0].body
    fulfilment.confirm_line(line=line_b, producer=producer_b)
    fulfilment.ship_lines(lines=[line_b], tracking_number="GHN9", producer=producer_b)
    order.refresh_from_db()
    assert order.status == statuses.SHIPPED
    assert order.status_changes.count() == 3


def test_the_customer_is_told_when_a_producer_confirms_a_line(two_producer_order, django_capture_on_commit_callbacks):
    order, producer_a, producer_b = two_producer_order
    line_a = order.lines.get(partner=producer_a.partner)
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment.confirm_line(line=line_a, producer=producer_a)
    (message,) = mail.outbox
    assert message.to == ["khach@example.vn"]
    assert str(order.number) in message.subject and "preparing" in message.subject
    assert f"2 × {line_a.title} ({producer_a.name})" in message.body
    assert order.lines.get(partner=producer_b.partner).title not in message.body  # only the confirmed line


def test_a_pending_line_cannot_be_shipped(two_producer_order):
    order, producer_a, _b = two_producer_order
    with pytest.raises(fulfilment.FulfilmentError, match="cannot become"):
        fulfilment.ship_lines(
            lines=[order.lines.get(partner=producer_a.partner)], tracking_number="X", producer=producer_a
        )


def test_shipping_needs_a_tracking_number(two_producer_order):
    order, producer_a, _b = two_producer_order
    line = order.lines.get(partner=producer_a.partner)
    fulfilment.confirm_line(line=line, producer=producer_a)
    with pytest.raises(fulfilment.FulfilmentError):
        fulfilment.ship_lines(lines=[line], tracking_number="  ", producer=producer_a)


def test_a_producer_cannot_touch_another_producers_line(two_producer_order):
    order, producer_a, producer_b = two_producer_order
    line_b = order.lines.get(partner=producer_b.partner)
    with pytest.raises(PermissionDenied):
        fulfilment.confirm_line(line=line_b, producer=producer_a)
    with pytest.raises(PermissionDenied):
        fulfilment.cancel_line(line=line_b, reason="x", producer=producer_a)
    line_b.refresh_from_db()
    assert line_b.status == "pending"


def test_cancelling_a_line_gives_its_stock_back_and_tells_the_customer(
    two_producer_order, django_capture_on_commit_callbacks
):
    order, producer_a, producer_b = two_producer_order
    line_a = order.lines.get(partner=producer_a.partner)
    record = line_a.stockrecord
    record.refresh_from_db()
    assert record.num_allocated == 2 and record.net_stock_level == 8
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment.cancel_line(line=line_a, reason="Hết hàng vụ này", producer=producer_a)
    record.refresh_from_db()
    line_a.refresh_from_db()
    assert record.num_allocated == 0 and record.net_stock_level == 10
    assert line_a.status == "cancelled" and line_a.allocation_cancelled and line_a.cancellation_reason
    assert "Hết hàng vụ này" in mail.outbox[0].body
    assert "You have nothing to pay for this item." in mail.outbox[0].body  # not a card order
    assert "refund" not in mail.outbox[0].body.lower()
    order.refresh_from_db()
    assert order.status == statuses.PLACED  # B's line still waits
    fulfilment.cancel_line(line=order.lines.get(partner=producer_b.partner), reason="x", producer=producer_b)
    order.refresh_from_db()
    assert order.status == statuses.CANCELLED


def test_a_cancelled_line_cannot_be_cancelled_twice_nor_give_stock_back_twice(two_producer_order):
    order, producer_a, _b = two_producer_order
    line = order.lines.get(partner=producer_a.partner)
    fulfilment.cancel_line(line=line, reason="x", producer=producer_a)
    with pytest.raises(fulfilment.FulfilmentError):
        fulfilment.cancel_line(line=line, reason="x", producer=producer_a)
    line.stockrecord.refresh_from_db()
    assert line.stockrecord.num_allocated == 0


def test_lines_of_an_unpaid_card_order_cannot_be_handled(two_producer_order):
    order, producer_a, _b = two_producer_order
    order.status = statuses.AWAITING_PAYMENT
    order.save()
    with pytest.raises(fulfilment.FulfilmentError):
        fulfilment.confirm_line(line=order.lines.get(partner=producer_a.partner), producer=producer_a)


# --- Stock: shipping consumes the allocation; shipped goods never come back by a cancellation ---------


@pytest.fixture
def shipped_order():
    """Stock 10; an order for 4 that its producer confirmed and shipped."""
    user, producer = producer_user("a@x.vn")
    product = make_certified_product(producer=producer, stock=10)
    order = place_order((product, 4))
    line = order.lines.get()
    fulfilment.confirm_line(line=line, producer=producer)
    fulfilment.ship_lines(lines=[line], tracking_number="VNP1", producer=producer)
    return order, line, producer


def test_shipping_a_line_consumes_its_stock_allocation(shipped_order):
    _order, line, _producer = shipped_order

    record = line.stockrecord
    record.refresh_from_db()
    line.refresh_from_db()
    assert (record.num_in_stock, record.num_allocated, record.net_stock_level) == (6, 0, 6)
    assert line.num_allocated == 0 and not line.allocation_cancelled


def test_a_shipped_order_cannot_be_cancelled_and_its_stock_stays_gone(shipped_order):
    order, line, _producer = shipped_order

    with pytest.raises(InvalidOrderStatus, match="already shipped"):
        order.set_status(statuses.CANCELLED)

    order.refresh_from_db()
    line.refresh_from_db()
    line.stockrecord.refresh_from_db()
    assert order.status == statuses.SHIPPED and line.status == statuses.LINE_SHIPPED
    assert statuses.CANCELLED not in order.available_statuses()
    assert (line.stockrecord.num_in_stock, line.stockrecord.net_stock_level) == (6, 6)


def test_cancelling_a_partly_shipped_order_is_refused_and_the_unshipped_line_keeps_its_stock():
    user_a, producer_a = producer_user("a@x.vn")
    _user_b, producer_b = producer_user("b@x.vn")
    shipped = make_certified_product(producer=producer_a, stock=10)
    waiting = make_certified_product(producer=producer_b, stock=10)
    order = place_order((shipped, 4), (waiting, 3))
    line_a = order.lines.get(partner=producer_a.partner)
    fulfilment.confirm_line(line=line_a, producer=producer_a)
    fulfilment.ship_lines(lines=[line_a], tracking_number="VNP1", producer=producer_a)
    order.refresh_from_db()
    assert order.status == statuses.PARTIALLY_SHIPPED

    with pytest.raises(InvalidOrderStatus):
        order.set_status(statuses.CANCELLED)

    record_a, record_b = shipped.stockrecords.get(), waiting.stockrecords.get()
    assert (record_a.num_in_stock, record_a.num_allocated) == (6, 0)
    assert (record_b.num_in_stock, record_b.num_allocated) == (10, 3)
    assert order.lines.get(partner=producer_b.partner).status == statuses.LINE_PENDING


def test_cancelling_an_unshipped_order_gives_back_only_what_its_lines_still_hold():
    _user, producer = producer_user("a@x.vn")
    product = make_certified_product(producer=producer, stock=10)
    order = place_order((product, 4), email="khach@example.vn")
    other = place_order((product, 2))
    line = order.lines.get()
    fulfilment.cancel_line(line=line, reason="Hết hàng", producer=producer)  # its 4 units come back here

    order.refresh_from_db()
    assert order.status == statuses.CANCELLED
    other.set_status(statuses.CANCELLED)  # the other order's 2 units

    record = product.stockrecords.get()
    assert (record.num_in_stock, record.num_allocated) == (10, 0)


def test_producers_stock_count_after_shipping_is_what_can_be_sold(shipped_order):
    _order, line, producer = shipped_order
    product = line.product

    # The producer counts the 6 jars left on the shelf and enters them.
    catalog_services.update_offer(product=product, producer=producer, price=Decimal("150000"), stock=6)

    record = product.stockrecords.get()
    assert (record.num_in_stock, record.num_allocated, record.net_stock_level) == (6, 0, 6)


def test_a_shipped_line_cannot_be_cancelled(shipped_order):
    _order, line, producer = shipped_order

    with pytest.raises(fulfilment.FulfilmentError, match="cannot become"):
        fulfilment.cancel_line(line=line, reason="Đổi ý", producer=producer)

    line.stockrecord.refresh_from_db()
    assert line.stockrecord.net_stock_level == 6


def test_a_line_cancelled_in_the_dashboard_gives_its_stock_back():
    _user, producer = producer_user("a@x.vn")
    product = make_certified_product(producer=producer, stock=10)
    line = place_order((product, 4)).lines.get()

    line.set_status(statuses.LINE_CANCELLED)  # what the dashboard's line action does

    record = product.stockrecords.get()
    assert (record.num_in_stock, record.num_allocated) == (10, 0)
