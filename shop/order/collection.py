"""Orders collected at a sales point: ready, collected, or not collected in time.

A collection order's lines belong to the point's partner and hold a
reservation on the point's shelf (``outlets.stock``). The point's manager marks
the order ready (the customer is told to come), then collected (the reservation
becomes a sale: the units leave the shelf) or, after
``settings.OUTLETS_COLLECTION_DAYS`` days ready, not collected (the reservation
is released). The customer gets an e-mail at each step.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shop.order import emails, fulfilment, statuses
from shop.order.fulfilment import refresh_order_status

Order = get_model("order", "Order")
Line = get_model("order", "Line")

WAITING = (statuses.LINE_PENDING, statuses.LINE_CONFIRMED)


class CollectionError(ValidationError):
    pass


def collection_orders(outlet) -> QuerySet:
    """Paid or cash orders to collect at ``outlet``, newest first, with their lines."""
    return (
        Order.objects.filter(lines__partner_id=outlet.partner_id)
        .exclude(status__in=(statuses.AWAITING_PAYMENT, statuses.PAYMENT_FAILED))
        .distinct()
        .select_related("shipping_address", "stripe_payment")
        .prefetch_related("lines")
        .order_by("-date_placed")
    )


def _lines(order, outlet, allowed: tuple[str, ...]) -> list:
    lines = list(
        Line.objects.select_for_update()
        .filter(order_id=order.pk, partner_id=outlet.partner_id, status__in=allowed)
        .select_related("order")
        .order_by("pk")
    )
    if order.status in (statuses.AWAITING_PAYMENT, statuses.PAYMENT_FAILED) or not lines:
        raise CollectionError(_("This order has nothing waiting at this sales point."))
    return lines


def _tell(order, template: str, lines, **context) -> None:
    transaction.on_commit(lambda: emails.notify_customer(order, template, lines=lines, **context))


@transaction.atomic
def mark_ready(*, order, outlet) -> Order:
    lines = _lines(order, outlet, (statuses.LINE_PENDING,))
    now = timezone.now()
    Line.objects.filter(pk__in=[line.pk for line in lines]).update(status=statuses.LINE_CONFIRMED, confirmed_at=now)
    order = refresh_order_status(order)
    days = settings.OUTLETS_COLLECTION_DAYS
    _tell(order, "order/collection/ready", lines, outlet=outlet, until=(now + timedelta(days=days)).date())
    return order


@transaction.atomic
def mark_collected(*, order, outlet) -> Order:
    """The customer took the goods: each line's reservation leaves the shelf as a sale."""
    lines = _lines(order, outlet, WAITING)
    now = timezone.now()
    for line in lines:
        line.consume_stock()
        Line.objects.filter(pk=line.pk).update(status=statuses.LINE_DELIVERED, shipped_at=now)
    order = refresh_order_status(order)
    _tell(order, "order/collection/collected", lines, outlet=outlet)
    return order


@transaction.atomic
def mark_not_collected(*, order, outlet) -> Order:
    """Not collected in time: the reservation goes back to the shelf and the lines are cancelled."""
    lines = _lines(order, outlet, WAITING)
    now = timezone.now()
    reason = _("Not collected within %(days)d days") % {"days": settings.OUTLETS_COLLECTION_DAYS}
    for line in lines:
        line.release_stock()
        Line.objects.filter(pk=line.pk).update(
            status=statuses.LINE_CANCELLED, cancelled_at=now, cancellation_reason=reason[:255]
        )
    order = refresh_order_status(order)

    def refund_and_tell():
        # After the commit, as when a producer cancels a line: the lines stay cancelled whatever Stripe does.
        outcomes = [fulfilment._refund_cancelled_line(order, line)[0] for line in lines]
        refunded = fulfilment.REFUNDED in outcomes or fulfilment.REFUND_PENDING in outcomes
        emails.notify_customer(order, "order/collection/not_collected", lines=lines, outlet=outlet, refunded=refunded)

    transaction.on_commit(refund_and_tell)
    return order


def overdue(outlet) -> list:
    """Orders ready at ``outlet`` for longer than the collection period."""
    cutoff = timezone.now() - timedelta(days=settings.OUTLETS_COLLECTION_DAYS)
    return list(
        Order.objects.filter(
            lines__partner_id=outlet.partner_id,
            lines__status=statuses.LINE_CONFIRMED,
            lines__confirmed_at__lt=cutoff,
        ).distinct()
    )
