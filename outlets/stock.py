"""The one owner of stock: which record sells a product, and every change of a record's counts.

The rule for the selling record: a product is sold for delivery from its
producer's own stock record (the record whose partner is the producer's
partner). Records of other partners — a sales point's shelf — hold stock that
is sold at that point (over the counter or for collection there) and never
change what the shop shows as the product's price and availability.
``selling_record`` states the rule for a loaded product and ``selling_records``
for a query (listing columns, prefetches); both live here and nowhere else.

Counts change only through ``allocate``, ``release``, ``consume``, ``adjust``
and ``set_level``. Each locks the rows it changes with ``SELECT ... FOR UPDATE``
in primary-key order (``_lock``, the only place that locks stock rows), so two
callers never wait on each other in a cycle, and checks the free stock under
the lock. ``num_in_stock`` is a positive integer column: the database refuses a
negative on-hand count whatever the code does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.dispatch import Signal
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")

# Sent (``record_ids``) inside the transaction when counts change by a queryset update, which sends no
# ``post_save``: whoever keeps a copy of availability (the search index) follows without being imported.
counts_changed = Signal()


class StockError(Exception):
    """A stock change that cannot be made; the message is for the person who asked."""


class InsufficientStock(StockError):
    """Fewer free units than asked for; names the product and what is left."""

    def __init__(self, *, title: str, available: int):
        self.title = title
        self.available = max(available or 0, 0)
        if self.available:
            message = _("Only %(count)d of “%(title)s” are left. Please lower the quantity in your basket.") % {
                "count": self.available,
                "title": title,
            }
        else:
            message = _("“%(title)s” has just sold out. Please remove it from your basket.") % {"title": title}
        super().__init__(message)


@dataclass(frozen=True)
class Need:
    """``quantity`` units from stock record ``record_id``; ``title`` names the product in an error."""

    record_id: int
    quantity: int
    title: str = ""


# --- which record sells -------------------------------------------------------------------------


def selling_records(product_ref: str = "pk") -> QuerySet:
    """The selling record of the outer query's product, for a ``Subquery`` (``product_ref`` points at it)."""
    return StockRecord.objects.filter(
        product=OuterRef(product_ref), partner_id=OuterRef(_producer_partner_ref(product_ref))
    ).order_by("pk")


def _producer_partner_ref(product_ref: str) -> str:
    return "producer__partner_id" if product_ref == "pk" else f"{product_ref}__producer__partner_id"


def selling_record(product) -> StockRecord | None:
    """The stock record that sells ``product`` for delivery: its producer's own (see the module docstring).

    Reads prefetched ``stockrecords`` when the product has them, so pages that
    prefetch (``prefetch_selling_records``) ask nothing more per product.
    """
    if product.producer_id is None:
        return None
    partner_id = product.producer.partner_id
    cached = getattr(product, "_prefetched_objects_cache", {}).get("stockrecords")
    if cached is not None:
        return min((r for r in cached if r.partner_id == partner_id), key=lambda r: r.pk, default=None)
    return product.stockrecords.filter(partner_id=partner_id).order_by("pk").first()


def prefetch_selling_records(lookup: str = "stockrecords") -> Prefetch:
    """Prefetch only the selling records (``lookup`` ends in a product's ``stockrecords``)."""
    return Prefetch(
        lookup,
        queryset=StockRecord.objects.filter(partner_id=F("product__producer__partner_id")).select_related("partner"),
    )


def net_stock() -> Coalesce:
    """Free units of a stock record row: in stock minus allocated (no count is 0)."""
    return Coalesce("num_in_stock", Value(0)) - Coalesce("num_allocated", Value(0))


def selling_price(product_ref: str = "pk") -> Subquery:
    return Subquery(selling_records(product_ref).values("price")[:1])


def selling_net_stock(product_ref: str = "pk") -> Subquery:
    """Free units of the selling record (NULL when the product has none)."""
    return Subquery(selling_records(product_ref).values(net=net_stock())[:1])


# --- changing counts ----------------------------------------------------------------------------


