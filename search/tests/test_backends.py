"""The search backend contract: ``search(query, filters, sort, page) -> SearchResult(ids, total, facets)``."""

from decimal import Decimal

import pytest

from search.backends.base import PRICE_ASC, STARS, PageRequest, SearchFilters
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
