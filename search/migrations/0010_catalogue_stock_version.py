from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0009_listing_by_stars_covering"),
    ]

    operations = [
        migrations.AddField(
            model_name="catalogueversion",
            name="stock_number",
            field=models.BigIntegerField(default=0),
        ),
    ]
