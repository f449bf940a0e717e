"""Give the six OCOP product groups Vietnamese slugs without tone marks (/catalogue/category/thuc-pham_1/),
instead of their English codes (food_1). Old addresses still work: the category pages redirect to the
canonical one by its number."""

import csv
from pathlib import Path

from django.db import migrations

GROUPS = Path(__file__).resolve().parent.parent / "data" / "groups.csv"


def vietnamese_slugs(apps, schema_editor):
    Category = apps.get_model("catalogue", "Category")
    with open(GROUPS, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            Category.objects.filter(depth=1, code=row["code"]).update(slug=row["slug_vi"])


def english_slugs(apps, schema_editor):
    Category = apps.get_model("catalogue", "Category")
    with open(GROUPS, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            Category.objects.filter(depth=1, code=row["code"]).update(slug=row["code"])


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0040_category_name_en")]

    operations = [migrations.RunPython(vietnamese_slugs, english_slugs)]
