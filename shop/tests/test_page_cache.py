"""The anonymous page cache (shop/page_cache.py): fast repeat pages, never a stale price or a lapsed product."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog import ocop
from catalog.tests.factories import CertificateFactory, ProductFactory, StockRecordFactory
from search.cache import SHARED_VERSION_KEY, SHARED_VERSION_SECONDS
from search.models import CatalogueVersion
from search.tests.factories import listed_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(params=["local memory", "redis"])
def either_cache(request):
    """Each test with the cache of a single server (local memory) and of production (Redis, shared)."""
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    return request.param


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_a_page_a_new_visitor_asked_for_before_comes_from_the_cache_in_one_query(
    page_cache, english, django_assert_max_num_queries
):
    product = listed_product(title="Nước mắm Cửa Đại", price=Decimal("85000"))

    for url in (reverse("catalogue:index"), product.get_absolute_url(), reverse("search:search") + "?q=nuoc+mam"):
        first = get(Client(), url)
        with django_assert_max_num_queries(1):  # the catalogue version
            second = get(Client(), url)
        assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
        assert "Nước mắm Cửa Đại" in second.content.decode()


def test_a_price_change_shows_at_once_on_cached_pages(
    page_cache, card_cache, fragment_cache, either_cache, english, django_capture_on_commit_callbacks
):
    product = listed_product(title="Mật ong rừng", price=Decimal("85000"))
    pages = [reverse("catalogue:index"), product.get_absolute_url(), reverse("search:search") + "?q=mat+ong", "/"]
    for url in pages:
        get(Client(), url)
        cached = get(Client(), url)
        assert (cached["X-Page-Cache"], "₫85,000" in cached.content.decode()) == ("hit", True)

    with django_capture_on_commit_callbacks(execute=True):
        record = product.stockrecords.get()
        record.price = Decimal("99000")
        record.save()

    for url in pages:
        html = get(Client(), url).content.decode()
        assert "₫99,000" in html
        assert "₫85,000" not in html


def test_a_lapsed_certificate_leaves_cached_listings_on_the_day_it_lapses(
    page_cache, card_cache, fragment_cache, english, monkeypatch
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    product = ProductFactory(title="Trà thảo mộc Trà My")
    StockRecordFactory(product=product)
    # Valid today, lapsed from tomorrow: nothing is written when it lapses.
    CertificateFactory(product=product, decision_date=ocop.add_months(tomorrow, -ocop.CERTIFICATE_VALIDITY_MONTHS))
    listing, page = reverse("catalogue:index"), product.get_absolute_url()
    for url in (listing, page, "/"):
        get(Client(), url)
    for url in (listing, "/"):  # the home page features it (4 stars)
        assert "Trà thảo mộc Trà My" in get(Client(), url).content.decode()
    assert 'id="add_to_basket_form"' in get(Client(), page).content.decode()

    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(days=1))

    for url in (listing, "/"):
        assert "Trà thảo mộc Trà My" not in get(Client(), url).content.decode()
    html = get(Client(), page).content.decode()
    assert 'id="add_to_basket_form"' not in html
    assert "lapsed" in html


def test_an_order_leaving_stock_on_the_shelf_renews_the_product_page_alone_and_selling_out_every_page(
    page_cache, card_cache, fragment_cache, either_cache, english, django_capture_on_commit_callbacks
):
    from outlets import stock

    product = listed_product(title="Mật ong rừng", price=Decimal("85000"), stock=10)
    listings = [reverse("catalogue:index"), reverse("search:search") + "?q=mat+ong", "/"]
    page = product.get_absolute_url()
    for url in [*listings, page]:
        get(Client(), url)
    assert 'max="10"' in get(Client(), page).content.decode()
    record = product.stockrecords.get()

    with django_capture_on_commit_callbacks(execute=True):  # an order of 3: 7 left
        stock.allocate([stock.Need(record_id=record.pk, quantity=3)])

    for url in listings:  # they say "in stock", not how many
        assert get(Client(), url)["X-Page-Cache"] == "hit"
    renewed = get(Client(), page)
    assert (renewed["X-Page-Cache"], 'max="7"' in renewed.content.decode()) == ("miss", True)

    with django_capture_on_commit_callbacks(execute=True):  # an order of the last 7
        stock.allocate([stock.Need(record_id=record.pk, quantity=7)])

    for url in [*listings, page]:
        assert get(Client(), url)["X-Page-Cache"] == "miss"
    assert 'id="add_to_basket_form"' not in get(Client(), page).content.decode()


def test_an_order_adding_to_a_campaign_offers_usage_keeps_cached_pages_unless_the_offer_has_a_budget(
    django_capture_on_commit_callbacks,
):
    from oscar.core.loading import get_model

    from cms.tests.factories import make_campaign
    from search.cache import _stored_version

    ConditionalOffer = get_model("offer", "ConditionalOffer")
    with django_capture_on_commit_callbacks(execute=True):
        campaign = make_campaign(title="Tết OCOP", products=[listed_product(title="Mật ong rừng", stock=10)])
    usage = {"freq": 1, "discount": Decimal("8500")}

    before = _stored_version()
    with django_capture_on_commit_callbacks(execute=True):
        ConditionalOffer.objects.get(pk=campaign.offer_id).record_usage(usage)  # what placing an order does
    assert _stored_version() == before

    with django_capture_on_commit_callbacks(execute=True):
        ConditionalOffer.objects.filter(pk=campaign.offer_id).update(max_discount=Decimal("10000"))
        ConditionalOffer.objects.get(pk=campaign.offer_id).record_usage(usage)  # 1,500 of the budget left
    assert _stored_version() > before  # the campaign price goes from a card once the rest cannot cover a unit


def test_each_visitor_of_a_cached_page_gets_a_csrf_token_that_adds_to_the_basket(page_cache, either_cache, english):
    product = listed_product(title="Bánh tráng Đại Lộc")
    get(Client(), product.get_absolute_url())  # cached by another visitor

    visitor = Client(enforce_csrf_checks=True)
    response = get(visitor, product.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)

    added = visitor.post(
        reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1, "csrfmiddlewaretoken": token}
    )

    assert added.status_code == 302
    assert visitor.get(reverse("basket:summary")).context["basket"].num_items == 1


def test_basket_account_and_signed_in_pages_are_never_cached(client, page_cache, django_user_model):
    product = listed_product(title="Gạo hữu cơ")
    for url in (reverse("basket:summary"), reverse("customer:login")):
        client.get(url)
        assert "X-Page-Cache" not in client.get(url)

    client.force_login(django_user_model.objects.create_user(username="buyer", email="b@example.vn", password="x"))
    client.get(product.get_absolute_url())
    assert "X-Page-Cache" not in client.get(product.get_absolute_url())


def test_with_redis_a_page_comes_from_the_cache_without_a_query(
    page_cache, redis_cache, english, django_assert_num_queries
):
    product = listed_product(title="Nước mắm Cửa Đại", price=Decimal("85000"))
    for url in (reverse("catalogue:index"), product.get_absolute_url()):
        get(Client(), url)
        with django_assert_num_queries(0):  # the catalogue version comes from Redis with the page
            hit = get(Client(), url)
        assert hit["X-Page-Cache"] == "hit"
        assert "Nước mắm Cửa Đại" in hit.content.decode()


def another_process_changes_the_price(product, price: Decimal) -> None:
    """What another worker or host does: its own writes and signals, nothing in this process's memory."""
    product.stockrecords.update(price=price)
    CatalogueVersion.objects.filter(pk=1).update(number=F("number") + 1)


