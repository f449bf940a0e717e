"""Search test helpers: certified products filed under the OCOP groups loaded by migration."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model
from PIL import Image

from catalog.tests.factories import make_certified_product

Category = get_model("catalogue", "Category")


def group(code: str):
    """An OCOP product group (root category) from the reference data migration."""
    return Category.objects.get(code=code, depth=1)


def subgroup(code: str):
    """The first sub-group of an OCOP product group."""
    return group(code).get_children().first()


def listed_product(*, category=None, **kwargs):
    """A certified product on sale, filed under ``category`` when given."""
    product = make_certified_product(**kwargs)
    if category is not None:
        product.categories.add(category)
    return product


def image_upload(name: str = "san-pham.jpg") -> SimpleUploadedFile:
    """A small real JPEG, so thumbnails can be made from it."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
