"""Reads of the catalogue, shaped for the pages that show them (no N+1 queries)."""

import datetime

from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from oscar.core.loading import get_model

from outlets import stock

Product = get_model("catalogue", "Product")
OcopCertificate = get_model("catalogue", "OcopCertificate")
ProductImage = get_model("catalogue", "ProductImage")
Option = get_model("catalogue", "Option")
Producer = get_model("catalogue", "Producer")


def current_stars_subquery(day: datetime.date | None = None) -> Subquery:
    """Stars of each product's current certificate (None when it has none)."""
    certificates = (
        OcopCertificate.objects.filter(OcopCertificate.valid_q(day), product=OuterRef("pk"))
        .order_by("-decision_date", "-pk")
        .values("stars")[:1]
    )
    return Subquery(certificates)


def verified_certificates_prefetch() -> Prefetch:
    return Prefetch(
        "certificates",
        queryset=OcopCertificate.objects.filter(status=OcopCertificate.Status.VERIFIED),
    )


def _card_prefetches() -> list:
    return [
        verified_certificates_prefetch(),
        Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "pk")),
        stock.prefetch_selling_records(),
    ]


def product_cards(queryset: QuerySet | None = None, *, prefetch: bool = True) -> QuerySet:
    """Products with everything a product card shows: badge, image, price, producer, district.

    With ``prefetch=False`` the related rows (certificates, pictures, stock, categories) are left for
    ``load_cards``: a page that finds most of its cards in a cache reads them for the others only."""
    queryset = queryset if queryset is not None else Product.objects.all()
    queryset = queryset.select_related("producer__partner", "producer__district", "product_class", "parent")
    if prefetch:
        queryset = queryset.prefetch_related(*_card_lookups())
    return queryset.annotate(
        current_stars=current_stars_subquery(),
        # Oscar's card asks ``product.has_options`` (add-to-basket form): answer it in the list query.
        has_product_class_options=Exists(Option.objects.filter(productclass=OuterRef("product_class"))),
        has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
    )


def _card_lookups() -> list:
    return [*_card_prefetches(), "categories"]


def load_cards(products: list) -> list:
    """Read what ``product_cards(..., prefetch=False)`` left out for ``products``, in a fixed number of queries."""
    prefetch_related_objects(products, *_card_lookups())
    return products


def product_page(queryset: QuerySet) -> QuerySet:
    """The product a product page shows: the product with its producer, class and parent (one query).

    Its pictures, certificates and stock are read by ``load_product_page`` when the page renders the parts
    that show them, which it does not when they come from the cache.
    """
    return queryset.select_related("producer__partner", "producer__district", "product_class", "parent")


def load_product_page(product) -> None:
    """Read the certificates, pictures and selling stock record of ``product`` (from ``product_page``)."""
    prefetch_related_objects([product], *_card_prefetches())


def shown_reviews(product, *, limit: int = 3) -> list:
    """The product's first approved reviews in Oscar's order (most helpful first), with their authors, in one
    query."""
    return list(product.reviews.approved().select_related("user")[:limit])


def browsable_products() -> QuerySet:
    return Product.objects.browsable().filter(is_public=True)


def producer_shop(code: str):
    """A producer's shop page: the producer with its partner and district, by the partner's slug (code)."""
    return Producer.objects.select_related("partner", "district").filter(partner__code=code).first()


def producer_products(producer) -> QuerySet:
    """All of a producer's products on sale, best rated first, shaped for cards."""
    return product_cards(browsable_products().filter(producer=producer)).order_by("-current_stars", "title")
