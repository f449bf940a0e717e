"""The database search backend's index: one row of folded text per product.

The catalogue does not know about it: ``search.receivers`` keeps it in step
with product saves (see ``search.indexing``).
"""

from django.db import models
from django.utils import timezone
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


class SearchOutbox(models.Model):
    """A product whose search document must be sent again, written in the transaction that changed it.

    ``manage.py search_sync`` sends these to Elasticsearch in bulk and deletes the rows it
    sent; a failed row waits (``available_at``) and is tried again, so a change made while
    Elasticsearch is down reaches it once it is back. Not a foreign key: a deleted
    product's row must stay to remove its document.
    """

    product_id = models.PositiveBigIntegerField(_("product id"))
    created_at = models.DateTimeField(auto_now_add=True)
    available_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search outbox entry")
        verbose_name_plural = _("search outbox entries")
        indexes = [models.Index(fields=["available_at", "id"], name="search_outbox_due")]

    def __str__(self) -> str:
        return f"product {self.product_id} (attempts: {self.attempts})"
