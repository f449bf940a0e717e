"""StripePayment and ProcessedStripeEvent now belong to the order app (order 0024 renamed their tables)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("checkout", "0002_vietnam_shipping_country"),
        ("order", "0024_stripe_payments_from_checkout"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="StripePayment"),
                migrations.DeleteModel(name="ProcessedStripeEvent"),
            ],
        ),
    ]
