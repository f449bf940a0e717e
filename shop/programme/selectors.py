"""The programme dashboard's figures, built from certificate records, orders and producers.

Each figure reads a fixed number of queries, whatever the number of certificates:
the certificate history is read once (one row per verified certificate, a few
columns) and folded in Python; revenue is aggregated by the database.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from shop.order import statuses

Category = get_model("catalogue", "Category")
District = get_model("catalogue", "District")
OcopCertificate = get_model("catalogue", "OcopCertificate")
Producer = get_model("catalogue", "Producer")
Product = get_model("catalogue", "Product")
Line = get_model("order", "Line")
Outlet = get_model("outlets", "Outlet")

# The province's 2021–2025 targets (Quảng Nam OCOP programme review of 2018–2020).
TARGET_NEW = 200
TARGET_UPGRADED = 200
TARGET_PER_COMMUNE = 2
TARGET_FIVE_STARS = 5
TARGET_SALES_POINTS_PER_DISTRICT = (1, 2)
# Commune-level units (xã, phường, thị trấn) of Quảng Nam while the 2021–2025 targets ran: the denominator of the
# per-commune average. It cannot be derived from the project's data: ``vietnam-provinces`` carries only the 2025
# units (78 communes and wards of Đà Nẵng city lie in former Quảng Nam, official codes 20335 and up), and
# catalog/data/districts.csv stops at the district level. Sources: the provincial portal listed 244 units (2013);
# the commune mergers of 2019–2020 left 241, the count the province reported against through 2024 (not checked
# against a stored copy of the resolution); a further merger left 233 on 1 January 2025 (baoquangnam.vn,
# 18/04/2025: "giảm từ 233 đơn vị ... còn 88"). See docs/programme.md.
PROVINCE_COMMUNES = 241
RENEWAL_WINDOW_DAYS = 90
# Orders in these states brought no revenue (nor did cancelled lines of other orders).
NOT_REVENUE = (statuses.CANCELLED, statuses.PAYMENT_FAILED, statuses.AWAITING_PAYMENT)


@dataclass
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))


@dataclass
class Table:
    """One figure: its rows, a target and what is missing to reach it, and a CSV name."""

    slug: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    target: str = ""
    gap: str = ""

    @property
    def chart_max(self) -> int:
        values = [v for row in self.rows for v in row[1:] if isinstance(v, (int, Decimal))]
        return max(values, default=0) or 1


@dataclass
class _Cert:
    product_id: int
    stars: int
    decision_date: datetime.date
    valid_until: datetime.date
    district: str
    commune: str


def _history() -> dict[int, list[_Cert]]:
    """Every verified certificate, by product, oldest first (one query)."""
    rows = (
        OcopCertificate.objects.filter(status=OcopCertificate.Status.VERIFIED)
        .order_by("product_id", "decision_date", "pk")
        .values_list(
            "product_id",
            "stars",
            "decision_date",
            "valid_until",
            "product__producer__district__name",
            "product__producer__commune",
        )
    )
    by_product: dict[int, list[_Cert]] = defaultdict(list)
    for product_id, stars, decided, valid_until, district, commune in rows:
        by_product[product_id].append(_Cert(product_id, stars, decided, valid_until, district or "", commune or ""))
    return by_product


def _current(certificates: list[_Cert], day: datetime.date) -> _Cert | None:
    valid = [c for c in certificates if c.decision_date <= day < c.valid_until]
    return valid[-1] if valid else None


def _groups() -> dict[int, str]:
    """Product id -> its OCOP group's name (two queries)."""
    roots = {c.path: c.display_name for c in Category.objects.filter(depth=1)}
    step = Category.steplen
    links = Product.categories.through.objects.values_list("product_id", "category__path")
    return {product_id: roots.get(path[:step], "") for product_id, path in links}


def certification_by_year(history, period: Period) -> Table:
    """New (a product's first certificate), upgraded (a renewal with more stars) and lapsed, per year."""
    counts = {year: Counter() for year in period.years}
    for certificates in history.values():
        for index, certificate in enumerate(certificates):
            year = certificate.decision_date.year
            if period.start <= certificate.decision_date <= period.end:
                if index == 0:
                    counts[year]["new"] += 1
                elif certificate.stars > certificates[index - 1].stars:
                    counts[year]["upgraded"] += 1
            renewed = any(later.decision_date <= certificate.valid_until for later in certificates[index + 1 :])
            if not renewed and period.start <= certificate.valid_until <= period.end:
                counts[certificate.valid_until.year]["lapsed"] += 1
    rows = [[year, counts[year]["new"], counts[year]["upgraded"], counts[year]["lapsed"]] for year in period.years]
    new = sum(row[1] for row in rows)
    upgraded = sum(row[2] for row in rows)
    return Table(
        "by-year",
        _("Certified products by year"),
        [_("Year"), _("New"), _("Upgraded"), _("Lapsed")],
        rows,
        target=_("%(new)s new and %(upgraded)s upgraded products (2021–2025)")
        % {"new": TARGET_NEW, "upgraded": TARGET_UPGRADED},
        gap=_("%(new)s new and %(upgraded)s upgraded still to go")
        % {"new": max(TARGET_NEW - new, 0), "upgraded": max(TARGET_UPGRADED - upgraded, 0)},
    )


