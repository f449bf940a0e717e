"""Upload limits: images per request and per product, and stored images no larger than the shop shows."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from oscar.core.loading import get_model
from PIL import Image

from catalog import images, services
from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import image_bytes, producer_user, upload
from shop.portal.forms import MultipleImageField

ProductImage = get_model("catalogue", "ProductImage")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_eleven_images_in_one_upload_are_refused_before_any_is_decoded(monkeypatch):
    decoded = []
    monkeypatch.setattr(images, "clean_product_image", lambda upload: decoded.append(upload))
    photos = [upload(f"anh{n}.jpg", image_bytes()) for n in range(11)]

    with pytest.raises(ValidationError) as error:
        MultipleImageField(required=False).clean(photos)

    assert error.value.messages == ["Upload at most 10 images at a time; you chose 11."]
    assert decoded == []


@pytest.mark.django_db
def test_a_product_takes_at_most_twelve_images():
    user, producer = producer_user()
    product = make_certified_product(producer=producer)
    product.is_public = False
    product.moderation = "pending"  # not yet approved: images change directly
    product.save()
    new = [services.NewImage(file=images.clean_product_image(upload(f"a{n}.jpg", image_bytes()))) for n in range(12)]
    services.add_product_images(product=product, producer=producer, by=user, images=new[:10])

    with pytest.raises(ValidationError, match="at most 12 images; it has 10"):
        services.add_product_images(product=product, producer=producer, by=user, images=new[:3])

    services.add_product_images(product=product, producer=producer, by=user, images=new[10:12])
    assert ProductImage.objects.filter(product=product).count() == 12


def test_a_25_megapixel_photo_is_stored_at_most_2560_pixels_wide():
    big = io.BytesIO()
    Image.linear_gradient("L").resize((6000, 4150)).convert("RGB").save(big, format="JPEG", quality=85)

    stored = Image.open(images.clean_product_image(upload("lon.jpg", big.getvalue())))

    assert max(stored.size) == 2560
    assert stored.size == (2560, 1771)
