"""Order e-mails to the customer: confirmation (lines by producer, star badges, VND) and payment received.

Sent through Oscar's communication dispatcher, so they are recorded as the
order's communication events and use the configured e-mail backend.
"""

import logging

from django.conf import settings
from django.contrib.sites.models import Site
from django.urls import reverse
from oscar.core.loading import get_class

from catalog.templatetags.ocop_tags import badge_label
from shop.order.parts import order_parts

logger = logging.getLogger("shop.order.emails")

OrderDispatcher = get_class("order.utils", "OrderDispatcher")

ORDER_PLACED = "ORDER_PLACED"
PAYMENT_RECEIVED = "PAYMENT_RECEIVED"


def order_status_path(order) -> str:
    if order.user_id:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse("customer:anon-order", kwargs={"order_number": order.number, "hash": order.verification_hash()})


def _context(order) -> dict:
    parts = order_parts(order)
    for part in parts:
        for line in part.lines:
            stars = line.product.ocop_stars if line.product_id else None
            line.badge = badge_label(stars) if stars else ""
    site = Site.objects.get_current()
    path = order_status_path(order)
    return {
        "order": order,
        "parts": parts,
        "site": site,
        "status_path": path,
        "status_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path,
    }


def _send(order, event_code: str) -> None:
    dispatcher = OrderDispatcher(logger=logger)
    messages = dispatcher.dispatcher.get_messages(event_code, _context(order))
    dispatcher.dispatch_order_messages(order, messages, event_code)


def send_order_confirmation(order) -> None:
    _send(order, ORDER_PLACED)


def send_payment_received(order) -> None:
    _send(order, PAYMENT_RECEIVED)
