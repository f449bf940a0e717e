"""The delivery address the Vietnamese way: province, then ward or commune with their official codes."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product
from shop.checkout.tests.factories import ADDRESS

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
HOAN_KIEM_HA_NOI = "70"  # a ward of Hà Nội (province 1), not of Đà Nẵng


def test_the_order_keeps_the_province_and_ward_with_their_codes(checkout_as_guest, client):
    checkout_as_guest((make_certified_product(), 1))
    preview = client.get(reverse("checkout:preview"))
    client.post(reverse("checkout:preview"), {"action": "place_order", "basket_id": preview.context["basket"].id})

    address = Order.objects.get().shipping_address
    assert (address.province_code, address.ward_code) == (48, 20410)
    assert (address.line2, address.state, address.line4) == ("Phường Hội An", "Thành phố Đà Nẵng", "")


def test_the_form_offers_da_nang_wards_and_asks_no_district(client, checkout_as_guest):
    client.post(reverse("basket:add", kwargs={"pk": make_certified_product().pk}), {"quantity": 1})
    client.post(reverse("checkout:index"), {"username": "khach@example.vn", "options": "anonymous"})

    html = client.get(reverse("checkout:shipping-address")).content.decode()

    assert '<option value="48" selected>Thành phố Đà Nẵng</option>' in html
    assert '<option value="20410">Phường Hội An</option>' in html
    assert "Huyện" not in html and 'name="line4"' not in html


def test_a_ward_of_another_province_is_refused_in_vietnamese_and_nothing_typed_is_lost(client, checkout_as_guest):
    client.post(reverse("basket:add", kwargs={"pk": make_certified_product().pk}), {"quantity": 1})
    client.post(reverse("checkout:index"), {"username": "khach@example.vn", "options": "anonymous"})

    response = client.post(reverse("checkout:shipping-address"), {**ADDRESS, "ward": HOAN_KIEM_HA_NOI})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Phường, xã này không thuộc tỉnh, thành phố bạn đã chọn." in html
    assert 'value="12 Trần Hưng Đạo"' in html and 'value="Nguyễn Thị Lan"' in html


def test_the_ward_list_of_a_province_comes_as_json(client):
    response = client.get(reverse("storefront:wards", kwargs={"province": 48}))

    wards = response.json()["wards"]
    assert [20410, "Phường Hội An"] in wards and len(wards) == 94
    assert client.get(reverse("storefront:wards", kwargs={"province": 999})).status_code == 404
