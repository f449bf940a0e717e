"""Reads for the producer portal: always scoped to one producer, shaped for one page."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from oscar.core.loading import get_model

from catalog.selectors import verified_certificates_prefetch
from shop.order import statuses
from shop.order.services import CASH_ON_DELIVERY, COLLECTION_SOURCE_TYPE_NAME, SOURCE_TYPE_NAMES
from shop.partner.strategy import is_on_sale, ocop_refusal

Category = get_model("catalogue", "Category")
Producer = get_model("catalogue", "Producer")
OcopCertificate = get_model("catalogue", "OcopCertificate")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
ProductRevision = get_model("catalogue", "ProductRevision")
StockRecord = get_model("partner", "StockRecord")
Line = get_model("order", "Line")
Order = get_model("order", "Order")

# Orders that do not count as sales: not paid, or given up.
NOT_SALES = (statuses.AWAITING_PAYMENT, statuses.PAYMENT_FAILED, statuses.CANCELLED)


def producer_products(producer: Producer) -> QuerySet:
    """The producer's own products with stock, first image, certificates and a pending-edit flag."""
    return (
        Product.objects.filter(producer=producer)
        .select_related("producer__partner")
        .prefetch_related(
            Prefetch("stockrecords", queryset=StockRecord.objects.filter(partner_id=producer.partner_id)),
            Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "pk")),
            Prefetch("certificates", queryset=OcopCertificate.objects.order_by("-decision_date", "-pk")),
            Prefetch("categories", queryset=Category.objects.order_by("path")),
        )
        .annotate(has_pending_edit=Exists(ProductRevision.objects.filter(product=OuterRef("pk"), status="pending")))
        .order_by("-date_created", "-pk")
    )


def producer_certificates(producer: Producer) -> QuerySet:
    return OcopCertificate.objects.filter(product__producer=producer)


def product_categories() -> QuerySet:
    """Sub-groups, and groups that have none: what a product can be filed under."""
    return Category.objects.filter(Q(depth=2) | Q(depth=1, numchild=0)).order_by("path")


def producer_lines(producer: Producer) -> QuerySet:
    return Line.objects.filter(partner_id=producer.partner_id)


def producer_orders(producer: Producer) -> QuerySet:
    """Orders holding at least one of the producer's lines; ``own_lines`` holds only those lines."""
    return (
        Order.objects.filter(Exists(producer_lines(producer).filter(order=OuterRef("pk"))))
        .exclude(status__in=(statuses.AWAITING_PAYMENT, statuses.PAYMENT_FAILED))
        .select_related("shipping_address")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=producer_lines(producer).select_related("product").order_by("pk"),
                to_attr="own_lines",
            )
        )
        .order_by("-date_placed", "-pk")
    )


def order_status_counts(producer: Producer) -> dict[str, int]:
    rows = (
        producer_lines(producer)
        .exclude(order__status__in=(statuses.AWAITING_PAYMENT, statuses.PAYMENT_FAILED))
        .values("status")
        .annotate(n=Count("pk"))
    )
    return {row["status"]: row["n"] for row in rows}


def _sold_lines(producer: Producer) -> QuerySet:
    return producer_lines(producer).exclude(status=statuses.LINE_CANCELLED).exclude(order__status__in=NOT_SALES)


@dataclass
class SalesRow:
    label: str
    units: int
    revenue: Decimal
    key: object = None
    discount: Decimal = Decimal("0")  # campaign discounts the buyers got: revenue is after them


@dataclass
class Sales:
    by_month: list[SalesRow]
    by_product: list[SalesRow]
    detail: list[dict] = field(default_factory=list)

    @property
    def total_units(self) -> int:
        return sum(row.units for row in self.by_month)

    @property
    def total_revenue(self) -> Decimal:
        return sum((row.revenue for row in self.by_month), Decimal("0"))


def sales(producer: Producer) -> Sales:
    """Revenue and units by month and by product (cancelled lines and unpaid orders do not count)."""
    detail = list(
        _sold_lines(producer)
        .annotate(month=TruncMonth("order__date_placed"))
        .values("month", "product_id", "partner_sku", "title")
        .annotate(
            units=Sum("quantity"),
            revenue=Sum("line_price_incl_tax"),
            discount=Sum(F("line_price_before_discounts_incl_tax") - F("line_price_incl_tax")),
        )
        .order_by("month", "partner_sku")
    )
    months: dict[datetime.date, SalesRow] = {}
    products: dict[object, SalesRow] = {}
    for row in detail:
        month = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        row["month"] = month
        m = months.setdefault(month, SalesRow(label=f"{month:%m/%Y}", units=0, revenue=Decimal("0"), key=month))
        m.units += row["units"]
        m.revenue += row["revenue"]
        key = row["product_id"] or row["partner_sku"]
        p = products.setdefault(key, SalesRow(label=row["title"], units=0, revenue=Decimal("0"), key=key))
        p.units += row["units"]
        p.revenue += row["revenue"]
        p.discount += row["discount"] or Decimal("0")
    by_product = sorted(products.values(), key=lambda r: (-r.revenue, r.label))
    return Sales(by_month=list(months.values()), by_product=by_product, detail=detail)


def chart_bars(rows: list[SalesRow], *, width: int = 640, height: int = 200) -> list[dict]:
    """Geometry of an inline SVG bar chart of revenue: no JavaScript, nothing from a CDN."""
    if not rows:
        return []
    top = max((row.revenue for row in rows), default=Decimal("0")) or Decimal("1")
    slot = width / len(rows)
    bars = []
    for index, row in enumerate(rows):
        bar_height = float(row.revenue / top) * (height - 30)
        bars.append(
            {
                "x": round(index * slot + slot * 0.15, 1),
                "y": round(height - 20 - bar_height, 1),
                "width": round(slot * 0.7, 1),
                "height": round(bar_height, 1),
                "label_x": round(index * slot + slot / 2, 1),
                "row": row,
            }
        )
    return bars


def counts_by_status(producer: Producer) -> dict[str, int]:
    rows = Product.objects.filter(producer=producer).values("moderation").annotate(n=Count("pk"))
    return defaultdict(int, {row["moderation"]: row["n"] for row in rows})


def on_sale_count(producer: Producer) -> int:
    """How many of the producer's products buyers can find on sale (the partner strategy's rule): two queries."""
    products = (
        Product.objects.filter(producer=producer, is_public=True)
        .only("pk", "is_public")
        .prefetch_related(verified_certificates_prefetch())
    )
    return sum(1 for product in products if is_on_sale(product))


def with_sale_status(products: Iterable) -> list:
    """The products, each with ``on_sale`` and ``sale_refusal`` (the message buyers see), from the strategy's rule."""
    products = list(products)
    for product in products:
        product.on_sale = is_on_sale(product)
        product.sale_refusal = ocop_refusal(product)
    return products


def payment_method(order) -> str:
    """How the customer pays: ``"cod"`` (the producer's courier collects) or ``"card"``; "" if unknown."""
    names = set(order.sources.values_list("source_type__name", flat=True))
    if COLLECTION_SOURCE_TYPE_NAME in names:
        return CASH_ON_DELIVERY
    return next((method for method, name in SOURCE_TYPE_NAMES.items() if name in names), "")