def _valid_on(history, day: datetime.date) -> list[_Cert]:
    return [c for c in (_current(certificates, day) for certificates in history.values()) if c is not None]


def by_stars(valid: list[_Cert]) -> Table:
    counts = Counter(c.stars for c in valid)
    five = counts[5]
    return Table(
        "by-stars",
        _("Products with a valid certificate, by stars"),
        [_("Stars"), _("Products")],
        [[f"{stars}★", counts[stars]] for stars in (3, 4, 5)],
        target=_("at least %(n)s products at 5★") % {"n": TARGET_FIVE_STARS},
        gap=_("%(n)s more 5★ products needed") % {"n": max(TARGET_FIVE_STARS - five, 0)},
    )


def by_group(valid: list[_Cert], groups: dict[int, str]) -> Table:
    counts = Counter(groups.get(c.product_id, "") or "—" for c in valid)
    return Table(
        "by-group",
        _("Products with a valid certificate, by product group"),
        [_("Product group"), _("Products")],
        [[name, count] for name, count in sorted(counts.items())],
    )


def by_district(valid: list[_Cert], sales_points: dict[str, int]) -> Table:
    counts = Counter(c.district or "—" for c in valid)
    names = sorted(set(District.objects.values_list("name", flat=True)) | set(counts))
    low, high = TARGET_SALES_POINTS_PER_DISTRICT
    rows = [[name, counts[name], sales_points.get(name, 0)] for name in names]
    short = sum(1 for name in names if sales_points.get(name, 0) < low)
    return Table(
        "by-district",
        _("Products with a valid certificate and sales points, by former district"),
        [_("Former district"), _("Products"), _("Sales points")],
        rows,
        target=_("%(low)s–%(high)s OCOP sales points per district") % {"low": low, "high": high},
        gap=_("%(n)s districts without a sales point") % {"n": short},
    )


def by_commune(valid: list[_Cert]) -> Table:
    """Products of 3★ or more per current commune, and the province average against 2."""
    counts = Counter(c.commune or "—" for c in valid if c.stars >= 3)
    total = sum(counts.values())
    average = (Decimal(total) / PROVINCE_COMMUNES).quantize(Decimal("0.01"))
    table = Table(
        "by-commune",
        _("Products of 3★ or more, by commune"),
        [_("Commune or ward"), _("Products")],
        [[name, count] for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))],
        target=_("on average %(n)s products of 3★ or more per commune") % {"n": TARGET_PER_COMMUNE},
    )
    table.average = average
    table.gap = _("average %(average)s over %(communes)s communes; %(n)s more products needed") % {
        "average": formats.number_format(average, 2),  # "1,11" on a Vietnamese page
        "communes": PROVINCE_COMMUNES,
        "n": max(TARGET_PER_COMMUNE * PROVINCE_COMMUNES - total, 0),
    }
    return table