def _lock(record_ids: Iterable[int]) -> dict[int, StockRecord]:
    """Lock stock rows in primary-key order: the only lock order, so concurrent callers never deadlock."""
    rows = StockRecord.objects.select_for_update(of=("self",)).filter(pk__in=set(record_ids)).order_by("pk")
    return {row.pk: row for row in rows}


def _free(record: StockRecord) -> int:
    return (record.num_in_stock or 0) - (record.num_allocated or 0)


@transaction.atomic
def allocate(needs: Iterable[Need]) -> None:
    """Set aside every need, or none: raises ``InsufficientStock`` for the first that the free stock cannot serve."""
    wanted: dict[int, int] = defaultdict(int)
    titles: dict[int, str] = {}
    for need in needs:
        wanted[need.record_id] += need.quantity
        titles.setdefault(need.record_id, need.title)
    if not wanted:
        return
    locked = _lock(wanted)
    for pk in sorted(wanted):
        record = locked.get(pk)
        if record is None or _free(record) < wanted[pk]:
            raise InsufficientStock(title=titles[pk], available=_free(record) if record else 0)
    for pk in sorted(wanted):
        StockRecord.objects.filter(pk=pk).update(num_allocated=Coalesce(F("num_allocated"), 0) + wanted[pk])
    counts_changed.send(sender=StockRecord, record_ids=sorted(wanted))


def can_allocate(needs: Iterable[Need]) -> bool:
    """``allocate`` that answers False, changing nothing, instead of raising."""
    try:
        allocate(needs)
    except InsufficientStock:
        return False
    return True


@transaction.atomic
def release(*, record_id: int, quantity: int) -> None:
    """Give back units set aside earlier (never more than the record holds aside)."""
    _lock([record_id])
    StockRecord.objects.filter(pk=record_id).update(
        num_allocated=Greatest(Coalesce(F("num_allocated"), 0) - quantity, Value(0))
    )
    counts_changed.send(sender=StockRecord, record_ids=[record_id])


@transaction.atomic
def consume(*, record_id: int, quantity: int, title: str = "") -> None:
    """Units set aside leave the shelf (shipped or collected): allocated and in stock both go down."""
    record = _lock([record_id]).get(record_id)
    held = min(record.num_allocated or 0, record.num_in_stock or 0) if record else 0
    if quantity > held:
        raise InsufficientStock(title=title, available=(record.num_in_stock or 0) if record else 0)
    StockRecord.objects.filter(pk=record_id).update(
        num_allocated=Coalesce(F("num_allocated"), 0) - quantity, num_in_stock=F("num_in_stock") - quantity
    )
    counts_changed.send(sender=StockRecord, record_ids=[record_id])


@transaction.atomic
def adjust(*, record_id: int, delta: int, title: str = "") -> StockRecord:
    """Add (receipt) or take away (counter sale, loss) units on the shelf; free stock never goes below zero."""
    record = _lock([record_id])[record_id]
    if delta < 0 and _free(record) < -delta:
        raise InsufficientStock(title=title or record.product.get_title(), available=_free(record))
    StockRecord.objects.filter(pk=record_id).update(num_in_stock=Coalesce(F("num_in_stock"), 0) + delta)
    counts_changed.send(sender=StockRecord, record_ids=[record_id])
    record.refresh_from_db(fields=["num_in_stock", "num_allocated"])
    return record


@transaction.atomic
def set_level(
    *,
    product,
    partner,
    num_in_stock: int,
    price: Decimal | None = None,
    sku: str = "",
) -> StockRecord:
    """Set the count (and price, if given) of ``partner``'s record of ``product``, creating it if missing."""
    pk = (
        StockRecord.objects.filter(product=product, partner=partner).order_by("pk").values_list("pk", flat=True).first()
    )
    record = _lock([pk])[pk] if pk else None
    if record is None:
        record = StockRecord(
            product=product,
            partner=partner,
            partner_sku=sku or f"{partner.pk}-{product.pk:05d}",
            price_currency=settings.OSCAR_DEFAULT_CURRENCY,
        )
    if price is not None:
        record.price = Decimal(price)
    record.num_in_stock = num_in_stock
    record.save()
    return record
