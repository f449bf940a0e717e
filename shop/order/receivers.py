"""Stock goes back when an order or a line is cancelled (what was shipped never comes back); a placed order's
products count one more purchase each (Oscar's analytics, in one statement)."""

from django.dispatch import receiver
from oscar.apps.order.signals import order_line_status_changed, order_placed, order_status_changed

from shop.order import services, statuses


@receiver(order_status_changed, dispatch_uid="shop.order.release_stock_on_cancel")
def release_stock_on_cancel(sender, order, old_status: str, new_status: str, **kwargs) -> None:
    if new_status == statuses.CANCELLED:
        services.release_stock(order)


@receiver(order_line_status_changed, dispatch_uid="shop.order.release_line_stock_on_cancel")
def release_line_stock_on_cancel(sender, line, old_status: str, new_status: str, **kwargs) -> None:
    if new_status == statuses.LINE_CANCELLED:
        services.release_line_stock(line=line)


@receiver(order_placed, dispatch_uid="shop.order.record_purchases")
def record_purchases(sender, order, user, **kwargs) -> None:
    """Oscar's analytics of a placed order (``oscar.apps.analytics.receivers.receive_order_placed``, which
    ``OrderConfig.ready`` disconnects): the products' purchase counts raised in one statement instead of a read
    of the lines and an UPDATE (or INSERT) per line; the customer's own record as Oscar keeps it."""
    if kwargs.get("raw", False):
        return
    from oscar.apps.analytics.receivers import _record_user_order

    services.count_purchases(order)
    if user and user.is_authenticated:
        _record_user_order(user, order)
