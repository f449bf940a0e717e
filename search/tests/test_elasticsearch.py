"""The Elasticsearch backend against a real server: osmem-server, started by conftest.py
(or the Elasticsearch at ELASTICSEARCH_URL when set, as in docker compose)."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from catalog.tests.factories import DistrictFactory, ProducerFactory
from search.selectors import ProductFilters, facet_counts, find_products, group_categories
from search.tests.factories import listed_product, subgroup

pytestmark = pytest.mark.django_db


def titles(query: str = "", **filters) -> list[str]:
    return [p.title for p in find_products(ProductFilters(query=query, **filters), groups=group_categories())]


def indexed_ids(backend) -> set[int]:
    hits = backend.client.search(index=backend.index_name, query={"match_all": {}}, size=100, source=False)
    return {int(hit["_id"]) for hit in hits["hits"]["hits"]}


def test_elasticsearch_finds_folded_words_and_ranks_title_matches_first(
    elasticsearch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        listed_product(title="Nước mắm Cửa Đại")
        listed_product(title="Rượu nếp", producer__partner__name="Cơ sở Nước mắm")

    assert titles("NUOC MAM") == ["Nước mắm Cửa Đại", "Rượu nếp"]
    assert titles("cua dai") == ["Nước mắm Cửa Đại"]


def test_a_query_without_tone_marks_finds_the_vietnamese_title_and_so_does_one_with_them(
    elasticsearch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        listed_product(title="Nước mắm Cửa Đại")
        listed_product(title="Trà sâm Ngọc Linh")

    assert titles("nuoc mam") == ["Nước mắm Cửa Đại"]
    assert titles("nước mắm") == ["Nước mắm Cửa Đại"]
    assert titles("dai") == ["Nước mắm Cửa Đại"]  # đ folds to d
    assert titles("mam") == ["Nước mắm Cửa Đại"]  # a word's beginning
    assert titles("am") == []  # not its middle


@pytest.fixture
def mixed_catalogue(elasticsearch, django_capture_on_commit_callbacks):
    """Products over groups, stars, districts, prices and stock, indexed in Elasticsearch."""
    hoi_an = DistrictFactory(name="Hội An thử", slug="hoi-an-es")
    tam_ky = DistrictFactory(name="Tam Kỳ thử", slug="tam-ky-es")
    food, beverage = subgroup("food"), subgroup("beverage")
    with django_capture_on_commit_callbacks(execute=True):
        listed_product(
            title="Nước mắm Cửa Đại", stars=5, price=Decimal("85000"), category=food, producer__district=hoi_an
        )
        listed_product(
            title="Nước mắm nhĩ", stars=4, price=Decimal("120000"), stock=0, category=food, producer__district=hoi_an
        )
        listed_product(title="Mắm cá cơm", stars=3, price=Decimal("60000"), category=food, producer__district=tam_ky)
        listed_product(
            title="Rượu nếp than",
            stars=4,
            price=Decimal("150000"),
            category=beverage,
            producer=ProducerFactory(partner__name="Cơ sở Nước mắm", district=tam_ky),
        )
        listed_product(title="Trà sâm Ngọc Linh", stars=5, price=Decimal("300000"), category=beverage)
        listed_product(title="Nước mắm cũ", lapsed=True, category=food, producer__district=hoi_an)
    return elasticsearch


FILTER_CASES = [
    ProductFilters(query="nuoc mam"),
    ProductFilters(query="mam"),
    ProductFilters(query="nuoc mam", stars=(5,)),
    ProductFilters(query="mam", districts=("hoi-an-es",)),
    ProductFilters(query="nuoc mam", in_stock=True),
    ProductFilters(query="mam", group="food"),
    ProductFilters(query="nuoc mam", price_max=Decimal("100000")),
    ProductFilters(query="tra", stars=(4, 5), in_stock=True),
]


def listing(filters: ProductFilters):
    """Titles and every facet count, as a shopper sees them."""
    groups = group_categories()
    facets = facet_counts(filters, groups=groups)
    return {
        "titles": sorted(product.title for product in find_products(filters, groups=groups)),
        "groups": [(option.value, option.count) for option in facets.groups],
        "stars": [(option.value, option.count) for option in facets.stars],
        "districts": [(option.value, option.count) for option in facets.districts],
        "in_stock": facets.in_stock,
    }


def test_filters_and_facet_counts_are_the_same_as_the_database_backends(mixed_catalogue, settings):
    from_elasticsearch = [listing(filters) for filters in FILTER_CASES]
    settings.SEARCH_BACKEND = "database"
    from_database = [listing(filters) for filters in FILTER_CASES]

    assert from_elasticsearch == from_database
    # Not an empty agreement: "nuoc mam" finds two fish sauces and the rice wine of the "Nước mắm" producer.
    assert from_elasticsearch[0]["titles"] == ["Nước mắm Cửa Đại", "Nước mắm nhĩ", "Rượu nếp than"]
    assert from_elasticsearch[0]["stars"] == [("5", 1), ("4", 2)]
    assert from_elasticsearch[0]["in_stock"] == 2
    assert from_elasticsearch[3]["titles"] == ["Nước mắm Cửa Đại", "Nước mắm nhĩ"]


def test_saving_a_product_updates_its_document(elasticsearch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        product = listed_product(title="Bánh tráng Đại Lộc")

    with django_capture_on_commit_callbacks(execute=True):
        product.title = "Bánh tráng nhúng Túy Loan"
        product.save()

    assert titles("tuy loan") == ["Bánh tráng nhúng Túy Loan"]
    assert titles("dai loc") == []


def test_deleted_product_leaves_the_elasticsearch_index(elasticsearch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        kept = listed_product(title="Trà sâm")
        product = listed_product(title="Trà xanh")
    assert indexed_ids(elasticsearch) == {kept.pk, product.pk}

    with django_capture_on_commit_callbacks(execute=True):
        product.delete()

    assert indexed_ids(elasticsearch) == {kept.pk}
    assert titles("tra") == ["Trà sâm"]


def test_rebuild_command_fills_an_empty_index(elasticsearch, django_capture_on_commit_callbacks):
    first = listed_product(title="Mì Quảng Phú Chiêm")  # on_commit not run: Elasticsearch never saw them
    second = listed_product(title="Gạo hữu cơ")
    assert indexed_ids(elasticsearch) == set()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_search_index", stdout=open("/dev/null", "w"))

    assert indexed_ids(elasticsearch) == {first.pk, second.pk}
    assert titles("mi quang") == ["Mì Quảng Phú Chiêm"]


def test_migrate_fills_an_empty_elasticsearch_index_from_the_database_rows(elasticsearch):
    listed_product(title="Mì Quảng Phú Chiêm")  # on_commit not run: Elasticsearch never saw it
    elasticsearch.reset()

    call_command("migrate", "search", verbosity=0)

    assert titles("mi quang") == ["Mì Quảng Phú Chiêm"]
