"""An order seen as one part per producer (``Line.partner``), each with its own fulfilment status."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from oscar.core.loading import get_model

from shop.order import statuses

Line = get_model("order", "Line")
OcopCertificate = get_model("catalogue", "OcopCertificate")

# How far a line has gone; a part is as far as its least advanced line that is not cancelled.
_PROGRESS = [statuses.LINE_PENDING, statuses.LINE_CONFIRMED, statuses.LINE_SHIPPED, statuses.LINE_DELIVERED]


@dataclass
class OrderPart:
    partner_id: int | None
    producer_name: str
    lines: list = field(default_factory=list)

    @property
    def status(self) -> str:
        live = [line.status for line in self.lines if line.status != statuses.LINE_CANCELLED]
        if not live:
            return statuses.LINE_CANCELLED
        return min(live, key=lambda s: _PROGRESS.index(s) if s in _PROGRESS else -1)

    @property
    def status_label(self) -> str:
        return str(statuses.LINE_LABELS.get(self.status, self.status))

    @property
    def tracking_numbers(self) -> list[str]:
        return sorted({line.tracking_number for line in self.lines if line.tracking_number})

    @property
    def total_incl_tax(self) -> Decimal:
        return sum((line.line_price_incl_tax for line in self.lines), Decimal(0))


def order_lines(order):
    """The order's lines with what a page or e-mail shows: producer, product and its certificates."""
    return (
        Line.objects.filter(order=order)
        .select_related("partner", "product")
        .prefetch_related(Prefetch("product__certificates", queryset=OcopCertificate.objects.order_by("pk")))
        .order_by("partner_name", "pk")
    )


def order_parts(order) -> list[OrderPart]:
    parts: dict[int | None, OrderPart] = {}
    for line in order_lines(order):
        part = parts.get(line.partner_id)
        if part is None:
            part = parts[line.partner_id] = OrderPart(partner_id=line.partner_id, producer_name=line.partner_name)
        part.lines.append(line)
    return list(parts.values())
