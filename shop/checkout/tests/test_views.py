from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product
from shop.checkout.tests.conftest import place_order_data
from shop.checkout.tests.factories import ADDRESS, ensure_vietnam, free_stock
from shop.order import statuses

Order = get_model("order", "Order")


@pytest.mark.django_db
def test_guest_pays_cash_on_delivery_and_sees_both_producers_parts(
    client, checkout_as_guest, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    tea = make_certified_product(price=Decimal("120000"), stock=5, title="Trà sâm Ngọc Linh", stars=5)
    mat = make_certified_product(price=Decimal("90000"), stock=5, title="Chiếu cói Duy Xuyên", stars=3)
    checkout_as_guest((tea, 1), (mat, 2))

    preview = client.get(reverse("checkout:preview"))
    assert "Trà sâm Ngọc Linh" in preview.content.decode()
    data = place_order_data(client)
    with django_assert_max_num_queries(120), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("checkout:preview"), data, follow=True)

    order = Order.objects.get()
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("checkout:thank-you")
    assert order.number in page
    assert tea.producer.partner.name in page and mat.producer.partner.name in page
    assert order.status == statuses.PLACED
    assert order.total_incl_tax == Decimal("300000") + Decimal("30000") + Decimal("20000")  # 2 kg of parcels
    assert "350.000" in page
    assert (free_stock(tea), free_stock(mat)) == (4, 3)
    assert order.shipping_address.phone_number.as_e164 == "+84905123456"
    assert "0905 123 456" in page and "+84905123456" not in page  # the number as Vietnamese people write it
    assert "nav-checkout" not in page and "Quay lại giỏ hàng" not in page  # no steps left, the basket is empty
    assert 'id="order-status-link"' in page and "Xem trạng thái đơn hàng" in page
    assert mail.outbox[0].to == ["khach@example.vn"]
    body = mail.outbox[0].body
    assert "OCOP 5" in body or "5 sao" in body
    assert "120.000" in body


@pytest.mark.django_db
def test_thank_you_page_queries_do_not_grow_with_lines(client, checkout_as_guest, django_assert_max_num_queries):
    products = [make_certified_product(stock=5) for _ in range(4)]
    checkout_as_guest(*[(product, 1) for product in products])
    client.post(reverse("checkout:preview"), place_order_data(client))

    with django_assert_max_num_queries(40):
        response = client.get(reverse("checkout:thank-you"))
    assert response.status_code == 200
    assert response.content.decode().count('class="order-part ') == 4


@pytest.mark.django_db
def test_pressing_place_order_twice_makes_one_order(client, checkout_as_guest):
    product = make_certified_product(stock=5)
    checkout_as_guest((product, 1))
    data = place_order_data(client)

    first = client.post(reverse("checkout:preview"), data)
    second = client.post(reverse("checkout:preview"), data)

    assert first["Location"] == second["Location"] == reverse("checkout:thank-you")
    assert Order.objects.count() == 1
    assert free_stock(product) == 4


@pytest.mark.django_db
def test_sold_out_product_is_named_and_basket_kept(client, checkout_as_guest):
    product = make_certified_product(stock=3, title="Nước mắm Cửa Đại")
    checkout_as_guest((product, 2))
    data = place_order_data(client)
    product.stockrecords.update(num_allocated=2)

    response = client.post(reverse("checkout:preview"), data, follow=True)

    assert response.redirect_chain[-1][0] == reverse("basket:summary")
    assert "Nước mắm Cửa Đại" in response.content.decode()
    assert Order.objects.count() == 0
    assert response.context["basket"].num_items == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("phone", "stored"),
    [("0905123456", "+84905123456"), ("+84905123456", "+84905123456"), ("0235 3861 234", "+842353861234")],
)
def test_address_form_accepts_vietnamese_phone_numbers_and_the_order_stores_them(
    client, checkout_as_guest, phone, stored
):
    product = make_certified_product(stock=5)
    checkout_as_guest((product, 1), address={**ADDRESS, "phone_number": phone})

    client.post(reverse("checkout:preview"), place_order_data(client))

    assert Order.objects.get().shipping_address.phone_number.as_e164 == stored


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["12345", "+442079460000"])
def test_address_form_refuses_other_phone_numbers(client, phone):
    product = make_certified_product(stock=5)
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    client.post(reverse("checkout:index"), {"username": "a@example.vn", "options": "anonymous"})

    response = client.post(reverse("checkout:shipping-address"), {**ADDRESS, "phone_number": phone})

    assert response.status_code == 200
    assert "phone_number" in response.context["form"].errors


@pytest.mark.django_db
def test_card_option_is_hidden_without_stripe_keys(client, checkout_as_guest, settings):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_PUBLISHABLE_KEY = ""
    product = make_certified_product(stock=5)
    checkout_as_guest((product, 1))

    page = client.get(reverse("checkout:payment-method")).content.decode()

    assert 'value="cod"' in page
    assert 'value="card"' not in page


@pytest.mark.django_db
def test_free_delivery_threshold_is_english_money_on_english_pages(
    client, checkout_as_guest, django_assert_max_num_queries
):
    checkout_as_guest((make_certified_product(stock=5), 1))

    with django_assert_max_num_queries(40):
        page = client.get(reverse("checkout:preview"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Free for orders of ₫500,000 or more." in page
    assert "500.000" not in page


@pytest.mark.django_db
def test_signed_in_customer_checks_out_with_cash_on_delivery_and_finds_the_order_in_the_history(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    ensure_vietnam()
    customer = get_user_model().objects.create_user(username="lan", email="lan@example.vn", password="x-secret-123")
    client.force_login(customer)
    product = make_certified_product(price=Decimal("120000"), stock=5, title="Trà sâm Ngọc Linh")
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 2})

    assert client.get(reverse("checkout:index"))["Location"] == reverse("checkout:shipping-method")
    response = client.post(reverse("checkout:shipping-address"), ADDRESS)
    assert response.status_code == 302, response.context["form"].errors
    client.get(reverse("checkout:shipping-method"))
    assert client.post(reverse("checkout:payment-method"), {"method": "cod"})["Location"] == reverse("checkout:preview")
    preview = client.get(reverse("checkout:preview"))
    assert "Trà sâm Ngọc Linh" in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("checkout:preview"), {"action": "place_order", "basket_id": preview.context["basket"].id}
        )

    order = Order.objects.get()
    assert response["Location"] == reverse("checkout:thank-you")
    assert order.user == customer and order.status == statuses.PLACED
    assert order.total_incl_tax == Decimal("240000") + Decimal("30000") + Decimal("10000")
    assert free_stock(product) == 3
    assert mail.outbox[0].to == ["lan@example.vn"]
    assert customer.addresses.get().line1 == ADDRESS["line1"]  # kept in the address book for next time
    with django_assert_max_num_queries(20):
        history = client.get(reverse("customer:order-list")).content.decode()
    assert order.number in history
    assert str(statuses.ORDER_LABELS[statuses.PLACED]) in history
