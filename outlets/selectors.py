"""Page-shaped reads about sales points: the map, a point's shelf, where a product is, the ledger check."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import ASin, Coalesce, Cos, Power, Radians, Sin, Sqrt
from oscar.core.loading import get_model

from outlets import stock
from outlets.models import Outlet, StockMovement

StockRecord = get_model("partner", "StockRecord")
Product = get_model("catalogue", "Product")
District = get_model("catalogue", "District")

EARTH_RADIUS_KM = 6371.0


def managed_outlets(user) -> QuerySet:
    if not user.is_authenticated:
        return Outlet.objects.none()
    outlets = Outlet.objects.select_related("former_district")
    return outlets if user.is_staff else outlets.filter(managers=user)


def distance_km(latitude: float, longitude: float):
    """Great-circle distance from a point to each outlet, computed by the database (haversine).

    Plain SQL trigonometry: no GIS extension is needed for a few hundred points,
    and SQLite (Django registers the math functions) and PostgreSQL both run it.
    """
    lat, lng = Radians(F("latitude")), Radians(F("longitude"))
    here_lat, here_lng = Radians(Value(latitude)), Radians(Value(longitude))
    half_dlat = (lat - here_lat) / 2
    half_dlng = (lng - here_lng) / 2
    a = Power(Sin(half_dlat), 2) + Cos(here_lat) * Cos(lat) * Power(Sin(half_dlng), 2)
    return 2 * EARTH_RADIUS_KM * ASin(Sqrt(a, output_field=FloatField()))


def map_outlets(
    *, kind: str = "", district: str = "", ward_code: int | None = None, near: tuple[float, float] | None = None
) -> QuerySet:
    """Open points for the public map, filtered by kind and area; nearest first when ``near`` is given."""
    outlets = (
        Outlet.objects.filter(is_open=True)
        .select_related("former_district")
        .annotate(
            products_in_stock=Count(
                "partner__stockrecords", filter=Q(partner__stockrecords__num_in_stock__gt=0), distinct=True
            )
        )
    )
    if kind:
        outlets = outlets.filter(kind=kind)
    if district:
        outlets = outlets.filter(former_district__slug=district)
    if ward_code:
        outlets = outlets.filter(ward_code=ward_code)
    if near is not None:
        return outlets.annotate(distance=distance_km(*near)).order_by("distance", "name")
    return outlets.order_by("former_district__name", "name")


def shelf(outlet: Outlet) -> QuerySet:
    """What a point holds now: its records with units free to sell or reserve, with the product's card data."""
    return (
        StockRecord.objects.filter(partner_id=outlet.partner_id)
        .annotate(free=stock.net_stock(), selling_price=stock.selling_price("product"))
        .select_related("product__producer__district")
        .order_by("product__title")
    )


def available_at(product, *, limit: int = 20) -> list[Outlet]:
    """Open points that hold ``product`` now (free units > 0), each with ``free`` set."""
    records = (
        StockRecord.objects.filter(product=product, partner__outlet__is_open=True)
        .annotate(free=stock.net_stock())
        .filter(free__gt=0)
        .select_related("partner__outlet__former_district")
        .order_by("partner__outlet__name")[:limit]
    )
    outlets = []
    for record in records:
        outlet = record.partner.outlet
        outlet.free = record.free
        outlets.append(outlet)
    return outlets


def holding_every(products: list, quantities: dict[int, int] | None = None) -> QuerySet:
    """Open points whose free stock serves every product (and quantity, by product id) of a basket."""
    quantities = quantities or {}
    outlets = Outlet.objects.filter(is_open=True)
    for product in products:
        wanted = quantities.get(product.pk, 1)
        free = StockRecord.objects.filter(partner_id=OuterRef("partner_id"), product=product).values(
            free=stock.net_stock()
        )[:1]
        outlets = outlets.annotate(**{f"free_{product.pk}": Subquery(free, output_field=IntegerField())}).filter(
            **{f"free_{product.pk}__gte": wanted}
        )
    return outlets.select_related("former_district").order_by("name")


def find_product(code: str):
    """The product with this SKU (any stock record's) or UPC, or None."""
    code = (code or "").strip()
    if not code:
        return None
    return (
        Product.objects.filter(Q(upc__iexact=code) | Q(stockrecords__partner_sku__iexact=code))
        .distinct()
        .order_by("pk")
        .first()
    )


