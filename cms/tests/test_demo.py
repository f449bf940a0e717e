"""The editorial demo: a running Tết campaign with 10% off a dozen products, an upcoming fair, two news items."""

from decimal import Decimal

import pytest

from catalog.tests.factories import make_certified_product
from cms.demo import load_cms_demo
from cms.models import CampaignPage, EventPage, NewsPage

pytestmark = pytest.mark.django_db


def test_the_demo_runs_a_tet_campaign_an_upcoming_fair_and_two_news_items_marked_as_demo(client, sections):
    products = [
        make_certified_product(title=f"Đặc sản thử {index:02d}", price=Decimal("100000")) for index in range(14)
    ]

    load_cms_demo()
    load_cms_demo()  # idempotent

    campaign = CampaignPage.objects.get()
    assert campaign.live and campaign.offer.is_available()
    assert campaign.offer.benefit.range.included_products.count() == 12
    assert EventPage.objects.get().producers.exists()
    assert NewsPage.objects.count() == 2
    home = client.get("/").content.decode()
    assert "Tết OCOP: giảm 10%" in home and "(demo)" in home
    assert "Hội chợ sản phẩm OCOP Quảng Nam (demo)" in home
    product_page = client.get(products[0].get_absolute_url()).content.decode()
    assert "Tết -10%" in product_page and "90.000" in product_page
    for page in (campaign, EventPage.objects.get(), *NewsPage.objects.all()):
        assert "Dữ liệu demo" in client.get(page.url).content.decode()
