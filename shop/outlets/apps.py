from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutletPagesConfig(AppConfig):
    """The sales points' pages: the public map and point pages, the counter, the staff registry."""

    name = "shop.outlets"
    label = "outlet_pages"
    verbose_name = _("Sales point pages")
