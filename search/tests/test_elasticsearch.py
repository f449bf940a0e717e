"""The Elasticsearch backend against a real server: runs where ELASTICSEARCH_URL is set (docker compose).

Without a server these tests are skipped; the database backend's tests cover
the shared behaviour (folding, filters, facets) on every run.
"""

import os

import pytest
from django.core.management import call_command

from search.backends import get_backend
from search.selectors import ProductFilters, find_products, group_categories
from search.tests.factories import listed_product

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="needs ELASTICSEARCH_URL"),
]


@pytest.fixture
def elasticsearch(settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    settings.ELASTICSEARCH_INDEX = "ocop-products-test"
    backend = get_backend()
    backend.reset()
    yield backend
    backend.client.options(ignore_status=404).indices.delete(index="ocop-products-test")


def titles(query: str) -> list[str]:
    return [p.title for p in find_products(ProductFilters(query=query), groups=group_categories())]


def test_elasticsearch_finds_folded_words_and_ranks_title_matches_first(
    elasticsearch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        listed_product(title="Nước mắm Cửa Đại")
        listed_product(title="Rượu nếp", producer__partner__name="Cơ sở Nước mắm")

    assert titles("NUOC MAM") == ["Nước mắm Cửa Đại", "Rượu nếp"]
    assert titles("cua dai") == ["Nước mắm Cửa Đại"]


def test_deleted_product_leaves_the_elasticsearch_index(elasticsearch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        product = listed_product(title="Trà sâm")
    with django_capture_on_commit_callbacks(execute=True):
        product.delete()

    hits = elasticsearch.client.search(index="ocop-products-test", query={"match_all": {}})
    assert hits["hits"]["total"]["value"] == 0


def test_migrate_fills_an_empty_elasticsearch_index_from_the_database_rows(elasticsearch):
    listed_product(title="Mì Quảng Phú Chiêm")  # on_commit not run: Elasticsearch never saw it
    elasticsearch.reset()

    call_command("migrate", "search", verbosity=0)

    assert titles("mi quang") == ["Mì Quảng Phú Chiêm"]
