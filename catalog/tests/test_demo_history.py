"""The demo certification history: with the 43 real products it makes the province's published totals."""

import datetime
from collections import Counter
from itertools import pairwise

import pytest
from django.db import transaction
from django.db.models import Max, Min
from django.test import override_settings
from django.urls import reverse
from oscar.core.loading import get_model

from catalog import demo, demo_history
from catalog.selectors import browsable_products

Product = get_model("catalogue", "Product")
Producer = get_model("catalogue", "Producer")
District = get_model("catalogue", "District")
OcopCertificate = get_model("catalogue", "OcopCertificate")
StockRecord = get_model("partner", "StockRecord")

AS_OF = datetime.date(2024, 12, 31)
TODAY = datetime.date(2026, 11, 30)


# One worker runs the whole module under `make test` (pytest-xdist's --dist loadgroup), so that the demo
# is loaded once.
pytestmark = pytest.mark.xdist_group("demo-history")


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The real products and the demo history, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        with transaction.atomic():
            demo.load_demo(images=False, today=TODAY)
            summary = demo_history.load_demo_history(today=TODAY)
            yield summary
            transaction.set_rollback(True)


def demo_products():
    return Product.objects.filter(upc__startswith="DEMO-LS-")


def test_with_the_real_products_the_history_makes_the_provinces_published_totals(loaded, db):
    """407 products from 325 producers: food 302, beverages 32, herbal 24, handicraft 47, tourism 2; 61 4★, 346 3★."""
    certified = OcopCertificate.objects.filter(status="verified", decision_date__lte=AS_OF)
    latest = {}
    for product_id, stars, _day in certified.order_by("decision_date", "pk").values_list(
        "product_id", "stars", "decision_date"
    ):
        latest[product_id] = stars  # the stars of its latest certificate by the end of 2024
    products = Product.objects.filter(pk__in=latest)
    groups = Counter(products.values_list("categories__code", flat=True))

    assert len(latest) == 407
    assert groups == {"food": 302, "beverage": 32, "herbal": 24, "handicraft": 47, "tourism": 2}
    assert Counter(latest.values()) == {4: 61, 3: 346}
    assert products.values("producer").distinct().count() == 325


def test_demo_history_products_are_marked_registry_entries_never_for_sale(loaded, db, client):
    products = demo_products()

    assert products.count() == 366
    assert not products.filter(is_public=True).exists()
    assert not StockRecord.objects.filter(product__in=products).exists()
    assert not browsable_products().filter(upc__startswith="DEMO-LS-").exists()
    assert all("(demo " in title for title in products.values_list("title", flat=True))
    assert all(
        "(demo " in name
        for name in Producer.objects.filter(products__in=products).values_list("partner__name", flat=True)
    )
    certificates = OcopCertificate.objects.filter(product__in=products)
    assert not certificates.exclude(decision_number__startswith="DEMO-LS-").exists()
    assert set(certificates.values_list("note", flat=True)) == {demo_history.NOTE}


def test_a_demo_products_registry_page_says_it_is_not_sold_in_the_shop(
    loaded, db, client, django_assert_max_num_queries
):
    product = demo_products().order_by("pk").first()

    with django_assert_max_num_queries(12):
        page = client.get(reverse("programme:product", args=[product.pk]), HTTP_ACCEPT_LANGUAGE="vi")

    text = page.content.decode()
    assert page.status_code == 200
    assert product.title in text and "Không bán trên sàn" in text
    assert client.get(reverse("programme:product_qr", args=[product.pk, "svg"])).status_code == 200


def test_the_history_spreads_over_years_and_places_with_upgrades_renewals_and_lapses(loaded, db):
    certificates = OcopCertificate.objects.filter(product__in=demo_products())
    first_years = Counter(
        day.year
        for day in certificates.values("product").annotate(first=Min("decision_date")).values_list("first", flat=True)
    )
    chains = {}
    for product_id, stars, day in certificates.order_by("decision_date", "pk").values_list(
        "product_id", "stars", "decision_date"
    ):
        chains.setdefault(product_id, []).append((stars, day))
    upgrades = sum(b[0] > a[0] for chain in chains.values() for a, b in pairwise(chain))
    last_decisions = certificates.values("product").annotate(last=Max("valid_until")).values_list("last", flat=True)
    lapsed = sum(1 for valid_until in last_decisions if valid_until <= TODAY)

    assert sorted(first_years) == [2019, 2020, 2021, 2022, 2023, 2024]
    assert min(first_years.values()) >= 40
    assert {day.year for chain in chains.values() for _stars, day in chain} >= {2025, 2026}
    assert set(District.objects.values_list("name", flat=True)) == set(
        demo_products().values_list("producer__district__name", flat=True)
    )
    assert demo_products().values("producer__commune").distinct().count() >= 60
    assert upgrades >= 20 and 50 <= lapsed <= 200
    assert (loaded.upgrades, loaded.lapsed) == (upgrades, lapsed)
    assert certificates.filter(kind="renewal").count() > 150
    for certificate in certificates.filter(stars=3, decision_date__year__gte=2024)[:20]:
        assert certificate.level == "district"
        certificate.full_clean()


def test_loading_the_history_again_keeps_its_rows(loaded, db):
    before = (demo_products().count(), OcopCertificate.objects.count(), Producer.objects.count())

    summary = demo_history.load_demo_history(today=TODAY)

    assert not summary.created
    assert (demo_products().count(), OcopCertificate.objects.count(), Producer.objects.count()) == before
