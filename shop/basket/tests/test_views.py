"""The basket page and the checkout read a basket's lines in a number of queries that does not grow with them."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.tests.factories import make_certified_product
from shop.checkout.tests.factories import ADDRESS, ensure_vietnam

pytestmark = pytest.mark.django_db

# The basket, its lines with their attributes, images, stock records and certificates (which also
# say whether it is empty), its vouchers, the offers (twice: middleware and page), the navigation's groups.
BASKET_PAGE_MAX_QUERIES = 10


def client_with_basket_of(count: int) -> tuple[Client, list]:
    """A visitor whose basket holds one of each of ``count`` products, each from its own producer."""
    client = Client()
    products = [make_certified_product(title=f"Sản phẩm {n}") for n in range(count)]
    for product in products:
        response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
        assert response.status_code == 302
    return client, products


def queries_of_second_visit(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_basket_page_lists_every_line_with_its_producer_and_badge(client, django_assert_max_num_queries):
    client, products = client_with_basket_of(5)
    client.get(reverse("basket:summary"))

    with django_assert_max_num_queries(BASKET_PAGE_MAX_QUERIES):
        response = client.get(reverse("basket:summary"))

    html = response.content.decode()
    for product in products:
        assert product.title in html
        assert product.producer.name in html
    assert html.count('class="ocop-basket__badge"><span class="ocop-badge ocop-badge--4"') == 5
    # Oscar's own strings in the shop's wording (shop/basket/messages.py), not Oscar's "Trong kho ( 20 có sẵn)".
    assert html.count("Còn hàng (còn 20 sản phẩm)") == 5
    assert "Sản phẩm trong giỏ" in html


def test_basket_page_queries_do_not_grow_with_the_number_of_lines():
    one, _ = client_with_basket_of(1)
    five, _ = client_with_basket_of(5)
    url = reverse("basket:summary")

    assert queries_of_second_visit(one, url) == queries_of_second_visit(five, url) <= BASKET_PAGE_MAX_QUERIES


def test_pages_with_the_mini_basket_do_not_query_per_line():
    one, _ = client_with_basket_of(1)
    five, _ = client_with_basket_of(5)

    for url in (reverse("catalogue:index"), "/"):
        assert queries_of_second_visit(one, url) == queries_of_second_visit(five, url), url


def test_checkout_pages_queries_do_not_grow_with_the_number_of_lines():
    def checkout_queries(count: int) -> list[int]:
        ensure_vietnam()
        client, _ = client_with_basket_of(count)
        client.post(reverse("checkout:index"), {"username": "khach@example.vn", "options": "anonymous"})
        assert client.post(reverse("checkout:shipping-address"), ADDRESS).status_code == 302
        client.get(reverse("checkout:shipping-method"))
        assert client.post(reverse("checkout:payment-method"), {"method": "cod"}).status_code == 302
        names = ("checkout:shipping-address", "checkout:payment-method", "checkout:preview")
        return [queries_of_second_visit(client, reverse(name)) for name in names]

    assert checkout_queries(1) == checkout_queries(5)


def test_adding_a_product_with_an_option_keeps_the_buyers_choice_on_its_line(client):
    from oscar.core.loading import get_model

    Option = get_model("catalogue", "Option")
    product = make_certified_product(title="Trà sâm Ngọc Linh")
    engraving = Option.objects.create(name="Lời chúc trên hộp", code="loi-chuc", type=Option.TEXT, required=False)
    product.product_options.add(engraving)

    response = client.post(
        reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1, "loi-chuc": "Chúc mừng năm mới"}
    )

    assert response.status_code == 302
    basket = client.get(reverse("basket:summary")).context["basket"]
    [line] = basket.all_lines()
    assert [(a.option.code, a.value) for a in line.attributes.all()] == [("loi-chuc", "Chúc mừng năm mới")]


def test_a_lapsed_product_is_refused_with_the_reason_in_vietnamese(client):
    product = make_certified_product(lapsed=True)

    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1}, follow=True)

    assert "Không thể mua sản phẩm này: giấy chứng nhận OCOP của sản phẩm đã hết hạn." in response.content.decode()
    assert response.context["basket"].is_empty


def test_adding_more_than_the_free_stock_counts_what_the_basket_already_holds(client):
    product = make_certified_product(stock=3)
    assert client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 2}).status_code == 302

    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 2})

    basket = client.get(reverse("basket:summary")).context["basket"]
    assert basket.num_items == 2  # 2 + 2 would be more than the 3 in stock: the second add is refused


def test_a_voucher_added_then_removed_changes_the_total_on_the_next_page_at_once(client):
    from oscar.test.factories import create_voucher

    product = make_certified_product(price=150000)
    create_voucher(code="TET2027")  # Oscar's test voucher: 10% off everything
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 2})
    before = client.get(reverse("basket:summary")).context["basket"].total_incl_tax

    client.post(reverse("basket:vouchers-add"), {"code": "TET2027"})
    with_voucher = client.get(reverse("basket:summary")).context["basket"]
    voucher = with_voucher.vouchers.get()
    client.post(reverse("basket:vouchers-remove", kwargs={"pk": voucher.pk}))
    without = client.get(reverse("basket:summary")).context["basket"]

    assert with_voucher.total_incl_tax < before
    assert without.total_incl_tax == before


def test_each_add_says_the_new_total_with_the_campaign_discount_counted_once_per_unit(client):
    from django.contrib.messages import get_messages

    from cms.tests.factories import make_campaign

    tea = make_certified_product(title="Trà sâm Ngọc Linh", price=150000)
    honey = make_certified_product(title="Mật ong rừng", price=200000)
    make_campaign(products=[tea], percent=10)

    def total_said_after_adding(product) -> str:
        response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
        said = [str(message) for message in get_messages(response.wsgi_request)]  # this add's are the last
        return [text for text in said if "Tổng tiền giỏ hàng" in text][-1]

    first = total_said_after_adding(tea)
    again = total_said_after_adding(tea)  # the line kept from before the add grows to 2
    other = total_said_after_adding(honey)  # a new line joins the kept ones

    assert "135.000" in first
    assert "270.000" in again
    assert "470.000" in other
    basket = client.get(reverse("basket:summary")).context["basket"]
    assert [(line.product, line.quantity) for line in basket.all_lines()] == [(tea, 2), (honey, 1)]
    assert basket.total_incl_tax == 470000
