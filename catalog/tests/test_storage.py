"""Certificate and application scans are private business documents: where they are stored and how they are served."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from catalog import storage
from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import media_files, pdf_bytes, private_files

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content_type", "inline"),
    [
        ("certificates/2025/01/a.pdf", "application/pdf", True),
        ("certificates/2025/01/a.JPG", "image/jpeg", True),
        ("applications/2025/01/a.png", "image/png", True),
        ("certificates/old-upload.html", "application/octet-stream", False),
        ("certificates/no-suffix", "application/octet-stream", False),
    ],
)
def test_only_pdf_and_pictures_are_shown_inline_anything_else_is_an_opaque_download(name, content_type, inline):
    assert storage.content_type_of(name) == (content_type, inline)


def test_migration_moves_scans_saved_under_media_root_into_the_private_storage(settings):
    product = make_certified_product()
    old_name = default_storage.save("certificates/qd-cu.pdf", ContentFile(pdf_bytes()))
    product.certificates.update(scan=old_name)
    migration = importlib.import_module("catalog.migrations.0036_private_scans")

    migration.to_private(django_apps, None)
    assert media_files(settings) == []
    assert private_files(settings) == [old_name]
    migration.to_private(django_apps, None)  # twice is harmless
    assert private_files(settings) == [old_name]

    migration.to_public(django_apps, None)
    assert media_files(settings) == [old_name] and private_files(settings) == []
