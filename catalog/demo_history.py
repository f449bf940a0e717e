"""DEMO DATA: a made-up history of OCOP certifications since 2019, sized to the province's published totals.

The province published 407 certified products from 325 producers (food 302,
beverages 32, herbal 24, handicraft 47, tourism 2; 61 at 4★ and 346 at 3★),
before the 2025 merger into Đà Nẵng and its first 5★ central certificates. The
43 real products (``catalog/demo.py``) cover 41 of them; this module adds the
other 366 as clearly marked demo rows, so the programme dashboard's charts and
gaps show a believable picture: first certifications spread over 2019–2024,
former districts and current communes, upgrades from 3★ to 4★, renewals and
lapses up to today.

What a visitor sees of them, and why:

- they are **registry entries, not goods**: ``is_public=False`` and no stock
  record, so they never appear in the storefront, search or producer shops and
  can never be put in a basket (366 unbuyable cards would bury the 43 real
  products);
- their certificates are in the public registry (``/chung-nhan/``) and the open
  data, because that is what the dashboard's figures are built from; every one
  says so: product "… (demo 001)", producer "… (demo 001)", decision number
  ``DEMO-LS-…``, note "Lịch sử minh hoạ …".

Rows are written with ``bulk_create`` (well under a second); products are keyed
by their UPC ``DEMO-LS-0001`` and producers by their partner code ``demo-ls-…``.
Loading again keeps what is there; a changed plan is replaced whole.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from django.db import connection, transaction
from django.utils import timezone
from oscar.core.loading import get_model

from catalog import ocop
from catalog.demo import estimated_decision_date, read_demo_products

Category = get_model("catalogue", "Category")
District = get_model("catalogue", "District")
OcopCertificate = get_model("catalogue", "OcopCertificate")
Partner = get_model("partner", "Partner")
Producer = get_model("catalogue", "Producer")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")

# The province's published totals (Quảng Nam OCOP programme), as of the end of 2024.
PROVINCE_PRODUCTS_BY_GROUP = {"food": 302, "beverage": 32, "herbal": 24, "handicraft": 47, "tourism": 2}
PROVINCE_PRODUCTS_BY_STARS = {4: 61, 3: 346}
PROVINCE_PRODUCERS = 325
TOTALS_AS_OF = datetime.date(2024, 12, 31)

UPC_PREFIX = "DEMO-LS-"
PARTNER_PREFIX = "demo-ls-"
DECISION_PREFIX = "DEMO-LS-"
NOTE = "Lịch sử minh hoạ dựng từ tổng số của tỉnh (dữ liệu demo)"
STORY = "Chủ thể minh hoạ cho lịch sử chứng nhận OCOP (dữ liệu demo), không phải một cơ sở có thật."
SEED = 2019

# First certifications of the demo products per year (they add up to 366 with the real ones' 41 making 407).
NEW_PER_YEAR_WEIGHTS = {2019: 22, 2020: 19, 2021: 15, 2022: 15, 2023: 15, 2024: 14}
# Of the demo products at 4★ first certified by 2021, this share started at 3★ and was upgraded.
UPGRADED_SHARE = 0.6
# Of the certificates that reached their 36 months, this share was renewed in time; the rest lapsed.
RENEWED_SHARE = 0.65
# Of the 3★ renewals decided after 2024, this share came with a 4th star.
LATE_UPGRADE_SHARE = 0.15

# Former district -> how many demo producers it gets (weight), and its current (2025) communes and wards.
# The communes are real 2025 units of Đà Nẵng (``outlets.geography``); which former district each lies in
# is by name and official code order, good for a demo, not for an address.
DISTRICT_COMMUNES = {
    "Tam Kỳ": (22, ["Phường Bàn Thạch", "Phường Tam Kỳ", "Phường Hương Trà", "Phường Quảng Phú"]),
    "Phú Ninh": (18, ["Xã Chiên Đàn", "Xã Tây Hồ", "Xã Phú Ninh"]),
    "Hội An": (30, ["Phường Hội An", "Phường Hội An Đông", "Phường Hội An Tây", "Xã Tân Hiệp"]),
    "Tây Giang": (14, ["Xã Hùng Sơn", "Xã Tây Giang", "Xã Avương"]),
    "Đông Giang": (14, ["Xã Đông Giang", "Xã Sông Kôn", "Xã Sông Vàng", "Xã Bến Hiên"]),
    "Đại Lộc": (28, ["Xã Đại Lộc", "Xã Thượng Đức", "Xã Hà Nha", "Xã Vu Gia", "Xã Phú Thuận"]),
    "Điện Bàn": (
        32,
        ["Phường Điện Bàn", "Phường Điện Bàn Bắc", "Phường Điện Bàn Đông", "Phường An Thắng", "Xã Điện Bàn Tây"],
    ),
    "Duy Xuyên": (30, ["Xã Duy Xuyên", "Xã Duy Nghĩa", "Xã Nam Phước", "Xã Thu Bồn"]),
    "Quế Sơn": (20, ["Xã Quế Sơn", "Xã Quế Sơn Trung", "Xã Xuân Phú"]),
    "Nông Sơn": (12, ["Xã Nông Sơn", "Xã Quế Phước"]),
    "Nam Giang": (12, ["Xã Thạnh Mỹ", "Xã Nam Giang", "Xã La Êê", "Xã Bến Giằng"]),
    "Phước Sơn": (10, ["Xã Khâm Đức", "Xã Phước Thành", "Xã Phước Năng"]),
    "Hiệp Đức": (12, ["Xã Hiệp Đức", "Xã Việt An", "Xã Phước Trà"]),
    "Thăng Bình": (30, ["Xã Thăng Bình", "Xã Thăng An", "Xã Đồng Dương", "Xã Thăng Phú", "Xã Thăng Điền"]),
    "Tiên Phước": (26, ["Xã Tiên Phước", "Xã Sơn Cẩm Hà", "Xã Lãnh Ngọc", "Xã Thạnh Bình"]),
    "Bắc Trà My": (18, ["Xã Trà My", "Xã Trà Đốc", "Xã Trà Giáp", "Xã Trà Liên"]),
    "Nam Trà My": (16, ["Xã Nam Trà My", "Xã Trà Linh", "Xã Trà Tập", "Xã Trà Vân"]),
    "Núi Thành": (22, ["Xã Núi Thành", "Xã Tam Xuân", "Xã Tam Anh", "Xã Tam Mỹ", "Xã Tam Hải"]),
}

# What the demo products are called, per OCOP group (the place name follows).
NAMES = {
    "food": [
        "Nước mắm",
        "Mắm cá cơm",
        "Bánh tráng",
        "Mì Quảng khô",
        "Bánh tổ",
        "Gạo lứt",
        "Mật ong rừng",
        "Quế thanh",
        "Tiêu đen",
        "Trà xanh",
        "Chè dây",
        "Măng khô",
        "Nấm linh chi",
        "Tỏi đen",
        "Kẹo gương",
        "Dầu phụng",
        "Tương ớt",
        "Bánh đa",
    ],
    "beverage": ["Rượu Hồng Đào", "Rượu ba kích", "Rượu cần", "Nước yến", "Trà sâm dây túi lọc"],
    "herbal": ["Cao dược liệu", "Xà phòng thảo dược", "Tinh dầu quế", "Tinh dầu sả", "Trà thảo mộc"],
    "handicraft": ["Tượng gỗ", "Chiếu cói", "Nón lá", "Đèn lồng", "Đồ đồng", "Gốm", "Thổ cẩm", "Mây tre đan"],
    "tourism": ["Du lịch cộng đồng", "Làng nghề du lịch"],
}
PRODUCER_KINDS = {"enterprise": 30, "cooperative": 35, "cooperative_group": 5, "household": 30}
KIND_PREFIX = {
    "enterprise": "Công ty TNHH",
    "cooperative": "HTX",
    "cooperative_group": "THT",
    "household": "Hộ kinh doanh",
}


@dataclass(frozen=True)
class PlannedCertificate:
    stars: int
    decision_date: datetime.date
    kind: str  # "new" or "renewal"


@dataclass
class PlannedProduct:
    index: int
    group: str
    stars: int  # as of TOTALS_AS_OF
    producer: int
    certificates: list[PlannedCertificate] = field(default_factory=list)


@dataclass(frozen=True)
class PlannedProducer:
    index: int
    kind: str
    district: str
    commune: str


@dataclass
class HistorySummary:
    products: int = 0
    producers: int = 0
    certificates: int = 0
    renewals: int = 0
    upgrades: int = 0
    lapsed: int = 0
    created: bool = False


def real_counts() -> tuple[Counter, Counter, int]:
    """The real products' share of the published totals: by group, by stars, and their producers."""
    groups: Counter = Counter()
    stars: Counter = Counter()
    producers = set()
    for demo in read_demo_products():
        decided = demo.decision_date or estimated_decision_date(demo.year, today=TOTALS_AS_OF)
        if decided <= TOTALS_AS_OF:
            groups[demo.group] += 1
            stars[demo.stars] += 1
            producers.add(demo.producer)
    return groups, stars, len(producers)


