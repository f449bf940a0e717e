from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutletsConfig(AppConfig):
    """OCOP sales points (district points and OCOP centres) and the stock they hold."""

    name = "outlets"
    verbose_name = _("Sales points")
