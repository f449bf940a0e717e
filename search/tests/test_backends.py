"""The search backend contract: ``search(query, filters, sort, page) -> SearchResult(ids, total, facets)``."""

from decimal import Decimal

import pytest

from search.backends import database
from search.backends.base import PRICE_ASC, RELEVANCE, STARS, PageRequest, SearchFilters
from search.backends.database import DatabaseBackend
from search.tests.factories import listed_product

pytestmark = pytest.mark.django_db


def test_database_backend_answers_the_asked_page_the_total_and_the_facets():
    products = [listed_product(title=f"Trà {index}", price=Decimal(10000 * (index + 1))) for index in range(5)]
    listed_product(title="Nước mắm", stars=5)

    result = DatabaseBackend().search("tra", SearchFilters(), PRICE_ASC, PageRequest(number=2, size=2))

    assert result.ids == [products[2].pk, products[3].pk]
    assert result.total == 5
    assert result.facets.stars == {4: 5}  # the fish sauce does not match "tra"


def test_a_page_past_the_end_has_no_ids_but_keeps_the_total_and_facets_can_be_left_out():
    listed_product(title="Trà")

    result = DatabaseBackend().search("", SearchFilters(stars=(4,)), STARS, PageRequest(number=3), facets=False)

    assert (result.ids, result.total, result.facets) == ([], 1, None)


@pytest.fixture
def ranked_catalogue():
    """Matches of "tra xanh" at every rank, stars and stock, so pages fall inside one rank and across two."""
    titles = ["Trà xanh {}", "Trà xanhnon {}", "Xanh lá trà {}", "Bánh {}"]  # ranks 4, 3, 2 and 1 (by producer)
    for index in range(24):
        listed_product(
            title=titles[index % 4].format(index),
            stars=3 + index % 3,
            stock=index % 5,
            price=Decimal(10000 * (1 + index % 3)),
            producer__partner__name="Trà xanh Quế Sơn",
        )


@pytest.mark.parametrize(
    "filters",
    [
        SearchFilters(),
        SearchFilters(stars=(4, 5)),
        SearchFilters(in_stock=True),
        SearchFilters(stars=(3,)),
        SearchFilters(price_max=Decimal(20000), in_stock=True),
    ],
    ids=["all", "4-5 stars", "in stock", "3 stars", "up to 20,000 in stock"],
)
def test_a_relevance_page_read_within_one_rank_is_the_page_of_the_whole_ranking(ranked_catalogue, filters, monkeypatch):
    monkeypatch.setattr(database, "DENSE_RANK", 1)  # every rank counts as dense here
    backend = DatabaseBackend()
    for number in range(1, 6):
        page = PageRequest(number=number, size=4)
        ranked = backend.search("tra xanh", filters, RELEVANCE, page, facets=False)  # ranks every match

        within = backend.search("tra xanh", filters, RELEVANCE, page)

        assert (within.ids, within.total) == (ranked.ids, ranked.total)


def test_each_facet_counts_the_rows_passing_every_filter_but_its_own_and_the_total_those_passing_all():
    def row(group, stars, district, in_stock, count):
        return {
            "group_path": group,
            "stars": stars,
            "district_slug": district,
            "district_name": district.title(),
            "in_stock": in_stock,
            "count": count,
        }

    combinations = [
        row("0001", 5, "hoi-an", True, 1),  # passes all
        row("0001", 3, "hoi-an", True, 2),  # fails stars only
        row("0002", 5, "hoi-an", False, 4),  # fails group and stock: counts nowhere
        row("0001", 5, "tam-ky", False, 8),  # fails district and stock: counts nowhere
        row("0002", 4, "hoi-an", True, 16),  # fails group only
    ]
    filters = SearchFilters(group_path="0001", stars=(4, 5), districts=("hoi-an",), in_stock=True)

    counts, total = database._facet_counts(combinations, database._FacetFilters(filters), inside_category=False)

    assert total == 1
    assert counts.groups == {"0001": 1, "0002": 16}
    assert counts.stars == {5: 1, 3: 2}
    assert [(d.slug, d.count) for d in counts.districts] == [("hoi-an", 1)]
    assert counts.in_stock == 1