def test_with_local_memory_a_change_made_by_another_process_shows_at_once(page_cache, english):
    product = listed_product(title="Mật ong rừng", price=Decimal("85000"))
    CatalogueVersion.objects.get_or_create(pk=1)
    url = product.get_absolute_url()
    get(Client(), url)
    assert get(Client(), url)["X-Page-Cache"] == "hit"

    another_process_changes_the_price(product, Decimal("99000"))

    fresh = get(Client(), url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "₫99,000" in fresh.content.decode()


def test_with_redis_a_change_whose_version_did_not_reach_redis_shows_once_the_shared_copy_expires(
    page_cache, redis_cache, english
):
    product = listed_product(title="Mật ong rừng", price=Decimal("85000"))
    CatalogueVersion.objects.get_or_create(pk=1)
    url = product.get_absolute_url()
    get(Client(), url)
    assert get(Client(), url)["X-Page-Cache"] == "hit"
    # Redis keeps the version a few seconds only: a writer that could not reach it is late by that much at most.
    assert 0 < redis_cache.ttl(cache.make_key(SHARED_VERSION_KEY)) <= SHARED_VERSION_SECONDS

    another_process_changes_the_price(product, Decimal("99000"))  # its Redis write lost
    cache.delete(SHARED_VERSION_KEY)  # what SHARED_VERSION_SECONDS later brings

    fresh = get(Client(), url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "₫99,000" in fresh.content.decode()
