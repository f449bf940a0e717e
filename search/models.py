"""The database search backend's index: one row of folded text per product.

The catalogue does not know about it: ``search.receivers`` keeps it in step
with product saves (see ``search.indexing``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductSearchText(models.Model):
    product = models.OneToOneField(
        "catalogue.Product", on_delete=models.CASCADE, related_name="search_text", primary_key=True
    )
    title = models.CharField(
        _("folded title"), max_length=255, blank=True, help_text=_("Sorts titles A to Z whatever their tone marks.")
    )
    text = models.TextField(_("folded text"), help_text=_("Folded (lower case, no tone marks) searchable text."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("product search text")
        verbose_name_plural = _("product search texts")

    def __str__(self) -> str:
        return self.text[:80]
