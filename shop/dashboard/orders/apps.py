import oscar.apps.dashboard.orders.apps as apps


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    """Oscar's order dashboard, with order statuses offered by their labels, not their stored codes."""

    name = "shop.dashboard.orders"
