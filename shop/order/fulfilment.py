"""Producers fulfil their own order lines; the order's status follows its lines.

Each line belongs to one producer (``Line.partner``). A producer confirms a
line, ships lines with a tracking number, or cancels a line (its stock
allocation is given back). After each change the order's status is derived
from all its lines by ``refresh_order_status``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from outlets import stock
from shop.order import emails, services, statuses, stripe_gateway
from shop.order.models import StripePayment

logger = logging.getLogger("shop.order")

Line = get_model("order", "Line")
Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")

# Orders in these states are not the producers' business yet (or any more).
UNTOUCHED_ORDER_STATUSES = {statuses.AWAITING_PAYMENT, statuses.PAYMENT_FAILED}


class FulfilmentError(ValidationError):
    pass


def derive_order_status(line_statuses: Sequence[str], current: str) -> str:
    """The order status that the line statuses imply (pure: see the module docstring)."""
    if current in UNTOUCHED_ORDER_STATUSES or not line_statuses:
        return current
    active = [s for s in line_statuses if s != statuses.LINE_CANCELLED]
    if not active:
        return statuses.CANCELLED
    if all(s == statuses.LINE_DELIVERED for s in active):
        return statuses.COMPLETED
    if all(s in (statuses.LINE_SHIPPED, statuses.LINE_DELIVERED) for s in active):
        return statuses.SHIPPED
    if any(s in (statuses.LINE_SHIPPED, statuses.LINE_DELIVERED) for s in active):
        return statuses.PARTIALLY_SHIPPED
    if any(s == statuses.LINE_CONFIRMED for s in active):
        return statuses.PROCESSING
    return statuses.PLACED


@transaction.atomic
def refresh_order_status(order: Order) -> Order:
    order = Order.objects.select_for_update().get(pk=order.pk)
    new_status = derive_order_status(list(order.lines.values_list("status", flat=True)), order.status)
    if new_status != order.status:
        # Oscar's set_status checks the pipeline and sends order_status_changed.
        order.set_status(new_status)
    return order


def _locked_line(line: Line, producer) -> Line:
    locked = Line.objects.select_for_update(of=("self",)).select_related("order").get(pk=line.pk)
    if producer is None or locked.partner_id != producer.partner_id:
        raise PermissionDenied(_("This order line belongs to another producer."))
    if locked.order.status in UNTOUCHED_ORDER_STATUSES:
        raise FulfilmentError(_("This order is not paid yet: its lines cannot be handled."))
    return locked


def _move(line: Line, new_status: str) -> None:
    allowed = statuses.LINE_PIPELINE.get(line.status, ())
    if new_status not in allowed:
        raise FulfilmentError(
            _("A line that is “%(current)s” cannot become “%(new)s”.")
            % {
                "current": statuses.LINE_LABELS.get(line.status, line.status),
                "new": statuses.LINE_LABELS.get(new_status, new_status),
            }
        )
    line.status = new_status


@transaction.atomic
def confirm_line(*, line: Line, producer) -> Line:
    """The producer accepts the line; the customer is told it is being prepared."""
    line = _locked_line(line, producer)
    _move(line, statuses.LINE_CONFIRMED)
    line.confirmed_at = timezone.now()
    line.save(update_fields=["status", "confirmed_at"])
    order = refresh_order_status(line.order)
    transaction.on_commit(
        lambda: emails.notify_customer(order, "order/fulfilment/line_confirmed", lines=[line]), robust=True
    )
    return line


@transaction.atomic
def ship_lines(*, lines: Sequence[Line], tracking_number: str, producer) -> list[Line]:
    """Mark lines shipped in one parcel; the customer gets one e-mail per order."""
    tracking_number = (tracking_number or "").strip()
    if not tracking_number:
        raise FulfilmentError({"tracking_number": _("Enter the carrier's tracking number.")})
    if not lines:
        raise FulfilmentError(_("Choose at least one line to ship."))
    shipped = []
    now = timezone.now()
    # Primary-key order, the order in which cancelling an order locks its lines.
    for line in sorted(lines, key=lambda line: line.pk):
        line = _locked_line(line, producer)
        _move(line, statuses.LINE_SHIPPED)
        _consume_stock(line)
        line.tracking_number = tracking_number
        line.shipped_at = now
        line.save(update_fields=["status", "tracking_number", "shipped_at"])
        shipped.append(line)
    orders = {line.order_id: line.order for line in shipped}
    for order in orders.values():
        order = refresh_order_status(order)
        order_lines = [line for line in shipped if line.order_id == order.pk]
        transaction.on_commit(
            lambda order=order, order_lines=order_lines: emails.notify_customer(
                order, "order/fulfilment/lines_shipped", lines=order_lines, tracking_number=tracking_number
            ),
            robust=True,  # a mail server outage loses a notice, never the producer's shipment
        )
    return shipped


def _consume_stock(line: Line) -> None:
    """The goods left: the line's allocation leaves the stock record with them (once: it is 0 after)."""
    try:
        line.consume_stock()
    except stock.InsufficientStock as exc:
        raise FulfilmentError(
            _(
                "The stock of “%(title)s” shows fewer units (%(count)d) than this parcel takes away. "
                "Correct the stock count first."
            )
            % {"title": line.title, "count": exc.available}
        ) from exc


