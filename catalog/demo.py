"""Demo data: the 43 real OCOP products of Quảng Nam, their producers and certificates.

What is real and what is made up (see docs/demo-data.md):

- real: product names, producers, districts, groups, stars, the certifying level,
  and the score and decision number/date where ``catalog/data/products.csv`` gives them;
- estimated: the decision date when only the certification year is known
  (1 July of that year, never in the future; the certificate's note says so);
- illustrative: prices, stock, weights, the pictures (drawn here with Pillow),
  and renewals marked "DEMO-GH-<n>" that keep most lapsed products on sale (decided
  after 2023, so at today's level for their stars: district 3★, province 4★, central 5★).

Everything is keyed on natural keys (producer name, product title, decision
number and date, username), so loading twice leaves the same rows.
"""

import csv
import datetime
import hashlib
import io
import re
import textwrap
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalog import ocop
from catalog.services.products import ocop_product_class
from outlets import demo as outlets_demo

District = get_model("catalogue", "District")
Producer = get_model("catalogue", "Producer")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")
OcopCertificate = get_model("catalogue", "OcopCertificate")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

DATA_FILE = Path(__file__).resolve().parent / "data" / "products.csv"


# Every LAPSED_EVERY-th row of products.csv (7, 14, 21, ...) keeps its lapsed
# certificate without a demo renewal, so the shop shows what "lapsed" looks like.
LAPSED_EVERY = 7
RENEWAL_PREFIX = "DEMO-GH-"
RENEWAL_NOTE = "Gia hạn minh hoạ (dữ liệu demo)"
IMAGE_CAPTION = "Ảnh minh hoạ (dữ liệu demo)"

SITE_DOMAIN = "127.0.0.1:8000"
DEMO_PASSWORD = "ocop-demo-2026"
DEMO_PRODUCER = "HTX Bảo Tâm"

# (lowest price, highest price) in VND per OCOP group: illustrative only.
PRICE_RANGES = {
    "food": (35_000, 250_000),
    "beverage": (60_000, 450_000),
    "herbal": (120_000, 1_500_000),
    "handicraft": (90_000, 1_200_000),
    "ornamental": (150_000, 900_000),
    "tourism": (200_000, 1_500_000),
}
WEIGHT_RANGES = {
    "food": (250, 1_500),
    "beverage": (500, 1_500),
    "herbal": (100, 600),
    "handicraft": (200, 2_500),
    "ornamental": (500, 5_000),
    "tourism": (100, 200),
}
GROUP_COLOURS = {
    "food": ((196, 98, 45), (253, 239, 224)),
    "beverage": ((33, 111, 155), (226, 242, 250)),
    "herbal": ((46, 125, 50), (232, 245, 233)),
    "handicraft": ((121, 85, 72), (245, 236, 230)),
    "ornamental": ((136, 64, 150), (243, 232, 246)),
    "tourism": ((0, 121, 107), (224, 242, 241)),
}

# What products.csv says was inferred -> a sentence for the producer's story.
INFERRED_PRODUCER_FACTS = {
    ("name", "kind", "district"): "Tên, loại hình và địa bàn của chủ thể được suy ra, chưa đối chiếu.",
    ("name", "kind"): "Tên và loại hình chủ thể được suy ra từ tên sản phẩm, chưa đối chiếu.",
    ("name",): "Tên chủ thể được suy ra từ tên sản phẩm, chưa đối chiếu.",
    ("kind",): "Loại hình chủ thể được suy ra, chưa đối chiếu.",
}

DECISION_RE = re.compile(r"^\s*(?P<number>[^()]+?)\s*\((?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})\)\s*$")


@dataclass(frozen=True)
class DemoProduct:
    """One row of products.csv."""

    row: int
    title: str
    producer: str
    producer_kind: str
    district: str
    group: str
    stars: int
    score: Decimal | None
    year: int
    decision_number: str
    decision_date: datetime.date | None
    level: str
    inferred: frozenset[str]

    @property
    def keeps_lapsed(self) -> bool:
        """Left without a demo renewal, so it stays unavailable once its certificate lapses."""
        return self.row % LAPSED_EVERY == 0

    @property
    def sku(self) -> str:
        return f"OCOP-QN-{self.row:03d}"


@dataclass
class DemoSummary:
    products: int = 0
    producers: int = 0
    certificates: int = 0
    renewals: int = 0
    images_created: int = 0
    lapsed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str
    paths: tuple[str, ...]  # where to go after signing in

    @property
    def username(self) -> str:
        return self.email.split("@")[0]


