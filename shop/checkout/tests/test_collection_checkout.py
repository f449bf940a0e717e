"""Delivery or collection comes first; collecting at a sales point needs no address and is paid on collection."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product
from outlets.tests.factories import make_outlet, manager, stock_at
from shop.checkout.tests.conftest import place_order_data
from shop.checkout.tests.factories import ADDRESS, ensure_vietnam
from shop.order import collection

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

PAY_ON_COLLECTION = "Thanh toán khi nhận hàng tại điểm bán"
PAY_THE_COURIER = "trả tiền cho người giao hàng"


@pytest.fixture
def basket_held_at_a_point(client):
    """A guest's basket of a tea that the Phố Cổ point holds; the checkout is past the e-mail step."""
    ensure_vietnam()
    tea = make_certified_product(price=Decimal("120000"), stock=5, title="Trà sâm Ngọc Linh")
    point = make_outlet(name="Điểm bán OCOP Phố Cổ")
    stock_at(point, tea, 3)
    client.post(reverse("basket:add", kwargs={"pk": tea.pk}), {"quantity": 2})
    response = client.post(reverse("checkout:index"), {"username": "khach@example.vn", "options": "anonymous"})
    assert response["Location"] == reverse("checkout:shipping-method")
    return point


def choose(client, code: str):
    return client.post(reverse("checkout:shipping-method"), {"method_code": code})


def test_the_buyer_chooses_delivery_or_collection_before_any_address(
    client, basket_held_at_a_point, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40):
        page = client.get(reverse("checkout:shipping-method"))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Bạn muốn nhận hàng thế nào?" in text
    assert 'value="home-delivery"' in text and f'value="collect-{basket_held_at_a_point.pk}"' in text
    assert "Chọn cách này" in text and "Miễn phí" in text  # collecting costs nothing, said in words
    assert "Select option" not in text and "Chọn tùy chọn" not in text
    # Every step keeps its name for screen readers (a phone shows only the current one's); one is current.
    assert all(name in text for name in ("1. Cách nhận hàng", "2. Địa chỉ", "3. Thanh toán", "4. Xem lại"))
    assert text.count('aria-current="step"') == 1


