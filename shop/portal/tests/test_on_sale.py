"""What a producer sees as on sale is what buyers see: the partner strategy's OCOP rule, on every portal screen."""

import csv
import io
import re

import pytest
from django.urls import reverse

from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import producer_user

pytestmark = pytest.mark.django_db

NOT_FOR_SALE = "Ngừng bán: giấy chứng nhận OCOP đã hết hạn"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def lapsed_and_current(client):
    user, producer = producer_user()
    current = make_certified_product(producer=producer, title="Trà sâm")
    lapsed = make_certified_product(producer=producer, title="Nước mắm Cửa Đại", lapsed=True)
    client.force_login(user)
    return current, lapsed


def test_the_public_page_of_a_lapsed_product_says_not_for_sale(client, lapsed_and_current):
    _current, lapsed = lapsed_and_current
    assert NOT_FOR_SALE in text_of(client.get(lapsed.get_absolute_url()))


def test_the_dashboard_counts_only_products_the_shop_sells(client, lapsed_and_current, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as baseline:
        client.get(reverse("portal:dashboard"))
    _current, lapsed = lapsed_and_current
    for _ in range(3):
        make_certified_product(producer=lapsed.producer, lapsed=True)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = client.get(reverse("portal:dashboard"))
    html = response.content.decode()
    assert "Sản phẩm đang bán" in html
    assert re.search(r'data-testid="products-on-sale">\s*1\s*<', html)


def test_the_product_list_and_the_edit_page_say_a_lapsed_product_is_not_for_sale(client, lapsed_and_current):
    current, lapsed = lapsed_and_current
    listing = client.get(reverse("portal:product_list")).content.decode()
    rows = dict(re.findall(r'<tr data-product="(\d+)">(.*?)</tr>', listing, flags=re.S))
    assert NOT_FOR_SALE in rows[str(lapsed.pk)] and "Đang bán" in rows[str(current.pk)]
    assert NOT_FOR_SALE not in rows[str(current.pk)]
    assert NOT_FOR_SALE in text_of(client.get(reverse("portal:product_edit", args=[lapsed.pk])))
    assert NOT_FOR_SALE not in text_of(client.get(reverse("portal:product_edit", args=[current.pk])))


def test_the_csv_export_says_a_lapsed_product_is_not_on_sale(client, lapsed_and_current):
    exported = client.get(reverse("portal:product_export")).content.decode("utf-8-sig")
    on_sale = {row["title"]: row["on_sale"] for row in csv.DictReader(io.StringIO(exported))}
    assert on_sale == {"Trà sâm": "yes", "Nước mắm Cửa Đại": "no"}
