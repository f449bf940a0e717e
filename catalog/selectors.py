"""Reads of the catalogue, shaped for the pages that show them (no N+1 queries)."""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from oscar.core.loading import get_model

from outlets import stock

Product = get_model("catalogue", "Product")
OcopCertificate = get_model("catalogue", "OcopCertificate")
ProductImage = get_model("catalogue", "ProductImage")
Option = get_model("catalogue", "Option")


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


def product_cards(queryset: QuerySet | None = None) -> QuerySet:
    """Products with everything a product card shows: badge, image, price, producer, district."""
    queryset = queryset if queryset is not None else Product.objects.all()
    return (
        queryset.select_related("producer__partner", "producer__district", "product_class", "parent")
        .prefetch_related(
            verified_certificates_prefetch(),
            Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "pk")),
            stock.prefetch_selling_records(),
            "categories",
        )
        .annotate(
            current_stars=current_stars_subquery(),
            # Oscar's card asks ``product.has_options`` (add-to-basket form): answer it in the list query.
            has_product_class_options=Exists(Option.objects.filter(productclass=OuterRef("product_class"))),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
        )
    )


def browsable_products() -> QuerySet:
    return Product.objects.browsable().filter(is_public=True)