def test_collecting_asks_only_who_collects_and_is_paid_on_collection_everywhere(
    client, basket_held_at_a_point, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    point = basket_held_at_a_point
    assert choose(client, f"collect-{point.pk}")["Location"] == reverse("checkout:shipping-address")

    with django_assert_max_num_queries(40):
        form_page = client.get(reverse("checkout:shipping-address"))
    form = form_page.context["form"]
    assert set(form.fields) - {"country"} == {"first_name", "phone_number", "notes"}  # no street, ward or province
    assert "Điểm bán OCOP Phố Cổ" in form_page.content.decode()

    response = client.post(
        reverse("checkout:shipping-address"), {"first_name": "Nguyễn Thị Lan", "phone_number": "0905123456"}
    )
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == reverse("checkout:payment-method")
    payment = client.get(reverse("checkout:payment-method")).content.decode()
    assert PAY_ON_COLLECTION in payment and PAY_THE_COURIER not in payment
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    assert PAY_ON_COLLECTION in client.get(reverse("checkout:preview")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        thanks = client.post(reverse("checkout:preview"), place_order_data(client), follow=True)

    order = Order.objects.get()
    assert order.shipping_code == f"collect-{point.pk}" and order.shipping_incl_tax == 0
    assert order.sources.get().source_type.name == "Pay on collection at the sales point"  # staff pages say so
    address = order.shipping_address
    assert (address.first_name, address.line1, address.ward_code) == ("Nguyễn Thị Lan", point.street, point.ward_code)
    assert PAY_ON_COLLECTION in thanks.content.decode()
    placed = mail.outbox[0].body
    assert f"Thanh toán: {PAY_ON_COLLECTION}" in placed and "Nhận hàng tại:" in placed
    assert "Cash on delivery" not in placed and "Thanh toán khi nhận hàng\n" not in placed

    # The point's manager sees how it is paid, and the "ready" e-mail says what to pay at the counter.
    ana = manager("ana@example.vn")
    point.managers.add(ana)
    client.force_login(ana)
    with django_assert_max_num_queries(20):
        counter = client.get(reverse("outlets:collections", args=[point.slug])).content.decode()
    assert PAY_ON_COLLECTION in counter and "thu 240.000" in counter
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        collection.mark_ready(order=order, outlet=point)
    assert f"{PAY_ON_COLLECTION}: trả 240.000" in mail.outbox[0].body


def test_choosing_delivery_asks_for_the_address_and_is_cash_on_delivery(client, basket_held_at_a_point):
    assert choose(client, "home-delivery")["Location"] == reverse("checkout:shipping-address")
    assert "line1" in client.get(reverse("checkout:shipping-address")).context["form"].fields

    response = client.post(reverse("checkout:shipping-address"), ADDRESS)

    assert response["Location"] == reverse("checkout:payment-method")
    payment = client.get(reverse("checkout:payment-method")).content.decode()
    assert PAY_THE_COURIER in payment and PAY_ON_COLLECTION not in payment


def test_switching_from_collection_to_delivery_forgets_the_points_address(client, basket_held_at_a_point):
    point = basket_held_at_a_point
    choose(client, f"collect-{point.pk}")
    client.post(reverse("checkout:shipping-address"), {"first_name": "Nguyễn Thị Lan", "phone_number": "0905123456"})

    choose(client, "home-delivery")
    form = client.get(reverse("checkout:shipping-address")).context["form"]

    assert "line1" in form.fields and not form.initial.get("line1")


def points_looked_up(client, url) -> list[str]:
    """The queries of a GET of ``url`` that ask which sales points hold the basket."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured if 'FROM "outlets_outlet"' in q["sql"] and "partner_stockrecord" in q["sql"]]


def test_pages_after_choosing_delivery_never_look_for_the_points_holding_the_basket(client, basket_held_at_a_point):
    # Oscar asks for the shipping methods three times a page (pre-conditions, skip conditions, the page);
    # home delivery is always on offer, so checking the buyer's choice needs no sales point.
    choose(client, "home-delivery")
    assert client.post(reverse("checkout:shipping-address"), ADDRESS).status_code == 302
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    for url in (reverse("checkout:payment-method"), reverse("checkout:preview")):
        assert points_looked_up(client, url) == [], url


def test_pages_after_choosing_a_point_check_that_point_alone_once(client, basket_held_at_a_point):
    point = basket_held_at_a_point
    choose(client, f"collect-{point.pk}")
    client.post(reverse("checkout:shipping-address"), {"first_name": "Nguyễn Thị Lan", "phone_number": "0905123456"})
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    for url in (reverse("checkout:payment-method"), reverse("checkout:preview")):
        lookups = points_looked_up(client, url)
        assert len(lookups) == 1, url
        assert f'"outlets_outlet"."id" = {point.pk}' in lookups[0], url


def test_a_point_that_no_longer_holds_the_basket_sends_the_buyer_back_to_choose(client, basket_held_at_a_point):
    point = basket_held_at_a_point
    choose(client, f"collect-{point.pk}")
    client.post(reverse("checkout:shipping-address"), {"first_name": "Nguyễn Thị Lan", "phone_number": "0905123456"})
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    point.partner.stockrecords.update(num_allocated=2)  # another buyer took two of its three teas

    response = client.get(reverse("checkout:preview"), follow=True)

    # Back to the choice, where only delivery is left now (so on to the delivery address), saying why.
    assert [url for url, _status in response.redirect_chain[:2]] == [
        reverse("checkout:shipping-method"),
        reverse("checkout:shipping-address"),
    ]
    assert "Phương thức vận chuyển được chọn trước đó của bạn không còn hợp lệ" in response.content.decode()


def test_a_signed_in_customer_collecting_keeps_the_points_street_out_of_the_address_book(
    client, django_capture_on_commit_callbacks
):
    ensure_vietnam()
    customer = get_user_model().objects.create_user(username="lan", email="lan@example.vn", password="x-secret-123")
    client.force_login(customer)
    tea = make_certified_product(price=Decimal("120000"), stock=5, title="Trà sâm Ngọc Linh")
    point = make_outlet(name="Điểm bán OCOP Phố Cổ")
    stock_at(point, tea, 3)
    client.post(reverse("basket:add", kwargs={"pk": tea.pk}), {"quantity": 1})
    choose(client, f"collect-{point.pk}")
    client.post(reverse("checkout:shipping-address"), {"first_name": "Nguyễn Thị Lan", "phone_number": "0905123456"})
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("checkout:preview"), place_order_data(client))

    assert response["Location"] == reverse("checkout:thank-you")
    assert Order.objects.get().shipping_address.line1  # the order keeps the point's street
    assert not customer.addresses.exists()  # the customer's own address book does not
