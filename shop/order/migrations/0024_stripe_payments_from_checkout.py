"""StripePayment and ProcessedStripeEvent move from the checkout app to the order app.

Order services settle and refund card payments, so the payment records live with
orders and the checkout imports them one way. The rows stay: the tables are
renamed (checkout_* -> order_*), and their content types follow, so permissions
given on them are kept.
"""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("stripepayment", "processedstripeevent")


def _move_content_types(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def content_types_to_order(apps, schema_editor):
    _move_content_types(apps, "checkout", "order")


def content_types_to_checkout(apps, schema_editor):
    _move_content_types(apps, "order", "checkout")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("checkout", "0002_vietnam_shipping_country"),
        ("order", "0023_consume_allocations_of_shipped_lines"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ProcessedStripeEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("event_id", models.CharField(max_length=255, unique=True)),
                        ("type", models.CharField(max_length=100)),
                        ("processed_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "verbose_name": "processed Stripe event",
                        "verbose_name_plural": "processed Stripe events",
                        "db_table": "checkout_processedstripeevent",
                    },
                ),
                migrations.CreateModel(
                    name="StripePayment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        (
                            "payment_intent_id",
                            models.CharField(max_length=255, unique=True, verbose_name="PaymentIntent id"),
                        ),
                        ("client_secret", models.CharField(blank=True, max_length=255)),
                        ("amount", models.DecimalField(decimal_places=2, max_digits=12, verbose_name="amount")),
                        ("currency", models.CharField(default="VND", max_length=12, verbose_name="currency")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Awaiting payment"),
                                    ("succeeded", "Paid"),
                                    ("failed", "Failed"),
                                    ("refunded", "Refunded"),
                                ],
                                default="pending",
                                max_length=16,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "amount_refunded",
                            models.DecimalField(
                                decimal_places=2, default=0, max_digits=12, verbose_name="amount refunded"
                            ),
                        ),
                        (
                            "failure_message",
                            models.CharField(blank=True, max_length=255, verbose_name="failure message"),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "order",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="stripe_payment",
                                to="order.order",
                                verbose_name="order",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "Stripe payment",
                        "verbose_name_plural": "Stripe payments",
                        "db_table": "checkout_stripepayment",
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="processedstripeevent", table=None),
        migrations.AlterModelTable(name="stripepayment", table=None),
        migrations.RunPython(content_types_to_order, content_types_to_checkout),
    ]
