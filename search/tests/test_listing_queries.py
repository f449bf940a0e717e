"""Every listing page runs a fixed, small number of queries whatever its page, filters and sort (issue 9)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.tests.factories import DistrictFactory, ProducerFactory
from search.backends.base import PageRequest, SearchFilters
from search.backends.database import DatabaseBackend
from search.tests.factories import group, image_upload, listed_product, subgroup

pytestmark = pytest.mark.django_db

ProductImage = get_model("catalogue", "ProductImage")
LISTING_BUDGET = 12

PAGES = {
    "catalogue": lambda district: reverse("catalogue:index"),
    "a later page": lambda district: reverse("catalogue:index") + "?page=3",
    "a category": lambda district: group("food").get_absolute_url(),
    "filtered and sorted": lambda district: (
        f"{reverse('catalogue:index')}?stars=4&stars=5&district={district.slug}&in_stock=1"
        "&price_min=1000&price_max=900000&sort_by=price-asc"
    ),
    "a search": lambda district: reverse("search:search") + "?q=nuoc+mam",
    "a search that finds nothing": lambda district: reverse("search:search") + "?q=nuoc+mamm+xyzzy",
    "home": lambda district: "/",
}


@pytest.fixture
def catalogue():
    """30 products with every part of a card, over two groups, two districts and three star levels."""
    districts = [DistrictFactory(name="Hội An", slug="hoi-an-thu"), DistrictFactory(name="Tam Kỳ", slug="tam-ky-thu")]
    for index in range(30):
        product = listed_product(
            title=f"Nước mắm Cửa Đại {index}",
            stars=3 + index % 3,
            price=Decimal(50000 + 1000 * index),
            stock=index % 4,
            category=subgroup("food" if index % 2 else "beverage"),
            producer=ProducerFactory(district=districts[index % 2]),
        )
        ProductImage.objects.create(product=product, original=image_upload(), caption="Chai", display_order=0)
    return districts


@pytest.mark.parametrize("page", PAGES)
def test_every_listing_page_runs_at_most_12_queries(client, catalogue, page, django_assert_max_num_queries):
    url = PAGES[page](catalogue[0])
    client.get(url)  # the first request of a session makes its thumbnails

    with django_assert_max_num_queries(LISTING_BUDGET):
        response = client.get(url)

    assert response.status_code == 200
    if page not in ("a search that finds nothing", "home"):
        assert response.content.decode().count('class="ocop-card__badge"') > 0


CARD_QUERIES = 5  # the page's products, then their certificates, images, selling records and categories


@pytest.mark.parametrize("page", [name for name in PAGES if name not in ("a search that finds nothing", "home")])
def test_cached_cards_and_fragments_cost_no_queries_and_cold_caches_stay_in_budget(
    client, catalogue, page, card_cache, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from search import cards
    from search.cache import _bump

    url = PAGES[page](catalogue[0])
    client.get(url)  # makes the thumbnails and caches the cards
    # Every card key new and the catalogue version raised: cold card, menu and category tree caches.
    monkeypatch.setattr(cards, "CARD_LAYOUT", cards.CARD_LAYOUT + 1)
    _bump()

    with CaptureQueriesContext(connection) as cold:
        rendered = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as warm:
        cached = client.get(url).content.decode()

    assert len(cold) <= LISTING_BUDGET
    assert len(warm) <= len(cold) - CARD_QUERIES
    assert cached.count('class="ocop-card__badge"') == rendered.count('class="ocop-card__badge"') > 0


def test_facets_and_total_come_from_one_grouped_query_and_the_page_from_one_more(catalogue, django_assert_num_queries):
    filters = SearchFilters(stars=(4, 5), districts=(catalogue[0].slug,), in_stock=True)

    with django_assert_num_queries(2):  # the GROUP BY (total and facets), the page's ids
        result = DatabaseBackend().search("nuoc mam", filters, "price-asc", PageRequest(number=1, size=12))

    # Products 4, 10, 16, 22, 28 (even: Hội An; 3 + i % 3 = 4; stock i % 4 > 0) and the 5★ ones of Hội An.
    expected_total = sum(1 for i in range(30) if i % 2 == 0 and 3 + i % 3 in (4, 5) and i % 4)
    assert result.total == expected_total == len(result.ids)
    assert result.facets.stars[3] == sum(1 for i in range(30) if i % 2 == 0 and i % 3 == 0 and i % 4)
    assert {district.slug: district.count for district in result.facets.districts}[catalogue[1].slug] == sum(
        1 for i in range(30) if i % 2 == 1 and 3 + i % 3 in (4, 5) and i % 4
    )


def test_the_home_page_with_campaigns_and_events_runs_at_most_12_queries(
    client, catalogue, django_assert_max_num_queries
):
    import datetime

    from cms.tests.factories import make_campaign, make_event

    on_sale = listed_product(title="Mật ong rừng Trà My", stars=5, price=Decimal(120000), stock=5)
    make_campaign(title="Tết OCOP đang chạy", products=[on_sale])
    make_campaign(title="Hè OCOP sắp tới", products=[on_sale], starts_in=datetime.timedelta(days=20))
    make_event(title="Hội chợ OCOP Tam Kỳ")
    client.get("/")

    with django_assert_max_num_queries(LISTING_BUDGET):
        response = client.get("/")

    page = response.content.decode()
    assert "Tết OCOP đang chạy" in page
    assert "Hội chợ OCOP Tam Kỳ" in page
    assert page.count('class="ocop-card__badge"') > 0


def test_the_home_page_takes_its_cards_and_blocks_from_the_caches_and_stays_in_budget_cold(
    client, catalogue, card_cache, fragment_cache, monkeypatch, django_capture_on_commit_callbacks
):
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cms.tests.factories import make_campaign, make_event
    from search import cards
    from search.cache import _bump

    on_sale = listed_product(title="Mật ong rừng Trà My", stars=5, price=Decimal(120000), stock=5)
    with django_capture_on_commit_callbacks(execute=True):
        make_campaign(title="Tết OCOP đang chạy", products=[on_sale])
        make_campaign(title="Hè OCOP sắp tới", products=[on_sale], starts_in=datetime.timedelta(days=20))
        make_event(title="Hội chợ OCOP Tam Kỳ")
    client.get("/")  # makes the thumbnails and caches the cards and blocks
    # Every card key new and the catalogue version raised: cold cards, featured ids, blocks and menu.
    monkeypatch.setattr(cards, "CARD_LAYOUT", cards.CARD_LAYOUT + 1)
    _bump()

    with CaptureQueriesContext(connection) as cold:
        rendered = client.get("/").content.decode()
    with CaptureQueriesContext(connection) as warm:
        cached = client.get("/").content.decode()

    assert len(cold) <= LISTING_BUDGET
    # No card query, no campaign and event query, no menu query: the Wagtail page, the version and the offers.
    assert len(warm) <= len(cold) - CARD_QUERIES - 2
    assert rendered.count('class="ocop-card__badge"') == cached.count('class="ocop-card__badge"') == 8
    assert "Tết OCOP đang chạy" in cached and "Hội chợ OCOP Tam Kỳ" in cached and "Hè OCOP sắp tới" not in cached


# What a listing page asks of the database once its cards, facet counts, menu and sidebar are cached (as deployed,
# without the whole-page cache): the catalogue and listing versions (one query without a shared cache), and the
# page's ids. A category page also reads its category; home reads its Wagtail page and the featured ids.
WARM_BUDGET = {"a category": 3, "home": 4}


@pytest.mark.parametrize("page", [name for name in PAGES if name != "a search that finds nothing"])
def test_a_warm_listing_page_asks_only_for_the_versions_and_its_page(
    client, catalogue, page, card_cache, fragment_cache, django_assert_max_num_queries
):
    url = PAGES[page](catalogue[0])
    client.get(url)  # thumbnails, cards, facet counts, menu and sidebar cached

    with django_assert_max_num_queries(WARM_BUDGET.get(page, 2)):
        response = client.get(url)

    assert response.status_code == 200
    if page != "home":
        assert response.content.decode().count('class="ocop-card__badge"') > 0
