"""Cached page fragments: the menu's product groups and the category tree follow every catalogue change at once,
and a fragment carrying a visitor's token or a response's nonce is never shared as it was rendered."""

import re

import pytest
from django.test import Client, RequestFactory
from oscar.core.loading import get_model

from search import fragments
from search.tests.factories import listed_product, subgroup

pytestmark = pytest.mark.django_db

Category = get_model("catalogue", "Category")


def menu_groups(html: str) -> list[str]:
    return re.findall(r'class="nav-link ocop-nav__group" href="[^"]+">([^<]+)</a>', html)


def sidebar_tree(html: str) -> str:
    return html.split('class="side_categories')[1].split("</div>")[0]


def test_the_menu_shows_a_group_as_soon_as_it_has_a_product_on_sale(django_capture_on_commit_callbacks):
    listed_product(title="Nước mắm", category=subgroup("food"))
    assert menu_groups(Client().get("/catalogue/").content.decode()) == ["Thực phẩm"]

    with django_capture_on_commit_callbacks(execute=True):
        listed_product(title="Trà xanh", category=subgroup("beverage"))

    assert menu_groups(Client().get("/catalogue/").content.decode()) == ["Thực phẩm", "Đồ uống"]


def test_the_menu_on_a_page_without_a_listing_leaves_out_a_group_with_nothing_on_sale():
    listed_product(title="Nước mắm", category=subgroup("food"))
    listed_product(title="Trà xanh", category=subgroup("beverage"), lapsed=True)

    assert menu_groups(Client().get("/basket/").content.decode()) == ["Thực phẩm"]


def test_the_category_tree_shows_a_renamed_category_at_once_and_marks_the_page_s_own(
    django_capture_on_commit_callbacks,
):
    food = subgroup("food")
    listed_product(title="Nước mắm", category=food)
    assert food.name in sidebar_tree(Client().get("/catalogue/").content.decode())

    with django_capture_on_commit_callbacks(execute=True):
        food.name = "Thực phẩm chế biến sẵn"
        food.save()

    tree = sidebar_tree(Client().get("/catalogue/").content.decode())
    assert "Thực phẩm chế biến sẵn" in tree
    assert "<strong>Thực phẩm chế biến sẵn</strong>" not in tree
    on_its_page = sidebar_tree(Client().get(food.get_absolute_url()).content.decode())
    assert "<strong>Thực phẩm chế biến sẵn</strong>" in on_its_page


def test_a_stored_fragment_gets_each_visitor_s_token_and_one_with_a_nonce_is_not_stored():
    html = '<form><input type="hidden" name="csrfmiddlewaretoken" value="visitor-one-token"></form>'

    frozen = fragments.freeze(html)
    thawed = fragments.thaw(RequestFactory().get("/"), frozen)

    assert "visitor-one-token" not in frozen
    assert re.search(r'value="(\w+)"', thawed).group(1) not in ("visitor-one-token", fragments.CSRF_PLACEHOLDER)
    assert fragments.freeze('<script nonce="abc">go()</script>') is None


def facet_count(html: str, facet: str) -> int:
    """The first count of a facet in the sidebar."""
    group = html.split(f'data-facet="{facet}"')[1].split("</section>")[0]
    return int(re.search(r'<span class="text-muted">\((\d+)\)</span>', group).group(1))


def test_the_filters_counts_follow_a_new_product_and_a_sell_out_at_once(django_capture_on_commit_callbacks):
    from outlets import stock

    listed_product(title="Nước mắm", stars=5, stock=3)
    url = "/catalogue/?stars=5"
    html = Client().get(url).content.decode()
    assert (facet_count(html, "stars"), facet_count(html, "in_stock")) == (1, 1)

    with django_capture_on_commit_callbacks(execute=True):
        tea = listed_product(title="Trà xanh", stars=5, stock=2)
    html = Client().get(url).content.decode()
    assert (facet_count(html, "stars"), facet_count(html, "in_stock")) == (2, 2)

    with django_capture_on_commit_callbacks(execute=True):
        stock.allocate([stock.Need(record_id=tea.stockrecords.get().pk, quantity=2)])  # sold out, no model save
    html = Client().get(url).content.decode()
    assert (facet_count(html, "stars"), facet_count(html, "in_stock")) == (2, 1)


def test_facet_counts_are_reused_under_one_catalogue_version_and_day_for_every_sidebar_choice(fragment_cache):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from search.backends.base import STARS, PageRequest, SearchFilters
    from search.backends.database import DatabaseBackend

    listed_product(title="Nước mắm", stars=5, stock=3)
    listed_product(title="Trà xanh", stars=4, stock=0)
    backend = DatabaseBackend()
    count_only = PageRequest(number=1, size=0)
    first = backend.search("", SearchFilters(), STARS, count_only, version=7)
    assert (first.total, first.facets.stars, first.facets.in_stock) == (2, {5: 1, 4: 1}, 1)

    # Another sidebar choice under the same version: no query, counts from the kept combinations.
    with CaptureQueriesContext(connection) as captured:
        fours = backend.search("", SearchFilters(stars=(4,)), STARS, count_only, version=7)
    assert len(captured) == 0
    assert (fours.total, fours.facets.stars, fours.facets.in_stock) == (1, {5: 1, 4: 1}, 0)

    # A change raises the version: counted afresh. So does another search, or no version at all.
    listed_product(title="Mật ong", stars=5, stock=1)
    assert backend.search("", SearchFilters(), STARS, count_only, version=8).total == 3
    assert backend.search("", SearchFilters(), STARS, count_only).total == 3
    assert backend.search("mat ong", SearchFilters(), STARS, count_only, version=7).total == 1


