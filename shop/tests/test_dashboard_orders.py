"""Staff see order and line statuses as Vietnamese labels on the dashboard, under our own mark."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product
from shop.order import statuses
from shop.order.tests.factories import place_order

pytestmark = pytest.mark.django_db

Line = get_model("order", "Line")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(username="canbo", email="canbo@example.vn", password="x-123-abc")


def test_dashboard_order_pages_show_status_labels_not_codes(client, staff, django_assert_max_num_queries):
    order = place_order(make_certified_product(stock=5), make_certified_product(stock=5))
    order.status = statuses.PARTIALLY_SHIPPED
    order.save()
    Line.objects.filter(pk=order.lines.first().pk).update(status=statuses.LINE_SHIPPED)
    client.force_login(staff)

    with django_assert_max_num_queries(40):
        listing = client.get(reverse("dashboard:order-list")).content.decode()
    with django_assert_max_num_queries(60):
        detail = client.get(reverse("dashboard:order-detail", kwargs={"number": order.number})).content.decode()

    for page in (listing, detail):
        assert "Đã gửi một phần" in page
        assert ">partially_shipped<" not in page and ">placed<" not in page
        assert 'value="partially_shipped"' not in page or "Đã gửi một phần</option>" in page
        assert "css/dashboard.css" in page and "js/dashboard.js" in page  # our mark; the initTable guard
    assert ">shipped<" not in detail and ">pending<" not in detail
    assert "Chờ chủ thể xác nhận" in detail


def test_dashboard_order_page_names_the_payment_source_in_vietnamese(client, staff):
    order = place_order(make_certified_product(stock=5))
    for name in ("Pay on collection at the sales point", "Card (Stripe)"):
        source_type = get_model("payment", "SourceType").objects.create(name=name)
        get_model("payment", "Source").objects.create(order=order, source_type=source_type, currency=order.currency)
    client.force_login(staff)

    detail = client.get(reverse("dashboard:order-detail", kwargs={"number": order.number})).content.decode()

    assert "Thanh toán khi nhận hàng tại điểm bán" in detail and "Thẻ (Stripe)" in detail
    assert "Pay on collection" not in detail and "Card (Stripe)" not in detail