def recent_movements(outlet: Outlet, *, limit: int = 30) -> QuerySet:
    return (
        StockMovement.objects.filter(outlet=outlet)
        .select_related("stockrecord__product", "created_by", "counterpart")
        .order_by("-created_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class LedgerProblem:
    outlet: str
    sku: str
    on_hand: int
    ledger_on_hand: int
    reserved: int
    ledger_reserved: int


def ledger_problems() -> list[LedgerProblem]:
    """Every point's record whose counts differ from the sum of its ledger, or are negative."""
    sums = StockMovement.objects.filter(stockrecord=OuterRef("pk")).values("stockrecord")
    records = (
        StockRecord.objects.filter(partner__outlet__isnull=False)
        .annotate(
            ledger_on_hand=Coalesce(Subquery(sums.annotate(s=Sum("on_hand_delta")).values("s")), 0),
            ledger_reserved=Coalesce(Subquery(sums.annotate(s=Sum("reserved_delta")).values("s")), 0),
            on_hand=Coalesce("num_in_stock", 0),
            reserved=Coalesce("num_allocated", 0),
        )
        .filter(
            ~Q(ledger_on_hand=F("on_hand"))
            | ~Q(ledger_reserved=F("reserved"))
            | Q(on_hand__lt=0)
            | Q(reserved__lt=0)
            | Q(reserved__gt=F("on_hand"))
        )
        .select_related("partner__outlet")
        .order_by("pk")
    )
    return [
        LedgerProblem(
            outlet=record.partner.outlet.name,
            sku=record.partner_sku,
            on_hand=record.on_hand,
            ledger_on_hand=record.ledger_on_hand,
            reserved=record.reserved,
            ledger_reserved=record.ledger_reserved,
        )
        for record in records
    ]


# --- coverage report for the Department --------------------------------------------------------

TARGET_PER_DISTRICT = (1, 2)  # the provincial plan: 1–2 sales points in every (former) district
SOLD_KINDS = (StockMovement.Kind.SALE, StockMovement.Kind.COLLECTION)


@dataclass
class DistrictCoverage:
    name: str
    slug: str
    lat: float | None
    lng: float | None
    points: int

    @property
    def status(self) -> str:
        low, high = TARGET_PER_DISTRICT
        return (
            "none" if self.points == 0 else "below" if self.points < low else "met" if self.points <= high else "above"
        )


def district_coverage() -> list[DistrictCoverage]:
    """Every former district with its number of open points; districts without one first."""
    rows = District.objects.annotate(points=Count("outlets", filter=Q(outlets__is_open=True))).order_by(
        "points", "name"
    )
    return [
        DistrictCoverage(d.name, d.slug, float(d.lat) if d.lat else None, float(d.lng) if d.lng else None, d.points)
        for d in rows
    ]


def commune_coverage() -> list[dict]:
    return list(
        Outlet.objects.filter(is_open=True)
        .values("province_name", "ward_name", "ward_code")
        .annotate(points=Count("pk"))
        .order_by("ward_name")
    )


@dataclass
class PointReport:
    outlet: Outlet
    units: int = 0
    value: Decimal = Decimal(0)
    sold: dict = field(default_factory=dict)  # product title -> units sold in the period
    held: set = field(default_factory=set)  # titles on the shelf now

    def best(self, n: int = 3) -> list[tuple[str, int]]:
        return sorted(((t, q) for t, q in self.sold.items() if q > 0), key=lambda item: (-item[1], item[0]))[:n]

    def slowest(self, n: int = 3) -> list[tuple[str, int]]:
        """What sits on the shelf and sold least in the period (nothing sold first)."""
        return sorted(((t, self.sold.get(t, 0)) for t in self.held), key=lambda item: (item[1], item[0]))[:n]


def point_reports(*, since, until) -> list[PointReport]:
    """Units and stock value (at the selling price) per point, and what sold there in [since, until)."""
    reports = {o.pk: PointReport(o) for o in Outlet.objects.select_related("former_district").order_by("name")}
    by_partner = {r.outlet.partner_id: r for r in reports.values()}
    records = (
        StockRecord.objects.filter(partner__outlet__isnull=False, num_in_stock__gt=0)
        .annotate(selling=stock.selling_price("product"))
        .values_list("partner_id", "num_in_stock", "selling", "product__title")
    )
    for partner_id, units, price, title in records:
        report = by_partner[partner_id]
        report.units += units
        report.value += Decimal(units) * (price or Decimal(0))
        report.held.add(title)
    sales = (
        StockMovement.objects.filter(kind__in=SOLD_KINDS, created_at__gte=since, created_at__lt=until)
        .values_list("outlet_id", "stockrecord__product__title")
        .annotate(units=Sum("on_hand_delta"))
    )
    for outlet_id, title, units in sales:
        reports[outlet_id].sold[title] = -units
    return list(reports.values())
