"""Keeps the listing rows (and, through the outbox, Elasticsearch) in step with the catalogue.

The catalogue announces nothing search-specific: these receivers listen to the
model signals of everything a product's listing row and search document are
built from: the product, its categories, certificates and stock records, its
producer, partner and district, and the stock owner's ``counts_changed``.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_delete
from django.dispatch import receiver
from oscar.core.loading import get_model

from outlets import stock
from search import indexing, outbox
from search.cache import catalogue_changed

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")
Producer = get_model("catalogue", "Producer")
District = get_model("catalogue", "District")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
OcopCertificate = get_model("catalogue", "OcopCertificate")


@receiver(post_save, sender=Product, dispatch_uid="search_index_product")
def index_saved_product(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.index_product_ids([instance.pk])


@receiver(post_delete, sender=Product, dispatch_uid="search_unindex_product")
def unindex_deleted_product(sender, instance, **kwargs):
    # The database row goes with the product (CASCADE); Elasticsearch is told through the outbox.
    outbox.enqueue([instance.pk])
    catalogue_changed()


@receiver(post_save, sender=StockRecord, dispatch_uid="search_reindex_stock_record")
@receiver(post_save, sender=OcopCertificate, dispatch_uid="search_reindex_certificate")
def reindex_price_stock_or_certificate(sender, instance, raw=False, **kwargs):
    """Stars, validity dates, price and stock are columns of the product's row (and of its document)."""
    if not raw:
        indexing.index_product_ids([instance.product_id])


@receiver(post_delete, sender=StockRecord, dispatch_uid="search_reindex_deleted_stock_record")
@receiver(post_delete, sender=OcopCertificate, dispatch_uid="search_reindex_deleted_certificate")
def reindex_after_stock_or_certificate_deleted(sender, instance, **kwargs):
    """After the commit: when the product itself is being deleted, its row must not be written again."""
    from django.db import transaction

    outbox.enqueue([instance.product_id])
    product_id = instance.product_id
    transaction.on_commit(lambda: indexing.index_product_ids([product_id]))


@receiver(stock.counts_changed, dispatch_uid="search_reindex_stock_counts")
def reindex_stock_counts(sender, record_ids, product_ids=None, **kwargs):
    """Orders allocate, release and consume stock by queryset updates: a row follows when its product runs
    out or comes back; a level alone raises only the stock version (``indexing.stock_counts_changed``)."""
    if product_ids is None:  # the stock owner names the products; an older sender may not
        product_ids = StockRecord.objects.filter(pk__in=record_ids).values_list("product_id", flat=True)
    indexing.stock_counts_changed(product_ids)