DEMO_ACCOUNTS = [
    DemoAccount(_("customer"), "khachhang@demo.ocop.vn", DEMO_PASSWORD, ("/accounts/",)),
    DemoAccount(_("producer (HTX Bảo Tâm)"), "nhasanxuat@demo.ocop.vn", DEMO_PASSWORD, ("/producer/",)),
    DemoAccount(
        _("Department of Industry and Trade editor"),
        "bientap@demo.ocop.vn",
        DEMO_PASSWORD,
        ("/cms-admin/", "/chuong-trinh/"),
    ),
    DemoAccount(_("administrator"), "admin@demo.ocop.vn", DEMO_PASSWORD, ("/dashboard/", "/django-admin/")),
    DemoAccount(_("sales point manager (Hội An)"), "diemban@demo.ocop.vn", DEMO_PASSWORD, ("/sales-points/manage/",)),
]


# --- Reading products.csv ------------------------------------------------------------


def parse_decision(text: str) -> tuple[str, datetime.date | None]:
    """``"377/QĐ (17/01/2025)"`` -> ``("377/QĐ", date(2025, 1, 17))``; empty -> ``("", None)``."""
    text = ocop.nfc(text)
    if not text:
        return "", None
    match = DECISION_RE.match(text)
    if not match:
        return text, None
    day = datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    return match["number"], day


def parse_inferred(facts: str) -> frozenset[str]:
    """``"producer name and kind inferred"`` -> ``{"name", "kind"}``; ``"confirmed"`` -> empty."""
    words = set(re.findall(r"[a-z]+", facts.lower()))
    if "inferred" not in words:
        return frozenset()
    return frozenset(words & {"name", "kind", "district", "year", "group"})


def read_demo_products(path: Path = DATA_FILE) -> list[DemoProduct]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    products = []
    for number, row in enumerate(rows, start=1):
        decision_number, decision_date = parse_decision(row["decision"])
        products.append(
            DemoProduct(
                row=number,
                title=ocop.nfc(row["product"]),
                producer=ocop.nfc(row["producer"]),
                producer_kind=row["producer_kind"].strip(),
                district=ocop.nfc(row["district"]),
                group=row["group"].strip(),
                stars=int(row["stars"]),
                score=Decimal(row["score"]) if row["score"].strip() else None,
                year=int(row["year"]),
                decision_number=decision_number,
                decision_date=decision_date,
                level=row["certified_by"].strip(),
                inferred=parse_inferred(row["facts"]),
            )
        )
    return products


# --- Dates ---------------------------------------------------------------------------


def estimated_decision_date(year: int, *, today: datetime.date) -> datetime.date:
    """1 July of the certification year, but never after today."""
    return min(datetime.date(year, 7, 1), today)


def renewal_date(decided_on: datetime.date, *, today: datetime.date) -> datetime.date | None:
    """When an illustrative renewal would have been decided, or None while the original is valid.

    Renewals follow each other every 36 months from the original expiry, so the
    date only moves when the previous renewal would itself have lapsed.
    """
    expiry = ocop.certificate_expiry(decided_on)
    if expiry > today:
        return None
    renewed_on = expiry
    while ocop.certificate_expiry(renewed_on) <= today:
        renewed_on = ocop.certificate_expiry(renewed_on)
    return renewed_on


# --- Illustrative numbers: deterministic per product --------------------------------


