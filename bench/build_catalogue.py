"""Build N synthetic certified products on the configured database, for speed measurements.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python bench/build_catalogue.py --count 10000
    DATABASE_URL=... .venv/bin/python bench/build_catalogue.py --count 100000 --replace

Every product is real enough for every page: a producer (one per 20 products,
spread over the 18 former districts), one product sub-group, one verified OCOP
certificate (3–5 stars; about one in seven lapsed, as in the province), one
stock record (about one in ten sold out) and one image. The image is one file
shared by every product, so thumbnails are made once. Rows are written with
``bulk_create`` in batches, then the derived search and listing rows are rebuilt
with ``manage.py rebuild_search_index``: 100,000 products take minutes.

Products are marked by their UPC (``BENCH-0000001``) and producers by their
partner code (``bench-…``); ``--replace`` deletes the previous bench products
first. Nothing here is demo data and nothing uses the test factories.
"""

import argparse
import datetime
import io
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from catalog import ocop  # noqa: E402

District = get_model("catalogue", "District")
Producer = get_model("catalogue", "Producer")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")
OcopCertificate = get_model("catalogue", "OcopCertificate")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

UPC_PREFIX = "BENCH-"
PARTNER_PREFIX = "bench-"
IMAGE_NAME = "bench/shared.jpg"
PRODUCTS_PER_PRODUCER = 20

# (words of a product name, sub-group code): Vietnamese names as producers write them.
NAMES = [
    ("Nước mắm", "food-thuc-pham-che-bien"),
    ("Mắm cá cơm", "food-thuc-pham-che-bien"),
    ("Bánh tráng", "food-thuc-pham-che-bien"),
    ("Mì Quảng khô", "food-thuc-pham-che-bien"),
    ("Bánh tổ", "food-thuc-pham-che-bien"),
    ("Gạo lứt", "food-nong-san-so-che"),
    ("Gạo hữu cơ", "food-nong-san-so-che"),
    ("Mật ong rừng", "food-nong-san-so-che"),
    ("Nấm linh chi", "food-nong-san-so-che"),
    ("Quế Trà My", "food-gia-vi"),
    ("Tiêu đen", "food-gia-vi"),
    ("Ớt bột", "food-gia-vi"),
    ("Trà xanh", "food-che"),
    ("Trà thảo mộc", "food-che"),
    ("Chè dây", "food-che"),
    ("Cà phê hạt", "food-ca-phe-ca-cao"),
    ("Ca cao", "food-ca-phe-ca-cao"),
    ("Bưởi da xanh", "food-nong-san-tuoi-song"),
    ("Thanh long ruột đỏ", "food-nong-san-tuoi-song"),
    ("Rượu Hồng Đào", "beverage-do-uong-co-con"),
    ("Rượu ba kích", "beverage-do-uong-co-con"),
    ("Nước yến", "beverage-do-uong-khong-con"),
    ("Nước ép dừa", "beverage-do-uong-khong-con"),
    ("Sâm Ngọc Linh", "herbal-thuc-pham-chuc-nang-thuoc-duoc-lieu-thuoc-y-hoc-co-truyen"),
    ("Cao dược liệu", "herbal-thuc-pham-chuc-nang-thuoc-duoc-lieu-thuoc-y-hoc-co-truyen"),
    ("Xà phòng thảo dược", "herbal-my-pham-tu-duoc-lieu"),
    ("Tinh dầu quế", "herbal-tinh-dau-va-duoc-lieu-khac"),
    ("Tinh dầu sả", "herbal-tinh-dau-va-duoc-lieu-khac"),
    ("Tượng gỗ", "handicraft-go"),
    ("Chiếu cói", "handicraft-may-tre-dan-soi-tu-nhien"),
    ("Nón lá", "handicraft-may-tre-dan-soi-tu-nhien"),
    ("Đèn lồng", "handicraft-may-tre-dan-soi-tu-nhien"),
    ("Đồng Phước Kiều", "handicraft-kim-loai"),
    ("Gốm Thanh Hà", "handicraft-gom-su"),
    ("Thổ cẩm Cơ Tu", "handicraft-det-may-theu"),
    ("Lụa Mã Châu", "handicraft-det-may-theu"),
    ("Hoa lan", "ornamental-hoa"),
    ("Bonsai", "ornamental-cay-canh"),
    ("Du lịch sinh thái", "tourism-dich-vu-du-lich-cong-dong"),
    ("Làng rau Trà Quế", "tourism-diem-du-lich"),
]
QUALIFIERS = ["", "", "hảo hạng", "đặc biệt", "truyền thống", "hữu cơ", "loại 1", "gia truyền", "thượng hạng"]
PLACES = ["Cửa Đại", "Hội An", "Tam Kỳ", "Trà My", "Đại Lộc", "Duy Xuyên", "Tiên Phước", "Núi Thành", "Thăng Bình"]
PRODUCER_KINDS = ["enterprise", "cooperative", "cooperative_group", "household"]
PRODUCER_WORDS = ["Thanh Bình", "Phú Ninh", "An Phú", "Hòa Bình", "Tân Phước", "Quế Sơn", "Bình Minh", "Sông Thu"]


def shared_image() -> str:
    """One picture for every bench product (written once into MEDIA_ROOT)."""
    from PIL import Image, ImageDraw

    path = Path(settings.MEDIA_ROOT) / IMAGE_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        image = Image.new("RGB", (600, 600), (46, 125, 50))
        ImageDraw.Draw(image).ellipse((150, 150, 450, 450), fill=(255, 193, 7))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=80)
        path.write_bytes(buffer.getvalue())
    return IMAGE_NAME


