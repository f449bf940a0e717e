import oscar.apps.dashboard.apps as apps


class DashboardConfig(apps.DashboardConfig):
    """Oscar's dashboard, forked only so that Oscar's class loader finds the forked
    ``shop.dashboard.catalogue`` modules (it looks them up under the ``dashboard`` app)."""

    name = "shop.dashboard"
