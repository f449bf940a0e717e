"""Order e-mails to the customer.

The confirmation (lines by producer, star badges, VND) and "payment received"
go through Oscar's communication dispatcher, so they are recorded as the
order's communication events. Short notices (a line confirmed, shipped or
cancelled; a late payment refunded) are plain templates sent by ``notify_customer``.
"""

import logging
from decimal import Decimal

from django.conf import settings
from django.contrib.sites.models import Site
from django.db.models import prefetch_related_objects
from django.template import TemplateDoesNotExist
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from catalog.ocop import badge_label
from mail import queue, render_text, send_message, send_templated_mail
from shop.order.parts import order_parts

logger = logging.getLogger("shop.order.emails")

Dispatcher = get_class("communication.utils", "Dispatcher")
OrderDispatcher = get_class("order.utils", "OrderDispatcher")
Order = get_model("order", "Order")


class ProjectMailDispatcher(Dispatcher):
    """Oscar's communication dispatcher (it records the order's communication events),
    sending through the project's one mail helper."""

    def get_messages(self, event_code, extra_context=None):
        """Oscar's messages, with the plain-text subject and body rendered without HTML escaping."""
        messages = super().get_messages(event_code, extra_context)
        context = self.get_base_context(**(extra_context or {}))
        for name in ("subject", "body"):
            try:
                messages[name] = render_text(
                    f"oscar/communication/emails/commtype_{event_code.lower()}_{name}.txt", context
                )
            except TemplateDoesNotExist:
                pass  # a template kept in the database: Oscar's rendering stands
        messages["subject"] = " ".join(messages["subject"].split())
        return messages

    def send_email_messages(self, recipient_email, messages, from_email=None, attachments=None):
        self.logger.info("Sending email to %s", recipient_email)
        return send_message(
            subject=messages["subject"], body=messages["body"], html=messages["html"], recipients=[recipient_email]
        )


ORDER_PLACED = "ORDER_PLACED"
PAYMENT_RECEIVED = "PAYMENT_RECEIVED"


def order_status_path(order) -> str:
    if order.user_id:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse("customer:anon-order", kwargs={"order_number": order.number, "hash": order.verification_hash()})


def _context(order) -> dict:
    # Oscar's totals (basket total, surcharges incl. and excl. tax) each read the surcharges again otherwise.
    prefetch_related_objects([order], "surcharges")
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
    dispatcher.dispatcher = ProjectMailDispatcher(logger=logger)
    messages = dispatcher.dispatcher.get_messages(event_code, _context(order))
    dispatcher.dispatch_order_messages(order, messages, event_code)


def send_order_confirmation(order) -> None:
    _send(order, ORDER_PLACED)


def send_payment_received(order) -> None:
    _send(order, PAYMENT_RECEIVED)


def notify_customer(order, template: str, **context) -> None:
    """``template``\_subject.txt and \_body.txt, rendered with the order, to the order's e-mail address."""
    send_templated_mail(template=template, context={"order": order, **context}, recipients=[order.email])


def send_late_payment_refunded(order, *, amount) -> None:
    notify_customer(order, "order/payments/late_payment_refunded", amount=amount)


def alert_staff_payment_mismatch(order, *, received: str, expected) -> None:
    """Tell the marketplace staff that Stripe's amount differs from an order's total (the order waits for them)."""
    from django.contrib.auth import get_user_model
    from django.utils import translation
    from django.utils.translation import gettext as _

    staff = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Order %(number)s: the card payment does not match the order total") % {"number": order.number}
        body = _(
            "Stripe reported a payment of %(received)s for order %(number)s, whose total is %(expected)s %(currency)s. "
            "The order was not marked paid. Check the payment in Stripe, then refund or settle it from the dashboard."
        ) % {"received": received, "number": order.number, "expected": expected, "currency": order.currency}
    send_message(subject=subject, body=body, recipients=staff.values_list("email", flat=True))


# Kinds of queued message (``mail.queue``): ``shop.order.services`` queues them with the order's id.
ORDER_CONFIRMATION = "order_confirmation"
PAYMENT_RECEIVED_MAIL = "payment_received"
LATE_PAYMENT_REFUNDED = "late_payment_refunded"
PAYMENT_MISMATCH = "payment_mismatch"


def _order(payload: dict):
    return Order.objects.get(pk=payload["order"])


def register_queued_mail() -> None:
    """The handlers the ``send_mail_queue`` worker (or, with the queue off, the commit) runs for each kind."""
    queue.register(ORDER_CONFIRMATION, lambda payload: send_order_confirmation(_order(payload)))
    queue.register(PAYMENT_RECEIVED_MAIL, lambda payload: send_payment_received(_order(payload)))
    queue.register(
        LATE_PAYMENT_REFUNDED,
        lambda payload: send_late_payment_refunded(_order(payload), amount=Decimal(payload["amount"])),
    )
    queue.register(
        PAYMENT_MISMATCH,
        lambda payload: alert_staff_payment_mismatch(
            _order(payload), received=payload["received"], expected=Decimal(payload["expected"])
        ),
    )