def delete_previous() -> int:
    products = Product.objects.filter(upc__startswith=UPC_PREFIX)
    count = products.count()
    if count:
        ids = products.values("pk")
        for model in (ProductImage, StockRecord, OcopCertificate, ProductCategory):
            model.objects.filter(product__in=ids)._raw_delete(connection.alias)
        products.delete()
    partners = Partner.objects.filter(code__startswith=PARTNER_PREFIX)
    Producer.objects.filter(partner__in=partners).delete()
    partners.delete()
    return count


def make_producers(count: int, rng: random.Random, districts: list) -> list:
    partners = Partner.objects.bulk_create(
        [
            Partner(code=f"{PARTNER_PREFIX}{index:06d}", name=f"HTX {rng.choice(PRODUCER_WORDS)} {index}")
            for index in range(count)
        ],
        batch_size=2000,
    )
    return Producer.objects.bulk_create(
        [
            Producer(
                partner=partner,
                kind=rng.choice(PRODUCER_KINDS),
                district=rng.choice(districts),
                commune=f"Xã {rng.choice(PRODUCER_WORDS)}",
            )
            for partner in partners
        ],
        batch_size=2000,
    )


def certificate_for(product, rng: random.Random, today: datetime.date) -> OcopCertificate:
    stars = rng.choices((3, 4, 5), weights=(60, 32, 8))[0]
    # Decided over the last 42 months: certificates last 36, so about one in seven has lapsed.
    decided = today - datetime.timedelta(days=rng.randrange(42 * 30))
    low, high = ocop.SCORE_BANDS[stars]
    return OcopCertificate(
        product=product,
        stars=stars,
        score=Decimal(rng.randrange(int(low), min(int(high), 100))),
        decision_number=f"BENCH/{product.upc}",
        decision_date=decided,
        valid_until=ocop.certificate_expiry(decided),  # save() computes it; bulk_create does not call save()
        level=ocop.CERTIFYING_LEVEL[stars],
        status=OcopCertificate.Status.VERIFIED,
        note="Bench data",
    )


def build(count: int, *, seed: int = 9, batch: int = 5000, progress=print) -> None:
    rng = random.Random(seed)
    today = timezone.localdate()
    districts = list(District.objects.all())
    categories = {category.code: category for category in Category.objects.filter(depth=2)}
    product_class, _created = ProductClass.objects.get_or_create(
        slug="san-pham-ocop", defaults={"name": "Sản phẩm OCOP", "track_stock": True, "requires_shipping": True}
    )
    image = shared_image()
    start = Product.objects.filter(upc__startswith=UPC_PREFIX).count()
    producers = make_producers(max(1, count // PRODUCTS_PER_PRODUCER), rng, districts)
    started = time.perf_counter()
    for first in range(start, start + count, batch):
        with transaction.atomic():
            rows = []
            for index in range(first, min(start + count, first + batch)):
                name, code = rng.choice(NAMES)
                title = " ".join(part for part in (name, rng.choice(QUALIFIERS), rng.choice(PLACES)) if part)
                title = f"{title} {index}"
                product = Product(
                    structure=Product.STANDALONE,
                    is_public=True,
                    upc=f"{UPC_PREFIX}{index:07d}",
                    title=title,
                    slug=ocop.slugify_vi(title),
                    description=f"<p>{title}: sản phẩm OCOP của Quảng Nam, dữ liệu đo tốc độ.</p>",
                    product_class=product_class,
                    producer=rng.choice(producers),
                    weight_grams=rng.randrange(100, 3000),
                )
                product.bench_category = categories[code]
                rows.append(product)
            products = Product.objects.bulk_create(rows)
            ProductCategory.objects.bulk_create(
                [ProductCategory(product=product, category=product.bench_category) for product in products]
            )
            OcopCertificate.objects.bulk_create([certificate_for(product, rng, today) for product in products])
            StockRecord.objects.bulk_create(
                [
                    StockRecord(
                        product=product,
                        partner_id=product.producer.partner_id,
                        partner_sku=product.upc,
                        price_currency=settings.OSCAR_DEFAULT_CURRENCY,
                        price=Decimal(rng.randrange(20, 1500) * 1000),
                        num_in_stock=0 if rng.random() < 0.1 else rng.randrange(1, 200),
                    )
                    for product in products
                ]
            )
            ProductImage.objects.bulk_create(
                [ProductImage(product=product, original=image, caption=product.title) for product in products]
            )
        done = min(start + count, first + batch) - start
        progress(f"  {done:>7}/{count} products  {time.perf_counter() - started:6.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--replace", action="store_true", help="delete the previous bench products first")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--skip-rows", action="store_true", help="leave the listing rows for rebuild_search_index")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.replace:
        print(f"deleted {delete_previous()} bench products ({time.perf_counter() - started:.1f} s)")
    build(args.count, seed=args.seed)
    print(f"built {args.count} products in {time.perf_counter() - started:.1f} s")
    if not args.skip_rows:
        rebuilding = time.perf_counter()
        call_command("rebuild_search_index")
        print(f"rebuilt the listing rows in {time.perf_counter() - rebuilding:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    listed = Product.objects.filter(upc__startswith=UPC_PREFIX).count()
    print(f"done in {time.perf_counter() - started:.1f} s: {listed} bench products")
    return 0


if __name__ == "__main__":
    sys.exit(main())