def producers_by_kind() -> Table:
    counts = dict(Producer.objects.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    return Table(
        "producers",
        _("Producers by kind"),
        [_("Kind"), _("Producers")],
        [[label, counts.get(kind, 0)] for kind, label in Producer.Kind.choices],
    )


def _revenue_lines(period: Period):
    return Line.objects.filter(
        order__date_placed__date__gte=period.start, order__date_placed__date__lte=period.end
    ).exclude(Q(order__status__in=NOT_REVENUE) | Q(status=statuses.LINE_CANCELLED))


def revenue_by_year(period: Period) -> Table:
    """Marketplace revenue (order lines, VND) per year, with growth on the year before (one query)."""
    totals = dict(
        _revenue_lines(period)
        .annotate(year=ExtractYear("order__date_placed"))
        .values_list("year")
        .annotate(total=Sum("line_price_incl_tax"))
        .values_list("year", "total")
    )
    rows = []
    previous = None
    for year in period.years:
        total = Decimal(totals.get(year) or 0)
        growth = None
        if previous:
            growth = ((total - previous) / previous * 100).quantize(Decimal("0.1"))
        rows.append([year, total, growth])
        previous = total
    falling = [row[0] for row in rows if row[2] is not None and row[2] <= 0]
    return Table(
        "revenue-by-year",
        _("Marketplace revenue by year"),
        [_("Year"), _("Revenue (₫)"), _("Growth on the year before (%)")],
        rows,
        target=_("revenue growing every year"),
        gap=_("no growth in %(years)s") % {"years": ", ".join(map(str, falling))} if falling else _("none"),
    )


def revenue_by_month(period: Period) -> Table:
    totals = (
        _revenue_lines(period)
        .annotate(year=ExtractYear("order__date_placed"), month=ExtractMonth("order__date_placed"))
        .values_list("year", "month")
        .annotate(total=Sum("line_price_incl_tax"))
        .order_by("year", "month")
    )
    return Table(
        "revenue-by-month",
        _("Marketplace revenue by month"),
        [_("Month"), _("Revenue (₫)")],
        [[f"{month:02d}/{year}", Decimal(total or 0)] for year, month, total in totals],
    )


def revenue_by(period: Period, path: str, slug: str, title, column) -> Table:
    totals = _revenue_lines(period).values_list(path).annotate(total=Sum("line_price_incl_tax")).order_by("-total")
    return Table(slug, title, [column, _("Revenue (₫)")], [[name or "—", Decimal(t or 0)] for name, t in totals])


def revenue_by_group(period: Period, groups: dict[int, str]) -> Table:
    totals: Counter = Counter()
    for product_id, total in _revenue_lines(period).values_list("product_id").annotate(t=Sum("line_price_incl_tax")):
        totals[groups.get(product_id, "") or "—"] += Decimal(total or 0)
    return Table(
        "revenue-by-group",
        _("Revenue by product group"),
        [_("Product group"), _("Revenue (₫)")],
        [[name, total] for name, total in totals.most_common()],
    )


def renewal_pipeline(today: datetime.date) -> Table:
    """Certificates lapsing in the next 90 days and not yet renewed, by district, with whom to contact."""
    horizon = today + datetime.timedelta(days=RENEWAL_WINDOW_DAYS)
    renewed = OcopCertificate.objects.filter(
        status=OcopCertificate.Status.VERIFIED,
        product=OuterRef("product"),
        decision_date__gt=OuterRef("decision_date"),
    )
    certificates = (
        OcopCertificate.objects.filter(
            status=OcopCertificate.Status.VERIFIED, valid_until__gt=today, valid_until__lte=horizon
        )
        .exclude(Exists(renewed))
        .select_related("product__producer__partner", "product__producer__district")
        .order_by("product__producer__district__name", "valid_until", "pk")
    )
    rows = []
    for certificate in certificates:
        producer = certificate.product.producer
        rows.append(
            [
                producer.district.name if producer else "—",
                certificate.product.title,
                certificate.decision_number,
                certificate.last_valid_day,
                producer.name if producer else "—",
                ", ".join(filter(None, [producer.phone, producer.email])) if producer else "",
            ]
        )
    return Table(
        "renewals",
        _("Renewals due in the next 90 days"),
        [_("Former district"), _("Product"), _("Decision"), _("Valid until"), _("Producer"), _("Contact")],
        rows,
    )


def sales_points_by_district() -> dict[str, int]:
    """Open OCOP sales points (not centres or partner shops) per former district, from ``outlets``."""
    return dict(
        Outlet.objects.filter(kind=Outlet.Kind.SALES_POINT, is_open=True)
        .values_list("former_district__name")
        .annotate(n=Count("pk"))
        .values_list("former_district__name", "n")
    )


def programme_figures(period: Period, today: datetime.date) -> list[Table]:
    """Every figure of the dashboard for ``period``; the certificate figures as of its last day."""
    history = _history()
    groups = _groups()
    as_of = min(period.end, today)
    valid = _valid_on(history, as_of)
    return [
        certification_by_year(history, period),
        by_stars(valid),
        by_group(valid, groups),
        by_district(valid, sales_points_by_district()),
        by_commune(valid),
        producers_by_kind(),
        revenue_by_year(period),
        revenue_by_month(period),
        revenue_by_group(period, groups),
        revenue_by(
            period,
            "product__producer__district__name",
            "revenue-by-district",
            _("Revenue by former district"),
            _("Former district"),
        ),
        renewal_pipeline(today),
    ]
