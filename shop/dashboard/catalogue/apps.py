import oscar.apps.dashboard.catalogue.apps as apps


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    """Oscar's catalogue dashboard, with a product's OCOP certificates on its edit page."""

    name = "shop.dashboard.catalogue"
