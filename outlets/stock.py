"""The one owner of stock: which record sells a product, and every change of a record's counts.

The rule for the selling record: a product is sold for delivery from its
producer's own stock record (the record whose partner is the producer's
partner). Records of other partners — a sales point's shelf — hold stock that
is sold at that point (over the counter or for collection there) and never
change what the shop shows as the product's price and availability.
``selling_record`` states the rule for a loaded product and ``selling_records``
for a query (listing columns, prefetches); both live here and nowhere else.

Counts change only through ``allocate``, ``release``, ``consume``, ``adjust``,
``transfer`` and ``set_level``. Each locks the rows it changes with ``SELECT ... FOR UPDATE``
in primary-key order (``_lock``, the only place that locks stock rows), so two
callers never wait on each other in a cycle, and checks the free stock under
the lock. ``num_in_stock`` is a positive integer column: the database refuses a
negative on-hand count whatever the code does. A change to a sales point's
record also writes its ``StockMovement`` in the same transaction (``_ledger``),
so the point's on-hand always equals the sum of its ledger.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.dispatch import Signal
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from outlets.models import Outlet, StockMovement

StockRecord = get_model("partner", "StockRecord")
Kind = StockMovement.Kind

# Sent (``record_ids``, and their ``product_ids``) inside the transaction when counts change by a queryset
# update, which sends no ``post_save``: whoever keeps a copy of availability (the search index) follows
# without being imported.
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


def selling_candidates() -> QuerySet:
    """The records that may sell their product, by primary key: the first of a product's is its selling record."""
    return StockRecord.objects.filter(partner_id=F("product__producer__partner_id")).order_by("pk")


def prefetch_selling_records(lookup: str = "stockrecords") -> Prefetch:
    """Prefetch only the selling records (``lookup`` ends in a product's ``stockrecords``)."""
    return Prefetch(lookup, queryset=selling_candidates().select_related("partner"))


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
    rows = (
        StockRecord.objects.select_for_update(of=("self",))
        .filter(pk__in=set(record_ids))
        .annotate(point_id=F("partner__outlet"))  # the sales point whose shelf it is (the ledger's), if any
        .order_by("pk")
    )
    return {row.pk: row for row in rows}


def _counts_changed(locked: dict[int, StockRecord], record_ids: list[int]) -> None:
    product_ids = sorted({locked[pk].product_id for pk in record_ids if pk in locked})
    counts_changed.send(sender=StockRecord, record_ids=record_ids, product_ids=product_ids)


def _free(record: StockRecord) -> int:
    return (record.num_in_stock or 0) - (record.num_allocated or 0)


@transaction.atomic
def allocate(needs: Iterable[Need], *, reference: str = "") -> None:
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
    added = Case(*(When(pk=pk, then=Value(quantity)) for pk, quantity in wanted.items()), output_field=IntegerField())
    StockRecord.objects.filter(pk__in=wanted).update(num_allocated=Coalesce(F("num_allocated"), 0) + added)
    _counts_changed(locked, sorted(wanted))
    _ledger(locked, {pk: (0, quantity) for pk, quantity in wanted.items()}, Kind.RESERVATION, reference=reference)


def can_allocate(needs: Iterable[Need], *, reference: str = "") -> bool:
    """``allocate`` that answers False, changing nothing, instead of raising."""
    try:
        allocate(needs, reference=reference)
    except InsufficientStock:
        return False
    return True


@transaction.atomic
def release(*, record_id: int, quantity: int, reference: str = "") -> None:
    """Give back units set aside earlier (never more than the record holds aside)."""
    locked = _lock([record_id])
    StockRecord.objects.filter(pk=record_id).update(
        num_allocated=Greatest(Coalesce(F("num_allocated"), 0) - quantity, Value(0))
    )
    _counts_changed(locked, [record_id])
    released = min(quantity, max(locked[record_id].num_allocated or 0, 0))
    _ledger(locked, {record_id: (0, -released)}, Kind.RELEASE, reference=reference)


@transaction.atomic
def consume(*, record_id: int, quantity: int, title: str = "", reference: str = "") -> None:
    """Units set aside leave the shelf (shipped or collected): allocated and in stock both go down."""
    locked = _lock([record_id])
    record = locked.get(record_id)
    held = min(record.num_allocated or 0, record.num_in_stock or 0) if record else 0
    if quantity > held:
        raise InsufficientStock(title=title, available=(record.num_in_stock or 0) if record else 0)
    StockRecord.objects.filter(pk=record_id).update(
        num_allocated=Coalesce(F("num_allocated"), 0) - quantity, num_in_stock=F("num_in_stock") - quantity
    )
    _counts_changed(locked, [record_id])
    _ledger(locked, {record_id: (-quantity, -quantity)}, Kind.COLLECTION, reference=reference)