def _spread(counts: dict, rng: random.Random) -> list:
    values = [value for value, count in counts.items() for _ in range(count)]
    rng.shuffle(values)
    return values


def _years(count: int, rng: random.Random) -> list[int]:
    total = sum(NEW_PER_YEAR_WEIGHTS.values())
    years = {year: count * weight // total for year, weight in NEW_PER_YEAR_WEIGHTS.items()}
    for year in list(years)[: count - sum(years.values())]:
        years[year] += 1
    return _spread(years, rng)


def _day_in(year: int, rng: random.Random, today: datetime.date) -> datetime.date:
    return min(datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365)), TOTALS_AS_OF, today)


def _chain(product: PlannedProduct, first: datetime.date, rng: random.Random, today: datetime.date) -> None:
    """A product's certificates: the first, maybe an upgrade, then renewals until one lapses or is valid."""
    upgraded = product.stars == 4 and first.year <= 2021 and rng.random() < UPGRADED_SHARE
    current = PlannedCertificate(3 if upgraded else product.stars, first, OcopCertificate.Kind.NEW)
    product.certificates.append(current)
    if upgraded:
        # Upgraded 18–33 months in, before the 3★ certificate lapsed.
        day = min(ocop.add_months(first, 18 + rng.randrange(16)), TOTALS_AS_OF)
        current = PlannedCertificate(4, day, OcopCertificate.Kind.RENEWAL)
        product.certificates.append(current)
    while ocop.certificate_expiry(current.decision_date) <= today:
        if rng.random() >= RENEWED_SHARE:
            return  # lapsed
        day = ocop.certificate_expiry(current.decision_date) - datetime.timedelta(days=5 + rng.randrange(55))
        stars = current.stars
        if stars == 3 and day > TOTALS_AS_OF and rng.random() < LATE_UPGRADE_SHARE:
            stars = 4
        current = PlannedCertificate(stars, day, OcopCertificate.Kind.RENEWAL)
        product.certificates.append(current)


