"""A search server that accepts connections and never answers: pages still answer within 2 s from the
database, the failure is logged once and shown on the health report, and the changes made meanwhile
reach the index once the server is back."""

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
from search.tests.factories import listed_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def silent_server():
    """Listens and lets connections in (the kernel's backlog), but never reads nor answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture
def hanging_elasticsearch(settings, silent_server):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = silent_server
    settings.ELASTICSEARCH_COMPAT_HEADERS = False
    settings.ELASTICSEARCH_INDEX = f"ocop-hanging-{silent_server.rsplit(':', 1)[1]}"
    settings.ELASTICSEARCH_WORKER_TIMEOUT = 0.5
    return silent_server


def test_listing_pages_answer_from_the_database_within_two_seconds_and_log_it_once(
    hanging_elasticsearch, client, caplog
):
    listed_product(title="Nước mắm Cửa Đại")
    listed_product(title="Trà sâm Ngọc Linh")

    caplog.set_level(logging.WARNING, logger="search.backends.elasticsearch")
    for url, params, expected in (
        (reverse("search:search"), {"q": "nuoc mam"}, ["Nước mắm Cửa Đại"]),
        (reverse("catalogue:index"), {}, None),
        (reverse("search:search"), {"q": "tra sam"}, ["Trà sâm Ngọc Linh"]),
        (reverse("search:suggest"), {"q": "nuoc"}, None),
    ):
        started = time.monotonic()
        response = client.get(url, params)
        elapsed = time.monotonic() - started

        assert response.status_code == 200
        assert elapsed < 2, f"{url} took {elapsed:.2f} s"
        if expected is not None:
            assert [product.title for product in response.context["products"]] == expected
    assert response.json()["suggestions"][0]["title"] == "Nước mắm Cửa Đại"
    failures = [record for record in caplog.records if record.name == "search.backends.elasticsearch"]
    assert len(failures) == 1  # once, not once per page
    assert "answering from the database" in failures[0].getMessage()


def test_health_reports_elasticsearch_down_and_the_database_answering_quickly(hanging_elasticsearch):
    started = time.monotonic()
    first = search.health()
    second = search.health()

    assert time.monotonic() - started < 1.5
    assert first["status"] == second["status"] == "down"
    assert first["answering"] == "database" and second["circuit"] == "open"


def test_saving_a_product_does_not_wait_for_elasticsearch(hanging_elasticsearch):
    started = time.monotonic()
    product = listed_product(title="Bánh tráng Đại Lộc")
    product.title = "Bánh tráng nhúng"
    product.save()

    assert time.monotonic() - started < 1
    assert SearchOutbox.objects.filter(product_id=product.pk).count() >= 2


def test_changes_made_while_elasticsearch_hangs_reach_it_once_it_is_back(
    elasticsearch, search_sync, settings, silent_server
):
    product = listed_product(title="Bánh tráng Đại Lộc")
    search_sync()
    working_url = settings.ELASTICSEARCH_URL

    # The server hangs: the producer renames the product; the worker fails and keeps the change.
    settings.ELASTICSEARCH_URL = silent_server
    settings.ELASTICSEARCH_WORKER_TIMEOUT = 0.5
    product.title = "Bánh tráng nhúng Túy Loan"
    product.save()
    failed = search_sync()
    assert failed.sent == 0 and failed.failed == 1
    row = SearchOutbox.objects.get(product_id=product.pk)
    assert row.attempts == 1 and row.available_at > timezone.now() and "Timeout" in row.last_error

    # Back: once the retry is due, the worker sends it.
    settings.ELASTICSEARCH_URL = working_url
    SearchOutbox.objects.update(available_at=timezone.now() - datetime.timedelta(seconds=1))
    sent = search_sync()

    assert (sent.sent, sent.pending) == (1, 0)
    titles = [p.title for p in find_products(ProductFilters(query="tuy loan"), groups=group_categories())]
    assert titles == ["Bánh tráng nhúng Túy Loan"]
    assert get_backend().url == working_url  # answered by Elasticsearch, not the database fallback
