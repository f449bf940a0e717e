"""Admin additions for the Department's editors: the product chooser and the campaign reports."""

from wagtail import hooks

from cms.choosers import product_chooser_viewset
from cms.viewsets import campaign_report_viewset


@hooks.register("register_admin_viewset")
def register_product_chooser():
    return product_chooser_viewset


@hooks.register("register_admin_viewset")
def register_campaign_reports():
    return campaign_report_viewset
