from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The producers' portal and the staff moderation queue: a front door onto the catalogue and orders."""

    name = "shop.portal"
    label = "portal"
