"""Stock goes back when an order or a line is cancelled (what was shipped never comes back)."""

from django.dispatch import receiver
from oscar.apps.order.signals import order_line_status_changed, order_status_changed

from shop.order import services, statuses


@receiver(order_status_changed, dispatch_uid="shop.order.release_stock_on_cancel")
def release_stock_on_cancel(sender, order, old_status: str, new_status: str, **kwargs) -> None:
    if new_status == statuses.CANCELLED:
        services.release_stock(order)


@receiver(order_line_status_changed, dispatch_uid="shop.order.release_line_stock_on_cancel")
def release_line_stock_on_cancel(sender, line, old_status: str, new_status: str, **kwargs) -> None:
    if new_status == statuses.LINE_CANCELLED:
        services.release_line_stock(line=line)
