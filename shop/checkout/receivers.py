"""Stock goes back when an order is cancelled (the cancelled lines no longer hold it)."""

from django.dispatch import receiver
from oscar.apps.order.signals import order_status_changed

from shop.order import services, statuses


@receiver(order_status_changed, dispatch_uid="shop.checkout.release_stock_on_cancel")
def release_stock_on_cancel(sender, order, old_status, new_status, **kwargs):
    if new_status == statuses.CANCELLED:
        services.release_stock(order)
