"""Cached product cards (search/cards.py): a listing renders only the cards it has not cached, and a change
to anything a card shows is on the next page at once."""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from catalog import ocop
from catalog.tests.factories import CertificateFactory, ProductFactory, StockRecordFactory
from outlets import stock
from search.tests.factories import image_upload, listed_product

pytestmark = pytest.mark.django_db

ProductImage = get_model("catalogue", "ProductImage")
CATALOGUE = "/catalogue/"


def page(url: str = CATALOGUE, **headers) -> str:
    """The page as a new visitor sees it (no cookies)."""
    response = Client().get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def card_of(html: str, product) -> str:
    """The card of ``product`` in a listing page."""
    cards = re.findall(r'<article class="product_pod">.*?</article>', html, flags=re.S)
    mine = [card for card in cards if product.get_absolute_url() in card]
    assert len(mine) == 1, f"{product} has {len(mine)} cards on the page"
    return mine[0]


def test_a_cached_card_is_the_card_rendered_before_with_this_visitors_token(card_cache):
    product = listed_product(title="Nước mắm Cửa Đại", price=Decimal("85000"))

    rendered, cached = card_of(page(), product), card_of(page(), product)

    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", rendered) == token.sub("", cached)
    assert "__csrf_token__" not in cached
    assert "85.000" in cached


def test_a_visitor_adds_to_the_basket_from_a_cached_card(card_cache):
    product = listed_product(title="Bánh tráng Đại Lộc")
    page()  # another visitor's request caches the card

    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get(CATALOGUE).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', card_of(html, product)).group(1)
    added = visitor.post(
        reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1, "csrfmiddlewaretoken": token}
    )

    assert added.status_code == 302
    assert visitor.get(reverse("basket:summary")).context["basket"].num_items == 1


def test_a_price_change_shows_at_once_on_a_cached_card(card_cache, django_capture_on_commit_callbacks):
    product = listed_product(title="Mật ong rừng", price=Decimal("85000"))
    page()
    assert "85.000" in card_of(page(), product)

    with django_capture_on_commit_callbacks(execute=True):
        record = product.stockrecords.get()
        record.price = Decimal("99000")
        record.save()

    card = card_of(page(), product)
    assert "99.000" in card
    assert "85.000" not in card


def test_selling_out_shows_at_once_on_a_cached_card(card_cache, django_capture_on_commit_callbacks):
    product = listed_product(title="Trà xanh", stock=2)
    page()
    assert 'action="{}"'.format(reverse("basket:add", kwargs={"pk": product.pk})) in card_of(page(), product)

    with django_capture_on_commit_callbacks(execute=True):
        # An order sets aside the last two: the stock owner's UPDATE, no model save.
        stock.allocate([stock.Need(record_id=product.stockrecords.get().pk, quantity=2)])

    card = card_of(page(), product)
    assert 'action="{}"'.format(reverse("basket:add", kwargs={"pk": product.pk})) not in card
    assert "disabled" in card


def test_a_new_image_and_a_new_title_show_at_once_on_a_cached_card(card_cache, django_capture_on_commit_callbacks):
    product = listed_product(title="Gạo hữu cơ")
    page()
    before = card_of(page(), product)

    with django_capture_on_commit_callbacks(execute=True):
        ProductImage.objects.create(product=product, original=image_upload("gao.jpg"), display_order=0)
    with_image = card_of(page(), product)
    assert with_image != before
    assert re.search(r'<img src="[^"]*/cache/[^"]+"', with_image), "the card shows the new image's thumbnail"

    with django_capture_on_commit_callbacks(execute=True):
        product.title = "Gạo Hữu Cơ"  # folds like the old title: no column of the listing row changes
        product.save()
    html = page()
    assert "Gạo Hữu Cơ" in html and "Gạo hữu cơ" not in html


def test_a_certificate_lapse_by_date_alone_leaves_the_listing_with_its_cached_card(card_cache, monkeypatch):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    product = ProductFactory(title="Trà thảo mộc Trà My")
    StockRecordFactory(product=product)
    CertificateFactory(product=product, decision_date=ocop.add_months(tomorrow, -ocop.CERTIFICATE_VALIDITY_MONTHS))
    page()
    assert "Trà thảo mộc Trà My" in page()

    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(days=1))

    assert "Trà thảo mộc Trà My" not in page()


def test_each_language_gets_its_own_card(card_cache):
    product = listed_product(title="Nước mắm Cửa Đại")
    page(HTTP_ACCEPT_LANGUAGE="vi")

    english = card_of(page(HTTP_ACCEPT_LANGUAGE="en"), product)
    vietnamese = card_of(page(HTTP_ACCEPT_LANGUAGE="vi"), product)

    assert "OCOP 4 stars" in english and "₫150,000" in english and "In stock" in english
    assert "OCOP 4 sao" in vietnamese and "150.000" in vietnamese and "Còn hàng" in vietnamese


HOME = "/"


def test_the_home_page_s_featured_cards_come_from_the_card_cache_and_show_a_price_change_at_once(
    card_cache, fragment_cache, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    product = listed_product(title="Sâm Ngọc Linh", stars=5, price=Decimal("85000"))
    rendered = card_of(page(HOME), product)

    with CaptureQueriesContext(connection) as queries:
        cached = card_of(page(HOME), product)

    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", rendered) == token.sub("", cached)
    assert "85.000" in cached
    assert not [query for query in queries.captured_queries if "catalogue_productimage" in query["sql"]]

    with django_capture_on_commit_callbacks(execute=True):
        record = product.stockrecords.get()
        record.price = Decimal("99000")
        record.save()

    card = card_of(page(HOME), product)
    assert "99.000" in card
    assert "85.000" not in card


def test_a_certificate_lapse_by_date_alone_takes_a_cached_featured_card_off_the_home_page(
    card_cache, fragment_cache, monkeypatch
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    product = ProductFactory(title="Trà thảo mộc Trà My")
    StockRecordFactory(product=product)
    CertificateFactory(product=product, decision_date=ocop.add_months(tomorrow, -ocop.CERTIFICATE_VALIDITY_MONTHS))
    page(HOME)  # 4 stars: featured
    assert "Trà thảo mộc Trà My" in page(HOME)

    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(days=1))

    assert "Trà thảo mộc Trà My" not in page(HOME)


def test_a_product_newly_featured_shows_on_the_home_page_at_once(
    card_cache, fragment_cache, django_capture_on_commit_callbacks
):
    listed_product(title="Nước mắm Cửa Đại", stars=4)
    page(HOME)
    assert "Mật ong rừng" not in page(HOME)

    with django_capture_on_commit_callbacks(execute=True):
        listed_product(title="Mật ong rừng", stars=5)

    assert "Mật ong rừng" in page(HOME)