@transaction.atomic
def cancel_line(*, line: Line, reason: str, producer) -> Line:
    """Cancel a line and give its allocated stock back."""
    reason = (reason or "").strip()
    if not reason:
        raise FulfilmentError({"reason": _("Tell the customer why the line is cancelled.")})
    line = _locked_line(line, producer)
    _move(line, statuses.LINE_CANCELLED)
    line.release_stock()
    line.cancelled_at = timezone.now()
    line.cancellation_reason = reason[:255]
    line.save(update_fields=["status", "cancelled_at", "cancellation_reason"])
    order = refresh_order_status(line.order)
    # After the commit: the line stays cancelled whatever Stripe does.
    transaction.on_commit(lambda: _refund_and_tell_customer(order, line, reason), robust=True)
    return line


# What the customer is told about the money of a cancelled line.
NOT_CHARGED = "not_charged"  # cash on delivery: nothing to pay for it
REFUNDED = "refunded"  # the card payment for it went back to the card
REFUND_PENDING = "refund_pending"  # Stripe failed: staff refund it from the dashboard


def _refund_cancelled_line(order: Order, line: Line) -> tuple[str, Decimal]:
    """Refund a cancelled line's amount to the order's card, once per line; say what happened."""
    payment = StripePayment.objects.filter(order=order).first()
    if payment is None:
        return NOT_CHARGED, Decimal(0)
    already_refunded = PaymentEvent.objects.filter(order=order, event_type__name="Refunded", lines=line).exists()
    if payment.status == StripePayment.Status.REFUNDED or already_refunded:
        return REFUNDED, Decimal(0)
    amount = min(line.line_price_incl_tax, payment.amount - payment.amount_refunded)
    if payment.status != StripePayment.Status.SUCCEEDED or amount <= 0:
        return NOT_CHARGED, Decimal(0)
    shown = currency(amount, order.currency)
    try:
        services.refund_card_payment(order=order, amount=amount, idempotency_key=f"line-{line.pk}-refund", lines=[line])
    except stripe_gateway.PaymentGatewayError as exc:
        logger.error("Order %s: refund of cancelled line %s (%s) failed: %s", order.number, line.pk, amount, exc)
        order.notes.create(
            note_type="System",
            message=f"Refund of {shown} for cancelled line “{line.title}” failed: retry from the dashboard. ({exc})",
        )
        return REFUND_PENDING, amount
    order.notes.create(note_type="System", message=f"Refunded {shown} to the card for cancelled line “{line.title}”.")
    return REFUNDED, amount


def _refund_and_tell_customer(order: Order, line: Line, reason: str) -> None:
    outcome, amount = _refund_cancelled_line(order, line)
    emails.notify_customer(
        order, "order/fulfilment/line_cancelled", lines=[line], reason=reason, refund=outcome, refund_amount=amount
    )
