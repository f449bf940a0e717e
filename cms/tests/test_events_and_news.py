"""Event and news pages: listed, paginated, English versions with a Vietnamese fallback, an RSS feed."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.tests.factories import ProducerFactory, make_certified_product
from cms.tests.factories import make_event, make_news

pytestmark = pytest.mark.django_db


def test_the_news_section_lists_news_newest_first_twelve_a_page(client, sections):
    today = timezone.localdate()
    for day in range(14):
        make_news(title=f"Tin thử số {day}", date=today - datetime.timedelta(days=day))

    first = client.get("/tin-tuc/").content.decode()
    second = client.get("/tin-tuc/?page=2").content.decode()

    assert first.index("Tin thử số 0<") < first.index("Tin thử số 1<")
    assert "Tin thử số 11<" in first and "Tin thử số 12<" not in first
    assert "Tin thử số 12<" in second and "Tin thử số 13<" in second
    assert "Trang 1 / 2" in first


def test_the_news_rss_feed_carries_the_latest_items(client, sections):
    make_news(title="Quảng Nam có thêm 20 sản phẩm OCOP", summary="Tỉnh công nhận thêm sản phẩm mới.")

    response = client.get("/tin-tuc/?format=rss")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = response.content.decode()
    assert "<title>Quảng Nam có thêm 20 sản phẩm OCOP</title>" in feed
    assert "Tỉnh công nhận thêm sản phẩm mới." in feed
    assert "/tin-tuc/" in feed


def test_an_english_news_page_falls_back_to_vietnamese_where_left_empty(client, sections, settings):
    make_news(title="Hội chợ OCOP", title_en="OCOP fair", summary="Tóm tắt tiếng Việt")
    settings.LANGUAGE_CODE = "en"

    listing = client.get("/tin-tuc/").content.decode()
    page = client.get("/tin-tuc/hoi-cho-ocop/").content.decode()

    assert "OCOP fair" in listing and "Tóm tắt tiếng Việt" in listing
    assert "OCOP fair" in page and "Tóm tắt tiếng Việt" in page
    assert "News" in listing


def test_the_events_section_shows_upcoming_events_before_past_ones(client, sections):
    make_event(title="Hội chợ Tết 2027", starts_in_days=20)
    make_event(title="Tuần lễ OCOP đã qua", starts_in_days=-30, days=2)

    page = client.get("/su-kien/").content.decode()

    assert page.index("Hội chợ Tết 2027") < page.index("Sự kiện đã qua") < page.index("Tuần lễ OCOP đã qua")


def test_an_event_shows_its_venue_map_pin_and_the_buyable_products_of_its_producers(
    client, sections, django_assert_max_num_queries
):
    producer = ProducerFactory()
    on_sale = make_certified_product(title="Trà thảo mộc hội chợ", producer=producer)
    make_certified_product(title="Bánh tráng hết hạn", producer=producer, lapsed=True)
    make_certified_product(title="Nước mắm hết hàng", producer=producer, stock=0)
    event = make_event(
        title="Hội chợ OCOP Đà Nẵng",
        producers=[producer],
        latitude=Decimal("16.0544"),
        longitude=Decimal("108.2022"),
    )

    with django_assert_max_num_queries(30):
        response = client.get(event.url)

    page = response.content.decode()
    assert producer.name in page
    assert on_sale.title in page
    assert "Bánh tráng hết hạn" not in page
    assert "Nước mắm hết hàng" not in page
    assert "mlat=16.054400" in page
    assert "Công viên 29/3, Đà Nẵng" in page