def plan(today: datetime.date, *, seed: int = SEED) -> tuple[list[PlannedProducer], list[PlannedProduct]]:
    """The demo producers and products that, with the real ones, make up the published totals."""
    rng = random.Random(seed)
    real_groups, real_stars, real_producers = real_counts()
    groups = _spread({g: n - real_groups[g] for g, n in PROVINCE_PRODUCTS_BY_GROUP.items()}, rng)
    stars = _spread({s: n - real_stars[s] for s, n in PROVINCE_PRODUCTS_BY_STARS.items()}, rng)
    assert len(groups) == len(stars), "the published totals by group and by stars disagree"
    count = len(groups)

    district_names = list(DISTRICT_COMMUNES)
    weights = [DISTRICT_COMMUNES[name][0] for name in district_names]
    kinds, kind_weights = zip(*PRODUCER_KINDS.items(), strict=True)
    producers = []
    for index in range(PROVINCE_PRODUCERS - real_producers):
        district = rng.choices(district_names, weights)[0]
        producers.append(
            PlannedProducer(
                index + 1, rng.choices(kinds, kind_weights)[0], district, rng.choice(DISTRICT_COMMUNES[district][1])
            )
        )
    # Every demo producer has at least one product; the rest go to producers drawn at random.
    owners = list(range(len(producers))) + [rng.randrange(len(producers)) for _ in range(count - len(producers))]
    products = []
    rows = zip(groups, stars, owners, _years(count, rng), strict=True)
    for index, (group, star, owner, year) in enumerate(rows, start=1):
        product = PlannedProduct(index, group, star, owner)
        _chain(product, _day_in(year, rng, today), rng, today)
        products.append(product)
    return producers, products


