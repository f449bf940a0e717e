"""The customer's account: order history and each order's per-producer status."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product
from shop.checkout.tests.factories import basket_with, submission
from shop.order import services, statuses

Line = get_model("order", "Line")


@pytest.fixture
def customer():
    return get_user_model().objects.create_user(username="lan", email="lan@example.vn", password="x-secret-123")


def _order_for(user, n_products: int):
    products = [make_certified_product(stock=5) for _ in range(n_products)]
    basket = basket_with(*[(product, 1) for product in products], owner=user)
    return services.place_order(**submission(basket, user=user))


@pytest.mark.django_db
def test_order_page_shows_each_producers_part_with_its_own_status(client, customer, django_assert_max_num_queries):
    order = _order_for(customer, 2)
    shipped = order.lines.first()
    Line.objects.filter(pk=shipped.pk).update(status=statuses.LINE_SHIPPED, tracking_number="VN123456789")
    client.force_login(customer)

    with django_assert_max_num_queries(30):
        response = client.get(reverse("customer:order", kwargs={"order_number": order.number}))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="order-part ') == 2
    assert shipped.partner_name in page and "VN123456789" in page
    assert str(statuses.LINE_LABELS[statuses.LINE_SHIPPED]) in page
    assert str(statuses.LINE_LABELS[statuses.LINE_PENDING]) in page


@pytest.mark.django_db
@pytest.mark.parametrize("n_products", [1, 5])
def test_order_page_queries_do_not_grow_with_lines(client, customer, django_assert_max_num_queries, n_products):
    order = _order_for(customer, n_products)
    client.force_login(customer)

    with django_assert_max_num_queries(30):
        client.get(reverse("customer:order", kwargs={"order_number": order.number}))


@pytest.mark.django_db
def test_order_history_lists_orders_with_their_status(client, customer, django_assert_max_num_queries):
    orders = [_order_for(customer, 1) for _ in range(3)]
    client.force_login(customer)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("customer:order-list"))

    page = response.content.decode()
    assert all(order.number in page for order in orders)
    assert str(statuses.ORDER_LABELS[statuses.PLACED]) in page


@pytest.mark.django_db
def test_guest_follows_the_order_from_the_e_mail_link(client, django_assert_max_num_queries):
    product = make_certified_product(stock=5)
    order = services.place_order(**submission(basket_with((product, 1))))
    url = reverse("customer:anon-order", kwargs={"order_number": order.number, "hash": order.verification_hash()})

    email_form = client.get(url)["Location"]  # Oscar first asks the guest for the order's e-mail address
    client.post(email_form, {"email": order.guest_email})

    with django_assert_max_num_queries(25):
        response = client.get(url)

    assert response.status_code == 200
    assert product.producer.partner.name in response.content.decode()


@pytest.mark.django_db
def test_order_pages_and_confirmation_e_mail_show_the_phone_and_date_the_vietnamese_way(
    client, customer, django_assert_max_num_queries, mailoutbox, django_capture_on_commit_callbacks
):
    member_order = _order_for(customer, 1)
    with django_capture_on_commit_callbacks(execute=True):
        guest_order = services.place_order(**submission(basket_with((make_certified_product(stock=5), 1))))
    placed_on = timezone.localtime(guest_order.date_placed).strftime("%d/%m/%Y")
    client.force_login(customer)
    with django_assert_max_num_queries(30):
        account_page = client.get(reverse("customer:order", kwargs={"order_number": member_order.number}))
    client.logout()
    url = reverse(
        "customer:anon-order", kwargs={"order_number": guest_order.number, "hash": guest_order.verification_hash()}
    )
    client.post(client.get(url)["Location"], {"email": guest_order.guest_email})
    guest_page = client.get(url)
    (message,) = [m for m in mailoutbox if guest_order.number in m.subject + m.body]

    for text in (account_page.content.decode(), guest_page.content.decode(), message.body, message.alternatives[0][0]):
        assert "0905 123 456" in text and "+84905123456" not in text
        assert f"Ngày đặt hàng: {placed_on}" in text
