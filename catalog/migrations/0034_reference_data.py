"""Reference data: the 18 district-level units of Quảng Nam and the OCOP product groups.

Source: catalog/data/districts.csv and groups.csv (copied from the OCOP
reference data). Categories are written with treebeard's materialised paths
directly, because historical models do not carry treebeard's API.
"""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _step(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def load(apps, schema_editor):
    from catalog.ocop import slugify_vi

    District = apps.get_model("catalogue", "District")
    Category = apps.get_model("catalogue", "Category")

    with open(DATA / "districts.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            District.objects.update_or_create(
                name=row["name_vi"],
                defaults={
                    "slug": slugify_vi(row["name_vi"]),
                    "kind": row["kind"],
                    "lat": Decimal(row["lat"]),
                    "lng": Decimal(row["lng"]),
                },
            )

    existing_roots = Category.objects.filter(depth=1).count()
    with open(DATA / "groups.csv", encoding="utf-8") as handle:
        for index, row in enumerate(csv.DictReader(handle), start=existing_roots + 1):
            if Category.objects.filter(code=row["code"]).exists():
                continue
            subgroups = [s.strip() for s in row["subgroups_vi"].split(";") if s.strip()]
            root_path = _step(index)
            Category.objects.create(
                name=row["name_vi"],
                code=row["code"],
                slug=row.get("slug_vi") or row["code"],  # Vietnamese without tone marks (migration 0041)
                description=row["name_en"],
                path=root_path,
                depth=1,
                numchild=len(subgroups),
            )
            for child_index, name in enumerate(subgroups, start=1):
                slug = slugify_vi(name)
                Category.objects.create(
                    name=name,
                    code=f"{row['code']}-{slug}",
                    slug=slug,
                    path=root_path + _step(child_index),
                    depth=2,
                    numchild=0,
                )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0033_district_product_description_en_product_title_en_and_more")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
