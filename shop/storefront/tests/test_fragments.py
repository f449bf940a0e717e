"""The product page's shared parts from the cache (shop/storefront/fragments.py): the same page for every visitor,
with their own CSRF token, and never a stale price, stock, certificate, campaign, picture or language."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from catalog import ocop
from catalog.tests.factories import CertificateFactory, ProductFactory, StockRecordFactory, make_certified_product
from catalog.tests.helpers import make_user
from cms.tests.factories import make_campaign
from outlets.tests.factories import make_outlet, stock_at
from search.tests.factories import image_upload
from shop.order.tests.factories import place_order

pytestmark = pytest.mark.django_db

ProductImage = get_model("catalogue", "ProductImage")

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def page(url, client=None) -> str:
    response = (client or Client()).get(url)
    assert response.status_code == 200
    return response.content.decode()


def without_tokens(html: str) -> str:
    return CSRF_TOKEN.sub('name="csrfmiddlewaretoken" value=""', re.sub(r'nonce="[^"]*"', 'nonce=""', html))


def test_the_next_visitor_gets_the_same_page_from_the_cache_with_a_token_that_adds_to_the_basket(fragment_cache):
    product = make_certified_product(title="Bánh tráng Đại Lộc")
    make_certified_product(title="Mì Quảng Phú Chiêm", producer=product.producer)  # a related card, with its form
    url = product.get_absolute_url()
    with CaptureQueriesContext(connection) as rendered:
        first = page(url)

    visitor = Client(enforce_csrf_checks=True)
    with CaptureQueriesContext(connection) as cached:
        html = page(url, visitor)

    assert len(cached) < len(rendered) - 10
    assert without_tokens(html) == without_tokens(first)
    assert not set(CSRF_TOKEN.findall(html)) & set(CSRF_TOKEN.findall(first))  # the visitor's own, in every form
    form = html[html.index('id="add_to_basket_form"') :]
    added = visitor.post(
        reverse("basket:add", kwargs={"pk": product.pk}),
        {"quantity": 2, "csrfmiddlewaretoken": CSRF_TOKEN.search(form).group(1)},
    )
    assert added.status_code == 302
    assert visitor.get(reverse("basket:summary")).context["basket"].num_items == 2


def test_a_price_change_shows_at_once(fragment_cache, django_capture_on_commit_callbacks):
    product = make_certified_product(price=Decimal("85000"))
    page(product.get_absolute_url())
    assert "85.000" in page(product.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        record = product.stockrecords.get()
        record.price = Decimal("99000")
        record.save()

    html = page(product.get_absolute_url())
    assert "99.000" in html and "85.000" not in html


def test_a_stock_change_at_a_sales_point_shows_at_once(fragment_cache, django_capture_on_commit_callbacks):
    product = make_certified_product()
    outlet = make_outlet(name="Điểm bán Hội An")
    page(product.get_absolute_url())
    assert "Điểm bán Hội An" not in page(product.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        stock_at(outlet, product, 3)

    assert re.search(r">Điểm bán Hội An</a>.*còn 3", page(product.get_absolute_url()))


def test_a_certificate_lapses_from_the_page_on_its_day_without_a_write(fragment_cache, monkeypatch):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    product = ProductFactory(title="Trà thảo mộc Trà My")
    StockRecordFactory(product=product)
    CertificateFactory(product=product, decision_date=ocop.add_months(tomorrow, -ocop.CERTIFICATE_VALIDITY_MONTHS))
    page(product.get_absolute_url())
    assert 'id="add_to_basket_form"' in page(product.get_absolute_url())

    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(days=1))

    html = page(product.get_absolute_url())
    assert 'id="add_to_basket_form"' not in html
    assert "Giấy chứng nhận OCOP đã hết hạn" in html


def set_clock(monkeypatch, moment: datetime.datetime) -> None:
    """Django's clock, and the one Oscar's offers read (imported by name)."""
    from oscar.apps.offer import abstract_models, managers

    for module in (timezone, managers, abstract_models):
        monkeypatch.setattr(module, "now", lambda: moment)


def test_a_campaign_price_shows_when_it_starts_and_goes_when_it_ends_without_a_write(fragment_cache, monkeypatch):
    product = make_certified_product(title="Trà sâm", price=Decimal("150000"))
    hour = datetime.timedelta(hours=1)
    make_campaign(products=[product], percent=10, starts_in=hour, lasts=2 * hour)
    url = product.get_absolute_url()
    page(url)
    assert "135.000" not in page(url)

    now = timezone.now()
    set_clock(monkeypatch, now + datetime.timedelta(hours=2))
    assert "135.000" in page(url)

    set_clock(monkeypatch, now + datetime.timedelta(hours=4))
    assert "135.000" not in page(url)


def test_a_new_picture_shows_at_once(fragment_cache, django_capture_on_commit_callbacks):
    product = make_certified_product()
    page(product.get_absolute_url())
    assert 'alt="Chai 500 ml"' not in page(product.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        ProductImage.objects.create(product=product, original=image_upload(), caption="Chai 500 ml", display_order=0)

    assert 'alt="Chai 500 ml"' in page(product.get_absolute_url())


def test_each_language_has_its_own_page(fragment_cache):
    product = make_certified_product(title="Trà đảng sâm", title_en="Codonopsis tea")
    page(product.get_absolute_url())
    english = Client()
    english.post(reverse("set_language"), {"language": "en", "next": "/"})

    html = page(product.get_absolute_url(), english)

    assert '<h1 class="ocop-product__title">Codonopsis tea</h1>' in html
    assert "OCOP certificate" in html and "Giấy chứng nhận OCOP" not in html
    assert '<h1 class="ocop-product__title">Trà đảng sâm</h1>' in page(product.get_absolute_url())


def test_staff_and_buyers_see_their_own_links_and_guests_neither(fragment_cache, client, django_user_model):
    product = make_certified_product()
    buyer = make_user("lan@example.vn")
    place_order(product, user=buyer).lines.update(status="delivered")
    staff = django_user_model.objects.create_user(username="bientap", email="bientap@example.vn", is_staff=True)
    edit_link, review_link = "Sửa sản phẩm này", 'id="write_review"'
    page(product.get_absolute_url())

    client.force_login(staff)
    staff_page = page(product.get_absolute_url(), client)
    client.force_login(buyer)
    buyer_page = page(product.get_absolute_url(), client)
    guest_page = page(product.get_absolute_url())

    assert (edit_link in staff_page, review_link in staff_page) == (True, False)
    assert (edit_link in buyer_page, review_link in buyer_page) == (False, True)
    assert (edit_link in guest_page, review_link in guest_page) == (False, False)


def test_a_refused_quantity_comes_back_in_its_visitors_form(fragment_cache):
    product = make_certified_product(stock=5)
    url = product.get_absolute_url()
    page(url)
    visitor = Client()

    response = visitor.post(
        reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 50}, HTTP_REFERER=url, follow=True
    )

    assert 'name="quantity" id="id_quantity" value="50"' in response.content.decode()
    assert 'name="quantity" id="id_quantity" value="1"' in page(url, visitor)  # shown once, as Oscar does


def test_a_discount_limited_per_customer_shows_only_to_the_customers_it_is_still_open_to(fragment_cache):
    from cms.tests.factories import place_order as place_order_with_offers

    product = make_certified_product(title="Trà sâm", price=Decimal("150000"))
    make_campaign(products=[product], percent=10, per_customer_limit=1)
    url = product.get_absolute_url()
    used_it, new_customer = make_user("lan@example.vn"), make_user("minh@example.vn")
    place_order_with_offers((product, 1), user=used_it)  # the version is raised only on commit: not in a test
    clients = {}
    for name, user in (("used it", used_it), ("new customer", new_customer)):
        clients[name] = Client()
        clients[name].force_login(user)

    pages = [page(url), page(url, clients["new customer"]), page(url, clients["used it"]), page(url)]

    assert ["135.000" in html for html in pages] == [False, True, False, False]