def _level(stars: int, day: datetime.date) -> str:
    """Before Decision 148/QĐ-TTg (2023) the province certified 3★ and 4★; since then the district certifies 3★."""
    return "province" if day.year < 2023 else ocop.CERTIFYING_LEVEL[stars]


def _place(commune: str) -> str:
    return commune.split(" ", 1)[1]


def delete_history() -> None:
    """Remove the demo history; certificates and group links go raw, so no receiver rewrites rows being deleted."""
    products = Product.objects.filter(upc__startswith=UPC_PREFIX)
    for model in (OcopCertificate, ProductCategory):
        model.objects.filter(product__in=products.values("pk"))._raw_delete(connection.alias)
    products.delete()
    Producer.objects.filter(partner__code__startswith=PARTNER_PREFIX).delete()
    Partner.objects.filter(code__startswith=PARTNER_PREFIX).delete()


@transaction.atomic
def load_demo_history(*, today: datetime.date | None = None) -> HistorySummary:
    """Write the demo history in bulk (once: a later load keeps it unless the plan changed)."""
    today = today or timezone.localdate()
    planned_producers, planned_products = plan(today)
    summary = HistorySummary(products=len(planned_products), producers=len(planned_producers))
    for product in planned_products:
        summary.certificates += len(product.certificates)
        summary.renewals += len(product.certificates) - 1
        summary.upgrades += sum(b.stars > a.stars for a, b in pairwise(product.certificates))
        summary.lapsed += ocop.certificate_expiry(product.certificates[-1].decision_date) <= today
    existing = Product.objects.filter(upc__startswith=UPC_PREFIX).count()
    if existing == len(planned_products):
        return summary
    delete_history()
    summary.created = True

    districts = {district.name: district for district in District.objects.all()}
    categories = {category.code: category for category in Category.objects.filter(depth=1)}
    partners = Partner.objects.bulk_create(
        [
            Partner(
                code=f"{PARTNER_PREFIX}{p.index:03d}",
                name=f"{KIND_PREFIX[p.kind]} {_place(p.commune)} (demo {p.index:03d})",
            )
            for p in planned_producers
        ]
    )
    producers = Producer.objects.bulk_create(
        [
            Producer(
                partner=partner,
                kind=p.kind,
                district=districts[p.district],
                commune=p.commune,
                email=f"{partner.code}@demo.ocop.vn",  # so the renewal pipeline has someone to contact
                story=STORY,
            )
            for partner, p in zip(partners, planned_producers, strict=True)
        ]
    )
    rows = []
    for p in planned_products:
        producer = producers[p.producer]
        title = f"{NAMES[p.group][p.index % len(NAMES[p.group])]} {_place(producer.commune)} (demo {p.index:03d})"
        rows.append(
            Product(
                structure=Product.STANDALONE,
                upc=f"{UPC_PREFIX}{p.index:04d}",
                title=title,
                slug=ocop.slugify_vi(title),
                description=f"<p>{NOTE}.</p>",
                description_en="Made-up certification history built from the province's published totals (demo data).",
                producer=producer,
                is_public=False,  # a registry entry, not goods: see the module's docstring
            )
        )
    products = Product.objects.bulk_create(rows)
    ProductCategory.objects.bulk_create(
        [
            ProductCategory(product=product, category=categories[p.group])
            for product, p in zip(products, planned_products, strict=True)
        ]
    )
    OcopCertificate.objects.bulk_create(
        [
            OcopCertificate(
                product=product,
                stars=c.stars,
                decision_number=f"{DECISION_PREFIX}{p.index:04d}/{n}",
                decision_date=c.decision_date,
                valid_until=ocop.certificate_expiry(c.decision_date),  # save() computes it; bulk_create does not
                level=_level(c.stars, c.decision_date),
                kind=c.kind,
                status=OcopCertificate.Status.VERIFIED,
                note=NOTE,
            )
            for product, p in zip(products, planned_products, strict=True)
            for n, c in enumerate(p.certificates, start=1)
        ],
        batch_size=1000,
    )
    return summary
