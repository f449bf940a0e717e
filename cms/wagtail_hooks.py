"""Admin additions for the Department's editors: the product chooser (and, with campaigns, their report)."""

from wagtail import hooks

from cms.choosers import product_chooser_viewset


@hooks.register("register_admin_viewset")
def register_product_chooser():
    return product_chooser_viewset