def _digest(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")


def demo_price(demo: DemoProduct) -> Decimal:
    """A price in whole thousands (multiples of 5.000 ₫) in the group's range."""
    low, high = PRICE_RANGES.get(demo.group, PRICE_RANGES["food"])
    steps = (high - low) // 5_000
    return Decimal(low + (_digest("price", demo.title) % (steps + 1)) * 5_000)


def demo_stock(demo: DemoProduct) -> int:
    return 8 + _digest("stock", demo.title) % 113


def demo_weight(demo: DemoProduct) -> int:
    low, high = WEIGHT_RANGES.get(demo.group, WEIGHT_RANGES["food"])
    return low + (_digest("weight", demo.title) % ((high - low) // 50 + 1)) * 50


def demo_description(demo: DemoProduct) -> str:
    """HTML, as Oscar's product page expects; only the facts products.csv gives."""
    lines = [
        f"Sản phẩm được công nhận OCOP {demo.stars} sao năm {demo.year}, "
        f"do {demo.producer} ({demo.district}, Quảng Nam) sản xuất.",
    ]
    if "group" in demo.inferred:
        lines.append("Nhóm sản phẩm được suy ra từ tên sản phẩm, chưa đối chiếu.")
    lines.append("Hình ảnh, giá bán và số lượng trong kho là dữ liệu minh hoạ.")
    return "".join(f"<p>{line}</p>" for line in lines)


def demo_description_en(demo: DemoProduct) -> str:
    """Plain text (the English product page shows it with line breaks)."""
    lines = [
        f"Certified as a {demo.stars}-star OCOP product in {demo.year}; "
        f"made by {demo.producer} ({demo.district}, Quảng Nam).",
    ]
    if "group" in demo.inferred:
        lines.append("The product group is inferred from the product's name, not checked.")
    lines.append("Pictures, prices and stock are illustrative.")
    return "\n\n".join(lines)


def producer_story(demo: DemoProduct) -> str:
    story = f"Chủ thể OCOP tại {demo.district}, Quảng Nam."
    inferred = tuple(fact for fact in ("name", "kind", "district") if fact in demo.inferred)
    if inferred in INFERRED_PRODUCER_FACTS:
        story += " " + INFERRED_PRODUCER_FACTS[inferred]
    return story


def estimated_date_note(demo: DemoProduct) -> str:
    note = f"Ngày quyết định được ước tính từ năm công nhận ({demo.year}); chưa có số quyết định."
    if "year" in demo.inferred:
        note += " Năm công nhận cũng được suy ra, chưa đối chiếu."
    return note


# --- Pictures -------------------------------------------------------------------------

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _font(size: int, *, bold: bool = False):
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(FONT_DIR / name), size)
    except OSError:
        return ImageFont.load_default(size=size)


def _star(centre: tuple[float, float], radius: float) -> list[tuple[float, float]]:
    import math

    points = []
    for index in range(10):
        angle = math.pi / 2 + index * math.pi / 5
        r = radius if index % 2 == 0 else radius * 0.42
        points.append((centre[0] + r * math.cos(angle), centre[1] - r * math.sin(angle)))
    return points


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def draw_product_image(demo: DemoProduct, *, size: int = 600) -> bytes:
    """A JPEG card: the group's colour, the stars, the product name and its producer."""
    from PIL import Image, ImageDraw

    dark, light = GROUP_COLOURS.get(demo.group, GROUP_COLOURS["food"])
    image = Image.new("RGB", (size, size), dark)
    draw = ImageDraw.Draw(image)
    margin = size // 20
    draw.rounded_rectangle((margin, margin, size - margin, size - margin), radius=size // 25, fill=light)

    gold = (230, 170, 20)
    radius = size / 22
    spacing = radius * 2.4
    first = size / 2 - spacing * (demo.stars - 1) / 2
    for index in range(demo.stars):
        draw.polygon(_star((first + index * spacing, size * 0.17), radius), fill=gold, outline=dark)
    label = f"OCOP {demo.stars} sao · {demo.year}"  # the year it was certified: the picture does not age
    draw.text((size / 2, size * 0.27), label, font=_font(size // 24, bold=True), fill=dark, anchor="mm")

    box = size - 4 * margin
    for font_size in range(size // 12, size // 30, -2):
        font = _font(font_size, bold=True)
        lines = _wrap(draw, demo.title, font, box)
        line_height = font_size * 1.25
        if len(lines) * line_height <= size * 0.36 and all(draw.textlength(line, font=font) <= box for line in lines):
            break
    top = size * 0.53 - line_height * len(lines) / 2
    for index, line in enumerate(lines):
        draw.text((size / 2, top + line_height * (index + 0.5)), line, font=font, fill=(33, 33, 33), anchor="mm")

    small = _font(size // 32)
    for index, line in enumerate(textwrap.wrap(f"{demo.producer} · {demo.district}", width=44)[:2]):
        draw.text((size / 2, size * 0.78 + index * size / 26), line, font=small, fill=dark, anchor="mm")
    draw.text((size / 2, size * 0.89), IMAGE_CAPTION, font=_font(size // 40), fill=(120, 120, 120), anchor="mm")

    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


# --- Loading --------------------------------------------------------------------------


def _producer(demo: DemoProduct, districts: dict[str, District]) -> Producer:
    partner, _created = Partner.objects.get_or_create(name=demo.producer)
    producer, _created = Producer.objects.update_or_create(
        partner=partner,
        defaults={"kind": demo.producer_kind, "district": districts[demo.district], "story": producer_story(demo)},
    )
    return producer


def _certificates(product: Product, demo: DemoProduct, *, today: datetime.date) -> tuple[int, bool]:
    """The real certificate and, for most lapsed ones, an illustrative renewal.

    Returns (certificates written, whether the product is left lapsed).
    """
    decided_on = demo.decision_date or estimated_decision_date(demo.year, today=today)
    OcopCertificate.objects.update_or_create(
        product=product,
        kind=OcopCertificate.Kind.NEW,
        decision_number=demo.decision_number,
        decision_date=decided_on,
        defaults={
            "stars": demo.stars,
            "score": demo.score,
            "level": demo.level,
            "status": OcopCertificate.Status.VERIFIED,
            "note": "" if demo.decision_date else estimated_date_note(demo),
        },
    )
    renewed_on = renewal_date(decided_on, today=today)
    if renewed_on is None:
        return 1, False
    if demo.keeps_lapsed:
        return 1, True
    OcopCertificate.objects.update_or_create(
        product=product,
        decision_number=f"{RENEWAL_PREFIX}{demo.row}",
        defaults={
            "kind": OcopCertificate.Kind.RENEWAL,
            "decision_date": renewed_on,
            "stars": demo.stars,
            "score": None,
            "level": ocop.CERTIFYING_LEVEL[demo.stars],  # a renewal decided today: today's level
            "status": OcopCertificate.Status.VERIFIED,
            "note": RENEWAL_NOTE,
        },
    )
    return 2, False


@transaction.atomic
def load_demo(*, today: datetime.date | None = None, images: bool = True) -> DemoSummary:
    """Load (or refresh) the 43 demo products with producers, certificates, stock and pictures."""
    today = today or timezone.localdate()
    demos = read_demo_products()
    districts = {district.name: district for district in District.objects.all()}
    groups = {category.code: category for category in Category.objects.filter(depth=1)}
    product_class = ocop_product_class()
    summary = DemoSummary()
    producers = set()

    for demo in demos:
        producer = _producer(demo, districts)
        producers.add(producer.pk)
        product, _created = Product.objects.update_or_create(
            title=demo.title,
            defaults={
                "structure": Product.STANDALONE,
                "product_class": product_class,
                "producer": producer,
                "slug": ocop.slugify_vi(demo.title),
                "description": demo_description(demo),
                "description_en": demo_description_en(demo),
                "weight_grams": demo_weight(demo),
                "is_public": True,
            },
        )
        product.categories.set([groups[demo.group]])
        written, lapsed = _certificates(product, demo, today=today)
        summary.certificates += written
        summary.renewals += written - 1
        if lapsed:
            summary.lapsed.append(demo.title)
        StockRecord.objects.update_or_create(
            product=product,
            partner=producer.partner,
            defaults={
                "partner_sku": demo.sku,
                "price_currency": settings.OSCAR_DEFAULT_CURRENCY,
                "price": demo_price(demo),
                "num_in_stock": demo_stock(demo),
            },
        )
        if images and not product.images.exists():
            picture = ContentFile(draw_product_image(demo), name=f"{demo.sku.lower()}.jpg")
            ProductImage.objects.create(product=product, original=picture, caption=IMAGE_CAPTION, display_order=0)
            summary.images_created += 1
        summary.products += 1

    summary.producers = len(producers)
    outlets_demo.load_demo_outlets()  # demo sales points and their stock (outlets/demo.py)
    configure_site()
    ensure_demo_accounts()
    return summary


# --- Site and accounts ----------------------------------------------------------------


def configure_site() -> Site:
    site, _created = Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": SITE_DOMAIN, "name": settings.OSCAR_SHOP_NAME}
    )
    return site


def _editor_group() -> Group:
    from cms.roles import ensure_department_groups

    editors, _reviewers = ensure_department_groups()
    return editors


def _prefer_vietnamese_admin(user) -> None:
    from cms.roles import prefer_vietnamese_admin

    prefer_vietnamese_admin(user)


def _user(account: DemoAccount, **flags):
    user, _created = get_user_model().objects.update_or_create(
        username=account.username, defaults={"email": account.email, "is_active": True, **flags}
    )
    if not user.check_password(account.password):
        user.set_password(account.password)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def ensure_demo_accounts() -> list[DemoAccount]:
    """Create (or reset) the four demo accounts; returns them with their passwords."""
    customer, producer, editor, admin, point_manager = DEMO_ACCOUNTS
    _user(customer, first_name="Khách", last_name="Hàng", is_staff=False, is_superuser=False)

    producer_user = _user(producer, first_name="Nhà", last_name="Sản Xuất", is_staff=False, is_superuser=False)
    partner = Partner.objects.filter(name=DEMO_PRODUCER).first()
    if partner is not None:
        partner.users.add(producer_user)

    editor_user = _user(editor, first_name="Biên", last_name="Tập", is_staff=False, is_superuser=False)
    editor_user.groups.add(_editor_group())
    _prefer_vietnamese_admin(editor_user)

    _user(admin, first_name="Quản", last_name="Trị", is_staff=True, is_superuser=True)
    outlets_demo.link_demo_manager(
        _user(point_manager, first_name="Điểm", last_name="Bán", is_staff=False, is_superuser=False)
    )
    return list(DEMO_ACCOUNTS)
