"""The product page and the producer shop pages, as a shopper sees them."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.tests.factories import ProducerFactory, make_certified_product
from shop.order.tests.factories import place_order
from shop.storefront.templatetags.storefront import related_products

pytestmark = pytest.mark.django_db

Category = get_model("catalogue", "Category")
ProductReview = get_model("reviews", "ProductReview")

PRODUCT_PAGE_MAX_QUERIES = 28  # includes the sales points and campaign price lookups
PRODUCER_PAGE_MAX_QUERIES = 16


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_product_page_offers_a_quantity_shows_origin_before_the_description_and_no_tax(
    client, django_assert_max_num_queries
):
    producer = ProducerFactory(commune="Xã Duy Sơn")
    product = make_certified_product(title="Nước mắm Cửa Đại", producer=producer, description="<p>Cá cơm</p>")

    with django_assert_max_num_queries(PRODUCT_PAGE_MAX_QUERIES):
        response = client.get(product.get_absolute_url())

    html, text = response.content.decode(), text_of(response)
    assert 'name="quantity" id="id_quantity" value="1" min="1" max="20"' in html
    assert "Bớt một" in text and "Thêm một" in text
    assert text.index("Xuất xứ") < text.index("Giấy chứng nhận OCOP") < text.index("Cá cơm")
    assert f"Nhà sản xuất {producer.name}" in text and "Xã Duy Sơn" in text
    assert "Thuế" not in text and "Tax" not in text
    shop_url = reverse("storefront:producer", kwargs={"code": producer.partner.code})
    assert f'href="{shop_url}"' in html


def test_related_products_come_from_the_same_producer_first_then_the_same_group(client, django_assert_max_num_queries):
    tea = Category.objects.get(name="Chè")
    product = make_certified_product(title="Chè Tiên Phước")
    product.categories.add(tea)
    make_certified_product(title="Tiêu Tiên Phước", producer=product.producer)
    same_group = make_certified_product(title="Chè xanh Đại Lộc")
    same_group.categories.add(tea)
    make_certified_product(title="Nước mắm Cửa Khe")  # neither

    for _ in range(2):  # the query count does not grow with related products
        make_certified_product(producer=product.producer)
    with django_assert_max_num_queries(PRODUCT_PAGE_MAX_QUERIES):
        response = client.get(product.get_absolute_url())

    related = text_of(response).split("Cùng nhà sản xuất và cùng nhóm hàng")[1]
    assert related.index("Tiêu Tiên Phước") < related.index("Chè xanh Đại Lộc")
    assert "Nước mắm Cửa Khe" not in related


def test_related_products_are_listed_ones_producer_first_then_group_by_stars_and_newest():
    tea = Category.objects.get(name="Chè")
    product = make_certified_product(title="Chè Tiên Phước", stars=4)
    product.categories.add(tea)
    make_certified_product(title="Tiêu Tiên Phước", producer=product.producer, stars=3)
    make_certified_product(title="Mật ong Tiên Phước", producer=product.producer, stars=5)
    older_five = make_certified_product(title="Chè xanh Đại Lộc", stars=5)
    newer_five = make_certified_product(title="Chè búp Nam Trà My", stars=5)
    group_three = make_certified_product(title="Chè dây Hiệp Đức", stars=3)
    lapsed = make_certified_product(title="Chè cũ", stars=5, lapsed=True)
    hidden = make_certified_product(title="Chè ẩn", producer=product.producer, stars=5)
    hidden.is_public = False
    hidden.save()
    for member in (older_five, newer_five, group_three, lapsed, hidden):
        member.categories.add(tea)
    make_certified_product(title="Nước mắm Cửa Khe", stars=5)  # neither

    related = [card.title for card in related_products(product)]

    assert related == [
        "Mật ong Tiên Phước",
        "Tiêu Tiên Phước",
        "Chè búp Nam Trà My",
        "Chè xanh Đại Lộc",
        "Chè dây Hiệp Đức",
    ]
    assert [card.title for card in related_products(product, limit=2)] == related[:2]


def test_producer_page_shows_story_contact_certificates_and_every_product(client, django_assert_max_num_queries):
    producer = ProducerFactory(
        partner__name="HTX Trà Tiên Phước",
        story="Ba thế hệ trồng chè trên đồi Tiên Phước.",
        commune="Xã Tiên Phước",
        phone="+84905123456",
    )
    make_certified_product(title="Chè xanh", producer=producer, stars=4)
    make_certified_product(title="Chè búp khô", producer=producer, stars=3)
    make_certified_product(title="Mật ong", producer=producer, lapsed=True)
    make_certified_product(title="Sản phẩm của người khác")
    url = reverse("storefront:producer", kwargs={"code": producer.partner.code})

    with django_assert_max_num_queries(PRODUCER_PAGE_MAX_QUERIES):
        response = client.get(url)

    text = text_of(response)
    assert "HTX Trà Tiên Phước" in text and "Ba thế hệ trồng chè trên đồi Tiên Phước." in text
    assert "0905 123 456" in text and 'href="tel:0905123456"' in response.content.decode()
    assert "Xã Tiên Phước" in text and producer.district.name in text
    assert "Sản phẩm (3)" in text
    assert "Chè xanh" in text and "Chè búp khô" in text and "Sản phẩm của người khác" not in text
    assert "Mật ong" in text and "Ngừng bán" in text  # a lapsed certificate: shown, not for sale
    assert "OCOP 4 sao" in text and "hiệu lực đến" in text

    for _ in range(3):
        make_certified_product(producer=producer)
    with django_assert_max_num_queries(PRODUCER_PAGE_MAX_QUERIES):
        assert client.get(url).status_code == 200


def test_an_unknown_producer_page_is_not_found(client):
    assert client.get(reverse("storefront:producer", kwargs={"code": "khong-co"})).status_code == 404


def test_only_a_buyer_who_received_the_product_may_review_it(client, django_user_model):
    product = make_certified_product(price=Decimal("50000"))
    buyer = django_user_model.objects.create_user(username="lan", email="lan@example.vn", password="x")
    visitor = django_user_model.objects.create_user(username="minh", email="minh@example.vn", password="x")
    order = place_order(product, user=buyer)
    add_url = reverse("catalogue:reviews-add", kwargs={"product_slug": product.slug, "product_pk": product.pk})
    review = {"title": "Ngon", "score": 5, "body": "Đậm đà."}

    client.force_login(visitor)
    client.post(add_url, review)
    client.force_login(buyer)
    client.post(add_url, review)  # ordered but not yet received
    assert not ProductReview.objects.exists()

    order.lines.update(status="delivered")
    response = client.post(add_url, review)

    assert response.status_code == 302
    assert ProductReview.objects.get().user == buyer
