from django import template
from django.utils.translation import gettext as _

from shop.order.parts import order_parts as _order_parts
from shop.order.services import cash_label, is_collection_order
from shop.order.statuses import LINE_LABELS, ORDER_LABELS

register = template.Library()


@register.simple_tag
def order_parts(order):
    """``{% order_parts order as parts %}``: the order's lines grouped by producer, in two queries."""
    return _order_parts(order)


@register.filter
def order_status_label(order) -> str:
    return str(ORDER_LABELS.get(order.status, order.status))


@register.filter
def status_label(status) -> str:
    """An order or line status code ("partially_shipped") as its label in the page's language."""
    return str(ORDER_LABELS.get(status) or LINE_LABELS.get(status) or status or "-")


@register.filter
def is_collection(order) -> bool:
    """``{% if order|is_collection %}``: collected at a sales point rather than delivered."""
    return is_collection_order(order)


@register.simple_tag
def order_payment_label(order) -> str:
    """How the order is paid: a card payment and its state, or cash on delivery (or on collection at the point)."""
    payment = getattr(order, "stripe_payment", None) if hasattr(order, "stripe_payment") else None
    if payment is not None:
        return f"{_('Card (Stripe)')}: {payment.get_status_display()}"
    return cash_label(collection=is_collection_order(order))
