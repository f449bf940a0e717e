from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.tests.factories import DistrictFactory, make_certified_product
from outlets.models import StockMovement
from outlets.tests.factories import make_outlet, manager, stock_at

pytestmark = pytest.mark.django_db

# Session, the points (with their district and stock count), districts for the filter: none grows with points.
MAP_QUERIES = 8
PRODUCT_PAGE_EXTRA = 1


def test_the_map_lists_and_pins_every_open_point_in_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for n in range(10):
        make_outlet(name=f"Điểm {n:03d}")
    make_outlet(name="Điểm đã đóng", is_open=False)
    with django_assert_max_num_queries(MAP_QUERIES):
        few = client.get(reverse("outlets:map"))
    for n in range(10, 200):
        make_outlet(name=f"Điểm {n:03d}")
    with django_assert_max_num_queries(MAP_QUERIES):
        many = client.get(reverse("outlets:map"))

    assert len(few.context["pins"]) == 10 and len(many.context["pins"]) == 200
    html = many.content.decode()
    assert "Điểm 199" in html and "Điểm đã đóng" not in html
    assert "vendor/leaflet/leaflet.js" in html and "unpkg" not in html and "cdn" not in html.lower()


def test_nearest_first_is_ordered_by_distance_from_the_browser():
    hoi_an = make_outlet(name="Hội An", lat="15.8801", lng="108.3380")
    tam_ky = make_outlet(name="Tam Kỳ", lat="15.5736", lng="108.4740")
    da_nang = make_outlet(name="Đà Nẵng", lat="16.0544", lng="108.2022")
    response = Client().get(reverse("outlets:map"), {"lat": "15.57", "lng": "108.47"})

    assert [o.name for o in response.context["outlets"]] == ["Tam Kỳ", "Hội An", "Đà Nẵng"]
    assert 0 <= response.context["outlets"][0].distance < 1
    assert 30 < response.context["outlets"][1].distance < 45
    assert response.context["outlets"][2] == da_nang and {hoi_an, tam_ky} < set(response.context["outlets"])


def test_the_map_filters_by_kind_and_area(client):
    make_outlet(name="Điểm Hội An")
    make_outlet(
        name="Trung tâm Tam Kỳ", kind="provincial_centre", district=DistrictFactory(name="Tam Kỳ", slug="tam-ky")
    )

    by_kind = client.get(reverse("outlets:map"), {"kind": "provincial_centre"}).context["outlets"]
    by_area = client.get(reverse("outlets:map"), {"district": "hoi-an"}).context["outlets"]

    assert [o.name for o in by_kind] == ["Trung tâm Tam Kỳ"]
    assert [o.name for o in by_area] == ["Điểm Hội An"]


def test_a_point_page_shows_its_address_hours_directions_and_what_it_holds(client):
    point = make_outlet(name="Điểm bán OCOP Hội An")
    tea = make_certified_product(title="Trà sâm", price=Decimal("150000"))
    stock_at(point, tea, 4)
    stock_at(point, make_certified_product(title="Hết rồi"), 0)

    html = client.get(point.get_absolute_url()).content.decode()

    assert "Phường Hội An, Thành phố Đà Nẵng" in html and "7:00–21:00" in html
    assert "google.com/maps/dir" in html
    assert "Trà sâm" in html and "150.000" in html and "Hết rồi" not in html


def test_the_product_page_says_which_points_hold_it_in_a_constant_number_of_queries(
    client, django_assert_max_num_queries
):
    tea = make_certified_product(title="Trà sâm")
    baseline_url = tea.get_absolute_url()
    client.get(baseline_url)  # warm the session
    with CaptureQueriesContext(connection) as without_points:
        client.get(baseline_url)
    for n in range(10):
        stock_at(make_outlet(name=f"Điểm {n:03d}"), tea, 2)
    with CaptureQueriesContext(connection) as ten:
        few = client.get(baseline_url)
    for n in range(10, 200):
        stock_at(make_outlet(name=f"Điểm {n:03d}"), tea, 2)
    with django_assert_max_num_queries(len(ten.captured_queries)):
        many = client.get(baseline_url)

    assert len(ten.captured_queries) <= len(without_points.captured_queries) + PRODUCT_PAGE_EXTRA
    assert "Điểm 000" in few.content.decode()
    assert 'data-testid="available-at"' in many.content.decode()


def test_a_product_whose_certificate_lapsed_is_not_offered_at_the_points_that_still_hold_it(client):
    honey = make_certified_product(title="Mật ong", lapsed=True)
    stock_at(make_outlet(name="Điểm bán OCOP Hội An"), honey, 5)

    html = client.get(honey.get_absolute_url()).content.decode()

    assert "Ngừng bán: giấy chứng nhận OCOP đã hết hạn" in html
    assert 'data-testid="available-at"' not in html and "Điểm bán OCOP Hội An" not in html


def test_a_manager_records_a_counter_sale_by_sku_from_a_phone(client):
    ana = manager("ana@example.vn")
    point = make_outlet(managers=[ana])
    tea = make_certified_product(title="Trà sâm")
    record = stock_at(point, tea, 5)
    client.force_login(ana)

    response = client.post(
        reverse("outlets:counter", kwargs={"slug": point.slug}),
        {"code": record.partner_sku.lower(), "kind": "sale", "quantity": "2", "reason": ""},
        follow=True,
    )

    assert response.status_code == 200
    record.refresh_from_db()
    assert record.num_in_stock == 3
    assert StockMovement.objects.filter(kind="sale", on_hand_delta=-2, created_by=ana).exists()
    refused = client.post(
        reverse("outlets:counter", kwargs={"slug": point.slug}),
        {"code": record.partner_sku, "kind": "sale", "quantity": "9", "reason": ""},
    )
    assert refused.status_code == 200 and "Trà sâm" in refused.content.decode()
    record.refresh_from_db()
    assert record.num_in_stock == 3
