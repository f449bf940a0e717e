"""Lines shipped before shipping consumed stock still hold their allocation: consume it now.

Consuming takes the same quantity off ``num_in_stock`` and ``num_allocated``,
so what can be sold does not change; cancelling such an order can then no
longer give the shipped units back.
"""

from django.db import migrations
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Greatest

DISPATCHED = ("shipped", "delivered")


def consume(apps, schema_editor):
    Line = apps.get_model("order", "Line")
    StockRecord = apps.get_model("partner", "StockRecord")
    # Only products whose stock is tracked were allocated at checkout (a child product's class is its parent's).
    tracked = Q(stockrecord__product__product_class__track_stock=True) | Q(
        stockrecord__product__parent__product_class__track_stock=True
    )
    lines = Line.objects.filter(
        tracked, status__in=DISPATCHED, allocation_cancelled=False, num_allocated__gt=0, stockrecord__isnull=False
    )
    for line in lines.order_by("pk"):
        quantity = line.num_allocated
        StockRecord.objects.filter(pk=line.stockrecord_id).update(
            num_in_stock=Greatest(Coalesce(F("num_in_stock"), 0) - quantity, Value(0)),
            num_allocated=Greatest(Coalesce(F("num_allocated"), 0) - quantity, Value(0)),
        )
        Line.objects.filter(pk=line.pk).update(num_allocated=0)


class Migration(migrations.Migration):
    dependencies = [
        ("order", "0022_line_cancellation_reason_line_cancelled_at_and_more"),
        ("partner", "0007_partneraddress_code"),
    ]

    operations = [migrations.RunPython(consume, migrations.RunPython.noop)]
