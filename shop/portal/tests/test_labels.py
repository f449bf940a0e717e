"""The producer prints QR labels for the products on sale; each code opens the product's public page."""

import io
import re

import pytest
import zxingcpp
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import producer_user

pytestmark = pytest.mark.django_db

LABELS_MAX_QUERIES = 19  # measured: session, user, producer, products with prefetches, page chrome


def test_the_label_sheet_has_a_2_cm_code_for_each_product_on_sale(client, django_assert_max_num_queries):
    user, producer = producer_user()
    on_sale = [make_certified_product(producer=producer, title=f"Trà xanh {n}") for n in range(3)]
    make_certified_product(producer=producer, title="Chưa duyệt", is_public=False)
    client.force_login(user)

    with django_assert_max_num_queries(LABELS_MAX_QUERIES):
        page = client.get(reverse("portal:labels")).content.decode()

    codes = re.findall(r'<img src="([^"]+/qr\.svg)"', page)
    assert codes == [reverse("programme:product_qr", args=[p.pk, "svg"]) for p in reversed(on_sale)]
    assert "Chưa duyệt" not in page
    assert ".ocop-label img { width:2cm; height:2cm;" in page
    assert "@media print" in page


def label_sheet_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("portal:labels")).status_code == 200
    return len(queries)


def test_the_label_sheet_queries_do_not_grow_with_products(client):
    user, producer = producer_user()
    make_certified_product(producer=producer, title="Sản phẩm đầu")
    client.force_login(user)
    label_sheet_queries(client)
    one = label_sheet_queries(client)
    for n in range(12):
        make_certified_product(producer=producer, title=f"Sản phẩm {n}")
    assert label_sheet_queries(client) == one


def test_a_printed_code_opens_the_page_that_says_the_badge_is_valid_today(client):
    user, producer = producer_user()
    product = make_certified_product(producer=producer, stars=4)
    client.force_login(user)
    png = client.get(reverse("programme:product_qr", args=[product.pk, "png"])).content

    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))

    page = client.get(code.text, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "valid today" in page
