"""The campaign report: what the campaign's products sold during its window, against the same time before it.

Figures come from placed orders (not page views): order lines of the campaign's
products, leaving out cancelled lines and orders that were never paid for.
Revenue is what buyers paid after discounts; the discount is what the lines'
discounts took off.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, Q, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from spreadsheet import safe_writer

Line = get_model("order", "Line")
Product = get_model("catalogue", "Product")

# Stored status values (shop/order/statuses.py): these orders and lines sold nothing.
UNSOLD_ORDER_STATUSES = ("awaiting_payment", "payment_failed", "cancelled")
UNSOLD_LINE_STATUSES = ("cancelled",)
DIMENSIONS = {
    "product": ("product_id", "title"),
    "producer": ("partner_id", "partner_name"),
    "district": ("product__producer__district_id", "product__producer__district__name"),
}


@dataclass
class Figures:
    orders: int = 0
    units: int = 0
    revenue: Decimal = Decimal(0)
    discount: Decimal = Decimal(0)
    buyers: int = 0


@dataclass
class Row:
    name: str
    during: Figures
    before: Figures

    @property
    def revenue_change(self) -> Decimal | None:
        if not self.before.revenue:
            return None
        return ((self.during.revenue - self.before.revenue) * 100 / self.before.revenue).quantize(Decimal(1))


@dataclass
class CampaignReport:
    campaign: object
    window: tuple[datetime.datetime, datetime.datetime]
    before: tuple[datetime.datetime, datetime.datetime]
    total: Row
    rows: dict[str, list[Row]] = field(default_factory=dict)


def campaign_products(campaign):
    """The products the campaign promotes: those its discount covers, else those its lists show."""
    if campaign.offer_id is not None:
        return campaign.offer.benefit.range.all_products()
    return Product.objects.filter(pk__in=campaign.listed_product_ids())


def _lines(campaign, start, end):
    return Line.objects.filter(
        product__in=campaign_products(campaign).values("pk"),
        order__date_placed__gte=start,
        order__date_placed__lt=end,
    ).exclude(Q(order__status__in=UNSOLD_ORDER_STATUSES) | Q(status__in=UNSOLD_LINE_STATUSES))


def _figures(lines, *group_by) -> dict:
    """Figures of ``lines`` by the ``group_by`` fields' values (all together under ``()`` when none)."""
    # A signed-in buyer is one user, a guest one e-mail address.
    buyer = Case(
        When(order__user_id__isnull=False, then=Concat(Value("user:"), Cast("order__user_id", CharField()))),
        default=F("order__guest_email"),
        output_field=CharField(),
    )
    measures = {
        "orders": Count("order", distinct=True),
        "units": Coalesce(Sum("quantity"), 0),
        "revenue": Coalesce(Sum("line_price_incl_tax"), Decimal(0)),
        "before_discounts": Coalesce(Sum("line_price_before_discounts_incl_tax"), Decimal(0)),
        "buyers": Count(buyer, distinct=True),
    }
    if group_by:
        rows = lines.values(*group_by).annotate(**measures).order_by()
    else:
        rows = [lines.aggregate(**measures)]
    result = {}
    for row in rows:
        if not row["orders"]:
            continue
        result[tuple(row[name] for name in group_by)] = Figures(
            orders=row["orders"],
            units=row["units"],
            revenue=row["revenue"],
            discount=row["before_discounts"] - row["revenue"],
            buyers=row["buyers"],
        )
    return result


def campaign_report(campaign, *, now: datetime.datetime | None = None) -> CampaignReport:
    now = now or timezone.now()
    start = campaign.starts_at
    end = max(start, min(campaign.ends_at, now))
    length = end - start
    window, before = (start, end), (start - length, start)
    during_lines, before_lines = _lines(campaign, *window), _lines(campaign, *before)
    total_during = _figures(during_lines).get((), Figures())
    total_before = _figures(before_lines).get((), Figures())
    report = CampaignReport(campaign, window, before, Row(_("All campaign products"), total_during, total_before))
    for dimension, (key, label) in DIMENSIONS.items():
        during, earlier = _figures(during_lines, key, label), _figures(before_lines, key, label)
        rows = [
            Row(str(name or "—"), during.get((pk, name), Figures()), earlier.get((pk, name), Figures()))
            for pk, name in set(during) | set(earlier)
        ]
        report.rows[dimension] = sorted(rows, key=lambda row: (-row.during.revenue, -row.before.revenue, row.name))
    return report


def report_csv(report: CampaignReport) -> str:
    headings = {"product": _("Product"), "producer": _("Producer"), "district": _("Former district")}
    out = io.StringIO()
    writerow = safe_writer(out)
    writerow(
        [
            _("By"),
            _("Name"),
            _("Orders"),
            _("Units"),
            _("Revenue (₫)"),
            _("Discount (₫)"),
            _("Buyers"),
            _("Orders before"),
            _("Units before"),
            _("Revenue before (₫)"),
            _("Buyers before"),
        ]
    )
    sections = [(_("Campaign total"), [report.total])] + [(headings[name], rows) for name, rows in report.rows.items()]
    for heading, rows in sections:
        for row in rows:
            d, b = row.during, row.before
            values = [heading, row.name, d.orders, d.units, int(d.revenue), int(d.discount), d.buyers]
            values += [b.orders, b.units, int(b.revenue), b.buyers]
            writerow(values)
    return out.getvalue()
