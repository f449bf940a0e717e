"""A search server that is stopped (connections refused) or hangs (accepts connections and never answers):
every listing page still answers with results within 2 s from the database, the failure is logged once
and shown on the health report, and the changes made meanwhile reach the index once the server is back."""

import datetime
import logging
import socket
import time

import pytest
from django.urls import reverse
from django.utils import timezone

import search
from search.backends import get_backend
from search.models import SearchOutbox
from search.selectors import ProductFilters, find_products, group_categories
from search.tests.factories import group, listed_product

pytestmark = pytest.mark.django_db

STOPPED = "http://127.0.0.1:9"  # the discard port: nothing listens, connections are refused


@pytest.fixture
def silent_server():
    """Listens and lets connections in (the kernel's backlog), but never reads nor answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture(params=["hanging", "stopped"])
def broken_elasticsearch(request, settings, silent_server):
    url = silent_server if request.param == "hanging" else STOPPED
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = url
    settings.ELASTICSEARCH_COMPAT_HEADERS = False
    settings.ELASTICSEARCH_INDEX = f"ocop-{request.param}-{silent_server.rsplit(':', 1)[1]}"
    settings.ELASTICSEARCH_WORKER_TIMEOUT = 0.5
    return url


def test_every_listing_page_answers_from_the_database_within_two_seconds_and_logs_it_once(
    broken_elasticsearch, client, caplog
):
    from outlets.tests.factories import make_outlet

    food = group("food")
    listed_product(title="Nước mắm Cửa Đại", category=food.get_children().first())
    listed_product(title="Trà sâm Ngọc Linh", stars=5)
    make_outlet(name="Điểm bán OCOP Hội An", street="12 Trần Phú")

    caplog.set_level(logging.WARNING, logger="search.backends.elasticsearch")
    titles = ["Trà sâm Ngọc Linh", "Nước mắm Cửa Đại"]
    for url, params, expected in (
        (reverse("search:search"), {"q": "nuoc mam"}, ["Nước mắm Cửa Đại"]),
        (reverse("catalogue:index"), {}, titles),
        (
            reverse("catalogue:index"),
            {"sort_by": "price-asc", "stars": "5", "in_stock": "on", "price_max": "1000000"},
            ["Trà sâm Ngọc Linh"],
        ),
        (food.get_absolute_url(), {}, ["Nước mắm Cửa Đại"]),
        (reverse("search:search"), {"q": "tra sam", "page": "1"}, ["Trà sâm Ngọc Linh"]),
        (reverse("outlets:map"), {"q": "tran phu", "lat": "15.57", "lng": "108.47"}, ["Điểm bán OCOP Hội An"]),
        (reverse("search:suggest"), {"q": "nuoc"}, None),
    ):
        started = time.monotonic()
        response = client.get(url, params)
        elapsed = time.monotonic() - started

        assert response.status_code == 200
        assert elapsed < 2, f"{url} took {elapsed:.2f} s"
        if expected is None:  # the suggestions' JSON, checked below
            continue
        if "outlets" in response.context:
            assert [outlet.name for outlet in response.context["outlets"]] == expected
        else:
            assert [product.title for product in response.context["products"]] == expected
    assert response.json()["suggestions"][0]["title"] == "Nước mắm Cửa Đại"
    failures = [record for record in caplog.records if record.name == "search.backends.elasticsearch"]
    assert len(failures) == 1  # once, not once per page
    assert "answering from the database" in failures[0].getMessage()


def test_health_reports_elasticsearch_down_and_the_database_answering_quickly(broken_elasticsearch):
    started = time.monotonic()
    first = search.health()
    second = search.health()

    assert time.monotonic() - started < 1.5
    assert first["status"] == second["status"] == "down"
    assert first["answering"] == "database" and second["circuit"] == "open"


def test_saving_a_product_does_not_wait_for_elasticsearch(broken_elasticsearch):
    started = time.monotonic()
    product = listed_product(title="Bánh tráng Đại Lộc")
    product.title = "Bánh tráng nhúng"
    product.save()

    assert time.monotonic() - started < 1
    assert SearchOutbox.objects.filter(product_id=product.pk).count() >= 2


@pytest.mark.parametrize("fault", ["hanging", "stopped"])
def test_changes_made_while_elasticsearch_is_down_reach_it_once_it_is_back(
    elasticsearch, search_sync, settings, silent_server, fault
):
    from outlets.tests.factories import make_outlet
    from search.selectors import sales_points

    product = listed_product(title="Bánh tráng Đại Lộc")
    point = make_outlet(name="Điểm bán Đại Lộc")
    search_sync()
    working_url = settings.ELASTICSEARCH_URL

    # The server hangs (or is stopped): the producer renames the product, staff rename the sales point;
    # the worker fails and keeps both changes.
    settings.ELASTICSEARCH_URL = silent_server if fault == "hanging" else STOPPED
    settings.ELASTICSEARCH_WORKER_TIMEOUT = 0.5
    product.title = "Bánh tráng nhúng Túy Loan"
    product.save()
    point.name = "Điểm bán Túy Loan"
    point.save()
    failed = search_sync()
    assert failed.sent == 0 and failed.failed == 2
    row = SearchOutbox.objects.get(product_id=product.pk, kind="product")
    assert row.attempts == 1 and row.available_at > timezone.now()
    assert ("Timeout" if fault == "hanging" else "Connection") in row.last_error

    # Back: once the retry is due, the worker sends them.
    settings.ELASTICSEARCH_URL = working_url
    SearchOutbox.objects.update(available_at=timezone.now() - datetime.timedelta(seconds=1))
    sent = search_sync()

    assert (sent.sent, sent.pending) == (2, 0)
    titles = [p.title for p in find_products(ProductFilters(query="tuy loan"), groups=group_categories())]
    assert titles == ["Bánh tráng nhúng Túy Loan"]
    assert [outlet.name for outlet in sales_points(query="tuy loan")] == ["Điểm bán Túy Loan"]
    assert get_backend().url == working_url  # answered by Elasticsearch, not the database fallback
