from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.abstract_models import AbstractLine

from shop.order import statuses


class Line(AbstractLine):
    """An order line belongs to one producer (``partner``), who fulfils it on its own."""

    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.CharField(_("cancellation reason"), max_length=255, blank=True)

    @property
    def status_label(self) -> str:
        return str(statuses.LINE_LABELS.get(self.status, self.status))


from oscar.apps.order.models import *  # noqa: E402,F403
