import oscar.apps.order.apps as apps


class OrderConfig(apps.OrderConfig):
    name = "shop.order"

    def ready(self):
        super().ready()
        from shop.order import emails, receivers  # noqa: F401  (stock goes back when an order or a line is cancelled)

        emails.register_queued_mail()
