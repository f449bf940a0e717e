"""Data for the benchmarks, built with the ORM: the bench does not lean on the test suite's factories.

Every call makes one certified product of its own producer, with a stock record, a verified certificate
decided 100 days ago and a small JPEG image, the way a producer's listing looks in the shop.
"""

from __future__ import annotations

import datetime
import io
import itertools
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image

District = get_model("catalogue", "District")
OcopCertificate = get_model("catalogue", "OcopCertificate")
Partner = get_model("partner", "Partner")
Producer = get_model("catalogue", "Producer")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")

SCORES = {3: Decimal("60"), 4: Decimal("75"), 5: Decimal("92")}
_serial = itertools.count(1)


def jpeg_upload(name: str = "san-pham.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def certified_product(*, title: str, stars: int, price: Decimal, stock: int = 20) -> Product:
    """A public product on sale: producer, stock record, verified certificate and one image."""
    n = next(_serial)
    district, _created = District.objects.get_or_create(
        slug="bench-dien-ban", defaults={"name": "Điện Bàn (bench)", "kind": "district"}
    )
    product_class, _created = ProductClass.objects.get_or_create(
        slug="san-pham-ocop", defaults={"name": "Sản phẩm OCOP", "requires_shipping": True, "track_stock": True}
    )
    partner = Partner.objects.create(name=f"HTX bench {n}")
    producer = Producer.objects.create(
        partner=partner, kind="cooperative", district=district, registration_number=f"49{n:08d}"
    )
    product = Product.objects.create(
        structure=Product.STANDALONE,
        title=title,
        product_class=product_class,
        producer=producer,
        is_public=True,
        weight_grams=500,
    )
    OcopCertificate.objects.create(
        product=product,
        stars=stars,
        score=SCORES[stars],
        decision_number=f"{n}/QĐ-UBND",
        decision_date=timezone.localdate() - datetime.timedelta(days=100),
        level="central" if stars == 5 else "province",
        kind="new",
        status="verified",
    )
    StockRecord.objects.create(
        product=product,
        partner=partner,
        partner_sku=f"BENCH{n:06d}",
        price_currency="VND",
        price=price,
        num_in_stock=stock,
    )
    ProductImage.objects.create(product=product, original=jpeg_upload(), caption="Chai", display_order=0)
    return product
