"""Order and line statuses.

Each producer fulfils its own lines (``Line.partner``); the order's status is
derived from its lines (see ``shop.order.fulfilment.derive_order_status``).
Status values are stored untranslated; templates show the labels.
"""

from django.utils.translation import gettext_lazy as _

# Line (one producer's item) statuses
LINE_PENDING = "pending"  # placed, waiting for the producer to confirm
LINE_CONFIRMED = "confirmed"  # producer accepted it
LINE_SHIPPED = "shipped"  # handed to the carrier, tracking number known
LINE_DELIVERED = "delivered"
LINE_CANCELLED = "cancelled"  # stock went back

LINE_LABELS = {
    LINE_PENDING: _("Waiting for the producer"),
    LINE_CONFIRMED: _("Confirmed"),
    LINE_SHIPPED: _("Shipped"),
    LINE_DELIVERED: _("Delivered"),
    LINE_CANCELLED: _("Cancelled"),
}

# Lines whose goods left the producer: their stock was consumed and never comes back.
DISPATCHED_LINE_STATUSES = (LINE_SHIPPED, LINE_DELIVERED)

LINE_PIPELINE = {
    LINE_PENDING: (LINE_CONFIRMED, LINE_CANCELLED),
    LINE_CONFIRMED: (LINE_SHIPPED, LINE_CANCELLED),
    LINE_SHIPPED: (LINE_DELIVERED,),
    LINE_DELIVERED: (),
    LINE_CANCELLED: (),
}

# Order statuses
AWAITING_PAYMENT = "awaiting_payment"  # card order created, payment not yet confirmed
PAYMENT_FAILED = "payment_failed"  # card declined: stock given back
PLACED = "placed"  # COD order, or card payment received
PROCESSING = "processing"  # some producer confirmed
PARTIALLY_SHIPPED = "partially_shipped"
SHIPPED = "shipped"
COMPLETED = "completed"
CANCELLED = "cancelled"

ORDER_LABELS = {
    AWAITING_PAYMENT: _("Awaiting payment"),
    PAYMENT_FAILED: _("Payment failed"),
    PLACED: _("Placed"),
    PROCESSING: _("Processing"),
    PARTIALLY_SHIPPED: _("Partially shipped"),
    SHIPPED: _("Shipped"),
    COMPLETED: _("Completed"),
    CANCELLED: _("Cancelled"),
}

_ALL_ORDER = tuple(ORDER_LABELS)
ORDER_PIPELINE = {status: tuple(s for s in _ALL_ORDER if s != status) for status in _ALL_ORDER}
ORDER_PIPELINE[CANCELLED] = ()
ORDER_PIPELINE[COMPLETED] = ()
# Goods on their way cannot be cancelled (``Order.set_status`` also checks the lines themselves).
for _dispatched in (PARTIALLY_SHIPPED, SHIPPED):
    ORDER_PIPELINE[_dispatched] = tuple(s for s in ORDER_PIPELINE[_dispatched] if s != CANCELLED)
