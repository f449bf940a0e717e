"""The Elasticsearch backend against a real server: osmem-server, started by conftest.py
(or the Elasticsearch at ELASTICSEARCH_URL when set, as in docker compose)."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from oscar.core.loading import get_model

from catalog.tests.factories import DistrictFactory, ProducerFactory
from search.backends.base import PageRequest, SearchFilters
from search.models import SearchOutbox
from search.selectors import (
    ProductFilters,
    facet_counts,
    find_products,
    group_categories,
    lapsed_matches,
    suggestions,
)
from search.tests.factories import listed_product, subgroup

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")


def titles(query: str = "", **filters) -> list[str]:
    return [p.title for p in find_products(ProductFilters(query=query, **filters), groups=group_categories())]


def indexed_ids(backend) -> set[int]:
    hits = backend.client.search(index=backend.index_name, query={"match_all": {}}, size=100, source=False)
    return {int(hit["_id"]) for hit in hits["hits"]["hits"]}


def test_elasticsearch_finds_folded_words_and_ranks_title_matches_first(elasticsearch, search_sync):
    listed_product(title="Nước mắm Cửa Đại")
    listed_product(title="Rượu nếp", producer__partner__name="Cơ sở Nước mắm")
    search_sync()

    assert titles("NUOC MAM") == ["Nước mắm Cửa Đại", "Rượu nếp"]
    assert titles("cua dai") == ["Nước mắm Cửa Đại"]


def test_a_query_without_tone_marks_finds_the_vietnamese_title_and_so_does_one_with_them(elasticsearch, search_sync):
    listed_product(title="Nước mắm Cửa Đại")
    listed_product(title="Trà sâm Ngọc Linh")
    search_sync()

    assert titles("nuoc mam") == ["Nước mắm Cửa Đại"]
    assert titles("nước mắm") == ["Nước mắm Cửa Đại"]
    assert titles("dai") == ["Nước mắm Cửa Đại"]  # đ folds to d
    assert titles("mam") == ["Nước mắm Cửa Đại"]  # a word's beginning
    assert titles("am") == []  # not its middle


@pytest.fixture
def mixed_catalogue(elasticsearch, search_sync):
    """Products over groups, stars, districts, prices and stock, indexed in Elasticsearch."""
    hoi_an = DistrictFactory(name="Hội An thử", slug="hoi-an-es")
    tam_ky = DistrictFactory(name="Tam Kỳ thử", slug="tam-ky-es")
    food, beverage = subgroup("food"), subgroup("beverage")
    listed_product(title="Nước mắm Cửa Đại", stars=5, price=Decimal("85000"), category=food, producer__district=hoi_an)
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
    search_sync()
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


def test_saving_a_product_reaches_the_index_through_the_outbox(elasticsearch, search_sync):
    product = listed_product(title="Bánh tráng Đại Lộc")
    search_sync()

    product.title = "Bánh tráng nhúng Túy Loan"
    product.save()
    assert titles("tuy loan") == []  # the save did not wait for Elasticsearch
    assert SearchOutbox.objects.filter(product_id=product.pk).exists()

    result = search_sync()

    assert result.sent == 1 and result.pending == 0
    assert titles("tuy loan") == ["Bánh tráng nhúng Túy Loan"]
    assert titles("dai loc") == []


def test_a_change_rolled_back_leaves_no_outbox_row(elasticsearch):
    product = listed_product(title="Trà sâm")
    SearchOutbox.objects.all().delete()

    with pytest.raises(RuntimeError), transaction.atomic():
        product.title = "Trà xanh"
        product.save()
        raise RuntimeError("the producer's form failed after the save")

    assert not SearchOutbox.objects.exists()


def test_price_stock_and_certificate_changes_reach_the_index(elasticsearch, search_sync):
    cheap = listed_product(title="Trà rẻ", price=Decimal("50000"), stars=5)
    dear = listed_product(title="Trà đắt", price=Decimal("90000"), stars=4)
    search_sync()
    assert titles(sort="price-asc") == ["Trà rẻ", "Trà đắt"]

    record = cheap.stockrecords.get()
    record.price, record.num_in_stock = Decimal("120000"), 0
    record.save()
    # A queryset update sends no signal: the save after it does.
    dear.certificates.update(stars=5, level="central", score=Decimal("92"))
    dear.certificates.get().save()
    search_sync()

    assert titles(sort="price-asc") == ["Trà đắt", "Trà rẻ"]
    assert titles(in_stock=True) == ["Trà đắt"]
    assert titles(stars=(5,), sort="title") == ["Trà đắt", "Trà rẻ"]


def test_deleted_product_leaves_the_elasticsearch_index(elasticsearch, search_sync):
    kept = listed_product(title="Trà sâm")
    product = listed_product(title="Trà xanh")
    search_sync()
    assert indexed_ids(elasticsearch) == {kept.pk, product.pk}

    product.delete()
    search_sync()

    assert indexed_ids(elasticsearch) == {kept.pk}
    assert titles("tra") == ["Trà sâm"]


def test_unpublished_product_leaves_the_index_and_a_lapsed_one_is_not_listed(elasticsearch, search_sync):
    hidden = listed_product(title="Trà ẩn")
    listed_product(title="Trà cũ", lapsed=True)
    listed_product(title="Trà mới")
    search_sync()
    hidden.is_public = False
    hidden.save()
    search_sync()

    assert hidden.pk not in indexed_ids(elasticsearch)
    assert titles("tra") == ["Trà mới"]


def test_elasticsearch_answers_the_page_and_the_total(elasticsearch, search_sync, settings):
    for index in range(5):
        listed_product(title=f"Trà số {index}", price=Decimal(10000 * (index + 1)))
    search_sync()

    result = elasticsearch.search("tra", SearchFilters(), "price-asc", PageRequest(number=2, size=2))

    assert result.total == 5
    assert [Product.objects.get(pk=pk).title for pk in result.ids] == ["Trà số 2", "Trà số 3"]


def test_a_page_deeper_than_elasticsearch_pages_comes_from_the_database(elasticsearch, search_sync, caplog):
    for index in range(3):
        listed_product(title=f"Trà số {index}", price=Decimal(10000 * (index + 1)))
    search_sync()
    elasticsearch.max_result_window = 2

    result = elasticsearch.search("tra", SearchFilters(), "price-asc", PageRequest(number=3, size=1))

    assert result.total == 3 and [Product.objects.get(pk=pk).title for pk in result.ids] == ["Trà số 2"]
    assert not elasticsearch.breaker.is_open


def test_rebuild_builds_a_new_index_and_switches_the_alias(elasticsearch):
    first = listed_product(title="Mì Quảng Phú Chiêm")  # never sent: the outbox worker did not run
    second = listed_product(title="Gạo hữu cơ")
    before = elasticsearch._indices_behind_alias()
    assert indexed_ids(elasticsearch) == set()

    out = io.StringIO()
    call_command("search_index", "--rebuild", stdout=out)

    after = elasticsearch._indices_behind_alias()
    assert len(after) == 1 and after != before
    assert not elasticsearch.worker_client.indices.exists(index=before[0])  # the old index is gone
    assert indexed_ids(elasticsearch) == {first.pk, second.pk}
    assert titles("mi quang") == ["Mì Quảng Phú Chiêm"]
    assert "2/2" in out.getvalue() and "Indexed 2 products." in out.getvalue()


def test_migrate_fills_an_empty_elasticsearch_index_from_the_database_rows(elasticsearch):
    listed_product(title="Mì Quảng Phú Chiêm")  # never sent: the outbox worker did not run

    call_command("migrate", "search", verbosity=0)

    assert titles("mi quang") == ["Mì Quảng Phú Chiêm"]


def test_suggestions_complete_words_and_leave_out_lapsed_products(elasticsearch, search_sync):
    listed_product(title="Mật ong Phước Lộc", stars=3)
    listed_product(title="Mật ong rừng Tây Giang", stars=4)
    listed_product(title="Mật ong cũ", lapsed=True)
    listed_product(title="Nước mắm Cửa Khe")
    search_sync()

    assert [s["title"] for s in suggestions("mat o")] == ["Mật ong rừng Tây Giang", "Mật ong Phước Lộc"]
    assert [s["title"] for s in suggestions("ong r")] == ["Mật ong rừng Tây Giang"]  # from a later word
    assert suggestions("xyz") == []


def test_lapsed_matches_are_found_to_say_why_nothing_is_for_sale(elasticsearch, search_sync):
    listed_product(title="Rượu Hồng Đào cũ", lapsed=True)
    listed_product(title="Trà xanh")
    search_sync()

    assert [product.title for product in lapsed_matches("hong dao")] == ["Rượu Hồng Đào cũ"]
    assert lapsed_matches("tra") == []


def test_an_order_taking_the_last_units_drops_the_product_from_in_stock(elasticsearch, search_sync):
    from outlets import stock

    product = listed_product(title="Trà cuối", stock=2)
    listed_product(title="Trà còn", stock=5)
    search_sync()
    record = stock.selling_record(product)

    stock.allocate([stock.Need(record_id=record.pk, quantity=2, title=product.title)])
    assert SearchOutbox.objects.filter(product_id=product.pk).exists()
    search_sync()

    assert titles(in_stock=True) == ["Trà còn"]
    stock.release(record_id=record.pk, quantity=1)
    search_sync()
    assert set(titles(in_stock=True)) == {"Trà còn", "Trà cuối"}