@transaction.atomic
def adjust(
    *,
    record_id: int,
    delta: int,
    kind: str = Kind.ADJUSTMENT,
    reason: str = "",
    by=None,
    title: str = "",
) -> StockRecord:
    """Add (receipt) or take away (counter sale, loss) units on the shelf; free stock never goes below zero."""
    locked = _lock([record_id])
    record = locked[record_id]
    if delta < 0 and _free(record) < -delta:
        raise InsufficientStock(title=title or record.product.get_title(), available=_free(record))
    StockRecord.objects.filter(pk=record_id).update(num_in_stock=Coalesce(F("num_in_stock"), 0) + delta)
    _counts_changed(locked, [record_id])
    _ledger(locked, {record_id: (delta, 0)}, kind, reason=reason, created_by=by)
    record.refresh_from_db(fields=["num_in_stock", "num_allocated"])
    return record


@transaction.atomic
def transfer(*, from_record_id: int, to_record_id: int, quantity: int, by=None, title: str = "") -> None:
    """Move units from one shelf to another: both sides or neither, both rows locked in primary-key order."""
    if quantity <= 0 or from_record_id == to_record_id:
        raise StockError(_("Enter a positive quantity and two different points."))
    locked = _lock([from_record_id, to_record_id])
    source = locked[from_record_id]
    if _free(source) < quantity:
        raise InsufficientStock(title=title or source.product.get_title(), available=_free(source))
    StockRecord.objects.filter(pk=from_record_id).update(num_in_stock=F("num_in_stock") - quantity)
    StockRecord.objects.filter(pk=to_record_id).update(num_in_stock=Coalesce(F("num_in_stock"), 0) + quantity)
    _counts_changed(locked, sorted(locked))
    outlets = _outlets_of(locked.values())
    source_outlet, target_outlet = outlets.get(source.partner_id), outlets.get(locked[to_record_id].partner_id)
    reference = f"T{from_record_id}-{to_record_id}"
    _ledger(
        {from_record_id: source},
        {from_record_id: (-quantity, 0)},
        Kind.TRANSFER_OUT,
        created_by=by,
        counterpart_id=target_outlet,
        reference=reference,
    )
    _ledger(
        {to_record_id: locked[to_record_id]},
        {to_record_id: (quantity, 0)},
        Kind.TRANSFER_IN,
        created_by=by,
        counterpart_id=source_outlet,
        reference=reference,
    )


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
    before = record.num_in_stock or 0
    record.num_in_stock = num_in_stock
    record.save()
    _ledger({record.pk: record}, {record.pk: (num_in_stock - before, 0)}, Kind.ADJUSTMENT, reason="stock count")
    return record


def shelf(*, product, partner) -> StockRecord:
    """``partner``'s record of ``product``, created empty (no price: the producer's record prices it)."""
    record = StockRecord.objects.filter(product=product, partner=partner).order_by("pk").first()
    if record is not None:
        return record
    selling = selling_record(product)
    sku = selling.partner_sku if selling else f"{partner.pk}-{product.pk:05d}"
    if StockRecord.objects.filter(partner=partner, partner_sku=sku).exists():  # two producers' SKUs can meet here
        sku = f"{sku}-{product.pk}"
    return StockRecord.objects.create(
        product=product,
        partner=partner,
        partner_sku=sku,
        price_currency=settings.OSCAR_DEFAULT_CURRENCY,
        num_in_stock=0,
    )


def shelves(*, partner, product_ids: Iterable[int]) -> dict[int, StockRecord]:
    """``partner``'s records (a sales point's shelf) by product id: what sells for collection at that point."""
    records = StockRecord.objects.filter(partner=partner, product_id__in=set(product_ids)).select_related("partner")
    return {record.product_id: record for record in records.order_by("pk")[::-1]}


def _outlets_of(records: Iterable[StockRecord]) -> dict[int, int]:
    """Sales point id by partner id, for the records that are a point's shelf (``_lock`` read it with them)."""
    records = list(records)
    if all(hasattr(record, "point_id") for record in records):
        return {record.partner_id: record.point_id for record in records if record.point_id is not None}
    return dict(Outlet.objects.filter(partner_id__in={r.partner_id for r in records}).values_list("partner_id", "pk"))


def _ledger(records: dict[int, StockRecord], changes: dict[int, tuple[int, int]], kind: str, **fields) -> None:
    """Write the movement of each change (on-hand delta, reserved delta) made to a sales point's record."""
    changes = {pk: change for pk, change in changes.items() if any(change)}
    if not changes:
        return
    outlets = _outlets_of(records[pk] for pk in changes)
    StockMovement.objects.bulk_create(
        StockMovement(
            outlet_id=outlets[records[pk].partner_id],
            stockrecord_id=pk,
            kind=kind,
            on_hand_delta=on_hand,
            reserved_delta=reserved,
            **fields,
        )
        for pk, (on_hand, reserved) in sorted(changes.items())
        if records[pk].partner_id in outlets
    )
