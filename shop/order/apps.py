import oscar.apps.order.apps as apps


class OrderConfig(apps.OrderConfig):
    name = "shop.order"

    def ready(self):
        super().ready()
        from oscar.apps.analytics import receivers as analytics
        from oscar.apps.order.signals import order_placed

        # Replaced by shop.order.receivers.record_purchases (one statement for all the lines).
        order_placed.disconnect(analytics.receive_order_placed)
        from shop.order import emails, receivers  # noqa: F401  (stock goes back when an order or a line is cancelled)

        emails.register_queued_mail()
