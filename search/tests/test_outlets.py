"""Sales points found by the search backend: Elasticsearch's sales point index (osmem-server, started by
conftest.py) when it is the backend, the database otherwise or when it fails."""

import pytest
from django.urls import reverse

from catalog.tests.factories import DistrictFactory
from outlets.tests.factories import make_outlet
from search.backends import get_backend
from search.models import SearchOutbox

pytestmark = pytest.mark.django_db

TAM_KY = ("15.5736", "108.4740")
DA_NANG = ("16.0544", "108.2022")
MAP_QUERIES = 8  # as shop/outlets/tests/test_pages.py: the search backend's answer costs no extra query


@pytest.fixture
def three_points():
    tam_ky = DistrictFactory(name="Tam Kỳ", slug="tam-ky")
    make_outlet(name="Điểm bán OCOP Hội An", street="12 Trần Phú")  # the factory's district: Hội An
    make_outlet(
        name="Trung tâm OCOP tỉnh", kind="provincial_centre", district=tam_ky, street="5 Hùng Vương",
        lat=TAM_KY[0], lng=TAM_KY[1],
    )  # fmt: skip
    make_outlet(name="Điểm Đà Nẵng", street="40 Bạch Đằng", lat=DA_NANG[0], lng=DA_NANG[1])
    make_outlet(name="Điểm bán đã đóng cửa", street="1 Trần Phú", is_open=False)


def names(**asked) -> list[str]:
    from search.selectors import sales_points

    return [outlet.name for outlet in sales_points(**asked)]


def check_finding(near):
    assert names(query="tran phu") == ["Điểm bán OCOP Hội An"]  # the closed one is not listed
    assert names(query="Trần Phú") == ["Điểm bán OCOP Hội An"]
    assert names(query="hung vuong tam ky") == ["Trung tâm OCOP tỉnh"]  # street and former district
    assert names(query="trung tam") == ["Trung tâm OCOP tỉnh"]  # the kind's name, and the point's
    assert names(kind="provincial_centre") == ["Trung tâm OCOP tỉnh"]
    assert names(district="tam-ky") == ["Trung tâm OCOP tỉnh"]
    assert names(near=near) == ["Trung tâm OCOP tỉnh", "Điểm bán OCOP Hội An", "Điểm Đà Nẵng"]
    assert names(query="diem", near=near) == ["Điểm bán OCOP Hội An", "Điểm Đà Nẵng"]
    assert names(query="xyz") == []


def test_elasticsearch_finds_sales_points_by_folded_name_and_address_nearest_first(
    elasticsearch, search_sync, three_points
):
    assert SearchOutbox.objects.filter(kind="outlet").count() == 4  # written with the points
    search_sync()
    assert elasticsearch.client.count(index=elasticsearch.outlets_alias)["count"] == 4

    check_finding(near=(15.57, 108.47))
    assert names(query="tran phuu") == ["Điểm bán OCOP Hội An"]  # a typo, forgiven by Elasticsearch


def test_the_database_finds_sales_points_the_same_way(three_points):
    check_finding(near=(15.57, 108.47))


def test_closing_a_sales_point_takes_it_off_the_elasticsearch_listing(elasticsearch, search_sync, three_points):
    from outlets.models import Outlet

    search_sync()
    point = Outlet.objects.get(name="Điểm Đà Nẵng")
    point.is_open = False
    point.save()
    assert elasticsearch.find_outlets("bach dang") == [point.pk]  # not sent yet,
    assert names(query="bach dang") == []  # but the listing never shows a closed point

    search_sync()

    assert elasticsearch.find_outlets("bach dang") == []


def test_the_map_page_searches_sales_points_on_elasticsearch(
    elasticsearch, search_sync, three_points, client, django_assert_max_num_queries
):
    search_sync()

    with django_assert_max_num_queries(MAP_QUERIES):
        response = client.get(reverse("outlets:map"), {"q": "tran phu", "lat": "15.57", "lng": "108.47"})

    assert [outlet.name for outlet in response.context["outlets"]] == ["Điểm bán OCOP Hội An"]
    html = response.content.decode()
    assert "Điểm bán OCOP Hội An" in html and "Điểm Đà Nẵng" not in html
    assert 'value="tran phu"' in html
    assert get_backend().breaker.opened_at is None  # Elasticsearch answered
