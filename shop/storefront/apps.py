from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StorefrontConfig(AppConfig):
    """The shoppers' front door: page layout, producer shop pages, error pages, Vietnamese addresses."""

    name = "shop.storefront"
    label = "storefront"
    verbose_name = _("Storefront")
