"""Oscar's own strings on the shop's pages come out in the page's language."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.tests.factories import make_certified_product

pytestmark = pytest.mark.django_db


def test_the_basket_button_counts_its_items_in_vietnamese(client, django_assert_max_num_queries):
    product = make_certified_product(title="Nước mắm Cửa Đại")
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 3})

    with django_assert_max_num_queries(30):  # the catalogue's own budget (catalog/tests/test_views.py)
        response = client.get(reverse("catalogue:index"))

    html = response.content.decode()
    assert "Toggle Dropdown" not in html and "Total:" not in html
    assert 'data-testid="basket-count" aria-hidden="true">3</span>' in html
    assert '<span class="sr-only">3 sản phẩm</span>' in html


def test_adding_to_the_basket_tells_the_new_total_in_vietnamese(client):
    product = make_certified_product(title="Nước mắm Cửa Đại", price=Decimal("85000"))

    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 2}, follow=True)

    html = response.content.decode()
    assert "Your basket total is now" not in html
    assert "Tổng tiền giỏ hàng của bạn hiện là <strong>170.000" in html


def test_the_account_pages_speak_plain_vietnamese_not_oscars_machine_translation(client, django_assert_max_num_queries):
    from catalog.tests.helpers import make_user

    client.force_login(make_user("khach@example.vn"))

    with django_assert_max_num_queries(30):
        html = client.get(reverse("customer:address-list")).content.decode()

    assert "Thông báo" in html and "Danh sách yêu thích" in html and "Thêm địa chỉ mới" in html
    assert "Những thông báo" not in html and "Danh sách mong muốn" not in html and "Thêm sổ địa chỉ mới" not in html


# Oscar's Vietnamese for these reads as a word-for-word machine translation; locale/vi rewords them.
REWORDED = {
    "Get a password reminder": ("Quên mật khẩu?", "lời nhắc nhở"),
    "Tracking your order": ("Theo dõi đơn hàng", "Đang theo dõi"),
    "Totals": ("Tổng cộng", "Tổng số"),
    "Offers": ("Ưu đãi", "Những ưu đãi"),
    "I have a voucher code...": ("Nhập mã giảm giá", "Tôi có một"),
    "Log out": ("Đăng xuất", "Thoát"),
    "\n        Your order has been placed and a confirmation email has been sent - your order number is\n"
    "        <strong>%(number)s</strong>.\n        ": ("Mã đơn hàng của bạn là", "số thứ tự"),
}


@pytest.mark.parametrize("message", sorted(REWORDED))
def test_oscars_machine_translated_phrases_are_reworded_in_vietnamese(message):
    from django.utils import translation

    wanted, unwanted = REWORDED[message]
    with translation.override("vi"):
        said = translation.gettext(message)

    assert wanted in said and unwanted not in said
