"""Demo editorial content (clearly marked as demo): a running Tết campaign, an upcoming fair, two news items.

``load_demo`` calls ``load_cms_demo`` after the catalogue. Each page is found by
its slug, so loading again refreshes the campaign's window (it always runs
"now" on a demo machine) and leaves one of each.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.selectors import browsable_products
from cms.models import CampaignIndexPage, CampaignPage, EventIndexPage, EventPage, NewsIndexPage, NewsPage
from cms.selectors import buyable_products
from cms.services import ensure_site_structure

Producer = get_model("catalogue", "Producer")

DEMO_NOTE = "Dữ liệu demo"
CAMPAIGN_SLUG = "tet-ocop-demo"
FAIR_SLUG = "hoi-cho-ocop-demo"
CAMPAIGN_PRODUCTS = 12


@dataclass
class CmsDemoSummary:
    campaign_products: int = 0
    pages: int = 0


def _upsert(parent, model, slug: str, **fields):
    page = model.objects.filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
    else:
        for name, value in fields.items():
            setattr(page, name, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@transaction.atomic
def load_cms_demo(*, now: datetime.datetime | None = None) -> CmsDemoSummary:
    now = now or timezone.now()
    ensure_site_structure()
    summary = CmsDemoSummary()
    products = buyable_products(browsable_products().order_by("title"), request=None, limit=CAMPAIGN_PRODUCTS)
    summary.campaign_products = len(products)

    _upsert(
        CampaignIndexPage.objects.get(),
        CampaignPage,
        CAMPAIGN_SLUG,
        title="Tết OCOP: giảm 10% đặc sản Quảng Nam (demo)",
        title_en="Tết OCOP: 10% off Quảng Nam specialities (demo)",
        summary=f"Mua quà Tết từ các chủ thể OCOP, giảm 10% cho {len(products)} sản phẩm. {DEMO_NOTE}.",
        summary_en=f"Tết gifts from OCOP producers: 10% off {len(products)} products. Demo data.",
        badge="Tết -10%",
        badge_en="Tết -10%",
        starts_at=now - datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=30),
        discount_kind=CampaignPage.DiscountKind.PERCENTAGE,
        discount_value=Decimal(10),
        discount_scope=CampaignPage.DiscountScope.PRODUCTS,
        budget=Decimal(20_000_000),
        per_customer_limit=None,  # a limited discount is for signed-in customers only: the demo is for everyone
        body=[
            (
                "paragraph",
                "<p>Chương trình khuyến mãi minh hoạ: giá giảm 10% được tính ngay trên trang sản phẩm, "
                "trong giỏ hàng và khi thanh toán (tiền mặt hoặc thẻ). Ngân sách giảm giá 20.000.000 ₫. "
                f"<em>{DEMO_NOTE}.</em></p>",
            ),
            (
                "products",
                {"title": "Quà Tết OCOP giảm 10%", "title_en": "OCOP Tết gifts, 10% off", "products": products},
            ),
        ],
    )
    summary.pages += 1

    producers = list(Producer.objects.filter(products__in=products).distinct().order_by("pk")[:6])
    fair_start = (now + datetime.timedelta(days=20)).replace(hour=8, minute=0, second=0, microsecond=0)
    fair = _upsert(
        EventIndexPage.objects.get(),
        EventPage,
        FAIR_SLUG,
        title="Hội chợ sản phẩm OCOP Quảng Nam (demo)",
        title_en="Quảng Nam OCOP products fair (demo)",
        summary=f"Bốn ngày giới thiệu và bán sản phẩm OCOP của các chủ thể trong tỉnh. {DEMO_NOTE}.",
        summary_en="Four days of OCOP products from the province's producers, on show and for sale. Demo data.",
        starts_at=fair_start,
        ends_at=fair_start + datetime.timedelta(days=3, hours=13),
        venue="Quảng trường 24/3, Tam Kỳ",
        address="Đường Hùng Vương, phường Tam Kỳ, thành phố Đà Nẵng",
        latitude=Decimal("15.573600"),
        longitude=Decimal("108.474000"),
        body=[("paragraph", f"<p>Sự kiện minh hoạ cho trang web. <em>{DEMO_NOTE}.</em></p>")],
    )
    fair.producers.set(producers)
    fair.save_revision().publish()
    summary.pages += 1

    news_index = NewsIndexPage.objects.get()
    for slug, title, title_en, text, days_ago in (
        (
            "chuong-trinh-ocop-demo",
            "Chương trình OCOP Quảng Nam tiếp tục đánh giá, phân hạng sản phẩm (tin demo)",
            "Quảng Nam's OCOP programme goes on rating products (demo news)",
            "Sản phẩm đạt 3 sao trở lên được công nhận trong 36 tháng kể từ ngày quyết định.",
            2,
        ),
        (
            "mua-hang-ocop-demo",
            "Mua sản phẩm OCOP trực tuyến, trả tiền khi nhận hàng (tin demo)",
            "Buy OCOP products online and pay on delivery (demo news)",
            "Khách hàng có thể thanh toán bằng thẻ hoặc tiền mặt khi nhận hàng.",
            5,
        ),
    ):
        _upsert(
            news_index,
            NewsPage,
            slug,
            title=title,
            title_en=title_en,
            summary=f"{text} {DEMO_NOTE}.",
            date=(now - datetime.timedelta(days=days_ago)).date(),
            body=[
                (
                    "paragraph",
                    f"<p>{text}</p><p><em>{DEMO_NOTE}: tin minh hoạ, không phải thông cáo chính thức.</em></p>",
                )
            ],
        )
        summary.pages += 1
    return summary