def test_the_filters_counts_follow_a_sell_out_at_once_with_facet_counts_kept(
    fragment_cache, django_capture_on_commit_callbacks
):
    from outlets import stock

    with django_capture_on_commit_callbacks(execute=True):
        listed_product(title="Nước mắm", stars=5, stock=3)
        tea = listed_product(title="Trà xanh", stars=5, stock=2)
    html = Client().get("/catalogue/?stars=5").content.decode()
    assert (facet_count(html, "stars"), facet_count(html, "in_stock")) == (2, 2)

    with django_capture_on_commit_callbacks(execute=True):
        stock.allocate([stock.Need(record_id=tea.stockrecords.get().pk, quantity=2)])  # sold out, no model save
    html = Client().get("/catalogue/?in_stock=1").content.decode()
    assert (facet_count(html, "stars"), facet_count(html, "in_stock")) == (1, 1)


def test_an_order_that_leaves_stock_on_the_shelf_keeps_the_facet_counts_menu_and_cards(
    fragment_cache, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from outlets import stock
    from search.cache import catalogue_version, listing_version, product_page_versions
    from search.models import ProductSearchText

    with django_capture_on_commit_callbacks(execute=True):
        tea = listed_product(title="Trà xanh", stars=5, stock=3, category=subgroup("beverage"))
    url = "/catalogue/?stars=5"
    Client().get(url)
    stamp = ProductSearchText.objects.get(product=tea).updated_at
    listing, pages, (_, stock_levels) = listing_version(), catalogue_version(), product_page_versions()

    with django_capture_on_commit_callbacks(execute=True):
        stock.allocate([stock.Need(record_id=tea.stockrecords.get().pk, quantity=1)])  # 2 left

    assert (listing_version(), catalogue_version()) == (listing, pages)  # whole cached listing pages stay
    assert product_page_versions()[1] > stock_levels  # the product page says how many are left
    assert ProductSearchText.objects.get(product=tea).updated_at == stamp  # its card is served from the cache
    with CaptureQueriesContext(connection) as captured:
        html = Client().get(url).content.decode()
    assert not [query for query in captured if "GROUP BY" in query["sql"]]  # the facet counts are reused
    assert (facet_count(html, "stars"), facet_count(html, "in_stock")) == (1, 1)
    assert menu_groups(html) == ["Đồ uống"]


def test_an_order_that_sells_the_last_unit_shows_on_the_listing_and_its_in_stock_count_at_once(
    fragment_cache, django_capture_on_commit_callbacks
):
    from outlets import stock
    from search.cache import listing_version

    with django_capture_on_commit_callbacks(execute=True):
        listed_product(title="Nước mắm", stars=5, stock=3)
        tea = listed_product(title="Trà xanh", stars=5, stock=2)
    assert facet_count(Client().get("/catalogue/?stars=5").content.decode(), "in_stock") == 2
    listing = listing_version()

    with django_capture_on_commit_callbacks(execute=True):
        stock.allocate([stock.Need(record_id=tea.stockrecords.get().pk, quantity=1)])  # 1 left
    assert listing_version() == listing
    with django_capture_on_commit_callbacks(execute=True):
        stock.allocate([stock.Need(record_id=tea.stockrecords.get().pk, quantity=1)])  # sold out

    assert listing_version() > listing
    html = Client().get("/catalogue/?stars=5").content.decode()
    assert facet_count(html, "in_stock") == 1
    in_stock_only = Client().get("/catalogue/?in_stock=1").content.decode()
    assert "Trà xanh" not in in_stock_only and "Nước mắm" in in_stock_only


def test_the_product_page_shows_how_many_are_left_after_every_order(fragment_cache, django_capture_on_commit_callbacks):
    from outlets import stock

    with django_capture_on_commit_callbacks(execute=True):
        tea = listed_product(title="Trà xanh", stars=5, stock=3)
    assert "còn 3 sản phẩm" in Client().get(tea.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        stock.allocate([stock.Need(record_id=tea.stockrecords.get().pk, quantity=1)])

    assert "còn 2 sản phẩm" in Client().get(tea.get_absolute_url()).content.decode()


def test_with_redis_a_stock_level_raises_the_shared_stock_version_and_a_sell_out_the_other_two(
    redis_cache, django_capture_on_commit_callbacks
):
    from outlets import stock
    from search.cache import catalogue_version, listing_version, product_page_versions

    def versions():
        return listing_version(), catalogue_version(), product_page_versions()[1]

    with django_capture_on_commit_callbacks(execute=True):
        tea = listed_product(title="Trà xanh", stock=2)
    listing, pages, stock_levels = versions()  # from Redis once shared

    with django_capture_on_commit_callbacks(execute=True):
        stock.allocate([stock.Need(record_id=tea.stockrecords.get().pk, quantity=1)])
    assert versions() == (listing, pages, stock_levels + 1)

    with django_capture_on_commit_callbacks(execute=True):
        stock.allocate([stock.Need(record_id=tea.stockrecords.get().pk, quantity=1)])  # sold out
    assert versions() == (listing + 1, pages + 1, stock_levels + 1)


def test_a_renamed_product_group_shows_at_once_in_the_filters_with_the_groups_kept(
    fragment_cache, django_capture_on_commit_callbacks
):
    from search.tests.factories import group

    with django_capture_on_commit_callbacks(execute=True):
        listed_product(title="Nước mắm", category=subgroup("food"))
    Client().get("/catalogue/")  # the groups are kept under this listing version

    with django_capture_on_commit_callbacks(execute=True):
        food = group("food")
        food.name = "Thực phẩm đặc sản"
        food.save()

    filters = Client().get("/catalogue/").content.decode().split('data-facet="group"')[1].split("</section>")[0]
    assert "Thực phẩm đặc sản" in filters
