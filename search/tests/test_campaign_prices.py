"""Listings price a product as a buyer pays it now, on both backends: a running campaign's discount included
in the price sort and filter, following the campaign as it is published, unpublished, and as its window
opens and closes by time alone (the Elasticsearch rows against osmem-server)."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_model

from cms.tests.factories import make_campaign
from search.backends.base import PRICE_ASC
from search.models import SearchOutbox
from search.selectors import ProductFilters, find_products, group_categories
from search.tests.factories import listed_product

pytestmark = pytest.mark.django_db

ConditionalOffer = get_model("offer", "ConditionalOffer")


def titles(**filters) -> list[str]:
    return [p.title for p in find_products(ProductFilters(**filters), groups=group_categories())]


@pytest.fixture(params=["database", "elasticsearch"])
def backend(request):
    if request.param == "elasticsearch":
        request.getfixturevalue("elasticsearch")
    return request.param


@pytest.fixture
def tea_and_wine(backend, search_sync):
    tea = listed_product(title="Trà sâm Ngọc Linh", price=Decimal("150000"))
    listed_product(title="Rượu Hồng Đào", price=Decimal("140000"))
    search_sync()
    assert titles(sort=PRICE_ASC) == ["Rượu Hồng Đào", "Trà sâm Ngọc Linh"]
    return tea


def worker_once():
    call_command("search_sync", "--once", stdout=open("/dev/null", "w"))


def test_publishing_a_campaign_reprices_its_products_in_listings(
    backend, tea_and_wine, search_sync, django_capture_on_commit_callbacks
):
    SearchOutbox.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        make_campaign(products=[tea_and_wine], percent=10)  # 150.000 ₫ -> 135.000 ₫

    if backend == "elasticsearch":
        assert SearchOutbox.objects.filter(product_id=tea_and_wine.pk).exists()  # written with the campaign
    search_sync()
    assert titles(sort=PRICE_ASC) == ["Trà sâm Ngọc Linh", "Rượu Hồng Đào"]
    assert titles(price_max=Decimal("135000")) == ["Trà sâm Ngọc Linh"]


def test_unpublishing_a_campaign_gives_its_products_their_price_back(
    backend, tea_and_wine, search_sync, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        campaign = make_campaign(products=[tea_and_wine], percent=10)
    search_sync()
    assert titles(price_max=Decimal("135000")) == ["Trà sâm Ngọc Linh"]

    with django_capture_on_commit_callbacks(execute=True):
        campaign.unpublish()

    if backend == "elasticsearch":
        assert SearchOutbox.objects.filter(product_id=tea_and_wine.pk).exists()
    search_sync()
    assert titles(price_max=Decimal("135000")) == []
    assert titles(sort=PRICE_ASC) == ["Rượu Hồng Đào", "Trà sâm Ngọc Linh"]


def test_a_campaign_window_opening_and_closing_by_time_alone_reaches_listings(
    tea_and_wine, search_sync, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_campaign(products=[tea_and_wine], percent=10, starts_in=datetime.timedelta(hours=1))
    search_sync()
    assert titles(price_max=Decimal("135000")) == []  # not started: the buyer pays 150.000 ₫
    offer = ConditionalOffer.objects.get()

    # The hour passes: no row changes (an update sends no signal), nothing is queued; the worker sees it.
    ConditionalOffer.objects.filter(pk=offer.pk).update(start_datetime=timezone.now() - datetime.timedelta(seconds=1))
    SearchOutbox.objects.all().delete()
    assert titles(price_max=Decimal("135000")) == []
    worker_once()
    assert titles(price_max=Decimal("135000")) == ["Trà sâm Ngọc Linh"]

    # And it ends.
    ConditionalOffer.objects.filter(pk=offer.pk).update(end_datetime=timezone.now() - datetime.timedelta(seconds=1))
    worker_once()
    assert titles(price_max=Decimal("135000")) == []


def test_rewriting_a_row_keeps_the_campaign_price(tea_and_wine, search_sync, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_campaign(products=[tea_and_wine], percent=10)
    search_sync()

    tea_and_wine.title = "Trà sâm Ngọc Linh túi lọc"
    tea_and_wine.save()  # the row and the document are written again
    search_sync()

    assert titles(price_max=Decimal("135000")) == ["Trà sâm Ngọc Linh túi lọc"]


def test_an_order_using_the_campaign_does_not_requeue_every_product_it_covers(elasticsearch, search_sync):
    from cms.tests.factories import place_order

    tea = listed_product(title="Trà sâm Ngọc Linh", price=Decimal("150000"))
    wine = listed_product(title="Rượu Hồng Đào", price=Decimal("140000"))
    make_campaign(products=[tea, wine], percent=10)
    search_sync()

    place_order((tea, 1))

    assert ConditionalOffer.objects.get().total_discount == Decimal("15000")
    assert not SearchOutbox.objects.filter(product_id=wine.pk).exists()  # its price did not change


def test_an_order_spending_a_campaigns_budget_reprices_the_other_products_it_covers(
    backend, tea_and_wine, search_sync, django_capture_on_commit_callbacks
):
    from cms.tests.factories import place_order

    wine = get_model("catalogue", "Product").objects.get(title="Rượu Hồng Đào")
    with django_capture_on_commit_callbacks(execute=True):  # 10% off: 15.000 ₫ a tea, 14.000 ₫ a wine
        make_campaign(products=[tea_and_wine, wine], percent=10, budget=Decimal("20000"))
    search_sync()
    assert titles(price_max=Decimal("135000")) == ["Rượu Hồng Đào", "Trà sâm Ngọc Linh"]

    with django_capture_on_commit_callbacks(execute=True):
        place_order((wine, 1))  # 6.000 ₫ of budget left: less than a tea's discount, and the tea was not ordered
    search_sync()

    assert titles(price_max=Decimal("135000")) == []
    assert titles(sort=PRICE_ASC) == ["Rượu Hồng Đào", "Trà sâm Ngọc Linh"]
