"""Keep certificate and application scans in the private storage (PRIVATE_MEDIA_ROOT).

Scans saved before this migration sit under MEDIA_ROOT, where the media URL
serves them to anyone: they are moved across (and back, when unapplied).
"""

from django.core.files.storage import default_storage
from django.db import migrations, models

import catalog.models
import catalog.storage

SCAN_FIELDS = (("OcopCertificate", "scan"), ("ProducerApplication", "certificate_scan"))


def _move_scans(apps, source, target):
    for model_name, field in SCAN_FIELDS:
        model = apps.get_model("catalogue", model_name)
        names = model.objects.exclude(**{field: ""}).values_list(field, flat=True).iterator()
        for name in names:
            if not source.exists(name) or target.exists(name):
                continue
            with source.open(name, "rb") as content:
                saved = target.save(name, content)
            if saved != name:  # never expected: the target had no file of that name
                raise RuntimeError(f"{name} was stored as {saved}")
            source.delete(name)


def to_private(apps, schema_editor):
    _move_scans(apps, default_storage, catalog.storage.private_storage())


def to_public(apps, schema_editor):
    _move_scans(apps, catalog.storage.private_storage(), default_storage)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0035_producer_portal"),
    ]

    operations = [
        migrations.AlterField(
            model_name="ocopcertificate",
            name="scan",
            field=models.FileField(
                blank=True,
                max_length=255,
                storage=catalog.storage.private_storage,
                upload_to=catalog.models.certificate_scan_upload,
                verbose_name="certificate scan",
            ),
        ),
        migrations.AlterField(
            model_name="producerapplication",
            name="certificate_scan",
            field=models.FileField(
                max_length=255,
                storage=catalog.storage.private_storage,
                upload_to=catalog.models.application_scan_upload,
                verbose_name="OCOP certificate scan",
            ),
        ),
        migrations.RunPython(to_private, to_public, elidable=True),
    ]
