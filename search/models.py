"""The listing row: one row per product holding everything a listing page filters, sorts, counts and searches on.

Listing pages, facet counts and the database search backend read this table
alone (no certificate subquery, no stock join per product). The catalogue does
not know about it: ``search.receivers`` keeps it in step with saves of products,
certificates, stock records, categories, producers and districts, and
``search.indexing`` writes it in bulk.

"Listed today" is a range test on stored dates (``valid_from <= today <
valid_until``), so a certificate lapses from every listing on its last day
without any job running.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LISTED = Q(is_listed=True)
# Raise when a column is added: ``migrate`` then rewrites every row written before (search.receivers).
ROW_LAYOUT = 1


class ProductSearchText(models.Model):
    product = models.OneToOneField(
        "catalogue.Product", on_delete=models.CASCADE, related_name="search_text", primary_key=True
    )
    title = models.CharField(
        _("folded title"), max_length=255, blank=True, help_text=_("Sorts titles A to Z whatever their tone marks.")
    )
    text = models.TextField(_("folded text"), help_text=_("Folded (lower case, no tone marks) searchable text."))
    # What listings filter and sort on, copied from the catalogue and the stock owner when they change.
    is_listed = models.BooleanField(
        _("can be listed"),
        default=False,
        help_text=_("Public and not a variant; the certificate dates decide the rest."),
    )
    stars = models.PositiveSmallIntegerField(_("OCOP stars"), null=True, blank=True)
    valid_from = models.DateField(_("certificate valid from"), null=True, blank=True)
    valid_until = models.DateField(
        _("certificate valid until"), null=True, blank=True, help_text=_("First day it is no longer valid.")
    )
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2, null=True, blank=True)
    in_stock = models.BooleanField(_("in stock"), default=False)
    category_path = models.CharField(_("category path"), max_length=255, blank=True)
    group_path = models.CharField(_("product group path"), max_length=32, blank=True)
    district = models.ForeignKey(
        "catalogue.District", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    producer = models.ForeignKey(
        "catalogue.Producer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rating = models.FloatField(_("rating"), null=True, blank=True)
    date_created = models.DateTimeField(_("product created"), null=True, blank=True)
    layout = models.PositiveSmallIntegerField(
        default=0, help_text=_("Which columns the row was written with: older rows are rewritten after migrate.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("product listing row")
        verbose_name_plural = _("product listing rows")
        indexes = [
            # One per sort order, only over rows that can be listed: ORDER BY ... LIMIT reads a page's worth.
            # The default order's also carries the dates "listed today" tests and the stamp a page reads
            # with its ids (PostgreSQL), so a page deep in the catalogue (page 200 skips 2,388 rows) is
            # an index-only scan instead of a visit to every row it skips.
            models.Index(
                fields=["-stars", "-date_created", "-product"],
                name="listing_by_stars",
                condition=LISTED,
                include=["valid_from", "valid_until", "updated_at"],
            ),
            models.Index(
                models.F("date_created").desc(), models.F("product").desc(), name="listing_newest", condition=LISTED
            ),
            models.Index(fields=["price", "product"], name="listing_by_price", condition=LISTED),
            models.Index(fields=["title", "product"], name="listing_by_title", condition=LISTED),
            # Also covers the facet GROUP BY's columns: the catalogue's counts are an index-only scan (on
            # PostgreSQL; other databases ignore ``include``) instead of reading every listed row.
            models.Index(
                fields=["valid_until", "valid_from"],
                name="listing_valid_facets",
                condition=LISTED,
                include=["group_path", "stars", "district", "in_stock"],
            ),
            models.Index(
                fields=["category_path"], name="listing_category", opclasses=["varchar_pattern_ops"], condition=LISTED
            ),
            models.Index(fields=["district"], name="listing_district", condition=LISTED),
            # The menu asks, per product group, whether one listed row exists (``search.selectors.menu_groups``).
            models.Index(fields=["group_path"], name="listing_group", condition=LISTED),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class SearchOutbox(models.Model):
    """A product (or sales point) whose search document must be sent again, written in the transaction
    that changed it.

    ``manage.py search_sync`` sends these to Elasticsearch in bulk and deletes the rows it
    sent; a failed row waits (``available_at``) and is tried again, so a change made while
    Elasticsearch is down reaches it once it is back. Not a foreign key: a deleted
    product's row must stay to remove its document.
    """

    class Kind(models.TextChoices):
        PRODUCT = "product", _("product")
        OUTLET = "outlet", _("sales point")

    kind = models.CharField(_("document"), max_length=16, choices=Kind.choices, default=Kind.PRODUCT)
    product_id = models.PositiveBigIntegerField(_("id"), help_text=_("The product's, or the sales point's."))
    created_at = models.DateTimeField(auto_now_add=True)
    available_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search outbox entry")
        verbose_name_plural = _("search outbox entries")
        indexes = [models.Index(fields=["available_at", "id"], name="search_outbox_due")]

    def __str__(self) -> str:
        return f"{self.kind} {self.product_id} (attempts: {self.attempts})"


class CatalogueVersion(models.Model):
    """Numbers raised after committed changes: ``number`` after every change that pages show but a stock
    level, ``listing_number`` only after a change that listings show or filter on (a product, its price,
    certificate, group, district or producer, its stock running out or coming back), ``stock_number`` after
    a stock level changed and nothing else (the product page says how many are left; no listing does).

    Cached pages are keyed by ``number``, product pages and their fragments by ``number`` and
    ``stock_number``; facet counts, the menu, the category tree and the sidebar by ``listing_number``
    (``search.cache``). So a change retires everything cached before it that may show it, whichever process
    cached it, and an order that leaves stock on the shelf retires the product pages alone. One row.
    """

    number = models.BigIntegerField(default=0)
    listing_number = models.BigIntegerField(default=0)
    stock_number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("catalogue version")

    def __str__(self) -> str:
        return str(self.number)