@receiver(post_save, sender=ProductCategory, dispatch_uid="search_index_product_category")
@receiver(post_delete, sender=ProductCategory, dispatch_uid="search_unindex_product_category")
def index_recategorised_product(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.index_product_ids([instance.product_id])


@receiver(m2m_changed, sender=ProductCategory, dispatch_uid="search_index_product_categories")
def index_products_on_category_change(sender, instance, action, reverse, pk_set, **kwargs):
    """``product.categories.add(...)`` bulk-creates the rows, so no post_save fires."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:
        indexing.index_product_ids(pk_set or [])
    else:
        indexing.index_product_ids([instance.pk])


@receiver(post_save, sender=Category, dispatch_uid="search_index_category")
def index_renamed_category(sender, instance, created=False, raw=False, **kwargs):
    if created or raw:
        return
    ids = Product.objects.filter(categories__path__startswith=instance.path).values_list("pk", flat=True)
    indexing.index_product_ids(set(ids))


@receiver(post_save, sender=Producer, dispatch_uid="search_index_producer")
def index_producer_products(sender, instance, created=False, raw=False, **kwargs):
    if not created and not raw:
        indexing.index_product_ids(instance.products.values_list("pk", flat=True))


@receiver(post_save, sender=Partner, dispatch_uid="search_index_partner")
def index_renamed_partner(sender, instance, created=False, raw=False, **kwargs):
    if not created and not raw:
        indexing.index_product_ids(Product.objects.filter(producer__partner=instance).values_list("pk", flat=True))


@receiver(post_save, sender=District, dispatch_uid="search_index_district")
def index_renamed_district(sender, instance, created=False, raw=False, **kwargs):
    if not created and not raw:
        indexing.index_product_ids(Product.objects.filter(producer__district=instance).values_list("pk", flat=True))
        outbox.enqueue_outlets(instance.outlets.values_list("pk", flat=True))


@receiver(post_save, sender="outlets.Outlet", dispatch_uid="search_index_outlet")
@receiver(post_delete, sender="outlets.Outlet", dispatch_uid="search_unindex_outlet")
def index_outlet(sender, instance, raw=False, **kwargs):
    """A sales point registered, edited, opened, closed or removed: its document follows (same transaction)."""
    if not raw:
        outbox.enqueue_outlets([instance.pk])


def index_products_without_row(sender, using="default", **kwargs):
    """After ``migrate``: products saved before the search app existed, or whose row was written before
    its latest columns, get their row; the search server's index is refilled when it does not hold one
    document per row."""
    from search.models import ROW_LAYOUT, ProductSearchText

    current = ProductSearchText.objects.using(using).filter(layout=ROW_LAYOUT).values("product_id")
    missing = Product.objects.using(using).exclude(pk__in=current).order_by("pk").values_list("pk", flat=True)
    indexing.rebuild_rows(list(missing))
    # A search server that started empty (a new volume) or lost its index gets every row again.
    from search.backends import get_backend

    get_backend().sync(ProductSearchText.objects.using(using).values_list("product_id", flat=True))


# --- campaigns: a product's price for buyers follows the running campaign offers ----------------

ConditionalOffer = get_model("offer", "ConditionalOffer")
Benefit = get_model("offer", "Benefit")
Range = get_model("offer", "Range")
RangeProduct = get_model("offer", "RangeProduct")


OFFER_TERMS = ("status", "offer_type", "start_datetime", "end_datetime", "priority", "exclusive", "benefit_id")


def _offer_terms(offer) -> tuple:
    """What decides whether and how an offer changes prices. An order using an offer without a budget changes
    none of these; with a budget, what it spent is a term too, since a card stops showing the campaign price
    once the rest cannot cover one unit (``cms.offers.remaining_budget``). Read without loading deferred fields."""
    terms = tuple(offer.__dict__.get(name) for name in OFFER_TERMS)
    if offer.__dict__.get("max_discount"):
        terms += (offer.__dict__.get("total_discount"),)
    return terms


def _enqueue_range(product_range) -> None:
    """The products the range covers: queued for Elasticsearch in this transaction, and their listing rows
    repriced once it commits (a new campaign's offer is linked to its page only after it is saved)."""
    from django.db import transaction

    from cms.pricing import covered_product_ids

    if product_range is None:
        return
    ids = covered_product_ids(product_range)
    outbox.enqueue(ids)
    if ids:
        transaction.on_commit(lambda: indexing.refresh_stock_columns(ids))


@receiver(post_init, sender=ConditionalOffer, dispatch_uid="search_offer_terms_loaded")
def remember_offer_terms(sender, instance, **kwargs):
    instance._search_terms = _offer_terms(instance)


@receiver(post_save, sender=ConditionalOffer, dispatch_uid="search_reprice_offer")
def reprice_offer_products(sender, instance, created=False, raw=False, **kwargs):
    """A campaign published, unpublished, rescheduled or out of budget: its products' documents follow,
    in the same transaction (an order that only adds to the offer's usage changes no price)."""
    terms, instance._search_terms = getattr(instance, "_search_terms", None), _offer_terms(instance)
    if raw or (not created and terms == instance._search_terms):
        return
    _enqueue_range(instance.benefit.range if instance.benefit_id else None)


@receiver(post_save, sender=Benefit, dispatch_uid="search_reprice_benefit")
@receiver(pre_delete, sender=Benefit, dispatch_uid="search_reprice_deleted_benefit")
def reprice_benefit_products(sender, instance, raw=False, **kwargs):
    """The discount's kind or value changed."""
    if not raw and instance.range_id:
        _enqueue_range(instance.range)


@receiver(m2m_changed, sender=RangeProduct, dispatch_uid="search_reprice_range_products")
@receiver(m2m_changed, sender=Range.included_categories.through, dispatch_uid="search_reprice_range_categories")
def reprice_range_change(sender, instance, action, reverse, pk_set, model, **kwargs):
    """Products or categories added to or taken from a campaign's range: before a removal (and a clear) the
    products it covered, after an addition those it covers."""
    if action not in {"pre_remove", "pre_clear", "post_add"}:
        return
    if reverse:  # product.includes.add(range), category.includes.clear()
        ranges = Range.objects.filter(pk__in=pk_set) if pk_set else instance.includes.all()
        for product_range in ranges:
            _enqueue_range(product_range)
    else:
        _enqueue_range(instance)


@receiver(post_save, sender=RangeProduct, dispatch_uid="search_reprice_range_product")
@receiver(post_delete, sender=RangeProduct, dispatch_uid="search_reprice_removed_range_product")
def reprice_range_product(sender, instance, raw=False, **kwargs):
    """``Range.add_product`` and ``remove_product`` write the through rows themselves."""
    if not raw:
        from django.db import transaction

        outbox.enqueue([instance.product_id])
        product_id = instance.product_id
        transaction.on_commit(lambda: indexing.refresh_stock_columns([product_id]))


# --- cached product cards: what a card shows but the listing row does not hold -------------------

ProductImage = get_model("catalogue", "ProductImage")
ProductClass = get_model("catalogue", "ProductClass")


@receiver(post_save, sender=ProductImage, dispatch_uid="search_card_image_saved")
@receiver(post_delete, sender=ProductImage, dispatch_uid="search_card_image_deleted")
def touch_rows_on_image_change(sender, instance, raw=False, **kwargs):
    """A new, changed or removed image: the product's cached cards are retired (``search.cards``)."""
    if not raw and instance.product_id:
        product = Product.objects.filter(pk=instance.product_id).values_list("pk", "parent_id").first()
        indexing.touch_rows([pk for pk in product or () if pk])


@receiver(m2m_changed, sender=ProductClass.options.through, dispatch_uid="search_card_class_options")
@receiver(m2m_changed, sender=Product.product_options.through, dispatch_uid="search_card_product_options")
def touch_rows_on_option_change(sender, instance, action, reverse, pk_set, **kwargs):
    """Options decide whether a card offers its add-to-basket button."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # option.productclass_set.add(...) / option.product_set.add(...): the instance is the option
        products = Product.objects.filter(Q(product_class__options=instance) | Q(product_options=instance))
    elif isinstance(instance, ProductClass):
        products = Product.objects.filter(product_class=instance)
    else:
        products = Product.objects.filter(pk=instance.pk)
    indexing.touch_rows(products.values_list("pk", flat=True).distinct())
